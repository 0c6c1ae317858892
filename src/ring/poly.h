/*
 * RNS polynomials: an element of Z_Q[X]/(X^N + 1), Q = q_0 ... q_{k-1},
 * stored as k limbs of N words each in one 64-byte-aligned block
 * (limb-major: c[i*N + j] is coefficient or evaluation j mod q_i), with a
 * flag saying whether it is in coefficient or NTT (evaluation) form.
 *
 * A polynomial's basis is an array of moduli pointers owned by a ring (or
 * by a scheme context built on one): two polynomials are compatible when
 * they have the same N, limb count and moduli. Multi-limb operations run
 * OpenMP-parallel over limbs (never nested inside a parallel region); the
 * results are bit-identical for any thread count.
 *
 * Operations return LATHE_OK, LATHE_EINVAL (NULL, or wrong form) or
 * LATHE_EMISMATCH (incompatible bases). Outputs may alias inputs.
 */
#ifndef LT_POLY_H
#define LT_POLY_H

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

/* Allocates a zero polynomial (coefficient form) over mod[0..nlimbs). */
lathe_status lt_poly_init(lt_poly *p, size_t n, const lt_modulus *const *mod, unsigned nlimbs);

/* Frees the storage (zeroizing it first: polynomials may hold secrets). */
void lt_poly_clear(lt_poly *p);

/* Limb i. */
static inline uint64_t *
lt_poly_limb(const lt_poly *p, unsigned i)
{
	return p->c + (size_t)i * p->n;
}

/* Whether a and b have the same N, limb count and moduli. */
int lt_poly_compatible(const lt_poly *a, const lt_poly *b);

/* Whether a multi-limb operation over k limbs of n words should run in parallel. */
int lt_par(unsigned k, size_t n);

lathe_status lt_poly_copy(lt_poly *r, const lt_poly *a);
lathe_status lt_poly_zero(lt_poly *r);

/* r = a + b, a - b, -a (same form). */
lathe_status lt_poly_add(lt_poly *r, const lt_poly *a, const lt_poly *b);
lathe_status lt_poly_sub(lt_poly *r, const lt_poly *a, const lt_poly *b);
lathe_status lt_poly_neg(lt_poly *r, const lt_poly *a);

/* r = a * b pointwise; both in NTT form (else LATHE_EINVAL). */
lathe_status lt_poly_mul(lt_poly *r, const lt_poly *a, const lt_poly *b);

/* r = r + a * b pointwise; all three in NTT form. */
lathe_status lt_poly_mac(lt_poly *r, const lt_poly *a, const lt_poly *b);

/* r = a * c for an integer constant c (reduced mod each prime; any form). */
lathe_status lt_poly_mul_int(lt_poly *r, const lt_poly *a, int64_t c);

/* r = a * c[i] limb-wise, c[i] < q_i (any form). */
lathe_status lt_poly_mul_rns(lt_poly *r, const lt_poly *a, const uint64_t *c);

/* In-place form conversion; converting to the form already held is a no-op. */
lathe_status lt_poly_to_ntt(lt_poly *p);
lathe_status lt_poly_to_coeff(lt_poly *p);

/*
 * Sets p (coefficient form) to the small signed polynomial s[0..n), each
 * in [-127, 127], lifted into every limb. CT: yes.
 */
lathe_status lt_poly_set_small(lt_poly *p, const int8_t *s);

#endif
