/*
 * The ring R = Z[X]/(X^N + 1) with a list of word primes: each prime's
 * reduction constants and NTT tables. Immutable after lt_ring_init; shared
 * by any number of threads.
 */
#ifndef LT_RING_H
#define LT_RING_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "modarith.h"
#include "ntt.h"

#define LT_MAX_MODULI 128

/*
 * A word modulus: a ring's prime, with NTT tables, or a bare modulus
 * (lt_modulus_init_bare) without them.
 */
typedef struct lt_modulus {
	uint64_t q;
	unsigned bits;      /* bit length of q */
	lt_barrett br;      /* floor(2^128 / q) */
	lt_ntt_tables ntt;  /* ntt.kern: the kernels of this modulus, for vec.h and rns.h too;
	                       a bare modulus has only ntt.q and ntt.kern set */
} lt_modulus;

typedef struct lt_ring {
	size_t n;           /* N = 2^logn */
	unsigned logn;
	unsigned nmod;
	lt_modulus *mod;            /* nmod moduli */
	const lt_modulus **modp;    /* modp[i] = &mod[i]: a basis of all moduli in order */
	const struct lt_kernels *kern; /* the ring's kernel table (kernels.h) */
} lt_ring;

/*
 * Sets up the ring of degree n with the k primes q[0..k) on the kernels
 * kern (kernels.h): r->kern = kern, and each prime q < kern->qmax uses
 * kern, a larger one the scalar kernels (r->mod[i].ntt.kern).
 * Errors: LATHE_EINVAL (NULL, k = 0 or k > LT_MAX_MODULI),
 * LATHE_EPARAM (n not a power of two in [2^4, 2^17]; a q not prime, not
 * below 2^62, not 1 mod 2N, or repeated), LATHE_ENOMEM. After an error
 * other than a NULL argument r is zeroed (lt_ring_clear is safe on it).
 * CT: n/a (public parameters).
 */
lathe_status lt_ring_init_kernels(lt_ring *r, size_t n, const uint64_t *q, unsigned k,
                                  const struct lt_kernels *kern);

/*
 * lt_ring_init_kernels on the default kernels, picked now: lt_kernels_default()
 * (the CPU's best path, or scalar under LATHE_KERNEL=scalar).
 */
lathe_status lt_ring_init(lt_ring *r, size_t n, const uint64_t *q, unsigned k);

/* Releases the ring's tables. Safe on a zeroed struct. */
void lt_ring_clear(lt_ring *r);

/*
 * A bare modulus: q's reduction constants and kernels but no NTT tables,
 * for a ciphertext modulus that is not NTT-friendly and may be composite,
 * such as bootstrapping's q' = k p^e + 1. It serves the kernels that work
 * in coefficient form: the element-wise kernels of vec.h, the base
 * conversions of rns.h and the division of tdiv.h in coefficient form;
 * never an NTT. m->ntt is zeroed but for ntt.q = q and ntt.kern = kern when
 * q < kern->qmax, else the scalar kernels (as lt_ring_init_kernels does
 * for each prime); kern is normally the ring's own, r->kern, so that m
 * shares the kernels of the ring's primes.
 * Requires q odd, 3 <= q < 2^62: the Barrett and Shoup arithmetic of
 * modarith.h holds for any q < 2^62, and odd q keeps the centered
 * representatives symmetric, as the vector paths' balanced residues
 * (avx2.h) and the t-preserving division (tdiv.h) assume. Primality is not
 * needed; inverses mod m are taken with lt_invmod_any.
 * Nothing is allocated: m needs no clearing.
 * Errors: LATHE_EINVAL (NULL m or kern), LATHE_EPARAM (q even, below 3 or
 * not below 2^62). After an error other than a NULL m, m is zeroed.
 * CT: n/a (public parameters).
 */
lathe_status lt_modulus_init_bare(lt_modulus *m, uint64_t q, const struct lt_kernels *kern);

/* Whether m has NTT tables (a ring's prime) or is bare. CT: n/a. */
static inline int
lt_modulus_has_ntt(const lt_modulus *m)
{
	return m->ntt.w != NULL;
}

/* log2 of n if n is a power of two, else -1. */
int lt_log2_exact(size_t n);

#endif
