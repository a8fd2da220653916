#import <objc/Object.h>
#include <stdio.h>

@interface Math : Object
+ (long)fact:(int)n;
@end

@implementation Math
+ (long)fact:(int)n { return n <= 1 ? 1 : n * [Math fact:n - 1]; }
@end

int main(void)
{
    printf("%ld\n", [Math fact:20]);
    return 0;
}
