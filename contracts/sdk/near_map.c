/*
 * near_map: persistent maps and sets over contract storage. An entry lives under the map's
 * prefix followed by its key. An iterable map also lists its keys, in insertion order, in one
 * record of its own (the index): fixed-size keys back to back, or each key as a borsh byte
 * string when keys vary in length. Inserting and removing keep the index in step, so listing
 * and counting read one record; the index never holds a key twice. A corrupt index (one that
 * does not parse, or names a missing entry) panics rather than returning partial data.
 */
#include "near_util.h"

near_buf near_map_key(const near_map *m, const void *key, size_t key_len)
{
    near_buf k = {0};
    near_buf_put(&k, m->prefix, m->prefix_len);
    near_buf_put(&k, key, key_len);
    return k;
}

uint8_t *near_map_get(const near_map *m, const void *key, size_t key_len, size_t *val_len)
{
    near_buf k = near_map_key(m, key, key_len);
    return near_storage_read(k.data, k.len, val_len);
}

int near_map_has(const near_map *m, const void *key, size_t key_len)
{
    near_buf k = near_map_key(m, key, key_len);
    return near_storage_has(k.data, k.len);
}

__attribute__((noreturn)) static void corrupt(void)
{
    near_panic("corrupt map index");
}

/* the index record (NULL and *len 0 when empty) */
static uint8_t *index_read(const near_map *m, size_t *len)
{
    uint8_t *v = near_storage_read(m->index, m->index_len, len);
    if (v == NULL) {
        *len = 0;
    } else if (m->key_size > 0 && *len % m->key_size != 0) {
        corrupt();
    }
    return v;
}

static void index_write(const near_map *m, const near_buf *b)
{
    if (b->len == 0) {
        near_storage_remove(m->index, m->index_len);
    } else {
        near_storage_write(m->index, m->index_len, b->data, b->len);
    }
}

static void index_put_key(const near_map *m, near_buf *b, const void *key, size_t key_len)
{
    if (m->key_size > 0) {
        if (key_len != m->key_size) {
            near_panic("a key of the wrong size for this map");
        }
        near_buf_put(b, key, key_len);
    } else {
        near_borsh_bytes(b, key, key_len);
    }
}

int near_map_set(const near_map *m, const void *key, size_t key_len, const void *val,
                 size_t val_len)
{
    near_buf k = near_map_key(m, key, key_len), b = {0};
    size_t n;
    uint8_t *v;
    if (m->index == NULL) {
        return !near_storage_write(k.data, k.len, val, val_len);
    }
    if (m->key_size > 0 && key_len != m->key_size) {
        near_panic("a key of the wrong size for this map");
    }
    if (near_storage_write(k.data, k.len, val, val_len)) {
        return 0; /* replaced: the index already has it */
    }
    v = index_read(m, &n);
    near_buf_put(&b, v, n);
    index_put_key(m, &b, key, key_len);
    index_write(m, &b);
    return 1;
}

int near_map_remove(const near_map *m, const void *key, size_t key_len)
{
    near_buf k = near_map_key(m, key, key_len), kept = {0};
    near_map_iter it;
    const uint8_t *ik;
    size_t ik_len;
    if (!near_storage_remove(k.data, k.len)) {
        return 0;
    }
    if (m->index == NULL) {
        return 1;
    }
    near_map_iter_init(&it, m, 0);
    while (near_map_next(&it, &ik, &ik_len, NULL, NULL)) {
        if (ik_len != key_len || !near_memeq(ik, key, key_len)) {
            index_put_key(m, &kept, ik, ik_len);
        }
    }
    index_write(m, &kept);
    return 1;
}

size_t near_map_remove_keys(const near_map *m, const uint8_t *keys, size_t count)
{
    near_map_iter it;
    near_buf kept = {0};
    const uint8_t *ik;
    size_t ik_len, i, removed = 0;
    if (m->index == NULL || m->key_size == 0) {
        near_panic("near_map_remove_keys needs an iterable map of fixed-size keys");
    }
    for (i = 0; i < count; i++) {
        near_buf k = near_map_key(m, keys + i * m->key_size, m->key_size);
        removed += (size_t)near_storage_remove(k.data, k.len);
    }
    near_map_iter_init(&it, m, 0);
    while (near_map_next(&it, &ik, &ik_len, NULL, NULL)) {
        for (i = 0; i < count && !near_memeq(ik, keys + i * m->key_size, ik_len); i++) {
        }
        if (i == count) {
            near_buf_put(&kept, ik, ik_len);
        }
    }
    index_write(m, &kept);
    return removed;
}

int near_set_add(const near_map *s, const void *key, size_t key_len)
{
    return near_map_set(s, key, key_len, "", 0);
}

void near_map_iter_init(near_map_iter *it, const near_map *m, uint64_t skip)
{
    if (m->index == NULL) {
        near_panic("this map is not iterable");
    }
    it->map = m;
    it->keys = index_read(m, &it->keys_len);
    it->pos = 0;
    if (m->key_size > 0) {
        it->pos = skip < it->keys_len / m->key_size ? (size_t)skip * m->key_size : it->keys_len;
    } else {
        while (skip-- > 0 && near_map_next(it, NULL, NULL, NULL, NULL)) {
        }
    }
}

int near_map_next(near_map_iter *it, const uint8_t **key, size_t *key_len, uint8_t **val,
                  size_t *val_len)
{
    const near_map *m = it->map;
    const uint8_t *k;
    size_t n;
    if (it->pos >= it->keys_len) {
        return 0;
    }
    if (m->key_size > 0) {
        k = it->keys + it->pos;
        n = m->key_size;
    } else {
        near_borsh_reader r;
        near_borsh_reader_init(&r, it->keys + it->pos, it->keys_len - it->pos);
        if (!near_borsh_read_bytes(&r, &k, &n)) {
            corrupt();
        }
    }
    it->pos = (size_t)(k - it->keys) + n;
    if (key != NULL) {
        *key = k;
        *key_len = n;
    }
    if (val != NULL) {
        *val = near_map_get(m, k, n, val_len);
        if (*val == NULL) {
            corrupt();
        }
    }
    return 1;
}

uint64_t near_map_len(const near_map *m)
{
    near_map_iter it;
    uint64_t count = 0;
    near_map_iter_init(&it, m, 0);
    if (m->key_size > 0) {
        return it.keys_len / m->key_size;
    }
    while (near_map_next(&it, NULL, NULL, NULL, NULL)) {
        count++;
    }
    return count;
}

void near_map_write_json_page(near_buf *out, const near_map *m, uint64_t from, uint64_t limit)
{
    near_map_iter it;
    uint8_t *v;
    size_t n;
    uint64_t count = 0;
    near_map_iter_init(&it, m, from);
    near_buf_putc(out, '[');
    while (count < limit && near_map_next(&it, NULL, NULL, &v, &n)) {
        if (count++ > 0) {
            near_buf_putc(out, ',');
        }
        near_buf_put(out, v, n);
    }
    near_buf_putc(out, ']');
}
