#include <bits/stdc++.h>
using namespace std;

struct Event {
    int time, type, id;
};

int main() {
    int n;
    cin >> n;
    vector<Event> ev;
    for (int i = 0; i < n; i++) {
        int s, e;
        cin >> s >> e;
        ev.push_back({s, 1, i});
        ev.push_back({e, -1, i});
    }
    sort(ev.begin(), ev.end(), [](const Event &a, const Event &b) {
        return a.time != b.time ? a.time < b.time : a.type < b.type;
    });
    int cur = 0, best = 0;
    for (const auto &e : ev) best = max(best, cur += e.type);
    cout << best << '\n';
    function<long long(int)> fact = [&](int k) -> long long { return k <= 1 ? 1 : k * fact(k - 1); };
    cout << fact(min(n, 20)) << '\n';
}
