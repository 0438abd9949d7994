/*
 * teekeys rlp: Ethereum's Recursive Length Prefix encoding (Yellow Paper, appendix B).
 *
 * The encoder appends to a growable buffer; lists are opened and closed around their items.
 * The decoder is strict and zero-copy: it accepts only the canonical encoding of every item
 * (shortest length form, no leading zero bytes in lengths, a single byte < 0x80 never wrapped
 * in a string header), refuses trailing bytes, inputs above TK_RLP_MAX_INPUT and nesting
 * deeper than TK_RLP_MAX_DEPTH, and names the offset and the reason of every failure.
 * Integers are big-endian without leading zero bytes; zero is the empty string.
 * RLP carries public transaction data only; nothing here is constant-time.
 */
#ifndef TEEKEYS_RLP_H
#define TEEKEYS_RLP_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_RLP_MAX_INPUT (4u << 20) /* largest encoding the decoder and encoder accept */
#define TK_RLP_MAX_DEPTH 32         /* deepest list nesting the decoder accepts */

/* ---- encoder ---- */

/* A growable output buffer. Zero-initialise (or tk_rlp_buf_init) before use. Any failing
 * append leaves `err` set; later appends do nothing and tk_rlp_buf_status returns it, so a
 * sequence of appends can be checked once at the end. */
typedef struct {
    unsigned char *data;
    size_t len;
    size_t cap;
    int err;
} tk_rlp_buf;

void tk_rlp_buf_init(tk_rlp_buf *b);
/* Wipes and frees the buffer; the struct can be reused after tk_rlp_buf_init. */
void tk_rlp_buf_free(tk_rlp_buf *b);
/* Returns: TK_OK, or the first error recorded by an append (TK_ERR_NOMEM, TK_ERR_RANGE for
 * an encoding above TK_RLP_MAX_INPUT, TK_ERR_ARG for misuse). */
int tk_rlp_buf_status(const tk_rlp_buf *b) TK_MUST_CHECK;

/* Appends a byte string item. */
int tk_rlp_put_bytes(tk_rlp_buf *b, const unsigned char *p, size_t n);
/* Appends an integer given as big-endian bytes (leading zero bytes are stripped). */
int tk_rlp_put_uint_be(tk_rlp_buf *b, const unsigned char *be, size_t n);
/* Appends an unsigned 64-bit integer. */
int tk_rlp_put_u64(tk_rlp_buf *b, uint64_t v);
/* Appends bytes that already are one or more complete RLP items. */
int tk_rlp_put_raw(tk_rlp_buf *b, const unsigned char *p, size_t n);
/* Opens a list: *mark remembers where its payload starts. Close with tk_rlp_list_end. */
int tk_rlp_list_begin(tk_rlp_buf *b, size_t *mark);
/* Closes the list opened at `mark`, inserting its header before the payload. */
int tk_rlp_list_end(tk_rlp_buf *b, size_t mark);

/* ---- decoder ---- */

/* One decoded item: a string (is_list == 0, payload = the bytes) or a list (payload = the
 * concatenated encodings of its items). `enc`/`enc_len` cover the whole item with header. */
typedef struct {
    int is_list;
    const unsigned char *payload;
    size_t len;
    const unsigned char *enc;
    size_t enc_len;
} tk_rlp_item;

/* Decodes the single item that `in` must consist of exactly, and checks every nested item
 * (canonical form, depth). Out: *item (points into `in`). */
int tk_rlp_decode(tk_rlp_item *item, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* Decodes the header of the first item in `in` (no recursion; trailing bytes allowed).
 * Out: *item, *consumed = item's total encoded length. */
int tk_rlp_decode_one(tk_rlp_item *item, size_t *consumed, const unsigned char *in,
                      size_t in_len) TK_MUST_CHECK;

/* Iterates over a list's items. Init with the list item; next returns TK_OK with the next
 * item, TK_ERR_NOT_FOUND at the end (no detail recorded), or a decoding error. */
typedef struct {
    const unsigned char *p;
    size_t left;
} tk_rlp_iter;
int tk_rlp_iter_init(tk_rlp_iter *it, const tk_rlp_item *list) TK_MUST_CHECK;
int tk_rlp_iter_next(tk_rlp_iter *it, tk_rlp_item *item) TK_MUST_CHECK;

/* Returns: the number of items in a list, or a negative tk_status. */
long tk_rlp_list_count(const tk_rlp_item *list);

/* Reads a canonical integer (string item, no leading zero byte) of at most out_cap bytes into
 * the low end of out[0..out_cap) (big-endian, left-padded with zeros). `what` names the field
 * in error details. */
int tk_rlp_get_uint_be(unsigned char *out, size_t out_cap, const tk_rlp_item *item,
                       const char *what) TK_MUST_CHECK;
/* Reads a canonical integer that fits in 64 bits. */
int tk_rlp_get_u64(uint64_t *out, const tk_rlp_item *item, const char *what) TK_MUST_CHECK;
/* Reads a string item of exactly `len` bytes. */
int tk_rlp_get_fixed(unsigned char *out, size_t len, const tk_rlp_item *item,
                     const char *what) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_RLP_H */
