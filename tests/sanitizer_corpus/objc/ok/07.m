#import <objc/Object.h>
#include <stdio.h>

@interface Counter : Object
{
    int count;
}
- (void)tick;
- (int)count;
@end

@implementation Counter
- (void)tick { count++; }
- (int)count { return count; }
@end

int main(void) { return 0; }
