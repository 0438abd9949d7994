/*
 * teekeys attest providers: where a fresh TDX quote comes from, behind one interface.
 *   tsm     Linux configfs-tsm (/sys/kernel/config/tsm/report), inside a TDX guest
 *   dstack  the dstack guest agent's GetQuote over /var/run/dstack.sock (with its event log)
 *   sim     SIMULATED quotes for development (attest_sim.h): they verify only against the
 *           development root, never against Intel's
 * Every provider checks that the quote it returns is a TDX quote carrying exactly the
 * requested report_data.
 */
#ifndef TEEKEYS_ATTEST_PROVIDER_H
#define TEEKEYS_ATTEST_PROVIDER_H

#include <stddef.h>

#include "teekeys/attest.h"
#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TK_ATTEST_TSM_DIR_DEFAULT "/sys/kernel/config/tsm/report"

typedef struct {
    const char *tsm_dir;       /* tsm: the configfs report directory (NULL: the default) */
    const char *dstack_socket; /* dstack: the agent socket (NULL: the default) */
    const char *tsm_entry;     /* tsm: report entry name (NULL: a fresh "teekeys-<pid>-<n>") */
    const char *sim_dir;       /* sim: the development PKI (attest_sim.h), SIMULATED quotes */
    unsigned tsm_retries;      /* tsm: attempts when another writer races us (0: 3) */
} tk_attest_provider_config;

/* A fresh quote and, when the provider has one, its event log (JSON text as the provider
 * returned it). Free with tk_attest_evidence_free. */
typedef struct {
    unsigned char *quote;
    size_t quote_len;
    char *event_log; /* NULL when the provider has none (tsm) */
} tk_attest_evidence;

void tk_attest_evidence_free(tk_attest_evidence *ev);

/* Asks provider `name` ("tsm", "dstack" or "sim") for a quote over report_data (64 bytes).
 * Returns TK_OK, TK_ERR_INPUT for an unknown provider, TK_ERR_IO when the provider is
 * unreachable or misbehaves, TK_ERR_CRYPTO when its quote does not carry our report_data. */
int tk_attest_quote_get(tk_attest_evidence *ev, const char *name,
                        const tk_attest_provider_config *config,
                        const unsigned char report_data[TK_ATTEST_REPORT_DATA_LEN]) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_ATTEST_PROVIDER_H */
