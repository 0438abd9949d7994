/* Fuzzes the strict ZCash point decoders of BLS12-381: any 48/96 (G1) or 96/192 (G2) byte input
 * either is refused or decodes to a point in the subgroup that re-encodes to the same bytes
 * (one canonical encoding per point). */
#include <stdlib.h>
#include <string.h>

#include "teekeys/bls12_381.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char back[TK_BLS_G2_UNCOMPRESSED];
    tk_bls_g1 p1;
    tk_bls_g2 p2;
    if (tk_bls_g1_decode(&p1, data, size) == TK_OK) {
        if (!tk_bls_g1_is_on_curve(&p1) || !tk_bls_g1_in_subgroup_var(&p1)) {
            abort();
        }
        if (size == TK_BLS_G1_COMPRESSED) {
            tk_bls_g1_compress(back, &p1);
        } else {
            tk_bls_g1_serialize(back, &p1);
        }
        if (memcmp(back, data, size) != 0) {
            abort();
        }
    }
    if (tk_bls_g2_decode(&p2, data, size) == TK_OK) {
        if (!tk_bls_g2_is_on_curve(&p2) || !tk_bls_g2_in_subgroup_var(&p2)) {
            abort();
        }
        if (size == TK_BLS_G2_COMPRESSED) {
            tk_bls_g2_compress(back, &p2);
        } else {
            tk_bls_g2_serialize(back, &p2);
        }
        if (memcmp(back, data, size) != 0) {
            abort();
        }
    }
    return 0;
}
