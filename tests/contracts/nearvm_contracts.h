/*
 * The native contracts that the nearvm driver and tests host: one list, so hosting another
 * contract is one X(...) line here plus its tkc_<name> library in TK_NEARVM_CONTRACT_LIBS
 * (tests/CMakeLists.txt). Each contract defines `<name>_methods[]`.
 */
#ifndef TK_TESTS_NEARVM_CONTRACTS_H
#define TK_TESTS_NEARVM_CONTRACTS_H

#include <stdio.h>
#include <sys/stat.h>

#include "teekeys/nearvm.h"

#define TK_NEARVM_CONTRACTS(X)                                                                     \
    X(sdk_selftest)                                                                                \
    X(nearvm_test)                                                                                 \
    X(chain_keys)                                                                                  \
    X(verifier)                                                                                    \
    X(dao)                                                                                         \
    X(mpc_signer)

#define TK_NEARVM_DECLARE(name) extern const near_method name##_methods[];
TK_NEARVM_CONTRACTS(TK_NEARVM_DECLARE)
#undef TK_NEARVM_DECLARE

/* Registers every listed contract; code lengths from <wasm_dir>/<name>.wasm when it exists. */
static inline int tk_nearvm_register_all(tk_nearvm *vm, const char *wasm_dir)
{
    struct stat st;
    char path[4096];
    int rc = TK_OK;
#define TK_NEARVM_REGISTER(name)                                                                   \
    if (rc == TK_OK) {                                                                             \
        uint64_t code_len = 0;                                                                     \
        snprintf(path, sizeof path, "%s/%s.wasm", wasm_dir ? wasm_dir : "", #name);                \
        if (wasm_dir != NULL && stat(path, &st) == 0) {                                            \
            code_len = (uint64_t)st.st_size;                                                       \
        }                                                                                          \
        rc = tk_nearvm_register_contract(vm, #name, name##_methods, code_len);                     \
    }
    TK_NEARVM_CONTRACTS(TK_NEARVM_REGISTER)
#undef TK_NEARVM_REGISTER
    return rc;
}

#endif
