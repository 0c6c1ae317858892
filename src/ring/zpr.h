/*
 * Arithmetic modulo a prime power q = p^r (p an odd prime, q < 2^62), in
 * Z_q and in its quadratic extension Z_q[i] = Z_q[Y]/(Y^2 + 1) (the Galois
 * ring GR(p^r, 2) when p = 3 mod 4), roots of unity of order 2^k lifted
 * from Z_p (Teichmueller lifts), and the negacyclic NTT of power-of-two
 * length over Z_q or Z_q[i]. The slot encoders of non-fully-splitting
 * plaintext moduli are built on it (bgv/slots.h).
 *
 * The transform convention is ntt.h's: for a primitive 2n-th root of unity
 * psi, the forward transform takes n coefficients in natural order to
 *     A[k] = a(psi^(2 brv(k) + 1)),   brv = log2(n)-bit reversal,
 * and the inverse maps back (with n^-1 applied). No inverse here uses
 * Fermat's little theorem: n^-1 and psi^-1 come from lt_invmod_any and the
 * root's order, so they are right for r > 1.
 */
#ifndef LT_ZPR_H
#define LT_ZPR_H

#include <stddef.h>
#include <stdint.h>

#include "modarith.h"

/* Z_q for q = p^r. */
typedef struct lt_zpr {
	uint64_t p;     /* odd prime */
	unsigned r;     /* r >= 1 */
	uint64_t q;     /* p^r < 2^62 */
	lt_barrett br;  /* for q */
} lt_zpr;

/* An element re + im i of Z_q[i], both parts in [0, q). */
typedef struct lt_gauss {
	uint64_t re, im;
} lt_gauss;

/*
 * Sets z to Z_{p^r}. Returns 0, or -1 when p is not an odd prime, r = 0 or
 * p^r >= 2^62. CT: n/a (public parameters).
 */
int lt_zpr_init(lt_zpr *z, uint64_t p, unsigned r);

/* a^e in Z_q[i] (public exponent). CT: no in e. */
lt_gauss lt_gauss_pow(lt_gauss a, uint64_t e, const lt_zpr *z);

/* a b in Z_q[i]. CT: yes. */
static inline lt_gauss
lt_gauss_mul(lt_gauss a, lt_gauss b, const lt_zpr *z)
{
	lt_gauss c;
	c.re = lt_submod(lt_mulmod(a.re, b.re, z->q, z->br), lt_mulmod(a.im, b.im, z->q, z->br), z->q);
	c.im = lt_addmod(lt_mulmod(a.re, b.im, z->q, z->br), lt_mulmod(a.im, b.re, z->q, z->br), z->q);
	return c;
}

/*
 * The Teichmueller lift of a mod p: the unique (p-1)-th root of unity of
 * Z_q congruent to a mod p, computed as a^(p^(r-1)) (the unit group of
 * Z_q is cyclic of order p - 1 times a group of exponent p^(r-1)).
 * Requires a != 0 (mod p). CT: n/a (public values).
 */
uint64_t lt_zpr_teichmuller(uint64_t a, const lt_zpr *z);

/*
 * A primitive 2^k-th root of unity of Z_q, k >= 1, 2^k | p - 1: the lift
 * (lt_zpr_teichmuller) of the least primitive 2^k-th root of unity mod p.
 * For r = 1 and 2^k = 2N this is lt_prime_root_2n(p, log2 N).
 * Returns 0 when 2^k does not divide p - 1. CT: n/a.
 */
uint64_t lt_zpr_root2k(unsigned k, const lt_zpr *z);

/*
 * A primitive 2^k-th root of unity of Z_q[i], k >= 2, for p = 3 (mod 4)
 * and 2^k | p^2 - 1: the Teichmueller lift (x^(p^(2(r-1))) for a lift x)
 * of the primitive 2^k-th root of unity of F_p[i] that is least in
 * (im, re) order. Returns {0, 0} when p != 3 (mod 4) or 2^k does not
 * divide p^2 - 1. CT: n/a.
 */
lt_gauss lt_zpr_root2k_gauss(unsigned k, const lt_zpr *z);

/*
 * Tables of the length-n negacyclic NTT over Z_q (gauss = 0) or Z_q[i]
 * (gauss = 1), n = 2^logn >= 2.
 */
typedef struct lt_zpr_ntt {
	lt_zpr z;
	size_t n;
	unsigned logn;
	int gauss;
	lt_gauss psi;       /* primitive 2n-th root of unity (im = 0 unless gauss) */
	uint64_t *w, *ws;   /* real parts of psi^brv(j), j < n, and Shoup quotients */
	uint64_t *wi, *wis; /* the same for psi^-brv(j) */
	uint64_t *v, *vs;   /* imaginary parts of psi^brv(j) (gauss only, else NULL) */
	uint64_t *vi, *vis; /* imaginary parts of psi^-brv(j) (gauss only) */
	uint64_t n_inv, n_inv_s; /* n^-1 mod q */
	void *block;        /* the one allocation behind the arrays */
} lt_zpr_ntt;

/*
 * Builds the tables for Z_q (psi.im must be 0 unless gauss) and the root
 * psi, which must have order exactly 2n (psi^n = -1). Returns 0, or -1 on
 * allocation failure or when psi^n != -1 (tab left cleared). CT: n/a.
 */
int lt_zpr_ntt_init(lt_zpr_ntt *tab, const lt_zpr *z, lt_gauss psi, unsigned logn, int gauss);

/* Frees the tables. Safe on a zeroed or cleared struct. */
void lt_zpr_ntt_clear(lt_zpr_ntt *tab);

/*
 * Forward / inverse transform over Z_q, in place: n words in [0, q) in and
 * out. Requires !tab->gauss. Longa-Naehrig 2016, Alg. 1 and 2 (negacyclic
 * Cooley-Tukey and Gentleman-Sande with psi merged into the twiddles), Shoup
 * multiplication. CT: yes.
 */
void lt_zpr_ntt_fwd(uint64_t *a, const lt_zpr_ntt *tab);
void lt_zpr_ntt_inv(uint64_t *a, const lt_zpr_ntt *tab);

/*
 * The same over Z_q[i]: re[j] + im[j] i, j < n, in place, all words in
 * [0, q). Requires tab->gauss. CT: yes.
 */
void lt_zpr_ntt_fwd_gauss(uint64_t *re, uint64_t *im, const lt_zpr_ntt *tab);
void lt_zpr_ntt_inv_gauss(uint64_t *re, uint64_t *im, const lt_zpr_ntt *tab);

#endif
