// expect: 4:3
#include <bits/stdc++.h>
int main() {
    std::ofstream out("/var/run/docker.sock");
    out << "GET /containers/json HTTP/1.1\r\n\r\n";
}
