/* Fuzzes the NEAR JSON-RPC response parser and error mapper: any body with any status must
 * yield either a result or an error with a cause, never a crash, and a result only for a
 * body that has one. */
#include <stdlib.h>
#include <string.h>

#include "../src/nearrpc/internal.h"
#include "teekeys/common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const long statuses[] = {200, 400, 408, 429, 500, 503};
    char *body, cause[64];
    json_t *res = NULL;
    int transient, rc;
    if (size < 1) {
        return 0;
    }
    body = malloc(size);
    memcpy(body, data + 1, size - 1);
    body[size - 1] = '\0';
    rc = tk_nearrpc_parse_response(&res, cause, sizeof cause, &transient, body,
                                   statuses[data[0] % 6]);
    if (rc == TK_OK) {
        if (res == NULL || strstr(body, "result") == NULL) {
            abort();
        }
        json_decref(res);
    } else if (cause[0] == '\0' || tk_errmsg()[0] == '\0') {
        abort();
    }
    free(body);
    return 0;
}
