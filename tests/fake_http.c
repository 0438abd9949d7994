/* Test-only scripted HTTP server (see fake_http.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include "fake_http.h"

struct fake_http {
    struct MHD_Daemon *daemon;
    fake_http_handler handler;
    void *ctx;
    char url[64];
};

typedef struct {
    char *data;
    size_t len;
} upload;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    fake_http *s = cls;
    upload *u = *con_cls;
    fake_http_response *resp;
    struct MHD_Response *r;
    enum MHD_Result ret;
    (void)version;

    if (u == NULL) {
        u = calloc(1, sizeof *u);
        *con_cls = u;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        u->data = realloc(u->data, u->len + *upload_size + 1);
        memcpy(u->data + u->len, upload_data, *upload_size);
        u->len += *upload_size;
        u->data[u->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    resp = calloc(1, sizeof *resp);
    resp->status = 200;
    s->handler(resp, method, url, u->data ? u->data : "", s->ctx);
    if (resp->delay_ms > 0) {
        struct timespec ts = {resp->delay_ms / 1000, (resp->delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    r = MHD_create_response_from_buffer(strlen(resp->body), resp->body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(r, "Content-Type", "application/json");
    ret = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    free(resp);
    free(u->data);
    free(u);
    *con_cls = NULL;
    return ret;
}

fake_http *fake_http_start(fake_http_handler handler, void *ctx)
{
    fake_http *s = calloc(1, sizeof *s);
    const union MHD_DaemonInfo *info;
    if (s == NULL) {
        return NULL;
    }
    {
    s->handler = handler;
    s->ctx = ctx;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
                                 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
                                 (struct sockaddr *)&addr, MHD_OPTION_END);
    if (s->daemon == NULL) {
        free(s);
        return NULL;
    }
    }
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u", (unsigned)info->port);
    return s;
}

const char *fake_http_url(const fake_http *s)
{
    return s->url;
}

void fake_http_stop(fake_http *s)
{
    if (s != NULL) {
        MHD_stop_daemon(s->daemon);
        free(s);
    }
}
