/*
 * Whole-file reads with size limits and permission checks, and atomic writes
 * (temporary file + fsync + rename + directory fsync) so that a crash never leaves a
 * partially written key file behind. Secret reads go into caller-provided guarded buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "teekeys/common.h"

static int open_checked(int *fd_out, struct stat *st, const char *path, unsigned flags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return tk_fail(errno == ENOENT ? TK_ERR_NOT_FOUND : TK_ERR_IO, "cannot open %s: %s", path,
                       strerror(errno));
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return tk_fail(TK_ERR_IO, "%s is not a regular file", path);
    }
    if ((flags & TK_FILE_PRIVATE) && (st->st_mode & (S_IRWXG | S_IRWXO))) {
        close(fd);
        return tk_fail(TK_ERR_PERM,
                       "%s is accessible by group or others (mode %03o); run chmod 600 on it", path,
                       (unsigned)(st->st_mode & 0777));
    }
    *fd_out = fd;
    return TK_OK;
}

/* Reads up to cap bytes; fails with TK_ERR_RANGE if the file holds more. */
static int read_all(int fd, unsigned char *buf, size_t cap, size_t *len, const char *path)
{
    size_t got = 0;
    for (;;) {
        unsigned char probe;
        unsigned char *dst = got < cap ? buf + got : &probe;
        size_t want = got < cap ? cap - got : 1;
        ssize_t n = read(fd, dst, want);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return tk_fail(TK_ERR_IO, "cannot read %s: %s", path, strerror(errno));
        }
        if (n == 0) {
            break;
        }
        if (got >= cap) {
            return tk_fail(TK_ERR_RANGE, "%s is larger than %zu bytes", path, cap);
        }
        got += (size_t)n;
    }
    *len = got;
    return TK_OK;
}

int tk_file_read(unsigned char **out, size_t *out_len, const char *path, size_t max_len,
                 unsigned flags)
{
    int fd = -1, rc;
    struct stat st;
    unsigned char *buf;

    if (out == NULL || out_len == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_file_read: NULL argument");
    }
    *out = NULL;
    *out_len = 0;
    if ((rc = open_checked(&fd, &st, path, flags)) != TK_OK) {
        return rc;
    }
    if ((size_t)st.st_size > max_len) {
        close(fd);
        return tk_fail(TK_ERR_RANGE, "%s is larger than %zu bytes", path, max_len);
    }
    buf = malloc(max_len + 1);
    if (buf == NULL) {
        close(fd);
        return tk_fail(TK_ERR_NOMEM, "out of memory reading %s", path);
    }
    rc = read_all(fd, buf, max_len, out_len, path);
    close(fd);
    if (rc != TK_OK) {
        free(buf);
        return rc;
    }
    buf[*out_len] = '\0';
    *out = buf;
    return TK_OK;
}

int tk_file_read_into(unsigned char *out, size_t out_cap, size_t *out_len, const char *path,
                      unsigned flags)
{
    int fd = -1, rc;
    struct stat st;

    if (out == NULL || out_len == NULL || path == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_file_read_into: NULL argument");
    }
    *out_len = 0;
    if ((rc = open_checked(&fd, &st, path, flags)) != TK_OK) {
        return rc;
    }
    rc = read_all(fd, out, out_cap, out_len, path);
    close(fd);
    if (rc != TK_OK) {
        tk_wipe(out, out_cap);
        *out_len = 0;
    }
    return rc;
}

static int write_fully(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int tk_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int exclusive)
{
    char tmp[4096], dir[4096];
    int fd, dfd, rc = TK_OK;

    if (path == NULL || (data == NULL && len > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_file_write_atomic: NULL argument");
    }
    if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp ||
        snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
        return tk_fail(TK_ERR_RANGE, "path too long: %s", path);
    }
    if (exclusive && access(path, F_OK) == 0) {
        return tk_fail(TK_ERR_PERM, "%s already exists; refusing to overwrite it", path);
    }
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        return tk_fail(TK_ERR_IO, "cannot create a file next to %s: %s", path, strerror(errno));
    }
    if (fchmod(fd, mode) != 0 || write_fully(fd, data, len) != 0 || fsync(fd) != 0) {
        rc = tk_fail(TK_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        return rc;
    }
    if (close(fd) != 0) {
        rc = tk_fail(TK_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return rc;
    }
    if (exclusive) {
        /* link() fails if the target appeared meanwhile: no silent replacement. */
        if (link(tmp, path) != 0) {
            rc = tk_fail(errno == EEXIST ? TK_ERR_PERM : TK_ERR_IO, "cannot create %s: %s", path,
                         strerror(errno));
        }
        unlink(tmp);
    } else if (rename(tmp, path) != 0) {
        rc = tk_fail(TK_ERR_IO, "cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    if (rc != TK_OK) {
        return rc;
    }
    dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return TK_OK;
}
