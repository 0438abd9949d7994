/*
 * nearvm_driver: the native chain behind tests/oracle/near_chain.mjs's NativeChain. Reads one
 * JSON request per line on stdin and writes one JSON reply per line on stdout (docs/nearvm.md
 * "Driver protocol"), hosting every contract of nearvm_contracts.h in one tk_nearvm.
 *   nearvm_driver [--wasm-dir DIR]    (DIR/<name>.wasm sizes are the contracts' code lengths)
 * Malformed lines get error replies; the driver exits 0 at end of input, 1 on a fatal error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearvm_contracts.h"

#define MAX_LINE (16u << 20)

int main(int argc, char **argv)
{
    tk_nearvm *vm = NULL;
    const char *wasm_dir = NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--wasm-dir") == 0 && i + 1 < argc) {
            wasm_dir = argv[++i];
        } else {
            fprintf(stderr, "usage: nearvm_driver [--wasm-dir DIR]\n");
            return 2;
        }
    }
    if (tk_init() != TK_OK || tk_nearvm_new(&vm, NULL) != TK_OK ||
        tk_nearvm_register_all(vm, wasm_dir) != TK_OK) {
        fprintf(stderr, "nearvm_driver: %s\n", tk_errmsg());
        tk_nearvm_free(vm);
        return 1;
    }
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        json_t *reply = NULL;
        char *text;
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        if (len == 0) {
            continue;
        }
        if (len > MAX_LINE) {
            reply = json_pack("{s:{s:s,s:s}}", "error", "code", "BadRequest", "message",
                              "request line longer than 16 MiB");
        } else if (tk_nearvm_request(vm, &reply, line, len) != TK_OK) {
            fprintf(stderr, "nearvm_driver: %s\n", tk_errmsg());
            status = 1;
            break;
        }
        text = json_dumps(reply, JSON_COMPACT);
        json_decref(reply);
        if (text == NULL) {
            fprintf(stderr, "nearvm_driver: cannot serialize a reply\n");
            status = 1;
            break;
        }
        fputs(text, stdout);
        fputc('\n', stdout);
        fflush(stdout);
        free(text);
    }
    free(line);
    tk_nearvm_free(vm);
    return status;
}
