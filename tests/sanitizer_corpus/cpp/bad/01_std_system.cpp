// expect: 5:3
#include <bits/stdc++.h>
int main() {
    std::string cmd = "id";
    std::system(cmd.c_str());
}
