/*
 * evm module helpers: strict readers for JSON-RPC hex quantities, byte strings and
 * addresses (EIP-55), their writers, and error-detail prefixing. Public data only: these
 * functions never see the secret key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"
#include "teekeys/rlp.h"

int tk_evm__refail(int rc, const char *fmt, ...)
{
    char prefix[160], detail[320];
    va_list ap;
    snprintf(detail, sizeof detail, "%s", tk_errmsg());
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    return tk_fail(rc, "%s: %s", prefix, detail);
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

/* Returns the text after "0x" of a JSON string, or NULL with a detail. */
static const char *hex_body(size_t *len, const json_t *v, const char *field, const char *what)
{
    const char *s;
    if (v == NULL || !json_is_string(v)) {
        tk_fail(TK_ERR_INPUT, "%s: expected %s as a \"0x...\" string", field, what);
        return NULL;
    }
    s = json_string_value(v);
    *len = json_string_length(v);
    if (*len < 2 || s[0] != '0' || s[1] != 'x') {
        tk_fail(TK_ERR_INPUT, "%s: %s must start with \"0x\"", field, what);
        return NULL;
    }
    *len -= 2;
    return s + 2;
}

int tk_evm__quantity(tk_evm_u256 *out, const json_t *v, const char *field)
{
    const char *s;
    size_t n, i;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "quantity: NULL output");
    }
    memset(out, 0, sizeof *out);
    if ((s = hex_body(&n, v, field, "a hex quantity")) == NULL) {
        return TK_ERR_INPUT;
    }
    if (n == 0) {
        return tk_fail(TK_ERR_INPUT, "%s: empty quantity \"0x\" (zero is \"0x0\")", field);
    }
    if (n > 1 && s[0] == '0') {
        return tk_fail(TK_ERR_INPUT, "%s: quantity has leading zeros", field);
    }
    if (n > 64) {
        return tk_fail(TK_ERR_RANGE, "%s: quantity above 256 bits", field);
    }
    for (i = 0; i < n; i++) {
        int d = hexval(s[n - 1 - i]);
        if (d < 0) {
            return tk_fail(TK_ERR_INPUT, "%s: invalid hex digit at position %zu", field,
                           n - 1 - i + 2);
        }
        out->b[31 - i / 2] |= (unsigned char)(i % 2 ? d << 4 : d);
    }
    return TK_OK;
}

int tk_evm__quantity_u64(uint64_t *out, const json_t *v, const char *field)
{
    tk_evm_u256 q;
    int rc;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "quantity: NULL output");
    }
    if ((rc = tk_evm__quantity(&q, v, field)) != TK_OK) {
        return rc;
    }
    for (int i = 0; i < 24; i++) {
        if (q.b[i] != 0) {
            return tk_fail(TK_ERR_RANGE, "%s: quantity above 2^64-1", field);
        }
    }
    *out = 0;
    for (int i = 24; i < 32; i++) {
        *out = (*out << 8) | q.b[i];
    }
    return TK_OK;
}

int tk_evm__hex_bytes(unsigned char **out, size_t *out_len, const json_t *v, size_t max_len,
                      const char *field)
{
    const char *s;
    size_t n;
    unsigned char *p;
    if (out == NULL || out_len == NULL) {
        return tk_fail(TK_ERR_ARG, "hex bytes: NULL output");
    }
    *out = NULL;
    *out_len = 0;
    if ((s = hex_body(&n, v, field, "hex bytes")) == NULL) {
        return TK_ERR_INPUT;
    }
    if (n % 2 != 0) {
        return tk_fail(TK_ERR_INPUT, "%s: odd number of hex digits", field);
    }
    if (n / 2 > max_len) {
        return tk_fail(TK_ERR_RANGE, "%s: %zu bytes, at most %zu allowed", field, n / 2, max_len);
    }
    if (n == 0) {
        return TK_OK;
    }
    if ((p = malloc(n / 2)) == NULL) {
        return tk_fail(TK_ERR_NOMEM, "%s: out of memory", field);
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(p);
            return tk_fail(TK_ERR_INPUT, "%s: invalid hex digit at position %zu", field,
                           2 * i + (hi < 0 ? 0 : 1) + 2);
        }
        p[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = p;
    *out_len = n / 2;
    return TK_OK;
}

int tk_evm__hex_fixed(unsigned char *out, size_t len, const json_t *v, const char *field)
{
    const char *s;
    size_t n;
    if (out == NULL) {
        return tk_fail(TK_ERR_ARG, "hex: NULL output");
    }
    if ((s = hex_body(&n, v, field, "hex bytes")) == NULL) {
        return TK_ERR_INPUT;
    }
    if (n != 2 * len) {
        return tk_fail(TK_ERR_INPUT, "%s: expected %zu bytes (%zu hex digits), got %zu digits",
                       field, len, 2 * len, n);
    }
    for (size_t i = 0; i < len; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return tk_fail(TK_ERR_INPUT, "%s: invalid hex digit at position %zu", field,
                           2 * i + (hi < 0 ? 0 : 1) + 2);
        }
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return TK_OK;
}

int tk_evm_address_parse(unsigned char addr[TK_EVM_ADDRESS_LEN], const char *in, size_t in_len)
{
    char lower[40];
    unsigned char h[32];
    int has_lower = 0, has_upper = 0;
    if (addr == NULL || (in == NULL && in_len != 0)) {
        return tk_fail(TK_ERR_ARG, "address: NULL argument");
    }
    if (in_len != 42 || in[0] != '0' || in[1] != 'x') {
        return tk_fail(TK_ERR_INPUT, "address must be \"0x\" followed by 40 hex digits");
    }
    for (size_t i = 0; i < 40; i++) {
        char c = in[2 + i];
        int d = hexval(c);
        if (d < 0) {
            return tk_fail(TK_ERR_INPUT, "address: invalid hex digit at position %zu", i + 2);
        }
        has_lower |= c >= 'a' && c <= 'f';
        has_upper |= c >= 'A' && c <= 'F';
        lower[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
        if (i % 2 == 0) {
            addr[i / 2] = (unsigned char)(d << 4);
        } else {
            addr[i / 2] |= (unsigned char)d;
        }
    }
    if (has_lower && has_upper) {
        tk_keccak256(h, lower, 40);
        for (size_t i = 0; i < 40; i++) {
            char c = in[2 + i];
            int nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
            if ((c >= 'a' && c <= 'f' && nib >= 8) || (c >= 'A' && c <= 'F' && nib < 8)) {
                return tk_fail(TK_ERR_INPUT,
                               "address: mixed-case address with a wrong EIP-55 checksum");
            }
        }
    }
    return TK_OK;
}

int tk_evm_address_string(char *out, size_t out_cap, const unsigned char addr[TK_EVM_ADDRESS_LEN])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char h[32];
    if (out == NULL || addr == NULL) {
        return tk_fail(TK_ERR_ARG, "address string: NULL argument");
    }
    if (out_cap < TK_EVM_ADDRESS_STR) {
        return tk_fail(TK_ERR_BUFFER, "address string needs %d bytes", TK_EVM_ADDRESS_STR);
    }
    out[0] = '0';
    out[1] = 'x';
    for (size_t i = 0; i < 20; i++) {
        out[2 + 2 * i] = digits[addr[i] >> 4];
        out[3 + 2 * i] = digits[addr[i] & 0xf];
    }
    tk_keccak256(h, out + 2, 40);
    for (size_t i = 0; i < 40; i++) {
        char c = out[2 + i];
        int nib = (h[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
        if (c >= 'a' && nib >= 8) {
            out[2 + i] = (char)(c - 'a' + 'A');
        }
    }
    out[42] = '\0';
    return TK_OK;
}

int tk_evm__address(unsigned char addr[TK_EVM_ADDRESS_LEN], const json_t *v, const char *field)
{
    int rc;
    if (v == NULL || !json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "%s: expected an address string", field);
    }
    rc = tk_evm_address_parse(addr, json_string_value(v), json_string_length(v));
    if (rc != TK_OK) {
        return tk_evm__refail(rc, "%s", field);
    }
    return TK_OK;
}

json_t *tk_evm__json_quantity(const unsigned char *be, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char buf[2 + 2 * 32 + 1];
    size_t i = 0, o = 2;
    if (len > 32) {
        return NULL;
    }
    while (i < len && be[i] == 0) {
        i++;
    }
    buf[0] = '0';
    buf[1] = 'x';
    if (i == len) {
        buf[o++] = '0';
    } else {
        if (be[i] >> 4) {
            buf[o++] = digits[be[i] >> 4];
        }
        buf[o++] = digits[be[i] & 0xf];
        for (i++; i < len; i++) {
            buf[o++] = digits[be[i] >> 4];
            buf[o++] = digits[be[i] & 0xf];
        }
    }
    buf[o] = '\0';
    return json_string(buf);
}

json_t *tk_evm__json_quantity_u64(uint64_t v)
{
    unsigned char be[8];
    for (int i = 0; i < 8; i++) {
        be[7 - i] = (unsigned char)(v >> (8 * i));
    }
    return tk_evm__json_quantity(be, 8);
}

json_t *tk_evm__json_hex(const unsigned char *p, size_t len)
{
    char *buf;
    json_t *j;
    if (len > TK_RLP_MAX_INPUT) {
        return NULL;
    }
    if ((buf = malloc(2 * len + 3)) == NULL) {
        return NULL;
    }
    buf[0] = '0';
    buf[1] = 'x';
    if (tk_hex_encode(buf + 2, 2 * len + 1, p, len) != TK_OK) {
        free(buf);
        return NULL;
    }
    j = json_stringn(buf, 2 * len + 2);
    free(buf);
    return j;
}

json_t *tk_evm__json_address(const unsigned char addr[TK_EVM_ADDRESS_LEN])
{
    char s[TK_EVM_ADDRESS_STR];
    if (tk_evm_address_string(s, sizeof s, addr) != TK_OK) {
        return NULL;
    }
    return json_string(s);
}
