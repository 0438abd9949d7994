/*
 * Weak NEAR host functions that abort: linked into native programs that call contract code
 * without a runtime (unit tests of pure contract helpers, fuzzers). A program defines the few
 * host functions its code path needs; every other one stays this stub, so an unexpected host
 * call stops the program instead of passing silently.
 */
#include <stdlib.h>

#include "near_host.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"
#define NEAR_STUB(name, ret, params)                                                               \
    __attribute__((weak)) NEAR_RET_##ret near_host_##name params                                   \
    {                                                                                              \
        abort();                                                                                   \
    }
NEAR_HOST_FUNCTIONS(NEAR_STUB)
