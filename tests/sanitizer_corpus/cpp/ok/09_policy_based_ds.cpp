#include <bits/stdc++.h>
#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>
using namespace std;
using namespace __gnu_pbds;

template <class T>
using ordered_set = tree<T, null_type, less<T>, rb_tree_tag, tree_order_statistics_node_update>;

int main() {
    int n;
    cin >> n;
    ordered_set<pair<int, int>> s;
    long long inversions = 0;
    for (int i = 0; i < n; i++) {
        int x;
        cin >> x;
        inversions += i - (long long)s.order_of_key({x, INT_MAX});
        s.insert({x, i});
    }
    cout << inversions << "\n";
}
