/*
 * A process-wide memo for DCAP verification, holding only results that are pure functions of
 * the bytes they are keyed by (SHA-256 of everything the result depends on):
 *   - parsed certificates, keyed by their DER encoding;
 *   - successful checks (a chain verified to a root with given CRLs, an ECDSA signature), each
 *     with the window of verification times in which the same bytes give the same success.
 * Only successes are remembered, so a hit can never turn a failure into an acceptance that the
 * full check would not give; a miss simply runs the full check. Time windows are taken one
 * second inside the validity periods the full check enforces. Thread-safe (one mutex), fixed
 * size (oldest entries are replaced), and switchable off with tk_attest_verify_cache(0).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <openssl/x509.h>

#include "internal.h"
#include "teekeys/hash.h"

#define CERTS 64
#define MEMOS 256

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int enabled = 1;

static struct {
    unsigned char hash[TK_SHA256_LEN];
    X509 *cert;
} certs[CERTS];
static size_t certs_next;

static struct {
    unsigned char key[TK_SHA256_LEN];
    int64_t from, until;
    int used;
} memos[MEMOS];
static size_t memos_next;

void tk_attest_verify_cache(int enable)
{
    pthread_mutex_lock(&lock);
    enabled = enable != 0;
    if (!enabled) {
        for (size_t i = 0; i < CERTS; i++) {
            X509_free(certs[i].cert);
            certs[i].cert = NULL;
        }
        memset(memos, 0, sizeof memos);
        certs_next = memos_next = 0;
    }
    pthread_mutex_unlock(&lock);
}

X509 *tk_attest_cache_cert(const unsigned char *der, size_t len)
{
    unsigned char hash[TK_SHA256_LEN];
    const unsigned char *p = der;
    X509 *x;

    if (len == 0 || len > INT32_MAX) {
        return NULL;
    }
    tk_sha256(hash, der, len);
    pthread_mutex_lock(&lock);
    for (size_t i = 0; enabled && i < CERTS; i++) {
        if (certs[i].cert != NULL && memcmp(certs[i].hash, hash, sizeof hash) == 0) {
            x = X509_up_ref(certs[i].cert) == 1 ? certs[i].cert : NULL;
            pthread_mutex_unlock(&lock);
            return x;
        }
    }
    pthread_mutex_unlock(&lock);

    x = d2i_X509(NULL, &p, (long)len);
    if (x == NULL || p != der + len) {
        X509_free(x);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    if (enabled && X509_up_ref(x) == 1) {
        X509_free(certs[certs_next].cert);
        memcpy(certs[certs_next].hash, hash, sizeof hash);
        certs[certs_next].cert = x;
        certs_next = (certs_next + 1) % CERTS;
    }
    pthread_mutex_unlock(&lock);
    return x;
}

int tk_attest_cache_hit(const unsigned char key[TK_SHA256_LEN], int64_t now)
{
    int hit = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; enabled && i < MEMOS && !hit; i++) {
        hit = memos[i].used && memcmp(memos[i].key, key, TK_SHA256_LEN) == 0 &&
              memos[i].from <= now && now <= memos[i].until;
    }
    pthread_mutex_unlock(&lock);
    return hit;
}

void tk_attest_cache_success(const unsigned char key[TK_SHA256_LEN], int64_t from, int64_t until)
{
    if (from > until) {
        return;
    }
    pthread_mutex_lock(&lock);
    if (enabled) {
        memcpy(memos[memos_next].key, key, TK_SHA256_LEN);
        memos[memos_next].from = from;
        memos[memos_next].until = until;
        memos[memos_next].used = 1;
        memos_next = (memos_next + 1) % MEMOS;
    }
    pthread_mutex_unlock(&lock);
}
