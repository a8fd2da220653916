#include <bits/stdc++.h>
using namespace std;

struct Node {
    int sum = 0;
    Node *l = nullptr, *r = nullptr;
};

Node pool[4000000];
int pool_size = 0;

Node *clone(Node *t) {
    Node *c = &pool[pool_size++];
    if (t) *c = *t;
    return c;
}

Node *insert(Node *t, int lo, int hi, int pos) {
    Node *c = clone(t);
    c->sum++;
    if (lo == hi) return c;
    int mid = (lo + hi) / 2;
    if (pos <= mid) c->l = insert(t ? t->l : nullptr, lo, mid, pos);
    else c->r = insert(t ? t->r : nullptr, mid + 1, hi, pos);
    return c;
}

int kth(Node *a, Node *b, int lo, int hi, int k) {
    if (lo == hi) return lo;
    int mid = (lo + hi) / 2;
    int left = (b && b->l ? b->l->sum : 0) - (a && a->l ? a->l->sum : 0);
    if (k <= left) return kth(a ? a->l : nullptr, b ? b->l : nullptr, lo, mid, k);
    return kth(a ? a->r : nullptr, b ? b->r : nullptr, mid + 1, hi, k - left);
}

int main() {
    int n, q;
    scanf("%d %d", &n, &q);
    vector<int> a(n), sorted_vals;
    for (auto &x : a) scanf("%d", &x);
    sorted_vals = a;
    sort(sorted_vals.begin(), sorted_vals.end());
    vector<Node *> roots(n + 1, nullptr);
    for (int i = 0; i < n; i++) {
        int p = lower_bound(sorted_vals.begin(), sorted_vals.end(), a[i]) - sorted_vals.begin();
        roots[i + 1] = insert(roots[i], 0, n - 1, p);
    }
    while (q--) {
        int l, r, k;
        scanf("%d %d %d", &l, &r, &k);
        printf("%d\n", sorted_vals[kth(roots[l - 1], roots[r], 0, n - 1, k)]);
    }
}
