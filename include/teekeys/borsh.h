/*
 * teekeys borsh: the primitives of the borsh binary format (https://borsh.io) that NEAR uses:
 * little-endian integers, fixed arrays, u32-length-prefixed byte vectors and UTF-8 strings,
 * options with a strict 0/1 tag. Part of the near module.
 *
 * The reader never reads outside its input and reports which field was short or bad (the
 * `field` argument names it); it returns pointers into the input rather than copying. The
 * writer counts the bytes it would need even when the buffer is too small, so that a caller
 * learns the size from one failed attempt. Public data only.
 */
#ifndef TEEKEYS_BORSH_H
#define TEEKEYS_BORSH_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const unsigned char *p;
    size_t len;
    size_t pos;
} tk_borsh_reader;

void tk_borsh_reader_init(tk_borsh_reader *r, const unsigned char *p, size_t len);

/* Each read returns TK_OK or TK_ERR_INPUT (truncated, bad tag, bad UTF-8, too long) with a
 * detail naming `field`. */
int tk_borsh_read_u8(tk_borsh_reader *r, uint8_t *v, const char *field) TK_MUST_CHECK;
int tk_borsh_read_u32(tk_borsh_reader *r, uint32_t *v, const char *field) TK_MUST_CHECK;
int tk_borsh_read_u64(tk_borsh_reader *r, uint64_t *v, const char *field) TK_MUST_CHECK;
/* n raw bytes ([u8; n], u128 as 16 little-endian bytes). */
int tk_borsh_read_fixed(tk_borsh_reader *r, const unsigned char **out, size_t n,
                        const char *field) TK_MUST_CHECK;
/* Vec<u8>: u32 length (at most max_len) then the bytes. */
int tk_borsh_read_bytes(tk_borsh_reader *r, const unsigned char **out, size_t *out_len,
                        size_t max_len, const char *field) TK_MUST_CHECK;
/* String: as Vec<u8>, and the bytes must be strict UTF-8. */
int tk_borsh_read_string(tk_borsh_reader *r, const char **out, size_t *out_len, size_t max_len,
                         const char *field) TK_MUST_CHECK;
/* Option tag: 0 (*present = 0) or 1 (*present = 1); anything else is an error. */
int tk_borsh_read_option(tk_borsh_reader *r, int *present, const char *field) TK_MUST_CHECK;
/* TK_OK when the whole input was consumed, else TK_ERR_INPUT naming `what`. */
int tk_borsh_read_end(const tk_borsh_reader *r, const char *what) TK_MUST_CHECK;

typedef struct {
    unsigned char *p;
    size_t cap;
    size_t len; /* bytes written so far, counted past cap */
    int err;    /* a length did not fit a u32 */
} tk_borsh_writer;

/* out may be NULL with cap 0 to measure. */
void tk_borsh_writer_init(tk_borsh_writer *w, unsigned char *out, size_t cap);
void tk_borsh_write_u8(tk_borsh_writer *w, uint8_t v);
void tk_borsh_write_u32(tk_borsh_writer *w, uint32_t v);
void tk_borsh_write_u64(tk_borsh_writer *w, uint64_t v);
void tk_borsh_write_fixed(tk_borsh_writer *w, const void *data, size_t n);
/* u32 length then the bytes (Vec<u8> and String). */
void tk_borsh_write_bytes(tk_borsh_writer *w, const void *data, size_t n);
/* Returns TK_OK with *written = the length, TK_ERR_BUFFER with *written = the size needed, or
 * TK_ERR_RANGE if a length did not fit a u32. */
int tk_borsh_writer_finish(const tk_borsh_writer *w, size_t *written) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_BORSH_H */
