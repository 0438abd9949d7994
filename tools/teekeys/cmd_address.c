/*
 * teekeys address: derive an account's key for a family/path from the master secret and
 * print its address (or, with --json, the address record). Prints public data only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "commands.h"
#include "teekeys/address.h"
#include "teekeys/derive.h"
#include "teekeys/encoding.h"

static const char help[] =
    "usage: teekeys address --account ACCOUNT --family FAMILY [--path PATH] [--network NET] "
    "[--json]\n\n"
    "Derives ACCOUNT's key (key derivation v1) and prints its address.\n"
    "  --account ACCOUNT  a NEAR account id (the owner), e.g. alice.near\n"
    "  --family FAMILY    evm | bitcoin | bitcoin-test | solana | near\n"
    "  --path PATH        a label selecting one of the account's keys (default \"\")\n"
    "  --network NET      bitcoin: mainnet (default); bitcoin-test: testnet (default), signet,\n"
    "                     regtest; other families have no networks\n"
    "  --json             print {address, public_key, family, network, path, "
    "account}\n\n" CLI_MASTER_HELP;

int cmd_address(int argc, char **argv)
{
    const char *account = NULL, *family_name = NULL, *path = NULL, *network_name = NULL;
    int json = 0, rc, exit_code = CLI_EXIT_OK;
    cli_master_args margs = {0};
    cli_option opts[16] = {
        {"account", &account, NULL},      {"family", &family_name, NULL}, {"path", &path, NULL},
        {"network", &network_name, NULL}, {"json", NULL, &json},
    };
    size_t n = 5;
    char address[TK_ADDRESS_MAX], pubstr[TK_NEARKEY_MAX_LEN], info[TK_DERIVE_INFO_MAX];
    size_t info_len;
    tk_family family;
    tk_network network;
    tk_master master = {0};
    tk_key key = {0};

    cli_master_options(opts, &n, &margs);
    if ((rc = cli_parse(argc, argv, opts, "address", help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (account == NULL || family_name == NULL) {
        return cli_usage("address", "--account and --family are required");
    }
    if (path == NULL) {
        path = "";
    }
    /* validate every argument before touching the master secret */
    if ((rc = tk_derive_family_parse(&family, family_name)) != TK_OK ||
        (rc = tk_derive_network_resolve(&network, family, network_name)) != TK_OK ||
        (rc = tk_derive_info(info, sizeof info, &info_len, account, family, path, 0)) != TK_OK) {
        return cli_fail(rc);
    }
    if ((rc = tk_master_init(&master)) != TK_OK || (rc = tk_key_init(&key)) != TK_OK ||
        (rc = cli_load_master(&master, &margs)) != TK_OK ||
        (rc = tk_derive_key(&key, master.bytes, account, family, path)) != TK_OK ||
        (rc = tk_address_from_public_key(address, sizeof address, family, network, key.public_key,
                                         key.public_key_len)) != TK_OK ||
        (rc = tk_address_public_key_string(pubstr, sizeof pubstr, key.public_key,
                                           key.public_key_len)) != TK_OK) {
        exit_code = cli_fail(rc);
        goto cleanup;
    }
    if (json) {
        const char *net = tk_derive_network_name(network);
        json_t *o =
            json_pack("{s:s, s:s, s:s, s:o, s:s, s:s}", "address", address, "public_key", pubstr,
                      "family", tk_derive_family_name(family), "network",
                      net ? json_string(net) : json_null(), "path", path, "account", account);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        if (text == NULL) {
            exit_code = cli_fail(tk_fail(TK_ERR_NOMEM, "cannot format JSON"));
        } else {
            printf("%s\n", text);
        }
        free(text);
        json_decref(o);
    } else {
        printf("%s\n", address);
    }
cleanup:
    tk_key_free(&key);
    tk_master_free(&master);
    return exit_code;
}
