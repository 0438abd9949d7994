/* Fuzzes the TDX quote parser: whatever parses must serialise back to exactly the bytes it
 * was parsed from (without the zero padding), and the parser must never read out of bounds.
 * The embedded PEM PCK chain then goes through the strict PEM reader and the SGX extension
 * reader (all certificates must decode, or the chain is refused as a whole). */
#include <stdlib.h>
#include <string.h>

#include "../src/attest/internal.h"
#include "teekeys/attest.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_attest_quote q;
    unsigned char *out;
    size_t n = 0;
    if (tk_attest_quote_parse(&q, data, size) != TK_OK) {
        return 0;
    }
    if (q.quote_len > size || tk_attest_quote_serialized_len(&q) != q.quote_len) {
        abort();
    }
    out = malloc(q.quote_len);
    if (out == NULL) {
        abort();
    }
    if (tk_attest_quote_serialize(out, q.quote_len, &n, &q) != TK_OK || n != q.quote_len ||
        memcmp(out, data, n) != 0) {
        abort();
    }
    free(out);
    {
        cert_stack *chain = NULL;
        tk_attest_pck_ext ext;
        if (tk_attest_pki_load_chain(&chain, q.pck_chain_pem, q.pck_chain_len, "fuzz") == TK_OK) {
            if (sk_X509_num(chain) < 1 || sk_X509_num(chain) > 8) {
                abort();
            }
            (void)tk_attest_pki_pck_ext(&ext, sk_X509_value(chain, 0));
            sk_X509_pop_free(chain, X509_free);
        }
    }
    return 0;
}
