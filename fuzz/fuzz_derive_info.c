/* Fuzzes account-id and path validation through tk_derive_info: input "account\0path"; any
 * accepted pair must produce an info string that splits on '|' into exactly the parts it was
 * built from (the uniqueness property of derivation v1). */
#include <stdlib.h>
#include <string.h>

#include "teekeys/derive.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char buf[1024], info[TK_DERIVE_INFO_MAX], *account, *path, *p;
    size_t len, bars = 0;
    if (size >= sizeof buf) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    account = buf;
    path = memchr(buf, '\0', size) ? buf + strlen(buf) + 1 : buf + size;
    if (path > buf + size) {
        path = buf + size;
    }
    if (tk_derive_info(info, sizeof info, &len, account, TK_FAMILY_EVM, path, 3) != TK_OK) {
        return 0;
    }
    for (p = info; *p; p++) {
        bars += (*p == '|');
    }
    if (bars != 4 || strlen(info) != len || strncmp(info, "teekeys/v1|", 11) != 0 ||
        strncmp(info + 11, account, strlen(account)) != 0) {
        abort();
    }
    return 0;
}
