/*
 * Group law and scalar multiplication for y^2 = x^3 + b in homogeneous projective
 * coordinates, shared by G1 (over Fp) and G2 (over Fp2): g1.c and g2.c include this file after
 * defining PT (point type), FE (field type), FN(name) (field function names), GN(name)
 * (group function names), FE_MUL_B3 and FE_MUL_B (multiplication by 3b and b).
 * The addition and doubling are the complete formulas of Renes, Costello and Batina (2016,
 * algorithms 7 and 9 for a = 0): no exceptional cases, hence no branches, so the constant-time
 * scalar multiplication below needs none either. Only the _var functions may branch on data.
 */

void GN(identity)(PT *r)
{
    memset(r, 0, sizeof *r);
    FN(set_one)(&r->y);
}

void GN(add)(PT *r, const PT *p, const PT *q)
{
    FE t0, t1, t2, t3, t4, x3, y3, z3;
    FN(mul)(&t0, &p->x, &q->x);
    FN(mul)(&t1, &p->y, &q->y);
    FN(mul)(&t2, &p->z, &q->z);
    FN(add)(&t3, &p->x, &p->y);
    FN(add)(&t4, &q->x, &q->y);
    FN(mul)(&t3, &t3, &t4);
    FN(add)(&t4, &t0, &t1);
    FN(sub)(&t3, &t3, &t4);
    FN(add)(&t4, &p->y, &p->z);
    FN(add)(&x3, &q->y, &q->z);
    FN(mul)(&t4, &t4, &x3);
    FN(add)(&x3, &t1, &t2);
    FN(sub)(&t4, &t4, &x3);
    FN(add)(&x3, &p->x, &p->z);
    FN(add)(&y3, &q->x, &q->z);
    FN(mul)(&x3, &x3, &y3);
    FN(add)(&y3, &t0, &t2);
    FN(sub)(&y3, &x3, &y3);
    FN(add)(&x3, &t0, &t0);
    FN(add)(&t0, &x3, &t0);
    FE_MUL_B3(&t2, &t2);
    FN(add)(&z3, &t1, &t2);
    FN(sub)(&t1, &t1, &t2);
    FE_MUL_B3(&y3, &y3);
    FN(mul)(&x3, &t4, &y3);
    FN(mul)(&t2, &t3, &t1);
    FN(sub)(&x3, &t2, &x3);
    FN(mul)(&y3, &y3, &t0);
    FN(mul)(&t1, &t1, &z3);
    FN(add)(&y3, &t1, &y3);
    FN(mul)(&t0, &t0, &t3);
    FN(mul)(&z3, &z3, &t4);
    FN(add)(&z3, &z3, &t0);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

void GN(dbl)(PT *r, const PT *p)
{
    FE t0, t1, t2, x3, y3, z3;
    FN(sqr)(&t0, &p->y);
    FN(add)(&z3, &t0, &t0);
    FN(add)(&z3, &z3, &z3);
    FN(add)(&z3, &z3, &z3);
    FN(mul)(&t1, &p->y, &p->z);
    FN(sqr)(&t2, &p->z);
    FE_MUL_B3(&t2, &t2);
    FN(mul)(&x3, &t2, &z3);
    FN(add)(&y3, &t0, &t2);
    FN(mul)(&z3, &t1, &z3);
    FN(add)(&t1, &t2, &t2);
    FN(add)(&t2, &t1, &t2);
    FN(sub)(&t0, &t0, &t2);
    FN(mul)(&y3, &t0, &y3);
    FN(add)(&y3, &x3, &y3);
    FN(mul)(&t1, &p->x, &p->y);
    FN(mul)(&x3, &t0, &t1);
    FN(add)(&x3, &x3, &x3);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

void GN(neg)(PT *r, const PT *p)
{
    r->x = p->x;
    FN(neg)(&r->y, &p->y);
    r->z = p->z;
}

void GN(sub)(PT *r, const PT *p, const PT *q)
{
    PT n;
    GN(neg)(&n, q);
    GN(add)(r, p, &n);
}

int GN(is_identity)(const PT *p)
{
    return FN(is_zero)(&p->z);
}

int GN(eq)(const PT *p, const PT *q)
{
    FE a, b, c, d;
    FN(mul)(&a, &p->x, &q->z);
    FN(mul)(&b, &q->x, &p->z);
    FN(mul)(&c, &p->y, &q->z);
    FN(mul)(&d, &q->y, &p->z);
    /* both identity, or neither and the same affine point */
    int pz = FN(is_zero)(&p->z), qz = FN(is_zero)(&q->z);
    return (pz & qz) | (((pz | qz) ^ 1) & FN(eq)(&a, &b) & FN(eq)(&c, &d));
}

/* Y^2 Z == X^3 + b Z^3 (the identity (0:1:0) satisfies it; (0:0:0) is refused) */
int GN(is_on_curve)(const PT *p)
{
    FE l, r, t;
    FN(sqr)(&l, &p->y);
    FN(mul)(&l, &l, &p->z);
    FN(sqr)(&r, &p->x);
    FN(mul)(&r, &r, &p->x);
    FN(sqr)(&t, &p->z);
    FN(mul)(&t, &t, &p->z);
    FE_MUL_B(&t, &t);
    FN(add)(&r, &r, &t);
    return FN(eq)(&l, &r) & ((FN(is_zero)(&p->y) ^ 1) | (FN(is_zero)(&p->z) ^ 1));
}

static void GN(cmov)(PT *r, const PT *a, uint64_t flag)
{
    FN(cmov)(&r->x, &a->x, flag);
    FN(cmov)(&r->y, &a->y, flag);
    FN(cmov)(&r->z, &a->z, flag);
}

/* Fixed 4-bit windows from the top; every table entry is read for every window. */
void GN(mul)(PT *r, const PT *p, const tk_bls_scalar *k)
{
    PT table[16], acc, sel;
    GN(identity)(&table[0]);
    table[1] = *p;
    for (int i = 2; i < 16; i++) {
        GN(add)(&table[i], &table[i - 1], p);
    }
    GN(identity)(&acc);
    for (int w = 63; w >= 0; w--) {
        uint64_t idx = (k->v[w / 16] >> (4 * (w % 16))) & 15;
        for (int d = 0; d < 4; d++) {
            GN(dbl)(&acc, &acc);
        }
        sel = table[0];
        for (uint64_t j = 1; j < 16; j++) {
            uint64_t diff = j ^ idx;
            GN(cmov)(&sel, &table[j], 1 & ~(ct_nonzero_mask(diff)));
        }
        GN(add)(&acc, &acc, &sel);
    }
    *r = acc;
    tk_wipe(table, sizeof table);
    tk_wipe(&sel, sizeof sel);
}

/* Left-to-right double-and-add over the bits of a public multi-limb scalar. */
static void GN(mul_limbs_var)(PT *r, const PT *p, const uint64_t *k, int nlimbs)
{
    PT acc;
    int started = 0;
    GN(identity)(&acc);
    for (int i = nlimbs - 1; i >= 0; i--) {
        for (int b = 63; b >= 0; b--) {
            if (started) {
                GN(dbl)(&acc, &acc);
            }
            if ((k[i] >> b) & 1) {
                if (started) {
                    GN(add)(&acc, &acc, p);
                } else {
                    acc = *p;
                    started = 1;
                }
            }
        }
    }
    *r = acc;
}

void GN(mul_var)(PT *r, const PT *p, const tk_bls_scalar *k)
{
    GN(mul_limbs_var)(r, p, k->v, 4);
}

int GN(msm_var)(PT *r, const PT *p, const tk_bls_scalar *k, size_t n)
{
    PT acc;
    if (r == NULL || (n > 0 && (p == NULL || k == NULL))) {
        return tk_fail(TK_ERR_ARG, "msm: NULL argument");
    }
    GN(identity)(&acc);
    for (int i = 255; i >= 0; i--) {
        GN(dbl)(&acc, &acc);
        for (size_t j = 0; j < n; j++) {
            if ((k[j].v[i / 64] >> (i % 64)) & 1) {
                GN(add)(&acc, &acc, &p[j]);
            }
        }
    }
    *r = acc;
    return TK_OK;
}
