#include <stdio.h>
#include <string.h>

/* Adds two non-negative integers of up to 10^5 digits. */
char a[100005], b[100005], res[100010];

int main(void) {
    scanf("%s %s", a, b);
    int la = (int)strlen(a), lb = (int)strlen(b), carry = 0, k = 0;
    for (int i = la - 1, j = lb - 1; i >= 0 || j >= 0 || carry; i--, j--) {
        int s = carry;
        if (i >= 0) s += a[i] - '0';
        if (j >= 0) s += b[j] - '0';
        res[k++] = (char)('0' + s % 10);
        carry = s / 10;
    }
    for (int i = k - 1; i >= 0; i--) putchar(res[i]);
    putchar('\n');
    return 0;
}
