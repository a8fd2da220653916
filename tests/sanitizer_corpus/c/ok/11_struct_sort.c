#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char name[32];
    int score;
} Entry;

static int by_score(const void *pa, const void *pb) {
    const Entry *a = pa, *b = pb;
    if (a->score != b->score) return b->score - a->score;
    return strcmp(a->name, b->name);
}

int main(void) {
    int n;
    scanf("%d", &n);
    Entry *e = calloc((size_t)n, sizeof *e);
    for (int i = 0; i < n; i++) scanf("%31s %d", e[i].name, &e[i].score);
    qsort(e, (size_t)n, sizeof *e, by_score);
    for (int i = 0; i < n; i++) printf("%s %d\n", e[i].name, e[i].score);
    free(e);
    return 0;
}
