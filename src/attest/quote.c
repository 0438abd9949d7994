/*
 * TDX quote wire format: strict, bounds-checked parsing of v4/v5 quotes (header, TD report
 * 1.0/1.5 body, ECDSA signature section with QE report certification data and the nested
 * PEM PCK chain) and the inverse serialisation used by the round-trip fuzzer.
 * It never verifies anything (see verify.c) and never reads past the caller's buffer: every
 * read goes through the cursor below, which checks the remaining length first.
 */
#include <string.h>

#include "internal.h"
#include "teekeys/attest.h"

const unsigned char tk_attest_intel_qe_vendor_id[16] = {
    0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9, 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

/* A read cursor over [p, end). */
typedef struct {
    const unsigned char *p;
    const unsigned char *end;
} cursor;

static size_t cur_left(const cursor *c)
{
    return (size_t)(c->end - c->p);
}

static int take(cursor *c, void *out, size_t n, const char *field)
{
    if (cur_left(c) < n) {
        return tk_fail(TK_ERR_INPUT, "quote: truncated at %s (needs %zu bytes, %zu left)", field, n,
                       cur_left(c));
    }
    if (out != NULL) {
        memcpy(out, c->p, n);
    }
    c->p += n;
    return TK_OK;
}

static int take_u16(cursor *c, uint16_t *v, const char *field)
{
    unsigned char b[2] = {0};
    int rc = take(c, b, 2, field);
    if (rc == TK_OK) {
        *v = (uint16_t)(b[0] | (b[1] << 8));
    }
    return rc;
}

static int take_u32(cursor *c, uint32_t *v, const char *field)
{
    unsigned char b[4] = {0};
    int rc = take(c, b, 4, field);
    if (rc == TK_OK) {
        *v = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
             ((uint32_t)b[3] << 24);
    }
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

static void wr16(unsigned char *b, uint16_t v)
{
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
}

static void wr32(unsigned char *b, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
}

void tk_attest_enclave_report_parse(tk_attest_enclave_report *r, const unsigned char *b)
{
    memcpy(r->raw, b, TK_ATTEST_ENCLAVE_REPORT_LEN);
    memcpy(r->cpusvn, b, 16);
    r->miscselect = rd32(b + 16);
    memcpy(r->attributes, b + 48, 16);
    memcpy(r->mrenclave, b + 64, 32);
    memcpy(r->mrsigner, b + 128, 32);
    r->isvprodid = rd16(b + 256);
    r->isvsvn = rd16(b + 258);
    memcpy(r->report_data, b + 320, 64);
}

/* The TD report body layout, in wire order, written once for the reader and the writer:
 * X(field) for TD report 1.0, V15(field) for the fields TD report 1.5 appends. */
#define TK_TD_BODY_FIELDS(X, V15)                                                                  \
    X(tee_tcb_svn)                                                                                 \
    X(mrseam) X(mrsignerseam) X(seam_attributes) X(td_attributes) X(xfam) X(mrtd) X(mrconfigid)    \
        X(mrowner) X(mrownerconfig) X(rtmr) X(report_data) V15(tee_tcb_svn2) V15(mrservicetd)

static void parse_td_body(tk_attest_td_report *td, const unsigned char *b, int v15)
{
    size_t o = 0;
#define TK_TD_READ(f)                                                                              \
    memcpy(td->f, b + o, sizeof td->f);                                                            \
    o += sizeof td->f;
#define TK_TD_READ15(f)                                                                            \
    if (v15) {                                                                                     \
        TK_TD_READ(f)                                                                              \
    }
    TK_TD_BODY_FIELDS(TK_TD_READ, TK_TD_READ15)
#undef TK_TD_READ15
#undef TK_TD_READ
}

int tk_attest_td_from_signed(tk_attest_td_report *td, const unsigned char *signed_data,
                             size_t signed_len)
{
    uint16_t version, type;
    memset(td, 0, sizeof *td);
    if (signed_data == NULL || signed_len < TK_ATTEST_HEADER_LEN) {
        return tk_fail(TK_ERR_ARG, "quote: signed region missing");
    }
    version = rd16(signed_data);
    if (version == 4 && signed_len == TK_ATTEST_HEADER_LEN + TK_ATTEST_TD10_LEN) {
        td->body_type = TK_ATTEST_BODY_TD10;
        parse_td_body(td, signed_data + TK_ATTEST_HEADER_LEN, 0);
        return TK_OK;
    }
    if (version == 5 && signed_len >= TK_ATTEST_HEADER_LEN + 6) {
        type = rd16(signed_data + TK_ATTEST_HEADER_LEN);
        if ((type == TK_ATTEST_BODY_TD10 &&
             signed_len == TK_ATTEST_HEADER_LEN + 6 + TK_ATTEST_TD10_LEN) ||
            (type == TK_ATTEST_BODY_TD15 &&
             signed_len == TK_ATTEST_HEADER_LEN + 6 + TK_ATTEST_TD15_LEN)) {
            td->body_type = type;
            parse_td_body(td, signed_data + TK_ATTEST_HEADER_LEN + 6, type == TK_ATTEST_BODY_TD15);
            return TK_OK;
        }
    }
    return tk_fail(TK_ERR_ARG, "quote: signed region is not a v4/v5 TD quote header and body");
}

static size_t write_td_body(unsigned char *b, const tk_attest_td_report *td, int v15)
{
    size_t o = 0;
#define TK_TD_WRITE(f)                                                                             \
    memcpy(b + o, td->f, sizeof td->f);                                                            \
    o += sizeof td->f;
#define TK_TD_WRITE15(f)                                                                           \
    if (v15) {                                                                                     \
        TK_TD_WRITE(f)                                                                             \
    }
    TK_TD_BODY_FIELDS(TK_TD_WRITE, TK_TD_WRITE15)
#undef TK_TD_WRITE15
#undef TK_TD_WRITE
    return o;
}

static int parse_header(tk_attest_header *h, cursor *c)
{
    int rc;
    if ((rc = take_u16(c, &h->version, "header.version")) != TK_OK ||
        (rc = take_u16(c, &h->att_key_type, "header.att_key_type")) != TK_OK ||
        (rc = take_u32(c, &h->tee_type, "header.tee_type")) != TK_OK ||
        (rc = take_u16(c, &h->qe_svn, "header.qe_svn")) != TK_OK ||
        (rc = take_u16(c, &h->pce_svn, "header.pce_svn")) != TK_OK ||
        (rc = take(c, h->qe_vendor_id, 16, "header.qe_vendor_id")) != TK_OK ||
        (rc = take(c, h->user_data, 20, "header.user_data")) != TK_OK) {
        return rc;
    }
    /* The TEE type decides what this is before anything else, so that an SGX quote is named
     * as such whatever its version. */
    if (h->tee_type == TK_ATTEST_TEE_SGX) {
        return tk_fail(TK_ERR_UNSUPPORTED,
                       "quote: SGX quote (header.tee_type 0x00000000, version %u), not a TDX quote",
                       h->version);
    }
    if (h->tee_type != TK_ATTEST_TEE_TDX) {
        return tk_fail(TK_ERR_UNSUPPORTED, "quote: unknown header.tee_type 0x%08x (TDX is 0x81)",
                       h->tee_type);
    }
    if (h->version != 4 && h->version != 5) {
        return tk_fail(TK_ERR_UNSUPPORTED,
                       "quote: unsupported header.version %u for TDX (supported: 4, 5)",
                       h->version);
    }
    if (h->att_key_type != TK_ATTEST_KEY_ECDSA_P256) {
        return tk_fail(TK_ERR_UNSUPPORTED,
                       "quote: unsupported header.att_key_type %u (only 2, ECDSA P-256)",
                       h->att_key_type);
    }
    if (memcmp(h->qe_vendor_id, tk_attest_intel_qe_vendor_id, 16) != 0) {
        return tk_fail(TK_ERR_UNSUPPORTED, "quote: header.qe_vendor_id is not Intel's QE");
    }
    return TK_OK;
}

int tk_attest_quote_parse(tk_attest_quote *q, const unsigned char *in, size_t in_len)
{
    cursor c;
    int rc;
    uint32_t sig_len, cert_size, inner_size;
    uint16_t cert_type, inner_type, auth_len;
    const unsigned char *body;
    size_t body_len;

    if (q == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_attest_quote_parse: NULL argument");
    }
    memset(q, 0, sizeof *q);
    if (in_len > TK_ATTEST_MAX_QUOTE_LEN) {
        return tk_fail(TK_ERR_INPUT, "quote: %zu bytes is larger than the %u-byte limit", in_len,
                       TK_ATTEST_MAX_QUOTE_LEN);
    }
    c.p = in;
    c.end = in + in_len;
    if ((rc = parse_header(&q->header, &c)) != TK_OK) {
        return rc;
    }

    if (q->header.version == 4) {
        q->td.body_type = TK_ATTEST_BODY_TD10;
        body_len = TK_ATTEST_TD10_LEN;
    } else {
        uint16_t type;
        uint32_t size;
        if ((rc = take_u16(&c, &type, "body.type")) != TK_OK ||
            (rc = take_u32(&c, &size, "body.size")) != TK_OK) {
            return rc;
        }
        if (type == 1) {
            return tk_fail(TK_ERR_UNSUPPORTED, "quote: v5 body.type 1 is an SGX enclave report");
        }
        if (type != TK_ATTEST_BODY_TD10 && type != TK_ATTEST_BODY_TD15) {
            return tk_fail(TK_ERR_UNSUPPORTED,
                           "quote: unknown v5 body.type %u (2 = TD report 1.0, 3 = TD 1.5)", type);
        }
        body_len = type == TK_ATTEST_BODY_TD10 ? TK_ATTEST_TD10_LEN : TK_ATTEST_TD15_LEN;
        if (size != body_len) {
            return tk_fail(TK_ERR_INPUT, "quote: v5 body.size %u, body.type %u needs %zu", size,
                           type, body_len);
        }
        q->td.body_type = type;
    }
    body = c.p;
    if ((rc = take(&c, NULL, body_len, "body")) != TK_OK) {
        return rc;
    }
    parse_td_body(&q->td, body, q->td.body_type == TK_ATTEST_BODY_TD15);
    q->signed_data = in;
    q->signed_len = (size_t)(c.p - in);

    if ((rc = take_u32(&c, &sig_len, "signature_data_len")) != TK_OK) {
        return rc;
    }
    if (sig_len > cur_left(&c)) {
        return tk_fail(TK_ERR_INPUT, "quote: signature_data_len %u exceeds the %zu bytes left",
                       sig_len, cur_left(&c));
    }
    c.end = c.p + sig_len; /* everything below must fit in the signature data */
    if ((rc = take(&c, q->signature, 64, "signature")) != TK_OK ||
        (rc = take(&c, q->attestation_key, 64, "attestation_key")) != TK_OK ||
        (rc = take_u16(&c, &cert_type, "certification_data.type")) != TK_OK ||
        (rc = take_u32(&c, &cert_size, "certification_data.size")) != TK_OK) {
        return rc;
    }
    if (cert_type != TK_ATTEST_CERT_QE_REPORT) {
        return tk_fail(TK_ERR_UNSUPPORTED,
                       "quote: certification_data.type %u (expected 6, QE report certification)",
                       cert_type);
    }
    if (cert_size != cur_left(&c)) {
        return tk_fail(TK_ERR_INPUT,
                       "quote: certification_data.size %u does not match the %zu bytes of "
                       "signature data left",
                       cert_size, cur_left(&c));
    }
    if (cur_left(&c) < TK_ATTEST_ENCLAVE_REPORT_LEN) {
        return tk_fail(TK_ERR_INPUT, "quote: truncated at qe_report");
    }
    tk_attest_enclave_report_parse(&q->qe_report, c.p);
    c.p += TK_ATTEST_ENCLAVE_REPORT_LEN;
    if ((rc = take(&c, q->qe_report_signature, 64, "qe_report_signature")) != TK_OK ||
        (rc = take_u16(&c, &auth_len, "qe_auth_data.size")) != TK_OK) {
        return rc;
    }
    q->qe_auth_data = c.p;
    q->qe_auth_len = auth_len;
    if ((rc = take(&c, NULL, auth_len, "qe_auth_data")) != TK_OK ||
        (rc = take_u16(&c, &inner_type, "pck_certification_data.type")) != TK_OK ||
        (rc = take_u32(&c, &inner_size, "pck_certification_data.size")) != TK_OK) {
        return rc;
    }
    if (inner_type != TK_ATTEST_CERT_PCK_CHAIN) {
        return tk_fail(TK_ERR_UNSUPPORTED,
                       "quote: pck_certification_data.type %u (expected 5, PEM PCK chain)",
                       inner_type);
    }
    if (inner_size != cur_left(&c)) {
        return tk_fail(TK_ERR_INPUT,
                       "quote: pck_certification_data.size %u does not match the %zu bytes left",
                       inner_size, cur_left(&c));
    }
    if (inner_size == 0) {
        return tk_fail(TK_ERR_INPUT, "quote: empty PCK certificate chain");
    }
    q->pck_chain_pem = (const char *)c.p;
    q->pck_chain_len = inner_size;
    c.p += inner_size;

    q->quote_len = (size_t)(c.p - in);
    for (size_t i = q->quote_len; i < in_len; i++) {
        if (in[i] != 0) {
            return tk_fail(TK_ERR_INPUT,
                           "quote: non-zero byte at offset %zu after the end of the quote (%zu "
                           "bytes); only zero padding may follow",
                           i, q->quote_len);
        }
    }
    return TK_OK;
}

size_t tk_attest_quote_serialized_len(const tk_attest_quote *q)
{
    size_t n = TK_ATTEST_HEADER_LEN;
    if (q == NULL) {
        return 0;
    }
    if (q->header.version == 5) {
        n += 6;
    }
    n += q->td.body_type == TK_ATTEST_BODY_TD15 ? TK_ATTEST_TD15_LEN : TK_ATTEST_TD10_LEN;
    n += 4 + 64 + 64 + 6 + TK_ATTEST_ENCLAVE_REPORT_LEN + 64 + 2 + q->qe_auth_len + 6 +
         q->pck_chain_len;
    return n;
}

int tk_attest_quote_serialize(unsigned char *out, size_t out_cap, size_t *written,
                              const tk_attest_quote *q)
{
    size_t need, o = 0, body_len, cert_size, sig_len;
    int v15;
    if (out == NULL || written == NULL || q == NULL ||
        (q->qe_auth_len != 0 && q->qe_auth_data == NULL) || q->pck_chain_pem == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_quote_serialize: NULL argument");
    }
    *written = 0;
    if (q->qe_auth_len > 0xffff || q->pck_chain_len > TK_ATTEST_MAX_QUOTE_LEN ||
        (q->header.version == 4 && q->td.body_type != TK_ATTEST_BODY_TD10) ||
        (q->td.body_type != TK_ATTEST_BODY_TD10 && q->td.body_type != TK_ATTEST_BODY_TD15)) {
        return tk_fail(TK_ERR_RANGE, "quote: fields do not fit the wire format");
    }
    need = tk_attest_quote_serialized_len(q);
    if (out_cap < need) {
        return tk_fail(TK_ERR_BUFFER, "quote: needs %zu bytes, buffer has %zu", need, out_cap);
    }
    v15 = q->td.body_type == TK_ATTEST_BODY_TD15;
    body_len = v15 ? TK_ATTEST_TD15_LEN : TK_ATTEST_TD10_LEN;
    wr16(out + 0, q->header.version);
    wr16(out + 2, q->header.att_key_type);
    wr32(out + 4, q->header.tee_type);
    wr16(out + 8, q->header.qe_svn);
    wr16(out + 10, q->header.pce_svn);
    memcpy(out + 12, q->header.qe_vendor_id, 16);
    memcpy(out + 28, q->header.user_data, 20);
    o = TK_ATTEST_HEADER_LEN;
    if (q->header.version == 5) {
        wr16(out + o, q->td.body_type);
        wr32(out + o + 2, (uint32_t)body_len);
        o += 6;
    }
    o += write_td_body(out + o, &q->td, v15);
    cert_size = TK_ATTEST_ENCLAVE_REPORT_LEN + 64 + 2 + q->qe_auth_len + 6 + q->pck_chain_len;
    sig_len = 64 + 64 + 6 + cert_size;
    wr32(out + o, (uint32_t)sig_len);
    o += 4;
    memcpy(out + o, q->signature, 64);
    o += 64;
    memcpy(out + o, q->attestation_key, 64);
    o += 64;
    wr16(out + o, TK_ATTEST_CERT_QE_REPORT);
    wr32(out + o + 2, (uint32_t)cert_size);
    o += 6;
    memcpy(out + o, q->qe_report.raw, TK_ATTEST_ENCLAVE_REPORT_LEN);
    o += TK_ATTEST_ENCLAVE_REPORT_LEN;
    memcpy(out + o, q->qe_report_signature, 64);
    o += 64;
    wr16(out + o, (uint16_t)q->qe_auth_len);
    o += 2;
    if (q->qe_auth_len != 0) {
        memcpy(out + o, q->qe_auth_data, q->qe_auth_len);
    }
    o += q->qe_auth_len;
    wr16(out + o, TK_ATTEST_CERT_PCK_CHAIN);
    wr32(out + o + 2, (uint32_t)q->pck_chain_len);
    o += 6;
    memcpy(out + o, q->pck_chain_pem, q->pck_chain_len);
    o += q->pck_chain_len;
    *written = o;
    return TK_OK;
}

uint64_t tk_attest_td_attributes(const tk_attest_td_report *td)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | td->td_attributes[i];
    }
    return v;
}
