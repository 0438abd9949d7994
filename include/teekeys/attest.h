/*
 * teekeys attest: Intel TDX quotes (v4 and v5, TD report 1.0 and 1.5 bodies), measurement
 * registers (RTMR replay), dstack event logs and the report_data layouts of DESIGN §2.3.
 * DCAP verification of a parsed quote against Intel collateral is in teekeys/attest_verify.h.
 *
 * Everything here handles public data only (quotes, event logs, measurements): the functions
 * are variable-time by design and never see a secret. Parsers are strict and bounds-checked:
 * any malformed input fails with TK_ERR_INPUT / TK_ERR_UNSUPPORTED and a detail naming the
 * field and the reason (tk_errmsg()); they never read outside the caller's buffer.
 */
#ifndef TEEKEYS_ATTEST_H
#define TEEKEYS_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sizes and constants ---- */

#define TK_ATTEST_HEADER_LEN         48  /* quote header (v4 and v5) */
#define TK_ATTEST_TD10_LEN           584 /* TD report 1.0 body */
#define TK_ATTEST_TD15_LEN           648 /* TD report 1.5 body */
#define TK_ATTEST_ENCLAVE_REPORT_LEN 384 /* SGX enclave report (the QE report) */
#define TK_ATTEST_SIG_LEN            64  /* ECDSA P-256 r || s, big-endian */
#define TK_ATTEST_PUBKEY_LEN         64  /* P-256 point x || y, big-endian, no prefix */
#define TK_ATTEST_MR_LEN             48  /* SHA-384 measurement registers */
#define TK_ATTEST_REPORT_DATA_LEN    64
#define TK_ATTEST_MAX_QUOTE_LEN      (1u << 20) /* refuse larger inputs outright */

#define TK_ATTEST_TEE_SGX        0x00000000u
#define TK_ATTEST_TEE_TDX        0x00000081u
#define TK_ATTEST_KEY_ECDSA_P256 2 /* attestation key type */
#define TK_ATTEST_CERT_PCK_CHAIN 5 /* certification data: PEM PCK chain */
#define TK_ATTEST_CERT_QE_REPORT 6 /* certification data: QE report + nested data */
#define TK_ATTEST_BODY_TD10      2 /* v5 body type: TD report 1.0 */
#define TK_ATTEST_BODY_TD15      3 /* v5 body type: TD report 1.5 */

/* td_attributes bits (little-endian u64 as in the TD report). */
#define TK_ATTEST_TDATTR_DEBUG           (1ull << 0)
#define TK_ATTEST_TDATTR_SEPT_VE_DISABLE (1ull << 28)

/* Intel's QE vendor id (939a7233-f79c-4ca9-940a-0db3957f0607). */
extern const unsigned char tk_attest_intel_qe_vendor_id[16];

/* ---- parsed structures ---- */

typedef struct {
    uint16_t version;      /* 4 or 5 */
    uint16_t att_key_type; /* 2 = ECDSA-256 with P-256 */
    uint32_t tee_type;     /* 0x81 = TDX */
    uint16_t qe_svn;       /* reserved in v4/v5 TDX quotes, kept for re-serialisation */
    uint16_t pce_svn;
    unsigned char qe_vendor_id[16];
    unsigned char user_data[20];
} tk_attest_header;

/* TD report body. The 1.5 fields (tee_tcb_svn2, mrservicetd) are zero for a 1.0 body. */
typedef struct {
    uint16_t body_type; /* TK_ATTEST_BODY_TD10 or TK_ATTEST_BODY_TD15 (v4 quotes: TD10) */
    unsigned char tee_tcb_svn[16];
    unsigned char mrseam[48];
    unsigned char mrsignerseam[48];
    unsigned char seam_attributes[8];
    unsigned char td_attributes[8];
    unsigned char xfam[8];
    unsigned char mrtd[48];
    unsigned char mrconfigid[48];
    unsigned char mrowner[48];
    unsigned char mrownerconfig[48];
    unsigned char rtmr[4][48];
    unsigned char report_data[64];
    unsigned char tee_tcb_svn2[16];
    unsigned char mrservicetd[48];
} tk_attest_td_report;

/* SGX enclave report (here: the quoting enclave's report). */
typedef struct {
    unsigned char raw[TK_ATTEST_ENCLAVE_REPORT_LEN]; /* exactly the signed bytes */
    unsigned char cpusvn[16];
    uint32_t miscselect;
    unsigned char attributes[16];
    unsigned char mrenclave[32];
    unsigned char mrsigner[32];
    uint16_t isvprodid;
    uint16_t isvsvn;
    unsigned char report_data[64];
} tk_attest_enclave_report;

/* A parsed quote. The pointer fields point into the buffer given to tk_attest_quote_parse(),
 * which must outlive this struct. */
typedef struct {
    tk_attest_header header;
    tk_attest_td_report td;
    const unsigned char *signed_data; /* header || [v5 type, size] || body: what the AK signs */
    size_t signed_len;
    unsigned char signature[TK_ATTEST_SIG_LEN]; /* by the attestation key */
    unsigned char attestation_key[TK_ATTEST_PUBKEY_LEN];
    tk_attest_enclave_report qe_report;
    unsigned char qe_report_signature[TK_ATTEST_SIG_LEN]; /* by the PCK key */
    const unsigned char *qe_auth_data;
    size_t qe_auth_len;
    const char *pck_chain_pem; /* type 5 certification data: PEM leaf, intermediate, root */
    size_t pck_chain_len;
    size_t quote_len; /* bytes used; the rest of the input was zero padding */
} tk_attest_quote;

/* Parses a TDX quote. Accepts v4 (TD report 1.0) and v5 (body type 2 or 3) quotes with an
 * ECDSA P-256 attestation key from Intel's QE and certification data type 6 carrying a
 * type 5 PCK chain; trailing zero bytes after the quote are accepted as padding.
 * Returns: TK_OK; TK_ERR_UNSUPPORTED for an SGX quote (tee type 0, named as such), an
 * unknown version, body type, key type, vendor or certification data type; TK_ERR_INPUT for
 * truncated or inconsistent lengths or non-zero trailing bytes; TK_ERR_ARG for NULL.
 * Out: *q. In: in[0..in_len) (must outlive *q). */
int tk_attest_quote_parse(tk_attest_quote *q, const unsigned char *in, size_t in_len) TK_MUST_CHECK;

/* Serialises a parsed quote back to wire form (without padding). For every quote that
 * tk_attest_quote_parse() accepts, the result equals its first q->quote_len bytes.
 * Returns TK_OK, TK_ERR_BUFFER when out_cap < tk_attest_quote_serialized_len(q),
 * TK_ERR_RANGE for fields that do not fit the wire format, TK_ERR_ARG for NULL.
 * Out: out[0..out_cap), *written. In: q. */
int tk_attest_quote_serialize(unsigned char *out, size_t out_cap, size_t *written,
                              const tk_attest_quote *q) TK_MUST_CHECK;

/* Returns: the wire length tk_attest_quote_serialize() will produce for q. */
size_t tk_attest_quote_serialized_len(const tk_attest_quote *q);

/* Returns: the td_attributes field as a little-endian u64. */
uint64_t tk_attest_td_attributes(const tk_attest_td_report *td);

/* ---- measurements ---- */

/* RTMR extend: rtmr = SHA-384(rtmr || digest). In/out: rtmr[48]. In: digest[48]. */
void tk_attest_rtmr_extend(unsigned char rtmr[TK_ATTEST_MR_LEN],
                           const unsigned char digest[TK_ATTEST_MR_LEN]);

/* dstack's v1 event digest: SHA-384(u32le(event_type) || ":" || name || ":" || payload). */
void tk_attest_event_digest_v1(unsigned char out[TK_ATTEST_MR_LEN], uint32_t event_type,
                               const char *name, size_t name_len, const unsigned char *payload,
                               size_t payload_len);

/* dstack's v2 event digest: SHA-384 of the RFC 8785 (JCS) canonical JSON
 * {"name":name,"payload":"<lowercase hex>","type":event_type}; name must be valid UTF-8
 * without NUL (the parser guarantees it). Returns TK_OK or TK_ERR_NOMEM. */
int tk_attest_event_digest_v2(unsigned char out[TK_ATTEST_MR_LEN], uint32_t event_type,
                              const char *name, size_t name_len, const unsigned char *payload,
                              size_t payload_len) TK_MUST_CHECK;

/* One event of a dstack event log. */
typedef struct {
    uint32_t imr; /* 0..3 */
    uint32_t event_type;
    unsigned version; /* runtime events: 1 (binary digest) or 2 (canonical JSON digest) */
    unsigned char digest[TK_ATTEST_MR_LEN];
    int digest_given; /* 0 when the log carried an empty digest (recomputed here) */
    char *name;       /* NUL-terminated ("" when absent) */
    unsigned char *payload;
    size_t payload_len;
} tk_attest_event;

typedef struct {
    tk_attest_event *events;
    size_t n_events;
} tk_attest_event_log;

#define TK_ATTEST_MAX_EVENTS        4096
#define TK_ATTEST_MAX_EVENT_LOG     (4u << 20)
#define TK_ATTEST_DSTACK_EVENT_TYPE 0x08000001u /* dstack's runtime (RTMR3) events */

/* Parses a dstack event log: a JSON array of {imr, event_type, digest, event, event_payload}
 * (digest and event_payload hex), or a JSON object with an "event_log" member holding that
 * array or a string containing it (dstack GetQuote responses, NEAR MPC tcb_info).
 * Runtime events (imr 3, type 0x08000001) carry an optional "version" (1, the default, or
 * 2) that picks their digest (v1 or v2 above); an empty digest is computed, a given one must
 * equal the computed one (TK_ERR_CRYPTO otherwise), and so must an optional "preimage" (hex of
 * the hashed bytes, which dstack adds to v2 events). Other events must carry a 48-byte digest.
 * Returns TK_OK, TK_ERR_INPUT (field and event index in the detail), TK_ERR_CRYPTO,
 * TK_ERR_NOMEM, TK_ERR_ARG. Out: *log (free with tk_attest_event_log_free). */
int tk_attest_event_log_parse(tk_attest_event_log *log, const char *json,
                              size_t json_len) TK_MUST_CHECK;

void tk_attest_event_log_free(tk_attest_event_log *log);

/* Serialises the log as the canonical JSON array (every digest written out, lowercase hex,
 * members in the order imr, event_type, digest, event, event_payload). The result parses
 * back to the same log. Out: *out (malloc'd, NUL-terminated; free with free()). */
int tk_attest_event_log_to_json(char **out, const tk_attest_event_log *log) TK_MUST_CHECK;

/* Replays the events of every imr from 48 zero bytes. Out: rtmr[4][48]. */
void tk_attest_event_log_replay(unsigned char rtmr[4][TK_ATTEST_MR_LEN],
                                const tk_attest_event_log *log);

/* Checks that replaying the log gives the quote's RTMRs for every register i whose bit
 * (1 << i) is set in `mask` (RTMR3 alone: 0x8). Returns TK_OK, or TK_ERR_CRYPTO naming the
 * first register that differs, TK_ERR_ARG. In: log, td, mask. */
int tk_attest_event_log_check(const tk_attest_event_log *log, const tk_attest_td_report *td,
                              unsigned mask) TK_MUST_CHECK;

/* Finds the last imr-3 runtime event called `name` and returns its payload.
 * Returns TK_OK or TK_ERR_NOT_FOUND. Out: *payload (points into log), *payload_len. */
int tk_attest_event_log_find(const unsigned char **payload, size_t *payload_len,
                             const tk_attest_event_log *log, const char *name) TK_MUST_CHECK;

/* The application identity that dstack measures into RTMR3. */
typedef struct {
    unsigned char compose_hash[32];
    unsigned char app_id[20];
    unsigned char os_image_hash[32];
    int has_os_image_hash;  /* dstack < 0.6 does not measure it into RTMR3 */
    char key_provider[512]; /* the key-provider payload as text (JSON), NUL-terminated */
} tk_attest_app_info;

/* Extracts compose-hash (32 bytes), app-id (20 bytes), key-provider (text) and, when present,
 * os-image-hash (32 bytes) from the imr-3 events. Returns TK_OK, TK_ERR_NOT_FOUND when a
 * required event is missing, TK_ERR_INPUT for a wrong payload size. */
int tk_attest_app_info_get(tk_attest_app_info *info, const tk_attest_event_log *log) TK_MUST_CHECK;

/* ---- report_data layouts (DESIGN §2.3) ---- */

#define TK_ATTEST_BLS_G1_LEN 48
#define TK_ATTEST_BLS_G2_LEN 96
#define TK_ATTEST_NONCE_MIN  16
#define TK_ATTEST_NONCE_MAX  64

/* Registration: report_data = worker_pk || SHA-256("teekeys/register/v1" || dao_account_id ||
 * u64le(block_height) || app_pk1 (compressed G1) || app_pk2 (compressed G2)).
 * Returns TK_OK or TK_ERR_ARG (NULL, empty or over-long account id). */
int tk_attest_report_data_register(unsigned char out[TK_ATTEST_REPORT_DATA_LEN],
                                   const unsigned char worker_pk[32], const char *dao_account_id,
                                   uint64_t block_height,
                                   const unsigned char app_pk1[TK_ATTEST_BLS_G1_LEN],
                                   const unsigned char app_pk2[TK_ATTEST_BLS_G2_LEN]) TK_MUST_CHECK;

/* Client attestation: report_data = worker_pk || SHA-256("teekeys/attest/v1" || nonce),
 * nonce 16..64 bytes. Returns TK_OK, TK_ERR_RANGE for a bad nonce length, TK_ERR_ARG. */
int tk_attest_report_data_nonce(unsigned char out[TK_ATTEST_REPORT_DATA_LEN],
                                const unsigned char worker_pk[32], const unsigned char *nonce,
                                size_t nonce_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_ATTEST_H */
