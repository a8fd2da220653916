#include <stdio.h>

static char buf[1 << 16];
static int buf_len = 0, buf_pos = 0;

static inline int read_char(void) {
    if (buf_pos == buf_len) {
        buf_len = (int)fread(buf, 1, sizeof buf, stdin);
        buf_pos = 0;
        if (buf_len <= 0) return -1;
    }
    return buf[buf_pos++];
}

static long long read_int(void) {
    int c = read_char(), neg = 0;
    while (c != '-' && (c < '0' || c > '9')) c = read_char();
    if (c == '-') { neg = 1; c = read_char(); }
    long long x = 0;
    while (c >= '0' && c <= '9') { x = x * 10 + (c - '0'); c = read_char(); }
    return neg ? -x : x;
}

int main(void) {
    int n = (int)read_int();
    long long sum = 0;
    for (int i = 0; i < n; i++) sum += read_int();
    printf("%lld\n", sum);
    return 0;
}
