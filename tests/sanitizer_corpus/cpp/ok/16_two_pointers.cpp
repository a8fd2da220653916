#include <iostream>
#include <vector>
using namespace std;

int main() {
    long long n, target;
    cin >> n >> target;
    vector<long long> a(n);
    for (auto &x : a) cin >> x;
    long long sum = 0, count = 0;
    size_t left = 0;
    for (size_t right = 0; right < a.size(); ++right) {
        sum += a[right];
        while (sum > target && left <= right) sum -= a[left++];
        if (sum == target) ++count;
    }
    cout << count << endl;
    system("pause");
}
