#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define LIMIT 10000001
static bool composite[LIMIT];

int main(void) {
    int n;
    scanf("%d", &n);
    memset(composite, 0, sizeof composite);
    int count = 0;
    for (long long i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        for (long long j = i * i; j <= n; j += i) composite[j] = true;
    }
    printf("%d\n", count);
    return 0;
}
