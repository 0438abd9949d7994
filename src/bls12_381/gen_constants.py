#!/usr/bin/env python3
"""Generates constants.h for src/bls12_381: field moduli, Montgomery constants, generators,
Frobenius coefficients and the RFC 9380 SSWU / isogeny constants for G1 (11-isogeny) and G2
(3-isogeny, Appendix E.3), all as 64-bit
little-endian limbs (field elements in Montgomery form). Run: python3 gen_constants.py > constants.h
Only public curve parameters go here; nothing secret, nothing computed at run time."""

P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
R_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001
X_ABS = 0xd201000000010000  # BLS parameter x = -X_ABS

def limbs(v, n):
    return [(v >> (64 * i)) & (2**64 - 1) for i in range(n)]

def fmt(v, n):
    return "{" + ", ".join("0x%016xULL" % l for l in limbs(v, n)) + "}"

def mont(v):
    return (v * 2**384) % P

def fpc(v):
    return "{" + fmt(mont(v % P), 6) + "}"

def fp2c(a, b):
    return "{" + fpc(a) + ", " + fpc(b) + "}"

# Fp2 arithmetic (u^2 = -1) for the Frobenius coefficients
def f2mul(a, b):
    return ((a[0] * b[0] - a[1] * b[1]) % P, (a[0] * b[1] + a[1] * b[0]) % P)

def f2pow(a, e):
    r = (1, 0)
    while e:
        if e & 1:
            r = f2mul(r, a)
        a = f2mul(a, a)
        e >>= 1
    return r

XI = (1, 1)
G1X = 0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb
G1Y = 0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1
G2X0 = 0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8
G2X1 = 0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e
G2Y0 = 0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801
G2Y1 = 0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be

assert (G1Y**2 - G1X**3 - 4) % P == 0
y2 = f2mul((G2Y0, G2Y1), (G2Y0, G2Y1))
x3 = f2mul(f2mul((G2X0, G2X1), (G2X0, G2X1)), (G2X0, G2X1))
assert ((y2[0] - x3[0] - 4) % P, (y2[1] - x3[1] - 4) % P) == (0, 0)

# 3 * (p^4 - p^2 + 1) / r == (x-1)^2 (x+p)(x^2+p^2-1) + 3, with x = -X_ABS (used by pairing.c)
x = -X_ABS
assert (P**4 - P**2 + 1) % R_ORDER == 0
assert 3 * ((P**4 - P**2 + 1) // R_ORDER) == (x - 1)**2 * (x + P) * (x**2 + P**2 - 1) + 3

ISO_XNUM = [
 0x11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7,
 0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb,
 0x0d54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0,
 0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861,
 0x0e99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9,
 0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983,
 0x0d6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84,
 0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e,
 0x080d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317,
 0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e,
 0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b,
 0x06e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229,
]
ISO_XDEN = [
 0x08ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c,
 0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff,
 0x0b2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19,
 0x03425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8,
 0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e,
 0x0e7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5,
 0x0772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a,
 0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e,
 0x0a10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641,
 0x095fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a,
 0x1,
]
ISO_YNUM = [
 0x090d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33,
 0x134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696,
 0x00cc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6,
 0x01f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb,
 0x08cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb,
 0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0,
 0x04ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2,
 0x0987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29,
 0x09fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587,
 0x0e1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30,
 0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132,
 0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e,
 0x0b182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8,
 0x0245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133,
 0x05c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b,
 0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604,
]
ISO_YDEN = [
 0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1,
 0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d,
 0x058df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2,
 0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416,
 0x0be0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d,
 0x08d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac,
 0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c,
 0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9,
 0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a,
 0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55,
 0x04d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8,
 0x0accbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092,
 0x0ad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc,
 0x02660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7,
 0x0e0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f,
 0x1,
]
SSWU_A = 0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d
SSWU_B = 0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0
SSWU_Z = 11

# RFC 9380 section 8.8.2 (BLS12381G2_XMD:SHA-256_SSWU_RO_) and appendix E.3: E2': y^2 = x^3 +
# A' x + B' over Fp2 with A' = 240 I, B' = 1012 (1 + I), Z = -(2 + I), and the 3-isogeny E2' -> E2.
# Fp2 values are (c0, c1) for c0 + c1 I.
SSWU2_A = (0, 240)
SSWU2_B = (1012, 1012)
SSWU2_Z = (P - 2, P - 1)
ISO3_XNUM = [
 (0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6,
  0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6),
 (0, 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a),
 (0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e,
  0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d),
 (0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1, 0),
]
ISO3_XDEN = [
 (0, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63),
 (0xc, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f),
 (1, 0),
]
ISO3_YNUM = [
 (0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706,
  0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706),
 (0, 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be),
 (0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c,
  0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f),
 (0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10, 0),
]
ISO3_YDEN = [
 (0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb,
  0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb),
 (0, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3),
 (0x12, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99),
 (1, 0),
]

def f2inv_(a):
    n = pow(a[0] * a[0] + a[1] * a[1], P - 2, P)
    return (a[0] * n % P, (-a[1]) * n % P)

def f2neg(a):
    return ((-a[0]) % P, (-a[1]) % P)

# The 3-isogeny must send E2' to E2 (y^2 = x^3 + 4 (1 + I)): check it at a point of E2'.
def f2add(a, b):
    return ((a[0] + b[0]) % P, (a[1] + b[1]) % P)

def f2poly(c, x):
    acc = (0, 0)
    for k in reversed(c):
        acc = f2add(f2mul(acc, x), k)
    return acc

def f2sqrt(a):
    """Tonelli-Shanks over Fp2 (generation-time check only); None for a non-square."""
    e = (P * P - 1) // 2
    if f2pow(a, e) != (1, 0):
        return None
    q, s = P * P - 1, 0
    while q % 2 == 0:
        q //= 2
        s += 1
    z = (1, 1)
    while f2pow(z, (P * P - 1) // 2) == (1, 0):
        z = (z[0] + 1, z[1])
    m, c, t, r = s, f2pow(z, q), f2pow(a, q), f2pow(a, (q + 1) // 2)
    while t != (1, 0):
        i, tt = 0, t
        while tt != (1, 0):
            tt = f2mul(tt, tt)
            i += 1
        b = f2pow(c, 2 ** (m - i - 1))
        m, c = i, f2mul(b, b)
        t, r = f2mul(t, c), f2mul(r, b)
    return r

def on_e2prime(x):
    return f2add(f2add(f2mul(f2mul(x, x), x), f2mul(SSWU2_A, x)), SSWU2_B)

xp = (5, 1)
while f2sqrt(on_e2prime(xp)) is None:
    xp = (xp[0] + 1, xp[1])
yp = f2sqrt(on_e2prime(xp))
assert f2mul(yp, yp) == on_e2prime(xp)
ix = f2mul(f2poly(ISO3_XNUM, xp), f2inv_(f2poly(ISO3_XDEN, xp)))
iy = f2mul(yp, f2mul(f2poly(ISO3_YNUM, xp), f2inv_(f2poly(ISO3_YDEN, xp))))
assert f2mul(iy, iy) == f2add(f2mul(f2mul(ix, ix), ix), (4, 4))

# G1 endomorphism phi(x, y) = (beta x, y) acts on G1 as multiplication by a primitive cube root
# of unity mod r; pick the beta whose eigenvalue is -x^2 (Scott's G1 membership test).
def g1_add(a, b):
    if a is None: return b
    if b is None: return a
    if a[0] == b[0]:
        if (a[1] + b[1]) % P == 0: return None
        l = 3 * a[0] * a[0] * pow(2 * a[1], P - 2, P) % P
    else:
        l = (b[1] - a[1]) * pow(b[0] - a[0], P - 2, P) % P
    x3 = (l * l - a[0] - b[0]) % P
    return (x3, (l * (a[0] - x3) - a[1]) % P)

def g1_mul(k, pt):
    r = None
    while k:
        if k & 1: r = g1_add(r, pt)
        pt = g1_add(pt, pt)
        k >>= 1
    return r

lam = (-X_ABS**2) % R_ORDER
assert pow(lam, 3, R_ORDER) == 1
target = g1_mul(lam, (G1X, G1Y))
beta = None
g = 2
while beta is None:
    c = pow(g, (P - 1) // 3, P)
    g += 1
    if c == 1: continue
    for cand in (c, c * c % P):
        if (cand * G1X % P, G1Y) == target:
            beta = cand
assert beta is not None

out = []
w = out.append
w("/* Generated by gen_constants.py: BLS12-381 constants as 64-bit little-endian limbs, field")
w(" * elements in Montgomery form (R = 2^384 for Fp). Do not edit by hand; regenerate. */")
w("#ifndef TK_BLS_CONSTANTS_H\n#define TK_BLS_CONSTANTS_H\n")
w("#define BLS_P_LIMBS %s" % fmt(P, 6))
w("#define BLS_P_INV 0x%016xULL /* -p^-1 mod 2^64 */" % ((-pow(P, -1, 2**64)) % 2**64))
w("#define BLS_FP_ONE {%s}" % fmt(mont(1), 6))
w("#define BLS_FP_R2 {%s} /* R^2 mod p */" % fmt((2**768) % P, 6))
w("#define BLS_FP_2_256 {%s} /* 2^256 R^2 mod p (lifts the high half in hash_to_field) */" % fmt((2**256 * 2**768) % P, 6))
w("#define BLS_P_MINUS_2 %s" % fmt(P - 2, 6))
w("#define BLS_P_PLUS_1_DIV_4 %s" % fmt((P + 1) // 4, 6))
w("#define BLS_P_MINUS_1_DIV_2 %s" % fmt((P - 1) // 2, 6))
w("#define BLS_R_LIMBS %s" % fmt(R_ORDER, 4))
w("#define BLS_R_INV 0x%016xULL /* -r^-1 mod 2^64 */" % ((-pow(R_ORDER, -1, 2**64)) % 2**64))
w("#define BLS_FR_R2 %s /* (2^256)^2 mod r */" % fmt((2**512) % R_ORDER, 4))
w("#define BLS_R_MINUS_2 %s" % fmt(R_ORDER - 2, 4))
w("#define BLS_X_ABS 0x%016xULL" % X_ABS)
w("#define BLS_FP_B %s" % fpc(4))
w("#define BLS_FP_B3 %s" % fpc(12))
w("#define BLS_G1_X %s" % fpc(G1X))
w("#define BLS_G1_Y %s" % fpc(G1Y))
w("#define BLS_G2_X %s" % fp2c(G2X0, G2X1))
w("#define BLS_G2_Y %s" % fp2c(G2Y0, G2Y1))
w("#define BLS_G1_BETA %s" % fpc(beta))
# Frobenius: coefficient of w^k in Fp12 is multiplied by xi^(k (p-1)/6) after conjugation
for k in range(1, 6):
    g = f2pow(XI, k * (P - 1) // 6)
    w("#define BLS_FROB_W%d %s" % (k, fp2c(*g)))
# psi endomorphism on the twist: psi(x, y) = (conj(x) * PSI_X, conj(y) * PSI_Y)
psx = f2pow(XI, (P - 1) // 3)
psy = f2pow(XI, (P - 1) // 2)
def f2inv(a):
    n = pow(a[0] * a[0] + a[1] * a[1], P - 2, P)
    return (a[0] * n % P, (-a[1]) * n % P)
w("#define BLS_PSI_X %s" % fp2c(*f2inv(psx)))
w("#define BLS_PSI_Y %s" % fp2c(*f2inv(psy)))
w("#define BLS_P_MINUS_3_DIV_4 %s" % fmt((P - 3) // 4, 6))
w("#define BLS_FP_HALF %s" % fpc(pow(2, P - 2, P)))
# psi2(x, y) = (PSI2_X x, -y) on E2 (RFC 9380 appendix G.3: 1 / 2^((p - 1) / 3), in Fp)
w("#define BLS_PSI2_X %s" % fpc(pow(pow(2, (P - 1) // 3, P), P - 2, P)))
w("#define BLS_SSWU_A %s" % fpc(SSWU_A))
w("#define BLS_SSWU_B %s" % fpc(SSWU_B))
w("#define BLS_SSWU_Z %s" % fpc(SSWU_Z))
# -B / A and B / (Z A), the two x1 values of the simplified SWU map (RFC 9380 section 6.6.2)
sqrt_minus_z = pow(P - SSWU_Z, (P + 1) // 4, P)
assert sqrt_minus_z * sqrt_minus_z % P == P - SSWU_Z
w("#define BLS_SSWU_SQRT_MINUS_Z %s /* sqrt(-Z): y2 = Z sqrt(-Z) u^3 y1 (p = 3 mod 4) */" % fpc(sqrt_minus_z))
w("#define BLS_SSWU_MINUS_B_OVER_A %s" % fpc(-SSWU_B * pow(SSWU_A, P - 2, P)))
w("#define BLS_SSWU_B_OVER_ZA %s" % fpc(SSWU_B * pow(SSWU_Z * SSWU_A, P - 2, P)))
w("#define BLS_SSWU2_A %s" % fp2c(*SSWU2_A))
w("#define BLS_SSWU2_B %s" % fp2c(*SSWU2_B))
w("#define BLS_SSWU2_Z %s" % fp2c(*SSWU2_Z))
w("#define BLS_SSWU2_MINUS_B_OVER_A %s" % fp2c(*f2neg(f2mul(SSWU2_B, f2inv_(SSWU2_A)))))
w("#define BLS_SSWU2_B_OVER_ZA %s" % fp2c(*f2mul(SSWU2_B, f2inv_(f2mul(SSWU2_Z, SSWU2_A)))))
# sqrt(-N(Z)) in Fp (N(Z) = 5 and -1 are non-squares, so -5 is a square): lets hash_to_g2.c get
# sqrt(N(g(x2))) from the exponentiation that found N(g(x1)) a non-square
SQRT_MINUS_NZ = pow((-(SSWU2_Z[0] ** 2 + SSWU2_Z[1] ** 2)) % P, (P + 1) // 4, P)
assert SQRT_MINUS_NZ * SQRT_MINUS_NZ % P == (-(SSWU2_Z[0] ** 2 + SSWU2_Z[1] ** 2)) % P
w("#define BLS_SSWU2_SQRT_MINUS_NORM_Z %s" % fpc(SQRT_MINUS_NZ))
for name, arr in (("XNUM", ISO3_XNUM), ("XDEN", ISO3_XDEN), ("YNUM", ISO3_YNUM), ("YDEN", ISO3_YDEN)):
    w("#define BLS_ISO3_%s_LEN %d" % (name, len(arr)))
    w("#define BLS_ISO3_%s { \\" % name)
    for v in arr:
        w("    %s, \\" % fp2c(*v))
    w("}")
for name, arr in (("XNUM", ISO_XNUM), ("XDEN", ISO_XDEN), ("YNUM", ISO_YNUM), ("YDEN", ISO_YDEN)):
    w("#define BLS_ISO_%s_LEN %d" % (name, len(arr)))
    w("#define BLS_ISO_%s { \\" % name)
    for v in arr:
        w("    %s, \\" % fpc(v))
    w("}")
w("\n#endif")
print("\n".join(out))
