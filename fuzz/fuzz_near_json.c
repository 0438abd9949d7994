/* Fuzzes the contract SDK's strict JSON reader (natively built): no crash or over-read on
 * any input, and every accepted document re-serialises (strings via the writer) without
 * error. Host functions are stubs that abort: the reader must never call into the host. */
#include <stdlib.h>
#include <string.h>

#include "near_host.h"
#include "near_sdk.h"

#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#define STUB(name, ret, params)                                                                \
    NEAR_RET_##ret near_host_##name params                                                     \
    {                                                                                          \
        abort();                                                                               \
    }
NEAR_HOST_FUNCTIONS(STUB)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void walk(const near_json *v, near_buf *out)
{
    const near_json *c;
    switch (v->type) {
    case NEAR_JSON_STRING:
        if (strlen(v->str) > v->len) {
            abort();
        }
        near_json_write_string(out, v->str, v->len);
        break;
    case NEAR_JSON_ARRAY:
    case NEAR_JSON_OBJECT: {
        size_t n = 0;
        for (c = v->child; c != NULL; c = c->next, n++) {
            if (v->type == NEAR_JSON_OBJECT && near_json_get(v, c->key) == NULL) {
                abort();
            }
            walk(c, out);
        }
        if (n != v->count) {
            abort();
        }
        break;
    }
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *err = NULL;
    char *copy = malloc(size + 1);
    near_json *doc;
    memcpy(copy, data, size); /* exact-size buffer so ASan catches any over-read */
    doc = near_json_parse(copy, size, &err);
    if (doc != NULL) {
        near_buf out = {0};
        walk(doc, &out);
    } else if (err == NULL) {
        abort();
    }
    free(copy);
    near_arena_reset();
    return 0;
}
