/*
 * Small helpers shared by the cmocka tests: hex comparison with readable failures, vector
 * file paths (tests/vectors/ in the repo, ../shared/vectors beside it) and JSON loading.
 */
#ifndef TK_TESTS_UTIL_H
#define TK_TESTS_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

/* splitmix64 over *state: reproducible test randomness from a fixed seed, never for keys. */
static inline uint64_t test_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Fills `len` bytes at `out` from test_rng_next(state). */
static inline void test_rand_bytes(uint64_t *state, unsigned char *out, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        out[i] = (unsigned char)test_rng_next(state);
    }
}

/* Path of a file in ../shared/vectors (TK_SHARED_DIR set by CTest, else ../shared). */
static inline const char *test_shared_path(char *buf, size_t cap, const char *rel)
{
    const char *dir = getenv("TK_SHARED_DIR");
    snprintf(buf, cap, "%s/vectors/%s", dir ? dir : "../shared", rel);
    return buf;
}

/* Looks up `name` in a text vector file of "name value" lines (tests/vectors/<chain>/NAME.txt)
 * and returns the value (a static buffer, valid until the next call); fails the test if the
 * name is missing. */
static inline const char *test_vector_line(const char *file, const char *name)
{
    static char text[65536], loaded[256], line[16384];
    const char *p = text;
    size_t n = strlen(name);
    if (strcmp(loaded, file) != 0) {
        FILE *f = fopen(file, "r");
        size_t got;
        assert_non_null(f);
        got = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        assert_true(got < sizeof text - 1);
        text[got] = '\0';
        snprintf(loaded, sizeof loaded, "%s", file);
    }
    while ((p = strstr(p, name)) != NULL) {
        if ((p == text || p[-1] == '\n') && p[n] == ' ') {
            const char *end = strchr(p, '\n');
            size_t len = end ? (size_t)(end - p - n - 1) : strlen(p + n + 1);
            assert_true(len < sizeof line);
            memcpy(line, p + n + 1, len);
            line[len] = '\0';
            return line;
        }
        p += n;
    }
    fail_msg("vector %s missing from %s", name, file);
    return NULL;
}

/* The key pair every chain vector file names "seed"/"pub": checks that libsodium derives the
 * recorded public key from the recorded seed. Out: sk (libsodium layout). */
#define test_vector_keypair(sk, file)                                                              \
    do {                                                                                           \
        unsigned char tv_seed_[32], tv_pk_[32], tv_want_[32];                                      \
        test_unhex(tv_seed_, sizeof tv_seed_, test_vector_line((file), "seed"));                   \
        assert_int_equal(crypto_sign_seed_keypair(tv_pk_, (sk), tv_seed_), 0);                     \
        test_unhex(tv_want_, sizeof tv_want_, test_vector_line((file), "pub"));                    \
        assert_memory_equal(tv_pk_, tv_want_, 32);                                                 \
    } while (0)

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
