/*
 * Tests for src/common: error details, constant-time compare, guarded memory, process
 * hardening and the file helpers (size limits, private-mode checks, atomic and exclusive
 * writes).
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teekeys/common.h"
#include "util.h"

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir(tmpdir, sizeof tmpdir, "common");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmdir(tmpdir);
}

static void test_errors(void **state)
{
    (void)state;
    assert_int_equal(tk_fail(TK_ERR_INPUT, "bad thing %d", 7), TK_ERR_INPUT);
    assert_string_equal(tk_errmsg(), "bad thing 7");
    tk_error_clear();
    assert_string_equal(tk_errmsg(), "");
    assert_string_equal(tk_strerror(TK_OK), "success");
    assert_string_equal(tk_strerror(TK_ERR_BUFFER), "output buffer too small");
    assert_string_equal(tk_strerror(12345), "unknown error");
}

static void test_secure(void **state)
{
    unsigned char *p = tk_secure_alloc(32);
    unsigned char a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};
    (void)state;
    assert_non_null(p);
    tk_random(p, 32);
    tk_wipe(p, 32);
    for (int i = 0; i < 32; i++) {
        assert_int_equal(p[i], 0);
    }
    tk_secure_free(p);
    tk_secure_free(NULL);
    assert_true(tk_ct_equal(a, a, 4));
    assert_false(tk_ct_equal(a, b, 4));
}

static void test_bytes(void **state)
{
    tk_bytes b = {.max = 10000};
    unsigned char chunk[3000];
    (void)state;
    memset(chunk, 'x', sizeof chunk);
    assert_int_equal(tk_bytes_append(&b, chunk, sizeof chunk), TK_OK);
    assert_int_equal(tk_bytes_append(&b, chunk, sizeof chunk), TK_OK); /* grows */
    assert_int_equal(b.len, 6000);
    assert_int_equal(b.data[6000], 0);
    assert_int_equal(tk_bytes_append(&b, chunk, sizeof chunk), TK_OK);
    assert_int_equal(tk_bytes_append(&b, chunk, sizeof chunk), TK_ERR_RANGE);
    assert_int_equal(b.len, 9000);
    assert_int_equal(tk_bytes_append(&b, NULL, 0), TK_OK);
    tk_bytes_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    tk_bytes_free(&b);
}

static void test_harden(void **state)
{
    struct rlimit rl;
    (void)state;
    assert_int_equal(tk_harden_process(), TK_OK);
    assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
    assert_int_equal(rl.rlim_cur, 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

static void test_files(void **state)
{
    char path[300];
    unsigned char *data = NULL, buf[8];
    size_t len = 0;
    struct stat st;
    (void)state;

    snprintf(path, sizeof path, "%s/f", tmpdir);
    assert_int_equal(tk_file_write_atomic(path, "hello", 5, 0600, 1), TK_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* exclusive refuses to replace, non-exclusive replaces */
    assert_int_equal(tk_file_write_atomic(path, "x", 1, 0600, 1), TK_ERR_PERM);
    assert_int_equal(tk_file_write_atomic(path, "world!", 6, 0600, 0), TK_OK);
    assert_int_equal(tk_file_read(&data, &len, path, 100, TK_FILE_PRIVATE), TK_OK);
    assert_int_equal(len, 6);
    assert_string_equal((char *)data, "world!");
    free(data);
    /* size limits */
    assert_int_equal(tk_file_read(&data, &len, path, 5, 0), TK_ERR_RANGE);
    assert_int_equal(tk_file_read_into(buf, 5, &len, path, 0), TK_ERR_RANGE);
    assert_int_equal(tk_file_read_into(buf, 6, &len, path, 0), TK_OK);
    assert_int_equal(len, 6);
    /* group/world readable files are refused in private mode */
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(tk_file_read_into(buf, sizeof buf, &len, path, TK_FILE_PRIVATE), TK_ERR_PERM);
    assert_non_null(strstr(tk_errmsg(), "chmod 600"));
    assert_int_equal(tk_file_read_into(buf, sizeof buf, &len, path, 0), TK_OK);
    /* missing files and directories */
    snprintf(path, sizeof path, "%s/missing", tmpdir);
    assert_int_equal(tk_file_read(&data, &len, path, 10, 0), TK_ERR_NOT_FOUND);
    assert_int_equal(tk_file_read(&data, &len, tmpdir, 10, 0), TK_ERR_IO);
    /* no temporary files left behind */
    snprintf(path, sizeof path, "ls %s | grep -c tmp", tmpdir);
    assert_int_not_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_secure),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_harden),
        cmocka_unit_test(test_files),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, setup, teardown);
}
