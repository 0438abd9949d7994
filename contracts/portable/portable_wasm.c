/*
 * Test-only wasm wrapper of the portable crypto (src/portable): exports a scratch buffer and
 * thin entry points so tests/oracle/portable_wasm.mjs can check the wasm32 build against
 * @noble/curves and @noble/hashes in Node's engine. Never deployed.
 */
#include "teekeys/portable.h"

static unsigned char scratch[65536];

__attribute__((export_name("buffer"))) unsigned char *buffer(void);
__attribute__((export_name("buffer"))) unsigned char *buffer(void)
{
    return scratch;
}

/* sig at 0, digest at 64, pub at 96 */
__attribute__((export_name("p256_verify"))) int p256_verify(void);
__attribute__((export_name("p256_verify"))) int p256_verify(void)
{
    return tk_pc_p256_verify_var(scratch, scratch + 64, scratch + 96);
}

/* hashes scratch[256 .. 256+len) into scratch[0..) */
__attribute__((export_name("sha256"))) void sha256(unsigned long len);
__attribute__((export_name("sha256"))) void sha256(unsigned long len)
{
    tk_pc_sha256(scratch, scratch + 256, len);
}

__attribute__((export_name("sha384"))) void sha384(unsigned long len);
__attribute__((export_name("sha384"))) void sha384(unsigned long len)
{
    tk_pc_sha384(scratch, scratch + 256, len);
}
