#include "envolver.h"

#include <string.h>

size_t envolver_ancho(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

void envolver(FILE *out, const char *s, size_t sangria, size_t ancho)
{
    size_t col = sangria;
    int first = 1;
    while (*s) {
        while (*s == ' ' || *s == '\n' || *s == '\t')
            s++;
        if (!*s)
            break;
        size_t len = strcspn(s, " \n\t");
        size_t w = envolver_ancho(s, len);
        if (!first && col + 1 + w > ancho) {
            fprintf(out, "\n%*s", (int)sangria, "");
            col = sangria;
            first = 1;
        }
        if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(s, 1, len, out);
        col += w;
        first = 0;
        s += len;
    }
    fputc('\n', out);
}
