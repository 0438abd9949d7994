/*
 * teekeys localnet: a NEAR-compatible local chain (docs/localnet.md).
 *   init  writes genesis.json, config.json and validator_key.json into --home (nearcore sandbox
 *         layout; the root account test.near with a fresh full-access key);
 *   run   serves JSON-RPC on --rpc-addr (default 127.0.0.1:3030), produces blocks on a timer,
 *         prints one line when ready and stops cleanly on SIGTERM or SIGINT.
 * It hosts the teekeys contracts natively (and nearvm_test, the runtime's test contract);
 * DeployContract of their wasm (build/contracts/<name>.wasm) maps to the native build by hash.
 * The validator's secret key is only ever in validator_key.json (0600) and guarded memory.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "near_sdk.h"
#include "teekeys/attest_sim.h"
#include "teekeys/encoding.h"
#include "teekeys/localnet.h"

extern const near_method chain_keys_methods[];
extern const near_method verifier_methods[];
extern const near_method dao_methods[];
extern const near_method mpc_signer_methods[];
extern const near_method nearvm_test_methods[];

static const tk_localnet_contract hosted[] = {
    {"chain_keys", chain_keys_methods}, {"verifier", verifier_methods},       {"dao", dao_methods},
    {"mpc_signer", mpc_signer_methods}, {"nearvm_test", nearvm_test_methods},
};

static const char help[] =
    "usage: teekeys localnet init [--home DIR] [--chain-id ID] [--block-ms N]\n"
    "                             [--yield-timeout BLOCKS] [--rpc-addr IP:PORT] [--force]\n"
    "                             [--bare | --dev-sim SIMDIR]\n"
    "       teekeys localnet run [--home DIR] [--rpc-addr IP:PORT] [--block-ms N]\n"
    "                            [--contracts-dir DIR] [--quiet]\n\n"
    "A single-process NEAR-compatible chain with nearcore's JSON-RPC (docs/localnet.md).\n"
    "init  writes DIR/genesis.json, DIR/config.json and DIR/validator_key.json (mode 0600:\n"
    "      {\"account_id\":\"test.near\",\"public_key\",\"secret_key\"} in NEAR key-string form)\n"
    "      as nearcore's sandbox does: the root account test.near holds 10^9 NEAR and a fresh\n"
    "      full-access key; the chain id is localnet; blocks every 300 ms unless --block-ms;\n"
    "      yield/resume times out after 200 blocks unless --yield-timeout. Genesis deploys the\n"
    "      DAO (dao.test.near), chain-keys (chain-keys.test.near), the TDX verifier\n"
    "      (verifier.test.near) and the MPC signer (mpc.test.near), initialised by test.near in\n"
    "      the first block, unless --bare. --force replaces an existing home and its chain data.\n"
    "      --dev-sim SIMDIR: the DAO in development mode, trusting the SIMULATED TDX root of\n"
    "      SIMDIR (made by 'teekeys attest sim-init --dir SIMDIR'), so simulated workers register.\n"
    "      The home defaults to $HOME/.teekeys/localnet.\n"
    "run   opens DIR/data/localnet.sqlite (creating it from genesis.json the first time),\n"
    "      serves JSON-RPC at http://IP:PORT/ (default 127.0.0.1:3030, config.json's\n"
    "      rpc.addr), prints one line when ready and stops cleanly on SIGTERM/SIGINT.\n"
    "      --contracts-dir: where <name>.wasm of the hosted contracts are (default: the\n"
    "      build's contracts/ next to bin/); DeployContract of one of them deploys its native\n"
    "      build. Hosted contracts: chain_keys, verifier, dao, mpc_signer, nearvm_test.\n"
    "Exit codes: 0 ok (stopped by a signal), 1 runtime or I/O error, 2 bad arguments.\n";

static int parse_long(long *out, const char *s, long min, long max)
{
    char *end = NULL;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != 0 || v < min || v > max) {
        return 0;
    }
    *out = v;
    return 1;
}

/* $HOME/.teekeys/localnet when --home is not given (creating $HOME/.teekeys 0700). */
static const char *default_home(char *buf, size_t cap)
{
    const char *h = getenv("HOME");
    if (h == NULL || *h == 0 || (size_t)snprintf(buf, cap, "%s/.teekeys", h) >= cap ||
        (mkdir(buf, 0700) != 0 && errno != EEXIST) ||
        (size_t)snprintf(buf, cap, "%s/.teekeys/localnet", h) >= cap) {
        return NULL;
    }
    return buf;
}

/* The DAO's dev_root argument: hex of the simulated root certificate of sim_dir. */
static int sim_root_hex(char **out, const char *sim_dir)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    int rc = tk_attest_sim_root(&der, &der_len, sim_dir);
    if (rc != TK_OK) {
        return rc;
    }
    *out = malloc(2 * der_len + 1);
    rc = *out == NULL ? tk_fail(TK_ERR_NOMEM, "out of memory")
                      : tk_hex_encode(*out, 2 * der_len + 1, der, der_len);
    free(der);
    return rc;
}

static int localnet_init(int argc, char **argv)
{
    const char *home = NULL, *chain_id = NULL, *block = NULL, *yield = NULL, *addr = NULL,
               *sim = NULL;
    char homebuf[PATH_MAX], *dev_root = NULL;
    int force = 0, bare = 0, rc;
    long block_ms = 0, yt = 0;
    tk_localnet_init_options o;
    cli_option opts[] = {
        {"home", &home, NULL},           {"chain-id", &chain_id, NULL}, {"block-ms", &block, NULL},
        {"yield-timeout", &yield, NULL}, {"rpc-addr", &addr, NULL},     {"force", NULL, &force},
        {"bare", NULL, &bare},           {"dev-sim", &sim, NULL},       {NULL, NULL, NULL}};
    rc = cli_parse(argc, argv, opts, "localnet", help);
    if (rc != CLI_EXIT_OK) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (home == NULL && (home = default_home(homebuf, sizeof homebuf)) == NULL) {
        return cli_usage("localnet", "no --home DIR and no usable $HOME");
    }
    if (bare && sim != NULL) {
        return cli_usage("localnet", "--bare has no DAO to put in development mode (--dev-sim)");
    }
    if (block != NULL && !parse_long(&block_ms, block, 10, 600000)) {
        return cli_usage("localnet", "--block-ms must be 10..600000");
    }
    if (yield != NULL && !parse_long(&yt, yield, 1, 1000000)) {
        return cli_usage("localnet", "--yield-timeout must be 1..1000000 blocks");
    }
    if (chain_id != NULL && (strlen(chain_id) == 0 || strlen(chain_id) > 64)) {
        return cli_usage("localnet", "--chain-id must be 1..64 characters");
    }
    memset(&o, 0, sizeof o);
    o.chain_id = chain_id;
    o.block_ms = block_ms;
    o.yield_timeout = (uint64_t)yt;
    o.rpc_addr = addr;
    o.force = force;
    o.bare = bare;
    if (sim != NULL && (rc = sim_root_hex(&dev_root, sim)) != TK_OK) {
        free(dev_root);
        return cli_fail(rc);
    }
    o.dao_dev_root_hex = dev_root;
    rc = tk_localnet_init(home, &o);
    free(dev_root);
    if (rc != TK_OK) {
        return cli_fail(rc);
    }
    printf("localnet home %s: genesis.json, config.json, validator_key.json (root account %s)%s\n",
           home, TK_LOCALNET_ROOT_ACCOUNT,
           sim != NULL ? "; the DAO in development mode trusting the SIMULATED TDX root" : "");
    return CLI_EXIT_OK;
}

/* The build's contracts/ directory next to bin/ (where this binary is), if it exists. */
static const char *default_contracts_dir(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;
    if (n <= 0) {
        return NULL;
    }
    exe[n] = 0;
    slash = strrchr(exe, '/');
    if (slash == NULL) {
        return NULL;
    }
    *slash = 0;
    if ((size_t)snprintf(buf, cap, "%s/../contracts", exe) >= cap || access(buf, R_OK) != 0) {
        return NULL;
    }
    return buf;
}

static int localnet_run(int argc, char **argv)
{
    const char *home = NULL, *addr = NULL, *block = NULL, *cdir = NULL;
    int quiet = 0, rc, status = CLI_EXIT_OK;
    long block_ms = 0;
    char url[128], dirbuf[PATH_MAX], homebuf[PATH_MAX];
    tk_localnet_config cfg;
    tk_localnet *ln = NULL;
    sigset_t set;
    cli_option opts[] = {{"home", &home, NULL},      {"rpc-addr", &addr, NULL},
                         {"block-ms", &block, NULL}, {"contracts-dir", &cdir, NULL},
                         {"quiet", NULL, &quiet},    {NULL, NULL, NULL}};
    rc = cli_parse(argc, argv, opts, "localnet", help);
    if (rc != CLI_EXIT_OK) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (home == NULL && (home = default_home(homebuf, sizeof homebuf)) == NULL) {
        return cli_usage("localnet", "no --home DIR and no usable $HOME");
    }
    if (block != NULL && !parse_long(&block_ms, block, 10, 600000)) {
        return cli_usage("localnet", "--block-ms must be 10..600000");
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.home = home;
    cfg.rpc_addr = addr;
    cfg.block_ms = block_ms;
    cfg.contracts_dir = cdir ? cdir : default_contracts_dir(dirbuf, sizeof dirbuf);
    cfg.contracts = hosted;
    cfg.n_contracts = sizeof hosted / sizeof hosted[0];
    cfg.quiet = quiet;
    /* the signals are taken by sigtimedwait below; block them before any thread starts */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if ((rc = tk_localnet_open(&ln, &cfg)) != TK_OK ||
        (rc = tk_localnet_start(ln, url, sizeof url)) != TK_OK) {
        tk_localnet_free(ln);
        return cli_fail(rc);
    }
    printf("localnet ready: chain %s at height %llu, rpc %s\n", tk_localnet_chain_id(ln),
           (unsigned long long)tk_localnet_height(ln), url);
    fflush(stdout);
    for (;;) {
        struct timespec ts = {1, 0};
        int sig = sigtimedwait(&set, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT) {
            break;
        }
        if (tk_localnet_failed(ln)) {
            fprintf(stderr, "teekeys: error: the chain stopped after a store failure\n");
            status = CLI_EXIT_FAIL;
            break;
        }
    }
    tk_localnet_free(ln);
    return status;
}

int cmd_localnet(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "init") == 0) {
        return localnet_init(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "run") == 0) {
        return localnet_run(argc - 1, argv + 1);
    }
    return cli_usage("localnet", "unknown subcommand '%.32s' (init or run)", argv[1]);
}
