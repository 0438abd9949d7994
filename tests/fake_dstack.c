/*
 * Test-only fake of the dstack guest agent (see fake_dstack.h). Parses just enough HTTP
 * (request line, Content-Length, body) to answer libcurl like the agent does.
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fake_dstack.h"

struct fake_dstack {
    int fd;
    volatile int stop;
    pthread_t thread;
    fake_dstack_handler handler;
    void *ctx;
    char path[108];
};

static void serve_one(fake_dstack *s, int c)
{
    static char req[1 << 16], out[1 << 20], head[256];
    size_t got = 0, body_len = 0, need;
    char *hdr_end = NULL, *cl, path[128] = "";
    int status;

    while (got < sizeof req - 1) {
        ssize_t n = read(c, req + got, sizeof req - 1 - got);
        if (n <= 0) {
            return;
        }
        got += (size_t)n;
        req[got] = '\0';
        if (hdr_end == NULL && (hdr_end = strstr(req, "\r\n\r\n")) != NULL) {
            cl = strcasestr(req, "Content-Length:");
            body_len = (cl && cl < hdr_end) ? strtoul(cl + 15, NULL, 10) : 0;
        }
        need = hdr_end ? (size_t)(hdr_end + 4 - req) + body_len : SIZE_MAX;
        if (got >= need) {
            break;
        }
    }
    if (hdr_end == NULL || sscanf(req, "%*s %127s", path) != 1) {
        return;
    }
    status = s->handler(path, hdr_end + 4, out, sizeof out, s->ctx);
    snprintf(head, sizeof head,
             "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n",
             status, strlen(out));
    if (write(c, head, strlen(head)) < 0 || write(c, out, strlen(out)) < 0) {
        return;
    }
}

static void *run(void *arg)
{
    fake_dstack *s = arg;
    while (!s->stop) {
        struct pollfd p = {s->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        int c = accept(s->fd, NULL, NULL);
        if (c >= 0) {
            serve_one(s, c);
            close(c);
        }
    }
    return NULL;
}

fake_dstack *fake_dstack_start(const char *socket_path, fake_dstack_handler handler, void *ctx)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    fake_dstack *s = calloc(1, sizeof *s);
    if (s == NULL || strlen(socket_path) >= sizeof addr.sun_path) {
        free(s);
        return NULL;
    }
    strcpy(addr.sun_path, socket_path);
    strcpy(s->path, socket_path);
    unlink(socket_path);
    s->handler = handler;
    s->ctx = ctx;
    s->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->fd, 8) != 0 || pthread_create(&s->thread, NULL, run, s) != 0) {
        if (s->fd >= 0) {
            close(s->fd);
        }
        free(s);
        return NULL;
    }
    return s;
}

void fake_dstack_stop(fake_dstack *s)
{
    if (s == NULL) {
        return;
    }
    s->stop = 1;
    pthread_join(s->thread, NULL);
    close(s->fd);
    unlink(s->path);
    free(s);
}
