/*
 * The portable Intel TDX DCAP verifier (teekeys/portable_dcap.h): quote parsing, collateral
 * in dcap-qvl's JSON form, PCK and collateral chains with CRLs, the QE report and quote
 * signatures, the QE identity and TCB info evaluation (TDX module identities included), the
 * td_attributes policy and the final status, in exactly the order and with the return codes
 * of the native verifier (src/attest/verify.c, tcb.c, quote.c) so both give one verdict.
 * Freestanding: no libc, no allocation (the caller's tk_pc_dcap_work holds everything).
 */
#include "dcap_internal.h"

#define PC_CHAIN_MAX 8
#define PC_DER_ARENA (96u * 1024u)
#define PC_COLL_BUF  (128u * 1024u)

typedef struct {
    pc_jtok tok[PC_JSON_MAX_TOKENS];
    unsigned char der[PC_DER_ARENA];
    size_t der_used;
    pc_cert root;
    pc_cert pck[PC_CHAIN_MAX], crlc[PC_CHAIN_MAX], tcb[PC_CHAIN_MAX], qe[PC_CHAIN_MAX];
    pc_cert one[PC_CHAIN_MAX];
    size_t n_pck, n_crlc, n_tcb, n_qe;
    pc_crl root_crl, pck_crl;
    unsigned char coll[PC_COLL_BUF];
} pc_work;

_Static_assert(sizeof(pc_work) <= TK_PC_DCAP_WORK_BYTES, "tk_pc_dcap_work is too small");

static pc_work *W(tk_pc_dcap_work *w)
{
    return (pc_work *)(void *)w;
}

static const unsigned char k_intel_qe_vendor[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
                                                    0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

static const char *const k_status_names[TK_PC_TCB_STATUS_COUNT] = {
    "UpToDate",
    "SWHardeningNeeded",
    "ConfigurationNeeded",
    "ConfigurationAndSWHardeningNeeded",
    "OutOfDate",
    "OutOfDateConfigurationNeeded",
    "Revoked",
};

const char *tk_pc_tcb_status_name(int status)
{
    if (status < 0 || status >= TK_PC_TCB_STATUS_COUNT) {
        return "Unknown";
    }
    return k_status_names[status];
}

static size_t cstrlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

/* Records the failure reason and returns rc. */
static int fail(tk_pc_dcap_verdict *v, int rc, const char *what, const char *detail)
{
    v->what = what;
    v->detail = detail;
    return rc;
}

static uint16_t rd16(const unsigned char *b)
{
    return (uint16_t)(b[0] | (b[1] << 8));
}

static uint32_t rd32(const unsigned char *b)
{
    return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24);
}

/* ---- the quote ---- */

typedef struct {
    const unsigned char *signed_data;
    size_t signed_len;
    const unsigned char *signature, *attestation_key, *qe_report, *qe_report_signature;
    const unsigned char *qe_auth;
    size_t qe_auth_len;
    const unsigned char *chain;
    size_t chain_len;
} pc_quote;

static void td_body(tk_pc_dcap_td *td, const unsigned char *b, uint16_t type)
{
    size_t o = 0;
#define RD(f)                                                                                      \
    pc_memcpy(td->f, b + o, sizeof td->f);                                                         \
    o += sizeof td->f;
    td->body_type = type;
    RD(tee_tcb_svn)
    RD(mrseam)
    RD(mrsignerseam)
    RD(seam_attributes)
    RD(td_attributes)
    RD(xfam)
    RD(mrtd)
    RD(mrconfigid)
    RD(mrowner)
    RD(mrownerconfig)
    RD(rtmr)
    RD(report_data)
    if (type == 3) {
        RD(tee_tcb_svn2)
        RD(mrservicetd)
    }
#undef RD
}

#define Q_NEED(n, field)                                                                           \
    do {                                                                                           \
        if ((size_t)(end - p) < (size_t)(n)) {                                                     \
            return fail(v, TK_PC_ERR_INPUT, "quote", "truncated at " field);                       \
        }                                                                                          \
    } while (0)

static int quote_parse(tk_pc_dcap_verdict *v, pc_quote *q, tk_pc_dcap_td *td,
                       const unsigned char *in, size_t in_len)
{
    const unsigned char *p = in, *end = in + in_len, *body;
    uint16_t version, key_type, type = 2, cert_type, auth_len, inner_type;
    uint32_t tee, sig_len, cert_size, inner_size;
    size_t body_len = 584;
    pc_memset(q, 0, sizeof *q);
    if (in_len > TK_PC_MAX_QUOTE_LEN) {
        return fail(v, TK_PC_ERR_INPUT, "quote", "larger than the size limit");
    }
    Q_NEED(48, "header");
    version = rd16(p);
    key_type = rd16(p + 2);
    tee = rd32(p + 4);
    if (tee == 0) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "SGX quote (header.tee_type 0), not TDX");
    }
    if (tee != 0x81) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "unknown header.tee_type");
    }
    if (version != 4 && version != 5) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "unsupported header.version");
    }
    if (key_type != 2) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "unsupported header.att_key_type");
    }
    if (pc_memcmp(p + 12, k_intel_qe_vendor, 16) != 0) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "header.qe_vendor_id is not Intel's QE");
    }
    p += 48;
    if (version == 5) {
        uint32_t size;
        Q_NEED(6, "body.type/size");
        type = rd16(p);
        size = rd32(p + 2);
        p += 6;
        if (type == 1) {
            return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "v5 body.type 1 is an SGX report");
        }
        if (type != 2 && type != 3) {
            return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "unknown v5 body.type");
        }
        body_len = type == 2 ? 584 : 648;
        if (size != body_len) {
            return fail(v, TK_PC_ERR_INPUT, "quote", "v5 body.size does not match body.type");
        }
    }
    Q_NEED(body_len, "body");
    body = p;
    p += body_len;
    td_body(td, body, type);
    q->signed_data = in;
    q->signed_len = (size_t)(p - in);
    Q_NEED(4, "signature_data_len");
    sig_len = rd32(p);
    p += 4;
    if (sig_len > (size_t)(end - p)) {
        return fail(v, TK_PC_ERR_INPUT, "quote", "signature_data_len exceeds the bytes left");
    }
    end = p + sig_len;
    Q_NEED(64 + 64 + 6, "signature / attestation_key / certification_data");
    q->signature = p;
    q->attestation_key = p + 64;
    cert_type = rd16(p + 128);
    cert_size = rd32(p + 130);
    p += 134;
    if (cert_type != 6) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "certification_data.type is not 6");
    }
    if (cert_size != (size_t)(end - p)) {
        return fail(v, TK_PC_ERR_INPUT, "quote", "certification_data.size mismatch");
    }
    Q_NEED(384, "qe_report");
    q->qe_report = p;
    p += 384;
    Q_NEED(66, "qe_report_signature / qe_auth_data.size");
    q->qe_report_signature = p;
    auth_len = rd16(p + 64);
    p += 66;
    Q_NEED(auth_len, "qe_auth_data");
    q->qe_auth = p;
    q->qe_auth_len = auth_len;
    p += auth_len;
    Q_NEED(6, "pck_certification_data");
    inner_type = rd16(p);
    inner_size = rd32(p + 2);
    p += 6;
    if (inner_type != 5) {
        return fail(v, TK_PC_ERR_UNSUPPORTED, "quote", "pck_certification_data.type is not 5");
    }
    if (inner_size != (size_t)(end - p)) {
        return fail(v, TK_PC_ERR_INPUT, "quote", "pck_certification_data.size mismatch");
    }
    if (inner_size == 0) {
        return fail(v, TK_PC_ERR_INPUT, "quote", "empty PCK certificate chain");
    }
    q->chain = p;
    q->chain_len = inner_size;
    p += inner_size;
    for (const unsigned char *r = p; r < in + in_len; r++) {
        if (*r != 0) {
            return fail(v, TK_PC_ERR_INPUT, "quote", "non-zero byte after the end of the quote");
        }
    }
    return TK_PC_OK;
}
#undef Q_NEED

/* ---- PEM chains ---- */

static const char PEM_BEGIN[] = "-----BEGIN CERTIFICATE-----";
static const char PEM_END[] = "-----END CERTIFICATE-----";

static const unsigned char *find(const unsigned char *h, size_t hn, const char *n, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++) {
        if (h[i] == (unsigned char)n[0] && pc_memcmp(h + i, n, nn) == 0) {
            return h + i;
        }
    }
    return NULL;
}

/* Decodes one PEM body into the arena and parses it. */
static int pem_block(pc_work *w, pc_cert *out, const unsigned char *b64, size_t len)
{
    unsigned char *clean, *der;
    size_t n = 0, der_len = 0, room = PC_DER_ARENA - w->der_used;
    if (len > room) {
        return -1;
    }
    clean = w->der + w->der_used;
    for (size_t i = 0; i < len; i++) {
        if (b64[i] != '\n' && b64[i] != '\r') {
            clean[n++] = b64[i];
        }
    }
    /* decode in place: the output never overtakes the input */
    der = clean;
    if (pc_base64_decode(der, n, &der_len, (const char *)clean, n) != 0 || der_len == 0) {
        return -1;
    }
    if (pc_cert_parse(out, der, der_len) != TK_PC_OK) {
        return -1;
    }
    w->der_used += der_len;
    return 0;
}

static int is_space_or_nul(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0';
}

static int load_chain(tk_pc_dcap_verdict *v, pc_work *w, pc_cert *certs, size_t *n_out,
                      const unsigned char *text, size_t len, const char *what)
{
    size_t pos = 0, n = 0;
    *n_out = 0;
    for (;;) {
        const unsigned char *body, *end;
        pc_cert tmp;
        while (pos < len && is_space_or_nul(text[pos])) {
            pos++;
        }
        if (pos == len) {
            break;
        }
        if (len - pos < sizeof PEM_BEGIN ||
            pc_memcmp(text + pos, PEM_BEGIN, sizeof PEM_BEGIN - 1) != 0) {
            return fail(v, TK_PC_ERR_INPUT, what, "text outside a PEM certificate block");
        }
        body = text + pos + sizeof PEM_BEGIN - 1;
        end = find(body, len - (size_t)(body - text), PEM_END, sizeof PEM_END - 1);
        if (end == NULL) {
            return fail(v, TK_PC_ERR_INPUT, what, "certificate has no END line");
        }
        if (pem_block(w, n < PC_CHAIN_MAX ? &certs[n] : &tmp, body, (size_t)(end - body)) != 0) {
            return fail(v, TK_PC_ERR_INPUT, what, "certificate does not decode");
        }
        if (n >= PC_CHAIN_MAX) {
            return fail(v, TK_PC_ERR_INPUT, what, "more than 8 certificates");
        }
        n++;
        pos = (size_t)(end - text) + sizeof PEM_END - 1;
    }
    if (n == 0) {
        return fail(v, TK_PC_ERR_INPUT, what, "no PEM certificate found");
    }
    *n_out = n;
    return TK_PC_OK;
}

static int der_same(const pc_cert *a, const pc_cert *b)
{
    return a->der.n == b->der.n && pc_memcmp(a->der.p, b->der.p, a->der.n) == 0;
}

static int root_copy_check(tk_pc_dcap_verdict *v, const pc_cert *chain, size_t n,
                           const pc_cert *root, const char *what)
{
    if (n < 2) {
        return fail(v, TK_PC_ERR_INPUT, what, "needs the issuing chain, not a lone certificate");
    }
    if (!der_same(&chain[n - 1], root)) {
        return fail(v, TK_PC_ERR_CRYPTO, what, "last certificate is not the pinned root");
    }
    return TK_PC_OK;
}

static int verify_chain(tk_pc_dcap_verdict *v, pc_cert *chain, size_t n, pc_cert *root,
                        pc_crl *const *crls, size_t n_crls, int64_t now, const char *what)
{
    const char *detail = "chain does not verify";
    int rc = pc_verify_chain(&detail, &chain[0], chain, n, root, crls, n_crls, now);
    return rc == TK_PC_OK ? rc : fail(v, rc, what, detail);
}

static int collateral_chain(tk_pc_dcap_verdict *v, pc_work *w, pc_cert *chain, size_t *n,
                            tk_pc_span pem, pc_crl *root_crl, const pc_cert *verified, int64_t now,
                            const char *cn, const char *what)
{
    int rc = load_chain(v, w, chain, n, pem.p, pem.len, what);
    if (rc != TK_PC_OK || (rc = root_copy_check(v, chain, *n, &w->root, what)) != TK_PC_OK) {
        return rc;
    }
    if (verified == NULL || !der_same(&chain[0], verified)) {
        rc = verify_chain(v, chain, *n, &w->root, &root_crl, 1, now, what);
    }
    if (rc == TK_PC_OK && cn != NULL && !pc_name_cn_is(chain[0].subject, cn, cstrlen(cn))) {
        rc = fail(v, TK_PC_ERR_CRYPTO, what, "signer is not \"Intel SGX TCB Signing\"");
    }
    return rc;
}

/* ---- ECDSA over raw r || s ---- */

static int raw_sig_ok(const pc_cert *key, const unsigned char sig[64], const void *msg, size_t n)
{
    unsigned char digest[32];
    if (!key->pub_ok) {
        return 0;
    }
    tk_pc_sha256(digest, msg, n);
    return tk_pc_p256_verify_var(sig, digest, key->pub);
}

/* ---- TCB info and QE identity ---- */

typedef struct {
    int status;
    char advisory_ids[TK_PC_MAX_ADVISORIES][TK_PC_ADVISORY_LEN];
    size_t n_advisories;
} tcb_result;

typedef struct {
    pc_json j;
    tk_pc_dcap_verdict *v;
    const char *what;
} doc;

static int d_fail(doc *d, int rc, const char *detail)
{
    return fail(d->v, rc, d->what, detail);
}

/* The string member `key` into out (NUL-terminated); -2 when it is longer than cap - 1. */
static int j_str(doc *d, uint32_t obj, const char *key, char *out, size_t cap)
{
    uint32_t t = pc_json_get(&d->j, obj, key);
    size_t n;
    if (t == 0 || d->j.tok[t].type != PC_J_STR) {
        return -1;
    }
    n = pc_json_str(&d->j, t, out, cap - 1);
    if (n == (size_t)-1) {
        out[0] = '\0';
        return -2;
    }
    out[n] = '\0';
    return 0;
}

static int j_hex(doc *d, uint32_t obj, const char *key, unsigned char *out, size_t len)
{
    char s[2 * 48 + 2];
    size_t n;
    int rc = j_str(d, obj, key, s, sizeof s);
    if (rc == -1) {
        return d_fail(d, TK_PC_ERR_INPUT, "hex member missing or not a string");
    }
    n = rc == -2 ? sizeof s : cstrlen(s);
    if (n != 2 * len) {
        return d_fail(d, TK_PC_ERR_INPUT, "hex member has the wrong length");
    }
    for (size_t i = 0; i < len; i++) {
        int hi = -1, lo = -1;
        char a = s[2 * i], b = s[2 * i + 1];
        hi = (a >= '0' && a <= '9')   ? a - '0'
             : (a >= 'a' && a <= 'f') ? a - 'a' + 10
             : (a >= 'A' && a <= 'F') ? a - 'A' + 10
                                      : -1;
        lo = (b >= '0' && b <= '9')   ? b - '0'
             : (b >= 'a' && b <= 'f') ? b - 'a' + 10
             : (b >= 'A' && b <= 'F') ? b - 'A' + 10
                                      : -1;
        if (hi < 0 || lo < 0) {
            return d_fail(d, TK_PC_ERR_INPUT, "hex member is not hex");
        }
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return TK_PC_OK;
}

static int j_uint(doc *d, uint32_t obj, const char *key, long long max, long long *out)
{
    uint32_t t = pc_json_get(&d->j, obj, key);
    if (t == 0 || pc_json_uint(&d->j, t, max, out) != 0) {
        return d_fail(d, TK_PC_ERR_INPUT, "integer member missing or out of range");
    }
    return TK_PC_OK;
}

/* tk_attest_parse_time: "YYYY-MM-DDTHH:MM:SS[.fff]Z". */
static int parse_time(int64_t *out, const char *s)
{
    static const unsigned widths[6] = {4, 2, 2, 2, 2, 2};
    static const char seps[6] = {'-', '-', 'T', ':', ':', '\0'};
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    unsigned vv[6] = {0};
    const char *p = s;
    for (int f = 0; f < 6; f++) {
        for (unsigned i = 0; i < widths[f]; i++, p++) {
            if (*p < '0' || *p > '9') {
                return -1;
            }
            vv[f] = vv[f] * 10 + (unsigned)(*p - '0');
        }
        if (seps[f] != '\0' && *p++ != seps[f]) {
            return -1;
        }
    }
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') {
            return -1;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (p[0] != 'Z' || p[1] != '\0' || vv[1] < 1 || vv[1] > 12 || vv[2] < 1 ||
        vv[2] > mdays[vv[1] - 1] || vv[3] > 23 || vv[4] > 59 || vv[5] > 60) {
        return -1;
    }
    *out = pc_days_from_civil(vv[0], vv[1], vv[2]) * 86400 + vv[3] * 3600 + vv[4] * 60 + vv[5];
    return 0;
}

static int j_time(doc *d, uint32_t obj, const char *key, int64_t *out)
{
    char s[64];
    int rc = j_str(d, obj, key, s, sizeof s);
    if (rc == -1) {
        return d_fail(d, TK_PC_ERR_INPUT, "date member missing or not a string");
    }
    if (rc == -2 || parse_time(out, s) != 0) {
        return d_fail(d, TK_PC_ERR_INPUT, "date member is not a UTC date");
    }
    return TK_PC_OK;
}

static int doc_load(doc *d, pc_work *w, tk_pc_span text)
{
    if (pc_json_parse(&d->j, w->tok, PC_JSON_MAX_TOKENS, (const char *)text.p, text.len) !=
            TK_PC_OK ||
        d->j.tok[0].type != PC_J_OBJ) {
        return d_fail(d, TK_PC_ERR_INPUT, "not a JSON object");
    }
    return TK_PC_OK;
}

static int check_header(doc *d, int64_t *issue, int64_t *next, const char *id, long long version,
                        int64_t now)
{
    char s[32];
    long long ver = 0;
    int rc = j_str(d, 0, "id", s, sizeof s);
    if (rc == -1) {
        return d_fail(d, TK_PC_ERR_INPUT, "\"id\" missing or not a string");
    }
    if (rc == -2 || cstrlen(s) != cstrlen(id) || pc_memcmp(s, id, cstrlen(id)) != 0) {
        return d_fail(d, TK_PC_ERR_RANGE, "unexpected id");
    }
    if ((rc = j_uint(d, 0, "version", 1000, &ver)) != TK_PC_OK) {
        return rc;
    }
    if (ver != version) {
        return d_fail(d, TK_PC_ERR_UNSUPPORTED, "unsupported version");
    }
    if ((rc = j_time(d, 0, "issueDate", issue)) != TK_PC_OK ||
        (rc = j_time(d, 0, "nextUpdate", next)) != TK_PC_OK) {
        return rc;
    }
    if (now < *issue) {
        return d_fail(d, TK_PC_ERR_RANGE, "not valid before its issueDate");
    }
    if (now > *next) {
        return d_fail(d, TK_PC_ERR_RANGE, "expired at its nextUpdate");
    }
    return TK_PC_OK;
}

static int level_result(doc *d, tcb_result *res, uint32_t level)
{
    char s[48];
    uint32_t adv;
    int rc;
    pc_memset(res, 0, sizeof *res);
    rc = j_str(d, level, "tcbStatus", s, sizeof s);
    if (rc == -1) {
        return d_fail(d, TK_PC_ERR_INPUT, "\"tcbStatus\" missing or not a string");
    }
    res->status = -1;
    for (int i = 0; rc == 0 && i < TK_PC_TCB_STATUS_COUNT; i++) {
        size_t n = cstrlen(k_status_names[i]);
        if (cstrlen(s) == n && pc_memcmp(s, k_status_names[i], n) == 0) {
            res->status = i;
        }
    }
    if (res->status < 0) {
        return d_fail(d, TK_PC_ERR_INPUT, "unknown tcbStatus");
    }
    adv = pc_json_get(&d->j, level, "advisoryIDs");
    if (adv == 0) {
        return TK_PC_OK;
    }
    if (d->j.tok[adv].type != PC_J_ARR || d->j.tok[adv].size > TK_PC_MAX_ADVISORIES) {
        return d_fail(d, TK_PC_ERR_INPUT, "advisoryIDs is not an array of at most 64");
    }
    for (uint32_t i = 0; i < d->j.tok[adv].size; i++) {
        uint32_t a = pc_json_at(&d->j, adv, i);
        char *out = res->advisory_ids[res->n_advisories];
        size_t n;
        if (d->j.tok[a].type != PC_J_STR ||
            (n = pc_json_str(&d->j, a, out, TK_PC_ADVISORY_LEN - 1)) == (size_t)-1 || n == 0) {
            return d_fail(d, TK_PC_ERR_INPUT, "advisoryIDs entry is not a short string");
        }
        out[n] = '\0';
        res->n_advisories++;
    }
    return TK_PC_OK;
}

static int isvsvn_walk(doc *d, tcb_result *res, uint32_t levels, unsigned svn)
{
    if (levels == 0 || d->j.tok[levels].type != PC_J_ARR || d->j.tok[levels].size == 0) {
        return d_fail(d, TK_PC_ERR_INPUT, "tcbLevels missing or empty");
    }
    for (uint32_t i = 0; i < d->j.tok[levels].size; i++) {
        uint32_t level = pc_json_at(&d->j, levels, i), tcb;
        long long isvsvn = 0;
        int rc;
        tcb = pc_json_get(&d->j, level, "tcb");
        if (d->j.tok[level].type != PC_J_OBJ || tcb == 0 || d->j.tok[tcb].type != PC_J_OBJ) {
            return d_fail(d, TK_PC_ERR_INPUT, "tcbLevels entry has no tcb object");
        }
        if ((rc = j_uint(d, tcb, "isvsvn", 65535, &isvsvn)) != TK_PC_OK) {
            return rc;
        }
        if ((unsigned)isvsvn <= svn) {
            return level_result(d, res, level);
        }
    }
    return d_fail(d, TK_PC_ERR_RANGE, "ISV SVN is below every TCB level");
}

/* The QE report fields the identity looks at. */
typedef struct {
    uint32_t miscselect;
    const unsigned char *attributes, *mrsigner, *report_data;
    uint16_t isvprodid, isvsvn;
} qe_view;

static int check_qe(tk_pc_dcap_verdict *v, pc_work *w, tcb_result *res, int64_t *issue,
                    int64_t *next, tk_pc_span text, const qe_view *qe, int64_t now)
{
    doc d = {{0}, v, "QE identity"};
    unsigned char misc[4], misc_mask[4], attr[16], attr_mask[16], mrsigner[32];
    long long prodid = 0;
    uint32_t want, mask;
    int rc;
    if ((rc = doc_load(&d, w, text)) != TK_PC_OK ||
        (rc = check_header(&d, issue, next, "TD_QE", 2, now)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "miscselect", misc, 4)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "miscselectMask", misc_mask, 4)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "attributes", attr, 16)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "attributesMask", attr_mask, 16)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "mrsigner", mrsigner, 32)) != TK_PC_OK ||
        (rc = j_uint(&d, 0, "isvprodid", 65535, &prodid)) != TK_PC_OK) {
        return rc;
    }
    if (pc_memcmp(mrsigner, qe->mrsigner, 32) != 0) {
        return fail(v, TK_PC_ERR_RANGE, "QE report", "mrsigner is not the QE identity's");
    }
    if ((unsigned)prodid != qe->isvprodid) {
        return fail(v, TK_PC_ERR_RANGE, "QE report", "isvprodid is not the QE identity's");
    }
    want = (uint32_t)misc[0] << 24 | (uint32_t)misc[1] << 16 | (uint32_t)misc[2] << 8 | misc[3];
    mask = (uint32_t)misc_mask[0] << 24 | (uint32_t)misc_mask[1] << 16 |
           (uint32_t)misc_mask[2] << 8 | misc_mask[3];
    if ((qe->miscselect & mask) != want) {
        return fail(v, TK_PC_ERR_RANGE, "QE report", "miscselect does not match the QE identity");
    }
    for (int i = 0; i < 16; i++) {
        if ((qe->attributes[i] & attr_mask[i]) != attr[i]) {
            return fail(v, TK_PC_ERR_RANGE, "QE report", "attributes do not match the QE identity");
        }
    }
    return isvsvn_walk(&d, res, pc_json_get(&d.j, 0, "tcbLevels"), qe->isvsvn);
}

static int components(doc *d, unsigned char svn[16], uint32_t arr)
{
    if (arr == 0 || d->j.tok[arr].type != PC_J_ARR || d->j.tok[arr].size != 16) {
        return d_fail(d, TK_PC_ERR_INPUT, "TCB components are not an array of 16");
    }
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t c = pc_json_at(&d->j, arr, i), t;
        long long val = 0;
        if (d->j.tok[c].type != PC_J_OBJ || (t = pc_json_get(&d->j, c, "svn")) == 0 ||
            pc_json_uint(&d->j, t, 255, &val) != 0) {
            return d_fail(d, TK_PC_ERR_INPUT, "TCB component svn missing or not in 0..255");
        }
        svn[i] = (unsigned char)val;
    }
    return TK_PC_OK;
}

static int check_module_identity(doc *d, uint32_t m, const tk_pc_dcap_td *td)
{
    unsigned char mrsigner[48], attr[8], mask[8];
    int rc;
    if (m == 0 || d->j.tok[m].type != PC_J_OBJ) {
        return d_fail(d, TK_PC_ERR_INPUT, "TDX module entry is not an object");
    }
    if ((rc = j_hex(d, m, "mrsigner", mrsigner, 48)) != TK_PC_OK ||
        (rc = j_hex(d, m, "attributes", attr, 8)) != TK_PC_OK ||
        (rc = j_hex(d, m, "attributesMask", mask, 8)) != TK_PC_OK) {
        return rc;
    }
    if (pc_memcmp(mrsigner, td->mrsignerseam, 48) != 0) {
        return fail(d->v, TK_PC_ERR_RANGE, "TD report", "mrsignerseam is not the module signer");
    }
    for (int i = 0; i < 8; i++) {
        if ((td->seam_attributes[i] & mask[i]) != attr[i]) {
            return fail(d->v, TK_PC_ERR_RANGE, "TD report",
                        "seam_attributes do not match the TDX module");
        }
    }
    return TK_PC_OK;
}

typedef struct {
    unsigned char fmspc[6], pceid[2], cpusvn[16];
    uint16_t pcesvn;
} pck_ext;

static int check_platform(tk_pc_dcap_verdict *v, pc_work *w, tcb_result *platform,
                          tcb_result *module, int64_t *issue, int64_t *next, tk_pc_span text,
                          const pck_ext *pck, const tk_pc_dcap_td *td, int64_t now)
{
    doc d = {{0}, v, "TCB info"};
    unsigned char fmspc[6], pceid[2];
    unsigned major = td->tee_tcb_svn[1], minor_svn = td->tee_tcb_svn[0];
    size_t tdx_start = major > 0 ? 2 : 0;
    long long tcb_type = 0;
    uint32_t ids, levels;
    int rc;
    pc_memset(module, 0, sizeof *module);
    if ((rc = doc_load(&d, w, text)) != TK_PC_OK ||
        (rc = check_header(&d, issue, next, "TDX", 3, now)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "fmspc", fmspc, 6)) != TK_PC_OK ||
        (rc = j_hex(&d, 0, "pceId", pceid, 2)) != TK_PC_OK ||
        (rc = j_uint(&d, 0, "tcbType", 255, &tcb_type)) != TK_PC_OK) {
        return rc;
    }
    if (tcb_type != 0) {
        return d_fail(&d, TK_PC_ERR_UNSUPPORTED, "tcbType is not 0");
    }
    if (pc_memcmp(fmspc, pck->fmspc, 6) != 0) {
        return d_fail(&d, TK_PC_ERR_RANGE, "FMSPC is not the PCK certificate's");
    }
    if (pc_memcmp(pceid, pck->pceid, 2) != 0) {
        return d_fail(&d, TK_PC_ERR_RANGE, "pceId is not the PCK certificate's");
    }
    if ((rc = check_module_identity(&d, pc_json_get(&d.j, 0, "tdxModule"), td)) != TK_PC_OK) {
        return rc;
    }
    ids = pc_json_get(&d.j, 0, "tdxModuleIdentities");
    if (major > 0) {
        static const char hexd[] = "0123456789ABCDEF";
        char want[7] = {'T', 'D', 'X', '_', hexd[(major >> 4) & 15], hexd[major & 15], 0};
        uint32_t found = 0;
        if (ids == 0 || d.j.tok[ids].type != PC_J_ARR) {
            return d_fail(&d, TK_PC_ERR_RANGE, "no tdxModuleIdentities");
        }
        for (uint32_t i = 0; i < d.j.tok[ids].size; i++) {
            uint32_t m = pc_json_at(&d.j, ids, i);
            char id[16];
            int r;
            if (d.j.tok[m].type != PC_J_OBJ || (r = j_str(&d, m, "id", id, sizeof id)) == -1) {
                return d_fail(&d, TK_PC_ERR_INPUT, "tdxModuleIdentities entry has no id");
            }
            if (r == 0 && cstrlen(id) == 6 && pc_memcmp(id, want, 6) == 0) {
                found = m;
                break;
            }
        }
        if (found == 0) {
            return d_fail(&d, TK_PC_ERR_RANGE, "no matching TDX module identity");
        }
        d.what = "TCB info";
        if ((rc = check_module_identity(&d, found, td)) != TK_PC_OK) {
            return rc;
        }
        d.what = "TCB info (TDX module)";
        if ((rc = isvsvn_walk(&d, module, pc_json_get(&d.j, found, "tcbLevels"), minor_svn)) !=
            TK_PC_OK) {
            return rc;
        }
        d.what = "TCB info";
    } else {
        module->status = TK_PC_TCB_UP_TO_DATE;
    }
    levels = pc_json_get(&d.j, 0, "tcbLevels");
    if (levels == 0 || d.j.tok[levels].type != PC_J_ARR || d.j.tok[levels].size == 0) {
        return d_fail(&d, TK_PC_ERR_INPUT, "tcbLevels missing or empty");
    }
    for (uint32_t i = 0; i < d.j.tok[levels].size; i++) {
        uint32_t level = pc_json_at(&d.j, levels, i), tcb;
        unsigned char sgx[16], tdx[16];
        long long pcesvn = 0;
        int match = 1;
        tcb = pc_json_get(&d.j, level, "tcb");
        if (tcb == 0 || d.j.tok[tcb].type != PC_J_OBJ) {
            return d_fail(&d, TK_PC_ERR_INPUT, "tcbLevels entry's tcb is not an object");
        }
        if ((rc = components(&d, sgx, pc_json_get(&d.j, tcb, "sgxtcbcomponents"))) != TK_PC_OK ||
            (rc = components(&d, tdx, pc_json_get(&d.j, tcb, "tdxtcbcomponents"))) != TK_PC_OK ||
            (rc = j_uint(&d, tcb, "pcesvn", 65535, &pcesvn)) != TK_PC_OK) {
            return rc;
        }
        for (size_t k = 0; k < 16; k++) {
            if (pck->cpusvn[k] < sgx[k]) {
                match = 0;
            }
        }
        if (pck->pcesvn < pcesvn) {
            match = 0;
        }
        for (size_t k = tdx_start; k < 16; k++) {
            if (td->tee_tcb_svn[k] < tdx[k]) {
                match = 0;
            }
        }
        if (match) {
            return level_result(&d, platform, level);
        }
    }
    return d_fail(&d, TK_PC_ERR_RANGE, "no TCB level matches the platform");
}

/* ---- statuses ---- */

static int converge(int platform, int other)
{
    if (platform == TK_PC_TCB_REVOKED || other == TK_PC_TCB_REVOKED) {
        return TK_PC_TCB_REVOKED;
    }
    if (other == TK_PC_TCB_OUT_OF_DATE || other == TK_PC_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED) {
        switch (platform) {
        case TK_PC_TCB_UP_TO_DATE:
        case TK_PC_TCB_SW_HARDENING_NEEDED:
            return other == TK_PC_TCB_OUT_OF_DATE ? TK_PC_TCB_OUT_OF_DATE
                                                  : TK_PC_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
        case TK_PC_TCB_CONFIGURATION_NEEDED:
        case TK_PC_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED:
            return TK_PC_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
        default:
            return platform;
        }
    }
    return platform;
}

static int cstrcmp(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}

static void add_advisories(tk_pc_dcap_verdict *v, const tcb_result *r)
{
    for (size_t i = 0; i < r->n_advisories; i++) {
        size_t pos = 0;
        int cmp = 1;
        while (pos < v->n_advisories &&
               (cmp = cstrcmp(v->advisory_ids[pos], r->advisory_ids[i])) < 0) {
            pos++;
        }
        if ((pos < v->n_advisories && cmp == 0) || v->n_advisories == TK_PC_MAX_ADVISORIES) {
            continue;
        }
        for (size_t k = v->n_advisories; k > pos; k--) {
            pc_memcpy(v->advisory_ids[k], v->advisory_ids[k - 1], TK_PC_ADVISORY_LEN);
        }
        pc_memcpy(v->advisory_ids[pos], r->advisory_ids[i], TK_PC_ADVISORY_LEN);
        v->n_advisories++;
    }
}

static void narrow(tk_pc_dcap_verdict *v, int64_t from, int64_t until)
{
    if (from > v->valid_from) {
        v->valid_from = from;
    }
    if (until >= -1 && until < v->valid_until) {
        v->valid_until = until;
    }
}

/* The CRL window as the native verifier computes it (ASN1_TIME_to_tm; -1 when unreadable). */
static void narrow_crl(tk_pc_dcap_verdict *v, const pc_crl *crl)
{
    int64_t from = -1, until = -1;
    if (pc_time_parse(&from, crl->tu_tag, crl->this_update) != 0) {
        from = -1;
    }
    if (!crl->has_next || pc_time_parse(&until, crl->nu_tag, crl->next_update) != 0) {
        until = -1;
    }
    narrow(v, from, until - 1);
}

/* ---- the verifier ---- */

int tk_pc_dcap_verify_var(tk_pc_dcap_work *work, tk_pc_dcap_verdict *v, const unsigned char *quote,
                          size_t quote_len, const tk_pc_dcap_collateral *c, int64_t now,
                          const unsigned char *dev_root, size_t dev_root_len, unsigned accepted)
{
    pc_work *w;
    pc_quote q;
    tk_pc_dcap_td td;
    qe_view qe;
    pck_ext pck;
    tcb_result qe_res, plat_res, mod_res;
    int64_t issue = 0, next = 0;
    unsigned char hash[32];
    pc_crl *crls[2];
    int rc;

    if (v == NULL) {
        return TK_PC_ERR_ARG;
    }
    pc_memset(v, 0, sizeof *v);
    v->what = v->detail = "";
    if (work == NULL || c == NULL || (quote == NULL && quote_len != 0) ||
        (dev_root == NULL && dev_root_len != 0)) {
        return fail(v, TK_PC_ERR_ARG, "tk_pc_dcap_verify_var", "NULL argument");
    }
    w = W(work);
    w->der_used = 0;
    if ((rc = quote_parse(v, &q, &td, quote, quote_len)) != TK_PC_OK) {
        pc_memset(&v->td, 0, sizeof v->td);
        return rc;
    }
    v->td = td;
    v->valid_from = INT64_MIN;
    v->valid_until = INT64_MAX;
    if (accepted == 0) {
        accepted = TK_PC_ACCEPT_DEFAULT;
    }
    qe.miscselect = rd32(q.qe_report + 16);
    qe.attributes = q.qe_report + 48;
    qe.mrsigner = q.qe_report + 128;
    qe.isvprodid = rd16(q.qe_report + 256);
    qe.isvsvn = rd16(q.qe_report + 258);
    qe.report_data = q.qe_report + 320;

    /* 1. The trust anchor. */
    if (dev_root != NULL && dev_root_len >= 10 && pc_memcmp(dev_root, "-----BEGIN", 10) == 0) {
        size_t n = 0;
        if ((rc = load_chain(v, w, w->one, &n, dev_root, dev_root_len, "development root")) !=
            TK_PC_OK) {
            return rc;
        }
        if (n != 1) {
            return fail(v, TK_PC_ERR_INPUT, "development root", "expected one PEM certificate");
        }
        v->root = TK_PC_ROOT_DEV;
        w->root = w->one[0];
    } else if (dev_root != NULL) {
        v->root = TK_PC_ROOT_DEV;
        if (pc_cert_parse(&w->root, dev_root, dev_root_len) != TK_PC_OK) {
            return fail(v, TK_PC_ERR_INPUT, "development root", "not a DER certificate");
        }
    } else {
        v->root = TK_PC_ROOT_INTEL;
        tk_pc_sha256(hash, tk_pc_intel_root_der, tk_pc_intel_root_der_len);
        if (pc_memcmp(hash, tk_pc_intel_root_sha256, 32) != 0 ||
            pc_cert_parse(&w->root, tk_pc_intel_root_der, tk_pc_intel_root_der_len) != TK_PC_OK) {
            return fail(v, TK_PC_ERR_INTERNAL, "built-in root", "does not match its pin");
        }
    }

    /* 2. CRLs and the quote's PCK chain. */
    if (pc_crl_parse(&w->root_crl, c->root_ca_crl.p, c->root_ca_crl.len) != TK_PC_OK) {
        return fail(v, TK_PC_ERR_INPUT, "collateral root_ca_crl", "not a DER CRL");
    }
    if (pc_crl_parse(&w->pck_crl, c->pck_crl.p, c->pck_crl.len) != TK_PC_OK) {
        return fail(v, TK_PC_ERR_INPUT, "collateral pck_crl", "not a DER CRL");
    }
    if ((rc = load_chain(v, w, w->pck, &w->n_pck, q.chain, q.chain_len, "quote PCK chain")) !=
        TK_PC_OK) {
        return rc;
    }
    narrow_crl(v, &w->root_crl);
    narrow_crl(v, &w->pck_crl);
    if ((rc = root_copy_check(v, w->pck, w->n_pck, &w->root, "quote PCK chain")) != TK_PC_OK) {
        return rc;
    }
    crls[0] = &w->root_crl;
    crls[1] = &w->pck_crl;
    if ((rc = verify_chain(v, w->pck, w->n_pck, &w->root, crls, 2, now, "quote PCK chain")) !=
        TK_PC_OK) {
        return rc;
    }
    if ((rc = collateral_chain(v, w, w->crlc, &w->n_crlc, c->pck_crl_issuer_chain, &w->root_crl,
                               &w->pck[1], now, NULL, "collateral pck_crl_issuer_chain")) !=
            TK_PC_OK ||
        (rc = collateral_chain(v, w, w->tcb, &w->n_tcb, c->tcb_info_issuer_chain, &w->root_crl,
                               NULL, now, "Intel SGX TCB Signing",
                               "collateral tcb_info_issuer_chain")) != TK_PC_OK) {
        return rc;
    }
    w->n_qe = 0;
    if ((c->qe_identity_issuer_chain.len != c->tcb_info_issuer_chain.len ||
         pc_memcmp(c->qe_identity_issuer_chain.p, c->tcb_info_issuer_chain.p,
                   c->tcb_info_issuer_chain.len) != 0) &&
        (rc = collateral_chain(v, w, w->qe, &w->n_qe, c->qe_identity_issuer_chain, &w->root_crl,
                               NULL, now, "Intel SGX TCB Signing",
                               "collateral qe_identity_issuer_chain")) != TK_PC_OK) {
        return rc;
    }

    /* 3. Signatures over the collateral texts, the QE report and the quote. */
    if (!raw_sig_ok(&w->tcb[0], c->tcb_info_signature, c->tcb_info.p, c->tcb_info.len)) {
        return fail(v, TK_PC_ERR_CRYPTO, "TCB info signature", "does not verify");
    }
    if (!raw_sig_ok(w->n_qe ? &w->qe[0] : &w->tcb[0], c->qe_identity_signature, c->qe_identity.p,
                    c->qe_identity.len)) {
        return fail(v, TK_PC_ERR_CRYPTO, "QE identity signature", "does not verify");
    }
    if (!raw_sig_ok(&w->pck[0], q.qe_report_signature, q.qe_report, 384)) {
        return fail(v, TK_PC_ERR_CRYPTO, "QE report signature", "does not verify");
    }
    {
        tk_pc_sha256_ctx h;
        static const unsigned char zero[32];
        tk_pc_sha256_init(&h);
        tk_pc_sha256_update(&h, q.attestation_key, 64);
        tk_pc_sha256_update(&h, q.qe_auth, q.qe_auth_len);
        tk_pc_sha256_final(&h, hash);
        if (pc_memcmp(hash, qe.report_data, 32) != 0 ||
            pc_memcmp(zero, qe.report_data + 32, 32) != 0) {
            return fail(v, TK_PC_ERR_CRYPTO, "QE report",
                        "report_data does not bind SHA-256(attestation key || QE auth data)");
        }
    }
    if (!tk_pc_p256_pubkey_check_var(q.attestation_key)) {
        return fail(v, TK_PC_ERR_CRYPTO, "quote", "attestation key is not a P-256 point");
    }
    tk_pc_sha256(hash, q.signed_data, q.signed_len);
    if (!tk_pc_p256_verify_var(q.signature, hash, q.attestation_key)) {
        return fail(v, TK_PC_ERR_CRYPTO, "quote signature", "does not verify");
    }

    /* 4. TCB evaluation. */
    if ((rc = pc_pck_ext(pck.fmspc, pck.pceid, pck.cpusvn, &pck.pcesvn, &w->pck[0])) != 0) {
        return fail(v, TK_PC_ERR_INPUT, "PCK certificate",
                    rc == -1 ? "no SGX extension" : "malformed SGX extension");
    }
    pc_memcpy(v->fmspc, pck.fmspc, 6);
    pc_memcpy(v->pck_cpusvn_components, pck.cpusvn, 16);
    v->pce_svn = pck.pcesvn;
    if ((rc = check_qe(v, w, &qe_res, &issue, &next, c->qe_identity, &qe, now)) != TK_PC_OK) {
        return rc;
    }
    narrow(v, issue, next);
    if ((rc = check_platform(v, w, &plat_res, &mod_res, &issue, &next, c->tcb_info, &pck, &td,
                             now)) != TK_PC_OK) {
        return rc;
    }
    narrow(v, issue, next);

    /* 5. TD attributes: DEBUG clear, SEPT_VE_DISABLE set. */
    if (td.td_attributes[0] & 1) {
        return fail(v, TK_PC_ERR_RANGE, "TD report", "td_attributes has DEBUG set (a debug TD)");
    }
    if (!(td.td_attributes[3] & 0x10)) {
        return fail(v, TK_PC_ERR_RANGE, "TD report", "td_attributes lacks SEPT_VE_DISABLE");
    }

    /* 6. Final status. */
    v->platform_status = plat_res.status;
    v->qe_status = qe_res.status;
    v->module_status = mod_res.status;
    v->status = converge(converge(plat_res.status, mod_res.status), qe_res.status);
    add_advisories(v, &plat_res);
    add_advisories(v, &mod_res);
    add_advisories(v, &qe_res);
    v->checks_passed = 1;
    if (!(accepted & TK_PC_ACCEPT(v->status))) {
        return fail(v, TK_PC_ERR_RANGE, "TCB status", "is not accepted");
    }
    return TK_PC_OK;
}

/* ---- collateral JSON ---- */

static const char *const k_members[9] = {
    "pck_crl_issuer_chain",     "root_ca_crl", "pck_crl",
    "tcb_info_issuer_chain",    "tcb_info",    "tcb_info_signature",
    "qe_identity_issuer_chain", "qe_identity", "qe_identity_signature",
};

static int hex_nibble(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Hex text in place: text[0..n) becomes n / 2 bytes. */
static int hex_inplace(unsigned char *b, size_t n)
{
    if (n % 2 != 0) {
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_nibble(b[2 * i]), lo = hex_nibble(b[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        b[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

int tk_pc_dcap_collateral_parse(tk_pc_dcap_work *work, tk_pc_dcap_collateral *c, unsigned char *buf,
                                size_t cap, const char **what, const char **detail,
                                const char *json, size_t json_len)
{
    pc_work *w;
    pc_json j;
    size_t used = 0;
    tk_pc_span *text[9];
    if (c == NULL || what == NULL || detail == NULL) {
        return TK_PC_ERR_ARG;
    }
    *what = "collateral";
    *detail = "NULL argument";
    if (work == NULL || buf == NULL || (json == NULL && json_len != 0)) {
        return TK_PC_ERR_ARG;
    }
    w = W(work);
    pc_memset(c, 0, sizeof *c);
    if (json_len > TK_PC_MAX_COLLATERAL) {
        *detail = "larger than the size limit";
        return TK_PC_ERR_INPUT;
    }
    if (pc_json_parse(&j, w->tok, PC_JSON_MAX_TOKENS, json, json_len) != TK_PC_OK) {
        *detail = "bad JSON";
        return TK_PC_ERR_INPUT;
    }
    if (j.tok[0].type != PC_J_OBJ) {
        *detail = "expected a JSON object";
        return TK_PC_ERR_INPUT;
    }
    {
        uint32_t k = 1;
        for (uint32_t i = 0; i < j.tok[0].size; i++) {
            int known = 0;
            for (int m = 0; m < 9; m++) {
                if (pc_json_get(&j, 0, k_members[m]) == k + 1) {
                    known = 1;
                }
            }
            if (!known) {
                *detail = "unknown member";
                return TK_PC_ERR_INPUT;
            }
            k = j.tok[k + 1].skip;
        }
    }
    text[0] = &c->pck_crl_issuer_chain;
    text[1] = &c->root_ca_crl;
    text[2] = &c->pck_crl;
    text[3] = &c->tcb_info_issuer_chain;
    text[4] = &c->tcb_info;
    text[5] = NULL;
    text[6] = &c->qe_identity_issuer_chain;
    text[7] = &c->qe_identity;
    text[8] = NULL;
    for (int m = 0; m < 9; m++) {
        uint32_t t = pc_json_get(&j, 0, k_members[m]);
        size_t n;
        unsigned char *out = buf + used;
        if (t == 0 || j.tok[t].type != PC_J_STR) {
            *detail = "a member is missing or not a string";
            return TK_PC_ERR_INPUT;
        }
        n = pc_json_str(&j, t, (char *)out, cap - used);
        if (n == (size_t)-1) {
            *detail = "too large for the buffer";
            return TK_PC_ERR_INPUT;
        }
        if (m == 5 || m == 8) { /* signatures: exactly 64 bytes of hex */
            unsigned char *sig = m == 5 ? c->tcb_info_signature : c->qe_identity_signature;
            if (n != 128 || hex_inplace(out, n) != 0) {
                *detail = "a signature is not 64 bytes of hex (r || s)";
                return TK_PC_ERR_INPUT;
            }
            pc_memcpy(sig, out, 64);
            continue;
        }
        if (n == 0) {
            *detail = "a member is empty";
            return TK_PC_ERR_INPUT;
        }
        if (m == 1 || m == 2) {
            if (hex_inplace(out, n) != 0) {
                *detail = "a CRL is not hex";
                return TK_PC_ERR_INPUT;
            }
            n /= 2;
        } else {
            for (size_t i = 0; i < n; i++) {
                if (out[i] == 0) {
                    *detail = "a member contains a NUL character";
                    return TK_PC_ERR_INPUT;
                }
            }
        }
        text[m]->p = out;
        text[m]->len = n;
        used += n;
    }
    *what = *detail = "";
    return TK_PC_OK;
}

int tk_pc_dcap_verify_json_var(tk_pc_dcap_work *work, tk_pc_dcap_verdict *v,
                               const unsigned char *quote, size_t quote_len,
                               const char *collateral_json, size_t collateral_len, int64_t now,
                               const unsigned char *dev_root, size_t dev_root_len,
                               unsigned accepted)
{
    tk_pc_dcap_collateral c;
    pc_quote q;
    tk_pc_dcap_td td;
    int rc;
    if (v == NULL) {
        return TK_PC_ERR_ARG;
    }
    pc_memset(v, 0, sizeof *v);
    v->what = v->detail = "";
    if (work == NULL || (quote == NULL && quote_len != 0)) {
        return fail(v, TK_PC_ERR_ARG, "tk_pc_dcap_verify_json_var", "NULL argument");
    }
    if ((rc = quote_parse(v, &q, &td, quote, quote_len)) != TK_PC_OK) {
        return rc;
    }
    v->td = td;
    rc = tk_pc_dcap_collateral_parse(work, &c, W(work)->coll, PC_COLL_BUF, &v->what, &v->detail,
                                     collateral_json, collateral_len);
    if (rc != TK_PC_OK) {
        return rc;
    }
    return tk_pc_dcap_verify_var(work, v, quote, quote_len, &c, now, dev_root, dev_root_len,
                                 accepted);
}

/* ---- verdict JSON (jansson's compact output of tk_attest_verdict_to_json) ---- */

typedef struct {
    char *out;
    size_t cap, n;
    int overflow;
} sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n >= b->cap) {
        b->overflow = 1;
        return;
    }
    pc_memcpy(b->out + b->n, s, n);
    b->n += n;
}

static void puts_(sbuf *b, const char *s)
{
    put(b, s, cstrlen(s));
}

static void put_str(sbuf *b, const char *s)
{
    static const char hexd[] = "0123456789ABCDEF";
    put(b, "\"", 1);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char e[6] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15]};
        switch (c) {
        case '"':
            put(b, "\\\"", 2);
            break;
        case '\\':
            put(b, "\\\\", 2);
            break;
        case '\b':
            put(b, "\\b", 2);
            break;
        case '\f':
            put(b, "\\f", 2);
            break;
        case '\n':
            put(b, "\\n", 2);
            break;
        case '\r':
            put(b, "\\r", 2);
            break;
        case '\t':
            put(b, "\\t", 2);
            break;
        default:
            if (c < 0x20) {
                put(b, e, 6);
            } else {
                put(b, (const char *)&c, 1);
            }
        }
    }
    put(b, "\"", 1);
}

static void put_int(sbuf *b, int64_t v)
{
    char d[24];
    size_t n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        d[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0) {
        d[n++] = '-';
    }
    while (n > 0) {
        put(b, &d[--n], 1);
    }
}

static void put_hex(sbuf *b, const char *key, const unsigned char *p, size_t n)
{
    static const char hexd[] = "0123456789abcdef";
    put(b, ",\"", 2);
    puts_(b, key);
    put(b, "\":\"", 3);
    for (size_t i = 0; i < n; i++) {
        put(b, &hexd[p[i] >> 4], 1);
        put(b, &hexd[p[i] & 15], 1);
    }
    put(b, "\"", 1);
}

int tk_pc_dcap_verdict_json(char *out, size_t out_cap, size_t *written, const tk_pc_dcap_verdict *v,
                            int accepted)
{
    static const char *const roots[] = {"none", "intel", "dev"};
    sbuf b = {out, out_cap, 0, 0};
    if (out == NULL || written == NULL || v == NULL || v->root < 0 || v->root > 2) {
        return TK_PC_ERR_ARG;
    }
    *written = 0;
    puts_(&b, accepted ? "{\"accepted\":true,\"status\":" : "{\"accepted\":false,\"status\":");
    if (v->checks_passed) {
        put_str(&b, tk_pc_tcb_status_name(v->status));
    } else {
        puts_(&b, "null");
    }
    puts_(&b, ",\"advisory_ids\":[");
    for (size_t i = 0; i < v->n_advisories && i < TK_PC_MAX_ADVISORIES; i++) {
        if (i > 0) {
            put(&b, ",", 1);
        }
        put_str(&b, v->advisory_ids[i]);
    }
    puts_(&b, "],\"root\":");
    put_str(&b, roots[v->root]);
    if (v->checks_passed) {
        puts_(&b, ",\"platform_status\":");
        put_str(&b, tk_pc_tcb_status_name(v->platform_status));
        puts_(&b, ",\"qe_status\":");
        put_str(&b, tk_pc_tcb_status_name(v->qe_status));
        puts_(&b, ",\"tdx_module_status\":");
        put_str(&b, tk_pc_tcb_status_name(v->module_status));
        put_hex(&b, "fmspc", v->fmspc, 6);
        puts_(&b, ",\"valid_from\":");
        put_int(&b, v->valid_from);
        puts_(&b, ",\"valid_until\":");
        put_int(&b, v->valid_until);
    }
    put_hex(&b, "mrtd", v->td.mrtd, 48);
    put_hex(&b, "rtmr0", v->td.rtmr[0], 48);
    put_hex(&b, "rtmr1", v->td.rtmr[1], 48);
    put_hex(&b, "rtmr2", v->td.rtmr[2], 48);
    put_hex(&b, "rtmr3", v->td.rtmr[3], 48);
    put_hex(&b, "report_data", v->td.report_data, 64);
    put_hex(&b, "td_attributes", v->td.td_attributes, 8);
    put_hex(&b, "xfam", v->td.xfam, 8);
    put_hex(&b, "mrconfigid", v->td.mrconfigid, 48);
    put_hex(&b, "mrowner", v->td.mrowner, 48);
    put_hex(&b, "mrownerconfig", v->td.mrownerconfig, 48);
    put_hex(&b, "mrseam", v->td.mrseam, 48);
    put_hex(&b, "tee_tcb_svn", v->td.tee_tcb_svn, 16);
    put(&b, "}", 1);
    if (b.overflow) {
        return TK_PC_ERR_ARG;
    }
    out[b.n] = '\0';
    *written = b.n;
    return TK_PC_OK;
}

/* ---- building blocks for tests and fuzzing ---- */

int tk_pc_json_check(tk_pc_dcap_work *work, const char *json, size_t len)
{
    pc_json j;
    if (work == NULL || (json == NULL && len != 0)) {
        return TK_PC_ERR_ARG;
    }
    return pc_json_parse(&j, W(work)->tok, PC_JSON_MAX_TOKENS, json, len);
}

int tk_pc_x509_check(tk_pc_dcap_work *work, const unsigned char *der, size_t len)
{
    if (work == NULL || (der == NULL && len != 0)) {
        return TK_PC_ERR_ARG;
    }
    return pc_cert_parse(&W(work)->root, der, len);
}

int tk_pc_crl_check(tk_pc_dcap_work *work, const unsigned char *der, size_t len)
{
    if (work == NULL || (der == NULL && len != 0)) {
        return TK_PC_ERR_ARG;
    }
    return pc_crl_parse(&W(work)->root_crl, der, len);
}

int tk_pc_pck_ext(unsigned char fmspc[6], unsigned char pceid[2], unsigned char cpusvn[16],
                  uint16_t *pcesvn, tk_pc_dcap_work *work, const unsigned char *der, size_t len)
{
    pc_cert *cert;
    if (work == NULL || pcesvn == NULL || (der == NULL && len != 0)) {
        return TK_PC_ERR_ARG;
    }
    cert = &W(work)->root;
    if (pc_cert_parse(cert, der, len) != TK_PC_OK ||
        pc_pck_ext(fmspc, pceid, cpusvn, pcesvn, cert) != 0) {
        return TK_PC_ERR_INPUT;
    }
    return TK_PC_OK;
}
