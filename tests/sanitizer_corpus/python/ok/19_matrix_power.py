import sys

MOD = 998244353


def mat_mul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    return [[sum(a[i][k] * b[k][j] for k in range(m)) % MOD for j in range(p)] for i in range(n)]


def mat_pow(mat, e):
    size = len(mat)
    result = [[int(i == j) for j in range(size)] for i in range(size)]
    while e:
        if e & 1:
            result = mat_mul(result, mat)
        mat = mat_mul(mat, mat)
        e >>= 1
    return result


n = int(sys.stdin.readline())
fib = mat_pow([[1, 1], [1, 0]], n)
print(fib[0][1])
