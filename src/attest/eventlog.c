/*
 * Measurement registers and dstack event logs: RTMR extend/replay, dstack's runtime event
 * digests (v1 binary, v2 canonical JSON), a strict parser for the JSON event log (bare array, or
 * inside a GetQuote response / NEAR MPC tcb_info object) and extraction of the application identity
 * (compose hash, app id, key provider, OS image hash) from the RTMR3 events. The log is untrusted
 * input: nothing here trusts a digest it can recompute, and a log only means something once its
 * replay equals the RTMRs of a verified quote (the caller's check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "teekeys/attest.h"
#include "teekeys/encoding.h"
#include "teekeys/hash.h"

void tk_attest_rtmr_extend(unsigned char rtmr[TK_ATTEST_MR_LEN],
                           const unsigned char digest[TK_ATTEST_MR_LEN])
{
    tk_buf parts[2] = {{rtmr, TK_ATTEST_MR_LEN}, {digest, TK_ATTEST_MR_LEN}};
    unsigned char out[TK_ATTEST_MR_LEN];
    tk_sha384_v(out, parts, 2);
    memcpy(rtmr, out, TK_ATTEST_MR_LEN);
}

void tk_attest_event_digest_v1(unsigned char out[TK_ATTEST_MR_LEN], uint32_t event_type,
                               const char *name, size_t name_len, const unsigned char *payload,
                               size_t payload_len)
{
    unsigned char type_le[4] = {(unsigned char)event_type, (unsigned char)(event_type >> 8),
                                (unsigned char)(event_type >> 16),
                                (unsigned char)(event_type >> 24)};
    tk_buf parts[5] = {{type_le, 4}, {":", 1}, {name, name_len}, {":", 1}, {payload, payload_len}};
    tk_sha384_v(out, parts, 5);
}

int tk_attest_event_digest_v2(unsigned char out[TK_ATTEST_MR_LEN], uint32_t event_type,
                              const char *name, size_t name_len, const unsigned char *payload,
                              size_t payload_len)
{
    static const char hexd[] = "0123456789abcdef";
    /* worst case: every name byte as \u00xx, every payload byte as two hex digits */
    size_t cap = 64 + 6 * name_len + 2 * payload_len, n = 0;
    char *json = malloc(cap);
    if (json == NULL) {
        return tk_fail(TK_ERR_NOMEM, "event digest: out of memory");
    }
    memcpy(json + n, "{\"name\":\"", 9);
    n += 9;
    for (size_t i = 0; i < name_len; i++) {
        unsigned char c = (unsigned char)name[i];
        const char *esc = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        if (esc != NULL) {
            json[n++] = esc[0];
            json[n++] = esc[1];
        } else if (c < 0x20) {
            memcpy(json + n, "\\u00", 4);
            json[n + 4] = hexd[c >> 4];
            json[n + 5] = hexd[c & 15];
            n += 6;
        } else {
            json[n++] = (char)c;
        }
    }
    memcpy(json + n, "\",\"payload\":\"", 13);
    n += 13;
    for (size_t i = 0; i < payload_len; i++) {
        json[n++] = hexd[payload[i] >> 4];
        json[n++] = hexd[payload[i] & 15];
    }
    n += (size_t)snprintf(json + n, cap - n, "\",\"type\":%u}", (unsigned)event_type);
    tk_sha384(out, json, n);
    free(json);
    return TK_OK;
}

void tk_attest_event_log_free(tk_attest_event_log *log)
{
    if (log == NULL) {
        return;
    }
    for (size_t i = 0; i < log->n_events; i++) {
        free(log->events[i].name);
        free(log->events[i].payload);
    }
    free(log->events);
    log->events = NULL;
    log->n_events = 0;
}

static int is_runtime_event(const tk_attest_event *e)
{
    return e->imr == 3 && e->event_type == TK_ATTEST_DSTACK_EVENT_TYPE;
}

/* Reads an optional string member; absent means "". */
static int get_str(const char **out, size_t *out_len, json_t *obj, const char *key, size_t idx)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL) {
        *out = "";
        *out_len = 0;
        return TK_OK;
    }
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: \"%s\" is not a string", idx, key);
    }
    *out = json_string_value(v);
    *out_len = json_string_length(v);
    return TK_OK;
}

static int get_u32(uint32_t *out, json_t *obj, const char *key, size_t idx)
{
    json_t *v = json_object_get(obj, key);
    json_int_t n;
    if (!json_is_integer(v)) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: \"%s\" missing or not an integer", idx,
                       key);
    }
    n = json_integer_value(v);
    if (n < 0 || n > 0xffffffffLL) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: \"%s\" out of the u32 range", idx, key);
    }
    *out = (uint32_t)n;
    return TK_OK;
}

static int parse_event(tk_attest_event *e, json_t *obj, size_t idx)
{
    const char *digest_hex = "", *name = "", *payload_hex = "", *preimage_hex = "";
    size_t digest_len = 0, name_len = 0, payload_hex_len = 0, preimage_len = 0;
    unsigned char computed[TK_ATTEST_MR_LEN];
    json_t *version = NULL, *preimage = NULL;
    int rc;

    if (!json_is_object(obj)) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu is not an object", idx);
    }
    if ((rc = get_u32(&e->imr, obj, "imr", idx)) != TK_OK ||
        (rc = get_u32(&e->event_type, obj, "event_type", idx)) != TK_OK ||
        (rc = get_str(&digest_hex, &digest_len, obj, "digest", idx)) != TK_OK ||
        (rc = get_str(&name, &name_len, obj, "event", idx)) != TK_OK ||
        (rc = get_str(&payload_hex, &payload_hex_len, obj, "event_payload", idx)) != TK_OK ||
        (rc = get_str(&preimage_hex, &preimage_len, obj, "preimage", idx)) != TK_OK) {
        return rc;
    }
    preimage = json_object_get(obj, "preimage");
    version = json_object_get(obj, "version");
    e->version = 1;
    if (version != NULL) {
        json_int_t vv = json_is_integer(version) ? json_integer_value(version) : 0;
        if (vv != 1 && vv != 2) {
            return tk_fail(TK_ERR_INPUT, "event log: event %zu: \"version\" must be 1 or 2", idx);
        }
        e->version = (unsigned)vv;
    }
    if (e->imr > 3) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: imr %u (must be 0..3)", idx, e->imr);
    }
    if (memchr(name, 0, name_len) != NULL) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: event name contains NUL", idx);
    }
    e->name = malloc(name_len + 1);
    e->payload = malloc(payload_hex_len / 2 + 1);
    if (e->name == NULL || e->payload == NULL) {
        return tk_fail(TK_ERR_NOMEM, "event log: out of memory");
    }
    memcpy(e->name, name, name_len);
    e->name[name_len] = '\0';
    if (tk_hex_decode(e->payload, payload_hex_len / 2 + 1, &e->payload_len, payload_hex,
                      payload_hex_len) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: event_payload is not hex", idx);
    }
    if (digest_len != 0) {
        if (tk_hex_decode_exact(e->digest, TK_ATTEST_MR_LEN, digest_hex, digest_len, 0) != TK_OK) {
            return tk_fail(TK_ERR_INPUT, "event log: event %zu: digest is not 48 bytes of hex",
                           idx);
        }
        e->digest_given = 1;
    }
    if (version != NULL && !is_runtime_event(e)) {
        return tk_fail(TK_ERR_INPUT, "event log: event %zu: \"version\" on a boot-time event", idx);
    }
    if (is_runtime_event(e)) {
        if (e->version == 2) {
            if ((rc = tk_attest_event_digest_v2(computed, e->event_type, e->name, name_len,
                                                e->payload, e->payload_len)) != TK_OK) {
                return rc;
            }
        } else {
            tk_attest_event_digest_v1(computed, e->event_type, e->name, name_len, e->payload,
                                      e->payload_len);
        }
        if (e->digest_given && memcmp(computed, e->digest, TK_ATTEST_MR_LEN) != 0) {
            return tk_fail(TK_ERR_CRYPTO,
                           "event log: event %zu (\"%s\"): digest is not the v%u digest of its "
                           "payload",
                           idx, e->name, e->version);
        }
        if (preimage != NULL) {
            /* the hashed bytes as dstack states them: must be exactly what was hashed here */
            unsigned char *given = malloc(preimage_len / 2 + 1), given_hash[TK_ATTEST_MR_LEN];
            size_t given_len = 0;
            int same = given != NULL && tk_hex_decode(given, preimage_len / 2 + 1, &given_len,
                                                      preimage_hex, preimage_len) == TK_OK;
            if (same) {
                tk_sha384(given_hash, given, given_len);
                same = memcmp(given_hash, computed, TK_ATTEST_MR_LEN) == 0;
            }
            free(given);
            if (!same) {
                return tk_fail(TK_ERR_CRYPTO,
                               "event log: event %zu (\"%s\"): preimage is not what the digest "
                               "hashes",
                               idx, e->name);
            }
        }
        memcpy(e->digest, computed, TK_ATTEST_MR_LEN);
    } else if (!e->digest_given) {
        return tk_fail(TK_ERR_INPUT,
                       "event log: event %zu: empty digest on an event that cannot be "
                       "recomputed (imr %u, type 0x%x)",
                       idx, e->imr, e->event_type);
    }
    return TK_OK;
}

int tk_attest_event_log_parse(tk_attest_event_log *log, const char *json, size_t json_len)
{
    json_t *root = NULL, *arr, *inner = NULL;
    json_error_t jerr;
    int rc = TK_OK;

    if (log == NULL || (json == NULL && json_len != 0)) {
        return tk_fail(TK_ERR_ARG, "tk_attest_event_log_parse: NULL argument");
    }
    log->events = NULL;
    log->n_events = 0;
    if (json_len > TK_ATTEST_MAX_EVENT_LOG) {
        return tk_fail(TK_ERR_INPUT, "event log: %zu bytes exceeds the limit", json_len);
    }
    root = json_loadb(json, json_len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        return tk_fail(TK_ERR_INPUT, "event log: bad JSON at line %d column %d: %s", jerr.line,
                       jerr.column, jerr.text);
    }
    arr = root;
    if (json_is_object(root)) {
        arr = json_object_get(root, "event_log");
        if (json_is_string(arr)) {
            inner = json_loadb(json_string_value(arr), json_string_length(arr),
                               JSON_REJECT_DUPLICATES, &jerr);
            if (inner == NULL) {
                rc = tk_fail(TK_ERR_INPUT,
                             "event log: \"event_log\" string is not JSON (column %d: %s)",
                             jerr.column, jerr.text);
                goto cleanup;
            }
            arr = inner;
        }
    }
    if (!json_is_array(arr)) {
        rc = tk_fail(TK_ERR_INPUT, "event log: expected an array of events or an object with "
                                   "an \"event_log\" member");
        goto cleanup;
    }
    if (json_array_size(arr) > TK_ATTEST_MAX_EVENTS) {
        rc = tk_fail(TK_ERR_INPUT, "event log: %zu events exceeds the limit of %d",
                     json_array_size(arr), TK_ATTEST_MAX_EVENTS);
        goto cleanup;
    }
    if (json_array_size(arr) != 0) {
        log->events = calloc(json_array_size(arr), sizeof *log->events);
        if (log->events == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "event log: out of memory");
            goto cleanup;
        }
    }
    for (size_t i = 0; i < json_array_size(arr); i++) {
        log->n_events = i + 1; /* so that free() sees this partly filled event */
        rc = parse_event(&log->events[i], json_array_get(arr, i), i);
        if (rc != TK_OK) {
            goto cleanup;
        }
    }
cleanup:
    json_decref(inner);
    json_decref(root);
    if (rc != TK_OK) {
        tk_attest_event_log_free(log);
    }
    return rc;
}

int tk_attest_event_log_to_json(char **out, const tk_attest_event_log *log)
{
    json_t *arr;
    int rc = TK_OK;
    char digest[2 * TK_ATTEST_MR_LEN + 1];

    if (out == NULL || log == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_event_log_to_json: NULL argument");
    }
    *out = NULL;
    arr = json_array();
    if (arr == NULL) {
        return tk_fail(TK_ERR_NOMEM, "event log: out of memory");
    }
    for (size_t i = 0; i < log->n_events && rc == TK_OK; i++) {
        const tk_attest_event *e = &log->events[i];
        char *payload = malloc(2 * e->payload_len + 1);
        json_t *obj = json_object();
        if (payload == NULL || obj == NULL ||
            tk_hex_encode(payload, 2 * e->payload_len + 1, e->payload, e->payload_len) != TK_OK ||
            tk_hex_encode(digest, sizeof digest, e->digest, TK_ATTEST_MR_LEN) != TK_OK ||
            json_object_set_new(obj, "imr", json_integer(e->imr)) != 0 ||
            json_object_set_new(obj, "event_type", json_integer(e->event_type)) != 0 ||
            json_object_set_new(obj, "digest", json_string(digest)) != 0 ||
            json_object_set_new(obj, "event", json_string(e->name)) != 0 ||
            json_object_set_new(obj, "event_payload", json_string(payload)) != 0 ||
            (e->version == 2 && json_object_set_new(obj, "version", json_integer(2)) != 0) ||
            json_array_append(arr, obj) != 0) {
            rc = tk_fail(TK_ERR_NOMEM, "event log: cannot build JSON (event %zu)", i);
        }
        json_decref(obj);
        free(payload);
    }
    if (rc == TK_OK) {
        *out = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (*out == NULL) {
            rc = tk_fail(TK_ERR_NOMEM, "event log: cannot serialise JSON");
        }
    }
    json_decref(arr);
    return rc;
}

void tk_attest_event_log_replay(unsigned char rtmr[4][TK_ATTEST_MR_LEN],
                                const tk_attest_event_log *log)
{
    memset(rtmr, 0, 4 * TK_ATTEST_MR_LEN);
    for (size_t i = 0; log != NULL && i < log->n_events; i++) {
        const tk_attest_event *e = &log->events[i];
        if (e->imr < 4) {
            tk_attest_rtmr_extend(rtmr[e->imr], e->digest);
        }
    }
}

int tk_attest_event_log_check(const tk_attest_event_log *log, const tk_attest_td_report *td,
                              unsigned mask)
{
    unsigned char rtmr[4][TK_ATTEST_MR_LEN];
    if (log == NULL || td == NULL || mask == 0 || mask > 0xf) {
        return tk_fail(TK_ERR_ARG, "tk_attest_event_log_check: bad argument");
    }
    tk_attest_event_log_replay(rtmr, log);
    for (int i = 0; i < 4; i++) {
        if ((mask & (1u << i)) && memcmp(rtmr[i], td->rtmr[i], TK_ATTEST_MR_LEN) != 0) {
            return tk_fail(TK_ERR_CRYPTO, "event log: replayed RTMR%d differs from the quote's", i);
        }
    }
    return TK_OK;
}

int tk_attest_event_log_find(const unsigned char **payload, size_t *payload_len,
                             const tk_attest_event_log *log, const char *name)
{
    const tk_attest_event *found = NULL;
    if (payload == NULL || payload_len == NULL || log == NULL || name == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_event_log_find: NULL argument");
    }
    for (size_t i = 0; i < log->n_events; i++) {
        if (is_runtime_event(&log->events[i]) && strcmp(log->events[i].name, name) == 0) {
            found = &log->events[i];
        }
    }
    if (found == NULL) {
        return tk_fail(TK_ERR_NOT_FOUND, "event log: no RTMR3 event \"%s\"", name);
    }
    *payload = found->payload;
    *payload_len = found->payload_len;
    return TK_OK;
}

static int find_exact(unsigned char *out, size_t len, const tk_attest_event_log *log,
                      const char *name)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    int rc = tk_attest_event_log_find(&p, &n, log, name);
    if (rc != TK_OK) {
        return rc;
    }
    if (n != len) {
        return tk_fail(TK_ERR_INPUT, "event log: \"%s\" payload is %zu bytes, expected %zu", name,
                       n, len);
    }
    memcpy(out, p, len);
    return TK_OK;
}

int tk_attest_app_info_get(tk_attest_app_info *info, const tk_attest_event_log *log)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    int rc;
    if (info == NULL || log == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_app_info_get: NULL argument");
    }
    memset(info, 0, sizeof *info);
    if ((rc = find_exact(info->compose_hash, 32, log, "compose-hash")) != TK_OK ||
        (rc = find_exact(info->app_id, 20, log, "app-id")) != TK_OK) {
        return rc;
    }
    if ((rc = tk_attest_event_log_find(&p, &n, log, "key-provider")) != TK_OK) {
        return rc;
    }
    if (n >= sizeof info->key_provider || memchr(p, 0, n) != NULL) {
        return tk_fail(TK_ERR_INPUT, "event log: key-provider payload is not short text");
    }
    memcpy(info->key_provider, p, n);
    info->key_provider[n] = '\0';
    rc = find_exact(info->os_image_hash, 32, log, "os-image-hash");
    if (rc == TK_OK) {
        info->has_os_image_hash = 1;
    } else if (rc != TK_ERR_NOT_FOUND) {
        return rc;
    }
    tk_error_clear();
    return TK_OK;
}
