/*
 * Secret memory, wiping, constant-time comparison, randomness and process hardening.
 * Every secret in teekeys passes through these few functions, so there is one place to
 * audit. Nothing here may log, print or copy secret bytes anywhere else.
 */
#include <sys/prctl.h>
#include <sys/resource.h>

#include <sodium.h>

#include "teekeys/common.h"

int tk_init(void)
{
    if (sodium_init() < 0) {
        return tk_fail(TK_ERR_INTERNAL, "libsodium failed to initialise");
    }
    return TK_OK;
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

void tk_random(unsigned char *out, size_t len)
{
    randombytes_buf(out, len);
}
