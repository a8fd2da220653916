#include <ctype.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    char line[100005];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        int vowels = 0;
        for (size_t i = 0; i < len; i++) {
            char c = (char)tolower((unsigned char)line[i]);
            if (strchr("aeiou", c)) vowels++;
        }
        for (size_t i = 0, j = len ? len - 1 : 0; i < j; i++, j--) {
            char tmp = line[i];
            line[i] = line[j];
            line[j] = tmp;
        }
        printf("%s %d\n", line, vowels);
    }
    return 0;
}
