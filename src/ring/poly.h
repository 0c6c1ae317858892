/*
 * RNS polynomials: an element of Z_Q[X]/(X^N + 1), Q = q_0 ... q_{k-1},
 * stored as k limbs of N words each (limb-major: c[i*N + j] is coefficient
 * or evaluation j mod q_i), with a flag saying whether it is in coefficient
 * or NTT (evaluation) form.
 *
 * A polynomial's basis is an array of moduli pointers owned by a ring (or
 * by a scheme context built on one): two polynomials are compatible when
 * they have the same N, limb count and moduli. An lt_poly owns its words
 * only when lt_poly_init made it; lt_poly_view describes borrowed words
 * (a ciphertext component, a key) and owns nothing.
 *
 * The operations are unchecked kernels: their callers guarantee the
 * preconditions written on each declaration, which are asserted in debug
 * builds only. Unless a declaration says otherwise, an output may be the
 * same words as an input but must not overlap one partially. Multi-limb
 * operations run OpenMP-parallel over limbs (never nested inside a parallel
 * region); the results are bit-identical for any thread count. Words are
 * reduced: in [0, q_i) in limb i, in and out.
 */
#ifndef LT_POLY_H
#define LT_POLY_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "ring.h"

typedef struct lt_poly {
	size_t n;
	unsigned nlimbs;
	int ntt;                          /* 1: evaluation form, 0: coefficients */
	const lt_modulus *const *mod;     /* mod[i] is the prime of limb i */
	uint64_t *c;                      /* nlimbs * n words */
} lt_poly;

/*
 * Allocates a zero polynomial (coefficient form, 64-byte-aligned words)
 * over mod[0..nlimbs); mod is borrowed and must outlive p.
 * Errors: LATHE_EINVAL (NULL, n = 0 or nlimbs = 0), LATHE_ENOMEM; p is
 * zeroed on either (lt_poly_clear is safe on it).
 */
lathe_status lt_poly_init(lt_poly *p, size_t n, const lt_modulus *const *mod, unsigned nlimbs);

/*
 * Frees the words of a polynomial made by lt_poly_init (zeroizing them
 * first: polynomials may hold secrets) and zeroes p. Only for what
 * lt_poly_init made: on a view it would free borrowed storage. NULL-safe.
 */
void lt_poly_clear(lt_poly *p);

/*
 * A polynomial over the nlimbs limbs of n words at `words`, in NTT form
 * when ntt != 0, else in coefficient form. The view borrows words and mod
 * (both must outlive it) and owns nothing: never lt_poly_clear a view.
 */
static inline lt_poly
lt_poly_view(size_t n, const lt_modulus *const *mod, unsigned nlimbs, uint64_t *words, int ntt)
{
	assert(n > 0 && nlimbs > 0 && mod && words);
	lt_poly p = { .n = n, .nlimbs = nlimbs, .ntt = ntt != 0, .mod = mod, .c = words };
	return p;
}

/* Limb i. */
static inline uint64_t *
lt_poly_limb(const lt_poly *p, unsigned i)
{
	return p->c + (size_t)i * p->n;
}

/* Whether a and b have the same N, limb count and moduli. */
int lt_poly_compatible(const lt_poly *a, const lt_poly *b);

/* Whether the words of a and b share at least one word. */
int lt_poly_overlap(const lt_poly *a, const lt_poly *b);

/* Whether a multi-limb operation over k limbs of n words should run in parallel. */
int lt_par(unsigned k, size_t n);

/* dst = src, k limbs of n words (not overlapping), the limbs split among the threads. */
void lt_limbs_copy(uint64_t *dst, const uint64_t *src, unsigned k, size_t n);

/*
 * The preconditions below are on every operation: the polynomials are
 * non-NULL with words, and all of one call's polynomials are compatible.
 * CT: yes for all of them (no branch or index depends on a word).
 */

/* r = a, and r takes a's form. */
void lt_poly_copy(lt_poly *r, const lt_poly *a);

/* r = a + b, a - b, -a; a and b in the same form, which r takes. */
void lt_poly_add(lt_poly *r, const lt_poly *a, const lt_poly *b);
void lt_poly_sub(lt_poly *r, const lt_poly *a, const lt_poly *b);
void lt_poly_neg(lt_poly *r, const lt_poly *a);

/* r = a * b pointwise; a and b in NTT form; r is then in NTT form. */
void lt_poly_mul(lt_poly *r, const lt_poly *a, const lt_poly *b);

/* r = r + a * b pointwise; r, a and b in NTT form. */
void lt_poly_mac(lt_poly *r, const lt_poly *a, const lt_poly *b);

/* r = a * c for an integer constant c (reduced mod each prime); any form, which r takes. */
void lt_poly_mul_int(lt_poly *r, const lt_poly *a, int64_t c);

/* r = a * c[i] limb-wise; c[0..nlimbs) with c[i] < q_i; any form, which r takes. */
void lt_poly_mul_rns(lt_poly *r, const lt_poly *a, const uint64_t *c);

/* In-place form conversion (ntt.h transforms); converting to the form already held is a no-op. */
void lt_poly_to_ntt(lt_poly *p);
void lt_poly_to_coeff(lt_poly *p);

/*
 * Sets p to the small signed polynomial s[0..n), each in [-127, 127],
 * lifted into every limb; p is then in coefficient form. s non-NULL.
 */
void lt_poly_set_small(lt_poly *p, const int8_t *s);
/*
 * p = c * s in NTT form (s: N small coefficients, as lt_poly_set_small),
 * one limb at a time so that each is transformed while it is in cache:
 * the same as lt_poly_set_small, lt_poly_mul_int and lt_poly_to_ntt.
 * Constant time in s.
 */
void lt_poly_set_small_ntt(lt_poly *p, const int8_t *s, int64_t c);
/* One limb of it: d[0..n) = c * s modulo m, in NTT form. */
void lt_small_ntt_limb(uint64_t *d, const int8_t *s, int64_t c, size_t n, const lt_modulus *m);

#endif
