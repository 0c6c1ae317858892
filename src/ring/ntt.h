/*
 * Negacyclic number-theoretic transform over Z_q[X]/(X^N + 1), one limb.
 *
 * Convention (both kernel paths): the forward transform takes coefficients
 * in natural order to evaluations in bit-reversed order,
 *     A[i] = a(psi^(2*brv(i) + 1)) mod q,   brv = logn-bit reversal,
 * where psi is the primitive 2N-th root of unity held in the tables. The
 * inverse transform maps that back, with N^-1 folded into its last layer.
 * Twiddles are stored in bit-reversed order with psi merged in
 * (Longa-Naehrig 2016; Poeppelmann-Oder-Gueneysu 2015).
 */
#ifndef LT_NTT_H
#define LT_NTT_H

#include <stddef.h>
#include <stdint.h>

#define LT_LOGN_MIN 4
#define LT_LOGN_MAX 17

/* The vector path is used only for primes below this bound (exact doubles). */
#define LT_VEC_QMAX_BITS 50
#define LT_VEC_QMAX (UINT64_C(1) << LT_VEC_QMAX_BITS)

typedef struct lt_ntt_tables {
	uint64_t q;
	size_t n;       /* ring degree N = 2^logn */
	unsigned logn;
	uint64_t psi;   /* primitive 2N-th root of unity mod q */
	uint64_t *w;    /* N words: w[i] = psi^brv(i); w[0] unused */
	uint64_t *ws;   /* Shoup quotients of w */
	uint64_t *wi;   /* N words: wi[i] = psi^-(brv(i)) ; wi[0] unused */
	uint64_t *wis;  /* Shoup quotients of wi */
	uint64_t n_inv, n_inv_s;        /* N^-1 mod q and its Shoup quotient */
	uint64_t wi1_ninv, wi1_ninv_s;  /* wi[1] * N^-1, for the folded last layer */
	void *vec;      /* the path's own tables (kern->ntt_prep), one lt_alloc block; or NULL */
	const struct lt_kernels *kern; /* the kernels of this prime (kernels.h) */
} lt_ntt_tables;

/*
 * Builds the tables for prime q (q = 1 mod 2N, q < 2^62) and root psi of
 * order exactly 2N, N = 2^logn with LT_LOGN_MIN <= logn <= LT_LOGN_MAX,
 * for the kernels kern (kernels.h): tab->kern = kern when q < kern->qmax,
 * with kern's own tables in tab->vec, else the scalar kernels (tab->vec
 * NULL). Returns 0, or -1 on allocation failure (tables left cleared).
 * CT: n/a (public parameters).
 */
int lt_ntt_tables_init_kernels(lt_ntt_tables *tab, uint64_t q, uint64_t psi, unsigned logn,
                               const struct lt_kernels *kern);

/* lt_ntt_tables_init_kernels with the default kernels, lt_kernels_default(). */
int lt_ntt_tables_init(lt_ntt_tables *tab, uint64_t q, uint64_t psi, unsigned logn);

/* Frees the tables. Safe on a zeroed or cleared struct. */
void lt_ntt_tables_clear(lt_ntt_tables *tab);

/*
 * Scalar path, any q < 2^62. In place; input words in [0, q), output words
 * in [0, q). Harvey 2014 lazy butterflies (values in [0, 4q) inside).
 * CT: yes.
 */
void lt_ntt_fwd_scalar(uint64_t *a, const lt_ntt_tables *tab);
void lt_ntt_inv_scalar(uint64_t *a, const lt_ntt_tables *tab);

/*
 * Dispatching entry points: the kernels of tab->kern, chosen when the
 * tables were built. Same contract and bit-identical results as the
 * scalar functions.
 */
void lt_ntt_fwd(uint64_t *a, const lt_ntt_tables *tab);
void lt_ntt_inv(uint64_t *a, const lt_ntt_tables *tab);

#endif
