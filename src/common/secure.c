/*
 * Secret memory, wiping, constant-time comparison, randomness and process hardening.
 * Every secret in teekeys passes through these few functions, so there is one place to
 * audit. Nothing here may log, print or copy secret bytes anywhere else.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <jansson.h>
#include <malloc.h>
#include <secp256k1.h>
#include <sodium.h>

#include "teekeys/common.h"
#include "teekeys/config.h"
#if TK_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#endif

/* jansson may hold secrets (keys in API payloads, agent responses): every JSON allocation is
 * wiped before it is freed. */
static void json_free_wiped(void *ptr)
{
    if (ptr != NULL) {
        sodium_memzero(ptr, malloc_usable_size(ptr));
        free(ptr);
    }
}

int tk_init(void)
{
    if (sodium_init() < 0) {
        return tk_fail(TK_ERR_INTERNAL, "libsodium failed to initialise");
    }
    json_set_alloc_funcs(malloc, json_free_wiped);
    return TK_OK;
}

static secp256k1_context *secp_ctx;
static pthread_once_t secp_once = PTHREAD_ONCE_INIT;

static void secp_create(void)
{
    unsigned char seed[32];
    secp_ctx = secp256k1_context_create(SECP256K1_CONTEXT_SIGN | SECP256K1_CONTEXT_VERIFY);
    if (secp_ctx == NULL || sodium_init() < 0) {
        abort();
    }
    randombytes_buf(seed, sizeof seed);
    if (!secp256k1_context_randomize(secp_ctx, seed)) {
        abort();
    }
    sodium_memzero(seed, sizeof seed);
}

const secp256k1_context *tk_secp256k1_ctx(void)
{
    pthread_once(&secp_once, secp_create);
    return secp_ctx;
}

int tk_harden_process(void)
{
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) {
        return tk_fail(TK_ERR_INTERNAL, "cannot disable core dumps (RLIMIT_CORE)");
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return tk_fail(TK_ERR_INTERNAL, "cannot clear the dumpable flag (PR_SET_DUMPABLE)");
    }
    return TK_OK;
}

void *tk_secure_alloc(size_t len)
{
    return sodium_malloc(len);
}

void tk_secure_free(void *ptr)
{
    sodium_free(ptr);
}

void tk_wipe(void *ptr, size_t len)
{
    if (ptr != NULL) {
        sodium_memzero(ptr, len);
    }
}

int tk_ct_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

int tk_bytes_append(tk_bytes *b, const void *data, size_t n)
{
    if (b == NULL || (data == NULL && n > 0)) {
        return tk_fail(TK_ERR_ARG, "tk_bytes_append: NULL argument");
    }
    if (n > SIZE_MAX - b->len - 1 || (b->max != 0 && b->len + n > b->max)) {
        return tk_fail(TK_ERR_RANGE, "data larger than %zu bytes", b->max);
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        unsigned char *grown;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        grown = malloc(cap);
        if (grown == NULL) {
            return tk_fail(TK_ERR_NOMEM, "out of memory");
        }
        if (b->data != NULL) {
            memcpy(grown, b->data, b->len);
            sodium_memzero(b->data, b->cap);
            free(b->data);
        }
        b->data = grown;
        b->cap = cap;
    }
    if (n > 0) {
        memcpy(b->data + b->len, data, n);
    }
    b->len += n;
    b->data[b->len] = '\0';
    return TK_OK;
}

void tk_bytes_free(tk_bytes *b)
{
    if (b != NULL) {
        if (b->data != NULL) {
            sodium_memzero(b->data, b->cap);
            free(b->data);
        }
        b->data = NULL;
        b->len = b->cap = 0;
    }
}

void tk_declassify(const void *ptr, size_t len)
{
#if TK_HAVE_VALGRIND
    (void)VALGRIND_MAKE_MEM_DEFINED(ptr, len);
#else
    (void)ptr;
    (void)len;
#endif
}

void tk_random(unsigned char *out, size_t len)
{
    randombytes_buf(out, len);
}
