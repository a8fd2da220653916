#include <stdint.h>
#include <stdio.h>

#define MOD 1000000007ULL

static uint64_t power(uint64_t base, uint64_t exp) {
    uint64_t result = 1;
    base %= MOD;
    while (exp) {
        if (exp & 1) result = result * base % MOD;
        base = base * base % MOD;
        exp >>= 1;
    }
    return result;
}

int main(void) {
    unsigned long long a, b;
    while (scanf("%llu %llu", &a, &b) == 2) printf("%llu\n", (unsigned long long)power(a, b));
    return 0;
}
