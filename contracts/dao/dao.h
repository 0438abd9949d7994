/*
 * DAO contract internals shared by its methods (dao.c: init, configuration, proposals, votes,
 * measurements; dao_workers.c: worker registration through the verifier, request_key,
 * register_binding, expiry and pruning), its argument parsers (dao_args.c), the fuzzer and the
 * tests. Parsers return NULL on success or a message for the caller to panic with; they never
 * panic themselves (except when the arena runs out of memory), so they can be fuzzed natively.
 */
#ifndef DAO_H
#define DAO_H

#include "near_util.h"

#define DAO_STANDARD "teekeys-dao"
#define DAO_VERSION  "1.0.0"

#define DAO_MEMBERS_MAX      64
#define DAO_NOTE_MAX         1024 /* bytes of a proposal note */
#define DAO_DEV_ROOT_MAX     4096 /* bytes of DER */
#define DAO_WORKERS_MAX      128  /* registered workers at a time (one event lists removals) */
#define DAO_MEASUREMENTS_MAX 128  /* approved measurement sets at a time */
#define DAO_NS_PER_S         1000000000ull
#define DAO_TGAS             1000000000000ull

#define DAO_DEFAULT_TTL_NS       (7ull * 86400ull * DAO_NS_PER_S) /* 7 days (DESIGN 2.3) */
#define DAO_MIN_TTL_NS           (60ull * DAO_NS_PER_S)
#define DAO_MAX_TTL_NS           (366ull * 86400ull * DAO_NS_PER_S)
#define DAO_DEFAULT_BLOCK_WINDOW 600u /* blocks (DESIGN 2.3) */
#define DAO_MAX_BLOCK_WINDOW     100000u

/* A worker pays for its record, its entry in the set of keys ever seen and its access key
 * (DAO_WORKER_STORAGE_BYTES at NEAR's 10^19 yoctoNEAR per byte), and for the fixed allowance of
 * that function-call key, which the DAO account spends when the worker calls request_key or
 * register_binding. */
#define DAO_WORKER_STORAGE_BYTES 2000u
#define DAO_WORKER_ALLOWANCE                                                                       \
    ((unsigned __int128)250000000000ull * 1000000000000ull) /* 0.25 NEAR                           \
                                                             */
#define DAO_WORKER_DEPOSIT                                                                         \
    (DAO_WORKER_ALLOWANCE + (unsigned __int128)DAO_WORKER_STORAGE_BYTES * NEAR_STORAGE_BYTE_COST)
#define DAO_WORKER_METHODS "request_key,register_binding"

/* Gas: the verifier gets what is left after the callback's share; the MPC contract at least
 * 15 Tgas (its default) and here at least DAO_MPC_MIN_GAS plus what is left. */
#define DAO_VERIFY_MIN_GAS  (20ull * DAO_TGAS)
#define DAO_CALLBACK_GAS    (20ull * DAO_TGAS)
#define DAO_MPC_MIN_GAS     (30ull * DAO_TGAS)
#define DAO_CHAIN_KEYS_GAS  (15ull * DAO_TGAS)
#define DAO_PRUNE_DEFAULT   20u
#define DAO_PRUNE_MAX       100u
#define DAO_PROPOSALS_LIMIT 100u

#define DAO_PATH_SHARED  "teekeys/master/v1"
#define DAO_PATH_SUFFIX  ":keystore"
#define DAO_REGISTER_TAG "teekeys/register/v1"

#define DAO_BLS_G1_LEN 48
#define DAO_BLS_G2_LEN 96

typedef enum { DAO_MODE_SHARED = 1, DAO_MODE_DEDICATED = 2 } dao_mode;

/* A full measurement set: MRTD, RTMR0..3, 48 bytes each, in that order. */
typedef struct {
    uint8_t reg[5][48];
} dao_measurements;

extern const char *const dao_register_names[5]; /* "mrtd", "rtmr0", ... */

/* ---- configuration (stored under "c" as JSON) ---- */
typedef struct {
    const char **members;
    size_t n_members;
    uint64_t threshold;
    const char *mpc_account_id;
    uint64_t domain_id;
    const char *chain_keys_account_id;
    const char *verifier_account_id;
    int dev_mode;
    const uint8_t *dev_root; /* DER, dev_mode only */
    size_t dev_root_len;
    uint64_t worker_ttl_ns;
    uint64_t block_window;
} dao_init_args;

/* new({members, threshold, mpc_account_id, domain_id, chain_keys_account_id,
 * verifier_account_id, dev_mode?, dev_root?, worker_ttl_ns?, block_window?}) */
const char *dao_parse_init(dao_init_args *out, const near_json *doc);
extern const char *const dao_init_members[]; /* the names new accepts, NULL-terminated */

/* ---- proposals ---- */
typedef enum {
    DAO_ADD_MEASUREMENT = 1,
    DAO_REMOVE_MEASUREMENT,
    DAO_ADD_MEMBER,
    DAO_REMOVE_MEMBER,
    DAO_SET_THRESHOLD,
    DAO_UPGRADE
} dao_kind;

typedef struct {
    dao_kind kind;
    dao_measurements m;         /* add/remove_measurement */
    dao_mode mode;              /* add_measurement */
    const char *owner;          /* add_measurement, dedicated only */
    const char *member_id;      /* add/remove_member */
    uint64_t threshold;         /* set_threshold */
    int has_code_hash;          /* upgrade */
    uint8_t code_hash[32];      /* upgrade: SHA-256 of the new code */
    const char *mpc_account_id; /* upgrade: NULL keeps it */
    int has_domain_id;
    uint64_t domain_id;
    const char *note; /* "" when absent */
    const char *json; /* the proposal's fields, canonical compact JSON (kind first) */
} dao_proposal_args;

const char *dao_kind_name(dao_kind kind);
const char *dao_mode_name(dao_mode mode);
/* propose({kind, ...}): the kind's members only (docs/contracts.md). */
const char *dao_parse_proposal(dao_proposal_args *out, const near_json *doc);

/* vote({proposal_id, approve}) */
const char *dao_parse_vote(uint64_t *proposal_id, int *approve, const near_json *doc);

/* {mrtd, rtmr0, rtmr1, rtmr2, rtmr3}: 96 hex digits each (lowercase), nothing else. */
const char *dao_parse_measurements(dao_measurements *out, const near_json *v);
/* Writes the set as {"mrtd":"..",...} (lowercase hex). */
void dao_write_measurements(near_buf *b, const dao_measurements *m);
/* SHA-256 of the 240 bytes: the set's storage id. */
void dao_measurement_id(uint8_t id[32], const dao_measurements *m);

/* ---- workers ---- */
typedef struct {
    uint8_t pk1[DAO_BLS_G1_LEN]; /* compress48(a·G1) */
    uint8_t pk2[DAO_BLS_G2_LEN]; /* compress96(a·G2) */
} dao_app_key;

/* {pk1: "bls12381g1:<base58 48 bytes>", pk2: "bls12381g2:<base58 96 bytes>"} */
const char *dao_parse_app_key_pv(dao_app_key *out, const near_json *v);
/* SHA-256(pk1 || pk2) */
void dao_app_key_hash(uint8_t out[32], const dao_app_key *k);
/* report_data[32..64] of a registration quote (DESIGN 2.3). */
void dao_register_binding(uint8_t out[32], const char *dao_account_id, uint64_t block_height,
                          const dao_app_key *k);

typedef struct {
    uint8_t public_key[32]; /* ed25519 */
    const char *public_key_str;
    const char *quote_hex;
    const near_json *collateral;
    uint64_t block_height;
    dao_app_key app;
} dao_register_args;

/* register_worker_key({public_key, quote_hex, collateral, block_height, app_public_key}) */
const char *dao_parse_register(dao_register_args *out, const near_json *doc);

/* request_key({app_public_key}): only the PV form {"AppPublicKeyPV":{"pk1","pk2"}}. */
const char *dao_parse_request_key(dao_app_key *out, const near_json *doc);

typedef struct {
    const char *account_id;
    const char *json; /* the arguments re-serialised for chain-keys, without tee_attestation */
} dao_binding_args;

/* register_binding({account_id, family, path?, network?, public_key}): types and the account
 * id are checked here; chain-keys checks the rest. */
const char *dao_parse_binding(dao_binding_args *out, const near_json *doc);

/* The verifier's answer as the DAO reads it. */
typedef struct {
    int accepted;
    const char *status; /* NULL when the checks did not pass */
    const char *root;   /* "intel", "dev" or "none" */
    int has_dev_root_hash;
    uint8_t dev_root_hash[32];
    dao_measurements m;
    uint8_t report_data[64];
    const char *reason; /* NULL when accepted */
} dao_verdict;

const char *dao_parse_verdict(dao_verdict *out, const uint8_t *json, size_t len);

/* The derivation path of DESIGN 2.3 for a worker's mode and owner. */
const char *dao_derivation_path(dao_mode mode, const char *owner);

/* ---- shared state helpers (dao.c) ---- */
typedef struct {
    uint64_t threshold;
    const char *mpc_account_id;
    uint64_t domain_id;
    const char *chain_keys_account_id;
    const char *verifier_account_id;
    int dev_mode;
    const char *dev_root_hex; /* NULL unless dev_mode */
    uint64_t worker_ttl_ns;
    uint64_t block_window;
    uint64_t next_proposal_id;
    int has_pending_upgrade;
    uint8_t pending_upgrade[32];
} dao_config;

void dao_config_read(dao_config *c); /* panics when not initialised */
void dao_config_write(const dao_config *c);
void dao_emit(const char *event, const char *data, size_t len);
/* The approved measurement sets: id -> record (JSON), iterable (dao.c). */
extern const near_map dao_measurement_sets;
/* Removes the workers attested with the measurement set `id` (all of them when id is NULL and
 * only_expired is set: those whose expires_at <= now), deleting their access keys; emits one
 * worker_removed event. Returns how many were removed (at most `limit`). */
size_t dao_remove_workers(const uint8_t *id, int only_expired, uint64_t now, size_t limit,
                          const char *reason);

#endif
