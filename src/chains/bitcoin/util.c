/*
 * Byte reader/writer and CompactSize shared by the bitcoin module's codecs.
 * The reader never reads past its end; CompactSize decoding refuses non-minimal encodings so
 * that every accepted byte string has exactly one parse and re-serializes to itself.
 */
#include "internal.h"

#include "teekeys/hash.h"

int btc_read_bytes(btc_reader *r, const unsigned char **out, size_t n)
{
    if (n > r->len - r->pos) {
        return -1;
    }
    *out = r->p + r->pos;
    r->pos += n;
    return 0;
}

int btc_read_u8(btc_reader *r, uint8_t *v)
{
    const unsigned char *p;
    if (btc_read_bytes(r, &p, 1) != 0) {
        return -1;
    }
    *v = p[0];
    return 0;
}

int btc_read_u32(btc_reader *r, uint32_t *v)
{
    const unsigned char *p;
    if (btc_read_bytes(r, &p, 4) != 0) {
        return -1;
    }
    *v = btc_le32(p);
    return 0;
}

int btc_read_u64(btc_reader *r, uint64_t *v)
{
    const unsigned char *p;
    if (btc_read_bytes(r, &p, 8) != 0) {
        return -1;
    }
    *v = (uint64_t)btc_le32(p) | (uint64_t)btc_le32(p + 4) << 32;
    return 0;
}

int btc_read_compact(btc_reader *r, uint64_t *v)
{
    size_t start = r->pos;
    uint8_t first;
    const unsigned char *p;
    uint64_t x = 0, min;
    size_t n, i;
    if (btc_read_u8(r, &first) != 0) {
        return -1;
    }
    if (first < 0xfd) {
        *v = first;
        return 0;
    }
    n = first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
    min = first == 0xfd ? 0xfd : first == 0xfe ? 0x10000 : 0x100000000ull;
    if (btc_read_bytes(r, &p, n) != 0) {
        r->pos = start;
        return -1;
    }
    for (i = n; i-- > 0;) {
        x = x << 8 | p[i];
    }
    if (x < min) {
        r->pos = start;
        return -2;
    }
    *v = x;
    return 0;
}

const char *btc_compact_error(int rc)
{
    return rc == -2 ? "non-canonical CompactSize" : "truncated";
}

void btc_write(btc_writer *w, const void *data, size_t n)
{
    if (w->p != NULL && n <= w->cap && w->pos <= w->cap - n && n > 0) {
        memcpy(w->p + w->pos, data, n);
    }
    w->pos += n;
}

void btc_write_u8(btc_writer *w, uint8_t v)
{
    btc_write(w, &v, 1);
}

void btc_write_u32(btc_writer *w, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    btc_write(w, b, 4);
}

void btc_write_u64(btc_writer *w, uint64_t v)
{
    btc_write_u32(w, (uint32_t)v);
    btc_write_u32(w, (uint32_t)(v >> 32));
}

size_t btc_compact_len(uint64_t v)
{
    return v < 0xfd ? 1 : v <= 0xffff ? 3 : v <= 0xffffffffu ? 5 : 9;
}

void btc_write_compact(btc_writer *w, uint64_t v)
{
    if (v < 0xfd) {
        btc_write_u8(w, (uint8_t)v);
    } else if (v <= 0xffff) {
        btc_write_u8(w, 0xfd);
        btc_write_u8(w, (uint8_t)v);
        btc_write_u8(w, (uint8_t)(v >> 8));
    } else if (v <= 0xffffffffu) {
        btc_write_u8(w, 0xfe);
        btc_write_u32(w, (uint32_t)v);
    } else {
        btc_write_u8(w, 0xff);
        btc_write_u64(w, v);
    }
}
