/*
 * mpc_signer internals shared by the contract (mpc_signer.c: configuration, CKD requests and
 * responses; ms_dkg.c: the DKG round bookkeeping), its pure helpers (ms_sha3.c: SHA3-256 and
 * NEAR's app_id; ms_args.c: argument parsers), the native unit test and the fuzzer.
 * Parsers check structure, lengths and encodings without calling the host; they return NULL on
 * success or a message for the caller to panic with. Point validation (on the curve, in the
 * subgroup, pairing checks) needs the bls12381 host functions and happens in the methods.
 */
#ifndef MPC_SIGNER_H
#define MPC_SIGNER_H

#include "near_bls.h"
#include "near_util.h"

#define MS_STANDARD "teekeys-mpc-signer"
#define MS_VERSION  "1.0.0"

#define MS_MAX_PARTICIPANTS 32   /* participants of the network and of a DKG round */
#define MS_MAX_DOMAINS      16   /* domains (keys) the contract holds */
#define MS_PATH_MAX         1024 /* bytes of derivation path (teekeys' TK_CKD_PATH_MAX) */
#define MS_PENDING_MAX      1024 /* pending CKD requests at once */
#define MS_DKG_WINDOW                                                                              \
    100 /* blocks after start_dkg before a round may finalize without                              \
           every dealer */
#define MS_MIN_GAS      15000000000000ull /* 15 Tgas: the real contract's default */
#define MS_CALLBACK_GAS 5000000000000ull  /* the yield callback return_ck */
#define MS_TIMEOUT_GAS  2000000000000ull  /* fail_on_timeout, created by the callback */

#define MS_APP_ID_PREFIX "near-mpc v0.1.0 app_id derivation:"
#define MS_DST           "NEAR BLS12381G1_XMD:SHA-256_SSWU_RO_"

/* ---- SHA3-256 and app_id (ms_sha3.c), freestanding ---- */
void ms_sha3_256(uint8_t out[32], const void *data, size_t len);
/* app_id = SHA3-256(MS_APP_ID_PREFIX || predecessor || "," || path) */
void ms_app_id(uint8_t out[32], const char *predecessor, size_t pred_len, const char *path,
               size_t path_len);

/* ---- arguments (ms_args.c) ---- */
/* "bls12381g1:<base58 of 48 bytes>" / "bls12381g2:<base58 of 96 bytes>" with the compression
 * flag set (the point itself is checked later with the host). */
const char *ms_parse_g1(uint8_t out[NEAR_BLS_P1C], const near_json *v, const char *what);
const char *ms_parse_g2(uint8_t out[NEAR_BLS_P2C], const near_json *v, const char *what);
char *ms_g1_string(const uint8_t in[NEAR_BLS_P1C]);
char *ms_g2_string(const uint8_t in[NEAR_BLS_P2C]);
/* a u64 from a JSON number or decimal string, named `what` in the message */
const char *ms_parse_u64(uint64_t *out, const near_json *v, const char *what);

typedef enum { MS_KEY_PLAIN = 1, MS_KEY_TAGGED = 2, MS_KEY_PV = 3 } ms_key_form;

typedef struct {
    ms_key_form form;
    uint8_t pk1[NEAR_BLS_P1C]; /* A = a·G1 */
    uint8_t pk2[NEAR_BLS_P2C]; /* a·G2, PV form only */
    const char *json;          /* the canonical form, compact JSON */
} ms_app_key;

/* The three forms of DESIGN 2.1: "bls12381g1:..", {"AppPublicKey":".."},
 * {"AppPublicKeyPV":{"pk1":"..","pk2":".."}}. */
const char *ms_parse_app_key(ms_app_key *out, const near_json *v);

typedef struct {
    const char *path; /* derivation_path ("" when absent) */
    size_t path_len;
    ms_app_key key;
    uint64_t domain_id;
} ms_request_args;

/* request_app_private_key arguments: {"request":{"derivation_path"?, "app_public_key",
 * "domain_id"}}; the path: at most MS_PATH_MAX bytes, no control characters. */
const char *ms_parse_request(ms_request_args *out, const near_json *doc);

typedef struct {
    int by_data_id; /* 1: data_id given, else request_id */
    uint64_t request_id;
    uint8_t data_id[32];
    uint8_t big_y[NEAR_BLS_P1C], big_c[NEAR_BLS_P1C];
} ms_respond_args;

/* respond_ckd arguments: {"request_id": n | "data_id": "<64 hex>", "response": {"big_y",
 * "big_c"}} (exactly one of request_id and data_id). */
const char *ms_parse_respond(ms_respond_args *out, const near_json *doc);

typedef struct {
    const char *account_id;
    int has_share;
    uint8_t share[NEAR_BLS_P2C]; /* public share, compressed */
} ms_participant;

typedef struct {
    uint64_t domain_id;
    uint8_t pk[NEAR_BLS_P2C];
} ms_domain;

typedef struct {
    size_t n, threshold, domains;
    ms_participant participants[MS_MAX_PARTICIPANTS];
    ms_domain domain[MS_MAX_DOMAINS];
} ms_init_args;

/* new arguments: {"participants":[{account_id, public_share?} | "account_id", ...], "threshold",
 * "domains"?:[{domain_id, public_key}]}: 1..MS_MAX_PARTICIPANTS distinct valid account ids,
 * 1 <= threshold <= n, distinct domain ids; public shares only when domains are given. */
const char *ms_parse_init(ms_init_args *out, const near_json *doc);

typedef struct {
    uint64_t domain_id;
    size_t n, threshold;
    const char *participants[MS_MAX_PARTICIPANTS];
} ms_dkg_start_args;

/* start_dkg arguments: {"domain_id", "participants":["account_id", ...], "threshold"}. */
const char *ms_parse_dkg_start(ms_dkg_start_args *out, const near_json *doc);

/* the participant list as the contract stores it: account ids joined by NUL */
near_buf ms_participants_blob(const char *const *ids, size_t n);
/* splits a stored blob; returns the count (at most MS_MAX_PARTICIPANTS) */
size_t ms_participants_split(const char **ids, const uint8_t *blob, size_t len);
/* index of `account` in ids[0..n), or -1 */
int ms_participant_index(const char *const *ids, size_t n, const char *account);

/* 32-byte little-endian scalar id^k (id <= MS_MAX_PARTICIPANTS, k < MS_MAX_PARTICIPANTS, so
 * the value stays below 2^160) */
void ms_pow_le(uint8_t out[32], unsigned id, unsigned k);

#endif
