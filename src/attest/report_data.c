/*
 * The two report_data layouts of DESIGN §2.3: worker registration (binds the worker's NEAR
 * key, the DAO, a recent block height and the CKD app key) and client attestation (binds the
 * worker key and a caller nonce). Changing a byte here breaks every deployed DAO: the layouts
 * are fixed by the design brief and pinned by known-answer tests.
 */
#include <string.h>

#include "teekeys/attest.h"
#include "teekeys/hash.h"

#define TK_ATTEST_MAX_ACCOUNT_LEN 64 /* NEAR account ids are at most 64 bytes */

int tk_attest_report_data_register(unsigned char out[TK_ATTEST_REPORT_DATA_LEN],
                                   const unsigned char worker_pk[32], const char *dao_account_id,
                                   uint64_t block_height,
                                   const unsigned char app_pk1[TK_ATTEST_BLS_G1_LEN],
                                   const unsigned char app_pk2[TK_ATTEST_BLS_G2_LEN])
{
    static const char tag[] = "teekeys/register/v1";
    unsigned char height_le[8];
    size_t acc_len;
    if (out == NULL || worker_pk == NULL || dao_account_id == NULL || app_pk1 == NULL ||
        app_pk2 == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_report_data_register: NULL argument");
    }
    acc_len = strnlen(dao_account_id, TK_ATTEST_MAX_ACCOUNT_LEN + 1);
    if (acc_len == 0 || acc_len > TK_ATTEST_MAX_ACCOUNT_LEN) {
        return tk_fail(TK_ERR_ARG, "report_data: DAO account id must be 1..64 bytes");
    }
    for (int i = 0; i < 8; i++) {
        height_le[i] = (unsigned char)(block_height >> (8 * i));
    }
    tk_buf parts[5] = {{tag, sizeof tag - 1},
                       {dao_account_id, acc_len},
                       {height_le, 8},
                       {app_pk1, TK_ATTEST_BLS_G1_LEN},
                       {app_pk2, TK_ATTEST_BLS_G2_LEN}};
    memcpy(out, worker_pk, 32);
    tk_sha256_v(out + 32, parts, 5);
    return TK_OK;
}

int tk_attest_report_data_nonce(unsigned char out[TK_ATTEST_REPORT_DATA_LEN],
                                const unsigned char worker_pk[32], const unsigned char *nonce,
                                size_t nonce_len)
{
    static const char tag[] = "teekeys/attest/v1";
    if (out == NULL || worker_pk == NULL || nonce == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_report_data_nonce: NULL argument");
    }
    if (nonce_len < TK_ATTEST_NONCE_MIN || nonce_len > TK_ATTEST_NONCE_MAX) {
        return tk_fail(TK_ERR_RANGE, "report_data: nonce is %zu bytes, must be %d..%d", nonce_len,
                       TK_ATTEST_NONCE_MIN, TK_ATTEST_NONCE_MAX);
    }
    tk_buf parts[2] = {{tag, sizeof tag - 1}, {nonce, nonce_len}};
    memcpy(out, worker_pk, 32);
    tk_sha256_v(out + 32, parts, 2);
    return TK_OK;
}
