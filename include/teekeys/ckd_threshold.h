/*
 * teekeys ckd threshold: the math the nodes of teekeys' local MPC network run for NEAR
 * Confidential Key Derivation (DESIGN 2.1): Shamir shares of the master key msk over Fr,
 * Lagrange coefficients at 0, a node's partial answer (Y_i, C_i), the coordinator's sum, the
 * per-partial check of the publicly verifiable (PV) form that names a cheating node, the two
 * pairing checks the MPC contract runs, and a dealerless DKG (joint Feldman VSS, commitments
 * in G2) that produces the shares without anyone ever holding msk.
 *
 * Participants are named by non-zero 32-bit ids (the scalar x = id); Shamir splitting gives
 * ids 1..n. At most TK_CKD_MAX_PARTICIPANTS take part in one set, and a threshold t means
 * polynomials of degree t - 1 (any t shares determine the secret, t - 1 reveal nothing).
 *
 * Points passed in must be in their prime-order group: decoded with tk_bls_g1_decode /
 * tk_bls_g2_decode (which check the subgroup) or computed by teekeys. Shares, polynomial
 * coefficients, the node nonces y_i and the reconstructed secret are secret: the functions
 * that touch them are constant-time in them and wipe their temporaries; callers wipe the
 * scalars they hold (tk_wipe). Functions ending in _var see only public data.
 */
#ifndef TEEKEYS_CKD_THRESHOLD_H
#define TEEKEYS_CKD_THRESHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "teekeys/bls12_381.h"
#include "teekeys/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most participants in one set (n), hence also the largest threshold. */
#define TK_CKD_MAX_PARTICIPANTS 255

/* ---- polynomials over Fr (guarded memory) ---- */

/* A secret polynomial f(x) = a_0 + a_1 x + ... + a_{t-1} x^{t-1}, kept in tk_secure_alloc
 * memory. Opaque. */
typedef struct tk_ckd_poly tk_ckd_poly;

/* Creates a polynomial with t (1..TK_CKD_MAX_PARTICIPANTS) coefficients, a_1.. uniformly
 * random non-zero from the OS CSPRNG, a_0 = *secret, or random if secret is NULL.
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE (t), TK_ERR_NOMEM. Free with tk_ckd_poly_free. */
int tk_ckd_poly_new(tk_ckd_poly **out, size_t t, const tk_bls_scalar *secret) TK_MUST_CHECK;
/* Wipes and frees; NULL is a no-op. */
void tk_ckd_poly_free(tk_ckd_poly *p);
/* Returns: the number of coefficients t (0 for NULL). */
size_t tk_ckd_poly_threshold(const tk_ckd_poly *p);
/* out = f(id), constant-time in the coefficients. Returns TK_OK or TK_ERR_ARG (id 0 would
 * hand out a_0 and is refused). */
int tk_ckd_poly_eval(tk_bls_scalar *out, const tk_ckd_poly *p, uint32_t id) TK_MUST_CHECK;
/* Feldman commitments commits[k] = a_k·G2 for k < t (constant-time multiplications).
 * Out: commits[0..t). In: t must equal the polynomial's threshold (else TK_ERR_ARG). */
int tk_ckd_poly_commit(tk_bls_g2 *commits, size_t t, const tk_ckd_poly *p) TK_MUST_CHECK;

/* ---- Shamir sharing and Lagrange coefficients ---- */

/* Splits *secret into n shares with threshold t (1 <= t <= n <= TK_CKD_MAX_PARTICIPANTS):
 * shares[i] = f(i + 1) for a fresh random polynomial f of degree t - 1 with f(0) = secret,
 * i.e. shares[i] belongs to participant id i + 1.
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE (t, n), TK_ERR_NOMEM; on failure shares is wiped. */
int tk_ckd_shamir_split(tk_bls_scalar *shares, size_t n, const tk_bls_scalar *secret,
                        size_t t) TK_MUST_CHECK;

/* Reconstructs f(0) = sum lambda_i * shares[i] from `count` shares of the participants
 * ids[0..count). With at least t shares this is the secret; with fewer it is an unrelated
 * value (the math cannot tell). Constant-time in the shares.
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE (count), TK_ERR_INPUT (an id is 0 or repeated). */
int tk_ckd_shamir_combine(tk_bls_scalar *secret, const uint32_t *ids, const tk_bls_scalar *shares,
                          size_t count) TK_MUST_CHECK;

/* lambda = the Lagrange coefficient at 0 of participant `id` within the set ids[0..count):
 * prod_{j != id} j / (j - id). Ids are public. Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE
 * (count 0 or above TK_CKD_MAX_PARTICIPANTS), TK_ERR_INPUT (an id is 0 or repeated, or `id`
 * is not in the set). */
int tk_ckd_lagrange_at_zero(tk_bls_scalar *lambda, const uint32_t *ids, size_t count,
                            uint32_t id) TK_MUST_CHECK;

/* ---- CKD partials (node, coordinator, checks) ---- */

/* One node's answer to a CKD request. */
typedef struct {
    tk_bls_g1 big_y; /* Y_i = lambda_i·y_i·G1 */
    tk_bls_g1 big_c; /* C_i = lambda_i·(x_i·H + y_i·A) */
} tk_ckd_partial;

/* A node's partial for the hash point H = hash_to_curve_G1(compress96(pk) || app_id) and the
 * app key A = a·G1: a fresh random y_i, then (Y_i, C_i) as above. Constant-time in share and
 * y_i (wiped). H and A must not be the identity and must be in G1 (checked; an identity A would
 * publish the app's secret).
 * Out: out. In: share x_i, lambda (this node's tk_ckd_lagrange_at_zero in the signing set),
 * hash_point H, app_pk A. Returns TK_OK, TK_ERR_ARG, TK_ERR_INPUT (bad H or A). */
int tk_ckd_partial_compute(tk_ckd_partial *out, const tk_bls_scalar *share,
                           const tk_bls_scalar *lambda, const tk_bls_g1 *hash_point,
                           const tk_bls_g1 *app_pk) TK_MUST_CHECK;

/* The coordinator's sum (Y, C) = (sum Y_i, sum C_i) of `count` >= 1 partials.
 * Returns TK_OK or TK_ERR_ARG. */
int tk_ckd_partial_sum(tk_bls_g1 *big_y, tk_bls_g1 *big_c, const tk_ckd_partial *parts,
                       size_t count) TK_MUST_CHECK;

/* Checks every partial of a PV-form request: e(C_i, G2) == e(Y_i, a·G2) · e(H, lambda_i·X_i),
 * where X_i = x_i·G2 is the public share of participant ids[i] and lambda_i its Lagrange
 * coefficient in the set ids[0..count). Runs one randomised batch check (three pairings) and,
 * only if it fails, checks the partials one by one to name the first bad one.
 * Out: *bad_index = index (into parts/ids) of the first wrong partial, or count if none.
 * In: parts, public_shares, ids (count each), hash_point H, app_pk2 = a·G2.
 * Returns TK_OK if all are right, TK_ERR_CRYPTO if one is wrong, TK_ERR_ARG, TK_ERR_RANGE,
 * TK_ERR_INPUT (ids as for tk_ckd_lagrange_at_zero). */
int tk_ckd_partials_verify_var(size_t *bad_index, const tk_ckd_partial *parts,
                               const tk_bls_g2 *public_shares, const uint32_t *ids, size_t count,
                               const tk_bls_g1 *hash_point, const tk_bls_g2 *app_pk2) TK_MUST_CHECK;

/* The MPC contract's check of a PV app key: e(pk1, G2) == e(G1, pk2), i.e. pk1 = a·G1 and
 * pk2 = a·G2 for the same a. Returns TK_OK, TK_ERR_CRYPTO (mismatch), TK_ERR_INPUT (an identity
 * point: a = 0 would publish the answer), TK_ERR_ARG. */
int tk_ckd_pv_check_app_key_var(const tk_bls_g1 *pk1, const tk_bls_g2 *pk2) TK_MUST_CHECK;

/* The MPC contract's check of the network's answer for a PV request before it resumes the
 * yield: e(C, G2) == e(Y, pk2) · e(H, pk), pk the MPC public key (G2), pk2 = a·G2.
 * Returns TK_OK, TK_ERR_CRYPTO (mismatch), TK_ERR_ARG. */
int tk_ckd_pv_check_response_var(const tk_bls_g1 *big_y, const tk_bls_g1 *big_c,
                                 const tk_bls_g1 *hash_point, const tk_bls_g2 *pk,
                                 const tk_bls_g2 *app_pk2) TK_MUST_CHECK;

/* ---- dealerless DKG (joint Feldman VSS, commitments in G2) ----
 *
 * Round 1, every dealer i: tk_ckd_poly_new(&f_i, t, NULL); tk_ckd_poly_commit(C_i, t, f_i)
 *   and broadcast C_i (tk_ckd_dkg_commitments_encode); send s_{i->j} = tk_ckd_poly_eval(f_i, j)
 *   privately to every participant j.
 * Round 2, every receiver j: tk_ckd_dkg_share_verify(s_{i->j}, j, C_i); on failure broadcast a
 *   complaint against i, to which i answers by revealing s_{i->j}; everyone decides with
 *   tk_ckd_dkg_complaint_resolve_var and drops the faulty party from the qualified set.
 * Result: x_j = tk_ckd_dkg_share_combine(received, qualified); D = tk_ckd_dkg_aggregate_var
 *   (the commitments of the joint polynomial F = sum f_i): pk = D[0] = F(0)·G2 and the public
 *   share X_j = tk_ckd_dkg_commit_eval_var(D, j) = x_j·G2. Dealer i's commitments are the
 *   rows commits[i*t .. i*t + t) of one flat array below; qualified[i] != 0 keeps dealer i
 *   (NULL keeps all).
 * Binding the commitments before they are revealed (so a late dealer cannot bias pk) is the job
 * of the round protocol, not of this math. */

/* The value sum_k id^k·commits[k] (k < t): the public image f(id)·G2 of a committed polynomial
 * (a receiver's expected share, or with aggregated commitments its public share X_id).
 * Returns TK_OK, TK_ERR_ARG (NULL, t out of range, id 0). */
int tk_ckd_dkg_commit_eval_var(tk_bls_g2 *out, const tk_bls_g2 *commits, size_t t,
                               uint32_t id) TK_MUST_CHECK;

/* Checks a received share: share·G2 == sum_k receiver^k·commits[k]. Constant-time in share.
 * Returns TK_OK, TK_ERR_CRYPTO (the share does not match: complain), TK_ERR_ARG. */
int tk_ckd_dkg_share_verify(const tk_bls_scalar *share, uint32_t receiver, const tk_bls_g2 *commits,
                            size_t t) TK_MUST_CHECK;

/* Who is at fault in a complaint. */
typedef enum {
    TK_CKD_FAULT_DEALER = 1,    /* the dealer sent (or revealed) a share off its commitments, or
                                   revealed nothing: disqualify the dealer */
    TK_CKD_FAULT_COMPLAINER = 2 /* the revealed share matches: the complaint was false */
} tk_ckd_fault;

/* Decides a complaint of `complainer` against a dealer with commitments commits[0..t), given
 * the share the dealer revealed publicly in answer (NULL if it did not answer). A revealed share
 * that matches is then public and is the complainer's share from this dealer.
 * Out: *fault. Returns TK_OK or TK_ERR_ARG. */
int tk_ckd_dkg_complaint_resolve_var(tk_ckd_fault *fault, const tk_bls_scalar *revealed,
                                     uint32_t complainer, const tk_bls_g2 *commits,
                                     size_t t) TK_MUST_CHECK;

/* agg[k] = sum over qualified dealers i of commits[i*t + k], k < t. Out: agg[0..t).
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE (no dealer qualified, too many dealers). */
int tk_ckd_dkg_aggregate_var(tk_bls_g2 *agg, const tk_bls_g2 *commits, size_t dealers, size_t t,
                             const unsigned char *qualified) TK_MUST_CHECK;

/* A receiver's final share: the sum of received[i] over qualified dealers (constant-time in the
 * shares; the qualified set is public). Returns TK_OK, TK_ERR_ARG, TK_ERR_RANGE (none). */
int tk_ckd_dkg_share_combine(tk_bls_scalar *share, const tk_bls_scalar *received, size_t dealers,
                             const unsigned char *qualified) TK_MUST_CHECK;

/* Commitments travel as t compressed G2 points back to back (96·t bytes). */
#define TK_CKD_COMMITMENT_LEN TK_BLS_G2_COMPRESSED

/* Writes commits[0..t) compressed. Out: out[0..out_cap), *out_len = 96·t.
 * Returns TK_OK, TK_ERR_ARG, TK_ERR_BUFFER. */
int tk_ckd_dkg_commitments_encode(unsigned char *out, size_t out_cap, size_t *out_len,
                                  const tk_bls_g2 *commits, size_t t) TK_MUST_CHECK;

/* Parses 96·t bytes (1 <= t <= TK_CKD_MAX_PARTICIPANTS, t <= cap) strictly: every point is a
 * canonical compressed G2 point in the subgroup and not the identity (an honest dealer's
 * coefficients are non-zero). Out: commits[0..cap), *t. Returns TK_OK, TK_ERR_ARG,
 * TK_ERR_INPUT (bad length or point, with the index in the detail), TK_ERR_BUFFER (cap). */
int tk_ckd_dkg_commitments_decode(tk_bls_g2 *commits, size_t cap, size_t *t,
                                  const unsigned char *in, size_t in_len) TK_MUST_CHECK;

#ifdef __cplusplus
}
#endif

#endif /* TEEKEYS_CKD_THRESHOLD_H */
