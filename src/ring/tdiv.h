/*
 * t-preserving RNS division by a product of moduli: the one step behind
 * BGV modulus switching (divide by the dropped prime q_l), the ModDown of
 * hybrid key switching (divide by P), decryption (divide by q_1...q_l at
 * once) and bootstrapping's switch to a modulus q' that is not
 * NTT-friendly (a bare modulus, ring.h, as the basis B).
 *
 * x is given by its residues over two bases of pairwise coprime odd
 * moduli, B = b_0..b_{nb-1} and C = c_0..c_{nc-1}; X is any integer with
 * those residues. The kernel computes, mod each b_i,
 *     x' = (X - delta) / C,   delta = t Y,   Y = t^-1 X (mod C) small,
 * so that delta = X (mod C): the division is exact; and delta = 0
 * (mod t): x' C = X (mod t), i.e. x' = X C^-1 (mod t). The plaintext
 * congruence mod t is kept up to the factor C^-1 mod t, which the plan
 * exposes (plan->cinv_t) so that callers can track it. x' mod B does not
 * depend on which X is taken (X + kBC gives x' + kB).
 * Gentry, Halevi, Smart 2012 (modulus switching keeping t); Kim, Polyakov,
 * Zucca, Asiacrypt 2021, §3-4 (RNS modulus switching and ModDown for BGV);
 * Halevi, Polyakov, Shoup 2019, §2.2 (the centered extension, nc > 1).
 *
 * Rounding contract (what callers' noise bounds may use):
 * - nc = 1: Y is exactly the centered representative of t^-1 X mod c_0,
 *   in [-(c_0 - 1)/2, (c_0 - 1)/2] (integer comparison, no floating point).
 * - nc > 1: Y comes from lt_baseconv_apply_centered (rns.h), whose
 *   correction u is computed in double precision. Y is the centered
 *   representative Y_c in (-C/2, C/2) except when |Y_c| > C (1/2 - eps),
 *   where it may be Y_c - C or Y_c + C instead, whichever lies within
 *   C (1/2 + eps) of 0. In every case
 *       Y = t^-1 X (mod C),   |Y| <= C (1/2 + eps),   eps = nc (nc + 9) 2^-54
 *   (eps < 2^-39 for nc <= 128: it bounds the error of the computed
 *   0.5 + sum_j fl(y_j) fl(1/c_j), y_j < c_j: three roundings per term,
 *   each term below 1, and nc sums below nc + 1, each rounded).
 *   So the result is still an exact t-preserving division of a lift of x:
 *   x' = X C^-1 (mod t), x' = (X - delta) / C exactly, and
 *       |x' - X / C| = |delta| / C <= t (1/2 + eps),
 *   whatever integer X with those residues the caller reasons about.
 * The choice of Y is the same on every kernel path (scalar, AVX2), for
 * any thread count, in both forms of the limbs.
 */
#ifndef LT_TDIV_H
#define LT_TDIV_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "ring.h"

struct lt_baseconv;

/* Forms of the limbs given to lt_rns_tdivide (flags). */
#define LT_TDIV_B_NTT 1u /* the B limbs, input and result, are in NTT form */
#define LT_TDIV_C_NTT 2u /* the C limbs are in NTT form */

/*
 * A division plan for (B, C, t): every constant of lt_rns_tdivide,
 * computed once. Immutable after lt_tdiv_init; shared by any number of
 * threads. The moduli are borrowed (they must outlive the plan), the
 * arrays of pointers to them copied.
 */
typedef struct lt_tdiv {
	unsigned nb, nc;
	uint64_t t;
	uint64_t cinv_t;            /* C^-1 mod t: the factor the plaintext is multiplied by */
	const lt_modulus **mod;     /* nb + nc: B, then C */
	const lt_modulus *const *b; /* mod */
	const lt_modulus *const *c; /* mod + nb */
	uint64_t *cinv_b;           /* nb: C^-1 mod b_i */
	uint64_t *tcinv_b;          /* nb: t C^-1 mod b_i */
	uint64_t tinv_c0;           /* nc = 1: t^-1 mod c_0 */
	struct lt_baseconv *conv;   /* nc > 1: C -> B with t^-1 folded in (rns.h), else NULL */
	/* nc = 1: the kernels of the moduli when all have the same ones, else the scalar ones */
	const struct lt_kernels *kern;
	int b_ntt, c_ntt;           /* every modulus of B (of C) has NTT tables */
} lt_tdiv;

/*
 * Builds the plan dividing by C = c[0..nc) over B = b[0..nb) keeping the
 * message mod t. The moduli: a ring's primes or bare moduli (ring.h), odd,
 * pairwise coprime across both bases; t >= 2 coprime to every one of them
 * (any such t: prime, prime power, even). nb, nc <= LT_MAX_MODULI.
 * Errors: LATHE_EINVAL (NULL plan, basis or modulus; nb or nc zero or
 * above LT_MAX_MODULI), LATHE_EPARAM (t < 2; a modulus even, or two equal
 * or sharing a factor; t sharing a factor with a modulus), LATHE_ENOMEM.
 * After an error other than a NULL plan, plan is zeroed (lt_tdiv_clear is
 * safe on it). CT: n/a (public parameters).
 */
lathe_status lt_tdiv_init(lt_tdiv *plan, const lt_modulus *const *b, unsigned nb, const lt_modulus *const *c,
                          unsigned nc, uint64_t t);

/* Releases the plan's tables. Safe on a zeroed struct and on NULL. */
void lt_tdiv_clear(lt_tdiv *plan);

/*
 * Words of scratch lt_rns_tdivide needs for limbs of n words in the
 * forms `flags`: 0 when the B limbs are in coefficient form; nb n with
 * them in NTT form and nc = 1; (nb + nc + 1) n with them in NTT form and
 * nc > 1. CT: n/a.
 */
size_t lt_tdiv_scratch_words(const lt_tdiv *plan, size_t n, unsigned flags);

/*
 * The division (header comment), in place: x holds the nb limbs over B
 * then the nc limbs over C, n words each, words in [0, q) of their
 * modulus, in the forms `flags` (LT_TDIV_B_NTT, LT_TDIV_C_NTT); the result
 * x' replaces the B limbs, in the B limbs' form, words in [0, b_i). The C
 * limbs are overwritten. scratch: lt_tdiv_scratch_words(plan, n, flags)
 * words (NULL when 0), overlapping nothing else.
 * Requires an NTT form only on a basis whose moduli have NTT tables
 * (plan->b_ntt, plan->c_ntt: bare moduli are coefficient form only), and
 * then n = N of those tables.
 * Parallel over limbs or coefficients (OpenMP; serial when called inside
 * a parallel region); the words are the same for any thread count and
 * kernel path.
 * CT: yes (no data-dependent branches or indices).
 */
void lt_rns_tdivide(const lt_tdiv *plan, uint64_t *x, size_t n, unsigned flags, uint64_t *scratch);

/*
 * lt_rns_tdivide with the result out of place and the two bases apart:
 * xb holds the nb B limbs, xc the nc C limbs (overwritten), out receives
 * x' (nb limbs). out is xb itself or overlaps none of xb, xc and scratch.
 * Otherwise as lt_rns_tdivide. CT: yes.
 */
void lt_rns_tdivide_to(const lt_tdiv *plan, uint64_t *out, const uint64_t *xb, uint64_t *xc, size_t n,
                       unsigned flags, uint64_t *scratch);

/*
 * lt_rns_tdivide_to of k inputs at once, 1 <= k <= LT_TDIV_MAX_MANY:
 * out[w] = the division of (xb[w], xc[w]), the same words as k calls,
 * with each step's limbs of all k inputs in one parallel loop (two
 * threads stay busy when nb or nc is odd). Each out[w] is xb[w] itself or
 * overlaps none of the inputs, the other outputs and scratch; scratch:
 * lt_tdiv_many_scratch_words(plan, n, flags, k) words (0 when the B limbs
 * are in coefficient form; k nb n with them in NTT form and nc = 1;
 * (k nb + nc + 1) n with them in NTT form and nc > 1). CT: yes.
 */
#define LT_TDIV_MAX_MANY 3
void lt_rns_tdivide_many_to(const lt_tdiv *plan, unsigned k, uint64_t *const *out, const uint64_t *const *xb,
                            uint64_t *const *xc, size_t n, unsigned flags, uint64_t *scratch);
size_t lt_tdiv_many_scratch_words(const lt_tdiv *plan, size_t n, unsigned flags, unsigned k);

/*
 * The kernel steps of nc = 1, for the kernel tables (kernels.h); the
 * portable path, any moduli below 2^62. y: n words in [0, c), c odd.
 * lift:   r = the centered lift of y (y - c when y > (c-1)/2) mod m->q;
 * mulsub: r = x cx - lift(y) cy mod m->q, for x in [0, q), cx, cy < q;
 *         r may alias x.
 * Words in [0, m->q). CT: yes.
 */
void lt_tdiv_lift_scalar(uint64_t *r, const uint64_t *y, size_t n, uint64_t c, const lt_modulus *m);
void lt_tdiv_lift_mulsub_scalar(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy,
                                size_t n, uint64_t c, const lt_modulus *m);

/*
 * Divide-and-round by a product of moduli: the t = 1 case of the plan,
 * delta = [X]_C, so in place, in the first nb limbs of x (coefficient
 * form, B limbs then C limbs, as lt_rns_tdivide),
 *     round(X / C) + u  (mod B),
 * u = 0 when nc = 1 (exact rounding; C is odd, so there are no ties);
 * for nc > 1, u in {-1, 0, 1}, nonzero only when X / C lies within eps
 * (the rounding contract above) of a half-integer. The C limbs are
 * overwritten. lt_divround_init: lt_tdiv_init's bases and errors (no t).
 * scratch is not used (may be NULL). CT: yes.
 */
typedef struct lt_divround {
	lt_tdiv plan; /* t = 1 */
} lt_divround;

lathe_status lt_divround_init(lt_divround *dr, const lt_modulus *const *b, unsigned nb, const lt_modulus *const *c,
                              unsigned nc);
void lt_divround_clear(lt_divround *dr);
void lt_divround_apply(const lt_divround *dr, uint64_t *x, size_t n, uint64_t *scratch);

#endif
