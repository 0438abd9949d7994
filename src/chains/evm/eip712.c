/*
 * EIP-712 typed structured data hashing (eth_signTypedData_v4): type validation, encodeType
 * with sorted dependencies, hashStruct with nested structs, arrays (dynamic, fixed-size,
 * multi-dimensional), bytes1..32, dynamic bytes, string, bool, address and every intN/uintN
 * with range checks; the domain separator, built from the domain's fields when `types` has
 * no EIP712Domain (name, version, chainId, verifyingContract, salt — viem's order).
 * Strict: missing or extra fields, unknown types and out-of-range values are errors naming
 * the path of the value. Bounded recursion and sizes. Public data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "teekeys/hash.h"

#define MAX_TYPES      256
#define MAX_FIELDS     256
#define MAX_DEPTH      32
#define MAX_ARRAY_DIMS 8
#define MAX_ARRAY_LEN  65536
#define MAX_PATH       200

/* typeHash of one struct type, computed once per hashing call. */
typedef struct {
    char name[132];
    unsigned char hash[32];
} type_hash_entry;

typedef struct {
    const json_t *types;    /* object: struct name → [{name, type}] */
    type_hash_entry *cache; /* cap_cache entries, or NULL (no caching) */
    size_t n_cache, cap_cache;
} ctx712;

/* ---- type names ---- */

static int is_ident(const char *s, size_t n)
{
    if (n == 0 || n > 128 || (s[0] >= '0' && s[0] <= '9')) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '$')) {
            return 0;
        }
    }
    return 1;
}

/* Parses a decimal size without leading zeros; returns -1 if not one. */
static long parse_size(const char *s, size_t n)
{
    long v = 0;
    if (n == 0 || n > 6 || (s[0] == '0' && n > 1)) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

typedef enum { K_NONE, K_BOOL, K_ADDRESS, K_STRING, K_BYTES, K_FIXED, K_UINT, K_INT } kind712;

/* Classifies an atomic/dynamic type name; *bits gets N of bytesN (bytes) or u/intN (bits). */
static kind712 atomic_kind(const char *s, size_t n, unsigned *bits)
{
    long v;
    *bits = 0;
    if (n == 4 && memcmp(s, "bool", 4) == 0) {
        return K_BOOL;
    }
    if (n == 7 && memcmp(s, "address", 7) == 0) {
        return K_ADDRESS;
    }
    if (n == 6 && memcmp(s, "string", 6) == 0) {
        return K_STRING;
    }
    if (n == 5 && memcmp(s, "bytes", 5) == 0) {
        return K_BYTES;
    }
    if (n > 5 && memcmp(s, "bytes", 5) == 0) {
        v = parse_size(s + 5, n - 5);
        if (v >= 1 && v <= 32) {
            *bits = (unsigned)v;
            return K_FIXED;
        }
        return K_NONE;
    }
    if (n > 4 && memcmp(s, "uint", 4) == 0) {
        v = parse_size(s + 4, n - 4);
        if (v >= 8 && v <= 256 && v % 8 == 0) {
            *bits = (unsigned)v;
            return K_UINT;
        }
        return K_NONE;
    }
    if (n > 3 && memcmp(s, "int", 3) == 0) {
        v = parse_size(s + 3, n - 3);
        if (v >= 8 && v <= 256 && v % 8 == 0) {
            *bits = (unsigned)v;
            return K_INT;
        }
        return K_NONE;
    }
    return K_NONE;
}

/* Splits "T[...]...[...]" at its last array suffix. Returns 1 if it is an array type:
 * *inner_len = length of the element type, *fixed = size or -1 for dynamic. 0 if not an
 * array, -1 if malformed. */
static int split_array(const char *s, size_t n, size_t *inner_len, long *fixed)
{
    size_t open;
    if (n == 0 || s[n - 1] != ']') {
        return memchr(s, '[', n) != NULL || memchr(s, ']', n) != NULL ? -1 : 0;
    }
    open = n - 1;
    while (open > 0 && s[open - 1] != '[') {
        open--;
    }
    if (open == 0) {
        return -1;
    }
    open--; /* position of '[' */
    if (open == 0) {
        return -1;
    }
    if (open + 2 == n) {
        *fixed = -1;
    } else {
        *fixed = parse_size(s + open + 1, n - open - 2);
        if (*fixed < 0) {
            return -1;
        }
    }
    *inner_len = open;
    return 1;
}

/* The base (non-array) part of a type string and its length. */
static size_t base_len(const char *s, size_t n)
{
    const char *b = memchr(s, '[', n);
    return b ? (size_t)(b - s) : n;
}

static const json_t *struct_fields(const ctx712 *c, const char *name, size_t n)
{
    char buf[160];
    if (n >= sizeof buf) {
        return NULL;
    }
    memcpy(buf, name, n);
    buf[n] = '\0';
    return json_object_get(c->types, buf);
}

/* Names such as "uint7" or "bytes0" are not types, but too close to be struct names. */
static int looks_atomic(const char *s, size_t n)
{
    size_t p = n >= 4 && memcmp(s, "uint", 4) == 0    ? 4
               : n >= 3 && memcmp(s, "int", 3) == 0   ? 3
               : n >= 5 && memcmp(s, "bytes", 5) == 0 ? 5
                                                      : 0;
    if (p == 0 || p == n) {
        return 0;
    }
    for (; p < n; p++) {
        if (s[p] < '0' || s[p] > '9') {
            return 0;
        }
    }
    return 1;
}

/* Checks the whole `types` object: shapes, identifiers, resolvable field types. */
static int validate_types(const ctx712 *c)
{
    const char *tname;
    json_t *fields;
    if (!json_is_object(c->types)) {
        return tk_fail(TK_ERR_INPUT, "types: expected an object");
    }
    if (json_object_size(c->types) > MAX_TYPES) {
        return tk_fail(TK_ERR_RANGE, "types: more than %d types", MAX_TYPES);
    }
    json_object_foreach((json_t *)c->types, tname, fields)
    {
        unsigned bits;
        size_t tlen = strlen(tname);
        if (!is_ident(tname, tlen)) {
            return tk_fail(TK_ERR_INPUT, "types: \"%.64s\" is not a valid type name", tname);
        }
        if (atomic_kind(tname, tlen, &bits) != K_NONE || looks_atomic(tname, tlen)) {
            return tk_fail(TK_ERR_INPUT, "types: \"%.64s\" redefines a built-in type", tname);
        }
        if (!json_is_array(fields)) {
            return tk_fail(TK_ERR_INPUT, "types.%.64s: expected an array of {name, type}", tname);
        }
        if (json_array_size(fields) > MAX_FIELDS) {
            return tk_fail(TK_ERR_RANGE, "types.%.64s: more than %d fields", tname, MAX_FIELDS);
        }
        for (size_t i = 0; i < json_array_size(fields); i++) {
            const json_t *f = json_array_get(fields, i), *fn, *ft;
            const char *ts;
            size_t tn, bl, inner;
            long fixed;
            int dims = 0, a;
            fn = json_object_get(f, "name");
            ft = json_object_get(f, "type");
            if (!json_is_object(f) || json_object_size(f) != 2 || !json_is_string(fn) ||
                !json_is_string(ft)) {
                return tk_fail(TK_ERR_INPUT,
                               "types.%.64s[%zu]: expected {\"name\": string, \"type\": string}",
                               tname, i);
            }
            if (!is_ident(json_string_value(fn), json_string_length(fn))) {
                return tk_fail(TK_ERR_INPUT, "types.%.64s[%zu]: invalid field name", tname, i);
            }
            for (size_t j = 0; j < i; j++) {
                if (json_equal(json_object_get(json_array_get(fields, j), "name"), (json_t *)fn)) {
                    return tk_fail(TK_ERR_INPUT, "types.%.64s: duplicate field \"%.64s\"", tname,
                                   json_string_value(fn));
                }
            }
            ts = json_string_value(ft);
            tn = json_string_length(ft);
            while ((a = split_array(ts, tn, &inner, &fixed)) == 1) {
                if (++dims > MAX_ARRAY_DIMS || fixed == 0) {
                    return tk_fail(TK_ERR_INPUT,
                                   "types.%.64s.%.64s: array type \"%.64s\" has a zero size or "
                                   "more than %d dimensions",
                                   tname, json_string_value(fn), ts, MAX_ARRAY_DIMS);
                }
                tn = inner;
            }
            bl = base_len(ts, json_string_length(ft));
            if (a < 0 || bl != tn ||
                (atomic_kind(ts, bl, &bits) == K_NONE &&
                 (!is_ident(ts, bl) || struct_fields(c, ts, bl) == NULL))) {
                return tk_fail(TK_ERR_INPUT,
                               "types.%.64s.%.64s: unknown or malformed type \"%.64s\"", tname,
                               json_string_value(fn), ts);
            }
        }
    }
    return TK_OK;
}

/* ---- encodeType ---- */

typedef struct {
    const char *names[MAX_TYPES];
    size_t n;
} name_set;

static int set_has(const name_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++) {
        if (strcmp(s->names[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Adds `name` and the struct types it references, transitively. */
static void collect_deps(const ctx712 *c, name_set *s, const char *name)
{
    const json_t *fields;
    if (set_has(s, name) || s->n >= MAX_TYPES) {
        return;
    }
    fields = json_object_get(c->types, name);
    if (fields == NULL) {
        return;
    }
    s->names[s->n++] = name;
    for (size_t i = 0; i < json_array_size(fields); i++) {
        const json_t *ft = json_object_get(json_array_get(fields, i), "type");
        const char *ts = json_string_value(ft);
        size_t bl = base_len(ts, json_string_length(ft));
        unsigned bits;
        void *iter;
        if (atomic_kind(ts, bl, &bits) != K_NONE) {
            continue;
        }
        /* Use the key string owned by the types object (stable, NUL-terminated). */
        for (iter = json_object_iter((json_t *)c->types); iter != NULL;
             iter = json_object_iter_next((json_t *)c->types, iter)) {
            const char *key = json_object_iter_key(iter);
            if (strlen(key) == bl && memcmp(key, ts, bl) == 0) {
                collect_deps(c, s, key);
                break;
            }
        }
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends text to a growable string. */
typedef struct {
    char *p;
    size_t len, cap;
    int err;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->err) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        char *np;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        if ((np = realloc(b->p, cap)) == NULL) {
            b->err = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void encode_one_type(const ctx712 *c, sbuf *b, const char *name)
{
    const json_t *fields = json_object_get(c->types, name);
    sb_add(b, name, strlen(name));
    sb_add(b, "(", 1);
    for (size_t i = 0; i < json_array_size(fields); i++) {
        const json_t *f = json_array_get(fields, i);
        const json_t *ft = json_object_get(f, "type"), *fn = json_object_get(f, "name");
        if (i > 0) {
            sb_add(b, ",", 1);
        }
        sb_add(b, json_string_value(ft), json_string_length(ft));
        sb_add(b, " ", 1);
        sb_add(b, json_string_value(fn), json_string_length(fn));
    }
    sb_add(b, ")", 1);
}

static int encode_type(const ctx712 *c, sbuf *out, const char *primary)
{
    name_set s;
    s.n = 0;
    collect_deps(c, &s, primary);
    if (s.n == 0) {
        return tk_fail(TK_ERR_INPUT, "types: no struct type \"%.64s\"", primary);
    }
    qsort(s.names + 1, s.n - 1, sizeof s.names[0], cmp_names);
    for (size_t i = 0; i < s.n; i++) {
        encode_one_type(c, out, s.names[i]);
    }
    if (out->err) {
        return tk_fail(TK_ERR_NOMEM, "eip712: out of memory");
    }
    return TK_OK;
}

static int type_hash(ctx712 *c, unsigned char h[32], const char *primary)
{
    sbuf b = {NULL, 0, 0, 0};
    int rc;
    for (size_t i = 0; c->cache != NULL && i < c->n_cache; i++) {
        if (strcmp(c->cache[i].name, primary) == 0) {
            memcpy(h, c->cache[i].hash, 32);
            return TK_OK;
        }
    }
    rc = encode_type(c, &b, primary);
    if (rc == TK_OK) {
        tk_keccak256(h, b.p, b.len);
        if (c->cache != NULL && c->n_cache < c->cap_cache &&
            strlen(primary) < sizeof c->cache[0].name) {
            snprintf(c->cache[c->n_cache].name, sizeof c->cache[0].name, "%s", primary);
            memcpy(c->cache[c->n_cache].hash, h, 32);
            c->n_cache++;
        }
    }
    free(b.p);
    return rc;
}

int tk_evm_typed_encode_type(char **out, const json_t *types, const char *type_name)
{
    ctx712 c;
    sbuf b = {NULL, 0, 0, 0};
    int rc;
    if (out == NULL || types == NULL || type_name == NULL) {
        return tk_fail(TK_ERR_ARG, "eip712 encodeType: NULL argument");
    }
    *out = NULL;
    memset(&c, 0, sizeof c);
    c.types = types;
    if ((rc = validate_types(&c)) != TK_OK || (rc = encode_type(&c, &b, type_name)) != TK_OK) {
        free(b.p);
        return rc;
    }
    *out = b.p;
    return TK_OK;
}

/* ---- values ---- */

/* 256-bit magnitude helpers (big-endian bytes). Returns 0 on overflow. */
static int mag_mul_add(unsigned char m[32], unsigned mul, unsigned add)
{
    unsigned carry = add;
    for (int i = 31; i >= 0; i--) {
        unsigned v = m[i] * mul + carry;
        m[i] = (unsigned char)v;
        carry = v >> 8;
    }
    return carry == 0;
}

/* Reads an integer value: JSON integer, or a string in decimal ("-12") or hex ("0x1f").
 * Out: magnitude, sign. */
static int read_int(unsigned char mag[32], int *neg, const json_t *v, const char *path)
{
    memset(mag, 0, 32);
    *neg = 0;
    if (json_is_integer(v)) {
        json_int_t x = json_integer_value(v);
        unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
        *neg = x < 0;
        for (int i = 0; i < 8; i++) {
            mag[31 - i] = (unsigned char)(u >> (8 * i));
        }
        return TK_OK;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v), i = 0;
        unsigned base = 10;
        if (n > 0 && s[0] == '-') {
            *neg = 1;
            i = 1;
        }
        if (n >= i + 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            base = 16;
            i += 2;
        }
        if (i == n) {
            return tk_fail(TK_ERR_INPUT, "%s: empty number", path);
        }
        if (n - i > 80) {
            return tk_fail(TK_ERR_RANGE, "%s: number too long", path);
        }
        for (; i < n; i++) {
            int d = -1;
            char ch = s[i];
            if (ch >= '0' && ch <= '9') {
                d = ch - '0';
            } else if (base == 16 && ch >= 'a' && ch <= 'f') {
                d = ch - 'a' + 10;
            } else if (base == 16 && ch >= 'A' && ch <= 'F') {
                d = ch - 'A' + 10;
            }
            if (d < 0) {
                return tk_fail(TK_ERR_INPUT, "%s: invalid digit in number \"%.80s\"", path, s);
            }
            if (!mag_mul_add(mag, base, (unsigned)d)) {
                return tk_fail(TK_ERR_RANGE, "%s: number above 2^256", path);
            }
        }
        return TK_OK;
    }
    if (json_is_real(v)) {
        return tk_fail(TK_ERR_INPUT,
                       "%s: fractional or too large JSON number (use a decimal or 0x string)",
                       path);
    }
    return tk_fail(TK_ERR_INPUT, "%s: expected an integer (number or string)", path);
}

/* Encodes an intN/uintN value into a 32-byte word with its range check. */
static int encode_int(unsigned char w[32], const json_t *v, kind712 k, unsigned bits,
                      const char *path)
{
    unsigned char mag[32], lim[32];
    int neg, rc, zero = 1;
    if ((rc = read_int(mag, &neg, v, path)) != TK_OK) {
        return rc;
    }
    for (int i = 0; i < 32; i++) {
        zero &= mag[i] == 0;
    }
    if (zero) {
        neg = 0;
    }
    if (k == K_UINT) {
        if (neg) {
            return tk_fail(TK_ERR_RANGE, "%s: negative value for uint%u", path, bits);
        }
        for (unsigned i = 0; i < 32 - bits / 8; i++) {
            if (mag[i] != 0) {
                return tk_fail(TK_ERR_RANGE, "%s: value does not fit in uint%u", path, bits);
            }
        }
        memcpy(w, mag, 32);
        return TK_OK;
    }
    /* int: -2^(bits-1) <= v < 2^(bits-1). lim = 2^(bits-1). */
    memset(lim, 0, 32);
    lim[31 - (bits - 1) / 8] = (unsigned char)(1u << ((bits - 1) % 8));
    if (memcmp(mag, lim, 32) > 0 || (!neg && memcmp(mag, lim, 32) == 0)) {
        return tk_fail(TK_ERR_RANGE, "%s: value does not fit in int%u", path, bits);
    }
    if (neg) {
        unsigned carry = 1;
        for (int i = 31; i >= 0; i--) {
            unsigned x = (unsigned char)~mag[i] + carry;
            w[i] = (unsigned char)x;
            carry = x >> 8;
        }
    } else {
        memcpy(w, mag, 32);
    }
    return TK_OK;
}

static int hash_struct(ctx712 *c, unsigned char out[32], const char *type, const json_t *v,
                       const char *path, int depth);

/* Encodes one value of type ts[0..tn) as its 32-byte word. */
static int encode_value(ctx712 *c, unsigned char w[32], const char *ts, size_t tn, const json_t *v,
                        const char *path, int depth)
{
    size_t inner;
    long fixed;
    unsigned bits;
    kind712 k;
    int rc, a;

    if (depth > MAX_DEPTH) {
        return tk_fail(TK_ERR_RANGE, "%s: values nested deeper than %d", path, MAX_DEPTH);
    }
    memset(w, 0, 32);
    a = split_array(ts, tn, &inner, &fixed);
    if (a < 0) {
        return tk_fail(TK_ERR_INPUT, "%s: malformed type", path);
    }
    if (a == 1) {
        tk_keccak256_ctx kc;
        char sub[MAX_PATH];
        if (!json_is_array(v)) {
            return tk_fail(TK_ERR_INPUT, "%s: expected an array", path);
        }
        if (fixed >= 0 && json_array_size(v) != (size_t)fixed) {
            return tk_fail(TK_ERR_INPUT, "%s: expected %ld elements, got %zu", path, fixed,
                           json_array_size(v));
        }
        if (json_array_size(v) > MAX_ARRAY_LEN) {
            return tk_fail(TK_ERR_RANGE, "%s: more than %d elements", path, MAX_ARRAY_LEN);
        }
        tk_keccak256_init(&kc);
        for (size_t i = 0; i < json_array_size(v); i++) {
            unsigned char ew[32];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if ((rc = encode_value(c, ew, ts, inner, json_array_get(v, i), sub, depth + 1)) !=
                TK_OK) {
                return rc;
            }
            tk_keccak256_update(&kc, ew, 32);
        }
        tk_keccak256_final(&kc, w);
        return TK_OK;
    }
    k = atomic_kind(ts, tn, &bits);
    switch (k) {
    case K_BOOL:
        if (!json_is_boolean(v)) {
            return tk_fail(TK_ERR_INPUT, "%s: expected true or false", path);
        }
        w[31] = json_is_true(v) ? 1 : 0;
        return TK_OK;
    case K_ADDRESS:
        if ((rc = tk_evm__address(w + 12, v, path)) != TK_OK) {
            memset(w, 0, 32);
        }
        return rc;
    case K_STRING:
        if (!json_is_string(v)) {
            return tk_fail(TK_ERR_INPUT, "%s: expected a string", path);
        }
        tk_keccak256(w, json_string_value(v), json_string_length(v));
        return TK_OK;
    case K_BYTES: {
        unsigned char *p = NULL;
        size_t n = 0;
        if ((rc = tk_evm__hex_bytes(&p, &n, v, TK_EVM_MAX_JSON, path)) != TK_OK) {
            return rc;
        }
        tk_keccak256(w, p, n);
        free(p);
        return TK_OK;
    }
    case K_FIXED:
        return tk_evm__hex_fixed(w, bits, v, path);
    case K_UINT:
    case K_INT:
        return encode_int(w, v, k, bits, path);
    case K_NONE:
    default: {
        char name[160];
        if (tn >= sizeof name) {
            return tk_fail(TK_ERR_INPUT, "%s: type name too long", path);
        }
        memcpy(name, ts, tn);
        name[tn] = '\0';
        return hash_struct(c, w, name, v, path, depth + 1);
    }
    }
}

static int hash_struct(ctx712 *c, unsigned char out[32], const char *type, const json_t *v,
                       const char *path, int depth)
{
    const json_t *fields = json_object_get(c->types, type);
    tk_keccak256_ctx kc;
    unsigned char th[32], w[32];
    char sub[MAX_PATH];
    const char *key;
    json_t *x;
    int rc;

    if (depth > MAX_DEPTH) {
        return tk_fail(TK_ERR_RANGE, "%s: values nested deeper than %d", path, MAX_DEPTH);
    }
    if (fields == NULL) {
        return tk_fail(TK_ERR_INPUT, "%s: unknown struct type \"%.64s\"", path, type);
    }
    if (!json_is_object(v)) {
        return tk_fail(TK_ERR_INPUT, "%s: expected an object of type %.64s", path, type);
    }
    /* Every key of the value must be a field of the type. */
    json_object_foreach((json_t *)v, key, x)
    {
        size_t i;
        (void)x;
        for (i = 0; i < json_array_size(fields); i++) {
            if (strcmp(json_string_value(json_object_get(json_array_get(fields, i), "name")),
                       key) == 0) {
                break;
            }
        }
        if (i == json_array_size(fields)) {
            return tk_fail(TK_ERR_INPUT, "%s: \"%.64s\" is not a field of %.64s", path, key, type);
        }
    }
    if ((rc = type_hash(c, th, type)) != TK_OK) {
        return rc;
    }
    tk_keccak256_init(&kc);
    tk_keccak256_update(&kc, th, 32);
    for (size_t i = 0; i < json_array_size(fields); i++) {
        const json_t *f = json_array_get(fields, i);
        const char *fname = json_string_value(json_object_get(f, "name"));
        const json_t *ft = json_object_get(f, "type");
        const json_t *fv = json_object_get(v, fname);
        snprintf(sub, sizeof sub, "%s.%s", path, fname);
        if (fv == NULL) {
            return tk_fail(TK_ERR_INPUT, "%s: missing field of type %.64s", sub,
                           json_string_value(ft));
        }
        if ((rc = encode_value(c, w, json_string_value(ft), json_string_length(ft), fv, sub,
                               depth)) != TK_OK) {
            return rc;
        }
        tk_keccak256_update(&kc, w, 32);
    }
    tk_keccak256_final(&kc, out);
    return TK_OK;
}

/* ---- typed data ---- */

/* Builds EIP712Domain from the domain's fields in viem's order. */
static int synth_domain(json_t **fields_out, const json_t *domain)
{
    static const char *const names[] = {"name", "version", "chainId", "verifyingContract", "salt"};
    static const char *const types[] = {"string", "string", "uint256", "address", "bytes32"};
    json_t *arr = json_array();
    const char *key;
    json_t *x;
    if (arr == NULL) {
        return tk_fail(TK_ERR_NOMEM, "eip712: out of memory");
    }
    json_object_foreach((json_t *)domain, key, x)
    {
        size_t i;
        (void)x;
        for (i = 0; i < 5 && strcmp(key, names[i]) != 0; i++) {
        }
        if (i == 5) {
            json_decref(arr);
            return tk_fail(TK_ERR_INPUT,
                           "domain: unknown field \"%.64s\" (types has no EIP712Domain; allowed: "
                           "name, version, chainId, verifyingContract, salt)",
                           key);
        }
    }
    for (size_t i = 0; i < 5; i++) {
        if (json_object_get(domain, names[i]) != NULL &&
            json_array_append_new(
                arr, json_pack("{s:s, s:s}", "name", names[i], "type", types[i])) != 0) {
            json_decref(arr);
            return tk_fail(TK_ERR_NOMEM, "eip712: out of memory");
        }
    }
    *fields_out = arr;
    return TK_OK;
}

int tk_evm_typed_data_hash(unsigned char hash[TK_EVM_HASH_LEN],
                           unsigned char domain_separator[TK_EVM_HASH_LEN],
                           unsigned char struct_hash[TK_EVM_HASH_LEN], const json_t *typed)
{
    static const char *const top[] = {"types", "primaryType", "domain", "message"};
    const json_t *types, *primary, *domain, *message;
    json_t *own_types = NULL, *empty = NULL;
    unsigned char ds[32], sh[32], pre[2] = {0x19, 0x01};
    tk_keccak256_ctx kc;
    const char *key, *pname;
    json_t *x;
    ctx712 c;
    int rc;

    memset(&c, 0, sizeof c);
    if (hash == NULL || typed == NULL) {
        return tk_fail(TK_ERR_ARG, "eip712: NULL argument");
    }
    if (json_is_string(typed)) {
        /* eth_signTypedData_v4 sends the object as a JSON string. */
        json_error_t err;
        json_t *obj;
        if (json_string_length(typed) > TK_EVM_MAX_JSON) {
            return tk_fail(TK_ERR_RANGE, "typed data: JSON text above %u bytes", TK_EVM_MAX_JSON);
        }
        obj = json_loadb(json_string_value(typed), json_string_length(typed),
                         JSON_REJECT_DUPLICATES, &err);
        if (obj == NULL) {
            return tk_fail(TK_ERR_INPUT, "typed data: invalid JSON at line %d column %d: %.120s",
                           err.line, err.column, err.text);
        }
        rc = json_is_object(obj) ? tk_evm_typed_data_hash(hash, domain_separator, struct_hash, obj)
                                 : tk_fail(TK_ERR_INPUT, "typed data: expected an object");
        json_decref(obj);
        return rc;
    }
    if (!json_is_object(typed)) {
        return tk_fail(TK_ERR_INPUT, "typed data: expected an object");
    }
    json_object_foreach((json_t *)typed, key, x)
    {
        size_t i;
        (void)x;
        for (i = 0; i < 4 && strcmp(key, top[i]) != 0; i++) {
        }
        if (i == 4) {
            return tk_fail(TK_ERR_INPUT, "typed data: unknown field \"%.64s\"", key);
        }
    }
    types = json_object_get(typed, "types");
    primary = json_object_get(typed, "primaryType");
    domain = json_object_get(typed, "domain");
    message = json_object_get(typed, "message");
    if (!json_is_object(types)) {
        return tk_fail(TK_ERR_INPUT, "types: expected an object");
    }
    if (!json_is_string(primary)) {
        return tk_fail(TK_ERR_INPUT, "primaryType: expected a string");
    }
    pname = json_string_value(primary);
    if (domain == NULL) {
        domain = empty = json_object();
    }
    if (!json_is_object(domain)) {
        rc = tk_fail(TK_ERR_INPUT, "domain: expected an object");
        goto cleanup;
    }
    if (json_object_get(types, "EIP712Domain") == NULL) {
        json_t *df = NULL;
        if ((rc = synth_domain(&df, domain)) != TK_OK) {
            goto cleanup;
        }
        if ((own_types = json_copy((json_t *)types)) == NULL ||
            json_object_set_new(own_types, "EIP712Domain", df) != 0) {
            rc = tk_fail(TK_ERR_NOMEM, "eip712: out of memory");
            goto cleanup;
        }
        types = own_types;
    }
    memset(&c, 0, sizeof c);
    c.types = types;
    if ((rc = validate_types(&c)) != TK_OK) {
        goto cleanup;
    }
    c.cap_cache = json_object_size(types);
    if ((c.cache = calloc(c.cap_cache + 1, sizeof *c.cache)) == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "eip712: out of memory");
        goto cleanup;
    }
    if (json_object_get(types, pname) == NULL) {
        rc = tk_fail(TK_ERR_INPUT, "primaryType: \"%.64s\" is not in types", pname);
        goto cleanup;
    }
    if ((rc = hash_struct(&c, ds, "EIP712Domain", domain, "domain", 0)) != TK_OK) {
        goto cleanup;
    }
    tk_keccak256_init(&kc);
    tk_keccak256_update(&kc, pre, 2);
    tk_keccak256_update(&kc, ds, 32);
    if (strcmp(pname, "EIP712Domain") != 0) {
        if (message == NULL) {
            rc = tk_fail(TK_ERR_INPUT, "message: missing");
            goto cleanup;
        }
        if ((rc = hash_struct(&c, sh, pname, message, "message", 0)) != TK_OK) {
            goto cleanup;
        }
        tk_keccak256_update(&kc, sh, 32);
    } else {
        memset(sh, 0, 32);
    }
    tk_keccak256_final(&kc, hash);
    if (domain_separator != NULL) {
        memcpy(domain_separator, ds, 32);
    }
    if (struct_hash != NULL) {
        memcpy(struct_hash, sh, 32);
    }
    rc = TK_OK;
cleanup:
    free(c.cache);
    json_decref(own_types);
    json_decref(empty);
    return rc;
}

int tk_evm_typed_data_hash_json(unsigned char hash[TK_EVM_HASH_LEN], const char *json,
                                size_t json_len)
{
    json_error_t err;
    json_t *obj;
    int rc;
    if (hash == NULL || (json == NULL && json_len != 0)) {
        return tk_fail(TK_ERR_ARG, "eip712: NULL argument");
    }
    if (json_len > TK_EVM_MAX_JSON) {
        return tk_fail(TK_ERR_RANGE, "typed data: JSON text above %u bytes", TK_EVM_MAX_JSON);
    }
    obj = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &err);
    if (obj == NULL) {
        return tk_fail(TK_ERR_INPUT, "typed data: invalid JSON at line %d column %d: %.120s",
                       err.line, err.column, err.text);
    }
    rc = tk_evm_typed_data_hash(hash, NULL, NULL, obj);
    json_decref(obj);
    return rc;
}
