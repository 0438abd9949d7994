/*
 * Test helper for the DAO scenario (tests/oracle/contract_dao.mjs): SIMULATED TDX evidence
 * from the development PKI of attest_sim.h, and the registration report_data of DESIGN 2.3 as
 * the keystore computes it (tk_attest_report_data_register), so the scenario checks the DAO's
 * own computation against it. One command per run, one JSON document on stdout:
 *   init DIR                          -> {"dev_root": hex DER}
 *   quote DIR REPORT_DATA_HEX         -> {"quote_hex", "measurements": {mrtd, rtmr0..3}}
 *   collateral DIR NOW_S              -> dcap-qvl collateral JSON valid around NOW_S
 *   report_data PK_HEX DAO HEIGHT PK1_HEX PK2_HEX -> {"report_data": hex}
 * Test-only: never installed, never sees a secret that matters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "teekeys/attest.h"
#include "teekeys/attest_sim.h"
#include "teekeys/encoding.h"

static int fail(const char *what)
{
    fprintf(stderr, "test_dao_helper: %s: %s\n", what, tk_errmsg());
    return 1;
}

static void print_hex(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

static int cmd_init(const char *dir)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    if (tk_attest_sim_init(dir) != TK_OK) {
        return fail("sim init");
    }
    if (tk_attest_sim_root(&der, &der_len, dir) != TK_OK) {
        return fail("sim root");
    }
    printf("{\"dev_root\":\"");
    print_hex(der, der_len);
    printf("\"}\n");
    free(der);
    return 0;
}

static int cmd_quote(const char *dir, const char *rd_hex)
{
    unsigned char rd[TK_ATTEST_REPORT_DATA_LEN];
    tk_attest_evidence ev = {0};
    tk_attest_quote q;
    static const char *const names[5] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"};
    if (tk_hex_decode_exact(rd, sizeof rd, rd_hex, strlen(rd_hex), 0) != TK_OK) {
        return fail("report_data hex");
    }
    if (tk_attest_sim_quote(&ev, dir, rd) != TK_OK) {
        return fail("sim quote");
    }
    if (tk_attest_quote_parse(&q, ev.quote, ev.quote_len) != TK_OK) {
        tk_attest_evidence_free(&ev);
        return fail("parse the sim quote");
    }
    printf("{\"quote_hex\":\"");
    print_hex(ev.quote, ev.quote_len);
    printf("\",\"measurements\":{");
    for (int i = 0; i < 5; i++) {
        printf("%s\"%s\":\"", i ? "," : "", names[i]);
        print_hex(i == 0 ? q.td.mrtd : q.td.rtmr[i - 1], TK_ATTEST_MR_LEN);
        printf("\"");
    }
    printf("}}\n");
    tk_attest_evidence_free(&ev);
    return 0;
}

static int cmd_collateral(const char *dir, const char *now_s)
{
    char *json = NULL;
    if (tk_attest_sim_collateral(&json, dir, strtoll(now_s, NULL, 10)) != TK_OK) {
        return fail("sim collateral");
    }
    printf("%s\n", json);
    free(json);
    return 0;
}

static int cmd_report_data(char **argv)
{
    unsigned char pk[32], pk1[TK_ATTEST_BLS_G1_LEN], pk2[TK_ATTEST_BLS_G2_LEN];
    unsigned char rd[TK_ATTEST_REPORT_DATA_LEN];
    if (tk_hex_decode_exact(pk, sizeof pk, argv[0], strlen(argv[0]), 0) != TK_OK ||
        tk_hex_decode_exact(pk1, sizeof pk1, argv[3], strlen(argv[3]), 0) != TK_OK ||
        tk_hex_decode_exact(pk2, sizeof pk2, argv[4], strlen(argv[4]), 0) != TK_OK) {
        return fail("hex argument");
    }
    if (tk_attest_report_data_register(rd, pk, argv[1], strtoull(argv[2], NULL, 10), pk1, pk2) !=
        TK_OK) {
        return fail("report_data");
    }
    printf("{\"report_data\":\"");
    print_hex(rd, sizeof rd);
    printf("\"}\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "init") == 0) {
        return cmd_init(argv[2]);
    }
    if (argc == 4 && strcmp(argv[1], "quote") == 0) {
        return cmd_quote(argv[2], argv[3]);
    }
    if (argc == 4 && strcmp(argv[1], "collateral") == 0) {
        return cmd_collateral(argv[2], argv[3]);
    }
    if (argc == 7 && strcmp(argv[1], "report_data") == 0) {
        return cmd_report_data(argv + 2);
    }
    fprintf(stderr, "usage: test_dao_helper init DIR | quote DIR RD_HEX | collateral DIR NOW_S | "
                    "report_data PK_HEX DAO HEIGHT PK1_HEX PK2_HEX\n");
    return 2;
}
