/*
 * The MPC signer contract's argument parsers: NEAR BLS key strings, the three app key forms,
 * request_app_private_key, respond_ckd, new and start_dkg. Pure (no host calls): they check
 * JSON shape, unknown members, lengths, base58 and flag bits, and return NULL or a message;
 * fuzz/fuzz_mpc_signer_args.c drives them. docs/contracts.md lists the arguments.
 */
#include "mpc_signer.h"

static const char *unknown_member(const near_json *obj, const char *const *allowed)
{
    const char *u = near_json_unknown_key(obj, allowed);
    return u != NULL ? near_strcat2("unknown argument: ", u) : NULL;
}

static int has_prefix(const char *s, size_t len, const char *prefix)
{
    size_t n = near_strlen(prefix);
    return len >= n && near_memeq(s, prefix, n);
}

static const char *parse_point(uint8_t *out, size_t out_len, const near_json *v, const char *what,
                               const char *prefix)
{
    const char *s = near_json_string(v);
    size_t n = near_strlen(prefix);
    if (s == NULL) {
        return near_strcat2(what, " must be a string");
    }
    if (!has_prefix(s, v->len, prefix)) {
        return near_strcat2(what, out_len == NEAR_BLS_P1C ? " must start with bls12381g1:"
                                                          : " must start with bls12381g2:");
    }
    if (!near_unbase58(out, out_len, s + n, v->len - n)) {
        return near_strcat2(what, out_len == NEAR_BLS_P1C ? " must be base58 of 48 bytes"
                                                          : " must be base58 of 96 bytes");
    }
    if ((out[0] & 0x80) == 0) {
        return near_strcat2(what, " must be a compressed point");
    }
    return NULL;
}

const char *ms_parse_g1(uint8_t out[NEAR_BLS_P1C], const near_json *v, const char *what)
{
    return parse_point(out, NEAR_BLS_P1C, v, what, "bls12381g1:");
}

const char *ms_parse_g2(uint8_t out[NEAR_BLS_P2C], const near_json *v, const char *what)
{
    return parse_point(out, NEAR_BLS_P2C, v, what, "bls12381g2:");
}

char *ms_g1_string(const uint8_t in[NEAR_BLS_P1C])
{
    near_buf b = {0};
    near_buf_puts(&b, "bls12381g1:");
    near_buf_puts(&b, near_base58(in, NEAR_BLS_P1C));
    return b.data;
}

char *ms_g2_string(const uint8_t in[NEAR_BLS_P2C])
{
    near_buf b = {0};
    near_buf_puts(&b, "bls12381g2:");
    near_buf_puts(&b, near_base58(in, NEAR_BLS_P2C));
    return b.data;
}

const char *ms_parse_u64(uint64_t *out, const near_json *v, const char *what)
{
    if (v == NULL) {
        return near_strcat2("missing argument: ", what);
    }
    if (!near_json_u64(v, out)) {
        return near_strcat2(what, " must be an unsigned 64-bit integer");
    }
    return NULL;
}

static const char *parse_account(const char **out, const near_json *v, const char *what)
{
    const char *s = near_json_string(v);
    if (v == NULL) {
        return near_strcat2("missing argument: ", what);
    }
    if (s == NULL || !near_account_id_valid(s, v->len)) {
        return near_strcat2(what, " must be a valid NEAR account id");
    }
    *out = s;
    return NULL;
}

const char *ms_parse_app_key(ms_app_key *out, const near_json *v)
{
    static const char *const pv_allowed[] = {"pk1", "pk2", NULL};
    const near_json *inner;
    const char *err;
    near_buf j = {0};
    if (v == NULL) {
        return "missing argument: app_public_key";
    }
    if (v->type == NEAR_JSON_STRING) {
        out->form = MS_KEY_PLAIN;
        if ((err = ms_parse_g1(out->pk1, v, "app_public_key")) != NULL) {
            return err;
        }
        near_json_write_string(&j, v->str, v->len);
        out->json = j.data;
        return NULL;
    }
    if (v->type != NEAR_JSON_OBJECT || v->count != 1) {
        return "app_public_key must be \"bls12381g1:..\", {\"AppPublicKey\":..} or "
               "{\"AppPublicKeyPV\":{\"pk1\",\"pk2\"}}";
    }
    if ((inner = near_json_get(v, "AppPublicKey")) != NULL) {
        out->form = MS_KEY_TAGGED;
        if ((err = ms_parse_g1(out->pk1, inner, "AppPublicKey")) != NULL) {
            return err;
        }
        near_buf_puts(&j, "{\"AppPublicKey\":");
        near_json_write_string(&j, inner->str, inner->len);
        near_buf_putc(&j, '}');
        out->json = j.data;
        return NULL;
    }
    if ((inner = near_json_get(v, "AppPublicKeyPV")) == NULL) {
        return "app_public_key must be \"bls12381g1:..\", {\"AppPublicKey\":..} or "
               "{\"AppPublicKeyPV\":{\"pk1\",\"pk2\"}}";
    }
    out->form = MS_KEY_PV;
    if (inner->type != NEAR_JSON_OBJECT) {
        return "AppPublicKeyPV must be an object {pk1, pk2}";
    }
    if ((err = unknown_member(inner, pv_allowed)) != NULL) {
        return err;
    }
    if ((err = ms_parse_g1(out->pk1, near_json_get(inner, "pk1"), "AppPublicKeyPV.pk1")) != NULL ||
        (err = ms_parse_g2(out->pk2, near_json_get(inner, "pk2"), "AppPublicKeyPV.pk2")) != NULL) {
        return err;
    }
    near_buf_puts(&j, "{\"AppPublicKeyPV\":{\"pk1\":");
    near_buf_puts(&j, "\"");
    near_buf_puts(&j, ms_g1_string(out->pk1));
    near_buf_puts(&j, "\",\"pk2\":\"");
    near_buf_puts(&j, ms_g2_string(out->pk2));
    near_buf_puts(&j, "\"}}");
    out->json = j.data;
    return NULL;
}

const char *ms_parse_request(ms_request_args *out, const near_json *doc)
{
    static const char *const top[] = {"request", NULL};
    static const char *const inner[] = {"derivation_path", "app_public_key", "domain_id", NULL};
    const near_json *req, *path;
    const char *err;
    size_t i;
    if (doc == NULL || doc->type != NEAR_JSON_OBJECT) {
        return "arguments must be an object";
    }
    if ((err = unknown_member(doc, top)) != NULL) {
        return err;
    }
    req = near_json_get(doc, "request");
    if (req == NULL) {
        return "missing argument: request";
    }
    if (req->type != NEAR_JSON_OBJECT) {
        return "request must be an object {derivation_path, app_public_key, domain_id}";
    }
    if ((err = unknown_member(req, inner)) != NULL) {
        return err;
    }
    path = near_json_get(req, "derivation_path");
    if (path == NULL) {
        out->path = "";
        out->path_len = 0;
    } else if (path->type != NEAR_JSON_STRING) {
        return "derivation_path must be a string";
    } else {
        if (path->len > MS_PATH_MAX) {
            return "derivation_path is longer than 1024 bytes";
        }
        for (i = 0; i < path->len; i++) {
            unsigned char c = (unsigned char)path->str[i];
            if (c < 0x20 || c == 0x7f) {
                return "derivation_path must not contain control characters";
            }
        }
        out->path = path->str;
        out->path_len = path->len;
    }
    if ((err = ms_parse_app_key(&out->key, near_json_get(req, "app_public_key"))) != NULL) {
        return err;
    }
    return ms_parse_u64(&out->domain_id, near_json_get(req, "domain_id"), "domain_id");
}

const char *ms_parse_respond(ms_respond_args *out, const near_json *doc)
{
    static const char *const top[] = {"request_id", "data_id", "response", NULL};
    static const char *const resp[] = {"big_y", "big_c", NULL};
    const near_json *id = near_json_get(doc, "request_id"), *data = near_json_get(doc, "data_id");
    const near_json *r = near_json_get(doc, "response");
    const char *err, *s;
    if (doc == NULL || doc->type != NEAR_JSON_OBJECT) {
        return "arguments must be an object";
    }
    if ((err = unknown_member(doc, top)) != NULL) {
        return err;
    }
    if ((id == NULL) == (data == NULL)) {
        return "give exactly one of request_id and data_id";
    }
    out->by_data_id = data != NULL;
    out->request_id = 0;
    if (id != NULL && (err = ms_parse_u64(&out->request_id, id, "request_id")) != NULL) {
        return err;
    }
    if (data != NULL) {
        s = near_json_string(data);
        if (s == NULL || !near_unhex(out->data_id, 32, s, data->len, 0)) {
            return "data_id must be 64 lowercase hex digits";
        }
    }
    if (r == NULL) {
        return "missing argument: response";
    }
    if (r->type != NEAR_JSON_OBJECT) {
        return "response must be an object {big_y, big_c}";
    }
    if ((err = unknown_member(r, resp)) != NULL) {
        return err;
    }
    if ((err = ms_parse_g1(out->big_y, near_json_get(r, "big_y"), "big_y")) != NULL) {
        return err;
    }
    return ms_parse_g1(out->big_c, near_json_get(r, "big_c"), "big_c");
}

static const char *parse_threshold(size_t *out, const near_json *v, size_t n)
{
    uint64_t t;
    const char *err = ms_parse_u64(&t, v, "threshold");
    if (err != NULL) {
        return err;
    }
    if (t < 1 || t > n) {
        return "threshold must be between 1 and the number of participants";
    }
    *out = (size_t)t;
    return NULL;
}

const char *ms_parse_init(ms_init_args *out, const near_json *doc)
{
    static const char *const top[] = {"participants", "threshold", "domains", NULL};
    static const char *const part[] = {"account_id", "public_share", NULL};
    static const char *const dom[] = {"domain_id", "public_key", NULL};
    const near_json *ps = near_json_get(doc, "participants"), *ds = near_json_get(doc, "domains");
    const near_json *c;
    const char *err;
    size_t i, j;
    if (doc == NULL || doc->type != NEAR_JSON_OBJECT) {
        return "arguments must be an object";
    }
    if ((err = unknown_member(doc, top)) != NULL) {
        return err;
    }
    if (ps == NULL || ps->type != NEAR_JSON_ARRAY || ps->count == 0 ||
        ps->count > MS_MAX_PARTICIPANTS) {
        return "participants must be an array of 1 to 32 participants";
    }
    out->n = 0;
    out->domains = 0;
    for (c = ps->child; c != NULL; c = c->next) {
        ms_participant *p = &out->participants[out->n++];
        p->has_share = 0;
        if (c->type == NEAR_JSON_STRING) {
            if ((err = parse_account(&p->account_id, c, "participant account_id")) != NULL) {
                return err;
            }
        } else if (c->type == NEAR_JSON_OBJECT) {
            const near_json *sh = near_json_get(c, "public_share");
            if ((err = unknown_member(c, part)) != NULL ||
                (err = parse_account(&p->account_id, near_json_get(c, "account_id"),
                                     "participant account_id")) != NULL) {
                return err;
            }
            if (sh != NULL && sh->type != NEAR_JSON_NULL) {
                if ((err = ms_parse_g2(p->share, sh, "public_share")) != NULL) {
                    return err;
                }
                p->has_share = 1;
            }
        } else {
            return "each participant must be an account id or {account_id, public_share?}";
        }
        for (i = 0; i + 1 < out->n; i++) {
            if (near_streq(out->participants[i].account_id, p->account_id)) {
                return near_strcat2("duplicate participant: ", p->account_id);
            }
        }
    }
    if ((err = parse_threshold(&out->threshold, near_json_get(doc, "threshold"), out->n)) != NULL) {
        return err;
    }
    if (ds != NULL && ds->type != NEAR_JSON_NULL) {
        if (ds->type != NEAR_JSON_ARRAY || ds->count > MS_MAX_DOMAINS) {
            return "domains must be an array of at most 16 {domain_id, public_key}";
        }
        for (c = ds->child; c != NULL; c = c->next) {
            ms_domain *d = &out->domain[out->domains++];
            if (c->type != NEAR_JSON_OBJECT) {
                return "each domain must be an object {domain_id, public_key}";
            }
            if ((err = unknown_member(c, dom)) != NULL ||
                (err = ms_parse_u64(&d->domain_id, near_json_get(c, "domain_id"), "domain_id")) !=
                    NULL ||
                (err = ms_parse_g2(d->pk, near_json_get(c, "public_key"), "public_key")) != NULL) {
                return err;
            }
            for (j = 0; j + 1 < out->domains; j++) {
                if (out->domain[j].domain_id == d->domain_id) {
                    return "duplicate domain_id";
                }
            }
        }
    }
    for (i = 0; i < out->n; i++) {
        if (out->participants[i].has_share && out->domains == 0) {
            return "public_share needs domains (a share belongs to the keys of domains)";
        }
    }
    return NULL;
}

const char *ms_parse_dkg_start(ms_dkg_start_args *out, const near_json *doc)
{
    static const char *const top[] = {"domain_id", "participants", "threshold", NULL};
    const near_json *ps = near_json_get(doc, "participants"), *c;
    const char *err;
    size_t i;
    if (doc == NULL || doc->type != NEAR_JSON_OBJECT) {
        return "arguments must be an object";
    }
    if ((err = unknown_member(doc, top)) != NULL ||
        (err = ms_parse_u64(&out->domain_id, near_json_get(doc, "domain_id"), "domain_id")) !=
            NULL) {
        return err;
    }
    if (ps == NULL || ps->type != NEAR_JSON_ARRAY || ps->count == 0 ||
        ps->count > MS_MAX_PARTICIPANTS) {
        return "participants must be an array of 1 to 32 account ids";
    }
    out->n = 0;
    for (c = ps->child; c != NULL; c = c->next) {
        const char **slot = &out->participants[out->n++];
        if ((err = parse_account(slot, c, "participant")) != NULL) {
            return err;
        }
        for (i = 0; i + 1 < out->n; i++) {
            if (near_streq(out->participants[i], *slot)) {
                return near_strcat2("duplicate participant: ", *slot);
            }
        }
    }
    return parse_threshold(&out->threshold, near_json_get(doc, "threshold"), out->n);
}

near_buf ms_participants_blob(const char *const *ids, size_t n)
{
    near_buf b = {0};
    size_t i;
    for (i = 0; i < n; i++) {
        near_buf_puts(&b, ids[i]);
        near_buf_putc(&b, 0);
    }
    return b;
}

size_t ms_participants_split(const char **ids, const uint8_t *blob, size_t len)
{
    size_t i = 0, n = 0;
    while (i < len && n < MS_MAX_PARTICIPANTS) {
        size_t start = i;
        while (i < len && blob[i] != 0) {
            i++;
        }
        ids[n++] = near_strndup((const char *)blob + start, i - start);
        i++;
    }
    return n;
}

int ms_participant_index(const char *const *ids, size_t n, const char *account)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (near_streq(ids[i], account)) {
            return (int)i;
        }
    }
    return -1;
}

void ms_pow_le(uint8_t out[32], unsigned id, unsigned k)
{
    unsigned i, e;
    for (i = 0; i < 32; i++) {
        out[i] = 0;
    }
    out[0] = 1;
    for (e = 0; e < k; e++) {
        unsigned carry = 0;
        for (i = 0; i < 32; i++) {
            unsigned v = out[i] * id + carry;
            out[i] = (uint8_t)v;
            carry = v >> 8;
        }
    }
}
