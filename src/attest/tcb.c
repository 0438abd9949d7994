/*
 * Intel's signed TCB evaluation data for TDX: the QE identity (TD_QE, version 2) and the TCB
 * info (TDX, version 3) JSON, their validity windows, the QE identity policy and the TCB level
 * walks (QE ISV SVN, platform SGX components + PCE SVN + TEE TCB SVN, TDX module identity).
 * Callers must verify the signature over the exact text first (verify.c); this file only
 * interprets it and never accepts a field it does not understand the type of.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "teekeys/encoding.h"

static const char *const k_status_names[TK_TCB_STATUS_COUNT] = {
    "UpToDate",
    "SWHardeningNeeded",
    "ConfigurationNeeded",
    "ConfigurationAndSWHardeningNeeded",
    "OutOfDate",
    "OutOfDateConfigurationNeeded",
    "Revoked",
};

const char *tk_attest_tcb_status_name(tk_attest_tcb_status status)
{
    if ((unsigned)status >= TK_TCB_STATUS_COUNT) {
        return "Unknown";
    }
    return k_status_names[status];
}

int tk_attest_tcb_status_parse(tk_attest_tcb_status *status, const char *name)
{
    if (status == NULL || name == NULL) {
        return tk_fail(TK_ERR_ARG, "tk_attest_tcb_status_parse: NULL argument");
    }
    for (int i = 0; i < TK_TCB_STATUS_COUNT; i++) {
        if (strcmp(name, k_status_names[i]) == 0) {
            *status = (tk_attest_tcb_status)i;
            return TK_OK;
        }
    }
    return tk_fail(TK_ERR_INPUT, "unknown TCB status \"%.40s\"", name);
}

/* Days from 1970-01-01 to the given proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int tk_attest_parse_time(int64_t *out, const char *s)
{
    unsigned v[6] = {0};
    static const unsigned widths[6] = {4, 2, 2, 2, 2, 2};
    static const char seps[6] = {'-', '-', 'T', ':', ':', '\0'};
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    for (int f = 0; f < 6; f++) {
        for (unsigned i = 0; i < widths[f]; i++, p++) {
            if (*p < '0' || *p > '9') {
                return tk_fail(TK_ERR_INPUT, "bad date \"%.40s\"", s);
            }
            v[f] = v[f] * 10 + (unsigned)(*p - '0');
        }
        if (seps[f] != '\0') {
            if (*p++ != seps[f]) {
                return tk_fail(TK_ERR_INPUT, "bad date \"%.40s\"", s);
            }
        }
    }
    if (*p == '.') { /* fractional seconds are ignored */
        p++;
        if (*p < '0' || *p > '9') {
            return tk_fail(TK_ERR_INPUT, "bad date \"%.40s\"", s);
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (p[0] != 'Z' || p[1] != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > mdays[v[1] - 1] || v[3] > 23 || v[4] > 59 || v[5] > 60) {
        return tk_fail(TK_ERR_INPUT, "bad date \"%.40s\" (expected YYYY-MM-DDTHH:MM:SSZ)", s);
    }
    *out = days_from_civil(v[0], v[1], v[2]) * 86400 + v[3] * 3600 + v[4] * 60 + v[5];
    return TK_OK;
}

/* ---- small typed getters over jansson, each naming what is wrong ---- */

static int j_str(const char **out, json_t *obj, const char *key, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        return tk_fail(TK_ERR_INPUT, "%s: \"%s\" missing or not a string", what, key);
    }
    *out = json_string_value(v);
    return TK_OK;
}

static int j_uint(long long *out, json_t *obj, const char *key, long long max, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
        return tk_fail(TK_ERR_INPUT, "%s: \"%s\" missing or not an integer in 0..%lld", what, key,
                       max);
    }
    *out = json_integer_value(v);
    return TK_OK;
}

static int j_hex(unsigned char *out, size_t len, json_t *obj, const char *key, const char *what)
{
    const char *s = NULL;
    int rc = j_str(&s, obj, key, what);
    if (rc != TK_OK) {
        return rc;
    }
    if (tk_hex_decode_exact(out, len, s, strlen(s), 0) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "%s: \"%s\" is not %zu bytes of hex", what, key, len);
    }
    return TK_OK;
}

static int j_time(int64_t *out, json_t *obj, const char *key, const char *what)
{
    const char *s = NULL;
    int rc = j_str(&s, obj, key, what);
    if (rc == TK_OK && tk_attest_parse_time(out, s) != TK_OK) {
        rc = tk_fail(TK_ERR_INPUT, "%s: \"%s\" is not a UTC date", what, key);
    }
    return rc;
}

static int load(json_t **root, const char *json, size_t len, const char *what)
{
    json_error_t jerr;
    *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (*root == NULL || !json_is_object(*root)) {
        json_decref(*root);
        *root = NULL;
        return tk_fail(TK_ERR_INPUT, "%s: not a JSON object", what);
    }
    return TK_OK;
}

/* Common header: id, version, issueDate/nextUpdate checked against now. */
static int check_header(int64_t *issue, int64_t *next, json_t *root, const char *id,
                        long long version, int64_t now, const char *what)
{
    const char *s = NULL;
    long long ver = 0;
    int rc;
    if ((rc = j_str(&s, root, "id", what)) != TK_OK) {
        return rc;
    }
    if (strcmp(s, id) != 0) {
        return tk_fail(TK_ERR_RANGE, "%s: id \"%.20s\", expected \"%s\"", what, s, id);
    }
    if ((rc = j_uint(&ver, root, "version", 1000, what)) != TK_OK) {
        return rc;
    }
    if (ver != version) {
        return tk_fail(TK_ERR_UNSUPPORTED, "%s: version %lld, expected %lld", what, ver, version);
    }
    if ((rc = j_time(issue, root, "issueDate", what)) != TK_OK ||
        (rc = j_time(next, root, "nextUpdate", what)) != TK_OK) {
        return rc;
    }
    if (now < *issue) {
        return tk_fail(TK_ERR_RANGE, "%s: not valid before its issueDate (%lld > %lld)", what,
                       (long long)*issue, (long long)now);
    }
    if (now > *next) {
        return tk_fail(TK_ERR_RANGE, "%s: expired at its nextUpdate (%lld < %lld)", what,
                       (long long)*next, (long long)now);
    }
    return TK_OK;
}

/* Reads tcbStatus and advisoryIDs of a TCB level into res. */
static int level_result(tk_attest_tcb_result *res, json_t *level, const char *what)
{
    const char *s = NULL;
    json_t *adv;
    int rc;
    memset(res, 0, sizeof *res);
    if ((rc = j_str(&s, level, "tcbStatus", what)) != TK_OK) {
        return rc;
    }
    if (tk_attest_tcb_status_parse(&res->status, s) != TK_OK) {
        return tk_fail(TK_ERR_INPUT, "%s: unknown tcbStatus \"%.40s\"", what, s);
    }
    adv = json_object_get(level, "advisoryIDs");
    if (adv == NULL) {
        return TK_OK;
    }
    if (!json_is_array(adv) || json_array_size(adv) > TK_ATTEST_MAX_ADVISORIES) {
        return tk_fail(TK_ERR_INPUT, "%s: advisoryIDs is not an array of at most %d", what,
                       TK_ATTEST_MAX_ADVISORIES);
    }
    for (size_t i = 0; i < json_array_size(adv); i++) {
        json_t *a = json_array_get(adv, i);
        if (!json_is_string(a) || json_string_length(a) == 0 ||
            json_string_length(a) >= TK_ATTEST_ADVISORY_LEN) {
            return tk_fail(TK_ERR_INPUT, "%s: advisoryIDs[%zu] is not a short string", what, i);
        }
        memcpy(res->advisory_ids[res->n_advisories++], json_string_value(a),
               json_string_length(a) + 1);
    }
    return TK_OK;
}

/* Walks an ISV-SVN-ordered list of levels ({tcb: {isvsvn}, tcbStatus, advisoryIDs}); the
 * first level whose isvsvn <= svn applies. */
static int isvsvn_walk(tk_attest_tcb_result *res, json_t *levels, unsigned svn, const char *what)
{
    if (!json_is_array(levels) || json_array_size(levels) == 0) {
        return tk_fail(TK_ERR_INPUT, "%s: tcbLevels missing or empty", what);
    }
    for (size_t i = 0; i < json_array_size(levels); i++) {
        json_t *level = json_array_get(levels, i);
        long long isvsvn = 0;
        int rc;
        if (!json_is_object(level) || !json_is_object(json_object_get(level, "tcb"))) {
            return tk_fail(TK_ERR_INPUT, "%s: tcbLevels[%zu] has no tcb object", what, i);
        }
        if ((rc = j_uint(&isvsvn, json_object_get(level, "tcb"), "isvsvn", 65535, what)) != TK_OK) {
            return rc;
        }
        if ((unsigned)isvsvn <= svn) {
            return level_result(res, level, what);
        }
    }
    return tk_fail(TK_ERR_RANGE, "%s: ISV SVN %u is below every TCB level", what, svn);
}

int tk_attest_tcb_check_qe(tk_attest_tcb_result *res, int64_t *issue, int64_t *next_update,
                           const char *json, size_t json_len, const tk_attest_enclave_report *qe,
                           int64_t now)
{
    static const char what[] = "QE identity";
    json_t *root = NULL;
    unsigned char misc[4], misc_mask[4], attr[16], attr_mask[16], mrsigner[32];
    long long prodid = 0;
    uint32_t want_misc, mask_misc;
    int rc;

    if ((rc = load(&root, json, json_len, what)) != TK_OK) {
        return rc;
    }
    if ((rc = check_header(issue, next_update, root, "TD_QE", 2, now, what)) != TK_OK ||
        (rc = j_hex(misc, 4, root, "miscselect", what)) != TK_OK ||
        (rc = j_hex(misc_mask, 4, root, "miscselectMask", what)) != TK_OK ||
        (rc = j_hex(attr, 16, root, "attributes", what)) != TK_OK ||
        (rc = j_hex(attr_mask, 16, root, "attributesMask", what)) != TK_OK ||
        (rc = j_hex(mrsigner, 32, root, "mrsigner", what)) != TK_OK ||
        (rc = j_uint(&prodid, root, "isvprodid", 65535, what)) != TK_OK) {
        goto cleanup;
    }
    if (memcmp(mrsigner, qe->mrsigner, 32) != 0) {
        rc = tk_fail(TK_ERR_RANGE, "QE report: mrsigner is not the QE identity's");
        goto cleanup;
    }
    if ((unsigned)prodid != qe->isvprodid) {
        rc = tk_fail(TK_ERR_RANGE, "QE report: isvprodid %u, QE identity says %lld", qe->isvprodid,
                     prodid);
        goto cleanup;
    }
    want_misc =
        (uint32_t)misc[0] << 24 | (uint32_t)misc[1] << 16 | (uint32_t)misc[2] << 8 | misc[3];
    mask_misc = (uint32_t)misc_mask[0] << 24 | (uint32_t)misc_mask[1] << 16 |
                (uint32_t)misc_mask[2] << 8 | misc_mask[3];
    if ((qe->miscselect & mask_misc) != want_misc) {
        rc = tk_fail(TK_ERR_RANGE, "QE report: miscselect 0x%08x does not match the QE identity",
                     qe->miscselect);
        goto cleanup;
    }
    for (int i = 0; i < 16; i++) {
        if ((qe->attributes[i] & attr_mask[i]) != attr[i]) {
            rc = tk_fail(TK_ERR_RANGE,
                         "QE report: attributes byte %d does not match the QE "
                         "identity",
                         i);
            goto cleanup;
        }
    }
    rc = isvsvn_walk(res, json_object_get(root, "tcbLevels"), qe->isvsvn, what);
cleanup:
    json_decref(root);
    return rc;
}

/* Reads a 16-entry component array ({"svn": n, ...}) into svn[16]. */
static int components(unsigned char svn[16], json_t *arr, const char *key, const char *what)
{
    if (!json_is_array(arr) || json_array_size(arr) != 16) {
        return tk_fail(TK_ERR_INPUT, "%s: \"%s\" is not an array of 16 components", what, key);
    }
    for (size_t i = 0; i < 16; i++) {
        long long v = 0;
        json_t *c = json_array_get(arr, i);
        if (!json_is_object(c) || j_uint(&v, c, "svn", 255, what) != TK_OK) {
            return tk_fail(TK_ERR_INPUT, "%s: %s[%zu].svn missing or not in 0..255", what, key, i);
        }
        svn[i] = (unsigned char)v;
    }
    return TK_OK;
}

/* mrsigner and attributes of a TDX module (tdxModule or an entry of tdxModuleIdentities). */
static int check_module_identity(json_t *m, const tk_attest_td_report *td, const char *what)
{
    unsigned char mrsigner[48], attr[8], mask[8];
    int rc;
    if (!json_is_object(m)) {
        return tk_fail(TK_ERR_INPUT, "%s: TDX module entry is not an object", what);
    }
    if ((rc = j_hex(mrsigner, 48, m, "mrsigner", what)) != TK_OK ||
        (rc = j_hex(attr, 8, m, "attributes", what)) != TK_OK ||
        (rc = j_hex(mask, 8, m, "attributesMask", what)) != TK_OK) {
        return rc;
    }
    if (memcmp(mrsigner, td->mrsignerseam, 48) != 0) {
        return tk_fail(TK_ERR_RANGE, "TD report: mrsignerseam is not the TDX module signer");
    }
    for (int i = 0; i < 8; i++) {
        if ((td->seam_attributes[i] & mask[i]) != attr[i]) {
            return tk_fail(TK_ERR_RANGE, "TD report: seam_attributes do not match the TDX module");
        }
    }
    return TK_OK;
}

int tk_attest_tcb_check_platform(tk_attest_tcb_result *platform, tk_attest_tcb_result *module,
                                 int64_t *issue, int64_t *next_update, const char *json,
                                 size_t json_len, const tk_attest_pck_ext *pck,
                                 const tk_attest_td_report *td, int64_t now)
{
    static const char what[] = "TCB info";
    json_t *root = NULL, *levels, *ids;
    unsigned char fmspc[6], pceid[2];
    /* TEE TCB SVN byte 1 is the TDX module's major version; from 1 on, Intel publishes module
     * identities (TDX_01, ...) and the first two TDX components are judged by them. */
    unsigned major = td->tee_tcb_svn[1], minor_svn = td->tee_tcb_svn[0];
    size_t tdx_start = major > 0 ? 2 : 0;
    int rc;

    memset(module, 0, sizeof *module);
    if ((rc = load(&root, json, json_len, what)) != TK_OK) {
        return rc;
    }
    if ((rc = check_header(issue, next_update, root, "TDX", 3, now, what)) != TK_OK ||
        (rc = j_hex(fmspc, 6, root, "fmspc", what)) != TK_OK ||
        (rc = j_hex(pceid, 2, root, "pceId", what)) != TK_OK) {
        goto cleanup;
    }
    {
        long long tcb_type = 0;
        if ((rc = j_uint(&tcb_type, root, "tcbType", 255, what)) != TK_OK) {
            goto cleanup;
        }
        if (tcb_type != 0) { /* 0: compare component by component, the only type defined */
            rc =
                tk_fail(TK_ERR_UNSUPPORTED, "TCB info: tcbType %lld (only 0 is defined)", tcb_type);
            goto cleanup;
        }
    }
    if (memcmp(fmspc, pck->fmspc, 6) != 0) {
        rc = tk_fail(TK_ERR_RANGE,
                     "TCB info: FMSPC %02X%02X%02X%02X%02X%02X is not the PCK "
                     "certificate's %02X%02X%02X%02X%02X%02X",
                     fmspc[0], fmspc[1], fmspc[2], fmspc[3], fmspc[4], fmspc[5], pck->fmspc[0],
                     pck->fmspc[1], pck->fmspc[2], pck->fmspc[3], pck->fmspc[4], pck->fmspc[5]);
        goto cleanup;
    }
    if (memcmp(pceid, pck->pceid, 2) != 0) {
        rc = tk_fail(TK_ERR_RANGE, "TCB info: pceId is not the PCK certificate's");
        goto cleanup;
    }

    /* The TDX module. */
    if ((rc = check_module_identity(json_object_get(root, "tdxModule"), td, what)) != TK_OK) {
        goto cleanup;
    }
    ids = json_object_get(root, "tdxModuleIdentities");
    if (major > 0) {
        char want[16];
        json_t *found = NULL;
        snprintf(want, sizeof want, "TDX_%02X", major);
        if (!json_is_array(ids)) {
            rc = tk_fail(TK_ERR_RANGE, "TCB info: no tdxModuleIdentities for TDX module %s", want);
            goto cleanup;
        }
        for (size_t i = 0; i < json_array_size(ids); i++) {
            const char *id = NULL;
            json_t *m = json_array_get(ids, i);
            if (!json_is_object(m) || j_str(&id, m, "id", what) != TK_OK) {
                rc = tk_fail(TK_ERR_INPUT, "TCB info: tdxModuleIdentities[%zu] has no id", i);
                goto cleanup;
            }
            if (strcmp(id, want) == 0) {
                found = m;
                break;
            }
        }
        if (found == NULL) {
            rc = tk_fail(TK_ERR_RANGE, "TCB info: no TDX module identity %s", want);
            goto cleanup;
        }
        if ((rc = check_module_identity(found, td, what)) != TK_OK ||
            (rc = isvsvn_walk(module, json_object_get(found, "tcbLevels"), minor_svn,
                              "TCB info (TDX module)")) != TK_OK) {
            goto cleanup;
        }
    } else {
        module->status = TK_TCB_UP_TO_DATE; /* TDX 1.0 modules: judged by the components */
    }

    /* The platform. */
    levels = json_object_get(root, "tcbLevels");
    if (!json_is_array(levels) || json_array_size(levels) == 0) {
        rc = tk_fail(TK_ERR_INPUT, "TCB info: tcbLevels missing or empty");
        goto cleanup;
    }
    for (size_t i = 0; i < json_array_size(levels); i++) {
        json_t *level = json_array_get(levels, i), *tcb;
        unsigned char sgx[16], tdx[16];
        long long pcesvn = 0;
        int match = 1;
        tcb = json_object_get(level, "tcb");
        if (!json_is_object(tcb)) {
            rc = tk_fail(TK_ERR_INPUT, "TCB info: tcbLevels[%zu].tcb is not an object", i);
            goto cleanup;
        }
        if ((rc = components(sgx, json_object_get(tcb, "sgxtcbcomponents"), "sgxtcbcomponents",
                             what)) != TK_OK ||
            (rc = components(tdx, json_object_get(tcb, "tdxtcbcomponents"), "tdxtcbcomponents",
                             what)) != TK_OK ||
            (rc = j_uint(&pcesvn, tcb, "pcesvn", 65535, what)) != TK_OK) {
            goto cleanup;
        }
        for (size_t k = 0; k < 16; k++) {
            if (pck->cpusvn[k] < sgx[k]) {
                match = 0;
            }
        }
        if (pck->pcesvn < pcesvn) {
            match = 0;
        }
        for (size_t k = tdx_start; k < 16; k++) {
            if (td->tee_tcb_svn[k] < tdx[k]) {
                match = 0;
            }
        }
        if (match) {
            rc = level_result(platform, level, what);
            goto cleanup;
        }
    }
    rc = tk_fail(TK_ERR_RANGE,
                 "TCB info: no TCB level matches the platform (PCE SVN %u, TEE TCB SVN "
                 "%02x%02x%02x...)",
                 pck->pcesvn, td->tee_tcb_svn[0], td->tee_tcb_svn[1], td->tee_tcb_svn[2]);
cleanup:
    json_decref(root);
    return rc;
}
