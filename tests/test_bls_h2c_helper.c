/*
 * Test helper for tests/oracle/bls_h2c_g2.mjs: hashes messages to G1 and G2 with teekeys'
 * RFC 9380 implementation so that an independent one (@noble/curves) can check the results.
 * Reads one request per line on stdin, "g1 <msg hex> <dst hex>" or "g2 <msg hex> <dst hex>"
 * (a message may be empty: "-" stands for no bytes), and answers one line: the ZCash
 * uncompressed encoding of the point in hex, or "error <detail>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/bls12_381.h"
#include "teekeys/encoding.h"

#define MAX_LINE 8192

/* Decodes a hex field ("-" is empty) into a fresh buffer; returns its length or -1. */
static long unhex_field(unsigned char **out, const char *hex)
{
    size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex), len = 0;
    *out = malloc(n / 2 + 1);
    if (*out == NULL || (n > 0 && tk_hex_decode(*out, n / 2 + 1, &len, hex, n) != TK_OK)) {
        return -1;
    }
    return (long)len;
}

static void answer(const char *kind, const unsigned char *msg, size_t msg_len,
                   const unsigned char *dst, size_t dst_len)
{
    unsigned char enc[TK_BLS_G2_UNCOMPRESSED];
    char hex[2 * TK_BLS_G2_UNCOMPRESSED + 1];
    size_t enc_len;
    int rc;
    if (strcmp(kind, "g1") == 0) {
        tk_bls_g1 p;
        if ((rc = tk_bls_hash_to_g1(&p, msg, msg_len, dst, dst_len)) == TK_OK) {
            tk_bls_g1_serialize(enc, &p);
        }
        enc_len = TK_BLS_G1_UNCOMPRESSED;
    } else if (strcmp(kind, "g2") == 0) {
        tk_bls_g2 p;
        if ((rc = tk_bls_hash_to_g2(&p, msg, msg_len, dst, dst_len)) == TK_OK) {
            tk_bls_g2_serialize(enc, &p);
        }
        enc_len = TK_BLS_G2_UNCOMPRESSED;
    } else {
        printf("error unknown request %s\n", kind);
        return;
    }
    if (rc != TK_OK) {
        printf("error %s: %s\n", tk_strerror(rc), tk_errmsg());
        return;
    }
    if (tk_hex_encode(hex, sizeof hex, enc, enc_len) != TK_OK) {
        printf("error hex\n");
        return;
    }
    printf("%s\n", hex);
}

int main(void)
{
    static char line[MAX_LINE];
    if (tk_init() != TK_OK) {
        return 1;
    }
    while (fgets(line, sizeof line, stdin) != NULL) {
        char *kind = strtok(line, " \n"), *mh = strtok(NULL, " \n"), *dh = strtok(NULL, " \n");
        unsigned char *msg = NULL, *dst = NULL;
        long ml, dl;
        if (kind == NULL || mh == NULL || dh == NULL) {
            printf("error malformed request\n");
        } else if ((ml = unhex_field(&msg, mh)) < 0 || (dl = unhex_field(&dst, dh)) < 0) {
            printf("error bad hex\n");
        } else {
            answer(kind, msg, (size_t)ml, dst, (size_t)dl);
        }
        free(msg);
        free(dst);
        fflush(stdout);
    }
    return 0;
}
