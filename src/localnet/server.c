/*
 * localnet HTTP server (libmicrohttpd, one thread per connection so a send_tx that waits for
 * its block does not hold up other requests): POST / carries one JSON-RPC request; GET /status
 * and GET /health answer as nearcore's. Bodies over TK_LOCALNET_MAX_BODY are refused with 413
 * before they are buffered; only loopback and explicitly configured addresses are bound.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "internal.h"

typedef struct {
    tk_bytes body;
    int too_big;
} upload;

static enum MHD_Result respond(struct MHD_Connection *conn, unsigned status, char *body)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    enum MHD_Result ret;
    if (r == NULL) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result rpc_and_respond(tk_localnet *ln, struct MHD_Connection *conn,
                                       const char *body, size_t len)
{
    char *out = NULL;
    int status = 200;
    if (tk_localnet_rpc(ln, &out, &status, body, len) != TK_OK) {
        return MHD_NO;
    }
    return respond(conn, (unsigned)status, out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    tk_localnet *ln = cls;
    upload *u = *con_cls;
    (void)version;
    if (u == NULL) {
        u = calloc(1, sizeof *u);
        if (u == NULL) {
            return MHD_NO;
        }
        u->body.max = TK_LOCALNET_MAX_BODY;
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!u->too_big && tk_bytes_append(&u->body, upload_data, *upload_size) != TK_OK) {
            u->too_big = 1;
            tk_bytes_free(&u->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "GET") == 0 &&
        (strcmp(url, "/status") == 0 || strcmp(url, "/health") == 0)) {
        char req[64];
        snprintf(req, sizeof req, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"%s\"}", url + 1);
        return rpc_and_respond(ln, conn, req, strlen(req));
    }
    if (strcmp(method, "POST") != 0 || strcmp(url, "/") != 0) {
        char *msg = strdup("{\"error\":\"POST JSON-RPC requests to /\"}");
        return msg ? respond(conn, 404, msg) : MHD_NO;
    }
    if (u->too_big) {
        char *msg = NULL;
        int status = 413;
        if (tk_localnet_rpc(ln, &msg, &status, NULL, (size_t)TK_LOCALNET_MAX_BODY + 1) != TK_OK) {
            return MHD_NO;
        }
        return respond(conn, 413, msg);
    }
    return rpc_and_respond(ln, conn, u->body.data ? (const char *)u->body.data : "", u->body.len);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    upload *u = *con_cls;
    (void)cls;
    (void)conn;
    (void)toe;
    if (u != NULL) {
        tk_bytes_free(&u->body);
        free(u);
        *con_cls = NULL;
    }
}

int ln_http_start(tk_localnet *ln, char *url, size_t url_cap)
{
    struct sockaddr_in addr;
    char host[64];
    const char *colon = strrchr(ln->rpc_addr, ':');
    const union MHD_DaemonInfo *info;
    unsigned long port;
    char *end = NULL;
    struct MHD_Daemon *d;
    if (colon == NULL || (size_t)(colon - ln->rpc_addr) >= sizeof host) {
        return tk_fail(TK_ERR_ARG, "localnet: rpc address must be IPv4:port, not %s", ln->rpc_addr);
    }
    memcpy(host, ln->rpc_addr, (size_t)(colon - ln->rpc_addr));
    host[colon - ln->rpc_addr] = 0;
    port = strtoul(colon + 1, &end, 10);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    if (end == colon + 1 || *end != 0 || port > 65535 ||
        inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        return tk_fail(TK_ERR_ARG, "localnet: rpc address must be IPv4:port, not %s", ln->rpc_addr);
    }
    addr.sin_port = htons((uint16_t)port);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL,
                         NULL, on_request, ln, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
                         (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
    if (d == NULL) {
        return tk_fail(TK_ERR_IO, "localnet: cannot listen on %s (in use?)", ln->rpc_addr);
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(url, url_cap, "http://%s:%u", host, info ? (unsigned)info->port : (unsigned)port);
    if (info != NULL) {
        snprintf(ln->rpc_addr, sizeof ln->rpc_addr, "%s:%u", host, (unsigned)info->port);
    }
    ln->http = d;
    return TK_OK;
}

void ln_http_stop(tk_localnet *ln)
{
    if (ln->http != NULL) {
        MHD_stop_daemon(ln->http);
        ln->http = NULL;
    }
}
