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

typedef struct lt_modulus {
	uint64_t q;
	unsigned bits;      /* bit length of q */
	lt_barrett br;      /* floor(2^128 / q) */
	lt_ntt_tables ntt;  /* ntt.kern: the kernels of this prime, for vec.h and rns.h too */
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

/* log2 of n if n is a power of two, else -1. */
int lt_log2_exact(size_t n);

#endif
