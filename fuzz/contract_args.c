/*
 * The shared body of the contract argument fuzzers (contract_args.h): input split, exact-size
 * copy, JSON parse, dispatch to the fuzzer's check, arena reset.
 */
#include <stdlib.h>
#include <string.h>

#include "contract_args.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *err = NULL;
    char *copy;
    if (size < 1) {
        return 0;
    }
    copy = malloc(size); /* exact size: ASan catches any over-read */
    memcpy(copy, data + 1, size - 1);
    fuzz_args_check(data[0] % fuzz_args_parsers, copy, size - 1,
                    near_json_parse(copy, size - 1, &err));
    free(copy);
    near_arena_reset();
    return 0;
}
