/*
 * Context construction, shared by the files that build a context
 * (context.c, chain.c, tables.c). Never installed.
 */
#ifndef LT_BGV_CONTEXT_H
#define LT_BGV_CONTEXT_H

#include "internal.h"

/*
 * What a modulus chain must serve, with every input explicit so that
 * bootstrapping presets reuse the design (DESIGN §4).
 */
typedef struct lt_chain_spec {
	unsigned logn;
	uint64_t t;                  /* plaintext modulus (for messages) */
	double ms;                   /* log2 of one modulus switch's rounding noise */
	double fresh;                /* log2 of a fresh public-key encryption's noise */
	unsigned depth;              /* multiplicative depth, used when nchain == 0 */
	const unsigned *chain_bits;  /* explicit chain prime sizes, bottom first, or NULL */
	unsigned nchain;
	unsigned dnum;               /* digits; 0: the smallest that fits the bound */
	const unsigned *special_bits; /* explicit special prime sizes, or NULL */
	unsigned nspecial;
	int bound;                   /* max log2(Q * P) allowed, 0 for none */
	int security;                /* the security level of the bound, in bits (for messages) */
} lt_chain_spec;

/* A chain design: prime sizes and the digit split. */
typedef struct lt_chain {
	unsigned nq, np;             /* chain and special primes */
	unsigned dnum, alpha;        /* digits of alpha chain primes (the last may be shorter) */
	unsigned bits[LT_MAX_CHAIN];
	unsigned sbits[LT_MAX_SPECIAL];
	double logq_est;             /* sum of the chain sizes */
} lt_chain;

/*
 * Designs a chain for s (KPZ21 chain with automatic switching): q_0 decrypts
 * after a switch, one prime per multiplication, the top one sized for the
 * product of two fresh ciphertexts (or, above 50 bits, a prime of its own
 * absorbing the fresh noise); then, of the dnum whose special primes fit
 * s->bound, the one with the fewest NTTs per key switch.
 * LATHE_EPARAM (primes above 60 bits, q_0 below the switching noise, dnum
 * above the chain), LATHE_EINSECURE (no dnum fits). Messages name `fn`.
 */
lathe_status lt_chain_design(const char *fn, const lt_chain_spec *s, lt_chain *out);

/*
 * Generates the primes of a design: primes[0..nq) chain, then np special,
 * all distinct, none equal to t_prime, each = 1 mod 2N; chain primes also
 * = 1 mod t where enough exist (then modulus switching leaves the plaintext
 * factor at 1). Errors of lt_primes_gen.
 */
lathe_status lt_chain_primes(const lt_chain *ch, unsigned logn, uint64_t t_prime, uint64_t t, uint64_t *primes);

/* Frees every table of c (the ring too); safe on a partly built context. */
void lt_ctx_free_tables(lathe_ctx *c);
/* Builds every table of c once its ring, t, digits and batching are set (tables.c). */
lathe_status lt_ctx_build_tables(lathe_ctx *c);

#endif
