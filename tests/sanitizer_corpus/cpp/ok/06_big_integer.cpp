#include <bits/stdc++.h>
using namespace std;

// Multiplies two big integers given as decimal strings (schoolbook, base 10^9).
vector<long long> parse(const string &s) {
    vector<long long> out;
    for (int i = (int)s.size(); i > 0; i -= 9) {
        int start = max(0, i - 9);
        out.push_back(stoll(s.substr(start, i - start)));
    }
    return out;
}

int main() {
    string a, b;
    cin >> a >> b;
    auto x = parse(a), y = parse(b);
    const long long BASE = 1000000000LL;
    vector<unsigned long long> res(x.size() + y.size() + 1, 0);
    for (size_t i = 0; i < x.size(); i++) {
        unsigned long long carry = 0;
        for (size_t j = 0; j < y.size() || carry; j++) {
            unsigned long long cur = res[i + j] + carry + (j < y.size() ? x[i] * y[j] : 0);
            res[i + j] = cur % BASE;
            carry = cur / BASE;
        }
    }
    while (res.size() > 1 && res.back() == 0) res.pop_back();
    printf("%llu", res.back());
    for (int i = (int)res.size() - 2; i >= 0; i--) printf("%09llu", res[i]);
    printf("\n");
}
