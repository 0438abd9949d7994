/*
 * Shared plumbing of the teekeys CLI: the command table entry, a small strict option parser,
 * exit-code mapping (0 success, 2 bad usage or input, 1 other failure), one-line error
 * messages on stderr, and the master-secret options every key-using command shares.
 * Nothing here prints a secret; commands that hand a secret to its owner do it themselves.
 */
#ifndef TK_CLI_H
#define TK_CLI_H

#include <stddef.h>

#include "teekeys/common.h"
#include "teekeys/master.h"

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2
#define CLI_HELP_SHOWN (-1) /* cli_parse printed --help: the command returns CLI_EXIT_OK */

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

/* One option: "--name VALUE" / "--name=VALUE" when `value` is set, a flag when `flag` is. */
typedef struct {
    const char *name;
    const char **value;
    int *flag;
} cli_option;

/* Parses argv[1..] against `options` (terminated by a zeroed entry). Prints `help` for
 * --help/-h and returns CLI_HELP_SHOWN; returns CLI_EXIT_USAGE after printing an error for
 * unknown options, missing values, repeated options or positional arguments; else 0. */
int cli_parse(int argc, char **argv, const cli_option *options, const char *command,
              const char *help);

/* Prints "teekeys: error: <message>" and returns the exit code for a tk_status. */
int cli_fail(int status);

/* Prints "teekeys: error: <formatted>" and returns CLI_EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...) TK_PRINTF(2, 3);

/* Master-secret options shared by commands that derive keys. */
typedef struct {
    const char *source;      /* --master-source backup|sealed (default backup) */
    const char *master_file; /* --master-file FILE (backup from a 0600 file) */
    const char *blob;        /* --sealed-blob FILE */
    const char *provider;    /* --seal-provider dstack|sim */
    const char *sim_key;     /* --sim-key-file FILE */
    const char *socket;      /* --dstack-socket PATH */
} cli_master_args;

/* Appends the master options to an option table at index *n (table must have room for 6
 * more entries plus the terminator). */
void cli_master_options(cli_option *table, size_t *n, cli_master_args *args);

/* The help text lines describing the master options. */
#define CLI_MASTER_HELP                                                                            \
    "Master secret (where the keys come from):\n"                                                  \
    "  --master-source SRC   backup (default) or sealed\n"                                         \
    "  --master-file FILE    backup: read 64 hex characters from FILE (mode 0600) instead of\n"    \
    "                        the TEEKEYS_MASTER_SECRET environment variable\n"                     \
    "  --sealed-blob FILE    sealed: the blob written by 'teekeys master seal'\n"                  \
    "  --seal-provider P     sealed: dstack (TDX, via the dstack guest agent) or sim\n"            \
    "                        (SIMULATED, not hardware-bound, development only)\n"                  \
    "  --sim-key-file FILE   sim: the simulated sealing key (default "                             \
    "BLOB.sim-key.NOT-HARDWARE-BOUND)\n"                                                           \
    "  --dstack-socket PATH  dstack: the agent socket (default /var/run/dstack.sock)\n"

/* Fills tk_master_options from the parsed arguments (validating the provider name) and
 * loads the master. `sim_create` allows the sim provider to create its key file. The
 * default sim key path is written into `sim_default` (cap bytes). */
int cli_master_prepare(tk_master_options *options, const cli_master_args *args, int sim_create,
                       char *sim_default, size_t cap);
int cli_load_master(tk_master *master, const cli_master_args *args);

#endif
