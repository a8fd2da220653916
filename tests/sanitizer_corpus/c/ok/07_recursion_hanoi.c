#include <stdio.h>

static long long moves = 0;

static void hanoi(int n, int from, int to, int via, int print) {
    if (n == 0) return;
    hanoi(n - 1, from, via, to, print);
    moves++;
    if (print) printf("%d %d\n", from, to);
    hanoi(n - 1, via, to, from, print);
}

int main(void) {
    int n;
    scanf("%d", &n);
    printf("%lld\n", (1LL << n) - 1);
    hanoi(n, 1, 3, 2, n <= 20);
    return 0;
}
