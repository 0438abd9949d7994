/*
 * teekeys attest: verify a TDX quote against DCAP collateral (teekeys attest verify) and replay
 * a dstack event log to RTMR3 (teekeys attest rtmr3). Quotes and collateral are public data.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "teekeys/attest.h"
#include "teekeys/attest_provider.h"
#include "teekeys/attest_sim.h"
#include "teekeys/attest_verify.h"
#include "teekeys/encoding.h"

static const char help[] =
    "usage: teekeys attest verify --quote FILE [--collateral FILE] [--at UNIX_TIME]\n"
    "                             [--dev-root FILE] [--accept STATUS[,STATUS...]] [--json]\n"
    "       teekeys attest rtmr3 --event-log FILE [--all]\n"
    "       teekeys attest quote --provider tsm|dstack|sim --report-data HEX [--tsm-dir DIR]\n"
    "                            [--dstack-socket PATH] [--sim-dir DIR] [--event-log-out FILE]\n"
    "       teekeys attest sim-init --dir DIR\n"
    "       teekeys attest sim-collateral --dir DIR [--at UNIX_TIME]\n\n"
    "verify  checks a TDX quote (binary, or hex text as dstack returns it) with DCAP collateral\n"
    "        in dcap-qvl's JSON form: the PCK chain to the pinned Intel SGX Root CA (or to a\n"
    "        development root given with --dev-root: simulated quotes only), CRLs, QE report,\n"
    "        quote signature, TCB level and TD attributes, at --at (default: now). Prints the\n"
    "        status, advisory ids, root, mrtd, rtmr0..3 and report_data (--json: the verdict\n"
    "        object). Exit 0 only when the quote verifies and its status is accepted (default:\n"
    "        UpToDate; --accept UpToDate,SWHardeningNeeded,... widens it). Without --collateral\n"
    "        the quote is only parsed and reported as not verified (exit 1).\n"
    "rtmr3   replays a dstack event log (a GetQuote response, a tcb_info object or a bare array\n"
    "        of events) and prints RTMR3 (--all: rtmr0..3, one per line).\n"
    "quote   asks this TDX guest for a fresh quote over REPORT_DATA (up to 64 bytes of hex,\n"
    "        zero-padded) through configfs-tsm or the dstack guest agent and prints it as hex;\n"
    "        the dstack event log goes to --event-log-out. The quote must carry REPORT_DATA.\n"
    "        --provider sim makes a SIMULATED quote with the development PKI of --sim-dir.\n"
    "sim-init        creates a SIMULATED development PKI (root CA, PCK chain, TCB signer, QE\n"
    "                attestation key) in DIR; DIR/root.pem is the --dev-root for verify.\n"
    "sim-collateral  prints collateral for simulated quotes, valid for 30 days from --at.\n"
    "Simulated quotes verify only with --dev-root: never against Intel's root.\n";

/* Parses --at: a non-negative decimal Unix time. Returns 1 on success. */
static int parse_unix_time(int64_t *out, const char *text)
{
    char *end;
    long long t = strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || t < 0) {
        return 0;
    }
    *out = (int64_t)t;
    return 1;
}

static int read_quote(unsigned char **quote, size_t *len, const char *path)
{
    unsigned char *raw = NULL;
    size_t n = 0, i, text_len;
    int is_hex = 1, rc;

    if ((rc = tk_file_read(&raw, &n, path, 2 * TK_ATTEST_MAX_QUOTE_LEN + 2, 0)) != TK_OK) {
        return rc;
    }
    text_len = n;
    while (text_len > 0 && isspace(raw[text_len - 1])) {
        text_len--;
    }
    for (i = 0; i < text_len && is_hex; i++) {
        is_hex = isxdigit(raw[i]) != 0;
    }
    if (is_hex && text_len > 0) {
        size_t start = (text_len >= 2 && raw[0] == '0' && (raw[1] == 'x' || raw[1] == 'X')) ? 2 : 0;
        rc = tk_hex_decode(raw, n, len, (const char *)raw + start, text_len - start);
        if (rc != TK_OK) {
            free(raw);
            return tk_fail(rc, "%s: %s", path, tk_errmsg());
        }
    } else {
        *len = n;
    }
    *quote = raw;
    return TK_OK;
}

static int parse_accept(unsigned *mask, const char *list)
{
    char buf[256], *tok, *save = NULL;
    if (strlen(list) >= sizeof buf) {
        return tk_fail(TK_ERR_INPUT, "--accept list too long");
    }
    strcpy(buf, list);
    *mask = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        tk_attest_tcb_status st;
        int rc = tk_attest_tcb_status_parse(&st, tok);
        if (rc != TK_OK) {
            return rc;
        }
        *mask |= TK_ATTEST_ACCEPT(st);
    }
    return *mask ? TK_OK : tk_fail(TK_ERR_INPUT, "--accept names no status");
}

static void print_hex_line(const char *label, const unsigned char *p, size_t n)
{
    char hex[2 * 64 + 1];
    if (tk_hex_encode(hex, sizeof hex, p, n) == TK_OK) {
        printf("%-12s %s\n", label, hex);
    }
}

static int attest_verify(int argc, char **argv)
{
    const char *quote_path = NULL, *coll_path = NULL, *at = NULL, *dev_root = NULL, *accept = NULL;
    int json = 0, rc, verified;
    cli_option opts[] = {{"quote", &quote_path, NULL},
                         {"collateral", &coll_path, NULL},
                         {"at", &at, NULL},
                         {"dev-root", &dev_root, NULL},
                         {"accept", &accept, NULL},
                         {"json", NULL, &json},
                         {NULL, NULL, NULL}};
    unsigned char *quote = NULL, *coll = NULL, *root = NULL;
    size_t quote_len = 0, coll_len = 0, root_len = 0;
    unsigned mask = 0;
    int64_t now = (int64_t)time(NULL);
    tk_attest_verdict v;
    tk_attest_quote q;
    char *out = NULL;

    if ((rc = cli_parse(argc, argv, opts, "attest", help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (quote_path == NULL) {
        return cli_usage("attest", "--quote FILE is required");
    }
    if (at != NULL && !parse_unix_time(&now, at)) {
        return cli_usage("attest", "--at takes a Unix time in seconds");
    }
    if ((accept != NULL && (rc = parse_accept(&mask, accept)) != TK_OK) ||
        (rc = read_quote(&quote, &quote_len, quote_path)) != TK_OK ||
        (coll_path != NULL &&
         (rc = tk_file_read(&coll, &coll_len, coll_path, TK_ATTEST_MAX_COLLATERAL, 0)) != TK_OK) ||
        (dev_root != NULL && (rc = tk_file_read(&root, &root_len, dev_root, 65536, 0)) != TK_OK)) {
        goto done;
    }
    memset(&v, 0, sizeof v);
    if (coll == NULL) {
        /* parse only: report the measured fields, never call it verified */
        if ((rc = tk_attest_quote_parse(&q, quote, quote_len)) != TK_OK) {
            goto done;
        }
        v.td = q.td;
        verified = 0;
        rc = tk_fail(TK_ERR_CRYPTO, "not verified: no --collateral given");
    } else {
        rc = tk_attest_verify_quote(&v, quote, quote_len, (const char *)coll, coll_len, now, root,
                                    root_len, mask);
        verified = rc == TK_OK;
        if (rc == TK_ERR_INPUT || rc == TK_ERR_UNSUPPORTED || rc == TK_ERR_ARG) {
            goto done; /* malformed input: nothing was verified, no verdict to print */
        }
    }
    if (json) {
        int jrc = tk_attest_verdict_to_json(&out, &v, verified);
        if (jrc != TK_OK) {
            rc = jrc;
            goto done;
        }
        printf("%s\n", out);
    } else {
        printf("%-12s %s%s\n", "status",
               v.checks_passed ? tk_attest_tcb_status_name(v.status) : "not verified",
               verified ? " (accepted)" : "");
        printf("%-12s", "advisories");
        for (size_t i = 0; i < v.n_advisories; i++) {
            printf(" %s", v.advisory_ids[i]);
        }
        printf("%s\n", v.n_advisories ? "" : " -");
        printf("%-12s %s\n", "root",
               v.root == TK_ATTEST_ROOT_INTEL ? "intel"
               : v.root == TK_ATTEST_ROOT_DEV ? "development (NOT Intel: simulated quote)"
                                              : "none");
        print_hex_line("mrtd", v.td.mrtd, 48);
        for (int i = 0; i < 4; i++) {
            char label[8];
            snprintf(label, sizeof label, "rtmr%d", i);
            print_hex_line(label, v.td.rtmr[i], 48);
        }
        print_hex_line("report_data", v.td.report_data, 64);
    }
done:
    free(out);
    free(quote);
    free(coll);
    free(root);
    if (rc == TK_ERR_CRYPTO || rc == TK_ERR_RANGE) {
        /* a quote that was read but not accepted: a verdict, not a usage error */
        (void)cli_fail(rc);
        return CLI_EXIT_FAIL;
    }
    return rc == TK_OK ? CLI_EXIT_OK : cli_fail(rc);
}

static int attest_rtmr3(int argc, char **argv)
{
    const char *path = NULL;
    int all = 0, rc;
    cli_option opts[] = {{"event-log", &path, NULL}, {"all", NULL, &all}, {NULL, NULL, NULL}};
    unsigned char *text = NULL, rtmr[4][TK_ATTEST_MR_LEN];
    size_t len = 0;
    tk_attest_event_log log = {0};

    if ((rc = cli_parse(argc, argv, opts, "attest", help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (path == NULL) {
        return cli_usage("attest", "--event-log FILE is required");
    }
    if ((rc = tk_file_read(&text, &len, path, TK_ATTEST_MAX_EVENT_LOG, 0)) == TK_OK &&
        (rc = tk_attest_event_log_parse(&log, (const char *)text, len)) == TK_OK) {
        tk_attest_event_log_replay(rtmr, &log);
        for (int i = all ? 0 : 3; i < 4; i++) {
            char hex[97];
            if (tk_hex_encode(hex, sizeof hex, rtmr[i], 48) == TK_OK) {
                printf(all ? "rtmr%d %s\n" : "%.0d%s\n", all ? i : 0, hex);
            }
        }
    }
    tk_attest_event_log_free(&log);
    free(text);
    return rc == TK_OK ? CLI_EXIT_OK : cli_fail(rc);
}

static int attest_quote(int argc, char **argv)
{
    const char *provider = NULL, *rd_hex = NULL, *tsm_dir = NULL, *sock = NULL, *log_out = NULL;
    const char *sim_dir = NULL;
    cli_option opts[] = {{"provider", &provider, NULL},
                         {"report-data", &rd_hex, NULL},
                         {"tsm-dir", &tsm_dir, NULL},
                         {"dstack-socket", &sock, NULL},
                         {"event-log-out", &log_out, NULL},
                         {"sim-dir", &sim_dir, NULL},
                         {NULL, NULL, NULL}};
    unsigned char rd[TK_ATTEST_REPORT_DATA_LEN] = {0};
    tk_attest_provider_config cfg = {0};
    tk_attest_evidence ev = {0};
    size_t n = 0;
    char *hex = NULL;
    int rc;

    if ((rc = cli_parse(argc, argv, opts, "attest", help)) != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (provider == NULL || rd_hex == NULL) {
        return cli_usage("attest", "--provider and --report-data are required");
    }
    if (strncmp(rd_hex, "0x", 2) == 0) {
        rd_hex += 2;
    }
    if ((rc = tk_hex_decode(rd, sizeof rd, &n, rd_hex, strlen(rd_hex))) != TK_OK) {
        return cli_fail(tk_fail(TK_ERR_INPUT, "--report-data: %s", tk_errmsg()));
    }
    cfg.tsm_dir = tsm_dir;
    cfg.dstack_socket = sock;
    cfg.sim_dir = sim_dir;
    if (strcmp(provider, "sim") == 0) {
        fprintf(stderr,
                "teekeys: SIMULATED quote (development PKI in %s): not hardware-backed, "
                "verifies only with --dev-root\n",
                sim_dir ? sim_dir : "?");
    }
    if ((rc = tk_attest_quote_get(&ev, provider, &cfg, rd)) == TK_OK &&
        (hex = malloc(2 * ev.quote_len + 1)) != NULL &&
        (rc = tk_hex_encode(hex, 2 * ev.quote_len + 1, ev.quote, ev.quote_len)) == TK_OK) {
        if (log_out != NULL) {
            rc = ev.event_log
                     ? tk_file_write_atomic(log_out, ev.event_log, strlen(ev.event_log), 0644, 0)
                     : tk_fail(TK_ERR_UNSUPPORTED, "provider %s has no event log", provider);
        }
        if (rc == TK_OK) {
            printf("%s\n", hex);
        }
    } else if (rc == TK_OK) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    free(hex);
    tk_attest_evidence_free(&ev);
    return rc == TK_OK ? CLI_EXIT_OK : cli_fail(rc);
}

static int attest_sim_init(int argc, char **argv)
{
    const char *dir = NULL;
    cli_option opts[] = {{"dir", &dir, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse(argc, argv, opts, "attest", help);
    if (rc != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (dir == NULL) {
        return cli_usage("attest", "--dir DIR is required");
    }
    if ((rc = tk_attest_sim_init(dir)) != TK_OK) {
        return cli_fail(rc);
    }
    fprintf(
        stderr,
        "teekeys: created a SIMULATED TDX development PKI in %s (not Intel: quotes made with it "
        "verify only with --dev-root %s/root.pem)\n",
        dir, dir);
    return CLI_EXIT_OK;
}

static int attest_sim_collateral(int argc, char **argv)
{
    const char *dir = NULL, *at = NULL;
    cli_option opts[] = {{"dir", &dir, NULL}, {"at", &at, NULL}, {NULL, NULL, NULL}};
    int64_t now = (int64_t)time(NULL);
    char *json = NULL;
    int rc = cli_parse(argc, argv, opts, "attest", help);
    if (rc != 0) {
        return rc == CLI_HELP_SHOWN ? CLI_EXIT_OK : rc;
    }
    if (dir == NULL) {
        return cli_usage("attest", "--dir DIR is required");
    }
    if (at != NULL && !parse_unix_time(&now, at)) {
        return cli_usage("attest", "--at takes a Unix time in seconds");
    }
    if ((rc = tk_attest_sim_collateral(&json, dir, now)) != TK_OK) {
        return cli_fail(rc);
    }
    printf("%s\n", json);
    free(json);
    return CLI_EXIT_OK;
}

int cmd_attest(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "verify") == 0) {
        return attest_verify(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "rtmr3") == 0) {
        return attest_rtmr3(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "quote") == 0) {
        return attest_quote(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "sim-init") == 0) {
        return attest_sim_init(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "sim-collateral") == 0) {
        return attest_sim_collateral(argc - 1, argv + 1);
    }
    return cli_usage("attest",
                     "unknown subcommand '%.32s' (verify, rtmr3, quote, sim-init, "
                     "sim-collateral)",
                     argv[1]);
}
