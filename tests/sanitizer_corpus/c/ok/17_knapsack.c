#include <stdio.h>
#include <string.h>

long long best[100005];

int main(void) {
    int n, w;
    scanf("%d %d", &n, &w);
    memset(best, 0, sizeof best);
    for (int i = 0; i < n; i++) {
        int wi;
        long long vi;
        scanf("%d %lld", &wi, &vi);
        for (int c = w; c >= wi; c--)
            if (best[c - wi] + vi > best[c]) best[c] = best[c - wi] + vi;
    }
    printf("%lld\n", best[w]);
    return 0;
}
