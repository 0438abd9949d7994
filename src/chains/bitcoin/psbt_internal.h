/*
 * Private helpers shared by the PSBT files of the bitcoin module (map storage, field names).
 * Not public API; no secrets pass through here.
 */
#ifndef TK_BITCOIN_PSBT_INTERNAL_H
#define TK_BITCOIN_PSBT_INTERNAL_H

#include "internal.h"

#include "teekeys/psbt.h"

void psbt_pair_free(tk_psbt_pair *p);
void psbt_map_free(tk_psbt_map *map);
/* Appends a copy of (key, value); the key must start with a canonical CompactSize type. */
int psbt_map_append(tk_psbt_map *map, const unsigned char *key, size_t key_len,
                    const unsigned char *value, size_t value_len);
/* First pair of a key type (for the fields whose key data is empty). */
const tk_psbt_pair *psbt_map_find_type(const tk_psbt_map *map, uint64_t type);
void psbt_map_remove_at(tk_psbt_map *map, size_t i);

/* Which kind of map a field belongs to. */
enum psbt_scope { PSBT_GLOBAL, PSBT_INPUT, PSBT_OUTPUT };

/* Returns: the BIP-174/371 name of a known key type in a scope, or NULL if unknown. */
const char *psbt_field_name(enum psbt_scope scope, uint64_t type);

#endif
