/*
 * Freestanding strict JSON reader for the portable DCAP verifier: Intel's TCB info and QE
 * identity documents and dcap-qvl's collateral object. It accepts exactly what jansson's
 * json_loadb(JSON_REJECT_DUPLICATES) accepts for the native verifier (an object or array at
 * the top, RFC 8259 grammar, valid UTF-8, no \u0000, paired surrogates, integers that fit a
 * long long, reals that do not overflow a double, no duplicate keys at any depth), and
 * tokenizes into caller memory: no allocation, no recursion.
 */
#include "dcap_internal.h"

#define PC_JSON_MAX_DEPTH 2048

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int hexval(char c)
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

static long u4(const char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s[i]);
        if (h < 0) {
            return -1;
        }
        v = (v << 4) | h;
    }
    return v;
}

/* Scans a string starting after its opening quote at *pos; on success *pos is after the
 * closing quote. Validates escapes and UTF-8 as jansson does. */
static int scan_string(const char *s, size_t len, size_t *pos, uint8_t *has_escape)
{
    size_t i = *pos;
    *has_escape = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            *pos = i + 1;
            return 0;
        }
        if (c < 0x20) {
            return -1;
        }
        if (c == '\\') {
            *has_escape = 1;
            if (i + 1 >= len) {
                return -1;
            }
            c = (unsigned char)s[i + 1];
            if (c == 'u') {
                long v;
                if (len - i < 6 || (v = u4(s + i + 2)) < 0) {
                    return -1;
                }
                i += 6;
                if (v == 0) {
                    return -1;
                }
                if (v >= 0xdc00 && v <= 0xdfff) {
                    return -1;
                }
                if (v >= 0xd800 && v <= 0xdbff) {
                    long lo;
                    if (len - i < 6 || s[i] != '\\' || s[i + 1] != 'u' ||
                        (lo = u4(s + i + 2)) < 0xdc00 || lo > 0xdfff) {
                        return -1;
                    }
                    i += 6;
                }
                continue;
            }
            if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' && c != 'n' && c != 'r' &&
                c != 't') {
                return -1;
            }
            i += 2;
            continue;
        }
        if (c < 0x80) {
            i++;
            continue;
        }
        {
            unsigned need;
            uint32_t cp;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                cp = c & 0x1f;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                cp = c & 0x0f;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                cp = c & 0x07;
            } else {
                return -1;
            }
            if (len - i <= need) {
                return -1;
            }
            for (unsigned k = 1; k <= need; k++) {
                unsigned char d = (unsigned char)s[i + k];
                if ((d & 0xc0) != 0x80) {
                    return -1;
                }
                cp = (cp << 6) | (d & 0x3f);
            }
            if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
                (cp >= 0xd800 && cp <= 0xdfff)) {
                return -1;
            }
            i += need + 1;
        }
    }
    return -1;
}

/* Compares a digit string with a limit of the same length: <0, 0, >0. */
static int digits_cmp(const char *d, size_t n, const char *limit)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i] != limit[i]) {
            return d[i] < limit[i] ? -1 : 1;
        }
    }
    return 0;
}

/* 2^1024 - 2^970: the smallest decimal that strtod rounds to infinity. */
static const char k_dbl_overflow[] =
    "1797693134862315807937289714053034150799341327100378269361737789804449682927647509466490179"
    "7758720709633028641669288791094655554785194040263065748867150582068190890200070838367627385"
    "4845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342"
    "711559699508093042880177904174497792";

/* Whether the real with the given integer digits, fraction digits and exponent overflows. */
static int real_overflows(const char *ip, size_t in, const char *fp, size_t fn, long long ex)
{
    /* significant digits: the concatenation, from the first non-zero one */
    size_t total = in + fn, f = 0, k;
    long long e;
#define DIG(i) ((i) < in ? ip[(i)] : fp[(i)-in])
    while (f < total && DIG(f) == '0') {
        f++;
    }
    if (f == total) {
        return 0;
    }
    e = (long long)in - (long long)f + ex; /* value = 0.d... * 10^e */
    if (e != 309) {
        return e > 309;
    }
    for (k = 0; k < sizeof k_dbl_overflow - 1; k++) {
        char d = f + k < total ? DIG(f + k) : '0';
        if (d != k_dbl_overflow[k]) {
            return d > k_dbl_overflow[k];
        }
    }
    return 1; /* equal to the rounding threshold (or longer and equal so far): rounds up */
#undef DIG
}

/* Scans a number at *pos. */
static int scan_number(const char *s, size_t len, size_t *pos, pc_jtok *t)
{
    size_t i = *pos, ib, ie, fb = 0, fe = 0;
    long long ex = 0;
    int real = 0;
    t->neg = 0;
    if (i < len && s[i] == '-') {
        t->neg = 1;
        i++;
    }
    ib = i;
    if (i >= len || s[i] < '0' || s[i] > '9') {
        return -1;
    }
    if (s[i] == '0') {
        i++;
        if (i < len && s[i] >= '0' && s[i] <= '9') {
            return -1;
        }
    } else {
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
        }
    }
    ie = i;
    if (i < len && s[i] == '.') {
        real = 1;
        i++;
        fb = i;
        if (i >= len || s[i] < '0' || s[i] > '9') {
            return -1;
        }
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
        }
        fe = i;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        int eneg = 0;
        real = 1;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        if (i >= len || s[i] < '0' || s[i] > '9') {
            return -1;
        }
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (ex < 1000000000LL) {
                ex = ex * 10 + (s[i] - '0');
            }
            i++;
        }
        if (eneg) {
            ex = -ex;
        }
    }
    if (real) {
        if (real_overflows(s + ib, ie - ib, s + fb, fe - fb, ex)) {
            return -1;
        }
        t->type = PC_J_REAL;
    } else {
        size_t n = ie - ib;
        if (n > 19 ||
            (n == 19 &&
             digits_cmp(s + ib, 19, t->neg ? "9223372036854775808" : "9223372036854775807") > 0)) {
            return -1;
        }
        t->type = PC_J_INT;
    }
    *pos = i;
    return 0;
}

/* Decoding iterator over a string token's raw text: writes the next character's UTF-8 bytes
 * (1..4) to out and returns how many, or 0 at the end. */
static size_t str_next(const char *s, size_t *i, size_t end, unsigned char out[4])
{
    unsigned char c;
    if (*i >= end) {
        return 0;
    }
    c = (unsigned char)s[*i];
    if (c != '\\') {
        out[0] = c;
        (*i)++;
        return 1;
    }
    c = (unsigned char)s[*i + 1];
    *i += 2;
    switch (c) {
    case 'b':
        out[0] = '\b';
        return 1;
    case 'f':
        out[0] = '\f';
        return 1;
    case 'n':
        out[0] = '\n';
        return 1;
    case 'r':
        out[0] = '\r';
        return 1;
    case 't':
        out[0] = '\t';
        return 1;
    case 'u': {
        uint32_t cp = (uint32_t)u4(s + *i);
        *i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t lo = (uint32_t)u4(s + *i + 2);
            *i += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (cp < 0x80) {
            out[0] = (unsigned char)cp;
            return 1;
        }
        if (cp < 0x800) {
            out[0] = (unsigned char)(0xc0 | (cp >> 6));
            out[1] = (unsigned char)(0x80 | (cp & 0x3f));
            return 2;
        }
        if (cp < 0x10000) {
            out[0] = (unsigned char)(0xe0 | (cp >> 12));
            out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
            out[2] = (unsigned char)(0x80 | (cp & 0x3f));
            return 3;
        }
        out[0] = (unsigned char)(0xf0 | (cp >> 18));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (unsigned char)(0x80 | (cp & 0x3f));
        return 4;
    }
    default:
        out[0] = c; /* " \ / */
        return 1;
    }
}

/* Compares the decoded string token t with bytes b[0..n). Returns 1 when equal. */
static int str_eq_bytes(const pc_json *j, uint32_t t, const char *b, size_t n)
{
    const pc_jtok *k = &j->tok[t];
    size_t i = k->start, o = 0, m;
    unsigned char c[4];
    if (!k->has_escape) {
        return k->end - k->start == n && pc_memcmp(j->text + k->start, b, n) == 0;
    }
    while ((m = str_next(j->text, &i, k->end, c)) != 0) {
        if (o + m > n || pc_memcmp(c, b + o, m) != 0) {
            return 0;
        }
        o += m;
    }
    return o == n;
}

static int str_eq_tok(const pc_json *j, uint32_t a, uint32_t b)
{
    const pc_jtok *ka = &j->tok[a], *kb = &j->tok[b];
    size_t ia = ka->start, ib = kb->start, ma, mb;
    unsigned char ca[4], cb[4];
    if (!ka->has_escape) {
        return str_eq_bytes(j, b, j->text + ka->start, ka->end - ka->start);
    }
    for (;;) {
        ma = str_next(j->text, &ia, ka->end, ca);
        mb = str_next(j->text, &ib, kb->end, cb);
        if (ma != mb || pc_memcmp(ca, cb, ma) != 0) {
            return 0;
        }
        if (ma == 0) {
            return 1;
        }
    }
}

/* Refuses an object with two equal keys. */
static int dup_check(const pc_json *j, uint32_t obj)
{
    uint32_t ki = obj + 1;
    for (uint32_t a = 0; a < j->tok[obj].size; a++) {
        uint32_t kj = j->tok[ki + 1].skip;
        for (uint32_t b = a + 1; b < j->tok[obj].size; b++) {
            if (str_eq_tok(j, ki, kj)) {
                return -1;
            }
            kj = j->tok[kj + 1].skip;
        }
        ki = j->tok[ki + 1].skip;
    }
    return 0;
}

#define NONE 0xffffffffu

int pc_json_parse(pc_json *j, pc_jtok *toks, uint32_t cap, const char *s, size_t len)
{
    size_t pos = 0;
    uint32_t n = 0, cur = NONE, depth = 0;
    j->text = s;
    j->len = len;
    j->tok = toks;
    j->n = 0;
    if (len >= 0xffffffffu) {
        return TK_PC_ERR_INPUT;
    }
#define WS()                                                                                       \
    while (pos < len && is_ws(s[pos]))                                                             \
    pos++
#define NEWTOK(tp)                                                                                 \
    do {                                                                                           \
        if (n >= cap) {                                                                            \
            return TK_PC_ERR_INPUT;                                                                \
        }                                                                                          \
        pc_memset(&toks[n], 0, sizeof toks[n]);                                                    \
        toks[n].type = (tp);                                                                       \
        toks[n].start = (uint32_t)pos;                                                             \
        n++;                                                                                       \
    } while (0)
    WS();
    if (pos >= len || (s[pos] != '{' && s[pos] != '[')) {
        return TK_PC_ERR_INPUT;
    }
    for (;;) {
        /* a value starts at pos */
        char c;
        int closed_now = 0;
        WS();
        if (pos >= len) {
            return TK_PC_ERR_INPUT;
        }
        c = s[pos];
        if (c == '{' || c == '[') {
            uint32_t me = n;
            NEWTOK(c == '{' ? PC_J_OBJ : PC_J_ARR);
            toks[me].skip = cur; /* the parent, while open */
            cur = me;
            if (++depth > PC_JSON_MAX_DEPTH) {
                return TK_PC_ERR_INPUT;
            }
            pos++;
            WS();
            if (pos < len && s[pos] == (c == '{' ? '}' : ']')) {
                closed_now = 1;
            } else if (c == '{') {
                uint32_t k = n;
                if (pos >= len || s[pos] != '"') {
                    return TK_PC_ERR_INPUT;
                }
                pos++;
                NEWTOK(PC_J_STR);
                toks[k].start = (uint32_t)pos;
                if (scan_string(s, len, &pos, &toks[k].has_escape) != 0) {
                    return TK_PC_ERR_INPUT;
                }
                toks[k].end = (uint32_t)(pos - 1);
                toks[k].skip = n;
                toks[me].size++;
                WS();
                if (pos >= len || s[pos] != ':') {
                    return TK_PC_ERR_INPUT;
                }
                pos++;
                continue;
            } else {
                toks[me].size++;
                continue;
            }
        } else {
            uint32_t me = n;
            NEWTOK(0);
            if (c == '"') {
                pos++;
                toks[me].type = PC_J_STR;
                toks[me].start = (uint32_t)pos;
                if (scan_string(s, len, &pos, &toks[me].has_escape) != 0) {
                    return TK_PC_ERR_INPUT;
                }
                toks[me].end = (uint32_t)(pos - 1);
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                if (scan_number(s, len, &pos, &toks[me]) != 0) {
                    return TK_PC_ERR_INPUT;
                }
                toks[me].end = (uint32_t)pos;
            } else if (len - pos >= 4 && pc_memcmp(s + pos, "true", 4) == 0) {
                toks[me].type = PC_J_TRUE;
                pos += 4;
            } else if (len - pos >= 5 && pc_memcmp(s + pos, "false", 5) == 0) {
                toks[me].type = PC_J_FALSE;
                pos += 5;
            } else if (len - pos >= 4 && pc_memcmp(s + pos, "null", 4) == 0) {
                toks[me].type = PC_J_NULL;
                pos += 4;
            } else {
                return TK_PC_ERR_INPUT;
            }
            toks[me].skip = n;
        }
        /* after a value: separators and closing brackets */
        for (;;) {
            uint32_t parent;
            if (!closed_now) {
                if (cur == NONE) {
                    WS();
                    if (pos != len) {
                        return TK_PC_ERR_INPUT;
                    }
                    j->n = n;
                    return TK_PC_OK;
                }
                WS();
                if (pos >= len) {
                    return TK_PC_ERR_INPUT;
                }
                if (s[pos] == ',') {
                    pos++;
                    WS();
                    if (toks[cur].type == PC_J_OBJ) {
                        uint32_t k = n;
                        if (pos >= len || s[pos] != '"') {
                            return TK_PC_ERR_INPUT;
                        }
                        pos++;
                        NEWTOK(PC_J_STR);
                        toks[k].start = (uint32_t)pos;
                        if (scan_string(s, len, &pos, &toks[k].has_escape) != 0) {
                            return TK_PC_ERR_INPUT;
                        }
                        toks[k].end = (uint32_t)(pos - 1);
                        toks[k].skip = n;
                        WS();
                        if (pos >= len || s[pos] != ':') {
                            return TK_PC_ERR_INPUT;
                        }
                        pos++;
                    }
                    toks[cur].size++;
                    break;
                }
                if (s[pos] != (toks[cur].type == PC_J_OBJ ? '}' : ']')) {
                    return TK_PC_ERR_INPUT;
                }
            }
            closed_now = 0;
            /* close cur */
            pos++;
            parent = toks[cur].skip;
            toks[cur].end = (uint32_t)pos;
            toks[cur].skip = n;
            j->tok = toks;
            j->n = n;
            if (toks[cur].type == PC_J_OBJ && dup_check(j, cur) != 0) {
                return TK_PC_ERR_INPUT;
            }
            depth--;
            cur = parent;
        }
    }
#undef WS
#undef NEWTOK
}

uint32_t pc_json_get(const pc_json *j, uint32_t obj, const char *key)
{
    uint32_t k = obj + 1;
    size_t kl = 0;
    if (j->tok[obj].type != PC_J_OBJ) {
        return 0;
    }
    while (key[kl] != '\0') {
        kl++;
    }
    for (uint32_t i = 0; i < j->tok[obj].size; i++) {
        if (str_eq_bytes(j, k, key, kl)) {
            return k + 1;
        }
        k = j->tok[k + 1].skip;
    }
    return 0;
}

uint32_t pc_json_at(const pc_json *j, uint32_t arr, uint32_t i)
{
    uint32_t k = arr + 1;
    while (i-- > 0) {
        k = j->tok[k].skip;
    }
    return k;
}

size_t pc_json_str(const pc_json *j, uint32_t t, char *out, size_t cap)
{
    const pc_jtok *k = &j->tok[t];
    size_t i = k->start, o = 0, m;
    unsigned char c[4];
    while ((m = str_next(j->text, &i, k->end, c)) != 0) {
        if (o + m > cap) {
            return (size_t)-1;
        }
        pc_memcpy(out + o, c, m);
        o += m;
    }
    return o;
}

int pc_json_uint(const pc_json *j, uint32_t t, long long max, long long *out)
{
    const pc_jtok *k = &j->tok[t];
    long long v = 0;
    if (t == 0 || k->type != PC_J_INT) {
        return -1;
    }
    for (uint32_t i = k->start + k->neg; i < k->end; i++) {
        int d = j->text[i] - '0';
        if (v > (max - d) / 10) {
            return -1; /* beyond max (also avoids overflow) */
        }
        v = v * 10 + d;
    }
    if (k->neg && v != 0) {
        return -1;
    }
    *out = v;
    return 0;
}
