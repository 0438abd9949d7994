/*
 * near_codec: byte-string codecs (hex, base58, bech32/bech32m segwit addresses), NEAR account id
 * and public-key string checks, compact JSON re-serialisation and object members, strict
 * argument objects, the `new` caller check, NEP-297 events and a plain transfer promise, for
 * contracts (no libc; arena allocation). The decoders are strict: one encoding per value, no
 * silent truncation, 0 on any deviation.
 */
#include "near_util.h"

/* ---- hex ---- */
char *near_hex(const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char *out = near_alloc(2 * len + 1);
    size_t i;
    for (i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = 0;
    return out;
}

static int hex_digit(char c, int any_case)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (any_case && c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int near_unhex(uint8_t *out, size_t len, const char *s, size_t s_len, int any_case)
{
    size_t i;
    if (s == NULL || s_len != 2 * len) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        int hi = hex_digit(s[2 * i], any_case), lo = hex_digit(s[2 * i + 1], any_case);
        if (hi < 0 || lo < 0) {
            return 0;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 1;
}

/* ---- base58 ---- */
static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

char *near_base58(const uint8_t *data, size_t len)
{
    /* base 256 -> base 58 by repeated multiply-add into a big-endian digit array */
    size_t zeros = 0, cap = len * 138 / 100 + 1, used = 0, i, j, n = 0;
    uint8_t *digits = near_alloc(cap);
    char *out;
    for (i = 0; i < cap; i++) {
        digits[i] = 0; /* the native arena is not zeroed */
    }
    while (zeros < len && data[zeros] == 0) {
        zeros++;
    }
    for (i = zeros; i < len; i++) {
        unsigned carry = data[i];
        for (j = 0; j < used || carry != 0; j++) {
            size_t k = cap - 1 - j;
            carry += 256u * digits[k];
            digits[k] = (uint8_t)(carry % 58);
            carry /= 58;
        }
        used = j;
    }
    out = near_alloc(zeros + used + 1);
    for (i = 0; i < zeros; i++) {
        out[n++] = '1';
    }
    for (i = cap - used; i < cap; i++) {
        out[n++] = b58_alphabet[digits[i]];
    }
    out[n] = 0;
    return out;
}

static int b58_value(char c)
{
    int i;
    for (i = 0; i < 58; i++) {
        if (b58_alphabet[i] == c) {
            return i;
        }
    }
    return -1;
}

int near_unbase58(uint8_t *out, size_t len, const char *s, size_t s_len)
{
    /* base 58 -> base 256 into out[] (big-endian); the value must fill exactly `len` bytes
     * counting one zero byte per leading '1' */
    size_t zeros = 0, i, j, used = 0;
    if (s == NULL || s_len == 0 || s_len > 2 * len + 2) {
        return 0;
    }
    while (zeros < s_len && s[zeros] == '1') {
        zeros++;
    }
    if (zeros > len) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        out[i] = 0;
    }
    for (i = zeros; i < s_len; i++) {
        int v = b58_value(s[i]);
        unsigned carry;
        if (v < 0) {
            return 0;
        }
        carry = (unsigned)v;
        for (j = 0; j < used || carry != 0; j++) {
            if (j >= len) {
                return 0; /* does not fit */
            }
            carry += 58u * out[len - 1 - j];
            out[len - 1 - j] = (uint8_t)(carry & 0xff);
            carry >>= 8;
        }
        used = j;
    }
    /* the value's own bytes must start right after the zero bytes: no extra leading zeros */
    return zeros + used == len;
}

/* ---- bech32 / bech32m ---- */
static const char b32_charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
#define BECH32_CONST  1u
#define BECH32M_CONST 0x2bc830a3u

static uint32_t polymod_step(uint32_t chk, unsigned v)
{
    static const uint32_t gen[5] = {0x3b6a57b2u, 0x26508e6du, 0x1ea119fau, 0x3d4233ddu,
                                    0x2a1462b3u};
    uint32_t top = chk >> 25;
    int i;
    chk = ((chk & 0x1ffffffu) << 5) ^ v;
    for (i = 0; i < 5; i++) {
        if ((top >> i) & 1) {
            chk ^= gen[i];
        }
    }
    return chk;
}

static uint32_t hrp_polymod(const char *hrp, size_t hrp_len)
{
    uint32_t chk = 1;
    size_t i;
    for (i = 0; i < hrp_len; i++) {
        chk = polymod_step(chk, ((unsigned char)hrp[i] | 0x20u) >> 5);
    }
    chk = polymod_step(chk, 0);
    for (i = 0; i < hrp_len; i++) {
        chk = polymod_step(chk, ((unsigned char)hrp[i] | 0x20u) & 31);
    }
    return chk;
}

char *near_segwit_address(const char *hrp, unsigned version, const uint8_t *prog, size_t prog_len)
{
    size_t hrp_len = near_strlen(hrp), n5 = 0, i, pos = 0;
    uint8_t data[1 + 65 + 6];
    unsigned acc = 0, bits = 0;
    uint32_t chk;
    char *out;
    if (hrp_len == 0 || hrp_len > 83 || version > 16 || prog_len < 2 || prog_len > 40 ||
        (version == 0 && prog_len != 20 && prog_len != 32)) {
        return NULL;
    }
    for (i = 0; i < hrp_len; i++) {
        if (hrp[i] < 33 || hrp[i] > 126 || (hrp[i] >= 'A' && hrp[i] <= 'Z')) {
            return NULL;
        }
    }
    data[n5++] = (uint8_t)version;
    for (i = 0; i < prog_len; i++) {
        acc = (acc << 8) | prog[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            data[n5++] = (uint8_t)((acc >> bits) & 31);
        }
    }
    if (bits > 0) {
        data[n5++] = (uint8_t)((acc << (5 - bits)) & 31);
    }
    chk = hrp_polymod(hrp, hrp_len);
    for (i = 0; i < n5; i++) {
        chk = polymod_step(chk, data[i]);
    }
    for (i = 0; i < 6; i++) {
        chk = polymod_step(chk, 0);
    }
    chk ^= version == 0 ? BECH32_CONST : BECH32M_CONST;
    for (i = 0; i < 6; i++) {
        data[n5++] = (uint8_t)((chk >> (5 * (5 - i))) & 31);
    }
    out = near_alloc(hrp_len + 1 + n5 + 1);
    for (i = 0; i < hrp_len; i++) {
        out[pos++] = hrp[i];
    }
    out[pos++] = '1';
    for (i = 0; i < n5; i++) {
        out[pos++] = b32_charset[data[i]];
    }
    out[pos] = 0;
    return out;
}

int near_segwit_decode(unsigned *version, uint8_t prog[40], size_t *prog_len, const char *hrp,
                       const char *addr, size_t addr_len)
{
    size_t hrp_len = near_strlen(hrp), sep = 0, i, n5 = 0, out_n = 0;
    int lower = 0, upper = 0;
    uint8_t data[90];
    uint32_t chk;
    unsigned acc = 0, bits = 0;
    if (addr == NULL || addr_len < 8 || addr_len > 90) {
        return 0;
    }
    for (i = 0; i < addr_len; i++) {
        char c = addr[i];
        if (c < 33 || c > 126) {
            return 0;
        }
        lower |= c >= 'a' && c <= 'z';
        upper |= c >= 'A' && c <= 'Z';
        if (c == '1') {
            sep = i;
        }
    }
    if ((lower && upper) || sep != hrp_len || addr_len - sep - 1 < 7) {
        return 0;
    }
    for (i = 0; i < hrp_len; i++) {
        if ((addr[i] | 0x20) != (hrp[i] | 0x20)) {
            return 0;
        }
    }
    chk = hrp_polymod(hrp, hrp_len);
    for (i = sep + 1; i < addr_len; i++) {
        char c = (char)(addr[i] | 0x20);
        int v = -1, k;
        for (k = 0; k < 32; k++) {
            if (b32_charset[k] == c) {
                v = k;
            }
        }
        if (v < 0) {
            return 0;
        }
        data[n5++] = (uint8_t)v;
        chk = polymod_step(chk, (unsigned)v);
    }
    n5 -= 6; /* drop the checksum */
    *version = data[0];
    if (*version > 16 || chk != (*version == 0 ? BECH32_CONST : BECH32M_CONST)) {
        return 0;
    }
    for (i = 1; i < n5; i++) {
        acc = ((acc << 5) | data[i]) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (out_n >= 40) {
                return 0;
            }
            prog[out_n++] = (uint8_t)((acc >> bits) & 0xff);
        }
    }
    if (bits >= 5 || ((acc << (8 - bits)) & 0xff) != 0) {
        return 0; /* more than 4 padding bits, or non-zero padding */
    }
    if (out_n < 2 || (*version == 0 && out_n != 20 && out_n != 32)) {
        return 0;
    }
    *prog_len = out_n;
    return 1;
}

/* ---- NEAR identifiers ---- */
int near_account_id_valid(const char *id, size_t len)
{
    size_t i;
    int prev_sep = 1; /* no separator first */
    if (id == NULL || len < 2 || len > 64) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = id[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            prev_sep = 0;
        } else if (c == '-' || c == '_' || c == '.') {
            if (prev_sep) {
                return 0;
            }
            prev_sep = 1;
        } else {
            return 0;
        }
    }
    return !prev_sep;
}

int near_public_key_parse(unsigned *curve, uint8_t key[64], size_t *key_len, const char *s,
                          size_t s_len)
{
    static const char ed[] = "ed25519:", secp[] = "secp256k1:";
    if (s == NULL) {
        return 0;
    }
    if (s_len > sizeof ed - 1 && near_memeq(s, ed, sizeof ed - 1)) {
        *curve = NEAR_CURVE_ED25519;
        *key_len = 32;
        return near_unbase58(key, 32, s + sizeof ed - 1, s_len - (sizeof ed - 1));
    }
    if (s_len > sizeof secp - 1 && near_memeq(s, secp, sizeof secp - 1)) {
        *curve = NEAR_CURVE_SECP256K1;
        *key_len = 64;
        return near_unbase58(key, 64, s + sizeof secp - 1, s_len - (sizeof secp - 1));
    }
    return 0;
}

char *near_public_key_string(unsigned curve, const uint8_t *key)
{
    near_buf b = {0};
    near_buf_puts(&b, curve == NEAR_CURVE_ED25519 ? "ed25519:" : "secp256k1:");
    near_buf_puts(&b, near_base58(key, curve == NEAR_CURVE_ED25519 ? 32 : 64));
    return b.data;
}

/* ---- JSON ---- */
void near_json_write(near_buf *b, const near_json *v)
{
    const near_json *c;
    switch (v->type) {
    case NEAR_JSON_NULL:
        near_buf_puts(b, "null");
        break;
    case NEAR_JSON_BOOL:
        near_buf_puts(b, v->boolean ? "true" : "false");
        break;
    case NEAR_JSON_NUMBER:
        near_buf_put(b, v->str, v->len);
        break;
    case NEAR_JSON_STRING:
        near_json_write_string(b, v->str, v->len);
        break;
    case NEAR_JSON_ARRAY:
    case NEAR_JSON_OBJECT:
        near_buf_putc(b, v->type == NEAR_JSON_ARRAY ? '[' : '{');
        for (c = v->child; c != NULL; c = c->next) {
            if (c != v->child) {
                near_buf_putc(b, ',');
            }
            if (v->type == NEAR_JSON_OBJECT) {
                near_json_write_string(b, c->key, c->key_len);
                near_buf_putc(b, ':');
            }
            near_json_write(b, c);
        }
        near_buf_putc(b, v->type == NEAR_JSON_ARRAY ? ']' : '}');
        break;
    }
}

const char *near_json_unknown_key(const near_json *object, const char *const *allowed)
{
    const near_json *c;
    for (c = object->child; c != NULL; c = c->next) {
        const char *const *a;
        int known = 0;
        for (a = allowed; *a != NULL && !known; a++) {
            known = c->key_len == near_strlen(*a) && near_memeq(c->key, *a, c->key_len);
        }
        if (!known) {
            return c->key;
        }
    }
    return NULL;
}

static near_json *args_parse(const uint8_t *in, size_t len)
{
    const char *err = "";
    near_json *doc = near_json_parse((const char *)in, len, &err);
    if (doc == NULL) {
        near_panic_detail("invalid JSON arguments: ", err);
    }
    return doc;
}

const near_json *near_args_json(void)
{
    size_t len;
    uint8_t *in = near_input(&len);
    return args_parse(in, len);
}

const near_json *near_args_object(const char *const *allowed)
{
    size_t len;
    const char *unknown;
    uint8_t *in = near_input(&len);
    near_json *doc;
    if (len == 0) {
        doc = near_alloc(sizeof *doc);
        *doc = (near_json){0};
        doc->type = NEAR_JSON_OBJECT;
        return doc;
    }
    doc = args_parse(in, len);
    if (doc->type != NEAR_JSON_OBJECT) {
        near_panic("invalid JSON arguments: expected an object");
    }
    unknown = near_json_unknown_key(doc, allowed);
    if (unknown != NULL) {
        near_panic_detail("unknown argument: ", unknown);
    }
    return doc;
}

const char *near_json_check_object(const near_json *obj, const char *what,
                                   const char *const *allowed)
{
    const char *unknown;
    if (obj == NULL || obj->type != NEAR_JSON_OBJECT) {
        return near_strcat2(what, " must be an object");
    }
    unknown = near_json_unknown_key(obj, allowed);
    return unknown != NULL ? near_strcat2(near_strcat2(what, ": unknown field "), unknown) : NULL;
}

const char *near_json_str_arg(const near_json *doc, const char *name)
{
    const char *s = near_json_string(near_json_get(doc, name));
    if (s == NULL) {
        near_panic_detail("missing string argument: ", name);
    }
    return s;
}

const char *near_json_account_member(const near_json *doc, const char *name, const char **out)
{
    const near_json *a = near_json_get(doc, name);
    if (a == NULL || a->type != NEAR_JSON_STRING) {
        return near_strcat2("missing string argument: ", name);
    }
    if (!near_account_id_valid(a->str, a->len)) {
        return near_strcat2("invalid NEAR account id in ", name);
    }
    *out = a->str;
    return NULL;
}

void near_json_write_u128(near_buf *b, unsigned __int128 v)
{
    near_buf_putc(b, '"');
    near_buf_puts(b, near_u128_to_str(v));
    near_buf_putc(b, '"');
}

void near_json_member_raw(near_buf *b, const char *name, const char *raw, int first)
{
    near_buf_puts(b, first ? "\"" : ",\"");
    near_buf_puts(b, name);
    near_buf_puts(b, "\":");
    near_buf_puts(b, raw);
}

void near_json_member_str(near_buf *b, const char *name, const char *s, int first)
{
    near_json_member_raw(b, name, "", first);
    if (s == NULL) {
        near_buf_puts(b, "null");
    } else {
        near_json_write_string(b, s, near_strlen(s));
    }
}

void near_json_member_u64(near_buf *b, const char *name, uint64_t v, int first)
{
    near_json_member_raw(b, name, near_u64_to_str(v), first);
}

/* ---- initialisation ---- */
void near_require_self_or_parent(void)
{
    const char *self = near_current_account_id(), *pred = near_predecessor_account_id();
    size_t sl = near_strlen(self), pl = near_strlen(pred);
    if (!near_streq(self, pred) &&
        !(sl > pl + 1 && self[sl - pl - 1] == '.' && near_memeq(self + sl - pl, pred, pl))) {
        near_panic("new may be called only by the contract account or its parent account");
    }
}

void near_require_no_deposit(void)
{
    if (near_attached_deposit() != 0) {
        near_panic("this method does not accept an attached deposit");
    }
}

void near_check(const char *err)
{
    if (err != NULL) {
        near_panic(err);
    }
}

/* ---- events and transfers ---- */
void near_emit_event(const char *standard, const char *version, const char *event,
                     const char *data_object, size_t data_len)
{
    near_buf b = {0};
    near_buf_puts(&b, "EVENT_JSON:{\"standard\":");
    near_json_write_string(&b, standard, near_strlen(standard));
    near_buf_puts(&b, ",\"version\":");
    near_json_write_string(&b, version, near_strlen(version));
    near_buf_puts(&b, ",\"event\":");
    near_json_write_string(&b, event, near_strlen(event));
    near_buf_puts(&b, ",\"data\":[");
    near_buf_put(&b, data_object, data_len);
    near_buf_puts(&b, "]}");
    near_log(b.data, b.len);
}

void near_transfer(const char *account_id, unsigned __int128 amount)
{
    near_promise_batch_transfer(near_promise_batch_create(account_id), amount);
}

const near_json *near_stored_json(const uint8_t *value, size_t len)
{
    const char *err = "";
    const near_json *doc = near_json_parse((const char *)value, len, &err);
    if (doc == NULL) {
        near_panic("corrupt stored record");
    }
    return doc;
}

const char *near_stored_str(const near_json *doc, const char *name)
{
    const near_json *v = near_json_get(doc, name);
    return v != NULL && v->type == NEAR_JSON_STRING ? v->str : NULL;
}

uint64_t near_stored_u64(const near_json *doc, const char *name)
{
    uint64_t x;
    const near_json *v = near_json_get(doc, name);
    if (v == NULL || !near_json_u64(v, &x)) {
        near_panic("corrupt stored record");
    }
    return x;
}

const char *near_strcat2(const char *a, const char *b)
{
    near_buf m = {0};
    near_buf_puts(&m, a);
    near_buf_puts(&m, b);
    return m.data;
}

int near_streq_n(const char *s, size_t len, const char *lit)
{
    return len == near_strlen(lit) && near_memeq(s, lit, len);
}
