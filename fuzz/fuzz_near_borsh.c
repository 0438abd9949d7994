/*
 * Fuzzes the contract SDK's borsh reader (natively built): the first byte gives how many
 * values to read (0..16), the next bytes their types (u8, u32, u64, u128, fixed [u8; 5], bytes,
 * string, option<u32>, vec<u64> and PublicKey), the rest is the borsh input. No read may crash,
 * over-read or call the host (every host function aborts); whatever the reader accepts, the
 * writer must encode back to exactly the bytes it consumed, and a failed reader must stay failed.
 */
#include <stdlib.h>
#include <string.h>

#include "near_util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* reads one value of type t and writes it back to `out` */
static void one(near_borsh_reader *r, unsigned t, near_buf *out)
{
    uint8_t u8, key[64];
    uint32_t u32, i;
    uint64_t u64;
    unsigned __int128 u128;
    const uint8_t *p;
    const char *s;
    size_t n;
    unsigned curve;
    int present;
    switch (t) {
    case 0:
        if (near_borsh_read_u8(r, &u8)) {
            near_borsh_u8(out, u8);
        }
        break;
    case 1:
        if (near_borsh_read_u32(r, &u32)) {
            near_borsh_u32(out, u32);
        }
        break;
    case 2:
        if (near_borsh_read_u64(r, &u64)) {
            near_borsh_u64(out, u64);
        }
        break;
    case 3:
        if (near_borsh_read_u128(r, &u128)) {
            near_borsh_u128(out, u128);
        }
        break;
    case 4:
        if (near_borsh_read_fixed(r, key, 5)) {
            near_buf_put(out, key, 5);
        }
        break;
    case 5:
        if (near_borsh_read_bytes(r, &p, &n)) {
            near_borsh_bytes(out, p, n);
        }
        break;
    case 6:
        if (near_borsh_read_string(r, &s, &n)) {
            if (strlen(s) > n) {
                abort();
            }
            near_borsh_bytes(out, s, n);
        }
        break;
    case 7:
        if (near_borsh_read_option(r, &present)) {
            near_borsh_u8(out, (uint8_t)present);
            if (present && near_borsh_read_u32(r, &u32)) {
                near_borsh_u32(out, u32);
            }
        }
        break;
    case 8:
        if (near_borsh_read_vec_len(r, &u32, 8)) {
            near_borsh_u32(out, u32);
            for (i = 0; i < u32 && near_borsh_read_u64(r, &u64); i++) {
                near_borsh_u64(out, u64);
            }
        }
        break;
    default:
        if (near_borsh_read_public_key(r, &curve, key, &n)) {
            if (n != (curve == NEAR_CURVE_ED25519 ? 32u : 64u)) {
                abort();
            }
            near_borsh_public_key(out, curve, key);
        }
        break;
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    size_t count, i, len;
    unsigned char *copy;
    near_borsh_reader r;
    near_buf out = {0};
    if (size < 1) {
        return 0;
    }
    count = data[0] % 17;
    if (size < 1 + count) {
        return 0;
    }
    len = size - 1 - count;
    copy = malloc(len > 0 ? len : 1); /* exact size: ASan catches any over-read */
    memcpy(copy, data + 1 + count, len);
    near_borsh_reader_init(&r, copy, len);
    for (i = 0; i < count; i++) {
        int was_ok = r.ok;
        one(&r, data[1 + i] % 10, &out);
        if (!was_ok && r.ok) {
            abort(); /* a failure sticks */
        }
    }
    if (r.pos > r.len ||
        (r.ok && (out.len != r.pos || (r.pos > 0 && memcmp(out.data, copy, r.pos) != 0)))) {
        abort();
    }
    free(copy);
    near_arena_reset();
    return 0;
}
