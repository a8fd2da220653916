#import <objc/Object.h>
#include <stdio.h>

int main(void)
{
    puts("Hello, World!");
    return 0;
}
