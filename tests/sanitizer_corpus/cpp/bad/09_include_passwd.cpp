// expect: 2:3
#include </etc/passwd>
int main() {}
