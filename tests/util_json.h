/*
 * JSON helpers for the cmocka tests that read vector files with jansson: loading a file from
 * ../shared/vectors and decoding a hex string member, both failing the test on bad input.
 */
#ifndef TK_TESTS_UTIL_JSON_H
#define TK_TESTS_UTIL_JSON_H

#include <jansson.h>

#include "util.h"

/* The parsed JSON of ../shared/vectors/<rel>; fails the test if it is missing or not JSON.
 * The caller json_decref()s it. */
static inline json_t *test_shared_json(const char *rel)
{
    char path[512];
    json_t *doc = json_load_file(test_shared_path(path, sizeof path, rel), 0, NULL);
    assert_non_null(doc);
    return doc;
}

/* Decodes the hex string member `key` of object v (an optional 0x prefix allowed) into exactly
 * n bytes at out; fails the test if it is missing, not hex or another length. */
static inline void test_json_unhex(unsigned char *out, size_t n, const json_t *v, const char *key)
{
    const char *h = json_string_value(json_object_get(v, key));
    assert_non_null(h);
    assert_int_equal(tk_hex_decode_exact(out, n, h, strlen(h), TK_HEX_ALLOW_0X), TK_OK);
}

#endif
