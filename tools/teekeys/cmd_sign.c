/*
 * teekeys sign / verify: sign a DESIGN 4.1 payload with an account's derived key and print
 * the envelope (locally: no policy, no audit), and verify the message kinds. Prints public
 * data only: signatures, signed transactions, keys' public halves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "teekeys/derive.h"
#include "teekeys/sign.h"

#define PAYLOAD_MAX (4u << 20)

static const char sign_help[] =
    "usage: teekeys sign --account ACCOUNT --family FAMILY [--path PATH] [--network NET]\n"
    "                    --kind KIND (--payload JSON | --payload-file FILE)\n\n"
    "Signs PAYLOAD with ACCOUNT's key for FAMILY/PATH and prints the envelope\n"
    "{kind, result, key: {family, path, network, public_key, address}} (docs/signing.md).\n"
    "Kinds (family): eth_transaction, eth_authorization, eth_personal, eth_typed_data (evm);\n"
    "btc_psbt (bitcoin, bitcoin-test); sol_transaction, sol_message (solana);\n"
    "near_transaction, nep413 (near); raw_digest (any: signs 32 bytes as they are).\n"
    "The CLI signs locally with no policy: keep the master secret to yourself.\n\n" CLI_MASTER_HELP;

static const char verify_help[] =
    "usage: teekeys verify --kind KIND (--payload JSON | --payload-file FILE)\n"
    "                      (--result JSON | --envelope-file FILE) [--signer SIGNER]\n\n"
    "Verifies a message signature: eth_personal and eth_typed_data (SIGNER: 0x address),\n"
    "sol_message (SIGNER: base58 address) or nep413 (SIGNER: ed25519:... key, optional).\n"
    "With --envelope-file (the output of 'teekeys sign') the result and the signer's address\n"
    "come from the envelope. Exit 0: valid; 1: the signature does not verify; 2: bad input.\n";

/* Loads a JSON value (any type) from text or a file; duplicates are refused. */
static int load_json(json_t **out, const char *text, const char *file, const char *what)
{
    json_error_t err;
    unsigned char *data = NULL;
    size_t len = 0;
    int rc;
    if ((text == NULL) == (file == NULL)) {
        return tk_fail(TK_ERR_ARG, "give exactly one of --%s or --%s-file", what, what);
    }
    if (file != NULL) {
        if ((rc = tk_file_read(&data, &len, file, PAYLOAD_MAX, 0)) != TK_OK) {
            return rc;
        }
        text = (const char *)data;
    } else {
        len = strlen(text);
    }
    *out = json_loadb(text, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &err);
    free(data);
    if (*out == NULL) {
        return tk_fail(TK_ERR_INPUT, "%s is not valid JSON: %s (line %d, column %d)", what,
                       err.text, err.line, err.column);
    }
    return TK_OK;
}

static int print_json(const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (text == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot format JSON");
    }
    printf("%s\n", text);
    free(text);
    return TK_OK;
}

int cmd_sign(int argc, char **argv)
{
    const char *account = NULL, *family_name = NULL, *path = NULL, *network_name = NULL;
    const char *kind_name = NULL, *payload_text = NULL, *payload_file = NULL;
    cli_master_args margs = {0};
    cli_option opts[20] = {
        {"account", &account, NULL},
        {"family", &family_name, NULL},
        {"path", &path, NULL},
        {"network", &network_name, NULL},
        {"kind", &kind_name, NULL},
        {"payload", &payload_text, NULL},
        {"payload-file", &payload_file, NULL},
    };
    size_t n = 7, info_len;
    char info[TK_DERIVE_INFO_MAX];
    tk_family family;
    tk_network network;
    tk_sign_kind kind;
    tk_master master = {0};
    tk_key key = {0};
    json_t *payload = NULL, *result = NULL, *envelope = NULL;
    int rc;

    cli_master_options(opts, &n, &margs);
    if ((rc = cli_parse(argc, argv, opts, "sign", sign_help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (account == NULL || family_name == NULL || kind_name == NULL) {
        return cli_usage("sign", "--account, --family and --kind are required");
    }
    if (path == NULL) {
        path = "";
    }
    /* everything about the request is checked before the master secret is touched */
    if ((rc = tk_derive_family_parse(&family, family_name)) != TK_OK ||
        (rc = tk_derive_network_resolve(&network, family, network_name)) != TK_OK ||
        (rc = tk_derive_info(info, sizeof info, &info_len, account, family, path, 0)) != TK_OK ||
        (rc = tk_sign_kind_parse(&kind, kind_name)) != TK_OK ||
        (rc = tk_sign_kind_check(kind, family)) != TK_OK ||
        (rc = load_json(&payload, payload_text, payload_file, "payload")) != TK_OK) {
        return cli_fail(rc);
    }
    if ((rc = tk_master_init(&master)) == TK_OK && (rc = tk_key_init(&key)) == TK_OK &&
        (rc = cli_load_master(&master, &margs)) == TK_OK &&
        (rc = tk_derive_key(&key, master.bytes, account, family, path)) == TK_OK) {
        tk_master_free(&master); /* not needed past derivation */
        rc = tk_sign_payload(&result, &key, kind, payload);
    }
    if (rc == TK_OK &&
        (rc = tk_sign_envelope(&envelope, kind, result, &key, network, path)) == TK_OK) {
        rc = print_json(envelope);
    }
    json_decref(envelope);
    json_decref(payload);
    tk_key_free(&key);
    tk_master_free(&master);
    return rc == TK_OK ? CLI_EXIT_OK : cli_fail(rc);
}

int cmd_verify(int argc, char **argv)
{
    const char *kind_name = NULL, *payload_text = NULL, *payload_file = NULL;
    const char *result_text = NULL, *envelope_file = NULL, *signer = NULL;
    cli_option opts[] = {
        {"kind", &kind_name, NULL},
        {"payload", &payload_text, NULL},
        {"payload-file", &payload_file, NULL},
        {"result", &result_text, NULL},
        {"envelope-file", &envelope_file, NULL},
        {"signer", &signer, NULL},
        {NULL, NULL, NULL},
    };
    json_t *payload = NULL, *result = NULL, *doc = NULL;
    tk_sign_kind kind;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, "verify", verify_help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (kind_name == NULL) {
        return cli_usage("verify", "--kind is required");
    }
    if ((result_text == NULL) == (envelope_file == NULL)) {
        return cli_usage("verify", "give exactly one of --result or --envelope-file");
    }
    if ((rc = tk_sign_kind_parse(&kind, kind_name)) != TK_OK ||
        (rc = load_json(&payload, payload_text, payload_file, "payload")) != TK_OK ||
        (rc = load_json(&doc, result_text, envelope_file, result_text ? "result" : "envelope")) !=
            TK_OK) {
        json_decref(payload);
        return cli_fail(rc);
    }
    result = envelope_file ? json_object_get(doc, "result") : doc;
    if (envelope_file != NULL) {
        const char *env_kind = json_string_value(json_object_get(doc, "kind"));
        if (env_kind == NULL || strcmp(env_kind, kind_name) != 0) {
            rc = tk_fail(TK_ERR_INPUT, "the envelope is for kind %s, not %s",
                         env_kind ? env_kind : "(none)", kind_name);
        } else if (signer == NULL && kind != TK_KIND_NEP413) {
            signer = json_string_value(json_object_get(json_object_get(doc, "key"), "address"));
        }
    }
    if (rc == TK_OK) {
        rc = tk_sign_verify_var(kind, payload, result, signer);
    }
    json_decref(doc);
    json_decref(payload);
    if (rc != TK_OK) {
        return cli_fail(rc);
    }
    printf("valid\n");
    return CLI_EXIT_OK;
}
