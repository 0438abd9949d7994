/*
 * Over-read detection for decoders (as picohttpparser's tests do): copies an input so that
 * its last byte sits right before an unmapped page, so reading one byte past the end faults
 * even in builds without AddressSanitizer.
 */
#ifndef TK_TESTS_GUARD_H
#define TK_TESTS_GUARD_H

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
    unsigned char *map;
    size_t map_len;
} guard_buf;

/* Returns a pointer to `len` bytes equal to `data`, followed by a PROT_NONE page. */
static inline const char *guard_copy(guard_buf *g, const void *data, size_t len)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t body = (len + page - 1) / page * page;
    if (body == 0) {
        body = page;
    }
    g->map_len = body + page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g->map == MAP_FAILED) {
        return NULL;
    }
    mprotect(g->map + body, page, PROT_NONE);
    memcpy(g->map + body - len, data, len);
    return (const char *)(g->map + body - len);
}

static inline void guard_free(guard_buf *g)
{
    munmap(g->map, g->map_len);
}

#endif
