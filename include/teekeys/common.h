/*
 * teekeys common: the project-wide return convention, error details, secret memory,
 * process hardening and careful file I/O.
 *
 * Conventions used by every public function in include/teekeys/:
 *  - Return value: TK_OK (0) on success, a negative tk_status on failure. Functions that
 *    fail also record a one-line, human-readable detail (tk_errmsg()) that never contains
 *    key material.
 *  - Argument order: context (if any), then outputs, then inputs; every buffer is followed
 *    by its length (for outputs: its capacity, then a size_t* for the bytes written, when
 *    the size varies); flags come last.
 *  - Functions whose name ends in _var are variable-time and must only see public data.
 *    Everything else is constant-time in its secret inputs.
 *  - Secrets live in memory from tk_secure_alloc() or are wiped with tk_wipe() on every
 *    exit path.
 */
#ifndef TEEKEYS_COMMON_H
#define TEEKEYS_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TK_MUST_CHECK   __attribute__((warn_unused_result))
#define TK_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Status codes. Keep tk_strerror() in src/common/error.c in step with this list. */
typedef enum {
    TK_OK = 0,
    TK_ERR_ARG = -1,         /* API misuse: NULL pointer, impossible size */
    TK_ERR_INPUT = -2,       /* malformed input (encoding, syntax, length) */
    TK_ERR_RANGE = -3,       /* well-formed but out of range / not allowed */
    TK_ERR_CRYPTO = -4,      /* a signature, tag or proof did not verify */
    TK_ERR_IO = -5,          /* file, socket or network failure */
    TK_ERR_NOMEM = -6,       /* allocation failed */
    TK_ERR_NOT_FOUND = -7,   /* a named thing does not exist */
    TK_ERR_UNSUPPORTED = -8, /* a version or feature this build does not handle */
    TK_ERR_PERM = -9,        /* unsafe permissions or a forbidden operation */
    TK_ERR_INTERNAL = -10,   /* a library below us failed unexpectedly */
    TK_ERR_BUFFER = -11      /* the caller's output buffer is too small */
} tk_status;

/* Returns: a static, generic description of a status code. */
const char *tk_strerror(int status);

/* Records a detail message for the current thread and returns `status` unchanged, so that
 * failures read `return tk_fail(TK_ERR_INPUT, "bad hex at offset %zu", i);`.
 * The message must never contain secret material. */
int tk_fail(int status, const char *fmt, ...) TK_PRINTF(2, 3);

/* Returns: the detail recorded by the last tk_fail() on this thread, or "" if none. */
const char *tk_errmsg(void);

/* Clears the current thread's detail message. */
void tk_error_clear(void);

/* Initialises libsodium and makes jansson wipe every JSON allocation before freeing it.
 * Call once at start-up, before any other teekeys function and before any thread starts.
 * Returns TK_OK or TK_ERR_INTERNAL. */
int tk_init(void) TK_MUST_CHECK;

/* The process-wide libsecp256k1 context (signing and verification), created and randomised
 * on first use, thread-safe. Declared with the library's struct tag so this header does not
 * need secp256k1.h. Never NULL (aborts if libsecp256k1 cannot allocate it). */
struct secp256k1_context_struct;
const struct secp256k1_context_struct *tk_secp256k1_ctx(void);

/* Disables core dumps and ptrace-style memory reads by unprivileged processes
 * (prctl(PR_SET_DUMPABLE, 0), RLIMIT_CORE = 0). Returns TK_OK or TK_ERR_INTERNAL. */
int tk_harden_process(void) TK_MUST_CHECK;

/* Guarded memory for secrets (libsodium sodium_malloc: guard pages, mlock, no dump).
 * Returns NULL when out of memory. tk_secure_free() wipes before unmapping; NULL is a no-op. */
void *tk_secure_alloc(size_t len);
void tk_secure_free(void *ptr);

/* Wipes `len` bytes at `ptr` in a way the compiler cannot elide. */
void tk_wipe(void *ptr, size_t len);

/* Returns: 1 if the `len` bytes at a and b are equal, 0 otherwise, in time independent of
 * the contents. */
int tk_ct_equal(const void *a, const void *b, size_t len);

/* Marks `len` bytes derived from secrets as public by design (a public key, whether an input
 * was valid) for the valgrind constant-time tests; a no-op outside valgrind. */
void tk_declassify(const void *ptr, size_t len);

/* Fills `out` with `len` bytes from the operating system's CSPRNG (libsodium). */
void tk_random(unsigned char *out, size_t len);

/* A growable byte buffer for data arriving in pieces (HTTP bodies). Growth copies into a new
 * allocation and wipes the old one, and tk_bytes_free wipes, so it may carry secrets.
 * Zero-initialise it and set `max` (0: no limit). The data is always NUL-terminated. */
typedef struct {
    unsigned char *data;
    size_t len, cap, max;
} tk_bytes;

/* Appends n bytes. Returns TK_OK, TK_ERR_RANGE past `max`, or TK_ERR_NOMEM. */
int tk_bytes_append(tk_bytes *b, const void *data, size_t n) TK_MUST_CHECK;

/* Wipes and frees the buffer and resets it to empty (max is kept). */
void tk_bytes_free(tk_bytes *b);

/* File flags. */
#define TK_FILE_PRIVATE 1u /* refuse files that group or others can read or write */

/* Reads a whole file into a newly malloc'd buffer (NUL-terminated for convenience; the NUL
 * is not counted). Refuses files larger than max_len. Not for secrets: use
 * tk_file_read_into() with a guarded buffer for those.
 * Out: *out (free with free()), *out_len. In: path, max_len, flags (TK_FILE_*). */
int tk_file_read(unsigned char **out, size_t *out_len, const char *path, size_t max_len,
                 unsigned flags) TK_MUST_CHECK;

/* Reads a whole file into the caller's buffer (for secrets: a tk_secure_alloc() buffer).
 * Fails with TK_ERR_RANGE if the file does not fit in out_cap bytes; on any failure the
 * buffer is wiped. Out: out[0..out_cap), *out_len. In: path, flags. */
int tk_file_read_into(unsigned char *out, size_t out_cap, size_t *out_len, const char *path,
                      unsigned flags) TK_MUST_CHECK;

/* Writes `data` to `path` atomically: a temporary file in the same directory created with
 * `mode`, fsync, rename over the target, fsync of the directory. Either the old content or
 * the whole new content is visible afterwards, never a partial write.
 * With exclusive != 0 an existing target is refused (TK_ERR_PERM) instead of replaced. */
int tk_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                         int exclusive) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_COMMON_H */
