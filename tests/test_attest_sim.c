/*
 * Simulated attestation tests: the development PKI, a simulated quote whose RTMR3 replays from
 * its event log, collateral signed under the development root, and the verifier accepting it
 * ONLY with that root (UpToDate), refusing it against Intel's pinned root, after tampering,
 * and once the collateral expired.
 */
#include <sys/stat.h>
#include <time.h>

#include "teekeys/attest_provider.h"
#include "teekeys/attest_sim.h"
#include "teekeys/attest_verify.h"
#include "util.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    return test_tmpdir(dir, sizeof dir, "sim");
}

static int teardown(void **state)
{
    (void)state;
    return test_rmdir(dir);
}

static void test_sim(void **state)
{
    char pki[128], key[256], *coll = NULL;
    unsigned char rd[64], rtmr[4][48], *root = NULL;
    size_t root_len = 0;
    int64_t now = (int64_t)time(NULL);
    tk_attest_provider_config cfg = {0};
    tk_attest_evidence ev;
    tk_attest_event_log log;
    tk_attest_verdict v;
    tk_attest_quote q;
    struct stat st;
    (void)state;

    snprintf(pki, sizeof pki, "%s/pki", dir);
    assert_int_equal(tk_attest_sim_quote(&ev, pki, rd), TK_ERR_NOT_FOUND);
    assert_int_equal(tk_attest_sim_init(pki), TK_OK);
    assert_int_equal(tk_attest_sim_init(pki), TK_ERR_PERM); /* never replaced silently */
    snprintf(key, sizeof key, "%s/ak.key", pki);
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    for (int i = 0; i < 64; i++) {
        rd[i] = (unsigned char)(i * 3);
    }
    cfg.sim_dir = pki;
    assert_int_equal(tk_attest_quote_get(&ev, "sim", &cfg, rd), TK_OK);
    assert_int_equal(tk_attest_quote_parse(&q, ev.quote, ev.quote_len), TK_OK);
    assert_memory_equal(q.td.report_data, rd, 64);
    assert_non_null(ev.event_log);
    assert_int_equal(tk_attest_event_log_parse(&log, ev.event_log, strlen(ev.event_log)), TK_OK);
    tk_attest_event_log_replay(rtmr, &log);
    assert_memory_equal(rtmr[3], q.td.rtmr[3], 48);
    tk_attest_event_log_free(&log);

    assert_int_equal(tk_attest_sim_collateral(&coll, pki, now), TK_OK);
    assert_int_equal(tk_attest_sim_root(&root, &root_len, pki), TK_OK);
    assert_int_equal(tk_attest_verify_quote(&v, ev.quote, ev.quote_len, coll, strlen(coll), now,
                                            root, root_len, 0),
                     TK_OK);
    assert_int_equal(v.status, TK_TCB_UP_TO_DATE);
    assert_int_equal(v.root, TK_ATTEST_ROOT_DEV);
    /* never against Intel's root */
    assert_int_not_equal(
        tk_attest_verify_quote(&v, ev.quote, ev.quote_len, coll, strlen(coll), now, NULL, 0, 0),
        TK_OK);
    /* expired collateral */
    assert_int_equal(tk_attest_verify_quote(&v, ev.quote, ev.quote_len, coll, strlen(coll),
                                            now + 40 * 86400, root, root_len, 0),
                     TK_ERR_RANGE);
    /* any change to the signed report */
    ev.quote[48 + 200] ^= 1;
    assert_int_equal(tk_attest_verify_quote(&v, ev.quote, ev.quote_len, coll, strlen(coll), now,
                                            root, root_len, 0),
                     TK_ERR_CRYPTO);
    tk_attest_evidence_free(&ev);
    free(coll);
    free(root);
    cfg.sim_dir = NULL;
    assert_int_equal(tk_attest_quote_get(&ev, "sim", &cfg, rd), TK_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_sim)};
    assert_int_equal(tk_init(), TK_OK);
    return cmocka_run_group_tests(tests, setup, teardown);
}
