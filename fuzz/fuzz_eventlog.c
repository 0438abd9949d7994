/* Fuzzes the dstack event-log parser: whatever parses must serialise to canonical JSON that
 * parses back to the same events and replays to the same RTMRs. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/attest.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_attest_event_log log, again;
    tk_attest_app_info info;
    unsigned char r1[4][TK_ATTEST_MR_LEN], r2[4][TK_ATTEST_MR_LEN];
    char *json = NULL;
    if (tk_attest_event_log_parse(&log, (const char *)data, size) != TK_OK) {
        return 0;
    }
    (void)tk_attest_app_info_get(&info, &log);
    if (tk_attest_event_log_to_json(&json, &log) != TK_OK ||
        tk_attest_event_log_parse(&again, json, strlen(json)) != TK_OK ||
        again.n_events != log.n_events) {
        abort();
    }
    for (size_t i = 0; i < log.n_events; i++) {
        const tk_attest_event *a = &log.events[i], *b = &again.events[i];
        if (a->imr != b->imr || a->event_type != b->event_type ||
            memcmp(a->digest, b->digest, TK_ATTEST_MR_LEN) != 0 || strcmp(a->name, b->name) != 0 ||
            a->payload_len != b->payload_len ||
            (a->payload_len != 0 && memcmp(a->payload, b->payload, a->payload_len) != 0)) {
            abort();
        }
    }
    tk_attest_event_log_replay(r1, &log);
    tk_attest_event_log_replay(r2, &again);
    if (memcmp(r1, r2, sizeof r1) != 0) {
        abort();
    }
    free(json);
    tk_attest_event_log_free(&again);
    tk_attest_event_log_free(&log);
    return 0;
}
