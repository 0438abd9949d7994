/*
 * Quote providers: configfs-tsm (the Linux kernel's TSM report interface, with its
 * generation-counter handshake) and the dstack guest agent. Both results are parsed and must
 * carry the report_data we asked for before anyone sees them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "teekeys/attest_provider.h"
#include "teekeys/attest_sim.h"
#include "teekeys/dstack.h"
#include "teekeys/encoding.h"

void tk_attest_evidence_free(tk_attest_evidence *ev)
{
    if (ev != NULL) {
        free(ev->quote);
        free(ev->event_log);
        memset(ev, 0, sizeof *ev);
    }
}

/* The quote must parse as TDX and carry report_data. */
static int check_quote(const tk_attest_evidence *ev, const unsigned char *report_data,
                       const char *who)
{
    tk_attest_quote q;
    int rc = tk_attest_quote_parse(&q, ev->quote, ev->quote_len);
    if (rc != TK_OK) {
        return tk_fail(TK_ERR_IO, "%s returned an unusable quote: %s", who, tk_errmsg());
    }
    if (!tk_ct_equal(q.td.report_data, report_data, TK_ATTEST_REPORT_DATA_LEN)) {
        return tk_fail(TK_ERR_CRYPTO, "%s returned a quote for other report_data", who);
    }
    return TK_OK;
}

/* ---- configfs-tsm ---- */

static int write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n;
    if (fd < 0) {
        return tk_fail(TK_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    }
    n = write(fd, data, len);
    close(fd);
    if (n != (ssize_t)len) {
        return tk_fail(TK_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    }
    return TK_OK;
}

static int read_text(char *out, size_t cap, const char *path)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tk_file_read(&data, &len, path, cap - 1, 0);
    if (rc != TK_OK) {
        return rc;
    }
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' ')) {
        len--;
    }
    memcpy(out, data, len);
    out[len] = '\0';
    free(data);
    return TK_OK;
}

static int read_generation(unsigned long *gen, const char *entry)
{
    char path[4096], text[32], *end;
    int rc;
    snprintf(path, sizeof path, "%s/generation", entry);
    if ((rc = read_text(text, sizeof text, path)) != TK_OK) {
        return rc;
    }
    errno = 0;
    *gen = strtoul(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno != 0) {
        return tk_fail(TK_ERR_IO, "%s holds no counter", path);
    }
    return TK_OK;
}

static int tsm_quote(tk_attest_evidence *ev, const tk_attest_provider_config *config,
                     const unsigned char *report_data)
{
    const char *dir = config->tsm_dir ? config->tsm_dir : TK_ATTEST_TSM_DIR_DEFAULT;
    unsigned tries = config->tsm_retries ? config->tsm_retries : 3;
    char entry[4096], path[4200], provider[64];
    unsigned long before, after;
    static unsigned counter;
    int rc = TK_OK;

    if (config->tsm_entry != NULL) {
        if (strchr(config->tsm_entry, '/') != NULL || config->tsm_entry[0] == '.') {
            return tk_fail(TK_ERR_INPUT, "configfs-tsm entry name must be a plain name");
        }
        snprintf(entry, sizeof entry, "%s/%s", dir, config->tsm_entry);
    } else {
        snprintf(entry, sizeof entry, "%s/teekeys-%ld-%u", dir, (long)getpid(), counter++);
    }
    if (mkdir(entry, 0700) != 0 && errno != EEXIST) {
        return tk_fail(TK_ERR_IO, "cannot create %s (is this a TDX guest with configfs-tsm?): %s",
                       entry, strerror(errno));
    }
    snprintf(path, sizeof path, "%s/provider", entry);
    if ((rc = read_text(provider, sizeof provider, path)) == TK_OK &&
        strcmp(provider, "tdx_guest") != 0) {
        rc = tk_fail(TK_ERR_IO, "configfs-tsm provider is '%.32s', not tdx_guest", provider);
    }
    while (rc == TK_OK && tries-- > 0) {
        snprintf(path, sizeof path, "%s/inblob", entry);
        if ((rc = write_file(path, report_data, TK_ATTEST_REPORT_DATA_LEN)) != TK_OK ||
            (rc = read_generation(&before, entry)) != TK_OK) {
            break;
        }
        snprintf(path, sizeof path, "%s/outblob", entry);
        tk_attest_evidence_free(ev);
        if ((rc = tk_file_read(&ev->quote, &ev->quote_len, path, TK_ATTEST_MAX_QUOTE_LEN, 0)) !=
                TK_OK ||
            (rc = read_generation(&after, entry)) != TK_OK) {
            break;
        }
        if (before == after) {
            break; /* nobody rewrote inblob between our write and our read */
        }
        rc = tk_fail(TK_ERR_IO, "configfs-tsm entry %s was rewritten while reading", entry);
    }
    rmdir(entry);
    if (rc == TK_OK) {
        rc = check_quote(ev, report_data, "configfs-tsm");
    }
    if (rc != TK_OK) {
        tk_attest_evidence_free(ev);
    }
    return rc;
}

/* ---- dstack ---- */

static int dstack_quote(tk_attest_evidence *ev, const tk_attest_provider_config *config,
                        const unsigned char *report_data)
{
    char hex[2 * TK_ATTEST_REPORT_DATA_LEN + 1], *resp = NULL, *body = NULL;
    size_t resp_len = 0, qlen;
    json_t *doc = NULL, *req;
    const char *qhex, *log;
    int rc;

    if ((rc = tk_hex_encode(hex, sizeof hex, report_data, TK_ATTEST_REPORT_DATA_LEN)) != TK_OK) {
        return rc;
    }
    req = json_pack("{s:s}", "report_data", hex);
    body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (body == NULL) {
        return tk_fail(TK_ERR_NOMEM, "out of memory");
    }
    rc = tk_dstack_call(&resp, &resp_len, config->dstack_socket, "GetQuote", body);
    free(body);
    if (rc != TK_OK) {
        return rc;
    }
    doc = json_loads(resp, 0, NULL);
    qhex = json_string_value(json_object_get(doc, "quote"));
    log = json_string_value(json_object_get(doc, "event_log"));
    if (qhex == NULL) {
        rc = tk_fail(TK_ERR_IO, "dstack GetQuote answer has no \"quote\"");
    } else if ((ev->quote = malloc(strlen(qhex) / 2 + 1)) == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "out of memory");
    } else if (tk_hex_decode(ev->quote, strlen(qhex) / 2 + 1, &qlen, qhex, strlen(qhex)) != TK_OK) {
        rc = tk_fail(TK_ERR_IO, "dstack GetQuote quote is not hex");
    } else {
        ev->quote_len = qlen;
        if (log != NULL && (ev->event_log = strdup(log)) == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "out of memory");
        }
    }
    json_decref(doc);
    tk_dstack_free(resp, resp_len);
    if (rc == TK_OK) {
        rc = check_quote(ev, report_data, "dstack GetQuote");
    }
    if (rc != TK_OK) {
        tk_attest_evidence_free(ev);
    }
    return rc;
}

int tk_attest_quote_get(tk_attest_evidence *ev, const char *name,
                        const tk_attest_provider_config *config,
                        const unsigned char report_data[TK_ATTEST_REPORT_DATA_LEN])
{
    static const tk_attest_provider_config defaults = {0};
    if (ev == NULL || name == NULL || report_data == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_quote_get: NULL argument");
    }
    memset(ev, 0, sizeof *ev);
    if (config == NULL) {
        config = &defaults;
    }
    if (strcmp(name, "tsm") == 0) {
        return tsm_quote(ev, config, report_data);
    }
    if (strcmp(name, "dstack") == 0) {
        return dstack_quote(ev, config, report_data);
    }
    if (strcmp(name, "sim") == 0) {
        int rc;
        if (config->sim_dir == NULL) {
            return tk_fail(TK_ERR_ARG, "the sim provider needs the simulated PKI directory");
        }
        rc = tk_attest_sim_quote(ev, config->sim_dir, report_data);
        if (rc == TK_OK && (rc = check_quote(ev, report_data, "sim")) != TK_OK) {
            tk_attest_evidence_free(ev);
        }
        return rc;
    }
    return tk_fail(TK_ERR_INPUT, "unknown quote provider '%.32s' (expected tsm, dstack or sim)",
                   name);
}
