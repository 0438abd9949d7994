/*
 * Group law and scalar multiplication for y^2 = x^3 + b in homogeneous projective
 * coordinates, shared by G1 (over Fp) and G2 (over Fp2): g1.c and g2.c include this file after
 * defining PT (point type), FE (field type), FN(name) (field function names), GN(name)
 * (group function names), FE_MUL_B3 and FE_MUL_B (multiplication by 3b and b).
 * The addition and doubling are the complete formulas of Renes, Costello and Batina (2016,
 * algorithms 7 and 9 for a = 0): no exceptional cases, hence no branches, so the constant-time
 * windowed multiplication below (used by g1.c and g2.c with their endomorphisms) needs none
 * either. Only the _var functions may branch on data.
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

/* tab[j] = j P for j = 0..15 (the table of a fixed 4-bit window). */
static void GN(table16)(PT tab[16], const PT *p)
{
    GN(identity)(&tab[0]);
    tab[1] = *p;
    for (int i = 2; i < 16; i++) {
        GN(add)(&tab[i], &tab[i - 1], p);
    }
}

/* r = tab[idx] for a secret idx < 16: every entry is read, the one wanted kept by a mask. */
static void GN(lookup16)(PT *r, const PT tab[16], uint64_t idx)
{
    *r = tab[0];
    for (uint64_t j = 1; j < 16; j++) {
        GN(cmov)(r, &tab[j], 1 & ~(ct_nonzero_mask(j ^ idx)));
    }
}

/* r = sum k_i Q_i over n sub-scalars k_i of 4 nwin bits (two limbs each), given the tables
 * tab[i][j] = j Q_i: fixed 4-bit windows from the top, interleaved (one run of doublings for
 * all sub-scalars, Straus-Shamir). Constant-time in the sub-scalars and the points: the loop
 * shape depends only on n and nwin, the complete formulas have no exceptional cases and every
 * table entry is read for every window. */
static void GN(mul_windows)(PT *r, const PT (*tab)[16], const uint64_t (*k)[2], int n, int nwin)
{
    PT acc, sel;
    GN(identity)(&acc);
    for (int w = nwin - 1; w >= 0; w--) {
        if (w != nwin - 1) { /* public loop counter */
            for (int d = 0; d < 4; d++) {
                GN(dbl)(&acc, &acc);
            }
        }
        for (int i = 0; i < n; i++) {
            uint64_t idx = (k[i][w / 16] >> (4 * (w % 16))) & 15;
            GN(lookup16)(&sel, tab[i], idx);
            GN(add)(&acc, &acc, &sel);
        }
    }
    *r = acc;
    tk_wipe(&sel, sizeof sel);
}

/* ---- variable-time Jacobian arithmetic (x = X / Z^2, y = Y / Z^3, Z = 0 the identity) for
 * multiplications by public scalars: doubling dbl-2009-l (2M + 5S, against 6M + 2S for the
 * complete formula) and addition add-2007-bl (11M + 5S) of the Explicit-Formulas Database
 * (Bernstein, Lange), their exceptional cases handled by branches on public data. ---- */

static void GN(jac_from)(PT *r, const PT *p)
{
    FE t;
    FN(mul)(&r->x, &p->x, &p->z);
    FN(sqr)(&t, &p->z);
    FN(mul)(&r->y, &p->y, &t);
    r->z = p->z;
}

static void GN(jac_to)(PT *r, const PT *p)
{
    FE t;
    if (FN(is_zero)(&p->z)) {
        GN(identity)(r);
        return;
    }
    FN(mul)(&r->x, &p->x, &p->z);
    FN(sqr)(&t, &p->z);
    FN(mul)(&r->z, &t, &p->z);
    r->y = p->y;
}

static void GN(jac_dbl_var)(PT *r, const PT *p)
{
    FE a, b, c, d, e, f, t;
    FN(sqr)(&a, &p->x);
    FN(sqr)(&b, &p->y);
    FN(sqr)(&c, &b);
    FN(add)(&d, &p->x, &b);
    FN(sqr)(&d, &d);
    FN(sub)(&d, &d, &a);
    FN(sub)(&d, &d, &c);
    FN(add)(&d, &d, &d); /* D = 2 ((X + B)^2 - A - C) */
    FN(add)(&e, &a, &a);
    FN(add)(&e, &e, &a); /* E = 3 A */
    FN(sqr)(&f, &e);
    FN(mul)(&r->z, &p->y, &p->z);
    FN(add)(&r->z, &r->z, &r->z); /* Z3 = 2 Y Z (0 for the identity and 2-torsion) */
    FN(sub)(&t, &f, &d);
    FN(sub)(&r->x, &t, &d); /* X3 = F - 2 D */
    FN(sub)(&t, &d, &r->x);
    FN(mul)(&t, &e, &t);
    FN(add)(&c, &c, &c);
    FN(add)(&c, &c, &c);
    FN(add)(&c, &c, &c);
    FN(sub)(&r->y, &t, &c); /* Y3 = E (D - X3) - 8 C */
}

static void GN(jac_add_var)(PT *r, const PT *p, const PT *q)
{
    FE z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    if (FN(is_zero)(&p->z)) {
        *r = *q;
        return;
    }
    if (FN(is_zero)(&q->z)) {
        *r = *p;
        return;
    }
    FN(sqr)(&z1z1, &p->z);
    FN(sqr)(&z2z2, &q->z);
    FN(mul)(&u1, &p->x, &z2z2);
    FN(mul)(&u2, &q->x, &z1z1);
    FN(mul)(&s1, &p->y, &q->z);
    FN(mul)(&s1, &s1, &z2z2);
    FN(mul)(&s2, &q->y, &p->z);
    FN(mul)(&s2, &s2, &z1z1);
    FN(sub)(&h, &u2, &u1);
    FN(sub)(&rr, &s2, &s1);
    if (FN(is_zero)(&h)) { /* same x: P == Q or P == -Q */
        if (FN(is_zero)(&rr)) {
            GN(jac_dbl_var)(r, p);
        } else {
            memset(r, 0, sizeof *r);
        }
        return;
    }
    FN(add)(&rr, &rr, &rr);
    FN(add)(&i, &h, &h);
    FN(sqr)(&i, &i);
    FN(mul)(&j, &h, &i);
    FN(mul)(&v, &u1, &i);
    FN(add)(&t, &p->z, &q->z);
    FN(sqr)(&t, &t);
    FN(sub)(&t, &t, &z1z1);
    FN(sub)(&t, &t, &z2z2);
    FN(mul)(&r->z, &t, &h);
    FN(sqr)(&t, &rr);
    FN(sub)(&t, &t, &j);
    FN(sub)(&t, &t, &v);
    FN(sub)(&r->x, &t, &v); /* X3 = r^2 - J - 2 V */
    FN(sub)(&t, &v, &r->x);
    FN(mul)(&t, &rr, &t);
    FN(mul)(&s1, &s1, &j);
    FN(add)(&s1, &s1, &s1);
    FN(sub)(&r->y, &t, &s1); /* Y3 = r (V - X3) - 2 S1 J */
}

/* Left-to-right double-and-add over the bits of a public multi-limb scalar, in Jacobian
 * coordinates (any point of the curve, whatever its order). */
static void GN(mul_limbs_var)(PT *r, const PT *p, const uint64_t *k, int nlimbs)
{
    PT acc, base;
    int started = 0;
    GN(jac_from)(&base, p);
    memset(&acc, 0, sizeof acc);
    for (int i = nlimbs - 1; i >= 0; i--) {
        for (int b = 63; b >= 0; b--) {
            if (started) {
                GN(jac_dbl_var)(&acc, &acc);
            }
            if ((k[i] >> b) & 1) {
                if (started) {
                    GN(jac_add_var)(&acc, &acc, &base);
                } else {
                    acc = base;
                    started = 1;
                }
            }
        }
    }
    GN(jac_to)(r, &acc);
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
