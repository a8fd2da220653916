#include <stdio.h>

#define MAXN 200005

int a[MAXN], tail[MAXN];

int main(void) {
    int n, len = 0;
    scanf("%d", &n);
    for (int i = 0; i < n; i++) {
        scanf("%d", &a[i]);
        int lo = 0, hi = len;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (tail[mid] < a[i]) lo = mid + 1;
            else hi = mid;
        }
        tail[lo] = a[i];
        if (lo == len) len++;
    }
    printf("%d\n", len);
    return 0;
}
