#import <objc/Object.h>
#include <stdio.h>

@interface Adder : Object
+ (long long)sumOf:(FILE *)input;
@end

@implementation Adder
+ (long long)sumOf:(FILE *)input
{
    long long x, s = 0;
    while (fscanf(input, "%lld", &x) == 1)
        s += x;
    return s;
}
@end

int main(void)
{
    printf("%lld\n", [Adder sumOf:stdin]);
    return 0;
}
