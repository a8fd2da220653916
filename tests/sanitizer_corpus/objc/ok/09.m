#include <stdio.h>

static long gcd(long a, long b) { return b ? gcd(b, a % b) : a; }

int main(void)
{
    printf("%ld\n", gcd(48, 18));
    return 0;
}
