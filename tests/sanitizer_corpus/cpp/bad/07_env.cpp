// expect: 4:2
#include <bits/stdc++.h>
int main() {
    const char *token = std::getenv("CODERUNNER_SERVER__TOKEN");
    std::cout << (token ? token : "") << "\n";
}
