/*
 * Bech32 (BIP-173) and bech32m (BIP-350) strings and segwit addresses. Public data only
 * (addresses), so table lookups are fine here. Every rule of both BIPs is enforced on decode:
 * length, case, character set, separator position, checksum variant per witness version,
 * padding bits and program lengths.
 */
#include <string.h>

#include "teekeys/encoding.h"

static const char charset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t polymod_step(uint32_t pre)
{
    uint32_t b = pre >> 25;
    return ((pre & 0x1ffffff) << 5) ^ (-((b >> 0) & 1) & 0x3b6a57b2UL) ^
           (-((b >> 1) & 1) & 0x26508e6dUL) ^ (-((b >> 2) & 1) & 0x1ea119faUL) ^
           (-((b >> 3) & 1) & 0x3d4233ddUL) ^ (-((b >> 4) & 1) & 0x2a1462b3UL);
}

static uint32_t variant_const(tk_bech32_variant v)
{
    return v == TK_BECH32M ? 0x2bc830a3u : 1u;
}

static uint32_t hrp_polymod(const char *hrp, size_t hrp_len)
{
    uint32_t chk = 1;
    size_t i;
    for (i = 0; i < hrp_len; i++) {
        chk = polymod_step(chk) ^ ((unsigned char)hrp[i] >> 5);
    }
    chk = polymod_step(chk);
    for (i = 0; i < hrp_len; i++) {
        chk = polymod_step(chk) ^ ((unsigned char)hrp[i] & 0x1f);
    }
    return chk;
}

int tk_bech32_encode(char *out, size_t out_cap, const char *hrp, const unsigned char *data,
                     size_t data_len, tk_bech32_variant variant)
{
    size_t hrp_len, i, o = 0;
    uint32_t chk;

    if (out == NULL || hrp == NULL || (data == NULL && data_len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_bech32_encode: NULL argument");
    }
    hrp_len = strlen(hrp);
    if (hrp_len < 1 || hrp_len + data_len + 7 > TK_BECH32_MAX_LEN) {
        return tk_fail(TK_ERR_RANGE, "bech32 string would exceed %d characters", TK_BECH32_MAX_LEN);
    }
    if (out_cap < hrp_len + data_len + 8) {
        return tk_fail(TK_ERR_BUFFER, "bech32 output needs %zu bytes", hrp_len + data_len + 8);
    }
    for (i = 0; i < hrp_len; i++) {
        unsigned char c = (unsigned char)hrp[i];
        if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) {
            return tk_fail(TK_ERR_INPUT, "invalid bech32 human-readable part");
        }
        out[o++] = (char)c;
    }
    chk = hrp_polymod(hrp, hrp_len);
    out[o++] = '1';
    for (i = 0; i < data_len; i++) {
        if (data[i] >> 5) {
            return tk_fail(TK_ERR_INPUT, "bech32 data value %u is not 5-bit", data[i]);
        }
        chk = polymod_step(chk) ^ data[i];
        out[o++] = charset[data[i]];
    }
    for (i = 0; i < 6; i++) {
        chk = polymod_step(chk);
    }
    chk ^= variant_const(variant);
    for (i = 0; i < 6; i++) {
        out[o++] = charset[(chk >> ((5 - i) * 5)) & 0x1f];
    }
    out[o] = '\0';
    return TK_OK;
}

int tk_bech32_decode(char *hrp, size_t hrp_cap, unsigned char *data, size_t data_cap,
                     size_t *data_len, tk_bech32_variant *variant, const char *in, size_t in_len)
{
    size_t i, sep = 0, n_data;
    int lower = 0, upper = 0;
    uint32_t chk;

    if (hrp == NULL || data_len == NULL || variant == NULL || (in == NULL && in_len > 0) ||
        (data == NULL && data_cap > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_bech32_decode: NULL argument");
    }
    *data_len = 0;
    if (in_len > TK_BECH32_MAX_LEN) {
        return tk_fail(TK_ERR_INPUT, "bech32 string longer than %d characters", TK_BECH32_MAX_LEN);
    }
    for (i = 0; i < in_len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 33 || c > 126) {
            return tk_fail(TK_ERR_INPUT, "invalid character at position %zu in bech32 string", i);
        }
        lower |= (c >= 'a' && c <= 'z');
        upper |= (c >= 'A' && c <= 'Z');
        if (c == '1') {
            sep = i + 1;
        }
    }
    if (lower && upper) {
        return tk_fail(TK_ERR_INPUT, "bech32 string mixes upper and lower case");
    }
    if (sep == 0) {
        return tk_fail(TK_ERR_INPUT, "bech32 string has no '1' separator");
    }
    sep -= 1;
    if (sep < 1) {
        return tk_fail(TK_ERR_INPUT, "bech32 human-readable part is empty");
    }
    if (in_len - sep - 1 < 6) {
        return tk_fail(TK_ERR_INPUT, "bech32 checksum too short");
    }
    if (sep + 1 > hrp_cap) {
        return tk_fail(TK_ERR_BUFFER, "bech32 human-readable part too long");
    }
    n_data = in_len - sep - 1 - 6;
    if (n_data > data_cap) {
        return tk_fail(TK_ERR_BUFFER, "bech32 data part too long");
    }
    for (i = 0; i < sep; i++) {
        unsigned char c = (unsigned char)in[i];
        hrp[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    hrp[sep] = '\0';
    chk = hrp_polymod(hrp, sep);
    for (i = sep + 1; i < in_len; i++) {
        unsigned char c = (unsigned char)in[i];
        const char *pos;
        if (c >= 'A' && c <= 'Z') {
            c += 32;
        }
        pos = memchr(charset, c, 32);
        if (pos == NULL) {
            return tk_fail(TK_ERR_INPUT, "invalid bech32 data character '%c'", in[i]);
        }
        chk = polymod_step(chk) ^ (uint32_t)(pos - charset);
        if (i - sep - 1 < n_data) {
            data[i - sep - 1] = (unsigned char)(pos - charset);
        }
    }
    if (chk == variant_const(TK_BECH32)) {
        *variant = TK_BECH32;
    } else if (chk == variant_const(TK_BECH32M)) {
        *variant = TK_BECH32M;
    } else {
        return tk_fail(TK_ERR_INPUT, "bech32 checksum mismatch");
    }
    *data_len = n_data;
    return TK_OK;
}

/* Regroups bits; with pad == 0 the leftover must be < from bits and all zero. */
static int convert_bits(unsigned char *out, size_t out_cap, size_t *out_len, int to,
                        const unsigned char *in, size_t in_len, int from, int pad)
{
    uint32_t acc = 0, maxv = (1u << to) - 1;
    int bits = 0;
    size_t i, o = 0;
    for (i = 0; i < in_len; i++) {
        acc = (acc << from) | in[i];
        bits += from;
        while (bits >= to) {
            bits -= to;
            if (o >= out_cap) {
                return -1;
            }
            out[o++] = (unsigned char)((acc >> bits) & maxv);
        }
    }
    if (pad) {
        if (bits > 0) {
            if (o >= out_cap) {
                return -1;
            }
            out[o++] = (unsigned char)((acc << (to - bits)) & maxv);
        }
    } else if (bits >= from || ((acc << (to - bits)) & maxv)) {
        return -1;
    }
    *out_len = o;
    return 0;
}

int tk_segwit_encode(char *out, size_t out_cap, const char *hrp, int witver,
                     const unsigned char *prog, size_t prog_len)
{
    unsigned char data[65];
    size_t n;
    if (prog == NULL || witver < 0 || witver > 16 || prog_len < 2 || prog_len > 40 ||
        (witver == 0 && prog_len != 20 && prog_len != 32)) {
        return tk_fail(TK_ERR_ARG, "invalid segwit version %d or program length %zu", witver,
                       prog_len);
    }
    data[0] = (unsigned char)witver;
    if (convert_bits(data + 1, sizeof data - 1, &n, 5, prog, prog_len, 8, 1) != 0) {
        return tk_fail(TK_ERR_INTERNAL, "segwit program conversion failed");
    }
    return tk_bech32_encode(out, out_cap, hrp, data, n + 1, witver == 0 ? TK_BECH32 : TK_BECH32M);
}

int tk_segwit_decode(int *witver, unsigned char *prog, size_t prog_cap, size_t *prog_len,
                     const char *hrp, const char *in, size_t in_len)
{
    char got_hrp[TK_BECH32_MAX_LEN + 1];
    unsigned char data[TK_BECH32_MAX_LEN];
    unsigned char buf[64];
    size_t data_len, n;
    tk_bech32_variant variant;
    int rc;

    if (witver == NULL || prog == NULL || prog_len == NULL || hrp == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_segwit_decode: NULL argument");
    }
    *prog_len = 0;
    rc = tk_bech32_decode(got_hrp, sizeof got_hrp, data, sizeof data, &data_len, &variant, in,
                          in_len);
    if (rc != TK_OK) {
        return rc;
    }
    if (strcmp(got_hrp, hrp) != 0) {
        return tk_fail(TK_ERR_INPUT, "address is for '%s', expected '%s'", got_hrp, hrp);
    }
    if (data_len < 1 || data[0] > 16) {
        return tk_fail(TK_ERR_INPUT, "invalid witness version");
    }
    if ((data[0] == 0) != (variant == TK_BECH32)) {
        return tk_fail(TK_ERR_INPUT, "witness version %u needs %s", data[0],
                       data[0] == 0 ? "bech32" : "bech32m");
    }
    if (convert_bits(buf, sizeof buf, &n, 8, data + 1, data_len - 1, 5, 0) != 0) {
        return tk_fail(TK_ERR_INPUT, "invalid padding in witness program");
    }
    if (n < 2 || n > 40 || (data[0] == 0 && n != 20 && n != 32)) {
        return tk_fail(TK_ERR_INPUT, "invalid witness program length %zu", n);
    }
    if (n > prog_cap) {
        return tk_fail(TK_ERR_BUFFER, "witness program of %zu bytes does not fit", n);
    }
    memcpy(prog, buf, n);
    *prog_len = n;
    *witver = data[0];
    return TK_OK;
}
