/*
 * CLI plumbing shared by every teekeys command (see cli.h): option parsing, errors, exit
 * codes and master-secret loading. Error lines never contain key material: they quote
 * tk_errmsg(), which by project rule never does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_fail(int status)
{
    const char *detail = tk_errmsg();
    fprintf(stderr, "teekeys: error: %s\n", detail[0] ? detail : tk_strerror(status));
    switch (status) {
    case TK_ERR_ARG:
    case TK_ERR_INPUT:
    case TK_ERR_RANGE:
    case TK_ERR_UNSUPPORTED:
        return CLI_EXIT_USAGE;
    default:
        return CLI_EXIT_FAIL;
    }
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "teekeys: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'teekeys %s --help')\n", command);
    return CLI_EXIT_USAGE;
}

int cli_parse(int argc, char **argv, const cli_option *options, const char *command,
              const char *help)
{
    int i;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq, *val = NULL;
        size_t name_len;
        const cli_option *o;

        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(help, stdout);
            return CLI_HELP_SHOWN;
        }
        if (strncmp(arg, "--", 2) != 0) {
            return cli_usage(command, "unexpected argument '%.64s'", arg);
        }
        eq = strchr(arg, '=');
        name_len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        for (o = options; o->name != NULL; o++) {
            if (strlen(o->name) == name_len && strncmp(o->name, arg + 2, name_len) == 0) {
                break;
            }
        }
        if (o->name == NULL) {
            return cli_usage(command, "unknown option '--%.*s'", (int)name_len, arg + 2);
        }
        if (o->flag != NULL) {
            if (eq != NULL) {
                return cli_usage(command, "option --%s takes no value", o->name);
            }
            *o->flag = 1;
            continue;
        }
        if (eq != NULL) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            return cli_usage(command, "option --%s needs a value", o->name);
        }
        if (*o->value != NULL) {
            return cli_usage(command, "option --%s given twice", o->name);
        }
        *o->value = val;
    }
    return 0;
}

void cli_master_options(cli_option *table, size_t *n, cli_master_args *args)
{
    table[(*n)++] = (cli_option){"master-source", &args->source, NULL};
    table[(*n)++] = (cli_option){"master-file", &args->master_file, NULL};
    table[(*n)++] = (cli_option){"sealed-blob", &args->blob, NULL};
    table[(*n)++] = (cli_option){"seal-provider", &args->provider, NULL};
    table[(*n)++] = (cli_option){"sim-key-file", &args->sim_key, NULL};
    table[(*n)++] = (cli_option){"dstack-socket", &args->socket, NULL};
    table[*n] = (cli_option){NULL, NULL, NULL};
}

int cli_master_prepare(tk_master_options *options, const cli_master_args *args, int sim_create,
                       char *sim_default, size_t cap)
{
    int rc;
    memset(options, 0, sizeof *options);
    options->backup_file = args->master_file;
    options->sealed_blob = args->blob;
    options->seal.dstack_socket = args->socket;
    options->seal.sim_create = sim_create;
    if (args->blob == NULL) {
        return tk_fail(TK_ERR_ARG, "--sealed-blob FILE is required for sealed storage");
    }
    if (args->provider == NULL) {
        return tk_fail(TK_ERR_ARG, "--seal-provider dstack|sim is required for sealed storage");
    }
    if ((rc = tk_seal_provider_parse(&options->provider, args->provider)) != TK_OK) {
        return rc;
    }
    if (options->provider == TK_SEAL_PROVIDER_SIM) {
        if (args->sim_key != NULL) {
            options->seal.sim_key_file = args->sim_key;
        } else {
            if (snprintf(sim_default, cap, "%s.sim-key.NOT-HARDWARE-BOUND", args->blob) >=
                (int)cap) {
                return tk_fail(TK_ERR_ARG, "sealed blob path too long");
            }
            options->seal.sim_key_file = sim_default;
        }
    }
    return TK_OK;
}

int cli_load_master(tk_master *master, const cli_master_args *args)
{
    tk_master_options options;
    char sim_default[4096];
    const char *source = args->source ? args->source : "backup";
    int rc;

    if (strcmp(source, "sealed") == 0) {
        if ((rc = cli_master_prepare(&options, args, 0, sim_default, sizeof sim_default)) !=
            TK_OK) {
            return rc;
        }
    } else {
        memset(&options, 0, sizeof options);
        options.backup_file = args->master_file;
        if (args->blob || args->provider || args->sim_key || args->socket) {
            return tk_fail(TK_ERR_ARG, "sealed-storage options need --master-source sealed");
        }
    }
    return tk_master_load(master, source, &options);
}
