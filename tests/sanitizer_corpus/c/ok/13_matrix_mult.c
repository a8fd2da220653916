#include <stdio.h>

#define MOD 998244353LL

long long A[105][105], B[105][105], C[105][105];

int main(void) {
    int n;
    scanf("%d", &n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) scanf("%lld", &A[i][j]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) scanf("%lld", &B[i][j]);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            long long aik = A[i][k];
            for (int j = 0; j < n; j++) C[i][j] = (C[i][j] + aik * B[k][j]) % MOD;
        }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) printf("%lld ", C[i][j]);
        printf("\n");
    }
    return 0;
}
