#include <limits.h>
#include <math.h>
#include <stdio.h>

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define REP(i, n) for (int i = 0; i < (n); i++)
#define DEBUG(x) fprintf(stderr, #x " = %lld\n", (long long)(x))

int main(void) {
    int n;
    scanf("%d", &n);
    long long lo = LLONG_MAX, hi = LLONG_MIN;
    double total = 0;
    REP(i, n) {
        long long v;
        scanf("%lld", &v);
        lo = MIN(lo, v);
        hi = MAX(hi, v);
        total += (double)v;
    }
    printf("%lld %lld %.6f %.6f\n", lo, hi, total / n, sqrt((double)(hi - lo)));
    return 0;
}
