/*
 * Quote provider tests: dstack GetQuote against a fake guest agent replaying the recorded
 * dstack 0.6.0 response (../shared/vectors/tdx/dstack_getquote.json), and configfs-tsm
 * against a fake report directory laid out like the kernel's (provider, inblob, outblob,
 * generation). Both must refuse quotes that do not carry the requested report_data.
 */
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "fake_dstack.h"
#include "teekeys/attest_provider.h"
#include "util.h"

static char dir[64];
static char *recorded;

static int setup(void **state)
{
    char path[512];
    size_t n;
    (void)state;
    if (tk_file_read((unsigned char **)&recorded, &n,
                     test_shared_path(path, sizeof path, "tdx/dstack_getquote.json"), 1 << 20,
                     0) != TK_OK) {
        return -1;
    }
    return test_tmpdir(dir, sizeof dir, "provider");
}

static int teardown(void **state)
{
    (void)state;
    free(recorded);
    return test_rmdir(dir);
}

static int agent(const char *path, const char *body, char *out, size_t cap, void *ctx)
{
    (void)body, (void)ctx;
    if (strcmp(path, "/GetQuote") != 0) {
        snprintf(out, cap, "{\"error\":\"no such method\"}");
        return 404;
    }
    snprintf(out, cap, "%s", recorded);
    return 200;
}

static void recorded_report_data(unsigned char rd[64])
{
    json_t *doc = json_loads(recorded, 0, NULL);
    const char *hex = json_string_value(json_object_get(doc, "report_data"));
    assert_non_null(hex);
    assert_int_equal(tk_hex_decode_exact(rd, 64, hex, strlen(hex), TK_HEX_ALLOW_0X), TK_OK);
    json_decref(doc);
}

static void test_dstack(void **state)
{
    char sock[128];
    unsigned char rd[64], rtmr[4][48];
    tk_attest_provider_config cfg = {0};
    tk_attest_evidence ev;
    tk_attest_event_log log;
    tk_attest_quote q;
    fake_dstack *srv;
    (void)state;
    snprintf(sock, sizeof sock, "%s/dstack.sock", dir);
    srv = fake_dstack_start(sock, agent, NULL);
    assert_non_null(srv);
    cfg.dstack_socket = sock;
    recorded_report_data(rd);
    assert_int_equal(tk_attest_quote_get(&ev, "dstack", &cfg, rd), TK_OK);
    assert_non_null(ev.event_log);
    assert_int_equal(tk_attest_quote_parse(&q, ev.quote, ev.quote_len), TK_OK);
    assert_int_equal(tk_attest_event_log_parse(&log, ev.event_log, strlen(ev.event_log)), TK_OK);
    tk_attest_event_log_replay(rtmr, &log);
    assert_memory_equal(rtmr[3], q.td.rtmr[3], 48);
    tk_attest_event_log_free(&log);
    tk_attest_evidence_free(&ev);
    rd[0] ^= 1; /* an agent answering with a quote for other report_data is refused */
    assert_int_equal(tk_attest_quote_get(&ev, "dstack", &cfg, rd), TK_ERR_CRYPTO);
    assert_null(ev.quote);
    fake_dstack_stop(srv);
    assert_int_equal(tk_attest_quote_get(&ev, "dstack", &cfg, rd), TK_ERR_IO);
    assert_int_equal(tk_attest_quote_get(&ev, "sgx", &cfg, rd), TK_ERR_INPUT);
}

static void put(const char *entry, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", entry, name);
    assert_int_equal(tk_file_write_atomic(path, data, len, 0600, 0), TK_OK);
}

static void test_tsm(void **state)
{
    char entry[256], path[512], tsm[128];
    unsigned char *quote, rd[64], *written = NULL;
    size_t qlen, wlen;
    tk_attest_provider_config cfg = {0};
    tk_attest_evidence ev;
    (void)state;
    /* the kernel's entry: a recorded quote whose report_data we then ask for */
    assert_int_equal(tk_file_read(&quote, &qlen,
                                  test_shared_path(path, sizeof path, "tdx/tdx_quote"), 1 << 20, 0),
                     TK_OK);
    memcpy(rd, quote + 48 + 520, 64); /* v4 header + TD report 1.0 offset of report_data */
    snprintf(tsm, sizeof tsm, "%s/tsm", dir);
    assert_int_equal(mkdir(tsm, 0700), 0);
    snprintf(entry, sizeof entry, "%s/e1", tsm);
    assert_int_equal(mkdir(entry, 0700), 0);
    put(entry, "provider", "tdx_guest\n", 10);
    put(entry, "generation", "7\n", 2);
    put(entry, "inblob", "", 0);
    put(entry, "outblob", quote, qlen);
    cfg.tsm_dir = tsm;
    cfg.tsm_entry = "e1";
    assert_int_equal(tk_attest_quote_get(&ev, "tsm", &cfg, rd), TK_OK);
    assert_int_equal(ev.quote_len, qlen);
    assert_null(ev.event_log);
    tk_attest_evidence_free(&ev);
    snprintf(path, sizeof path, "%s/inblob", entry);
    assert_int_equal(tk_file_read(&written, &wlen, path, 128, 0), TK_OK);
    assert_int_equal(wlen, 64);
    assert_memory_equal(written, rd, 64);
    free(written);
    rd[5] ^= 0x80;
    assert_int_equal(tk_attest_quote_get(&ev, "tsm", &cfg, rd), TK_ERR_CRYPTO);
    put(entry, "provider", "sev_guest\n", 10);
    assert_int_equal(tk_attest_quote_get(&ev, "tsm", &cfg, rd), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "not tdx_guest"));
    put(entry, "provider", "tdx_guest\n", 10);
    put(entry, "generation", "x\n", 2);
    assert_int_equal(tk_attest_quote_get(&ev, "tsm", &cfg, rd), TK_ERR_IO);
    cfg.tsm_entry = "../escape";
    assert_int_equal(tk_attest_quote_get(&ev, "tsm", &cfg, rd), TK_ERR_INPUT);
    cfg.tsm_entry = NULL;
    cfg.tsm_dir = "/nonexistent/tsm/report";
    assert_int_equal(tk_attest_quote_get(&ev, "tsm", &cfg, rd), TK_ERR_IO);
    assert_non_null(strstr(tk_errmsg(), "configfs-tsm"));
    free(quote);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dstack),
        cmocka_unit_test(test_tsm),
    };
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, setup, teardown);
}
