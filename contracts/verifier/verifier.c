/*
 * TDX verifier contract (DESIGN 3): stateless `verify_quote({quote_hex, collateral, dev_root?})`
 * that runs the portable DCAP verifier (src/portable, include/teekeys/portable_dcap.h) at the
 * block time and returns the verdict as JSON: the fields of tk_attest_verdict_to_json (accepted,
 * status, advisory ids, the root the PCK chain ended in, FMSPC, MRTD, RTMR0..3, report_data, TD
 * attributes, ...) plus the reason of a refusal, the SHA-256 of the development root it was given
 * and the time used. A quote that does not verify is a verdict with "accepted": false, never a
 * failed receipt; only malformed arguments (not hex, not JSON, wrong types) panic. It keeps no
 * state and never writes storage, so it may also be called as a view. Result shape:
 * docs/contracts.md.
 */
#include "near_util.h"
#include "teekeys/portable_dcap.h"

#define NEAR_CONTRACT verifier

#define VERIFIER_MAX_QUOTE   (64u * 1024u) /* bytes; a TDX quote with its chain is ~5 KB */
#define VERIFIER_MAX_ROOT    4096u         /* bytes of DER */
#define VERIFIER_MAX_VERDICT 4096u         /* tk_pc_dcap_verdict_json's bound */
#define VERIFIER_NS_PER_S    1000000000ull

/* The verifier's working memory (TK_PC_DCAP_WORK_BYTES): zero-initialised, so it costs no bytes
 * in the wasm file, only linear memory. */
static tk_pc_dcap_work work;
static tk_pc_dcap_verdict verdict;

/* Decodes a hex member (either case) of at most `max` bytes; panics on anything else. */
static uint8_t *hex_arg(size_t *len, const near_json *v, const char *name, size_t max)
{
    uint8_t *out;
    if (v == NULL || v->type != NEAR_JSON_STRING) {
        near_panic_detail("missing string argument: ", name);
    }
    if (v->len == 0 || v->len % 2 != 0 || v->len / 2 > max) {
        near_panic_detail(name, " must be an even number of hex digits within the size limit");
    }
    out = near_alloc(v->len / 2 + 1);
    if (!near_unhex(out, v->len / 2, v->str, v->len, 1)) {
        near_panic_detail(name, " must be hex");
    }
    *len = v->len / 2;
    return out;
}

NEAR_METHOD(verify_quote)
{
    static const char *const allowed[] = {"quote_hex", "collateral", "dev_root", NULL};
    const near_json *doc = near_args_object(allowed);
    const near_json *coll = near_json_get(doc, "collateral"),
                    *root = near_json_get(doc, "dev_root");
    const uint8_t *quote, *dev = NULL;
    const char *coll_text;
    size_t quote_len, coll_len, dev_len = 0, n = 0;
    uint64_t now_ns = near_block_timestamp();
    near_buf out = {0}, cj = {0};
    char *text;
    uint8_t root_hash[32];
    int rc;
    if (near_attached_deposit() != 0) {
        near_panic("verify_quote does not accept an attached deposit");
    }
    quote = hex_arg(&quote_len, near_json_get(doc, "quote_hex"), "quote_hex", VERIFIER_MAX_QUOTE);
    /* collateral: dcap-qvl's JSON object, or that object as a JSON string */
    if (coll != NULL && coll->type == NEAR_JSON_OBJECT) {
        near_json_write(&cj, coll);
        coll_text = cj.data;
        coll_len = cj.len;
    } else if (coll != NULL && coll->type == NEAR_JSON_STRING) {
        coll_text = coll->str;
        coll_len = coll->len;
    } else {
        near_panic(
            "collateral must be an object (dcap-qvl's collateral JSON) or a string holding it");
    }
    if (root != NULL && root->type != NEAR_JSON_NULL) {
        dev = hex_arg(&dev_len, root, "dev_root", VERIFIER_MAX_ROOT);
        near_sha256(root_hash, dev, dev_len);
    }
    rc = tk_pc_dcap_verify_json_var(&work, &verdict, quote, quote_len, coll_text, coll_len,
                                    (int64_t)(now_ns / VERIFIER_NS_PER_S), dev, dev_len,
                                    TK_PC_ACCEPT_DEFAULT);
    text = near_alloc(VERIFIER_MAX_VERDICT);
    if (tk_pc_dcap_verdict_json(text, VERIFIER_MAX_VERDICT, &n, &verdict, rc == TK_PC_OK) !=
            TK_PC_OK ||
        n < 2 || text[n - 1] != '}') {
        near_panic("internal error: the verdict does not fit");
    }
    /* the verdict object, then: reason, dev_root_sha256, time */
    near_buf_put(&out, text, n - 1);
    near_buf_puts(&out, ",\"reason\":");
    if (rc == TK_PC_OK) {
        near_buf_puts(&out, "null");
    } else {
        near_buf r = {0};
        const char *what = verdict.what != NULL && verdict.what[0] ? verdict.what : "quote";
        near_buf_puts(&r, what);
        if (verdict.detail != NULL && verdict.detail[0]) {
            near_buf_puts(&r, ": ");
            near_buf_puts(&r, verdict.detail);
        }
        near_json_write_string(&out, r.data, r.len);
    }
    near_buf_puts(&out, ",\"dev_root_sha256\":");
    if (dev != NULL) {
        near_buf_putc(&out, '"');
        near_buf_puts(&out, near_hex(root_hash, 32));
        near_buf_putc(&out, '"');
    } else {
        near_buf_puts(&out, "null");
    }
    near_buf_puts(&out, ",\"time\":");
    near_buf_puts(&out, near_u64_to_str(now_ns / VERIFIER_NS_PER_S));
    near_buf_putc(&out, '}');
    near_return(out.data, out.len);
}

#ifdef NEAR_NATIVE
extern const near_method verifier_methods[];
const near_method verifier_methods[] = {{"verify_quote", contract_verifier_verify_quote}, {0, 0}};
#endif
