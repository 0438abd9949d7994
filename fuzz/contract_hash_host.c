/*
 * Real sha256 and keccak256 host functions (teekeys' hash module) and register 0 for the
 * contract argument fuzzers whose parsers hash (base58check, EIP-55, the DAO's app key hash and
 * registration binding). Any other register or host call aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "near_host.h"
#include "teekeys/hash.h"

static unsigned char reg[32];
static int reg_set;

near_u64 near_host_register_len(near_u64 id)
{
    return id == 0 && reg_set ? 32 : UINT64_MAX;
}

void near_host_read_register(near_u64 id, near_u64 p)
{
    if (id != 0 || !reg_set) {
        abort();
    }
    memcpy((void *)(uintptr_t)p, reg, 32);
}

void near_host_sha256(near_u64 len, near_u64 p, near_u64 id)
{
    if (id != 0) {
        abort();
    }
    tk_sha256(reg, (const void *)(uintptr_t)p, len);
    reg_set = 1;
}

void near_host_keccak256(near_u64 len, near_u64 p, near_u64 id)
{
    if (id != 0) {
        abort();
    }
    tk_keccak256(reg, (const void *)(uintptr_t)p, len);
    reg_set = 1;
}
