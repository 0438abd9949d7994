/*
 * Strict, small JSON for contracts (RFC 8259): a recursive-descent reader into an arena tree
 * and a string writer. Refuses what a lenient parser would let through and an attacker could
 * use: duplicate keys, invalid or overlong UTF-8, lone surrogates, raw control characters,
 * leading zeros, trailing data and nesting deeper than 32.
 */
#include "near_sdk.h"

#define MAX_DEPTH 32

typedef struct {
    const char *p, *end;
    const char *error;
} reader;

static int fail(reader *r, const char *msg)
{
    if (r->error == NULL) {
        r->error = msg;
    }
    return 0;
}

static void skip_ws(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) {
        r->p++;
    }
}

static int hex4(reader *r, unsigned *out)
{
    unsigned v = 0;
    int i;
    if (r->end - r->p < 4) {
        return fail(r, "truncated \\u escape");
    }
    for (i = 0; i < 4; i++) {
        char c = *r->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= (unsigned)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= (unsigned)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= (unsigned)(c - 'A' + 10);
        } else {
            return fail(r, "bad \\u escape");
        }
    }
    *out = v;
    return 1;
}

static void put_utf8(near_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    }
    near_buf_put(b, u, n);
}

/* Validates one raw UTF-8 sequence at r->p and copies it. */
static int utf8_raw(reader *r, near_buf *b)
{
    const unsigned char *s = (const unsigned char *)r->p;
    size_t left = (size_t)(r->end - r->p), n, i;
    unsigned cp = s[0], min;
    if (cp < 0x80) {
        n = 1, min = 0;
    } else if ((cp & 0xe0) == 0xc0) {
        n = 2, cp &= 0x1f, min = 0x80;
    } else if ((cp & 0xf0) == 0xe0) {
        n = 3, cp &= 0x0f, min = 0x800;
    } else if ((cp & 0xf8) == 0xf0) {
        n = 4, cp &= 0x07, min = 0x10000;
    } else {
        return fail(r, "invalid UTF-8");
    }
    if (left < n) {
        return fail(r, "truncated UTF-8");
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return fail(r, "invalid UTF-8");
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return fail(r, "invalid UTF-8");
    }
    near_buf_put(b, r->p, n);
    r->p += n;
    return 1;
}

static int string(reader *r, const char **out, size_t *out_len)
{
    near_buf b = {0};
    r->p++; /* opening quote */
    near_buf_put(&b, "", 0);
    for (;;) {
        char c;
        if (r->p >= r->end) {
            return fail(r, "unterminated string");
        }
        c = *r->p;
        if (c == '"') {
            r->p++;
            break;
        }
        if ((unsigned char)c < 0x20) {
            return fail(r, "control character in string");
        }
        if (c != '\\') {
            if (!utf8_raw(r, &b)) {
                return 0;
            }
            continue;
        }
        if (++r->p >= r->end) {
            return fail(r, "unterminated escape");
        }
        c = *r->p++;
        switch (c) {
        case '"':
        case '\\':
        case '/':
            near_buf_putc(&b, c);
            break;
        case 'b':
            near_buf_putc(&b, '\b');
            break;
        case 'f':
            near_buf_putc(&b, '\f');
            break;
        case 'n':
            near_buf_putc(&b, '\n');
            break;
        case 'r':
            near_buf_putc(&b, '\r');
            break;
        case 't':
            near_buf_putc(&b, '\t');
            break;
        case 'u': {
            unsigned cp, lo;
            if (!hex4(r, &cp)) {
                return 0;
            }
            if (cp >= 0xdc00 && cp <= 0xdfff) {
                return fail(r, "lone low surrogate");
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u') {
                    return fail(r, "lone high surrogate");
                }
                r->p += 2;
                if (!hex4(r, &lo)) {
                    return 0;
                }
                if (lo < 0xdc00 || lo > 0xdfff) {
                    return fail(r, "lone high surrogate");
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }
            put_utf8(&b, cp);
            break;
        }
        default:
            return fail(r, "bad escape");
        }
    }
    *out = b.data;
    *out_len = b.len;
    return 1;
}

static int number(reader *r, near_json *v)
{
    const char *start = r->p;
    if (r->p < r->end && *r->p == '-') {
        r->p++;
    }
    if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
        return fail(r, "bad number");
    }
    if (*r->p == '0' && r->p + 1 < r->end && r->p[1] >= '0' && r->p[1] <= '9') {
        return fail(r, "leading zero in number");
    }
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        r->p++;
    }
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
            return fail(r, "bad fraction");
        }
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
            r->p++;
        }
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-')) {
            r->p++;
        }
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
            return fail(r, "bad exponent");
        }
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
            r->p++;
        }
    }
    v->type = NEAR_JSON_NUMBER;
    v->str = near_strndup(start, (size_t)(r->p - start));
    v->len = (size_t)(r->p - start);
    return 1;
}

static int literal(reader *r, const char *word)
{
    size_t n = near_strlen(word);
    if ((size_t)(r->end - r->p) < n || !near_memeq(r->p, word, n)) {
        return fail(r, "unexpected character");
    }
    r->p += n;
    return 1;
}

static int value(reader *r, near_json *v, int depth);

static int container(reader *r, near_json *v, int depth, int object)
{
    near_json **tail = &v->child;
    char close = object ? '}' : ']';
    if (depth > MAX_DEPTH) {
        return fail(r, "nesting too deep");
    }
    v->type = object ? NEAR_JSON_OBJECT : NEAR_JSON_ARRAY;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 1;
    }
    for (;;) {
        near_json *item = near_alloc(sizeof *item);
        *item = (near_json){0};
        skip_ws(r);
        if (object) {
            const near_json *prev;
            if (r->p >= r->end || *r->p != '"') {
                return fail(r, "expected a member name");
            }
            if (!string(r, &item->key, &item->key_len)) {
                return 0;
            }
            for (prev = v->child; prev != NULL; prev = prev->next) {
                if (prev->key_len == item->key_len &&
                    near_memeq(prev->key, item->key, item->key_len)) {
                    return fail(r, "duplicate key");
                }
            }
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':') {
                return fail(r, "expected ':'");
            }
            r->p++;
        }
        if (!value(r, item, depth + 1)) {
            return 0;
        }
        *tail = item;
        tail = &item->next;
        v->count++;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return 1;
        }
        return fail(r, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int value(reader *r, near_json *v, int depth)
{
    skip_ws(r);
    if (r->p >= r->end) {
        return fail(r, "unexpected end of input");
    }
    switch (*r->p) {
    case '{':
        return container(r, v, depth, 1);
    case '[':
        return container(r, v, depth, 0);
    case '"':
        v->type = NEAR_JSON_STRING;
        return string(r, &v->str, &v->len);
    case 't':
        v->type = NEAR_JSON_BOOL, v->boolean = 1;
        return literal(r, "true");
    case 'f':
        v->type = NEAR_JSON_BOOL, v->boolean = 0;
        return literal(r, "false");
    case 'n':
        v->type = NEAR_JSON_NULL;
        return literal(r, "null");
    default:
        return number(r, v);
    }
}

near_json *near_json_parse(const char *text, size_t len, const char **error)
{
    reader r = {text, text + len, NULL};
    near_json *root = near_alloc(sizeof *root);
    *root = (near_json){0};
    if (!value(&r, root, 1)) {
        *error = r.error;
        return NULL;
    }
    skip_ws(&r);
    if (r.p != r.end) {
        *error = "trailing characters after JSON value";
        return NULL;
    }
    return root;
}

const near_json *near_json_get(const near_json *object, const char *key)
{
    const near_json *c;
    size_t n = near_strlen(key);
    if (object == NULL || object->type != NEAR_JSON_OBJECT) {
        return NULL;
    }
    for (c = object->child; c != NULL; c = c->next) {
        if (c->key_len == n && near_memeq(c->key, key, n)) {
            return c;
        }
    }
    return NULL;
}

const char *near_json_string(const near_json *v)
{
    return v != NULL && v->type == NEAR_JSON_STRING ? v->str : NULL;
}

int near_json_u128(const near_json *v, unsigned __int128 *out)
{
    if (v == NULL || (v->type != NEAR_JSON_NUMBER && v->type != NEAR_JSON_STRING)) {
        return 0;
    }
    return near_parse_u128(out, v->str, v->len);
}

int near_json_u64(const near_json *v, uint64_t *out)
{
    unsigned __int128 x;
    if (!near_json_u128(v, &x) || x > UINT64_MAX) {
        return 0;
    }
    *out = (uint64_t)x;
    return 1;
}

void near_json_write_string(near_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    near_buf_putc(b, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            near_buf_putc(b, '\\');
            near_buf_putc(b, (char)c);
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            near_buf_put(b, e, 6);
        } else {
            near_buf_putc(b, (char)c);
        }
    }
    near_buf_putc(b, '"');
}
