/*
 * Tests for native DCAP verification (attest_verify.h) on the shared vectors: the v4 TDX quote
 * verifies UpToDate inside its window and fails outside it; the v5 quote's chain and
 * signatures verify but no TCB level matches; the SGX quote is refused at parse time even
 * with stale collateral. Negative tests flip bits in every signed region, each signature, the
 * PCK chain and the TCB info / QE identity texts, and use a wrong root. The TCB walk and the
 * TD attributes policy are also exercised directly on edited (unsigned) TCB info texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "../src/attest/internal.h"
#include "teekeys/attest.h"
#include "teekeys/attest_verify.h"
#include "teekeys/hash.h"
#include "util.h"

#define T_INSIDE   1751000000 /* inside [1750329147, 1752919235] (vectors README) */
#define T_WIN_FROM 1750329147
#define T_WIN_UNTIL                                                                                \
    1752919234                /* README: 1752919235, the PCK CRL's nextUpdate, which OpenSSL       \
                               * already counts as expired */
#define T_OUTDATED 1772000000 /* inside [1771412331, 1774003275] */

typedef struct {
    unsigned char *quote;
    size_t quote_len;
    char *collateral;
    size_t collateral_len;
} vec;

static void load(vec *v, const char *quote_rel, const char *coll_rel)
{
    char path[512];
    assert_int_equal(tk_file_read(&v->quote, &v->quote_len,
                                  test_shared_path(path, sizeof path, quote_rel), 1u << 20, 0),
                     TK_OK);
    assert_int_equal(tk_file_read((unsigned char **)&v->collateral, &v->collateral_len,
                                  test_shared_path(path, sizeof path, coll_rel), 1u << 20, 0),
                     TK_OK);
}

static void unload(vec *v)
{
    free(v->quote);
    free(v->collateral);
}

static int verify_at(const vec *v, int64_t t, tk_attest_verdict *out)
{
    return tk_attest_verify_quote(out, v->quote, v->quote_len, v->collateral, v->collateral_len, t,
                                  NULL, 0, 0);
}

static void test_root_pin(void **state)
{
    char path[512];
    unsigned char *pem = NULL, h[32];
    size_t n;
    STACK_OF(X509) *sk = NULL;
    unsigned char *der = NULL;
    int der_len;
    (void)state;
    tk_sha256(h, tk_pc_intel_root_der, tk_pc_intel_root_der_len);
    assert_memory_equal(h, tk_pc_intel_root_sha256, 32);
    assert_hex_equal(h, 32, "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
    /* the built-in root is the vectors' intel_sgx_root_ca.pem */
    assert_int_equal(tk_file_read(&pem, &n,
                                  test_shared_path(path, sizeof path, "tdx/intel_sgx_root_ca.pem"),
                                  1u << 16, 0),
                     TK_OK);
    assert_int_equal(tk_attest_pki_load_chain(&sk, (const char *)pem, n, "root"), TK_OK);
    der_len = i2d_X509(sk_X509_value(sk, 0), &der);
    assert_int_equal((size_t)der_len, tk_pc_intel_root_der_len);
    assert_memory_equal(der, tk_pc_intel_root_der, tk_pc_intel_root_der_len);
    OPENSSL_free(der);
    sk_X509_pop_free(sk, X509_free);
    free(pem);
}

static void test_tdx_quote_uptodate(void **state)
{
    vec v;
    tk_attest_verdict r;
    (void)state;
    load(&v, "tdx/tdx_quote", "tdx/tdx_quote_collateral.json");
    assert_int_equal(verify_at(&v, T_INSIDE, &r), TK_OK);
    assert_int_equal(r.checks_passed, 1);
    assert_int_equal(r.status, TK_TCB_UP_TO_DATE);
    assert_int_equal(r.platform_status, TK_TCB_UP_TO_DATE);
    assert_int_equal(r.qe_status, TK_TCB_UP_TO_DATE);
    assert_int_equal(r.module_status, TK_TCB_UP_TO_DATE);
    assert_int_equal(r.n_advisories, 0);
    assert_int_equal(r.root, TK_ATTEST_ROOT_INTEL);
    assert_hex_equal(r.fmspc, 6, "b0c06f000000");
    assert_string_equal(tk_attest_tcb_status_name(r.status), "UpToDate");
    assert_hex_equal(r.td.mrtd, 48,
                     "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f"
                     "87f27428b2538873118b7");
    /* the window the collateral allows is the vectors' window */
    assert_int_equal(r.valid_from, T_WIN_FROM);
    assert_int_equal(r.valid_until, T_WIN_UNTIL);
    {
        char *json = NULL;
        json_t *j;
        assert_int_equal(tk_attest_verdict_to_json(&json, &r, 1), TK_OK);
        j = json_loads(json, 0, NULL);
        assert_non_null(j);
        assert_true(json_is_true(json_object_get(j, "accepted")));
        assert_string_equal(json_string_value(json_object_get(j, "status")), "UpToDate");
        assert_string_equal(json_string_value(json_object_get(j, "root")), "intel");
        assert_string_equal(json_string_value(json_object_get(j, "fmspc")), "b0c06f000000");
        assert_int_equal(json_array_size(json_object_get(j, "advisory_ids")), 0);
        assert_string_equal(json_string_value(json_object_get(j, "mrtd")),
                            "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae"
                            "6dc5f87f27428b2538873118b7");
        assert_int_equal(json_integer_value(json_object_get(j, "valid_until")), T_WIN_UNTIL);
        json_decref(j);
        free(json);
    }
    assert_int_equal(verify_at(&v, T_WIN_FROM, &r), TK_OK);
    assert_int_equal(verify_at(&v, T_WIN_UNTIL, &r), TK_OK);
    assert_int_equal(verify_at(&v, T_WIN_FROM - 1, &r), TK_ERR_RANGE);
    assert_int_equal(verify_at(&v, T_WIN_UNTIL + 1, &r), TK_ERR_RANGE);
    /* today the collateral has expired */
    assert_int_equal(verify_at(&v, (int64_t)time(NULL), &r), TK_ERR_RANGE);
    assert_int_equal(r.checks_passed, 0);
    {
        char *json = NULL;
        json_t *j;
        assert_int_equal(tk_attest_verdict_to_json(&json, &r, 0), TK_OK);
        j = json_loads(json, 0, NULL);
        assert_true(json_is_false(json_object_get(j, "accepted")));
        assert_true(json_is_null(json_object_get(j, "status")));
        assert_null(json_object_get(j, "fmspc"));
        json_decref(j);
        free(json);
    }
    unload(&v);
}

/* The verification memo (src/attest/cache.c) never changes a result: every vector at times
 * inside, at and beyond its windows, verified cold, then warm (after a success at T_INSIDE
 * filled the memo), gives the same return code and verdict. */
static void test_memo_equivalence(void **state)
{
    static const char *const vectors[][2] = {
        {"tdx/tdx_quote", "tdx/tdx_quote_collateral.json"},
        {"tdx/tdx_quote_outdated", "tdx/tdx_quote_outdated_collateral.json"}};
    static const int64_t times[] = {T_WIN_FROM - 1,  T_WIN_FROM,      T_WIN_FROM + 1,
                                    T_INSIDE,        T_WIN_UNTIL - 1, T_WIN_UNTIL,
                                    T_WIN_UNTIL + 1, T_OUTDATED,      2000000000};
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        vec v;
        load(&v, vectors[i][0], vectors[i][1]);
        for (size_t k = 0; k < sizeof times / sizeof times[0]; k++) {
            tk_attest_verdict cold, warm, fill;
            int rc_cold, rc_warm;
            tk_attest_verify_cache(0);
            memset(&cold, 0, sizeof cold);
            rc_cold = verify_at(&v, times[k], &cold);
            tk_attest_verify_cache(1);
            (void)verify_at(&v, T_INSIDE, &fill);
            (void)verify_at(&v, T_OUTDATED, &fill);
            memset(&warm, 0, sizeof warm);
            rc_warm = verify_at(&v, times[k], &warm);
            assert_int_equal(rc_warm, rc_cold);
            assert_memory_equal(&warm, &cold, sizeof cold);
        }
        unload(&v);
    }
}

static void test_outdated_no_tcb_level(void **state)
{
    vec v;
    tk_attest_verdict r;
    (void)state;
    load(&v, "tdx/tdx_quote_outdated", "tdx/tdx_quote_outdated_collateral.json");
    assert_int_equal(verify_at(&v, T_OUTDATED, &r), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "no TCB level matches"));
    assert_int_equal(r.checks_passed, 0);
    assert_int_equal(r.root, TK_ATTEST_ROOT_INTEL);
    assert_int_equal(verify_at(&v, (int64_t)time(NULL), &r), TK_ERR_RANGE);
    unload(&v);
}

static void test_sgx_rejected_before_collateral(void **state)
{
    vec v;
    tk_attest_verdict r;
    (void)state;
    load(&v, "tdx/sgx_quote", "tdx/sgx_quote_collateral.json");
    assert_int_equal(verify_at(&v, (int64_t)time(NULL), &r), TK_ERR_UNSUPPORTED);
    assert_non_null(strstr(tk_errmsg(), "SGX"));
    assert_int_equal(tk_attest_verify_quote(&r, v.quote, v.quote_len, "{}", 2, 0, NULL, 0, 0),
                     TK_ERR_UNSUPPORTED);
    unload(&v);
}

/* Flip one bit of the quote at `off` and expect a failure other than success. Returns rc. */
static int flipped_quote(const vec *v, size_t off, unsigned char bit)
{
    tk_attest_verdict r;
    unsigned char *q = malloc(v->quote_len);
    int rc;
    assert_non_null(q);
    memcpy(q, v->quote, v->quote_len);
    q[off] ^= bit;
    rc = tk_attest_verify_quote(&r, q, v->quote_len, v->collateral, v->collateral_len, T_INSIDE,
                                NULL, 0, 0);
    free(q);
    return rc;
}

static void test_flipped_quote_bits(void **state)
{
    vec v;
    tk_attest_quote q;
    size_t sig_off, ak_off, qe_off, qesig_off, auth_off, chain_off;
    (void)state;
    load(&v, "tdx/tdx_quote", "tdx/tdx_quote_collateral.json");
    assert_int_equal(tk_attest_quote_parse(&q, v.quote, v.quote_len), TK_OK);
    sig_off = q.signed_len + 4;
    ak_off = sig_off + 64;
    qe_off = ak_off + 64 + 6;
    qesig_off = qe_off + 384;
    auth_off = qesig_off + 64 + 2;
    chain_off = auth_off + q.qe_auth_len + 6;

    /* header user_data and every 7th byte of the body: the quote signature fails */
    for (size_t off = 28; off < q.signed_len; off += (off < 48 ? 1 : 7)) {
        int rc = flipped_quote(&v, off, 0x01);
        assert_int_equal(rc, TK_ERR_CRYPTO);
    }
    assert_int_equal(flipped_quote(&v, q.signed_len - 1, 0x80), TK_ERR_CRYPTO); /* report_data */
    /* the signature, the attestation key, the QE report, its signature, the auth data */
    for (size_t i = 0; i < 64; i += 5) {
        assert_int_equal(flipped_quote(&v, sig_off + i, 0x10), TK_ERR_CRYPTO);
        assert_int_equal(flipped_quote(&v, ak_off + i, 0x10), TK_ERR_CRYPTO);
        assert_int_equal(flipped_quote(&v, qesig_off + i, 0x10), TK_ERR_CRYPTO);
    }
    for (size_t i = 0; i < 384; i += 11) {
        assert_int_equal(flipped_quote(&v, qe_off + i, 0x02), TK_ERR_CRYPTO);
    }
    for (size_t i = 0; i < q.qe_auth_len; i += 3) {
        assert_int_equal(flipped_quote(&v, auth_off + i, 0x04), TK_ERR_CRYPTO);
    }
    /* the PCK chain: a flipped base64 character somewhere in each certificate body breaks it
     * (a changed certificate no longer matches its issuer's signature, or no longer parses) */
    /* The PCK chain, including the quote's copy of the root (never trusted, but it must be
     * the pinned root byte for byte): a flipped base64 letter anywhere breaks it (the changed
     * certificate no longer parses, no longer matches its issuer's signature, or is a root
     * other than the pinned one). */
    for (size_t i = 100; i < q.pck_chain_len - 100; i += 97) {
        char ch = (char)v.quote[chain_off + i];
        int rc;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) {
            continue;
        }
        rc = flipped_quote(&v, chain_off + i, 0x20); /* swaps the letter's case */
        if (rc != TK_ERR_CRYPTO && rc != TK_ERR_INPUT) {
            fail_msg("chain offset %zu: rc %d (%s)", i, rc, tk_errmsg());
        }
    }
    /* padding does not matter as long as it stays zero */
    assert_int_equal(flipped_quote(&v, v.quote_len - 1, 0x01), TK_ERR_INPUT);
    unload(&v);
}

/* Replaces the first occurrence of `from` in the collateral with `to` (same length) and
 * verifies. */
static int edited_collateral(const vec *v, const char *from, const char *to)
{
    tk_attest_verdict r;
    size_t n = v->collateral_len + strlen(to);
    char *c = malloc(n + 1), *at;
    int rc;
    assert_non_null(c);
    memcpy(c, v->collateral, v->collateral_len + 1);
    at = strstr(c, from);
    assert_non_null(at);
    memmove(at + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
    memcpy(at, to, strlen(to));
    rc = tk_attest_verify_quote(&r, v->quote, v->quote_len, c, strlen(c), T_INSIDE, NULL, 0, 0);
    free(c);
    return rc;
}

static void test_flipped_collateral(void **state)
{
    vec v;
    (void)state;
    load(&v, "tdx/tdx_quote", "tdx/tdx_quote_collateral.json");
    /* signed texts */
    assert_int_equal(edited_collateral(&v, "\\\"tcbStatus\\\":\\\"OutOfDate\\\"",
                                       "\\\"tcbStatus\\\":\\\"UpToDatex\\\""),
                     TK_ERR_CRYPTO);
    assert_int_equal(edited_collateral(&v, "\\\"pcesvn\\\":11", "\\\"pcesvn\\\":10"),
                     TK_ERR_CRYPTO);
    assert_int_equal(edited_collateral(&v, "\\\"isvprodid\\\":2", "\\\"isvprodid\\\":3"),
                     TK_ERR_CRYPTO);
    assert_int_equal(edited_collateral(&v, "\\\"fmspc\\\":\\\"B0C06F000000\\\"",
                                       "\\\"fmspc\\\":\\\"B0C06F000001\\\""),
                     TK_ERR_CRYPTO);
    /* whitespace added to the signed text (re-formatted JSON) also breaks the signature */
    assert_int_equal(edited_collateral(&v, "{\\\"id\\\":\\\"TDX\\\"", " {\\\"id\\\":\\\"TDX\\\""),
                     TK_ERR_CRYPTO);
    /* signatures */
    assert_int_equal(
        edited_collateral(&v, "\"tcb_info_signature\": \"027e", "\"tcb_info_signature\": \"027f"),
        TK_ERR_CRYPTO);
    assert_int_equal(edited_collateral(&v, "\"qe_identity_signature\": \"d6d7",
                                       "\"qe_identity_signature\": \"d6d6"),
                     TK_ERR_CRYPTO);
    /* issuer chain of the TCB info: a flipped letter in the signer certificate */
    assert_true(edited_collateral(&v, "MIICjTCCAjKgAwIBAgIUfjiC1ftVKUpASY5FhAPpFJG99FUw",
                                  "MIICjTCCAjKgAwIBAgIUfjiC1ftVKUpASY5FhAPpFJG99FUW") != TK_OK);
    /* malformed collateral is named */
    assert_int_equal(edited_collateral(&v, "\"tcb_info_signature\"", "\"tcb_info_signaturX\""),
                     TK_ERR_INPUT);
    assert_non_null(strstr(tk_errmsg(), "tcb_info_signaturX"));
    unload(&v);
}

/* tk_attest_verify decides on signed bytes only: fields edited in the caller's struct (but
 * not in the signed region) change nothing, and the verdict reports the signed values. */
static void test_struct_fields_not_trusted(void **state)
{
    vec v;
    tk_attest_quote q;
    tk_attest_collateral c;
    tk_attest_verdict r;
    unsigned char mrtd[48];
    (void)state;
    load(&v, "tdx/tdx_quote", "tdx/tdx_quote_collateral.json");
    assert_int_equal(tk_attest_quote_parse(&q, v.quote, v.quote_len), TK_OK);
    assert_int_equal(tk_attest_collateral_parse(&c, v.collateral, v.collateral_len), TK_OK);
    memcpy(mrtd, q.td.mrtd, 48);
    q.td.mrtd[0] ^= 1;
    q.td.td_attributes[0] = 1; /* "debug" in the struct only */
    q.qe_report.isvsvn = 0;    /* below every QE level, in the struct only */
    q.qe_report.report_data[0] ^= 1;
    assert_int_equal(tk_attest_verify(&r, &q, &c, T_INSIDE, NULL, 0, 0), TK_OK);
    assert_memory_equal(r.td.mrtd, mrtd, 48);
    assert_int_equal(r.td.td_attributes[0], 0);
    q.signed_len -= 1; /* a signed region that is not a TD quote header and body */
    assert_int_equal(tk_attest_verify(&r, &q, &c, T_INSIDE, NULL, 0, 0), TK_ERR_ARG);
    tk_attest_collateral_free(&c);
    unload(&v);
}

static void test_wrong_root(void **state)
{
    vec v;
    tk_attest_verdict r;
    tk_attest_quote q;
    STACK_OF(X509) *sk = NULL;
    unsigned char *der = NULL;
    int der_len;
    (void)state;
    load(&v, "tdx/tdx_quote", "tdx/tdx_quote_collateral.json");
    assert_int_equal(tk_attest_quote_parse(&q, v.quote, v.quote_len), TK_OK);
    /* the intermediate PCK CA of the quote's own chain as the "root": refused */
    assert_int_equal(tk_attest_pki_load_chain(&sk, q.pck_chain_pem, q.pck_chain_len, "chain"),
                     TK_OK);
    assert_true(sk_X509_num(sk) >= 3);
    der_len = i2d_X509(sk_X509_value(sk, 1), &der);
    assert_true(der_len > 0);
    assert_int_equal(tk_attest_verify_quote(&r, v.quote, v.quote_len, v.collateral,
                                            v.collateral_len, T_INSIDE, der, (size_t)der_len, 0),
                     TK_ERR_CRYPTO);
    assert_int_equal(r.root, TK_ATTEST_ROOT_DEV);
    OPENSSL_free(der);
    der = NULL;
    /* Intel's root given explicitly as a development root still verifies, but is named "dev" */
    assert_int_equal(tk_attest_verify_quote(&r, v.quote, v.quote_len, v.collateral,
                                            v.collateral_len, T_INSIDE, tk_pc_intel_root_der,
                                            tk_pc_intel_root_der_len, 0),
                     TK_OK);
    assert_int_equal(r.root, TK_ATTEST_ROOT_DEV);
    assert_int_equal(tk_attest_verify_quote(&r, v.quote, v.quote_len, v.collateral,
                                            v.collateral_len, T_INSIDE,
                                            (const unsigned char *)"junk", 4, 0),
                     TK_ERR_INPUT);
    /* ... also as PEM */
    {
        size_t n;
        unsigned char *pem = NULL;
        char path[512];
        assert_int_equal(
            tk_file_read(&pem, &n, test_shared_path(path, sizeof path, "tdx/intel_sgx_root_ca.pem"),
                         1u << 16, 0),
            TK_OK);
        assert_int_equal(tk_attest_verify_quote(&r, v.quote, v.quote_len, v.collateral,
                                                v.collateral_len, T_INSIDE, pem, n, 0),
                         TK_OK);
        assert_int_equal(r.root, TK_ATTEST_ROOT_DEV);
        free(pem);
    }
    sk_X509_pop_free(sk, X509_free);
    unload(&v);
}

static void test_accepted_statuses(void **state)
{
    tk_attest_tcb_status s;
    (void)state;
    for (int i = 0; i < TK_TCB_STATUS_COUNT; i++) {
        assert_int_equal(tk_attest_tcb_status_parse(&s, tk_attest_tcb_status_name(i)), TK_OK);
        assert_int_equal(s, i);
    }
    assert_int_equal(tk_attest_tcb_status_parse(&s, "uptodate"), TK_ERR_INPUT);
    assert_string_equal(tk_attest_tcb_status_name(TK_TCB_STATUS_COUNT), "Unknown");
}

static void test_td_policy(void **state)
{
    tk_attest_td_report td;
    (void)state;
    memset(&td, 0, sizeof td);
    td.td_attributes[3] = 0x10; /* SEPT_VE_DISABLE */
    assert_int_equal(tk_attest_td_policy_check(&td), TK_OK);
    td.td_attributes[0] = 0x01; /* DEBUG */
    assert_int_equal(tk_attest_td_policy_check(&td), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "DEBUG"));
    td.td_attributes[0] = 0;
    td.td_attributes[3] = 0;
    assert_int_equal(tk_attest_td_policy_check(&td), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "SEPT_VE_DISABLE"));
}

static void test_parse_time(void **state)
{
    int64_t t;
    (void)state;
    assert_int_equal(tk_attest_parse_time(&t, "2025-06-19T10:16:03Z"), TK_OK);
    assert_int_equal(t, 1750328163);
    assert_int_equal(tk_attest_parse_time(&t, "1970-01-01T00:00:00Z"), TK_OK);
    assert_int_equal(t, 0);
    assert_int_equal(tk_attest_parse_time(&t, "2024-02-29T23:59:59.123Z"), TK_OK);
    assert_int_equal(t, 1709251199);
    assert_int_equal(tk_attest_parse_time(&t, "2025-13-01T00:00:00Z"), TK_ERR_INPUT);
    assert_int_equal(tk_attest_parse_time(&t, "2025-06-19T10:16:03"), TK_ERR_INPUT);
    assert_int_equal(tk_attest_parse_time(&t, "2025-06-19 10:16:03Z"), TK_ERR_INPUT);
    assert_int_equal(tk_attest_parse_time(&t, "2025-06-19T10:16:03Z "), TK_ERR_INPUT);
}

/* ---- the TCB walk on edited TCB info texts (no signatures involved) ---- */

typedef struct {
    char *tcb_info;
    tk_attest_pck_ext pck;
    tk_attest_td_report td;
} walk_ctx;

static void walk_setup(walk_ctx *w)
{
    vec v;
    tk_attest_quote q;
    tk_attest_collateral c;
    STACK_OF(X509) *sk = NULL;
    load(&v, "tdx/tdx_quote", "tdx/tdx_quote_collateral.json");
    assert_int_equal(tk_attest_quote_parse(&q, v.quote, v.quote_len), TK_OK);
    assert_int_equal(tk_attest_collateral_parse(&c, v.collateral, v.collateral_len), TK_OK);
    assert_int_equal(tk_attest_pki_load_chain(&sk, q.pck_chain_pem, q.pck_chain_len, "c"), TK_OK);
    assert_int_equal(tk_attest_pki_pck_ext(&w->pck, sk_X509_value(sk, 0)), TK_OK);
    w->td = q.td;
    w->tcb_info = strdup(c.tcb_info);
    sk_X509_pop_free(sk, X509_free);
    tk_attest_collateral_free(&c);
    unload(&v);
}

static int walk(const walk_ctx *w, const char *from, const char *to, tk_attest_tcb_result *plat,
                tk_attest_tcb_result *mod)
{
    char buf[16384];
    char *at;
    int64_t a, b;
    size_t n = strlen(w->tcb_info);
    assert_true(n + 64 < sizeof buf);
    memcpy(buf, w->tcb_info, n + 1);
    if (from != NULL) {
        at = strstr(buf, from);
        assert_non_null(at);
        memmove(at + strlen(to), at + strlen(from), strlen(at + strlen(from)) + 1);
        memcpy(at, to, strlen(to));
    }
    return tk_attest_tcb_check_platform(plat, mod, &a, &b, buf, strlen(buf), &w->pck, &w->td,
                                        T_INSIDE);
}

static void test_tcb_walk(void **state)
{
    walk_ctx w;
    tk_attest_tcb_result plat, mod;
    (void)state;
    walk_setup(&w);
    assert_hex_equal(w.pck.fmspc, 6, "b0c06f000000");
    assert_int_equal(walk(&w, NULL, NULL, &plat, &mod), TK_OK);
    assert_int_equal(plat.status, TK_TCB_UP_TO_DATE);
    assert_int_equal(mod.status, TK_TCB_UP_TO_DATE);
    /* wrong FMSPC and PCE id */
    assert_int_equal(walk(&w, "B0C06F000000", "B0C06F000001", &plat, &mod), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "FMSPC"));
    assert_int_equal(walk(&w, "\"pceId\":\"0000\"", "\"pceId\":\"0001\"", &plat, &mod),
                     TK_ERR_RANGE);
    /* the first level needs a higher PCE SVN than the platform's: the second level applies,
     * OutOfDate with its advisories */
    assert_int_equal(walk(&w, "\"pcesvn\":11", "\"pcesvn\":99", &plat, &mod), TK_OK);
    assert_int_equal(plat.status, TK_TCB_OUT_OF_DATE);
    assert_int_equal(plat.n_advisories, 14);
    assert_string_equal(plat.advisory_ids[0], "INTEL-SA-00106");
    /* a TDX component above the quote's TEE TCB SVN (index 2: 3 in the quote) */
    assert_int_equal(walk(&w, "{\"svn\":2,\"category\":\"OS/VMM\",\"type\":\"TDX Late",
                          "{\"svn\":4,\"category\":\"OS/VMM\",\"type\":\"TDX Late", &plat, &mod),
                     TK_OK);
    assert_int_equal(plat.status, TK_TCB_OUT_OF_DATE);
    /* TDX module identity: the quote's module is TDX_01 with SVN 6 */
    assert_int_equal(walk(&w, "\"id\":\"TDX_01\"", "\"id\":\"TDX_02\"", &plat, &mod), TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "TDX_01"));
    assert_int_equal(walk(&w, "{\"tcb\":{\"isvsvn\":4}", "{\"tcb\":{\"isvsvn\":9}", &plat, &mod),
                     TK_OK);
    assert_int_equal(mod.status, TK_TCB_OUT_OF_DATE);
    /* module signer */
    assert_int_equal(walk(&w, "\"tdxModule\":{\"mrsigner\":\"00",
                          "\"tdxModule\":{\"mrsigner\":\"01", &plat, &mod),
                     TK_ERR_RANGE);
    assert_non_null(strstr(tk_errmsg(), "mrsignerseam"));
    /* malformed levels are named */
    assert_int_equal(walk(&w, "\"pcesvn\":11", "\"pcesvn\":\"11\"", &plat, &mod), TK_ERR_INPUT);
    if (strstr(tk_errmsg(), "pcesvn") == NULL) {
        fail_msg("%s", tk_errmsg());
    }
    assert_int_equal(walk(&w, "\"tcbStatus\":\"UpToDate\"},{\"tcb\":{\"sgx",
                          "\"tcbStatus\":\"Fine\"},{\"tcb\":{\"sgx", &plat, &mod),
                     TK_ERR_INPUT);
    assert_int_equal(walk(&w, "\"id\":\"TDX\"", "\"id\":\"SGX\"", &plat, &mod), TK_ERR_RANGE);
    assert_int_equal(walk(&w, "\"version\":3", "\"version\":2", &plat, &mod), TK_ERR_UNSUPPORTED);
    assert_int_equal(walk(&w, "\"tcbType\":0", "\"tcbType\":1", &plat, &mod), TK_ERR_UNSUPPORTED);
    free(w.tcb_info);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_pin),
        cmocka_unit_test(test_tdx_quote_uptodate),
        cmocka_unit_test(test_memo_equivalence),
        cmocka_unit_test(test_outdated_no_tcb_level),
        cmocka_unit_test(test_sgx_rejected_before_collateral),
        cmocka_unit_test(test_flipped_quote_bits),
        cmocka_unit_test(test_flipped_collateral),
        cmocka_unit_test(test_struct_fields_not_trusted),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_accepted_statuses),
        cmocka_unit_test(test_td_policy),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_tcb_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
