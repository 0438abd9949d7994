/*
 * Master secret source tests: the strict backup text form, the environment source (and that
 * it wipes the variable), private backup files, the sealed source end to end with the sim
 * provider, and the refusal of unknown sources and mismatched providers.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "teekeys/master.h"
#include "util.h"

static char dir[64];
static const char *hex42 = "4242424242424242424242424242424242424242424242424242424242424242";

static int setup(void **state)
{
    (void)state;
    return test_tmpdir(dir, sizeof dir, "master");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmdir(dir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static void test_hex_form(void **state)
{
    tk_master m;
    char buf[80];
    (void)state;
    assert_int_equal(tk_master_init(&m), TK_OK);
    assert_int_equal(tk_master_from_hex(&m, hex42, 64), TK_OK);
    assert_int_equal(m.bytes[0], 0x42);
    snprintf(buf, sizeof buf, "%s\n", hex42);
    assert_int_equal(tk_master_from_hex(&m, buf, 65), TK_OK);
    snprintf(buf, sizeof buf, "%s\n\n", hex42);
    assert_int_equal(tk_master_from_hex(&m, buf, 66), TK_ERR_INPUT);
    assert_int_equal(tk_master_from_hex(&m, hex42, 62), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "got 62 characters"));
    snprintf(buf, sizeof buf, "%s42", hex42);
    assert_int_equal(tk_master_from_hex(&m, buf, 66), TK_ERR_INPUT); /* never truncated */
    snprintf(buf, sizeof buf, "0x%.62s", hex42);
    assert_int_equal(tk_master_from_hex(&m, buf, 64), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "not hex"));
    assert_null(strstr(tk_errmsg(), "4242")); /* never echoes the secret */
    assert_int_equal(tk_master_generate(&m), TK_OK);
    assert_string_equal(m.source, "generated");
    tk_master_free(&m);
    tk_master_free(&m);
}

static void test_env_source(void **state)
{
    tk_master m;
    tk_master_options opt = {0};
    char *env;
    (void)state;
    assert_int_equal(tk_master_init(&m), TK_OK);
    unsetenv(TK_MASTER_ENV);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_NOT_FOUND);
    setenv(TK_MASTER_ENV, hex42, 1);
    env = getenv(TK_MASTER_ENV);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_OK);
    assert_string_equal(m.source, "backup");
    assert_int_equal(m.bytes[31], 0x42);
    assert_null(getenv(TK_MASTER_ENV));
    assert_int_equal(env[0], 0); /* the old value was wiped in place */
    setenv(TK_MASTER_ENV, "abc", 1);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), TK_MASTER_ENV ": master secret must be exactly 64"));
    assert_int_equal(tk_master_load(&m, "nope", &opt), TK_ERR_INPUT);
    assert_null(tk_master_source_find("ckd-not-yet"));
    tk_master_free(&m);
}

static void test_file_source(void **state)
{
    tk_master m;
    tk_master_options opt = {0};
    char path[128], text[80];
    (void)state;
    assert_int_equal(tk_master_init(&m), TK_OK);
    snprintf(path, sizeof path, "%s/backup.hex", dir);
    opt.backup_file = path;
    snprintf(text, sizeof text, "%s\n", hex42);
    write_file(path, text, 0644);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_PERM);
    chmod(path, 0600);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_OK);
    write_file(path, "1234", 0600);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "backup.hex"));
    memset(text, 'a', 79);
    text[79] = 0;
    write_file(path, text, 0600);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_INPUT);
    {
        char big[200];
        memset(big, 'a', 199);
        big[199] = 0;
        write_file(path, big, 0600);
        assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_INPUT);
        assert_non_null(strstr(tk_errmsg(), "too long"));
    }
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_equal(tk_master_load(&m, "backup", &opt), TK_ERR_NOT_FOUND);
    tk_master_free(&m);
}

static void test_sealed_source(void **state)
{
    tk_master m, back;
    tk_master_options opt = {0};
    char blob[128], key[128];
    unsigned char raw[TK_SEAL_BLOB_LEN + 8];
    size_t n;
    FILE *f;
    (void)state;
    assert_int_equal(tk_master_init(&m), TK_OK);
    assert_int_equal(tk_master_init(&back), TK_OK);
    assert_int_equal(tk_master_generate(&m), TK_OK);
    snprintf(blob, sizeof blob, "%s/master.sealed", dir);
    snprintf(key, sizeof key, "%s/sim-key.NOT-HARDWARE-BOUND", dir);
    opt.sealed_blob = blob;
    opt.provider = TK_SEAL_PROVIDER_SIM;
    opt.seal.sim_key_file = key;
    opt.seal.sim_create = 1;
    assert_int_equal(tk_master_seal(&m, &opt, 0), TK_OK);
    assert_int_equal(tk_master_seal(&m, &opt, 0), TK_ERR_PERM); /* no silent overwrite */
    opt.seal.sim_create = 1; /* unsealing ignores it and never creates a key */
    assert_int_equal(tk_master_load(&back, "sealed", &opt), TK_OK);
    assert_string_equal(back.source, "sealed");
    assert_memory_equal(back.bytes, m.bytes, 32);
    opt.provider = TK_SEAL_PROVIDER_DSTACK;
    assert_int_equal(tk_master_load(&back, "sealed", &opt), TK_ERR_RANGE);
    opt.provider = TK_SEAL_PROVIDER_SIM;
    /* a truncated or extended file is refused */
    assert_int_equal(tk_file_read_into(raw, sizeof raw, &n, blob, 0), TK_OK);
    assert_int_equal(tk_file_write_atomic(blob, raw, n - 1, 0600, 0), TK_OK);
    assert_int_equal(tk_master_load(&back, "sealed", &opt), TK_ERR_INPUT);
    f = fopen(blob, "w");
    fwrite(raw, 1, n, f);
    fwrite("junk-junk", 1, 9, f);
    fclose(f);
    assert_int_equal(tk_master_load(&back, "sealed", &opt), TK_ERR_INPUT);
    /* the sealing key file went missing: no new key is invented */
    assert_int_equal(tk_file_write_atomic(blob, raw, n, 0600, 0), TK_OK);
    assert_int_equal(tk_master_load(&back, "sealed", &opt), TK_OK);
    unlink(key);
    assert_int_equal(tk_master_load(&back, "sealed", &opt), TK_ERR_NOT_FOUND);
    assert_int_equal(access(key, F_OK), -1);
    tk_master_free(&m);
    tk_master_free(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex_form),
        cmocka_unit_test(test_env_source),
        cmocka_unit_test(test_file_source),
        cmocka_unit_test(test_sealed_source),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, setup, teardown);
}
