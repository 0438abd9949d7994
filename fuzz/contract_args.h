/*
 * contract_args: the body the contract argument fuzzers share (fuzz_chain_keys_args.c,
 * fuzz_dao_args.c, fuzz_mpc_signer_args.c). contract_args.c owns LLVMFuzzerTestOneInput: the
 * first byte picks one of fuzz_args_parsers parsers, the rest is copied into a buffer of its
 * exact size (ASan catches any over-read) and parsed as JSON; the fuzzer's fuzz_args_check runs
 * with the text and the document (NULL when the text is not JSON), then the call's arena is
 * freed. The check aborts on anything a parser must never do. contract_hash_host.c gives the
 * fuzzers whose parsers hash real sha256/keccak256 host functions; every other host call stays
 * tests/contracts/stub_host.c's abort.
 */
#ifndef CONTRACT_ARGS_H
#define CONTRACT_ARGS_H

#include "near_sdk.h"

extern const unsigned fuzz_args_parsers;
void fuzz_args_check(unsigned sel, const char *text, size_t len, const near_json *doc);

#endif
