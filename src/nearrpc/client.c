/*
 * NEAR JSON-RPC transport: one POST per attempt, per-attempt timeout, bounded response size,
 * exponential backoff on transient failures, and nearcore's error objects mapped to
 * tk_status codes with one-line details. Responses are public chain data; requests may carry
 * signed transactions (public once sent), never secrets.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "internal.h"
#include "teekeys/nearrpc.h"

struct tk_nearrpc {
    char *url;
    long timeout_ms, backoff_ms;
    unsigned max_retries;
    unsigned long attempts;
    CURL *curl;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    return tk_bytes_append(userdata, ptr, size * nmemb) == TK_OK ? size * nmemb : 0;
}

int tk_nearrpc_new(tk_nearrpc **rpc, const tk_nearrpc_config *config)
{
    tk_nearrpc *r;
    if (rpc == NULL || config == NULL || config->url == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_nearrpc_new: NULL argument");
    }
    *rpc = NULL;
    if (strncmp(config->url, "http://", 7) != 0 && strncmp(config->url, "https://", 8) != 0) {
        return tk_fail(TK_ERR_INPUT, "NEAR RPC URL must start with http:// or https://");
    }
    r = calloc(1, sizeof *r);
    if (r == NULL || (r->url = strdup(config->url)) == NULL ||
        (r->curl = curl_easy_init()) == NULL) {
        tk_nearrpc_free(r);
        return tk_fail(TK_ERR_NOMEM, "cannot create the NEAR RPC client");
    }
    r->timeout_ms = config->timeout_ms > 0 ? config->timeout_ms : 10000;
    r->backoff_ms = config->backoff_ms > 0 ? config->backoff_ms : 200;
    r->max_retries = config->max_retries;
    *rpc = r;
    return TK_OK;
}

void tk_nearrpc_free(tk_nearrpc *rpc)
{
    if (rpc != NULL) {
        if (rpc->curl != NULL) {
            curl_easy_cleanup(rpc->curl);
        }
        free(rpc->url);
        free(rpc);
    }
}

unsigned long tk_nearrpc_attempts(const tk_nearrpc *rpc)
{
    return rpc ? rpc->attempts : 0;
}

static const char *const not_found_causes[] = {
    "UNKNOWN_ACCOUNT",   "UNKNOWN_ACCESS_KEY",      "UNKNOWN_BLOCK",   "UNKNOWN_CHUNK",
    "UNKNOWN_EPOCH",     "UNKNOWN_TRANSACTION",     "UNKNOWN_RECEIPT", "NO_CONTRACT_CODE",
    "UNAVAILABLE_SHARD", "GARBAGE_COLLECTED_BLOCK",
};
static const char *const transient_causes[] = {"TIMEOUT_ERROR", "NO_SYNCED_BLOCKS",
                                               "NOT_SYNCED_YET", "INTERNAL_ERROR"};

static int in_list(const char *name, const char *const *list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (strcmp(name, list[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Maps a JSON-RPC error object. Returns the status; *transient says whether to retry. */
static int map_error(json_t *err, char *cause_out, size_t cause_cap, int *transient)
{
    json_t *cause = json_object_get(err, "cause");
    const char *name = json_string_value(json_object_get(cause, "name"));
    const char *top = json_string_value(json_object_get(err, "name"));
    json_t *data = json_object_get(err, "data"), *info = json_object_get(cause, "info");
    const char *msg = json_string_value(json_object_get(err, "message"));
    char *text = NULL;
    int status;

    if (name == NULL || name[0] == '\0') {
        name = top != NULL && top[0] != '\0' ? top : "RPC_ERROR";
    }
    snprintf(cause_out, cause_cap, "%s", name);
    if (json_is_string(data)) {
        text = strdup(json_string_value(data));
    } else if (data != NULL) {
        text = json_dumps(data, JSON_COMPACT);
    } else if (info != NULL) {
        text = json_dumps(info, JSON_COMPACT);
    }
    *transient =
        in_list(name, transient_causes, 4) || (top != NULL && strcmp(top, "INTERNAL_ERROR") == 0);
    if (*transient) {
        status = TK_ERR_IO;
    } else if (in_list(name, not_found_causes, 10)) {
        status = TK_ERR_NOT_FOUND;
    } else {
        status = TK_ERR_INPUT;
    }
    tk_fail(status, "%s: %.400s", name, text ? text : (msg ? msg : "no details"));
    free(text);
    return status;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* One attempt. Returns TK_OK with *result, or an error with *transient set. */
static int attempt(tk_nearrpc *rpc, json_t **result, const char *body, char *cause,
                   size_t cause_cap, int *transient)
{
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    char errbuf[CURL_ERROR_SIZE] = "";
    tk_bytes resp = {.max = TK_NEARRPC_RESPONSE_MAX};
    long status = 0;
    CURLcode cc;
    int rc;

    *transient = 0;
    rpc->attempts++;
    curl_easy_reset(rpc->curl);
    curl_easy_setopt(rpc->curl, CURLOPT_URL, rpc->url);
    curl_easy_setopt(rpc->curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(rpc->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(rpc->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(rpc->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(rpc->curl, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(rpc->curl, CURLOPT_TIMEOUT_MS, rpc->timeout_ms);
    curl_easy_setopt(rpc->curl, CURLOPT_CONNECTTIMEOUT_MS, rpc->timeout_ms);
    curl_easy_setopt(rpc->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(rpc->curl, CURLOPT_ERRORBUFFER, errbuf);
    cc = curl_easy_perform(rpc->curl);
    curl_easy_getinfo(rpc->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);

    if (cc == CURLE_WRITE_ERROR) {
        tk_bytes_free(&resp);
        return tk_fail(TK_ERR_IO, "NEAR RPC response larger than %u bytes",
                       TK_NEARRPC_RESPONSE_MAX);
    }
    if (cc != CURLE_OK) {
        tk_bytes_free(&resp);
        *transient = 1;
        snprintf(cause, cause_cap, "TRANSPORT");
        return tk_fail(TK_ERR_IO, "NEAR RPC %s unreachable: %s", rpc->url,
                       errbuf[0] ? errbuf : curl_easy_strerror(cc));
    }
    rc = tk_nearrpc_parse_response(result, cause, cause_cap, transient, (const char *)resp.data,
                                   status);
    tk_bytes_free(&resp);
    return rc;
}

int tk_nearrpc_parse_response(json_t **result, char *cause, size_t cause_cap, int *transient,
                              const char *body, long status)
{
    json_t *doc = body ? json_loads(body, 0, NULL) : NULL;
    json_t *err = json_object_get(doc, "error"), *res = json_object_get(doc, "result");
    int rc;

    *transient = 0;
    if (err != NULL && !json_is_null(err)) {
        rc = map_error(err, cause, cause_cap, transient);
    } else if (res != NULL && (status == 200 || status == 0)) {
        *result = json_incref(res);
        rc = TK_OK;
    } else {
        *transient = status == 408 || status == 429 || status >= 500;
        snprintf(cause, cause_cap, "HTTP_%ld", status);
        rc = tk_fail(TK_ERR_IO, "NEAR RPC answered HTTP %ld without a JSON-RPC result", status);
    }
    json_decref(doc);
    return rc;
}

int tk_nearrpc_call_cause(tk_nearrpc *rpc, json_t **result, char *cause, size_t cause_cap,
                          const char *method, json_t *params)
{
    json_t *req;
    char *body;
    unsigned tries;
    long backoff;
    int rc = TK_ERR_INTERNAL, transient = 0;
    char scratch[64];

    if (cause == NULL || cause_cap == 0) {
        cause = scratch;
        cause_cap = sizeof scratch;
    }
    cause[0] = '\0';
    if (rpc == NULL || result == NULL || method == NULL || params == NULL) {
        json_decref(params);
        return tk_fail(TK_ERR_ARG, "tk_nearrpc_call: NULL argument");
    }
    *result = NULL;
    req = json_pack("{s:s, s:s, s:s, s:o}", "jsonrpc", "2.0", "id", "teekeys", "method", method,
                    "params", params);
    body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    json_decref(req);
    if (body == NULL) {
        return tk_fail(TK_ERR_NOMEM, "cannot build the JSON-RPC request");
    }
    backoff = rpc->backoff_ms;
    for (tries = 0; tries <= rpc->max_retries; tries++) {
        if (tries > 0) {
            sleep_ms(backoff);
            backoff *= 2;
        }
        rc = attempt(rpc, result, body, cause, cause_cap, &transient);
        if (rc == TK_OK || !transient) {
            break;
        }
    }
    free(body);
    if (rc != TK_OK && transient && rpc->max_retries > 0) {
        tk_fail(rc, "%s (after %u attempts)", tk_errmsg(), rpc->max_retries + 1);
    }
    return rc;
}

int tk_nearrpc_call(tk_nearrpc *rpc, json_t **result, const char *method, json_t *params)
{
    return tk_nearrpc_call_cause(rpc, result, NULL, 0, method, params);
}
