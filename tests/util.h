/*
 * Small helpers shared by the cmocka tests: hex comparison with readable failures, vector
 * file paths (tests/vectors/ in the repo, ../shared/vectors beside it) and JSON loading.
 */
#ifndef TK_TESTS_UTIL_H
#define TK_TESTS_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "teekeys/encoding.h"

/* Asserts that `len` bytes at `buf` equal the lowercase hex string `hex`. */
#define assert_hex_equal(buf, len, hex)                                                            \
    do {                                                                                           \
        char tk_h_[2 * 4096 + 1];                                                                  \
        assert_true((len) <= 4096);                                                                \
        assert_int_equal(tk_hex_encode(tk_h_, sizeof tk_h_, (buf), (len)), TK_OK);                 \
        assert_string_equal(tk_h_, (hex));                                                         \
    } while (0)

/* Decodes hex that the test itself controls; fails the test on bad hex. Returns the length. */
static inline size_t test_unhex(unsigned char *out, size_t cap, const char *hex)
{
    size_t n = 0;
    assert_int_equal(tk_hex_decode(out, cap, &n, hex, strlen(hex)), TK_OK);
    return n;
}

/* Path of a file in ../shared/vectors (TK_SHARED_DIR set by CTest, else ../shared). */
static inline const char *test_shared_path(char *buf, size_t cap, const char *rel)
{
    const char *dir = getenv("TK_SHARED_DIR");
    snprintf(buf, cap, "%s/vectors/%s", dir ? dir : "../shared", rel);
    return buf;
}

/* Creates a fresh private temporary directory into dir (cap >= 32); returns 0 on success. */
static inline int test_tmpdir(char *dir, size_t cap, const char *tag)
{
    snprintf(dir, cap, "/tmp/tk-%s-XXXXXX", tag);
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes a directory made by test_tmpdir and everything in it. */
static inline int test_rmdir(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

#endif
