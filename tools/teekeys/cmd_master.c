/*
 * teekeys master: new (a fresh random master for backup mode, printed or written to a 0600
 * file: handing the secret to its owner is this command's job), seal (store the master as a
 * sealed blob) and unseal (recover it to a 0600 file, or to stdout only with --stdout).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "teekeys/encoding.h"
#include "teekeys/master.h"

static const char help[] =
    "usage: teekeys master new [--out FILE]\n"
    "       teekeys master seal --sealed-blob FILE --seal-provider dstack|sim [--generate]\n"
    "                           [--replace] [--sim-key-file FILE] [--dstack-socket PATH]\n"
    "                           [--master-file FILE]\n"
    "       teekeys master unseal --sealed-blob FILE --seal-provider dstack|sim\n"
    "                           (--out FILE | --stdout) [--sim-key-file FILE] [--dstack-socket "
    "PATH]\n\n"
    "new     creates a random 32-byte master secret for backup mode. It PRINTS THE SECRET (64 hex\n"
    "        characters) on stdout, or with --out writes it to FILE (mode 0600, never "
    "overwritten).\n"
    "        Keep it offline: it is every key of every account of this deployment.\n"
    "seal    encrypts the master (from TEEKEYS_MASTER_SECRET or --master-file, or a fresh one "
    "with\n"
    "        --generate that is never shown) under the provider's sealing key and writes the blob\n"
    "        (mode 0600; an existing blob is kept unless --replace). Providers: dstack (the "
    "dstack\n"
    "        guest agent's GetKey, bound to the measured TDX app) or sim (a SIMULATED key file,\n"
    "        NOT hardware-bound, created on first use; development only).\n"
    "unseal  opens the blob and writes the master as hex to --out FILE (mode 0600), or PRINTS IT "
    "on\n"
    "        stdout with --stdout.\n";

static int write_secret_hex(const tk_master *master, const char *out, int to_stdout)
{
    char *hex = tk_secure_alloc(TK_MASTER_HEX_LEN + 2);
    int rc;
    if (hex == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of guarded memory");
    }
    rc = tk_hex_encode(hex, TK_MASTER_HEX_LEN + 2, master->bytes, TK_MASTER_LEN);
    if (rc == TK_OK) {
        hex[TK_MASTER_HEX_LEN] = '\n';
        if (to_stdout) {
            if (fwrite(hex, 1, TK_MASTER_HEX_LEN + 1, stdout) != TK_MASTER_HEX_LEN + 1 ||
                fflush(stdout) != 0) {
                rc = tk_fail(TK_ERR_IO, "cannot write to stdout");
            }
        } else {
            rc = tk_file_write_atomic(out, hex, TK_MASTER_HEX_LEN + 1, 0600, 1);
        }
    }
    tk_secure_free(hex);
    return rc;
}

static int master_new(int argc, char **argv)
{
    const char *out = NULL;
    cli_option opts[] = {{"out", &out, NULL}, {NULL, NULL, NULL}};
    tk_master m = {0};
    int rc = cli_parse(argc, argv, opts, "master", help);
    if (rc != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if ((rc = tk_master_init(&m)) == TK_OK && (rc = tk_master_generate(&m)) == TK_OK) {
        rc = write_secret_hex(&m, out, out == NULL);
    }
    tk_master_free(&m);
    if (rc == TK_OK && out != NULL) {
        fprintf(stderr, "teekeys: wrote a new master secret to %s (mode 0600)\n", out);
    }
    return rc == TK_OK ? CLI_EXIT_OK : cli_fail(rc);
}

static int master_seal(int argc, char **argv, int unseal)
{
    const char *out = NULL;
    int generate = 0, replace = 0, to_stdout = 0, rc;
    cli_master_args margs = {0};
    cli_option opts[16];
    size_t n = 0;
    tk_master_options options;
    char sim_default[4096];
    tk_master m = {0};

    if (unseal) {
        opts[n++] = (cli_option){"out", &out, NULL};
        opts[n++] = (cli_option){"stdout", NULL, &to_stdout};
    } else {
        opts[n++] = (cli_option){"generate", NULL, &generate};
        opts[n++] = (cli_option){"replace", NULL, &replace};
    }
    cli_master_options(opts, &n, &margs);
    if ((rc = cli_parse(argc, argv, opts, "master", help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (margs.source != NULL) {
        return cli_usage("master", "--master-source does not apply to seal/unseal");
    }
    if (unseal && (out == NULL) == (to_stdout == 0)) {
        return cli_usage("master", "unseal needs exactly one of --out FILE or --stdout");
    }
    if (generate && margs.master_file != NULL) {
        return cli_usage("master", "--generate and --master-file exclude each other");
    }
    if ((rc = cli_master_prepare(&options, &margs, !unseal, sim_default, sizeof sim_default)) !=
        TK_OK) {
        return cli_fail(rc);
    }
    if ((rc = tk_master_init(&m)) != TK_OK) {
        return cli_fail(rc);
    }
    if (unseal) {
        rc = tk_master_load(&m, "sealed", &options);
        if (rc == TK_OK) {
            rc = write_secret_hex(&m, out, to_stdout);
        }
    } else {
        rc = generate ? tk_master_generate(&m) : tk_master_load(&m, "backup", &options);
        if (rc == TK_OK) {
            rc = tk_master_seal(&m, &options, replace);
        }
        if (rc == TK_OK) {
            fprintf(stderr, "teekeys: sealed the master secret to %s with provider %s%s\n",
                    options.sealed_blob, tk_seal_provider_name(options.provider),
                    tk_seal_provider_hardware_bound(options.provider)
                        ? ""
                        : " (SIMULATED, not hardware-bound)");
        }
    }
    tk_master_free(&m);
    return rc == TK_OK ? CLI_EXIT_OK : cli_fail(rc);
}

int cmd_master(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "new") == 0) {
        return master_new(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "seal") == 0) {
        return master_seal(argc - 1, argv + 1, 0);
    }
    if (strcmp(argv[1], "unseal") == 0) {
        return master_seal(argc - 1, argv + 1, 1);
    }
    return cli_usage("master", "unknown subcommand '%.32s' (new, seal or unseal)", argv[1]);
}
