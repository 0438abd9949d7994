/*
 * near_sdk host wrappers, allocator and byte/string helpers. This file is the only place
 * where pointers become the host's u64 arguments and back. A contract that runs out of memory
 * or receives a malformed register panics with a message; it never continues on bad state.
 */
#include "near_sdk.h"
#include "near_host.h"

#define REG 0 /* the scratch register every wrapper uses */

static near_u64 ptr64(const void *p)
{
    return (near_u64)(uintptr_t)p;
}

/* ---- allocator ---- */
#ifdef NEAR_NATIVE
#include <stdlib.h>
typedef struct arena_block {
    struct arena_block *next;
} arena_block;
static arena_block *arena;

void *near_alloc(size_t size)
{
    arena_block *b = malloc(sizeof(arena_block) + size + 1);
    if (b == NULL) {
        near_panic("out of memory");
    }
    b->next = arena;
    arena = b;
    return (unsigned char *)(b + 1);
}

void near_arena_reset(void)
{
    while (arena != NULL) {
        arena_block *next = arena->next;
        free(arena);
        arena = next;
    }
}
#else
extern unsigned char __heap_base;
static uintptr_t heap_top;

void *near_alloc(size_t size)
{
    uintptr_t p, end, have;
    if (heap_top == 0) {
        heap_top = (uintptr_t)&__heap_base;
    }
    p = (heap_top + 15) & ~(uintptr_t)15;
    end = p + size;
    if (end < p) {
        near_panic("out of memory");
    }
    have = __builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        size_t pages = (end - have + 65535) / 65536;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) {
            near_panic("out of memory");
        }
    }
    heap_top = end;
    return (void *)p;
}

void near_arena_reset(void)
{
}
#endif

/* ---- registers ---- */
static uint8_t *read_reg(size_t *len)
{
    near_u64 n = near_host_register_len(REG);
    uint8_t *buf;
    if (n == UINT64_MAX) {
        near_panic("register is empty");
    }
    buf = near_alloc((size_t)n + 1);
    near_host_read_register(REG, ptr64(buf));
    buf[n] = 0;
    if (len != NULL) {
        *len = (size_t)n;
    }
    return buf;
}

uint8_t *near_input(size_t *len)
{
    near_host_input(REG);
    return read_reg(len);
}

void near_return(const void *data, size_t len)
{
    near_host_value_return(len, ptr64(data));
}

void near_return_str(const char *s)
{
    near_return(s, near_strlen(s));
}

void near_panic(const char *msg)
{
    near_host_panic_utf8(near_strlen(msg), ptr64(msg));
    __builtin_unreachable();
}

void near_panic_detail(const char *msg, const char *detail)
{
    near_buf b = {0};
    near_buf_puts(&b, msg);
    near_buf_puts(&b, detail);
    near_panic(b.data);
}

void near_log(const char *msg, size_t len)
{
    near_host_log_utf8(len, ptr64(msg));
}

void near_log_str(const char *s)
{
    near_log(s, near_strlen(s));
}

/* ---- environment ---- */
char *near_current_account_id(void)
{
    near_host_current_account_id(REG);
    return (char *)read_reg(NULL);
}

char *near_predecessor_account_id(void)
{
    near_host_predecessor_account_id(REG);
    return (char *)read_reg(NULL);
}

char *near_signer_account_id(void)
{
    near_host_signer_account_id(REG);
    return (char *)read_reg(NULL);
}

uint8_t *near_signer_account_pk(size_t *len)
{
    near_host_signer_account_pk(REG);
    return read_reg(len);
}

uint64_t near_block_index(void)
{
    return near_host_block_index();
}

uint64_t near_block_timestamp(void)
{
    return near_host_block_timestamp();
}

static unsigned __int128 read_u128(void (*fn)(near_u64))
{
    uint8_t le[16];
    unsigned __int128 v = 0;
    int i;
    fn(ptr64(le));
    for (i = 15; i >= 0; i--) {
        v = (v << 8) | le[i];
    }
    return v;
}

unsigned __int128 near_attached_deposit(void)
{
    return read_u128(near_host_attached_deposit);
}

unsigned __int128 near_account_balance(void)
{
    return read_u128(near_host_account_balance);
}

uint64_t near_prepaid_gas(void)
{
    return near_host_prepaid_gas();
}

uint64_t near_used_gas(void)
{
    return near_host_used_gas();
}

/* ---- storage ---- */
int near_storage_write(const void *key, size_t key_len, const void *val, size_t val_len)
{
    return near_host_storage_write(key_len, ptr64(key), val_len, ptr64(val), REG) == 1;
}

uint8_t *near_storage_read(const void *key, size_t key_len, size_t *val_len)
{
    if (near_host_storage_read(key_len, ptr64(key), REG) != 1) {
        return NULL;
    }
    return read_reg(val_len);
}

int near_storage_remove(const void *key, size_t key_len)
{
    return near_host_storage_remove(key_len, ptr64(key), REG) == 1;
}

int near_storage_has(const void *key, size_t key_len)
{
    return near_host_storage_has_key(key_len, ptr64(key)) == 1;
}

uint64_t near_storage_usage(void)
{
    return near_host_storage_usage();
}

/* ---- crypto ---- */
static void copy32(uint8_t out[32])
{
    size_t n;
    uint8_t *r = read_reg(&n);
    if (n != 32) {
        near_panic("hash register is not 32 bytes");
    }
    for (n = 0; n < 32; n++) {
        out[n] = r[n];
    }
}

void near_sha256(uint8_t out[32], const void *data, size_t len)
{
    near_host_sha256(len, ptr64(data), REG);
    copy32(out);
}

void near_keccak256(uint8_t out[32], const void *data, size_t len)
{
    near_host_keccak256(len, ptr64(data), REG);
    copy32(out);
}

int near_ecrecover(uint8_t pub[64], const uint8_t hash[32], const uint8_t sig[64], unsigned v,
                   int malleability_flag)
{
    size_t n, i;
    uint8_t *r;
    if (near_host_ecrecover(32, ptr64(hash), 64, ptr64(sig), v, malleability_flag ? 1 : 0, REG) !=
        1) {
        return 0;
    }
    r = read_reg(&n);
    if (n != 64) {
        near_panic("ecrecover register is not 64 bytes");
    }
    for (i = 0; i < 64; i++) {
        pub[i] = r[i];
    }
    return 1;
}

int near_ed25519_verify(const uint8_t sig[64], const void *msg, size_t msg_len,
                        const uint8_t pub[32])
{
    return near_host_ed25519_verify(64, ptr64(sig), msg_len, ptr64(msg), 32, ptr64(pub)) == 1;
}

/* ---- bytes and strings ---- */
size_t near_strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != 0) {
        n++;
    }
    return n;
}

int near_memeq(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    size_t i;
    for (i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return 0;
        }
    }
    return 1;
}

int near_streq(const char *a, const char *b)
{
    size_t n = near_strlen(a);
    return n == near_strlen(b) && near_memeq(a, b, n);
}

char *near_strndup(const char *s, size_t n)
{
    char *d = near_alloc(n + 1);
    size_t i;
    for (i = 0; i < n; i++) {
        d[i] = s[i];
    }
    d[n] = 0;
    return d;
}

char *near_u128_to_str(unsigned __int128 v)
{
    char tmp[40];
    size_t n = 0, i;
    char *out;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    out = near_alloc(n + 1);
    for (i = 0; i < n; i++) {
        out[i] = tmp[n - 1 - i];
    }
    out[n] = 0;
    return out;
}

char *near_u64_to_str(uint64_t v)
{
    return near_u128_to_str(v);
}

int near_parse_u128(unsigned __int128 *out, const char *s, size_t len)
{
    unsigned __int128 v = 0, max = ~(unsigned __int128)0;
    size_t i;
    if (len == 0 || len > 39 || (len > 1 && s[0] == '0')) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        d = (unsigned)(s[i] - '0');
        if (v > (max - d) / 10) {
            return 0;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

int near_parse_u64(uint64_t *out, const char *s, size_t len)
{
    unsigned __int128 v;
    if (!near_parse_u128(&v, s, len) || v > UINT64_MAX) {
        return 0;
    }
    *out = (uint64_t)v;
    return 1;
}

/* ---- buffer ---- */
void near_buf_put(near_buf *b, const void *data, size_t len)
{
    const char *src = data;
    size_t i;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        char *grown;
        while (cap < b->len + len + 1) {
            cap *= 2;
        }
        grown = near_alloc(cap);
        for (i = 0; i < b->len; i++) {
            grown[i] = b->data[i];
        }
        b->data = grown;
        b->cap = cap;
    }
    for (i = 0; i < len; i++) {
        b->data[b->len + i] = src[i];
    }
    b->len += len;
    b->data[b->len] = 0;
}

void near_buf_puts(near_buf *b, const char *s)
{
    near_buf_put(b, s, near_strlen(s));
}

void near_buf_putc(near_buf *b, char c)
{
    near_buf_put(b, &c, 1);
}
