#include <stdio.h>

int main(void) {
#ifndef ONLINE_JUDGE
    /* Local testing only; the judge feeds stdin. */
    if (0) freopen("input.txt", "r", stdin);
#endif
    int n, x, best = -1;
    scanf("%d", &n);
    for (int i = 0; i < n; i++) {
        scanf("%d", &x);
        if (x > best) best = x;
    }
    printf("%d\n", best);
    return 0;
}
