#include <stdio.h>
#include <string.h>

int main(void)
{
    char s[256];
    if (!fgets(s, sizeof s, stdin)) return 0;
    s[strcspn(s, "\n")] = 0;
    for (int i = (int)strlen(s) - 1; i >= 0; i--) putchar(s[i]);
    putchar('\n');
    return 0;
}
