/*
 * Internal to the mpc_signer contract's own files (mpc_signer.c, ms_dkg.c): storage helpers,
 * the stored configuration, domains and public shares, event output, and the native
 * declarations of the methods ms_dkg.c defines (for the method table in mpc_signer.c).
 */
#ifndef MS_INTERNAL_H
#define MS_INTERNAL_H

#include "mpc_signer.h"

typedef struct {
    size_t threshold, n;
    const char *ids[MS_MAX_PARTICIPANTS];
} ms_config;

void ms_be8(uint8_t out[8], uint64_t v);
uint64_t ms_read_be8(const uint8_t in[8]);
/* prefix || 8-byte big-endian id */
near_buf ms_key(const char *prefix, uint64_t id);
void ms_emit(const char *event, const near_buf *data);
void ms_put_ids(near_buf *b, const char *const *ids, size_t n); /* JSON array of strings */

int ms_config_load(ms_config *c); /* 0: not initialized */
ms_config ms_config_get(void);    /* panics when not initialized */
void ms_config_store(const ms_config *c);
int ms_is_participant(const ms_config *c, const char *account);

/* a domain's key: compressed and uncompressed (either may be NULL); 0 when it has none */
int ms_domain_load(uint64_t domain_id, uint8_t pkc[NEAR_BLS_P2C], uint8_t pku[NEAR_BLS_P2]);
void ms_domain_store(uint64_t domain_id, const uint8_t pkc[NEAR_BLS_P2C],
                     const uint8_t pku[NEAR_BLS_P2]);
size_t ms_domain_list(uint64_t *ids); /* up to MS_MAX_DOMAINS */
void ms_share_store(uint64_t domain_id, const char *account, const uint8_t share[NEAR_BLS_P2C]);

#ifdef NEAR_NATIVE
void contract_mpc_signer_start_dkg(void);
void contract_mpc_signer_submit_dkg_commitment(void);
void contract_mpc_signer_complain(void);
void contract_mpc_signer_answer_complaint(void);
void contract_mpc_signer_finalize_dkg(void);
void contract_mpc_signer_get_dkg(void);
#endif

#endif
