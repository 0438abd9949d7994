/*
 * Sealed master tests: blob round trip, rejection of every single-byte modification, of
 * truncated/extended blobs, other versions and other providers; the sim provider's key file
 * (creation, 0600, refusal of readable or malformed files); the dstack provider against a
 * fake guest agent on a unix socket; and the dstack client's error handling.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "fake_dstack.h"
#include "teekeys/dstack.h"
#include "teekeys/seal.h"
#include "util.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir(dir, sizeof dir, "seal");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmdir(dir);
}

static void test_blob(void **state)
{
    unsigned char key[32], other[32], secret[32], out[32], blob[TK_SEAL_BLOB_LEN],
        again[TK_SEAL_BLOB_LEN];
    tk_seal_provider_id id;
    (void)state;
    tk_random(key, 32);
    tk_random(other, 32);
    tk_random(secret, 32);
    assert_int_equal(tk_seal_encrypt(blob, key, TK_SEAL_PROVIDER_SIM, secret), TK_OK);
    assert_memory_equal(blob, "TKSEAL\x01\x02", 8);
    assert_int_equal(tk_seal_blob_provider(&id, blob, sizeof blob), TK_OK);
    assert_int_equal(id, TK_SEAL_PROVIDER_SIM);
    assert_int_equal(tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob), TK_OK);
    assert_memory_equal(out, secret, 32);
    /* fresh nonce every time */
    assert_int_equal(tk_seal_encrypt(again, key, TK_SEAL_PROVIDER_SIM, secret), TK_OK);
    assert_memory_not_equal(blob + 8, again + 8, 12);
    /* every bit flip anywhere is refused, and the output is wiped */
    for (size_t i = 0; i < sizeof blob; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            int rc;
            blob[i] ^= (unsigned char)(1 << bit);
            memset(out, 0xaa, sizeof out);
            rc = tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob);
            assert_int_not_equal(rc, TK_OK);
            if (i >= 8) {
                assert_int_equal(rc, TK_ERR_CRYPTO);
                for (int k = 0; k < 32; k++) {
                    assert_int_equal(out[k], 0);
                }
            }
            blob[i] ^= (unsigned char)(1 << bit);
        }
    }
    assert_int_equal(tk_seal_decrypt(out, other, TK_SEAL_PROVIDER_SIM, blob, sizeof blob),
                     TK_ERR_CRYPTO);
    assert_int_equal(tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_DSTACK, blob, sizeof blob),
                     TK_ERR_RANGE);
    assert_int_equal(tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob - 1),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "truncated"));
    assert_int_equal(tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, 0), TK_ERR_INPUT);
    blob[6] = 2;
    assert_int_equal(tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_SIM, blob, sizeof blob),
                     TK_ERR_UNSUPPORTED);
    blob[6] = 1;
    blob[7] = TK_SEAL_PROVIDER_DSTACK; /* header is bound by the AAD */
    assert_int_equal(tk_seal_decrypt(out, key, TK_SEAL_PROVIDER_DSTACK, blob, sizeof blob),
                     TK_ERR_CRYPTO);
    blob[7] = 9;
    assert_int_equal(tk_seal_blob_provider(&id, blob, sizeof blob), TK_ERR_INPUT);
}

static void test_sim_provider(void **state)
{
    unsigned char k1[32], k2[32];
    char path[128];
    struct stat st;
    tk_seal_config cfg = {0};
    FILE *f;
    (void)state;
    snprintf(path, sizeof path, "%s/sim.NOT-HARDWARE-BOUND", dir);
    cfg.sim_key_file = path;
    assert_int_equal(tk_seal_key(k1, TK_SEAL_PROVIDER_SIM, &cfg), TK_ERR_NOT_FOUND);
    cfg.sim_create = 1;
    assert_int_equal(tk_seal_key(k1, TK_SEAL_PROVIDER_SIM, &cfg), TK_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_SIM, &cfg), TK_OK);
    assert_memory_equal(k1, k2, 32);
    assert_false(tk_seal_provider_hardware_bound(TK_SEAL_PROVIDER_SIM));
    assert_true(tk_seal_provider_hardware_bound(TK_SEAL_PROVIDER_DSTACK));
    chmod(path, 0640);
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_SIM, &cfg), TK_ERR_PERM);
    f = fopen(path, "w");
    fputs("not hex at all", f);
    fclose(f);
    chmod(path, 0600);
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_SIM, &cfg), TK_ERR_INPUT);
    cfg.sim_key_file = NULL;
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_SIM, &cfg), TK_ERR_ARG);
}

/* The fake agent: GetKey answers a fixed key per path, like the real agent's deterministic
 * derivation; anything else is an error in the agent's JSON shape. */
static int agent(const char *path, const char *body, char *out, size_t cap, void *ctx)
{
    int *mode = ctx;
    if (strcmp(path, "/GetKey") != 0) {
        snprintf(out, cap, "{\"error\":\"no such method\"}");
        return 404;
    }
    if (*mode == 1) {
        snprintf(out, cap, "{\"error\":\"key provider unavailable\"}");
        return 500;
    }
    if (*mode == 2) {
        snprintf(out, cap, "{\"key\":\"zz\",\"signature_chain\":[]}");
        return 200;
    }
    if (strstr(body, "\"path\":\"teekeys/seal/v1\"") == NULL ||
        strstr(body, "\"purpose\":\"teekeys-master-sealing\"") == NULL) {
        snprintf(out, cap, "{\"error\":\"unexpected request %s\"}", body);
        return 400;
    }
    snprintf(out, cap, "{\"key\":\"%s\",\"signature_chain\":[\"00\",\"11\"]}",
             "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
    return 200;
}

static void test_dstack_provider(void **state)
{
    unsigned char k1[32], k2[32], raw[64];
    char sock[128];
    size_t n;
    int mode = 0;
    char *resp;
    tk_seal_config cfg = {0};
    fake_dstack *srv;
    (void)state;
    snprintf(sock, sizeof sock, "%s/dstack.sock", dir);
    srv = fake_dstack_start(sock, agent, &mode);
    assert_non_null(srv);
    cfg.dstack_socket = sock;
    assert_int_equal(
        tk_dstack_get_key(raw, sizeof raw, &n, sock, "teekeys/seal/v1", "teekeys-master-sealing"),
        TK_OK);
    assert_int_equal(n, 32);
    assert_hex_equal(raw, 32, "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29");
    assert_int_equal(tk_seal_key(k1, TK_SEAL_PROVIDER_DSTACK, &cfg), TK_OK);
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_DSTACK, &cfg), TK_OK);
    assert_memory_equal(k1, k2, 32);
    assert_memory_not_equal(k1, raw, 32); /* HKDF-expanded, never the raw agent key */
    mode = 1;
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_DSTACK, &cfg), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "HTTP 500: key provider unavailable"));
    mode = 2;
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_DSTACK, &cfg), TK_ERR_INPUT);
    mode = 0;
    assert_int_equal(tk_dstack_call(&resp, &n, sock, "Nope", "{}"), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "HTTP 404"));
    fake_dstack_stop(srv);
    assert_int_equal(tk_seal_key(k2, TK_SEAL_PROVIDER_DSTACK, &cfg), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "unreachable"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blob),
        cmocka_unit_test(test_sim_provider),
        cmocka_unit_test(test_dstack_provider),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, setup, teardown);
}
