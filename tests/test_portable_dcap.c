/*
 * The portable DCAP verifier (src/portable, freestanding) against the native OpenSSL one, in
 * process: every shared vector at times inside, at the edges of and outside its window, the
 * v5 and SGX quotes; simulated quotes under a development root (accepted only with that root,
 * as DER or PEM); and signed-but-changed collateral and quotes that Intel's signatures would
 * never let through: TCB info and QE identity texts edited and re-signed with the development
 * TCB signing key (statuses, advisory ids, TDX module levels, FMSPC, malformed JSON) and
 * quotes re-signed with the development attestation key (debug TD, SEPT_VE_DISABLE cleared).
 * Every case must give both verifiers the same code, status, advisory ids, failure check and
 * byte-identical verdict JSON. Also unit checks of the building blocks (JSON reader, times).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "teekeys/attest.h"
#include "teekeys/attest_sim.h"
#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"
#include "teekeys/portable_dcap.h"
#include "util_p256.h"

#define T_IN 1751000000

static tk_pc_dcap_work work;
static char tmp[64], dir[128];
static int n_cases;

static unsigned char *read_all(const char *rel, size_t *len)
{
    char path[512];
    unsigned char *b = NULL;
    FILE *f = fopen(test_shared_path(path, sizeof path, rel), "rb");
    long n;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* Runs both verifiers and requires one verdict. Returns the common code. */
static int both(const unsigned char *q, size_t qlen, const char *coll, size_t clen, int64_t now,
                const unsigned char *root, size_t rlen, unsigned accepted)
{
    tk_attest_verdict v;
    tk_pc_dcap_verdict pv;
    char *nj = NULL, pj[4096];
    size_t written = 0;
    int rc = tk_attest_verify_quote(&v, q, qlen, coll, clen, now, root, rlen, accepted);
    const char *err = rc == TK_OK ? "" : tk_errmsg();
    int prc =
        tk_pc_dcap_verify_json_var(&work, &pv, q, qlen, coll, clen, now, root, rlen, accepted);
    n_cases++;
    if (rc != prc || strncmp(err, pv.what, strlen(pv.what)) != 0) {
        fprintf(stderr, "native %d \"%s\" / portable %d \"%s: %s\"\n", rc, err, prc, pv.what,
                pv.detail);
    }
    assert_int_equal(rc, prc);
    assert_int_equal(strncmp(err, pv.what, strlen(pv.what)), 0);
    assert_int_equal(v.checks_passed, pv.checks_passed);
    assert_int_equal(v.n_advisories, pv.n_advisories);
    for (size_t i = 0; i < v.n_advisories; i++) {
        assert_string_equal(v.advisory_ids[i], pv.advisory_ids[i]);
    }
    assert_int_equal(tk_attest_verdict_to_json(&nj, &v, rc == TK_OK), TK_OK);
    assert_int_equal(tk_pc_dcap_verdict_json(pj, sizeof pj, &written, &pv, prc == TK_PC_OK),
                     TK_PC_OK);
    assert_string_equal(nj, pj);
    assert_int_equal(written, strlen(nj));
    free(nj);
    return rc;
}

static void test_vectors(void **state)
{
    static const int64_t times[] = {0,          1750329146, 1750329147, T_IN,       1752919234,
                                    1752919235, 1752919236, 1760000000, 1772000000, 2000000000};
    size_t ql, cl, vl, vcl, sl, scl;
    unsigned char *q = read_all("tdx/tdx_quote", &ql);
    unsigned char *c = read_all("tdx/tdx_quote_collateral.json", &cl);
    unsigned char *v5 = read_all("tdx/tdx_quote_outdated", &vl);
    unsigned char *v5c = read_all("tdx/tdx_quote_outdated_collateral.json", &vcl);
    unsigned char *sgx = read_all("tdx/sgx_quote", &sl);
    unsigned char *sgxc = read_all("tdx/sgx_quote_collateral.json", &scl);
    (void)state;
    assert_int_equal(both(q, ql, (char *)c, cl, T_IN, NULL, 0, 0), TK_OK);
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        int rc = both(q, ql, (char *)c, cl, times[i], NULL, 0, 0);
        assert_int_equal(rc,
                         times[i] >= 1750329147 && times[i] <= 1752919234 ? TK_OK : TK_ERR_RANGE);
        (void)both(v5, vl, (char *)v5c, vcl, times[i], NULL, 0, 0);
        (void)both(v5, vl, (char *)v5c, vcl, times[i], NULL, 0, 0xff);
        (void)both(q, ql, (char *)v5c, vcl, times[i], NULL, 0, 0);
    }
    /* an accepted-status mask */
    assert_int_equal(both(q, ql, (char *)c, cl, T_IN, NULL, 0, TK_PC_ACCEPT(4)), TK_ERR_RANGE);
    /* the SGX quote is refused at parse time, before any collateral or time check */
    assert_int_equal(both(sgx, sl, (char *)sgxc, scl, 0, NULL, 0, 0), TK_ERR_UNSUPPORTED);
    assert_int_equal(both(sgx, sl, (char *)sgxc, scl, T_IN, NULL, 0, 0), TK_ERR_UNSUPPORTED);
    /* broken collateral JSON */
    assert_int_equal(both(q, ql, "{}", 2, T_IN, NULL, 0, 0), TK_ERR_INPUT);
    assert_int_equal(both(q, ql, "[1]", 3, T_IN, NULL, 0, 0), TK_ERR_INPUT);
    assert_int_equal(both(q, ql, (char *)c, cl - 1, T_IN, NULL, 0, 0), TK_ERR_INPUT);
    free(q);
    free(c);
    free(v5);
    free(v5c);
    free(sgx);
    free(sgxc);
}

/* ---- simulated quotes and re-signed collateral ---- */

static EVP_PKEY *sim_key(const char *name)
{
    char path[256];
    FILE *f;
    EVP_PKEY *k;
    snprintf(path, sizeof path, "%s/%s.key", dir, name);
    f = fopen(path, "r");
    assert_non_null(f);
    k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(k);
    return k;
}

/* Collateral JSON with member `member` replaced by `text`, re-signed when it is a signed one. */
static char *resign(const char *coll, const char *member, const char *text, EVP_PKEY *tcb_key)
{
    json_t *o = json_loads(coll, 0, NULL);
    unsigned char sig[64];
    char hex[129], sig_member[64], *out;
    assert_non_null(o);
    json_object_set_new(o, member, json_string(text));
    snprintf(sig_member, sizeof sig_member, "%s_signature", member);
    if (json_object_get(o, sig_member) != NULL) {
        test_p256_sign_raw(sig, tcb_key, text, strlen(text));
        for (int i = 0; i < 64; i++) {
            snprintf(hex + 2 * i, 3, "%02x", sig[i]);
        }
        json_object_set_new(o, sig_member, json_string(hex));
    }
    out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return out;
}

/* Replaces the first occurrence of `from` by `to` in s (a new string). */
static char *subst(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    char *out;
    assert_non_null(at);
    out = malloc(strlen(s) - strlen(from) + strlen(to) + 1);
    assert_non_null(out);
    memcpy(out, s, (size_t)(at - s));
    strcpy(out + (at - s), to);
    strcat(out, at + strlen(from));
    return out;
}

static void test_sim(void **state)
{
    tk_attest_evidence ev;
    unsigned char rd[64] = {7}, *root = NULL;
    size_t root_len = 0;
    char *coll = NULL, *root_pem;
    int64_t now = (int64_t)time(NULL);
    EVP_PKEY *tcb_key, *ak;
    json_t *cj;
    const char *tcb_info, *qe_identity;
    (void)state;
    assert_int_equal(tk_attest_sim_init(dir), TK_OK);
    assert_int_equal(tk_attest_sim_quote(&ev, dir, rd), TK_OK);
    assert_int_equal(tk_attest_sim_collateral(&coll, dir, now), TK_OK);
    assert_int_equal(tk_attest_sim_root(&root, &root_len, dir), TK_OK);

    /* accepted only with the development root, as DER or PEM */
    assert_int_equal(both(ev.quote, ev.quote_len, coll, strlen(coll), now, root, root_len, 0),
                     TK_OK);
    assert_int_not_equal(both(ev.quote, ev.quote_len, coll, strlen(coll), now, NULL, 0, 0), TK_OK);
    {
        char path[256];
        size_t n = 0;
        FILE *f;
        snprintf(path, sizeof path, "%s/root.pem", dir);
        f = fopen(path, "r");
        assert_non_null(f);
        root_pem = calloc(1, 8192);
        n = fread(root_pem, 1, 8191, f);
        fclose(f);
        assert_int_equal(
            both(ev.quote, ev.quote_len, coll, strlen(coll), now, (unsigned char *)root_pem, n, 0),
            TK_OK);
        free(root_pem);
    }
    /* outside the collateral window */
    (void)both(ev.quote, ev.quote_len, coll, strlen(coll), now - 7200, root, root_len, 0);
    (void)both(ev.quote, ev.quote_len, coll, strlen(coll), now + 40 * 86400, root, root_len, 0);

    tcb_key = sim_key("tcb");
    ak = sim_key("ak");
    cj = json_loads(coll, 0, NULL);
    tcb_info = json_string_value(json_object_get(cj, "tcb_info"));
    qe_identity = json_string_value(json_object_get(cj, "qe_identity"));
    {
        /* TCB info edits, each re-signed */
        static const char *const edits[][2] = {
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":"
                                              "[\"INTEL-SA-00837\",\"INTEL-SA-00106\"]}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"SWHardeningNeeded\",\"advisoryIDs\""
                                              ":[\"B\",\"A\",\"B\",\"\\u0041\\n\\\"x\"]}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"ConfigurationNeeded\"}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"Revoked\"}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"Bogus\"}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"UpToDate\",\"advisoryIDs\":[]}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"UpToDate\",\"advisoryIDs\":[1]}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"UpToDate\",\"advisoryIDs\":null}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}",
             "\"tcbStatus\":\"UpToDate\",\"advisoryIDs\":[\"0123456789012345678901234567890\"]}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}",
             "\"tcbStatus\":\"UpToDate\",\"advisoryIDs\":[\"01234567890123456789012345678901\"]}]}"},
            {"\"tcbStatus\":\"UpToDate\"}]}]", "\"tcbStatus\":\"OutOfDate\"}]}]"},
            {"\"tcbType\":0", "\"tcbType\":1"},
            {"\"tcbType\":0", "\"tcbType\":0.0"},
            {"\"tcbType\":0", "\"tcbType\":-0"},
            {"\"tcbType\":0", "\"tcbType\":0,\"tcbType\":0"},
            {"\"version\":3", "\"version\":2"},
            {"\"version\":3", "\"version\":3e0"},
            {"\"version\":3", "\"version\":1e999"},
            {"\"version\":3", "\"version\":99999999999999999999"},
            {"\"id\":\"TDX\"", "\"id\":\"SGX\""},
            {"\"id\":\"TDX\"", "\"i\\u0064\":\"TDX\""},
            {"\"id\":\"TDX\"", "\"id\":\"TD\\u0000X\""},
            {"\"id\":\"TDX\"", "\"id\":\"TDX\\ud800\""},
            {"\"pceId\":\"0000\"", "\"pceId\":\"0001\""},
            {"\"pceId\":\"0000\"", "\"pceId\":\"000\""},
            {"\"fmspc\":\"", "\"fmspc\":\"F"},
            {"\"isvsvn\":", "\"isvsvn\":100"},
            {"\"isvsvn\":", "\"isvsvn\":-"},
            {"\"TDX_01\"", "\"TDX_02\""},
            {"\"tdxModuleIdentities\":[", "\"tdxModuleIdentities\":[{},"},
            {"\"tdxModuleIdentities\"", "\"tdxModuleIdentitie\""},
            {"\"tdxModule\":", "\"tdxModul\":"},
            {"\"attributesMask\":\"FFFFFFFFFFFFFFFF\"}",
             "\"attributesMask\":\"0000000000000000\"}"},
            {"\"mrsigner\":\"0", "\"mrsigner\":\"1"},
            {"\"pcesvn\":", "\"pcesvn\":1"},
            {"{\"svn\":", "{\"svn\":25"},
            {"{\"svn\":", "{\"svn\":\"1\",\"x\":"},
            {"\"issueDate\":\"", "\"issueDate\":\"x"},
            {"Z\",\"nextUpdate\"", ".5Z\",\"nextUpdate\""},
            {"\"nextUpdate\":\"2", "\"nextUpdate\":\"1"},
            {"}]}]", "}]}] "},
            {"}]}]", "}]}],"},
            {"{\"id\"", "[{\"id\""},
        };
        for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
            char *t = subst(tcb_info, edits[i][0], edits[i][1]);
            char *c2 = resign(coll, "tcb_info", t, tcb_key);
            (void)both(ev.quote, ev.quote_len, c2, strlen(c2), now, root, root_len, 0);
            (void)both(ev.quote, ev.quote_len, c2, strlen(c2), now, root, root_len, 0x7f);
            free(c2);
            free(t);
        }
    }
    {
        static const char *const edits[][2] = {
            {"\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"Q\"]"},
            {"\"tcbStatus\":\"UpToDate\"", "\"tcbStatus\":\"Revoked\""},
            {"\"isvprodid\":2", "\"isvprodid\":3"},
            {"\"miscselectMask\":\"FFFFFFFF\"", "\"miscselectMask\":\"FFFFFFF\""},
            {"\"miscselect\":\"00000000\"", "\"miscselect\":\"00000001\""},
            {"\"attributes\":\"1", "\"attributes\":\"3"},
            {"\"mrsigner\":\"D", "\"mrsigner\":\"E"},
            {"\"isvsvn\":", "\"isvsvn\":9"},
            {"\"id\":\"TD_QE\"", "\"id\":\"QE\""},
            {"\"version\":2", "\"version\":\"2\""},
        };
        for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
            char *t = subst(qe_identity, edits[i][0], edits[i][1]);
            char *c2 = resign(coll, "qe_identity", t, tcb_key);
            (void)both(ev.quote, ev.quote_len, c2, strlen(c2), now, root, root_len, 0x7f);
            free(c2);
            free(t);
        }
    }
    {
        /* quotes re-signed by the attestation key: debug TD, SEPT_VE_DISABLE cleared, and
         * the TDX module major version / minor SVN changed */
        static const size_t offs[] = {48 + 120, 48 + 123, 48 + 1, 48 + 0, 48 + 2};
        static const unsigned char xors[] = {0x01, 0x10, 0x01, 0x07, 0x05};
        tk_attest_quote pq;
        for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++) {
            unsigned char *q2 = malloc(ev.quote_len);
            memcpy(q2, ev.quote, ev.quote_len);
            q2[offs[i]] ^= xors[i];
            assert_int_equal(tk_attest_quote_parse(&pq, q2, ev.quote_len), TK_OK);
            test_p256_sign_raw(q2 + pq.signed_len + 4, ak, q2, pq.signed_len);
            assert_int_not_equal(
                both(q2, ev.quote_len, coll, strlen(coll), now, root, root_len, 0x7f), 99);
            free(q2);
        }
    }
    json_decref(cj);
    EVP_PKEY_free(tcb_key);
    EVP_PKEY_free(ak);
    free(coll);
    free(root);
    tk_attest_evidence_free(&ev);
}

/* ---- building blocks ---- */

static void test_json(void **state)
{
    static const char *const good[] = {
        "{}",
        "[]",
        " [1, -0, 0.5e-3, 1E+2, true, false, null, \"\\u00e9\\ud83d\\ude00\"] ",
        "{\"a\":{\"b\":[{}]},\"c\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}",
        "[9223372036854775807, -9223372036854775808, 1.7976931348623157e308]",
        "{\"\\u0061\":1,\"b\":1}",
    };
    static const char *const bad[] = {
        "",
        "1",
        "\"x\"",
        "{",
        "{\"a\"}",
        "{\"a\":}",
        "[1,]",
        "[01]",
        "[1.]",
        "[.5]",
        "[1e]",
        "[-]",
        "[+1]",
        "[tru]",
        "[\"\\x\"]",
        "[\"\\u00\"]",
        "[\"\\u0000\"]",
        "[\"\\udc00\"]",
        "[\"\\ud800\"]",
        "[\"\\ud800\\u0041\"]",
        "[\"\x01\"]",
        "[\"\xc0\xaf\"]",
        "[\"\xed\xa0\x80\"]",
        "[9223372036854775808]",
        "[-9223372036854775809]",
        "[1.7976931348623159e308]",
        "[1e309]",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}",
        "[1] x",
        "[1]]",
        "{\"a\" 1}",
        "[1 2]",
    };
    (void)state;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_error_t e;
        json_t *j = json_loadb(good[i], strlen(good[i]), JSON_REJECT_DUPLICATES, &e);
        assert_non_null(j);
        json_decref(j);
        assert_int_equal(tk_pc_json_check(&work, good[i], strlen(good[i])), TK_PC_OK);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_error_t e;
        json_t *j = json_loadb(bad[i], strlen(bad[i]), JSON_REJECT_DUPLICATES, &e);
        if (j != NULL) {
            fprintf(stderr, "jansson accepts %s\n", bad[i]);
        }
        assert_null(j);
        assert_int_equal(tk_pc_json_check(&work, bad[i], strlen(bad[i])), TK_PC_ERR_INPUT);
    }
    {
        /* deep nesting: jansson's limit is 2048 */
        char deep[4200];
        for (int d = 2047; d <= 2049; d++) {
            json_error_t e;
            json_t *j;
            memset(deep, '[', (size_t)d);
            memset(deep + d, ']', (size_t)d);
            j = json_loadb(deep, 2 * (size_t)d, JSON_REJECT_DUPLICATES, &e);
            assert_int_equal(tk_pc_json_check(&work, deep, 2 * (size_t)d) == TK_PC_OK, j != NULL);
            json_decref(j);
        }
    }
}

static void test_pck_ext(void **state)
{
    size_t ql;
    unsigned char *q = read_all("tdx/tdx_quote", &ql);
    tk_attest_quote pq;
    const char *b, *e;
    unsigned char der[2048], fmspc[6], pceid[2], svn[16];
    size_t n = 0, k = 0;
    uint16_t pcesvn = 0;
    char b64[4096];
    (void)state;
    assert_int_equal(tk_attest_quote_parse(&pq, q, ql), TK_OK);
    b = strstr(pq.pck_chain_pem, "-----BEGIN CERTIFICATE-----") + 27;
    e = strstr(b, "-----END");
    for (const char *p = b; p < e; p++) {
        if (*p != '\n') {
            b64[k++] = *p;
        }
    }
    assert_int_equal(tk_base64_decode(der, sizeof der, &n, b64, k), TK_OK);
    assert_int_equal(tk_pc_x509_check(&work, der, n), TK_PC_OK);
    assert_int_equal(tk_pc_x509_check(&work, der, n - 1), TK_PC_ERR_INPUT);
    assert_int_equal(tk_pc_pck_ext(fmspc, pceid, svn, &pcesvn, &work, der, n), TK_PC_OK);
    assert_memory_equal(fmspc, "\xb0\xc0\x6f\x00\x00\x00", 6);
    assert_memory_equal(pceid, "\x00\x00", 2);
    assert_int_equal(pcesvn, 11);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_pck_ext),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_sim),
    };
    int rc;
    if (tk_init() != TK_OK || test_tmpdir(tmp, sizeof tmp, "pdcap") != 0) {
        return 1;
    }
    snprintf(dir, sizeof dir, "%s/pki", tmp);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    fprintf(stderr, "test_portable_dcap: %d differential cases\n", n_cases);
    test_rmdir(tmp);
    return rc;
}
