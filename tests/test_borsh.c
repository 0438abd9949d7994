/*
 * Tests for the borsh primitives (include/teekeys/borsh.h): little-endian integers, vectors and
 * strings with their limits, strict option tags, strict UTF-8, trailing-byte detection and the
 * writer's size reporting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "teekeys/borsh.h"
#include "util.h"

static void test_integers(void **state)
{
    const unsigned char in[] = {0x2a, 0x78, 0x56, 0x34, 0x12, 1, 2, 3, 4, 5, 6, 7, 0x88};
    tk_borsh_reader r;
    uint8_t a;
    uint32_t b;
    uint64_t c;
    (void)state;
    tk_borsh_reader_init(&r, in, sizeof in);
    assert_int_equal(tk_borsh_read_u8(&r, &a, "a"), TK_OK);
    assert_int_equal(a, 0x2a);
    assert_int_equal(tk_borsh_read_u32(&r, &b, "b"), TK_OK);
    assert_int_equal(b, 0x12345678);
    assert_int_equal(tk_borsh_read_u64(&r, &c, "c"), TK_OK);
    assert_true(c == 0x8807060504030201ull);
    assert_int_equal(tk_borsh_read_end(&r, "x"), TK_OK);
    assert_int_equal(tk_borsh_read_u8(&r, &a, "extra"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "extra: truncated"));
    tk_borsh_reader_init(&r, in, 3);
    assert_int_equal(tk_borsh_read_u32(&r, &b, "short"), TK_ERR_INPUT);
}

static void test_vectors_and_strings(void **state)
{
    unsigned char buf[64];
    tk_borsh_writer w;
    tk_borsh_reader r;
    const unsigned char *p;
    const char *s;
    size_t n, written;
    int present;
    (void)state;
    tk_borsh_writer_init(&w, buf, sizeof buf);
    tk_borsh_write_bytes(&w, "héllo", 6);
    tk_borsh_write_u8(&w, 1);
    tk_borsh_write_bytes(&w, "\x01\x02", 2);
    assert_int_equal(tk_borsh_writer_finish(&w, &written), TK_OK);
    assert_hex_equal(buf, written, "0600000068c3a96c6c6f01020000000102");
    tk_borsh_reader_init(&r, buf, written);
    assert_int_equal(tk_borsh_read_string(&r, &s, &n, 6, "name"), TK_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(s, "héllo", 6);
    assert_int_equal(tk_borsh_read_option(&r, &present, "opt"), TK_OK);
    assert_int_equal(present, 1);
    assert_int_equal(tk_borsh_read_bytes(&r, &p, &n, 2, "data"), TK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(tk_borsh_read_end(&r, "all"), TK_OK);
    /* limits */
    tk_borsh_reader_init(&r, buf, written);
    assert_int_equal(tk_borsh_read_string(&r, &s, &n, 5, "name"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "name: length 6 exceeds"));
    /* option tag other than 0/1 */
    buf[10] = 2;
    tk_borsh_reader_init(&r, buf + 10, 1);
    assert_int_equal(tk_borsh_read_option(&r, &present, "opt"), TK_ERR_INPUT);
    /* a length beyond the input */
    tk_borsh_reader_init(&r, (const unsigned char *)"\xff\xff\xff\xff", 4);
    assert_int_equal(tk_borsh_read_bytes(&r, &p, &n, SIZE_MAX, "big"), TK_ERR_INPUT);
    /* trailing bytes */
    tk_borsh_reader_init(&r, buf, 2);
    assert_int_equal(tk_borsh_read_end(&r, "thing"), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "thing: 2 trailing"));
    /* bad UTF-8 inside a string */
    tk_borsh_reader_init(&r, (const unsigned char *)"\x02\x00\x00\x00\xc0\x80", 6);
    assert_int_equal(tk_borsh_read_string(&r, &s, &n, 10, "s"), TK_ERR_INPUT);
}

static void test_writer_sizes(void **state)
{
    unsigned char small[4];
    tk_borsh_writer w;
    size_t written = 0;
    (void)state;
    tk_borsh_writer_init(&w, small, sizeof small);
    tk_borsh_write_u64(&w, 1);
    tk_borsh_write_u8(&w, 1);
    assert_int_equal(tk_borsh_writer_finish(&w, &written), TK_ERR_BUFFER);
    assert_int_equal(written, 9);
    tk_borsh_writer_init(&w, NULL, 100);
    tk_borsh_write_u32(&w, 1);
    assert_int_equal(tk_borsh_writer_finish(&w, &written), TK_ERR_BUFFER);
    assert_int_equal(written, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_vectors_and_strings),
        cmocka_unit_test(test_writer_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
