/*
 * near_borsh: Borsh (borsh.io), the binary format of NEAR's own structures, for contracts: a
 * writer appending to a near_buf and a bounds-checked reader over a byte string. Integers are
 * little-endian; strings and byte vectors carry a u32 length; Option is a 0/1 tag; a NEAR
 * PublicKey is a curve tag and 32 (ed25519) or 64 (secp256k1) bytes. The reader never reads
 * past its input and never panics: its first failure sticks, every later read fails too, and
 * near_borsh_end says whether everything was read exactly.
 */
#include "near_util.h"

/* ---- writer ---- */
static void put_le(near_buf *b, uint64_t v, int n)
{
    uint8_t le[8];
    int i;
    for (i = 0; i < n; i++, v >>= 8) {
        le[i] = (uint8_t)v;
    }
    near_buf_put(b, le, (size_t)n);
}

void near_borsh_u8(near_buf *b, uint8_t v)
{
    near_buf_putc(b, (char)v);
}

void near_borsh_u32(near_buf *b, uint32_t v)
{
    put_le(b, v, 4);
}

void near_borsh_u64(near_buf *b, uint64_t v)
{
    put_le(b, v, 8);
}

void near_borsh_u128(near_buf *b, unsigned __int128 v)
{
    put_le(b, (uint64_t)v, 8);
    put_le(b, (uint64_t)(v >> 64), 8);
}

void near_borsh_bytes(near_buf *b, const void *data, size_t len)
{
    if (len > UINT32_MAX) {
        near_panic("borsh: a byte string longer than 2^32 - 1");
    }
    near_borsh_u32(b, (uint32_t)len);
    near_buf_put(b, data, len);
}

void near_borsh_public_key(near_buf *b, unsigned curve, const uint8_t *key)
{
    near_borsh_u8(b, (uint8_t)curve);
    near_buf_put(b, key, curve == NEAR_CURVE_ED25519 ? 32 : 64);
}

/* ---- reader ---- */
void near_borsh_reader_init(near_borsh_reader *r, const void *data, size_t len)
{
    r->data = data;
    r->len = len;
    r->pos = 0;
    r->ok = 1;
}

/* n more bytes, or NULL (and the reader failed) */
static const uint8_t *take(near_borsh_reader *r, size_t n)
{
    const uint8_t *p;
    if (!r->ok || n > r->len - r->pos) {
        r->ok = 0;
        return NULL;
    }
    p = r->data + r->pos;
    r->pos += n;
    return p;
}

static uint64_t get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    while (n-- > 0) {
        v = (v << 8) | p[n];
    }
    return v;
}

int near_borsh_read_u8(near_borsh_reader *r, uint8_t *v)
{
    const uint8_t *p = take(r, 1);
    *v = p != NULL ? p[0] : 0;
    return p != NULL;
}

int near_borsh_read_u32(near_borsh_reader *r, uint32_t *v)
{
    const uint8_t *p = take(r, 4);
    *v = p != NULL ? (uint32_t)get_le(p, 4) : 0;
    return p != NULL;
}

int near_borsh_read_u64(near_borsh_reader *r, uint64_t *v)
{
    const uint8_t *p = take(r, 8);
    *v = p != NULL ? get_le(p, 8) : 0;
    return p != NULL;
}

int near_borsh_read_u128(near_borsh_reader *r, unsigned __int128 *v)
{
    const uint8_t *p = take(r, 16);
    *v = p != NULL ? (unsigned __int128)get_le(p + 8, 8) << 64 | get_le(p, 8) : 0;
    return p != NULL;
}

int near_borsh_read_fixed(near_borsh_reader *r, uint8_t *out, size_t n)
{
    const uint8_t *p = take(r, n);
    size_t i;
    for (i = 0; p != NULL && i < n; i++) {
        out[i] = p[i];
    }
    return p != NULL;
}

int near_borsh_read_bytes(near_borsh_reader *r, const uint8_t **data, size_t *len)
{
    uint32_t n;
    *data = NULL;
    *len = 0;
    if (!near_borsh_read_u32(r, &n) || (*data = take(r, n)) == NULL) {
        return 0;
    }
    *len = n;
    return 1;
}

/* well-formed UTF-8 (RFC 3629: shortest form, no surrogates, at most U+10FFFF) */
static int utf8_valid(const uint8_t *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint8_t c = s[i];
        size_t n, k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        /* the lead byte: how many continuation bytes, and its payload bits */
        n = c >= 0xc2 && c <= 0xdf   ? 1
            : c >= 0xe0 && c <= 0xef ? 2
            : c >= 0xf0 && c <= 0xf4 ? 3
                                     : 0;
        if (n == 0) {
            return 0;
        }
        cp = c & (0x3fu >> n);
        if (n > len - i - 1) {
            return 0;
        }
        for (k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

int near_borsh_read_string(near_borsh_reader *r, const char **s, size_t *len)
{
    const uint8_t *p;
    size_t n;
    *s = NULL;
    *len = 0;
    if (!near_borsh_read_bytes(r, &p, &n)) {
        return 0;
    }
    if (!utf8_valid(p, n)) {
        r->ok = 0;
        return 0;
    }
    *s = near_strndup((const char *)p, n);
    *len = n;
    return 1;
}

int near_borsh_read_option(near_borsh_reader *r, int *present)
{
    uint8_t tag;
    *present = 0;
    if (!near_borsh_read_u8(r, &tag)) {
        return 0;
    }
    if (tag > 1) {
        r->ok = 0;
        return 0;
    }
    *present = tag;
    return 1;
}

int near_borsh_read_vec_len(near_borsh_reader *r, uint32_t *count, size_t min_item_len)
{
    if (!near_borsh_read_u32(r, count)) {
        return 0;
    }
    /* every item takes at least min_item_len bytes: a count the input cannot hold is refused
     * before anything is allocated for it */
    if (min_item_len > 0 && *count > (r->len - r->pos) / min_item_len) {
        r->ok = 0;
        *count = 0;
        return 0;
    }
    return 1;
}

int near_borsh_read_public_key(near_borsh_reader *r, unsigned *curve, uint8_t key[64],
                               size_t *key_len)
{
    uint8_t tag;
    *curve = 0;
    *key_len = 0;
    if (!near_borsh_read_u8(r, &tag)) {
        return 0;
    }
    if (tag != NEAR_CURVE_ED25519 && tag != NEAR_CURVE_SECP256K1) {
        r->ok = 0;
        return 0;
    }
    if (!near_borsh_read_fixed(r, key, tag == NEAR_CURVE_ED25519 ? 32 : 64)) {
        return 0;
    }
    *curve = tag;
    *key_len = tag == NEAR_CURVE_ED25519 ? 32 : 64;
    return 1;
}

int near_borsh_end(const near_borsh_reader *r)
{
    return r->ok && r->pos == r->len;
}
