/*
 * Test helper for tests/oracle/nearvm_bls.mjs: runs the C runtime's pure bls12381_* host
 * functions (src/nearvm/bls_host.h) on requests read line by line from stdin, so that the
 * JavaScript implementation (near_bls_host.mjs, @noble/curves) can be compared with them.
 * Request: "<import name> <flags> <input hex or ->"  (flags: 1 = bls12381_not_in_group_fix)
 * Answer:  "ok <ret> <register hex or ->"           (ret 0/1/2; "-" when no register is written)
 *          "hosterr <nearcore's host error text>"   (the call aborts)
 *          "unsupported <detail>" | "fail <detail>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/nearvm/bls_host.h"
#include "teekeys/encoding.h"

static void answer(const char *line)
{
    char name[64];
    unsigned flags = 0;
    int used = 0, fn, rc;
    size_t hex_len, in_len = 0;
    unsigned char *in = NULL;
    tk_nearvm_bls_result res;
    if (sscanf(line, "%63s %u %n", name, &flags, &used) != 2 ||
        (fn = tk_nearvm_bls_lookup(name)) < 0) {
        printf("fail bad request\n");
        return;
    }
    line += used;
    hex_len = strcspn(line, "\r\n");
    if (!(hex_len == 1 && line[0] == '-')) {
        in = malloc(hex_len / 2 + 1);
        if (in == NULL || tk_hex_decode(in, hex_len / 2 + 1, &in_len, line, hex_len) != TK_OK) {
            printf("fail bad hex\n");
            free(in);
            return;
        }
    }
    rc = tk_nearvm_bls_call(&res, (tk_nearvm_bls_fn)fn, in, in_len, flags);
    free(in);
    if (rc == TK_ERR_INPUT) {
        printf("hosterr %s\n", res.error);
    } else if (rc == TK_ERR_UNSUPPORTED) {
        printf("unsupported %s\n", res.error);
    } else if (rc != TK_OK) {
        printf("fail %s\n", tk_errmsg());
    } else if (res.out == NULL || res.out_len == 0) {
        printf("ok %llu -\n", (unsigned long long)res.ret);
    } else {
        char *hex = malloc(2 * res.out_len + 1);
        if (hex == NULL || tk_hex_encode(hex, 2 * res.out_len + 1, res.out, res.out_len) != TK_OK) {
            printf("fail hex\n");
        } else {
            printf("ok %llu %s\n", (unsigned long long)res.ret, hex);
        }
        free(hex);
    }
    tk_nearvm_bls_result_free(&res);
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, stdin) > 0) {
        answer(line);
        fflush(stdout);
    }
    free(line);
    return 0;
}
