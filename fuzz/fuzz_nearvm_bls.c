/* Fuzzes the C runtime's nine bls12381_* host functions (src/nearvm/bls_host.h) as pure functions.
 * The first byte picks the function (low 7 bits mod 9) and the not-in-group-fix flag (bit 7); the
 * rest is the input. Checks: only TK_OK or the length host error (exactly when the length is not a
 * multiple of the item size), return values 0/1 (2 only from pairing_check), output sizes, and
 * that every output re-reads: sums on the curve, multiexp and map outputs in the subgroup, and
 * decompressed points compressing back to the input bytes. */
#include <stdlib.h>
#include <string.h>

#include "../src/nearvm/bls_host.h"
#include "teekeys/bls12_381.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const size_t item[TK_NEARVM_BLS_COUNT] = {97, 193, 128, 224, 48, 96, 288, 48, 96};

static void check_points(const tk_nearvm_bls_result *res, int g2, int subgroup, size_t n)
{
    size_t plen = g2 ? TK_BLS_G2_UNCOMPRESSED : TK_BLS_G1_UNCOMPRESSED;
    if (res->out_len != n * plen) {
        abort();
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned char *pt = res->out + i * plen;
        int ok;
        if (g2) {
            tk_bls_g2 q;
            ok = subgroup ? tk_bls_g2_decode(&q, pt, plen) : tk_bls_g2_decode_curve(&q, pt, plen);
        } else {
            tk_bls_g1 p;
            ok = subgroup ? tk_bls_g1_decode(&p, pt, plen) : tk_bls_g1_decode_curve(&p, pt, plen);
        }
        if (ok != TK_OK) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_nearvm_bls_result res;
    tk_nearvm_bls_fn fn;
    unsigned flags;
    const unsigned char *in;
    size_t len, n;
    int rc;
    if (size < 1 || size > 1 + 4 * 288) {
        return 0;
    }
    fn = (tk_nearvm_bls_fn)((data[0] & 0x7f) % TK_NEARVM_BLS_COUNT);
    flags = (data[0] & 0x80) ? TK_NEARVM_BLS_NOT_IN_GROUP_FIX : 0;
    in = data + 1;
    len = size - 1;
    rc = tk_nearvm_bls_call(&res, fn, in, len, flags);
    if (len % item[fn] != 0) {
        if (rc != TK_ERR_INPUT || res.out != NULL ||
            strncmp(res.error, TK_NEARVM_BLS_ERROR_PREFIX, strlen(TK_NEARVM_BLS_ERROR_PREFIX))) {
            abort();
        }
        return 0;
    }
    if (rc != TK_OK || res.ret > 2 || (res.ret == 2 && fn != TK_NEARVM_BLS_PAIRING_CHECK) ||
        (res.ret != 0 && res.out != NULL)) {
        abort();
    }
    n = len / item[fn];
    if (res.ret == 0) {
        switch (fn) {
        case TK_NEARVM_BLS_P1_SUM:
            check_points(&res, 0, 0, 1);
            break;
        case TK_NEARVM_BLS_P2_SUM:
            check_points(&res, 1, 0, 1);
            break;
        case TK_NEARVM_BLS_G1_MULTIEXP:
            check_points(&res, 0, 1, 1);
            break;
        case TK_NEARVM_BLS_G2_MULTIEXP:
            check_points(&res, 1, 1, 1);
            break;
        case TK_NEARVM_BLS_MAP_FP_TO_G1:
            check_points(&res, 0, 1, n);
            break;
        case TK_NEARVM_BLS_MAP_FP2_TO_G2:
            check_points(&res, 1, 1, n);
            break;
        case TK_NEARVM_BLS_P1_DECOMPRESS:
        case TK_NEARVM_BLS_P2_DECOMPRESS: {
            int g2 = fn == TK_NEARVM_BLS_P2_DECOMPRESS;
            size_t clen = g2 ? TK_BLS_G2_COMPRESSED : TK_BLS_G1_COMPRESSED;
            unsigned char back[TK_BLS_G2_COMPRESSED];
            check_points(&res, g2, 0, n);
            for (size_t i = 0; i < n; i++) {
                if (g2) {
                    tk_bls_g2 q;
                    if (tk_bls_g2_decode_curve(&q, res.out + i * 192, 192) != TK_OK) {
                        abort();
                    }
                    tk_bls_g2_compress(back, &q);
                } else {
                    tk_bls_g1 p;
                    if (tk_bls_g1_decode_curve(&p, res.out + i * 96, 96) != TK_OK) {
                        abort();
                    }
                    tk_bls_g1_compress(back, &p);
                }
                if (memcmp(back, in + i * clen, clen) != 0) {
                    abort();
                }
            }
            break;
        }
        default: /* pairing_check writes nothing */
            if (res.out != NULL) {
                abort();
            }
        }
    }
    tk_nearvm_bls_result_free(&res);
    return 0;
}
