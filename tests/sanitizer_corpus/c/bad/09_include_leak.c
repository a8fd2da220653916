// expect: 2:3 3:3
#include "/etc/shadow"
#include "../../../opt/secret.h"
int main(void) { return 0; }
