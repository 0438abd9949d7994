/* Fuzzing of the portable DCAP verifier's readers (src/portable): the first byte picks the
 * target, the rest is its input. 0: DER certificate (and the SGX extension), 1: DER CRL,
 * 2: JSON, differential against jansson with JSON_REJECT_DUPLICATES (acceptance must agree),
 * 3: collateral JSON, 4: a quote verified against the published collateral, 5: PEM chain as
 * a development root. Memory errors, crashes and JSON disagreements abort. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/portable_dcap.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static tk_pc_dcap_work work;
static unsigned char coll_buf[1 << 17];
static char *collateral;
static size_t collateral_len;

static void load_collateral(void)
{
    FILE *f;
    long n;
    if (collateral != NULL) {
        return;
    }
    f = fopen("../shared/vectors/tdx/tdx_quote_collateral.json", "rb");
    if (f == NULL) {
        collateral = calloc(1, 1);
        return;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    collateral = calloc(1, (size_t)n + 1);
    collateral_len = fread(collateral, 1, (size_t)n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    unsigned char fmspc[6], pceid[2], svn[16];
    uint16_t pcesvn;
    tk_pc_dcap_verdict v;
    tk_pc_dcap_collateral c;
    const char *what, *detail;
    if (size < 1) {
        return 0;
    }
    switch (data[0] % 6) {
    case 0:
        (void)tk_pc_x509_check(&work, data + 1, size - 1);
        (void)tk_pc_pck_ext(fmspc, pceid, svn, &pcesvn, &work, data + 1, size - 1);
        break;
    case 1:
        (void)tk_pc_crl_check(&work, data + 1, size - 1);
        break;
    case 2: {
        json_error_t e;
        json_t *j = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, &e);
        int ours = tk_pc_json_check(&work, (const char *)data + 1, size - 1) == TK_PC_OK;
        if (j != NULL && !json_is_object(j) && !json_is_array(j)) {
            abort(); /* jansson without JSON_DECODE_ANY only returns containers */
        }
        if (ours != (j != NULL)) {
            abort();
        }
        json_decref(j);
        break;
    }
    case 3:
        (void)tk_pc_dcap_collateral_parse(&work, &c, coll_buf, sizeof coll_buf, &what, &detail,
                                          (const char *)data + 1, size - 1);
        break;
    case 4:
        load_collateral();
        (void)tk_pc_dcap_verify_json_var(&work, &v, data + 1, size - 1, collateral, collateral_len,
                                         1751000000, NULL, 0, 0);
        break;
    default:
        load_collateral();
        (void)tk_pc_dcap_verify_json_var(&work, &v, data + 1, size - 1, collateral, collateral_len,
                                         1751000000, data + 1, size - 1, 0);
        break;
    }
    return 0;
}
