/*
 * teekeys: the command-line entry point. Hardens the process (no core dumps, not dumpable),
 * initialises the libraries and dispatches to one command per file (cmd_<name>.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "teekeys/config.h"

static const cli_command commands[] = {
    {"address", "derive and print an account's address on a chain", cmd_address},
    {"master", "create, seal and unseal the master secret", cmd_master},
    {"sign", "sign a transaction or message with an account's key", cmd_sign},
    {"verify", "verify a message signature (eth_personal, eth_typed_data, sol_message, nep413)",
     cmd_verify},
    {"attest", "verify TDX quotes, replay event logs to RTMR3", cmd_attest},
    {"ckd", "NEAR Confidential Key Derivation: request, unmask", cmd_ckd},
    {"localnet", "a local NEAR-compatible chain with nearcore's JSON-RPC: init, run", cmd_localnet},
};

static void usage(FILE *out)
{
    size_t i;
    fprintf(out, "usage: teekeys <command> [options]   (teekeys <command> --help for details)\n\n"
                 "commands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
}

int main(int argc, char **argv)
{
    size_t i;
    if (tk_init() != TK_OK || tk_harden_process() != TK_OK) {
        return cli_fail(TK_ERR_INTERNAL);
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("teekeys %s\n", TK_VERSION);
        return CLI_EXIT_OK;
    }
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "teekeys: error: unknown command '%.64s' (see 'teekeys --help')\n", argv[1]);
    return CLI_EXIT_USAGE;
}
