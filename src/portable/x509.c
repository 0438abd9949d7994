/*
 * Freestanding DER reader and the X.509 subset Intel's DCAP PKI uses: certificates, CRLs,
 * OpenSSL-compatible name comparison, ECDSA P-256 / SHA-256 signatures, RFC 5280 times,
 * strict base64, the SGX extension of PCK certificates, and chain verification with CRLs
 * that follows OpenSSL's X509_verify_cert step by step (build the chain with the pinned root
 * as the only anchor, extension and CA checks, revocation of every certificate, then
 * signatures and validity top-down), so that both verifiers fail the same way on the same
 * input. Public data only; no libc, no allocation.
 */
#include "dcap_internal.h"

void pc_memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--) {
        *d++ = *s++;
    }
}

void pc_memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--) {
        *d++ = (unsigned char)c;
    }
}

int pc_memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

static int span_eq(pc_span a, pc_span b)
{
    return a.n == b.n && pc_memcmp(a.p, b.p, a.n) == 0;
}

/* ---- DER ---- */

typedef struct {
    unsigned tag;
    pc_span tlv; /* header and value */
    pc_span val;
} tlv;

/* Reads one TLV from [*p, end): low tag numbers only, definite lengths (long forms with
 * leading zero bytes accepted, as OpenSSL does). Returns 0 or -1. */
static int der_next(tlv *t, const unsigned char **p, const unsigned char *end)
{
    const unsigned char *q = *p;
    size_t len = 0;
    unsigned b0;
    if (q >= end) {
        return -1;
    }
    b0 = q[0];
    q++;
    if ((b0 & 0x1f) == 0x1f) {
        /* high tag number form, which OpenSSL also accepts for low numbers: normalise those
         * to the one-byte form; real high numbers never match a tag we look for */
        unsigned long num = 0;
        unsigned more;
        do {
            if (q >= end || num > (0x7fffffffUL >> 7)) {
                return -1;
            }
            more = q[0] & 0x80;
            num = (num << 7) | (q[0] & 0x7f);
            q++;
        } while (more);
        t->tag = num <= 30 ? (b0 & 0xe0) | (unsigned)num : 0x1000 | (b0 & 0xe0);
    } else {
        t->tag = b0;
    }
    if (q >= end) {
        return -1;
    }
    if (q[0] < 0x80) {
        len = q[0];
        q++;
    } else if (q[0] == 0x80) {
        return -1;
    } else {
        size_t k = q[0] & 0x7f;
        q++;
        if ((size_t)(end - q) < k) {
            return -1;
        }
        while (k > 0 && q[0] == 0) {
            q++;
            k--;
        }
        if (k > 4) {
            return -1;
        }
        while (k > 0) {
            len = (len << 8) | q[0];
            q++;
            k--;
        }
    }
    if ((size_t)(end - q) < len) {
        return -1;
    }
    t->tlv.p = *p;
    t->tlv.n = (size_t)(q - *p) + len;
    t->val.p = q;
    t->val.n = len;
    *p = q + len;
    return 0;
}

/* Expects a TLV with the given tag. */
static int der_expect(tlv *t, const unsigned char **p, const unsigned char *end, unsigned tag)
{
    return der_next(t, p, end) == 0 && t->tag == tag ? 0 : -1;
}

static int der_peek(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *q = p;
    tlv t;
    if (p >= end) {
        return -1;
    }
    return der_next(&t, &q, end) == 0 ? (int)t.tag : p[0];
}

/* OpenSSL's INTEGER content rules (c2i_ASN1_INTEGER): non-empty, no illegal padding. */
static int int_ok(pc_span v)
{
    if (v.n == 0) {
        return 0;
    }
    if (v.n > 1) {
        int pad = 0;
        if (v.p[0] == 0) {
            pad = 1;
        } else if (v.p[0] == 0xff) {
            for (size_t i = 1; i < v.n; i++) {
                pad |= v.p[i] != 0;
            }
        }
        if (pad && (v.p[0] & 0x80) == (v.p[1] & 0x80)) {
            return 0;
        }
    }
    return 1;
}

/* OID content: non-empty, complete, minimal sub-identifiers. */
static int oid_ok(pc_span v)
{
    if (v.n == 0 || (v.p[v.n - 1] & 0x80)) {
        return 0;
    }
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] == 0x80 && (i == 0 || !(v.p[i - 1] & 0x80))) {
            return 0;
        }
    }
    return 1;
}

static int oid_is(pc_span v, const unsigned char *oid, size_t n)
{
    return v.n == n && pc_memcmp(v.p, oid, n) == 0;
}

static int bitstring_ok(pc_span v)
{
    return v.n >= 1 && v.p[0] <= 7 && !(v.n == 1 && v.p[0] != 0);
}

/* An ANY value as OpenSSL decodes it: universal primitive types are checked like their own
 * type (OBJECT, INTEGER, BOOLEAN, NULL, BIT STRING), and OBJECT, INTEGER, ENUMERATED, BOOLEAN
 * and NULL may not be constructed. */
static int any_ok(const tlv *t)
{
    unsigned num = t->tag & 0x1f, cons = t->tag & 0x20;
    if (t->tag >= 0x1000 || (t->tag & 0xc0) != 0) {
        return 1;
    }
    switch (num) {
    case 0:
        return 0;
    case 1:
        return !cons && t->val.n == 1;
    case 2:
    case 10:
        return !cons && int_ok(t->val);
    case 5:
        return !cons && t->val.n == 0;
    case 6:
        return !cons && oid_ok(t->val);
    case 3:
        return !cons && bitstring_ok(t->val);
    case 16:
    case 17:
        return 1;
    default:
        return !cons;
    }
}

/* AlgorithmIdentifier ::= SEQUENCE { OID, ANY OPTIONAL } */
static int alg_parse(tlv *t, const unsigned char **p, const unsigned char *end)
{
    tlv o, any;
    const unsigned char *q;
    if (der_expect(t, p, end, 0x30) != 0) {
        return -1;
    }
    q = t->val.p;
    if (der_expect(&o, &q, t->val.p + t->val.n, 0x06) != 0 || !oid_ok(o.val)) {
        return -1;
    }
    if (q < t->val.p + t->val.n &&
        (der_next(&any, &q, t->val.p + t->val.n) != 0 || !any_ok(&any))) {
        return -1;
    }
    return q == t->val.p + t->val.n ? 0 : -1;
}

/* UTF-8 validity (what OpenSSL's UTF8_getc accepts, minus overlongs and beyond U+10FFFF). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], need;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            need = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            need = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            need = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i <= need) {
            return 0;
        }
        for (unsigned k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
            cp > 0x10ffff) {
            return 0;
        }
        i += need + 1;
    }
    return 1;
}

/* The universal tags OpenSSL accepts as a name attribute value (the ASN1_PRINTABLE mask:
 * Numeric, Printable, T61, IA5, BIT STRING, Universal, BMP, UTF8 strings, SEQUENCE and the
 * tags it files as "unknown"). UTCTime, GeneralizedTime, Visible, Videotex, Graphic and
 * General strings are refused. */
static int name_value_tag_ok(unsigned tag)
{
    switch (tag) {
    case 0x03:
    case 0x07:
    case 0x08:
    case 0x09:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x0e:
    case 0x0f:
    case 0x12:
    case 0x13:
    case 0x14:
    case 0x16:
    case 0x1c:
    case 0x1d:
    case 0x1e:
    case 0x30:
        return 1;
    default:
        return 0;
    }
}

/* SEQUENCE OF / SET OF: OpenSSL's template decoder matches the tag number and class but not
 * the constructed bit, so a primitive encoding (0x10 / 0x11) is read the same way. */
static int der_expect_of(tlv *t, const unsigned char **p, const unsigned char *end, unsigned tag)
{
    return der_next(t, p, end) == 0 && (t->tag == tag || t->tag == (tag & ~0x20u)) ? 0 : -1;
}

/* Name ::= SEQUENCE OF SET OF SEQUENCE { OID, value } */
static int name_parse(tlv *t, const unsigned char **p, const unsigned char *end)
{
    const unsigned char *q, *qe;
    if (der_expect_of(t, p, end, 0x30) != 0) {
        return -1;
    }
    q = t->val.p;
    qe = t->val.p + t->val.n;
    while (q < qe) {
        tlv set, ava, o, v;
        const unsigned char *s, *se;
        if (der_expect_of(&set, &q, qe, 0x31) != 0) {
            return -1;
        }
        s = set.val.p;
        se = s + set.val.n;
        while (s < se) {
            const unsigned char *a;
            if (der_expect(&ava, &s, se, 0x30) != 0) {
                return -1;
            }
            a = ava.val.p;
            if (der_expect(&o, &a, ava.val.p + ava.val.n, 0x06) != 0 || !oid_ok(o.val) ||
                der_next(&v, &a, ava.val.p + ava.val.n) != 0 || a != ava.val.p + ava.val.n ||
                !name_value_tag_ok(v.tag)) {
                return -1;
            }
            if ((v.tag == 0x0c && !utf8_ok(v.val.p, v.val.n)) || (v.tag == 0x1e && v.val.n % 2) ||
                (v.tag == 0x1c && v.val.n % 4) || (v.tag == 0x03 && !bitstring_ok(v.val))) {
                return -1;
            }
        }
    }
    return 0;
}

/* The parts of a constructed (BER) string: any TLVs, nested at most 5 deep. */
static int nested_ok(pc_span v, int depth)
{
    const unsigned char *q = v.p, *qe = v.p + v.n;
    tlv t;
    if (depth > 5) {
        return 0;
    }
    while (q < qe) {
        if (der_next(&t, &q, qe) != 0 || ((t.tag & 0x20) && !nested_ok(t.val, depth + 1))) {
            return 0;
        }
    }
    return 1;
}

/* Extensions ::= SEQUENCE OF SEQUENCE { OID, BOOLEAN DEFAULT FALSE, OCTET STRING } (OpenSSL
 * also takes a constructed OCTET STRING) */
static int exts_parse(pc_span v)
{
    const unsigned char *q = v.p, *qe = v.p + v.n;
    while (q < qe) {
        tlv e, o, b, os;
        const unsigned char *s, *se;
        if (der_expect(&e, &q, qe, 0x30) != 0) {
            return -1;
        }
        s = e.val.p;
        se = s + e.val.n;
        if (der_expect(&o, &s, se, 0x06) != 0 || !oid_ok(o.val)) {
            return -1;
        }
        if (der_peek(s, se) == 0x01) {
            if (der_next(&b, &s, se) != 0 || b.val.n != 1) {
                return -1;
            }
        }
        if (der_next(&os, &s, se) != 0 || (os.tag != 0x04 && os.tag != 0x24) || s != se ||
            (os.tag == 0x24 && !nested_ok(os.val, 1))) {
            return -1;
        }
    }
    return 0;
}

typedef struct {
    pc_span oid, value;
    int critical;
    int constructed; /* a BER constructed OCTET STRING: its value is not read here */
} ext_view;

/* Iterates extensions: *q is the cursor within exts. Returns 1 with *e filled, 0 at the end. */
static int ext_next(ext_view *e, const unsigned char **q, pc_span exts)
{
    const unsigned char *qe, *s, *se;
    tlv t, o, b, os;
    if (exts.p == NULL) {
        return 0; /* no extensions (and no pointer arithmetic on NULL) */
    }
    qe = exts.p + exts.n;
    if (*q >= qe || der_next(&t, q, qe) != 0) {
        return 0;
    }
    s = t.val.p;
    se = s + t.val.n;
    (void)der_next(&o, &s, se);
    e->oid = o.val;
    e->critical = 0;
    if (der_peek(s, se) == 0x01) {
        (void)der_next(&b, &s, se);
        e->critical = b.val.p[0] != 0;
    }
    (void)der_next(&os, &s, se);
    e->value = os.val;
    e->constructed = os.tag == 0x24;
    return 1;
}

static const unsigned char OID_EC_PUBKEY[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
static const unsigned char OID_P256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char OID_ECDSA_SHA256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
static const unsigned char OID_SGX[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
static const unsigned char OID_CN[] = {0x55, 0x04, 0x03};

/* ce OIDs 2.5.29.n */
static int oid_ce(pc_span o, unsigned n)
{
    return o.n == 3 && o.p[0] == 0x55 && o.p[1] == 0x1d && o.p[2] == n;
}

static void spki_parse(pc_cert *c, pc_span spki_val)
{
    const unsigned char *q = spki_val.p, *qe = q + spki_val.n, *a;
    tlv alg, o, curve, bits;
    c->pub_ok = 0;
    if (der_next(&alg, &q, qe) != 0 || der_next(&bits, &q, qe) != 0) {
        return;
    }
    a = alg.val.p;
    if (der_expect(&o, &a, alg.val.p + alg.val.n, 0x06) != 0 ||
        !oid_is(o.val, OID_EC_PUBKEY, sizeof OID_EC_PUBKEY) ||
        der_expect(&curve, &a, alg.val.p + alg.val.n, 0x06) != 0 ||
        !oid_is(curve.val, OID_P256, sizeof OID_P256) || a != alg.val.p + alg.val.n) {
        return;
    }
    if (bits.val.n != 66 || bits.val.p[0] != 0 || bits.val.p[1] != 0x04) {
        return;
    }
    pc_memcpy(c->pub, bits.val.p + 2, 64);
    c->pub_ok = tk_pc_p256_pubkey_check_var(c->pub);
}

int pc_cert_parse(pc_cert *c, const unsigned char *der, size_t len)
{
    const unsigned char *p = der, *end = der + len, *q, *qe;
    tlv cert, tbs, t, validity, nb, na, spki, alg, sig;
    pc_memset(c, 0, sizeof *c);
    c->pathlen = -1;
    if (der_expect(&cert, &p, end, 0x30) != 0 || p != end) {
        return TK_PC_ERR_INPUT;
    }
    c->der = cert.tlv;
    q = cert.val.p;
    qe = q + cert.val.n;
    if (der_expect(&tbs, &q, qe, 0x30) != 0 || alg_parse(&alg, &q, qe) != 0 ||
        der_expect(&sig, &q, qe, 0x03) != 0 || q != qe || !bitstring_ok(sig.val)) {
        return TK_PC_ERR_INPUT;
    }
    c->tbs = tbs.tlv;
    c->sig_alg = alg.tlv;
    c->sig = sig.val;
    q = tbs.val.p;
    qe = q + tbs.val.n;
    if (der_peek(q, qe) == 0xa0) {
        tlv ver, vi;
        const unsigned char *r;
        if (der_next(&ver, &q, qe) != 0) {
            return TK_PC_ERR_INPUT;
        }
        r = ver.val.p;
        if (der_expect(&vi, &r, ver.val.p + ver.val.n, 0x02) != 0 || r != ver.val.p + ver.val.n ||
            !int_ok(vi.val)) {
            return TK_PC_ERR_INPUT;
        }
        c->version = vi.val.n == 1 ? vi.val.p[0] : 99;
    }
    if (der_expect(&t, &q, qe, 0x02) != 0 || !int_ok(t.val)) {
        return TK_PC_ERR_INPUT;
    }
    c->serial = t.val;
    if (alg_parse(&t, &q, qe) != 0) {
        return TK_PC_ERR_INPUT;
    }
    c->tbs_alg = t.tlv;
    if (name_parse(&t, &q, qe) != 0) {
        return TK_PC_ERR_INPUT;
    }
    c->issuer = t.tlv;
    if (der_expect(&validity, &q, qe, 0x30) != 0) {
        return TK_PC_ERR_INPUT;
    }
    {
        const unsigned char *r = validity.val.p, *re = r + validity.val.n;
        if (der_next(&nb, &r, re) != 0 || (nb.tag != 0x17 && nb.tag != 0x18) ||
            der_next(&na, &r, re) != 0 || (na.tag != 0x17 && na.tag != 0x18) || r != re) {
            return TK_PC_ERR_INPUT;
        }
        c->not_before = nb.val;
        c->nb_tag = (unsigned char)nb.tag;
        c->not_after = na.val;
        c->na_tag = (unsigned char)na.tag;
    }
    if (name_parse(&t, &q, qe) != 0) {
        return TK_PC_ERR_INPUT;
    }
    c->subject = t.tlv;
    if (der_expect(&spki, &q, qe, 0x30) != 0) {
        return TK_PC_ERR_INPUT;
    }
    {
        const unsigned char *r = spki.val.p, *re = r + spki.val.n;
        tlv bits;
        if (alg_parse(&alg, &r, re) != 0 || der_expect(&bits, &r, re, 0x03) != 0 || r != re ||
            !bitstring_ok(bits.val)) {
            return TK_PC_ERR_INPUT;
        }
    }
    spki_parse(c, spki.val);
    if (der_peek(q, qe) == 0x81) {
        if (der_next(&t, &q, qe) != 0 || !bitstring_ok(t.val)) {
            return TK_PC_ERR_INPUT;
        }
    }
    if (der_peek(q, qe) == 0x82) {
        if (der_next(&t, &q, qe) != 0 || !bitstring_ok(t.val)) {
            return TK_PC_ERR_INPUT;
        }
    }
    if (der_peek(q, qe) == 0xa3) {
        tlv seq;
        const unsigned char *r;
        if (der_next(&t, &q, qe) != 0) {
            return TK_PC_ERR_INPUT;
        }
        r = t.val.p;
        if (der_expect_of(&seq, &r, t.val.p + t.val.n, 0x30) != 0 || r != t.val.p + t.val.n ||
            exts_parse(seq.val) != 0) {
            return TK_PC_ERR_INPUT;
        }
        c->exts = seq.val;
    }
    return q == qe ? TK_PC_OK : TK_PC_ERR_INPUT;
}

/* ---- extension cache (OpenSSL's ossl_x509v3_cache_extensions) ---- */

static int akid_parse(pc_span v, int *has_keyid, pc_span *keyid, int *has_serial, pc_span *serial)
{
    const unsigned char *q = v.p, *qe = v.p + v.n, *r, *re;
    tlv seq, t;
    *has_keyid = *has_serial = 0;
    if (der_expect(&seq, &q, qe, 0x30) != 0 || q != qe) {
        return -1;
    }
    r = seq.val.p;
    re = r + seq.val.n;
    if (der_peek(r, re) == 0x80) {
        if (der_next(&t, &r, re) != 0) {
            return -1;
        }
        *has_keyid = 1;
        *keyid = t.val;
    }
    if (der_peek(r, re) == 0xa1) {
        if (der_next(&t, &r, re) != 0) {
            return -1;
        }
    }
    if (der_peek(r, re) == 0x82) {
        if (der_next(&t, &r, re) != 0 || !int_ok(t.val)) {
            return -1;
        }
        *has_serial = 1;
        *serial = t.val;
    }
    return r == re ? 0 : -1;
}

/* X509_supported_extension: the critical extensions OpenSSL handles. */
static int ext_supported(pc_span o)
{
    static const unsigned char ns_cert_type[] = {0x60, 0x86, 0x48, 0x01, 0x86,
                                                 0xf8, 0x42, 0x01, 0x01};
    static const unsigned char pe_prefix[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01};
    if (o.n == 3 && o.p[0] == 0x55 && o.p[1] == 0x1d) {
        switch (o.p[2]) {
        case 15:
        case 17:
        case 19:
        case 30:
        case 32:
        case 33:
        case 36:
        case 37:
        case 54:
            return 1;
        default:
            return 0;
        }
    }
    if (oid_is(o, ns_cert_type, sizeof ns_cert_type)) {
        return 1;
    }
    if (o.n == 8 && pc_memcmp(o.p, pe_prefix, 7) == 0) {
        return o.p[7] == 7 || o.p[7] == 8 || o.p[7] == 14;
    }
    return 0;
}

static int seq_of_seq_ok(pc_span v, unsigned inner)
{
    const unsigned char *q = v.p, *qe = v.p + v.n, *r, *re;
    tlv seq, t;
    if (der_expect(&seq, &q, qe, 0x30) != 0 || q != qe) {
        return 0;
    }
    r = seq.val.p;
    re = r + seq.val.n;
    while (r < re) {
        if (der_next(&t, &r, re) != 0 || (inner != 0 && t.tag != inner)) {
            return 0;
        }
    }
    return 1;
}

/* GeneralNames content: context-tagged names. */
static int general_names_ok(pc_span v)
{
    const unsigned char *q = v.p, *qe = v.p + v.n;
    tlv t;
    while (q < qe) {
        if (der_next(&t, &q, qe) != 0 || (t.tag & 0xc0) != 0x80 || (t.tag & 0x1f) > 8) {
            return 0;
        }
    }
    return 1;
}

/* RelativeDistinguishedName content: SEQUENCE { OID, value } entries. */
static int rdn_ok(pc_span v)
{
    const unsigned char *q = v.p, *qe = v.p + v.n, *a;
    tlv ava, o, val;
    if (v.n == 0) {
        return 0;
    }
    while (q < qe) {
        if (der_expect(&ava, &q, qe, 0x30) != 0) {
            return 0;
        }
        a = ava.val.p;
        if (der_expect(&o, &a, ava.val.p + ava.val.n, 0x06) != 0 || !oid_ok(o.val) ||
            der_next(&val, &a, ava.val.p + ava.val.n) != 0 || a != ava.val.p + ava.val.n) {
            return 0;
        }
    }
    return 1;
}

/* DistributionPoint ::= SEQUENCE { [0] DistributionPointName OPT, [1] ReasonFlags OPT,
 * [2] GeneralNames OPT }, DistributionPointName ::= CHOICE { [0] GeneralNames, [1] RDN } */
static int crldp_ok(pc_span v)
{
    const unsigned char *q = v.p, *qe = v.p + v.n, *r, *re;
    tlv seq, dp, t;
    (void)der_next(&seq, &q, qe);
    r = seq.val.p;
    re = r + seq.val.n;
    while (r < re) {
        const unsigned char *s, *se;
        unsigned last = 0;
        if (der_next(&dp, &r, re) != 0) {
            return 0;
        }
        s = dp.val.p;
        se = s + dp.val.n;
        while (s < se) {
            unsigned n;
            if (der_next(&t, &s, se) != 0) {
                return 0;
            }
            n = t.tag & 0x1f;
            if ((t.tag & 0xc0) != 0x80 || n > 2 || (n < last && last != 0) || (n == 0 && last)) {
                return 0;
            }
            last = n + 1;
            if (n == 0) {
                const unsigned char *u = t.val.p;
                tlv name;
                if (t.tag != 0xa0 || der_next(&name, &u, t.val.p + t.val.n) != 0 ||
                    u != t.val.p + t.val.n || (name.tag != 0xa0 && name.tag != 0xa1) ||
                    (name.tag == 0xa0 && !general_names_ok(name.val)) ||
                    (name.tag == 0xa1 && !rdn_ok(name.val))) {
                    return 0;
                }
            } else if (n == 1) {
                if (t.tag != 0x81 || !bitstring_ok(t.val)) {
                    return 0;
                }
            } else if (t.tag != 0xa2 || !general_names_ok(t.val)) {
                return 0;
            }
        }
    }
    return 1;
}

static void check_akid_ok(int *ok, const pc_cert *issuer, int has_keyid, pc_span keyid,
                          int has_serial, pc_span serial)
{
    if (has_keyid && issuer->has_skid && !span_eq(keyid, issuer->skid)) {
        *ok = 0;
    }
    if (has_serial && !span_eq(serial, issuer->serial)) {
        *ok = 0;
    }
}

static int sig_alg_is_ecdsa(pc_span alg_tlv)
{
    const unsigned char *q = alg_tlv.p, *qe = q + alg_tlv.n, *r;
    tlv seq, o;
    if (der_next(&seq, &q, qe) != 0) {
        return 0;
    }
    r = seq.val.p;
    if (der_next(&o, &r, seq.val.p + seq.val.n) != 0) {
        return 0;
    }
    /* ecdsa-with-SHA1 (4.1) and ecdsa-with-SHA224..512 (4.3.1..4) */
    return (o.val.n == 7 && pc_memcmp(o.val.p, OID_ECDSA_SHA256, 6) == 0 && o.val.p[6] == 1) ||
           (o.val.n == 8 && pc_memcmp(o.val.p, OID_ECDSA_SHA256, 7) == 0 && o.val.p[7] >= 1 &&
            o.val.p[7] <= 4);
}

static void pc_cert_cache(pc_cert *c)
{
    const unsigned char *q;
    ext_view e;
    int seen_bc = 0, seen_ku = 0, seen_skid = 0, seen_akid = 0, seen_crldp = 0, seen_eku = 0,
        seen_san = 0;
    if (c->cached) {
        return;
    }
    c->cached = 1;
    q = c->exts.p;
    while (ext_next(&e, &q, c->exts)) {
        if (e.critical && !ext_supported(e.oid)) {
            c->critical = 1;
        }
        if (e.constructed && e.oid.n == 3 && e.oid.p[0] == 0x55 && e.oid.p[1] == 0x1d) {
            c->invalid = 1; /* approximation: OpenSSL would decode the gathered parts */
            continue;
        }
        if (oid_ce(e.oid, 19)) { /* basicConstraints */
            const unsigned char *r = e.value.p, *re = r + e.value.n, *s, *se;
            tlv seq, t;
            if (seen_bc++ || der_expect(&seq, &r, re, 0x30) != 0 || r != re) {
                c->invalid = 1;
                continue;
            }
            c->has_bc = 1;
            s = seq.val.p;
            se = s + seq.val.n;
            if (der_peek(s, se) == 0x01) {
                if (der_next(&t, &s, se) != 0 || t.val.n != 1) {
                    c->invalid = 1;
                    continue;
                }
                c->ca = t.val.p[0] != 0;
            }
            if (der_peek(s, se) == 0x02) {
                if (der_next(&t, &s, se) != 0 || !int_ok(t.val)) {
                    c->invalid = 1;
                    continue;
                }
                if ((t.val.p[0] & 0x80) || !c->ca) {
                    c->invalid = 1;
                    c->pathlen = 0;
                } else {
                    long v = 0;
                    for (size_t i = 0; i < t.val.n && i < 8; i++) {
                        v = (v << 8) | t.val.p[i];
                    }
                    c->pathlen = t.val.n > 8 ? 0x7fffffffL : v;
                }
            }
            if (s != se) {
                c->invalid = 1;
            }
        } else if (oid_ce(e.oid, 15)) { /* keyUsage */
            const unsigned char *r = e.value.p, *re = r + e.value.n;
            tlv bits;
            if (seen_ku++ || der_expect(&bits, &r, re, 0x03) != 0 || r != re ||
                !bitstring_ok(bits.val)) {
                c->invalid = 1;
                continue;
            }
            c->has_ku = 1;
            c->ku = 0;
            if (bits.val.n > 1) {
                unsigned last_mask = bits.val.n == 2 ? (0xffu << bits.val.p[0]) & 0xff : 0xff;
                c->ku = bits.val.p[1] & last_mask;
            }
            if (bits.val.n > 2) {
                unsigned last_mask = bits.val.n == 3 ? (0xffu << bits.val.p[0]) & 0xff : 0xff;
                c->ku |= (bits.val.p[2] & last_mask) << 8;
            }
        } else if (oid_ce(e.oid, 14)) { /* subjectKeyIdentifier */
            const unsigned char *r = e.value.p, *re = r + e.value.n;
            tlv os;
            if (seen_skid++ || der_expect(&os, &r, re, 0x04) != 0 || r != re) {
                c->invalid = 1;
                c->has_skid = 0;
                continue;
            }
            c->has_skid = 1;
            c->skid = os.val;
        } else if (oid_ce(e.oid, 35)) { /* authorityKeyIdentifier */
            if (seen_akid++ || akid_parse(e.value, &c->akid_has_keyid, &c->akid_keyid,
                                          &c->akid_has_serial, &c->akid_serial) != 0) {
                c->invalid = 1;
                c->has_akid = 0;
                continue;
            }
            c->has_akid = 1;
        } else if (oid_ce(e.oid, 31)) { /* cRLDistributionPoints */
            if (seen_crldp++ || !seq_of_seq_ok(e.value, 0x30) || !crldp_ok(e.value)) {
                c->invalid = 1;
            }
        } else if (oid_ce(e.oid, 37)) { /* extKeyUsage */
            if (seen_eku++ || !seq_of_seq_ok(e.value, 0x06)) {
                c->invalid = 1;
            }
        } else if (oid_ce(e.oid, 17)) { /* subjectAltName */
            if (seen_san++ || !seq_of_seq_ok(e.value, 0)) {
                c->invalid = 1;
            }
        }
    }
    if (!c->pub_ok) {
        c->invalid = 1; /* OpenSSL cannot decode the key: the certificate is unusable */
    }
    if (pc_name_eq(c->subject, c->issuer)) {
        int ok = 1;
        c->self_issued = 1;
        if (c->has_akid) {
            check_akid_ok(&ok, c, c->akid_has_keyid, c->akid_keyid, c->akid_has_serial,
                          c->akid_serial);
        }
        c->self_signed = ok && c->pub_ok && sig_alg_is_ecdsa(c->tbs_alg);
    }
}

/* ---- names ---- */

/* Canonical form of one attribute value (OpenSSL's asn1_string_canon): string types as UTF-8
 * with ASCII whitespace trimmed and collapsed and ASCII letters lowered; others as they are.
 * Returns the length in out (cap bytes), or (size_t)-1 when it does not fit. */
static size_t value_canon(unsigned char *out, size_t cap, unsigned *tag, pc_span v, unsigned vtag)
{
    unsigned char u[512];
    size_t n = 0, o = 0, i = 0, width;
    switch (vtag) {
    case 0x0c:
    case 0x13:
    case 0x14:
    case 0x16:
    case 0x1a:
    case 0x1e:
    case 0x1c:
        break;
    default:
        if (v.n > cap) {
            return (size_t)-1;
        }
        pc_memcpy(out, v.p, v.n);
        *tag = vtag;
        return v.n;
    }
    *tag = 0x0c;
    width = vtag == 0x1e ? 2 : vtag == 0x1c ? 4 : 1;
    for (i = 0; i + width <= v.n; i += width) {
        uint32_t cp = 0;
        for (size_t k = 0; k < width; k++) {
            cp = (cp << 8) | v.p[i + k];
        }
        if (vtag == 0x0c) {
            if (n >= sizeof u) {
                return (size_t)-1;
            }
            u[n++] = (unsigned char)cp;
            continue;
        }
        if (n + 4 > sizeof u) {
            return (size_t)-1;
        }
        if (cp < 0x80) {
            u[n++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            u[n++] = (unsigned char)(0xc0 | (cp >> 6));
            u[n++] = (unsigned char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            u[n++] = (unsigned char)(0xe0 | (cp >> 12));
            u[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
            u[n++] = (unsigned char)(0x80 | (cp & 0x3f));
        } else {
            u[n++] = (unsigned char)(0xf0 | (cp >> 18));
            u[n++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
            u[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
            u[n++] = (unsigned char)(0x80 | (cp & 0x3f));
        }
    }
#define PC_SPACE(c) ((c) == ' ' || ((c) >= '\t' && (c) <= '\r'))
    i = 0;
    while (i < n && PC_SPACE(u[i])) {
        i++;
    }
    while (n > i && PC_SPACE(u[n - 1])) {
        n--;
    }
    while (i < n) {
        unsigned char c = u[i];
        if (PC_SPACE(c)) {
            while (i < n && PC_SPACE(u[i])) {
                i++;
            }
            c = ' ';
        } else {
            i++;
            if (c >= 'A' && c <= 'Z') {
                c = (unsigned char)(c + 32);
            }
        }
        if (o >= cap) {
            return (size_t)-1;
        }
        out[o++] = c;
    }
#undef PC_SPACE
    return o;
}

/* Walks RDNs and their attributes in order. */
typedef struct {
    const unsigned char *q, *qe; /* RDN cursor */
    const unsigned char *s, *se; /* attribute cursor within the current RDN */
} name_iter;

static void name_iter_init(name_iter *it, pc_span name)
{
    const unsigned char *p = name.p;
    tlv t;
    it->q = it->qe = it->s = it->se = NULL;
    if (der_next(&t, &p, name.p + name.n) == 0) {
        it->q = t.val.p;
        it->qe = t.val.p + t.val.n;
    }
}

/* Next attribute: returns 1 (with *rdn_start set when it opens a new RDN), 0 at the end. */
static int name_iter_next(name_iter *it, int *rdn_start, pc_span *oid, pc_span *val, unsigned *tag)
{
    tlv ava, o, v;
    const unsigned char *a;
    *rdn_start = 0;
    while (it->s == it->se) {
        tlv set;
        if (it->q == NULL || it->q >= it->qe || der_next(&set, &it->q, it->qe) != 0) {
            return 0;
        }
        it->s = set.val.p;
        it->se = set.val.p + set.val.n;
        *rdn_start = 1;
        if (it->s == it->se) {
            return -1; /* an empty RDN set */
        }
    }
    if (der_next(&ava, &it->s, it->se) != 0) {
        return 0;
    }
    a = ava.val.p;
    (void)der_next(&o, &a, ava.val.p + ava.val.n);
    (void)der_next(&v, &a, ava.val.p + ava.val.n);
    *oid = o.val;
    *val = v.val;
    *tag = v.tag;
    return 1;
}

int pc_name_eq(pc_span a, pc_span b)
{
    name_iter ia, ib;
    if (span_eq(a, b)) {
        return 1;
    }
    name_iter_init(&ia, a);
    name_iter_init(&ib, b);
    for (;;) {
        int sa, sb, ra, rb;
        pc_span oa, ob, va, vb;
        unsigned ta = 0, tb = 0, ca_tag = 0, cb_tag = 0;
        unsigned char ca[256], cb[256];
        size_t na, nb;
        ra = name_iter_next(&ia, &sa, &oa, &va, &ta);
        rb = name_iter_next(&ib, &sb, &ob, &vb, &tb);
        if (ra != rb || ra < 0) {
            return ra == rb && ra < 0 ? 0 : 0;
        }
        if (ra == 0) {
            return 1;
        }
        if (sa != sb || !span_eq(oa, ob)) {
            return 0;
        }
        na = value_canon(ca, sizeof ca, &ca_tag, va, ta);
        nb = value_canon(cb, sizeof cb, &cb_tag, vb, tb);
        if (na == (size_t)-1 || nb == (size_t)-1 || na != nb || ca_tag != cb_tag ||
            pc_memcmp(ca, cb, na) != 0) {
            return 0;
        }
    }
}

int pc_name_cn_is(pc_span name, const char *cn, size_t cn_len)
{
    name_iter it;
    int start;
    pc_span o, v;
    unsigned tag;
    name_iter_init(&it, name);
    while (name_iter_next(&it, &start, &o, &v, &tag) == 1) {
        if (oid_is(o, OID_CN, sizeof OID_CN)) {
            return v.n == cn_len && v.n < 128 && pc_memcmp(v.p, cn, cn_len) == 0;
        }
    }
    return 0;
}

/* ---- times ---- */

int64_t pc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int pc_time_parse(int64_t *out, unsigned char tag, pc_span t)
{
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t want = tag == 0x17 ? 13 : 15, i, o = 0;
    unsigned v[6];
    int64_t year;
    if ((tag != 0x17 && tag != 0x18) || t.n != want || t.p[want - 1] != 'Z') {
        return -1;
    }
    for (i = 0; i + 1 < want; i++) {
        if (t.p[i] < '0' || t.p[i] > '9') {
            return -1;
        }
    }
    if (tag == 0x17) {
        year = (t.p[0] - '0') * 10 + (t.p[1] - '0');
        year += year < 50 ? 2000 : 1900;
        o = 2;
    } else {
        year = (t.p[0] - '0') * 1000 + (t.p[1] - '0') * 100 + (t.p[2] - '0') * 10 + (t.p[3] - '0');
        o = 4;
    }
    for (i = 0; i < 5; i++) {
        v[i] = (unsigned)((t.p[o + 2 * i] - '0') * 10 + (t.p[o + 2 * i + 1] - '0'));
    }
    /* v: month, day, hour, minute, second */
    if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[2] > 23 || v[3] > 59 || v[4] > 59) {
        return -1;
    }
    {
        unsigned md = mdays[v[0] - 1];
        if (v[0] == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
            md = 29;
        }
        if (v[1] > md) {
            return -1;
        }
    }
    *out = pc_days_from_civil(year, v[0], v[1]) * 86400 + v[2] * 3600 + v[3] * 60 + v[4];
    return 0;
}

/* X509_cmp_time: -1 when t <= now, 1 when t > now, 0 on a format error. */
static int cmp_time(unsigned char tag, pc_span t, int64_t now)
{
    int64_t v;
    if (pc_time_parse(&v, tag, t) != 0) {
        return 0;
    }
    return v <= now ? -1 : 1;
}

/* ---- signatures ---- */

/* A strict DER INTEGER (positive) of at most 32 bytes, right-aligned into out. */
static int sig_int(unsigned char out[32], tlv *t)
{
    pc_span v = t->val;
    if (t->tlv.p[0] != 0x02 || t->tlv.p[1] >= 0x80 || v.n == 0 || (v.p[0] & 0x80) ||
        (v.n > 1 && v.p[0] == 0 && !(v.p[1] & 0x80))) {
        return 0;
    }
    if (v.p[0] == 0) {
        v.p++;
        v.n--;
    }
    if (v.n > 32) {
        return 0;
    }
    pc_memset(out, 0, 32);
    pc_memcpy(out + 32 - v.n, v.p, v.n);
    return 1;
}

int pc_sig_verify(const unsigned char pub[64], pc_span alg, pc_span sig, pc_span msg)
{
    static const unsigned char want_alg[] = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                             0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
    const unsigned char *q, *qe, *r;
    tlv seq, ti, si;
    unsigned char rs[64], digest[32];
    if (!span_eq(alg, (pc_span){want_alg, sizeof want_alg}) || sig.n < 1 || sig.p[0] != 0) {
        return 0;
    }
    q = sig.p + 1;
    qe = sig.p + sig.n;
    /* DER only: short-form lengths (the value is far below 128 bytes) and nothing after */
    if (der_next(&seq, &q, qe) != 0 || q != qe || seq.tlv.p[0] != 0x30 || seq.tlv.p[1] >= 0x80) {
        return 0;
    }
    r = seq.val.p;
    if (der_next(&ti, &r, seq.val.p + seq.val.n) != 0 ||
        der_next(&si, &r, seq.val.p + seq.val.n) != 0 || r != seq.val.p + seq.val.n ||
        !sig_int(rs, &ti) || !sig_int(rs + 32, &si)) {
        return 0;
    }
    tk_pc_sha256(digest, msg.p, msg.n);
    return tk_pc_p256_verify_var(rs, digest, pub);
}

/* ---- CRLs ---- */

int pc_crl_parse(pc_crl *c, const unsigned char *der, size_t len)
{
    const unsigned char *p = der, *end = der + len, *q, *qe;
    tlv crl, tbs, t, alg, sig;
    pc_memset(c, 0, sizeof *c);
    if (der_expect(&crl, &p, end, 0x30) != 0 || p != end) {
        return TK_PC_ERR_INPUT;
    }
    c->der = crl.tlv;
    q = crl.val.p;
    qe = q + crl.val.n;
    if (der_expect(&tbs, &q, qe, 0x30) != 0 || alg_parse(&alg, &q, qe) != 0 ||
        der_expect(&sig, &q, qe, 0x03) != 0 || q != qe || !bitstring_ok(sig.val)) {
        return TK_PC_ERR_INPUT;
    }
    c->tbs = tbs.tlv;
    c->sig_alg = alg.tlv;
    c->sig = sig.val;
    q = tbs.val.p;
    qe = q + tbs.val.n;
    if (der_peek(q, qe) == 0x02) {
        if (der_next(&t, &q, qe) != 0 || !int_ok(t.val)) {
            return TK_PC_ERR_INPUT;
        }
    }
    if (alg_parse(&t, &q, qe) != 0) {
        return TK_PC_ERR_INPUT;
    }
    c->tbs_alg = t.tlv;
    if (name_parse(&t, &q, qe) != 0) {
        return TK_PC_ERR_INPUT;
    }
    c->issuer = t.tlv;
    if (der_next(&t, &q, qe) != 0 || (t.tag != 0x17 && t.tag != 0x18)) {
        return TK_PC_ERR_INPUT;
    }
    c->this_update = t.val;
    c->tu_tag = (unsigned char)t.tag;
    if (der_peek(q, qe) == 0x17 || der_peek(q, qe) == 0x18) {
        if (der_next(&t, &q, qe) != 0) {
            return TK_PC_ERR_INPUT;
        }
        c->next_update = t.val;
        c->nu_tag = (unsigned char)t.tag;
        c->has_next = 1;
    }
    if (der_peek(q, qe) == 0x30 || der_peek(q, qe) == 0x10) {
        const unsigned char *r, *re;
        if (der_next(&t, &q, qe) != 0) {
            return TK_PC_ERR_INPUT;
        }
        c->revoked = t.val;
        r = t.val.p;
        re = r + t.val.n;
        while (r < re) {
            tlv entry, serial, date, exts;
            const unsigned char *s, *se;
            if (der_expect(&entry, &r, re, 0x30) != 0) {
                return TK_PC_ERR_INPUT;
            }
            s = entry.val.p;
            se = s + entry.val.n;
            if (der_expect(&serial, &s, se, 0x02) != 0 || !int_ok(serial.val) ||
                der_next(&date, &s, se) != 0 || (date.tag != 0x17 && date.tag != 0x18)) {
                return TK_PC_ERR_INPUT;
            }
            if (s < se) {
                ext_view e;
                const unsigned char *x;
                if (der_expect_of(&exts, &s, se, 0x30) != 0 || exts_parse(exts.val) != 0) {
                    return TK_PC_ERR_INPUT;
                }
                x = exts.val.p;
                while (ext_next(&e, &x, exts.val)) {
                    if (e.critical && !oid_ce(e.oid, 29)) {
                        c->critical = 1;
                    }
                }
            }
            if (s != se) {
                return TK_PC_ERR_INPUT;
            }
        }
    }
    if (der_peek(q, qe) == 0xa0) {
        tlv seq;
        const unsigned char *r;
        ext_view e;
        if (der_next(&t, &q, qe) != 0) {
            return TK_PC_ERR_INPUT;
        }
        r = t.val.p;
        if (der_expect_of(&seq, &r, t.val.p + t.val.n, 0x30) != 0 || r != t.val.p + t.val.n ||
            exts_parse(seq.val) != 0) {
            return TK_PC_ERR_INPUT;
        }
        r = seq.val.p;
        while (ext_next(&e, &r, seq.val)) {
            if (oid_ce(e.oid, 28)) {
                c->has_idp = 1;
            } else if (oid_ce(e.oid, 27)) {
                c->is_delta = 1;
            } else if (oid_ce(e.oid, 35) && !c->has_akid) {
                c->has_akid = akid_parse(e.value, &c->akid_has_keyid, &c->akid_keyid,
                                         &c->akid_has_serial, &c->akid_serial) == 0;
            }
            if (e.critical && !oid_ce(e.oid, 28) && !oid_ce(e.oid, 35) && !oid_ce(e.oid, 27)) {
                c->critical = 1;
            }
        }
    }
    return q == qe ? TK_PC_OK : TK_PC_ERR_INPUT;
}

/* Whether serial is listed (and not removeFromCRL). */
static int crl_revoked(const pc_crl *crl, pc_span serial)
{
    const unsigned char *r = crl->revoked.p, *re = r;
    if (r == NULL) {
        return 0; /* no revokedCertificates */
    }
    re = r + crl->revoked.n;
    while (r < re) {
        tlv entry, s, date, exts;
        const unsigned char *q, *qe;
        (void)der_next(&entry, &r, re);
        q = entry.val.p;
        qe = q + entry.val.n;
        (void)der_next(&s, &q, qe);
        (void)der_next(&date, &q, qe);
        if (!span_eq(s.val, serial)) {
            continue;
        }
        if (q < qe) {
            ext_view e;
            const unsigned char *x;
            (void)der_next(&exts, &q, qe);
            x = exts.val.p;
            while (ext_next(&e, &x, exts.val)) {
                if (oid_ce(e.oid, 21) && e.value.n == 3 && e.value.p[0] == 0x0a &&
                    e.value.p[1] == 1 && e.value.p[2] == 8) {
                    return 0; /* removeFromCRL */
                }
            }
        }
        return 1;
    }
    return 0;
}

/* ---- chain verification (OpenSSL's X509_verify_cert, the parts DCAP chains reach) ---- */

#define PC_MAX_CHAIN 10

static int signing_allowed(const pc_cert *issuer)
{
    return !(issuer->has_ku && !(issuer->ku & 0x04)); /* keyCertSign */
}

/* X509_check_issued(issuer, subject) == X509_V_OK */
static int check_issued(pc_cert *issuer, pc_cert *subject)
{
    int ok = 1;
    if (!pc_name_eq(issuer->subject, subject->issuer)) {
        return 0;
    }
    pc_cert_cache(issuer);
    pc_cert_cache(subject);
    if (issuer->invalid || subject->invalid) {
        return 0;
    }
    if (subject->has_akid) {
        check_akid_ok(&ok, issuer, subject->akid_has_keyid, subject->akid_keyid,
                      subject->akid_has_serial, subject->akid_serial);
    }
    return ok && issuer->pub_ok && sig_alg_is_ecdsa(subject->tbs_alg) && signing_allowed(issuer);
}

static int check_ca(const pc_cert *x)
{
    if (x->has_ku && !(x->ku & 0x04)) {
        return 0;
    }
    if (x->has_bc) {
        return x->ca;
    }
    if (x->version == 0 && x->self_signed) {
        return 3;
    }
    return x->has_ku ? 4 : 0;
}

static int cert_time(const char **detail, const pc_cert *x, int64_t now)
{
    int i = cmp_time(x->nb_tag, x->not_before, now);
    if (i == 0) {
        *detail = "format error in certificate's notBefore field";
        return TK_PC_ERR_CRYPTO;
    }
    if (i > 0) {
        *detail = "certificate is not yet valid";
        return TK_PC_ERR_RANGE;
    }
    i = cmp_time(x->na_tag, x->not_after, now);
    if (i == 0) {
        *detail = "format error in certificate's notAfter field";
        return TK_PC_ERR_CRYPTO;
    }
    if (i < 0) {
        *detail = "certificate has expired";
        return TK_PC_ERR_RANGE;
    }
    return TK_PC_OK;
}

/* check_crl_time; notify == 0: only whether it is valid (1) or not (0). */
static int crl_time(const char **detail, const pc_crl *crl, int64_t now, int notify)
{
    int i = cmp_time(crl->tu_tag, crl->this_update, now);
    if (i == 0) {
        *detail = "CRL lastUpdate field has an invalid format";
        return notify ? TK_PC_ERR_CRYPTO : 0;
    }
    if (i > 0) {
        *detail = "CRL is not yet valid";
        return notify ? TK_PC_ERR_RANGE : 0;
    }
    if (crl->has_next) {
        i = cmp_time(crl->nu_tag, crl->next_update, now);
        if (i == 0) {
            *detail = "CRL nextUpdate field has an invalid format";
            return notify ? TK_PC_ERR_CRYPTO : 0;
        }
        if (i < 0) {
            *detail = "CRL has expired";
            return notify ? TK_PC_ERR_RANGE : 0;
        }
    }
    return notify ? TK_PC_OK : 1;
}

static int crl_akid_ok(const pc_crl *crl, const pc_cert *issuer)
{
    int ok = 1;
    if (crl->has_akid) {
        check_akid_ok(&ok, issuer, crl->akid_has_keyid, crl->akid_keyid, crl->akid_has_serial,
                      crl->akid_serial);
    }
    return ok;
}

/* check_cert for chain[i]: find the CRL, check it, look the certificate up. */
static int check_revocation(const char **detail, pc_cert *const *chain, size_t n, size_t i,
                            pc_crl *const *crls, size_t n_crls, int64_t now)
{
    const pc_cert *x = chain[i];
    pc_crl *best = NULL;
    pc_cert *best_issuer = NULL;
    int best_score = 0, rc;
    int64_t best_last = 0;
    for (size_t k = 0; k < n_crls; k++) {
        pc_crl *crl = crls[k];
        pc_cert *issuer = NULL;
        const char *ignored;
        int score;
        int64_t last = 0;
        if (crl->has_idp || crl->is_delta || !pc_name_eq(x->issuer, crl->issuer)) {
            continue;
        }
        score = 0x020 | 0x080; /* issuer name, scope (no distribution point restrictions) */
        if (!crl->critical) {
            score |= 0x100;
        }
        if (crl_time(&ignored, crl, now, 0)) {
            score |= 0x040;
        }
        {
            size_t cidx = i + 1 < n ? i + 1 : n - 1;
            if (crl_akid_ok(crl, chain[cidx])) {
                score |= 0x004 | 0x018;
                issuer = chain[cidx];
            } else {
                for (cidx++; cidx < n; cidx++) {
                    if (pc_name_eq(chain[cidx]->subject, crl->issuer) &&
                        crl_akid_ok(crl, chain[cidx])) {
                        score |= 0x004 | 0x008;
                        issuer = chain[cidx];
                        break;
                    }
                }
            }
        }
        if (issuer == NULL || score < best_score) {
            continue;
        }
        if (pc_time_parse(&last, crl->tu_tag, crl->this_update) != 0) {
            last = INT64_MIN;
        }
        if (score == best_score && best != NULL) {
            if (last == INT64_MIN || best_last == INT64_MIN || last <= best_last) {
                continue;
            }
        }
        best = crl;
        best_issuer = issuer;
        best_score = score;
        best_last = last;
    }
    if (best == NULL) {
        *detail = "unable to get certificate CRL";
        return TK_PC_ERR_CRYPTO;
    }
    if (best_issuer->has_ku && !(best_issuer->ku & 0x02)) {
        *detail = "key usage does not include CRL signing";
        return TK_PC_ERR_CRYPTO;
    }
    if (!(best_score & 0x040) && (rc = crl_time(detail, best, now, 1)) != TK_PC_OK) {
        return rc;
    }
    if (!best_issuer->pub_ok) {
        *detail = "unable to decode issuer public key";
        return TK_PC_ERR_CRYPTO;
    }
    /* the same CRL is checked for several certificates: its signature under one key is a
     * fixed fact, verified once */
    if (!(best->verified && pc_memcmp(best->verified_pub, best_issuer->pub, 64) == 0)) {
        if (!span_eq(best->sig_alg, best->tbs_alg) ||
            !pc_sig_verify(best_issuer->pub, best->sig_alg, best->sig, best->tbs)) {
            *detail = "CRL signature failure";
            return TK_PC_ERR_CRYPTO;
        }
        pc_memcpy(best->verified_pub, best_issuer->pub, 64);
        best->verified = 1;
    }
    if (best->critical) {
        *detail = "unhandled critical CRL extension";
        return TK_PC_ERR_CRYPTO;
    }
    if (crl_revoked(best, x->serial)) {
        *detail = "certificate revoked";
        return TK_PC_ERR_CRYPTO;
    }
    return TK_PC_OK;
}

static int in_chain(pc_cert *const *chain, size_t n, const pc_cert *c)
{
    for (size_t i = 0; i < n; i++) {
        if (chain[i] == c || span_eq(chain[i]->der, c->der)) {
            return 1;
        }
    }
    return 0;
}

int pc_verify_chain(const char **detail, pc_cert *leaf, pc_cert *untrusted, size_t n_untrusted,
                    pc_cert *root, pc_crl *const *crls, size_t n_crls, int64_t now)
{
    pc_cert *chain[PC_MAX_CHAIN];
    size_t n = 1, plen = 0;
    int rc;

    /* 1. Build: the trust store (the root alone) first, then the untrusted pool. */
    chain[0] = leaf;
    pc_cert_cache(leaf);
    pc_cert_cache(root);
    if (span_eq(leaf->der, root->der)) {
        chain[0] = root;
    } else {
        for (;;) {
            pc_cert *top = chain[n - 1], *found = NULL;
            if (check_issued(root, top)) {
                chain[n++] = root;
                break;
            }
            if (top->self_issued && check_issued(top, top)) {
                *detail = n == 1 ? "self-signed certificate" : "self-signed certificate in chain";
                return TK_PC_ERR_CRYPTO;
            }
            for (size_t i = 0; i < n_untrusted; i++) {
                pc_cert *cand = &untrusted[i];
                if (!in_chain(chain, n, cand) && check_issued(cand, top)) {
                    const char *ignored;
                    if (found == NULL) {
                        found = cand;
                    }
                    if (cert_time(&ignored, cand, now) == TK_PC_OK) {
                        found = cand;
                        break;
                    }
                }
            }
            if (found == NULL || n + 1 >= PC_MAX_CHAIN) {
                *detail = "unable to get local issuer certificate";
                return TK_PC_ERR_CRYPTO;
            }
            chain[n++] = found;
        }
    }

    /* 2. Extensions: unhandled critical ones, CA flags, path lengths. */
    for (size_t i = 0; i < n; i++) {
        pc_cert *x = chain[i];
        pc_cert_cache(x);
        if (x->critical) {
            *detail = "unhandled critical extension";
            return TK_PC_ERR_CRYPTO;
        }
        if (i > 0 && check_ca(x) == 0) {
            *detail = "invalid CA certificate";
            return TK_PC_ERR_CRYPTO;
        }
        if (i > 1 && x->pathlen != -1 && (long)plen > x->pathlen) {
            *detail = "path length constraint exceeded";
            return TK_PC_ERR_CRYPTO;
        }
        if (i > 0 && !x->self_issued) {
            plen++;
        }
    }

    /* 3. Revocation of every certificate, the root included (CRL_CHECK_ALL). */
    for (size_t i = 0; i < n; i++) {
        if ((rc = check_revocation(detail, chain, n, i, crls, n_crls, now)) != TK_PC_OK) {
            return rc;
        }
    }

    /* 4. Signatures and validity, from the anchor down. */
    {
        size_t k = n - 1;
        pc_cert *xi = chain[k], *xs;
        if (check_issued(xi, xi)) {
            xs = xi;
        } else {
            if (k == 0) {
                *detail = "unable to verify the first certificate";
                return TK_PC_ERR_CRYPTO;
            }
            k--;
            xs = chain[k];
        }
        for (;;) {
            if (xs != xi) {
                if (xi->ca && !signing_allowed(xi)) {
                    *detail = "key usage does not include certificate signing";
                    return TK_PC_ERR_CRYPTO;
                }
                if (!xi->pub_ok) {
                    *detail = "unable to decode issuer public key";
                    return TK_PC_ERR_CRYPTO;
                }
                if (!span_eq(xs->sig_alg, xs->tbs_alg) ||
                    !pc_sig_verify(xi->pub, xs->sig_alg, xs->sig, xs->tbs)) {
                    *detail = "certificate signature failure";
                    return TK_PC_ERR_CRYPTO;
                }
            }
            if ((rc = cert_time(detail, xs, now)) != TK_PC_OK) {
                return rc;
            }
            if (k == 0) {
                break;
            }
            k--;
            xi = xs;
            xs = chain[k];
        }
    }
    return TK_PC_OK;
}

/* ---- the SGX extension ---- */

/* SEQUENCE { OID, value } pair inside a SEQUENCE OF. */
static int pair_next(pc_span *oid, tlv *value, const unsigned char **q, const unsigned char *qe)
{
    tlv seq, o;
    const unsigned char *r;
    if (der_expect(&seq, q, qe, 0x30) != 0) {
        return -1;
    }
    r = seq.val.p;
    if (der_expect(&o, &r, seq.val.p + seq.val.n, 0x06) != 0 || !oid_ok(o.val) ||
        der_next(value, &r, seq.val.p + seq.val.n) != 0 || r != seq.val.p + seq.val.n) {
        return -1;
    }
    *oid = o.val;
    return 0;
}

/* An INTEGER value in 0..max (ASN1_INTEGER_get semantics for what fits a long). */
static int small_int(long *out, const tlv *v, long max)
{
    long n = 0;
    if (v->tag != 0x02 || !int_ok(v->val) || (v->val.p[0] & 0x80)) {
        return 0;
    }
    for (size_t i = 0; i < v->val.n; i++) {
        if (n > 0xffffff) {
            return 0;
        }
        n = (n << 8) | v->val.p[i];
    }
    if (n > max) {
        return 0;
    }
    *out = n;
    return 1;
}

int pc_pck_ext(unsigned char fmspc[6], unsigned char pceid[2], unsigned char cpusvn[16],
               uint16_t *pcesvn, const pc_cert *c)
{
    const unsigned char *q = c->exts.p, *r, *re;
    ext_view e;
    unsigned seen = 0;
    int found = 0;
    tlv seq;
    pc_memset(fmspc, 0, 6);
    pc_memset(pceid, 0, 2);
    pc_memset(cpusvn, 0, 16);
    *pcesvn = 0;
    while (ext_next(&e, &q, c->exts)) {
        if (oid_is(e.oid, OID_SGX, sizeof OID_SGX)) {
            found = 1;
            break;
        }
    }
    if (!found) {
        return -1;
    }
    if (e.constructed) {
        return -2;
    }
    r = e.value.p;
    re = r + e.value.n;
    if (der_expect(&seq, &r, re, 0x30) != 0 || r != re) {
        return -2;
    }
    r = seq.val.p;
    re = r + seq.val.n;
    while (r < re) {
        pc_span oid;
        tlv v;
        if (pair_next(&oid, &v, &r, re) != 0) {
            return -3;
        }
        if (oid.n == sizeof OID_SGX + 1 && pc_memcmp(oid.p, OID_SGX, sizeof OID_SGX) == 0) {
            unsigned arc = oid.p[sizeof OID_SGX];
            if (arc == 2) {
                const unsigned char *s, *se;
                if (v.tag != 0x30) {
                    return -3;
                }
                s = v.val.p;
                se = s + v.val.n;
                while (s < se) {
                    pc_span o2;
                    tlv v2;
                    long n = 0;
                    if (pair_next(&o2, &v2, &s, se) != 0) {
                        return -3;
                    }
                    if (o2.n == sizeof OID_SGX + 2 &&
                        pc_memcmp(o2.p, OID_SGX, sizeof OID_SGX) == 0 &&
                        o2.p[sizeof OID_SGX] == 2) {
                        unsigned a2 = o2.p[sizeof OID_SGX + 1];
                        if (a2 >= 1 && a2 <= 16) {
                            if (!small_int(&n, &v2, 255)) {
                                return -3;
                            }
                            cpusvn[a2 - 1] = (unsigned char)n;
                            seen |= 1u << a2;
                        } else if (a2 == 17) {
                            if (!small_int(&n, &v2, 65535)) {
                                return -3;
                            }
                            *pcesvn = (uint16_t)n;
                            seen |= 1u << 17;
                        }
                    }
                }
            } else if (arc == 3) {
                if (v.tag != 0x04 || v.val.n != 2) {
                    return -3;
                }
                pc_memcpy(pceid, v.val.p, 2);
                seen |= 1u << 20;
            } else if (arc == 4) {
                if (v.tag != 0x04 || v.val.n != 6) {
                    return -3;
                }
                pc_memcpy(fmspc, v.val.p, 6);
                seen |= 1u << 21;
            }
        }
    }
    if (seen != ((0x3ffffu & ~1u) | (1u << 20) | (1u << 21))) {
        return -4;
    }
    return 0;
}

/* ---- base64 ---- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

int pc_base64_decode(unsigned char *out, size_t cap, size_t *out_len, const char *in, size_t len)
{
    size_t pad = 0, n, o = 0;
    *out_len = 0;
    if (len % 4 != 0) {
        return -1;
    }
    if (len >= 1 && in[len - 1] == '=') {
        pad = (len >= 2 && in[len - 2] == '=') ? 2 : 1;
    }
    n = len / 4 * 3 - pad;
    if (n > cap) {
        return -1;
    }
    for (size_t i = 0; i < len; i += 4) {
        size_t real = (i + 4 == len) ? 4 - pad : 4;
        uint32_t w = 0;
        for (size_t k = 0; k < 4; k++) {
            int v = 0;
            if (k < real) {
                v = b64_value((unsigned char)in[i + k]);
                if (v < 0) {
                    return -1;
                }
            }
            w = (w << 6) | (uint32_t)v;
        }
        out[o++] = (unsigned char)(w >> 16);
        if (real > 2) {
            out[o++] = (unsigned char)(w >> 8);
        }
        if (real > 3) {
            out[o++] = (unsigned char)w;
        }
        if ((real == 2 && (w & 0xffff)) || (real == 3 && (w & 0xff)) || real < 2) {
            return -1;
        }
    }
    *out_len = n;
    return 0;
}
