/*
 * Fuzzes the MPC signer contract's argument parsers (natively built): the first byte picks the
 * parser (request_app_private_key, respond_ckd, new, start_dkg, a bare app key) or the SHA3-256
 * differential, the rest is the JSON text (or the bytes to hash). No parser may crash, read out
 * of bounds or call the host; whatever one accepts must be self-consistent: the canonical app
 * key JSON re-parses to the same form, bytes and text, key strings round-trip, a path obeys the
 * length and control-character rules, participant lists are distinct valid account ids with a
 * threshold in range. ms_sha3_256 must equal teekeys' tk_sha3_256 on every input. The input
 * handling is contract_args.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "contract_args.h"
#include "mpc_signer.h"
#include "teekeys/hash.h"

static void check_app_key(const ms_app_key *k)
{
    const char *err = NULL;
    const near_json *again = near_json_parse(k->json, strlen(k->json), &err);
    ms_app_key k2;
    if (again == NULL || ms_parse_app_key(&k2, again) != NULL || k2.form != k->form ||
        strcmp(k2.json, k->json) != 0 || memcmp(k2.pk1, k->pk1, NEAR_BLS_P1C) != 0 ||
        (k->pk1[0] & 0x80) == 0) {
        abort();
    }
    if (k->form == MS_KEY_PV &&
        (memcmp(k2.pk2, k->pk2, NEAR_BLS_P2C) != 0 || (k->pk2[0] & 0x80) == 0)) {
        abort();
    }
}

static void check_request(const near_json *doc)
{
    ms_request_args a;
    size_t i;
    if (ms_parse_request(&a, doc) != NULL) {
        return;
    }
    if (a.path_len > MS_PATH_MAX || strlen(a.path) != a.path_len) {
        abort();
    }
    for (i = 0; i < a.path_len; i++) {
        unsigned char c = (unsigned char)a.path[i];
        if (c < 0x20 || c == 0x7f) {
            abort();
        }
    }
    check_app_key(&a.key);
}

static void check_respond(const near_json *doc)
{
    ms_respond_args a;
    if (ms_parse_respond(&a, doc) != NULL) {
        return;
    }
    if ((near_json_get(doc, "data_id") != NULL) != a.by_data_id ||
        (near_json_get(doc, "request_id") != NULL) == a.by_data_id || (a.big_y[0] & 0x80) == 0 ||
        (a.big_c[0] & 0x80) == 0) {
        abort();
    }
    if (strcmp(ms_g1_string(a.big_y),
               near_json_string(near_json_get(near_json_get(doc, "response"), "big_y"))) != 0) {
        abort();
    }
}

static void check_ids(const char *const *ids, size_t n, size_t threshold)
{
    size_t i, k;
    if (n < 1 || n > MS_MAX_PARTICIPANTS || threshold < 1 || threshold > n) {
        abort();
    }
    for (i = 0; i < n; i++) {
        if (!near_account_id_valid(ids[i], strlen(ids[i]))) {
            abort();
        }
        for (k = 0; k < i; k++) {
            if (strcmp(ids[i], ids[k]) == 0) {
                abort();
            }
        }
    }
    {
        /* the stored form splits back to the same list */
        const char *back[MS_MAX_PARTICIPANTS];
        near_buf blob = ms_participants_blob(ids, n);
        if (ms_participants_split(back, (const uint8_t *)blob.data, blob.len) != n) {
            abort();
        }
        for (i = 0; i < n; i++) {
            if (strcmp(back[i], ids[i]) != 0) {
                abort();
            }
        }
    }
}

static void check_init(const near_json *doc)
{
    static ms_init_args a;
    const char *ids[MS_MAX_PARTICIPANTS];
    size_t i, k;
    if (ms_parse_init(&a, doc) != NULL) {
        return;
    }
    for (i = 0; i < a.n; i++) {
        ids[i] = a.participants[i].account_id;
        if (a.participants[i].has_share && a.domains == 0) {
            abort();
        }
    }
    check_ids(ids, a.n, a.threshold);
    for (i = 0; i < a.domains; i++) {
        if ((a.domain[i].pk[0] & 0x80) == 0) {
            abort();
        }
        for (k = 0; k < i; k++) {
            if (a.domain[i].domain_id == a.domain[k].domain_id) {
                abort();
            }
        }
    }
}

static void check_dkg_start(const near_json *doc)
{
    ms_dkg_start_args a;
    if (ms_parse_dkg_start(&a, doc) == NULL) {
        check_ids(a.participants, a.n, a.threshold);
    }
}

const unsigned fuzz_args_parsers = 6;

void fuzz_args_check(unsigned sel, const char *text, size_t len, const near_json *doc)
{
    if (sel == 5) {
        unsigned char want[32], got[32];
        tk_sha3_256(want, text, len);
        ms_sha3_256(got, text, len);
        if (memcmp(want, got, 32) != 0) {
            abort();
        }
    } else if (doc == NULL) {
        return;
    } else if (sel == 0) {
        check_request(doc);
    } else if (sel == 1) {
        check_respond(doc);
    } else if (sel == 2) {
        check_init(doc);
    } else if (sel == 3) {
        check_dkg_start(doc);
    } else {
        ms_app_key k;
        if (ms_parse_app_key(&k, doc) == NULL) {
            check_app_key(&k);
        }
    }
}
