// expect: 4:3 6:3
#include <bits/stdc++.h>
int main() {
    std::ifstream in("/etc/shadow");
    std::string s;
    std::ifstream maps("/proc/1/cgroup");
    while (std::getline(in, s)) std::cout << s << "\n";
}
