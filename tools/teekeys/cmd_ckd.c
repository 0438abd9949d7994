/*
 * teekeys ckd: the client side of NEAR Confidential Key Derivation by hand.
 *   request  makes an ephemeral key pair, writes the scalar a to a new 0600 file and prints the
 *            request_app_private_key argument (publicly verifiable form);
 *   unmask   takes the contract's answer (big_y, big_c), checks it with a pairing and writes
 *            the 32-byte secret to a new 0600 file, or prints it with --stdout (its job).
 * Nothing else is ever printed from a or the secret.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "teekeys/ckd.h"
#include "teekeys/encoding.h"

static const char help[] =
    "usage: teekeys ckd request --predecessor ACCOUNT --path PATH --domain-id N --key-out FILE\n"
    "       teekeys ckd unmask --a-file FILE --pk bls12381g2:... --predecessor ACCOUNT\n"
    "                          --path PATH --big-y bls12381g1:... --big-c bls12381g1:...\n"
    "                          (--out FILE | --stdout)\n\n"
    "NEAR Confidential Key Derivation (the MPC network's request_app_private_key, DESIGN 2.1).\n"
    "request  creates an ephemeral BLS12-381 key pair (a, a·G1, a·G2), writes a as 64 hex\n"
    "         characters to FILE (mode 0600, never overwritten) and prints the argument of\n"
    "         request_app_private_key in the publicly verifiable form (AppPublicKeyPV). ACCOUNT\n"
    "         is the account that will call the contract (it is part of the app_id, printed on\n"
    "         stderr).\n"
    "unmask   recovers the secret from the answer {big_y, big_c}: sig = big_c - a·big_y, checks\n"
    "         e(H(pk, app_id), pk) == e(sig, G2), and writes HKDF-SHA256(compress(sig)) as 64\n"
    "         lowercase hex characters to --out FILE (mode 0600, never overwritten), or PRINTS\n"
    "         IT with --stdout. --a-file is the key file of 'ckd request' (64 hex characters,\n"
    "         big-endian, at most one trailing newline, no group/other access).\n"
    "--path \"\" (the empty derivation path) is valid. Exit codes: 0 ok, 1 the pairing check\n"
    "failed (wrong key, account, path or answer) or an I/O error, 2 malformed input.\n";

/* Parses a decimal domain id (0..INT64_MAX, digits only). Returns 1 on success. */
static int parse_domain_id(uint64_t *out, const char *text)
{
    char *end;
    unsigned long long v;
    if (text[0] < '0' || text[0] > '9') {
        return 0;
    }
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > (unsigned long long)INT64_MAX) {
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

static int ckd_request(int argc, char **argv)
{
    const char *predecessor = NULL, *path = NULL, *domain = NULL, *key_out = NULL;
    cli_option opts[] = {{"predecessor", &predecessor, NULL},
                         {"path", &path, NULL},
                         {"domain-id", &domain, NULL},
                         {"key-out", &key_out, NULL},
                         {NULL, NULL, NULL}};
    char json[TK_CKD_REQUEST_JSON_MAX], app_hex[2 * TK_CKD_APP_ID_LEN + 1];
    unsigned char app_id[TK_CKD_APP_ID_LEN];
    tk_ckd_keypair *kp = NULL;
    uint64_t domain_id;
    size_t len;
    int rc = cli_parse(argc, argv, opts, "ckd", help);

    if (rc != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (predecessor == NULL || path == NULL || domain == NULL || key_out == NULL) {
        return cli_usage("ckd", "request needs --predecessor, --path, --domain-id and --key-out");
    }
    if (!parse_domain_id(&domain_id, domain)) {
        return cli_usage("ckd", "--domain-id must be a decimal integer from 0 to 2^63-1");
    }
    if ((rc = tk_ckd_app_id(app_id, predecessor, path)) != TK_OK ||
        (rc = tk_hex_encode(app_hex, sizeof app_hex, app_id, sizeof app_id)) != TK_OK ||
        (rc = tk_ckd_keypair_new(&kp)) != TK_OK) {
        return cli_fail(rc);
    }
    rc = tk_ckd_request_json(json, sizeof json, &len, kp, path, domain_id);
    if (rc == TK_OK) {
        rc = tk_ckd_keypair_write_file(key_out, kp); /* before printing: no key, no request */
    }
    tk_ckd_keypair_free(kp);
    if (rc != TK_OK) {
        return cli_fail(rc);
    }
    json[len] = '\n';
    if (fwrite(json, 1, len + 1, stdout) != len + 1 || fflush(stdout) != 0) {
        return cli_fail(tk_fail(TK_ERR_IO, "cannot write to stdout"));
    }
    fprintf(stderr,
            "teekeys: wrote the ephemeral key to %s (mode 0600); call request_app_private_key "
            "from %s with this argument (app_id %s)\n",
            key_out, predecessor, app_hex);
    return CLI_EXIT_OK;
}

static int write_secret(const unsigned char *secret, const char *out, int to_stdout)
{
    char *hex = tk_secure_alloc(2 * TK_CKD_SECRET_LEN + 2);
    int rc;
    if (hex == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_hex_encode(hex, 2 * TK_CKD_SECRET_LEN + 2, secret, TK_CKD_SECRET_LEN);
    if (rc == TK_OK) {
        hex[2 * TK_CKD_SECRET_LEN] = '\n';
        if (to_stdout) {
            if (fwrite(hex, 1, 2 * TK_CKD_SECRET_LEN + 1, stdout) != 2 * TK_CKD_SECRET_LEN + 1 ||
                fflush(stdout) != 0) {
                rc = tk_fail(TK_ERR_IO, "cannot write to stdout");
            }
        } else {
            rc = tk_file_write_atomic(out, hex, 2 * TK_CKD_SECRET_LEN + 1, 0600, 1);
        }
    }
    tk_secure_free(hex);
    return rc;
}

static int ckd_unmask(int argc, char **argv)
{
    const char *a_file = NULL, *pk_s = NULL, *predecessor = NULL, *path = NULL, *y_s = NULL,
               *c_s = NULL, *out = NULL;
    int to_stdout = 0;
    cli_option opts[] = {{"a-file", &a_file, NULL},
                         {"pk", &pk_s, NULL},
                         {"predecessor", &predecessor, NULL},
                         {"path", &path, NULL},
                         {"big-y", &y_s, NULL},
                         {"big-c", &c_s, NULL},
                         {"out", &out, NULL},
                         {"stdout", NULL, &to_stdout},
                         {NULL, NULL, NULL}};
    unsigned char app_id[TK_CKD_APP_ID_LEN], *secret;
    tk_ckd_keypair *kp = NULL;
    tk_bls_g1 big_y, big_c;
    tk_bls_g2 pk;
    int rc = cli_parse(argc, argv, opts, "ckd", help);

    if (rc != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (a_file == NULL || pk_s == NULL || predecessor == NULL || path == NULL || y_s == NULL ||
        c_s == NULL) {
        return cli_usage("ckd", "unmask needs --a-file, --pk, --predecessor, --path, --big-y "
                                "and --big-c");
    }
    if ((out == NULL) == (to_stdout == 0)) {
        return cli_usage("ckd", "unmask needs exactly one of --out FILE or --stdout");
    }
    if ((rc = tk_ckd_g2_parse(&pk, pk_s, strlen(pk_s))) != TK_OK) {
        return cli_fail(tk_fail(rc, "--pk: %s", tk_errmsg()));
    }
    if ((rc = tk_ckd_g1_parse(&big_y, y_s, strlen(y_s))) != TK_OK) {
        return cli_fail(tk_fail(rc, "--big-y: %s", tk_errmsg()));
    }
    if ((rc = tk_ckd_g1_parse(&big_c, c_s, strlen(c_s))) != TK_OK) {
        return cli_fail(tk_fail(rc, "--big-c: %s", tk_errmsg()));
    }
    if ((rc = tk_ckd_app_id(app_id, predecessor, path)) != TK_OK ||
        (rc = tk_ckd_keypair_read_file(&kp, a_file)) != TK_OK) {
        return cli_fail(rc);
    }
    if ((secret = tk_secure_alloc(TK_CKD_SECRET_LEN)) == NULL) {
        tk_ckd_keypair_free(kp);
        return cli_fail(tk_fail(TK_ERR_NOMEM, "out of guarded memory"));
    }
    rc = tk_ckd_unmask(secret, kp, &pk, app_id, &big_y, &big_c);
    tk_ckd_keypair_free(kp);
    if (rc == TK_OK) {
        rc = write_secret(secret, out, to_stdout);
    }
    tk_secure_free(secret);
    if (rc != TK_OK) {
        return cli_fail(rc);
    }
    if (out != NULL) {
        fprintf(stderr, "teekeys: wrote the CKD secret to %s (mode 0600)\n", out);
    }
    return CLI_EXIT_OK;
}

int cmd_ckd(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "request") == 0) {
        return ckd_request(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "unmask") == 0) {
        return ckd_unmask(argc - 1, argv + 1);
    }
    return cli_usage("ckd", "unknown subcommand '%.32s' (request or unmask)", argv[1]);
}
