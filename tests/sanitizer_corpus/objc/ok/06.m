#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int main(void)
{
    int xs[] = {5, 3, 9, 1};
    qsort(xs, 4, sizeof xs[0], cmp);
    for (int i = 0; i < 4; i++) printf("%d ", xs[i]);
    putchar('\n');
    return 0;
}
