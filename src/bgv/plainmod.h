/*
 * Plaintext moduli. A context serves a small set of them over one chain:
 * the user's t = p^r and, in a bootstrappable context, t' = p^e (e > r),
 * under which bootstrapping runs its middle steps before dividing by p
 * (BOOTSTRAP.md §2; Gentry-Halevi-Smart 2012, "Better bootstrapping"). Every
 * ciphertext and plaintext records the one it is under. Key-switching keys
 * and the public key are generated under the largest (their error p^e e is
 * = 0 mod p^r, so one key serves every modulus of the set).
 */
#ifndef LT_BGV_PLAINMOD_H
#define LT_BGV_PLAINMOD_H

#include <stdint.h>

#include <lathe/error.h>

#include "../ring/modarith.h"
#include "../ring/tdiv.h"
#include "slots.h"

#define LT_MAX_PLAINMOD 2

/* Noise model constants, log2 of canonical-norm bounds (noise.c). */
typedef struct lt_noise_model {
	double fresh_pk;     /* v of a public-key encryption */
	double fresh_sk;     /* v of a secret-key encryption */
	double ms;           /* rounding added by one modulus switch: t (tau0 + tau1 s) */
	double ms3;          /* the same for 3 components: t (tau0 + tau1 s + tau2 s^2) */
	double ks;           /* added by one key switch (max over levels) */
	double plain;        /* canonical norm bound of a plaintext (N t / 2) */
} lt_noise_model;

/*
 * The t-dependent tables of one plaintext modulus t = p^r over a context's
 * primes: the t-preserving divisions (ring/tdiv.h) of modulus switching,
 * ModDown and decryption at every level, the noise model, and the slot
 * structure (slots.h) when p is odd.
 */
typedef struct lt_plainmod {
	uint64_t t, p;               /* t = p^r, p prime */
	unsigned r;
	lt_barrett br;               /* for reductions mod t */
	lt_tdiv *ms;                 /* [l], l >= 1: drop q_l (B = q_0..q_{l-1}, C = q_l) */
	lt_tdiv *md;                 /* [l]: ModDown (B = q_0..q_l, C = P) */
	lt_tdiv *dec;                /* [l], l >= 1: decryption (B = q_0, C = q_1..q_l) */
	lt_tdiv *msk;                /* [l nq + k], l >= k + 2: switch from level l to k at once
	                                (B = q_0..q_k, C = q_{k+1}..q_l) */
	lt_noise_model nm;
	lt_slots slots;              /* ell = 0 when p = 2 (no slot structure) */
} lt_plainmod;

struct lathe_ctx;

/*
 * Builds pm for t = p^r over c's ring (the chain, special primes, and the
 * products the tables need must be set). No prime of c may divide t
 * (LATHE_EPARAM). LATHE_ENOMEM; pm is cleared on error.
 */
lathe_status lt_plainmod_init(const struct lathe_ctx *c, lt_plainmod *pm, uint64_t p, unsigned r);
/* Frees pm's tables (safe on a zeroed or partly built pm). */
void lt_plainmod_clear(const struct lathe_ctx *c, lt_plainmod *pm);

#endif
