/*
 * dstack guest-agent client: HTTP over the agent's unix socket with libcurl. Responses may
 * carry secrets (GetKey), so the receive buffer is wiped on free and the key never leaves the
 * caller's buffer. Error details quote the agent's error text, never a response body that
 * could hold key material.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "teekeys/dstack.h"
#include "teekeys/encoding.h"

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    return tk_bytes_append(userdata, ptr, size * nmemb) == TK_OK ? size * nmemb : 0;
}

void tk_dstack_free(char *response, size_t response_len)
{
    if (response != NULL) {
        tk_wipe(response, response_len);
        free(response);
    }
}

/* Copies the agent's {"error": "..."} text, if any, into msg. */
static void agent_error(char *msg, size_t cap, const char *body)
{
    json_t *doc = json_loads(body, 0, NULL);
    const char *e = json_string_value(json_object_get(doc, "error"));
    snprintf(msg, cap, "%s", e ? e : "no error text");
    json_decref(doc);
}

int tk_dstack_call(char **response, size_t *response_len, const char *socket_path,
                   const char *method, const char *json_body)
{
    char url[128], errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = NULL;
    tk_bytes buf = {.max = TK_DSTACK_RESPONSE_MAX};
    long status = 0;
    CURL *curl;
    CURLcode cc;
    int rc = TK_OK;

    if (response == NULL || response_len == NULL || method == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_dstack_call: NULL argument");
    }
    *response = NULL;
    *response_len = 0;
    if (socket_path == NULL) {
        socket_path = TK_DSTACK_SOCKET_DEFAULT;
    }
    if (snprintf(url, sizeof url, "http://localhost/%s", method) >= (int)sizeof url) {
        return tk_fail(TK_ERR_ARG, "dstack method name too long");
    }
    curl = curl_easy_init();
    if (curl == NULL) {
        return tk_fail(TK_ERR_NOMEM, "libcurl initialisation failed");
    }
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, socket_path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
    if (json_body != NULL) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body);
    }
    cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc == CURLE_WRITE_ERROR) {
        rc = tk_fail(TK_ERR_IO, "dstack %s: response larger than %u bytes", method,
                     TK_DSTACK_RESPONSE_MAX);
    } else if (cc != CURLE_OK) {
        rc = tk_fail(TK_ERR_IO, "dstack agent at %s unreachable (%s): %s", socket_path, method,
                     errbuf[0] ? errbuf : curl_easy_strerror(cc));
    } else if (status != 200) {
        char msg[200];
        agent_error(msg, sizeof msg, buf.data ? (const char *)buf.data : "");
        rc = tk_fail(TK_ERR_IO, "dstack %s failed with HTTP %ld: %s", method, status, msg);
    } else if (buf.data == NULL) {
        rc = tk_fail(TK_ERR_IO, "dstack %s returned an empty body", method);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != TK_OK) {
        tk_bytes_free(&buf);
        return rc;
    }
    *response = (char *)buf.data;
    *response_len = buf.cap; /* the whole allocation, so tk_dstack_free wipes all of it */
    return TK_OK;
}

int tk_dstack_get_key(unsigned char *key, size_t key_cap, size_t *key_len, const char *socket_path,
                      const char *path, const char *purpose)
{
    json_t *req = NULL, *doc = NULL;
    char *body = NULL, *resp = NULL;
    size_t resp_len = 0;
    const char *hex;
    int rc;

    if (key == NULL || key_len == NULL || path == NULL || purpose == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_dstack_get_key: NULL argument");
    }
    *key_len = 0;
    req = json_pack("{s:s, s:s}", "path", path, "purpose", purpose);
    body = req ? json_dumps(req, JSON_COMPACT) : NULL;
    if (body == NULL) {
        rc = tk_fail(TK_ERR_NOMEM, "cannot build the GetKey request");
        goto cleanup;
    }
    if ((rc = tk_dstack_call(&resp, &resp_len, socket_path, "GetKey", body)) != TK_OK) {
        goto cleanup;
    }
    doc = json_loads(resp, 0, NULL);
    hex = json_string_value(json_object_get(doc, "key"));
    if (hex == NULL) {
        rc = tk_fail(TK_ERR_INPUT, "dstack GetKey response has no \"key\" string");
        goto cleanup;
    }
    rc = tk_hex_decode(key, key_cap, key_len, hex, strlen(hex));
    if (rc != TK_OK) {
        rc = tk_fail(TK_ERR_INPUT, "dstack GetKey returned a key that is not hex or too long");
    } else if (*key_len < 32) {
        rc = tk_fail(TK_ERR_INPUT, "dstack GetKey returned a %zu-byte key, expected 32", *key_len);
    }
cleanup:
    if (doc != NULL) {
        const char *s = json_string_value(json_object_get(doc, "key"));
        if (s != NULL) {
            tk_wipe((char *)s, strlen(s));
        }
        json_decref(doc);
    }
    if (rc != TK_OK) {
        tk_wipe(key, key_cap);
        *key_len = 0;
    }
    tk_dstack_free(resp, resp_len);
    free(body);
    json_decref(req);
    return rc;
}
