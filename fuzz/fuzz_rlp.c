/* Fuzzes the strict RLP decoder: whatever it accepts must re-encode, item by item through the
 * encoder, to exactly the input (canonical form is unique), and tk_rlp_decode_one must agree
 * with tk_rlp_decode on the top item. Never reads outside the input. */
#include <stdlib.h>
#include <string.h>

#include "teekeys/rlp.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void reencode(tk_rlp_buf *b, const tk_rlp_item *item)
{
    if (!item->is_list) {
        (void)tk_rlp_put_bytes(b, item->payload, item->len);
        return;
    }
    tk_rlp_iter it;
    tk_rlp_item x;
    size_t mark;
    if (tk_rlp_iter_init(&it, item) != TK_OK) {
        abort();
    }
    (void)tk_rlp_list_begin(b, &mark);
    int rc;
    while ((rc = tk_rlp_iter_next(&it, &x)) == TK_OK) {
        reencode(b, &x);
    }
    if (rc != TK_ERR_NOT_FOUND) {
        abort(); /* tk_rlp_decode validated the whole tree */
    }
    (void)tk_rlp_list_end(b, mark);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    tk_rlp_item item, one;
    tk_rlp_buf b;
    size_t used;
    if (tk_rlp_decode(&item, data, size) != TK_OK) {
        return 0;
    }
    if (tk_rlp_decode_one(&one, &used, data, size) != TK_OK || used != size ||
        one.len != item.len || one.is_list != item.is_list) {
        abort();
    }
    tk_rlp_buf_init(&b);
    reencode(&b, &item);
    if (tk_rlp_buf_status(&b) != TK_OK || b.len != size || memcmp(b.data, data, size) != 0) {
        abort();
    }
    tk_rlp_buf_free(&b);
    return 0;
}
