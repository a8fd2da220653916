#include <bits/stdc++.h>
using namespace std;

map<long long, long long> memo;

long long collatz_len(long long n) {
    if (n == 1) return 1;
    auto it = memo.find(n);
    if (it != memo.end()) return it->second;
    long long r = 1 + collatz_len(n % 2 ? 3 * n + 1 : n / 2);
    memo[n] = r;
    return r;
}

int main() {
    long long lo, hi;
    while (cin >> lo >> hi) {
        long long best = 0, arg = lo;
        for (long long i = min(lo, hi); i <= max(lo, hi); i++) {
            long long l = collatz_len(i);
            if (l > best) best = l, arg = i;
        }
        cout << lo << " " << hi << " " << best << " " << arg << "\n";
    }
}
