/*
 * RLP encoder and strict decoder: the Ethereum wiki / Yellow Paper examples as known answers,
 * round trips, and every non-canonical or malformed form the decoder must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/mman.h>
#include <unistd.h>

#include "teekeys/rlp.h"
#include "util.h"

static void check_hex(tk_rlp_buf *b, const char *hex)
{
    assert_int_equal(tk_rlp_buf_status(b), TK_OK);
    assert_hex_equal(b->data, b->len, hex);
}

static void test_encode_known(void **state)
{
    static const char lorem[] = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
    tk_rlp_buf b;
    size_t m1, m2, m3, m4;
    unsigned char be[3] = {0x00, 0x04, 0x00};
    (void)state;

    tk_rlp_buf_init(&b);
    assert_int_equal(tk_rlp_put_bytes(&b, (const unsigned char *)"dog", 3), TK_OK);
    check_hex(&b, "83646f67");
    tk_rlp_buf_free(&b);

    tk_rlp_buf_init(&b);
    assert_int_equal(tk_rlp_list_begin(&b, &m1), TK_OK);
    assert_int_equal(tk_rlp_put_bytes(&b, (const unsigned char *)"cat", 3), TK_OK);
    assert_int_equal(tk_rlp_put_bytes(&b, (const unsigned char *)"dog", 3), TK_OK);
    assert_int_equal(tk_rlp_list_end(&b, m1), TK_OK);
    check_hex(&b, "c88363617483646f67");
    tk_rlp_buf_free(&b);

    /* empty string, empty list, integers 0, 15, 1024 (leading zero stripped), 2^64-1 */
    tk_rlp_buf_init(&b);
    (void)tk_rlp_put_bytes(&b, NULL, 0);
    (void)tk_rlp_list_begin(&b, &m1);
    (void)tk_rlp_list_end(&b, m1);
    (void)tk_rlp_put_u64(&b, 0);
    (void)tk_rlp_put_u64(&b, 15);
    (void)tk_rlp_put_uint_be(&b, be, 3);
    (void)tk_rlp_put_u64(&b, UINT64_MAX);
    (void)tk_rlp_put_bytes(&b, (const unsigned char *)"\x80", 1);
    check_hex(&b, "80c0800f82040088ffffffffffffffff8180");
    tk_rlp_buf_free(&b);

    /* the set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ] */
    tk_rlp_buf_init(&b);
    (void)tk_rlp_list_begin(&b, &m1);
    (void)tk_rlp_list_begin(&b, &m2);
    (void)tk_rlp_list_end(&b, m2);
    (void)tk_rlp_list_begin(&b, &m2);
    (void)tk_rlp_list_begin(&b, &m3);
    (void)tk_rlp_list_end(&b, m3);
    (void)tk_rlp_list_end(&b, m2);
    (void)tk_rlp_list_begin(&b, &m2);
    (void)tk_rlp_list_begin(&b, &m3);
    (void)tk_rlp_list_end(&b, m3);
    (void)tk_rlp_list_begin(&b, &m3);
    (void)tk_rlp_list_begin(&b, &m4);
    (void)tk_rlp_list_end(&b, m4);
    (void)tk_rlp_list_end(&b, m3);
    (void)tk_rlp_list_end(&b, m2);
    (void)tk_rlp_list_end(&b, m1);
    check_hex(&b, "c7c0c1c0c3c0c1c0");
    tk_rlp_buf_free(&b);

    /* 56 bytes: the long string form */
    tk_rlp_buf_init(&b);
    (void)tk_rlp_put_bytes(&b, (const unsigned char *)lorem, strlen(lorem));
    assert_int_equal(tk_rlp_buf_status(&b), TK_OK);
    assert_int_equal(b.len, 58);
    assert_int_equal(b.data[0], 0xb8);
    assert_int_equal(b.data[1], 0x38);
    assert_memory_equal(b.data + 2, lorem, 56);
    tk_rlp_buf_free(&b);
}

static void test_long_list_roundtrip(void **state)
{
    tk_rlp_buf b;
    tk_rlp_item top, it;
    tk_rlp_iter iter;
    size_t mark, count = 0;
    uint64_t v;
    (void)state;
    tk_rlp_buf_init(&b);
    (void)tk_rlp_list_begin(&b, &mark);
    for (uint64_t i = 0; i < 1000; i++) {
        (void)tk_rlp_put_u64(&b, i * 7919);
    }
    (void)tk_rlp_list_end(&b, mark);
    assert_int_equal(tk_rlp_buf_status(&b), TK_OK);
    assert_int_equal(b.data[0], 0xf9); /* payload needs a two-byte length */
    assert_int_equal(tk_rlp_decode(&top, b.data, b.len), TK_OK);
    assert_true(top.is_list);
    assert_int_equal(tk_rlp_list_count(&top), 1000);
    assert_int_equal(tk_rlp_iter_init(&iter, &top), TK_OK);
    while (tk_rlp_iter_next(&iter, &it) == TK_OK) {
        assert_int_equal(tk_rlp_get_u64(&v, &it, "x"), TK_OK);
        assert_true(v == count * 7919);
        count++;
    }
    assert_int_equal(count, 1000);
    tk_rlp_buf_free(&b);
}

static int decode_hex(const char *hex)
{
    unsigned char buf[256];
    size_t n = test_unhex(buf, sizeof buf, hex);
    tk_rlp_item item;
    return tk_rlp_decode(&item, buf, n);
}

static void test_decode_accepts(void **state)
{
    (void)state;
    assert_int_equal(decode_hex("00"), TK_OK);
    assert_int_equal(decode_hex("7f"), TK_OK);
    assert_int_equal(decode_hex("8180"), TK_OK);
    assert_int_equal(decode_hex("80"), TK_OK);
    assert_int_equal(decode_hex("c0"), TK_OK);
    assert_int_equal(decode_hex("c7c0c1c0c3c0c1c0"), TK_OK);
    assert_int_equal(decode_hex("c88363617483646f67"), TK_OK);
}

static void expect_reject(const char *hex, const char *why)
{
    assert_int_equal(decode_hex(hex), TK_ERR_INPUT);
    if (strstr(tk_errmsg(), why) == NULL) {
        fail_msg("decoding %s: detail \"%s\" lacks \"%s\"", hex, tk_errmsg(), why);
    }
}

/* Lists nested 33 deep exceed TK_RLP_MAX_DEPTH; 32 deep are fine. */
static void nest(tk_rlp_buf *b, int levels)
{
    size_t marks[64];
    tk_rlp_buf_init(b);
    for (int i = 0; i < levels; i++) {
        (void)tk_rlp_list_begin(b, &marks[i]);
    }
    for (int i = levels - 1; i >= 0; i--) {
        (void)tk_rlp_list_end(b, marks[i]);
    }
    assert_int_equal(tk_rlp_buf_status(b), TK_OK);
}

static void expect_nesting(void)
{
    tk_rlp_buf b;
    tk_rlp_item item;
    nest(&b, 33);
    assert_int_equal(tk_rlp_decode(&item, b.data, b.len), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "deeper"));
    tk_rlp_buf_free(&b);
    nest(&b, 32);
    assert_int_equal(tk_rlp_decode(&item, b.data, b.len), TK_OK);
    tk_rlp_buf_free(&b);
}

static void test_decode_rejects(void **state)
{
    (void)state;
    expect_reject("", "no item");
    expect_reject("8100", "must not be wrapped"); /* single byte < 0x80 wrapped */
    expect_reject("817f", "must not be wrapped");
    expect_reject("b80161", "long length form"); /* 1-byte string in long form */
    expect_reject("f80100", "long length form"); /* list likewise */
    expect_reject("b90038", "leading zero");     /* length with a leading zero */
    expect_reject("83646f", "past the end");     /* truncated string */
    expect_reject("c883636174", "past the end"); /* truncated list */
    expect_reject("b8", "truncated length");
    expect_reject("8080", "trailing");              /* two items */
    expect_reject("c28100", "must not be wrapped"); /* nested non-canonical item */
    expect_reject("c2c281", "past the end");        /* inner list overruns its parent */
    expect_reject("bf0102030405060708", "limit");   /* absurd length */
    expect_nesting();
}

static void test_getters(void **state)
{
    unsigned char buf[64], out[32];
    tk_rlp_item item;
    uint64_t v;
    size_t n;
    (void)state;
    n = test_unhex(buf, sizeof buf, "820400");
    assert_int_equal(tk_rlp_decode(&item, buf, n), TK_OK);
    assert_int_equal(tk_rlp_get_u64(&v, &item, "x"), TK_OK);
    assert_true(v == 1024);
    assert_int_equal(tk_rlp_get_uint_be(out, 32, &item, "x"), TK_OK);
    assert_int_equal(out[30], 0x04);
    assert_int_equal(out[0], 0);
    /* integer with a leading zero byte */
    n = test_unhex(buf, sizeof buf, "820004");
    assert_int_equal(tk_rlp_decode(&item, buf, n), TK_OK);
    assert_int_equal(tk_rlp_get_u64(&v, &item, "nonce"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "nonce"));
    /* 9-byte integer does not fit u64 */
    n = test_unhex(buf, sizeof buf, "89010000000000000000");
    assert_int_equal(tk_rlp_decode(&item, buf, n), TK_OK);
    assert_int_equal(tk_rlp_get_u64(&v, &item, "gas"), TK_ERR_INPUT);
    /* a list is not an integer or fixed bytes */
    n = test_unhex(buf, sizeof buf, "c0");
    assert_int_equal(tk_rlp_decode(&item, buf, n), TK_OK);
    assert_int_equal(tk_rlp_get_u64(&v, &item, "x"), TK_ERR_INPUT);
    assert_int_equal(tk_rlp_get_fixed(out, 20, &item, "to"), TK_ERR_INPUT);
    n = test_unhex(buf, sizeof buf, "83646f67");
    assert_int_equal(tk_rlp_decode(&item, buf, n), TK_OK);
    assert_int_equal(tk_rlp_get_fixed(out, 3, &item, "x"), TK_OK);
    assert_int_equal(tk_rlp_get_fixed(out, 4, &item, "x"), TK_ERR_INPUT);
    assert_int_equal(tk_rlp_list_count(&item), TK_ERR_INPUT);
}

static void test_misuse(void **state)
{
    tk_rlp_item item;
    size_t used;
    tk_rlp_buf b;
    (void)state;
    assert_int_equal(tk_rlp_decode(NULL, (const unsigned char *)"", 0), TK_ERR_ARG);
    assert_int_equal(tk_rlp_decode(&item, NULL, 3), TK_ERR_ARG);
    assert_int_equal(tk_rlp_decode_one(&item, NULL, (const unsigned char *)"\x80", 1), TK_ERR_ARG);
    (void)used;
    tk_rlp_buf_init(&b);
    assert_int_equal(tk_rlp_put_bytes(&b, NULL, 5), TK_ERR_ARG);
    /* the error sticks */
    assert_int_equal(tk_rlp_buf_status(&b), TK_ERR_ARG);
    assert_int_not_equal(tk_rlp_put_u64(&b, 1), TK_OK);
    tk_rlp_buf_free(&b);
}

/* Every prefix of a valid encoding, placed right before an unmapped page: the decoder must
 * refuse the truncated ones without reading past the end (a fault would crash the test). */
static void test_no_overread(void **state)
{
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *m;
    tk_rlp_buf b;
    tk_rlp_item item;
    size_t mark, inner;
    (void)state;
    m = mmap(NULL, 2 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    assert_int_equal(mprotect(m + pg, (size_t)pg, PROT_NONE), 0);
    tk_rlp_buf_init(&b);
    (void)tk_rlp_list_begin(&b, &mark);
    for (int i = 0; i < 70; i++) {
        (void)tk_rlp_put_u64(&b, (uint64_t)i << (i % 60));
    }
    (void)tk_rlp_list_begin(&b, &inner);
    (void)tk_rlp_put_bytes(
        &b, (const unsigned char *)"a longer string of more than 55 bytes, to use the long form",
        60);
    (void)tk_rlp_list_end(&b, inner);
    (void)tk_rlp_list_end(&b, mark);
    assert_int_equal(tk_rlp_buf_status(&b), TK_OK);
    assert_true(b.len < (size_t)pg);
    for (size_t k = 0; k <= b.len; k++) {
        unsigned char *p = m + pg - k;
        memcpy(p, b.data, k);
        assert_int_equal(tk_rlp_decode(&item, p, k), k == b.len ? TK_OK : TK_ERR_INPUT);
    }
    tk_rlp_buf_free(&b);
    munmap(m, 2 * (size_t)pg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_known),   cmocka_unit_test(test_long_list_roundtrip),
        cmocka_unit_test(test_decode_accepts), cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_getters),        cmocka_unit_test(test_misuse),
        cmocka_unit_test(test_no_overread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
