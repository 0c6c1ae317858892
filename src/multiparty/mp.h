/*
 * What the files of the multiparty layer share (never installed): the
 * party and share objects, the derivation of seeds, and the checks every
 * combination makes. party.c: parties, shares, derivations and checks;
 * keygen.c: CKG, RKG, RTG; decrypt.c: CKS and PCKS.
 */
#ifndef LT_MP_H
#define LT_MP_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <lathe/multiparty.h>

#include "../bgv/internal.h"

struct lathe_party {
	const lathe_ctx *ctx;
	unsigned index, nparties;
	uint8_t crs[LATHE_MP_SEED_BYTES];
	uint8_t seed[LATHE_MP_SEED_BYTES]; /* secret: s_i and the key shares' randomness come from it */
	lathe_sk *sk;                      /* s_i (its key id is not the collective key's) */
	int has_pk;
	uint8_t keyid[LT_KEYID_BYTES];     /* the collective key's, once set */
	unsigned threshold;                /* T-out-of-N: T once set, else 0 */
	uint64_t *tpoint;                  /* secret: t_j = P(j + 1), nq limbs, NTT form (threshold set) */
	/*
	 * secret: u_i of the relinearization key (NTT form, all primes), made
	 * by round 1 and used again by round 2; NULL until then. Set once,
	 * atomically: parties are passed as const and may be used by several
	 * threads, and every copy of it is the same.
	 */
	_Atomic(uint64_t *) relin_u;
};

/* Frees (zeroized) what a party keeps between protocol steps. */
void lt_mp_party_drop(lathe_party *p);

/*
 * A share: npoly polynomials of `limbs` limbs (NTT form) over the basis
 * q_0..q_(limbs-1) (shares of ciphertexts: limbs = level + 1) or
 * q_0..q_(nq-1), P (shares of key-switching keys: one polynomial per
 * digit, two for RKG round 1: all h0, then all h1), or q_0..q_(nq-1)
 * (CKG). bind: what the share is for (a ciphertext, round 1's
 * combination), all zero when nothing; keyid: the collective key a
 * ciphertext share is for.
 */
struct lathe_share {
	const lathe_ctx *ctx;
	lathe_share_kind kind;
	unsigned party, nparties;
	uint8_t crs[LATHE_MP_SEED_BYTES];
	uint64_t g;                        /* LATHE_SHARE_GALOIS: the element; DEAL: the recipient; DECRYPT_T: the online set */
	unsigned threshold;                /* DEAL, DECRYPT_T: T */
	lathe_dp dp;                       /* DECRYPT_DP: the parameters (g: each party's sigma^2) */
	unsigned level;                    /* shares of a ciphertext: its level */
	double noise;                      /* shares of a ciphertext: log2 of the bound on what it adds */
	uint8_t bind[32];
	uint8_t keyid[LT_KEYID_BYTES];
	unsigned npoly, limbs;
	uint64_t *w;                       /* npoly * limbs * N words */
};

/* A share of ctx with room for npoly polynomials of limbs limbs, every field and word zero; LATHE_ENOMEM. */
lathe_status lt_mp_share_alloc(const char *fn, const lathe_ctx *ctx, unsigned npoly, unsigned limbs,
                               lathe_share **out);
/* A share of kind for party p with room for npoly polynomials of limbs limbs (zeroed); LATHE_ENOMEM. */
lathe_status lt_mp_share_new(const char *fn, const lathe_party *p, lathe_share_kind kind, unsigned npoly,
                             unsigned limbs, lathe_share **out);
/* Polynomial i of s. */
uint64_t *lt_mp_share_poly(const lathe_share *s, unsigned i);
/* A copy of s's header with a sum's fields (party = nparties), words zeroed; LATHE_ENOMEM. */
lathe_status lt_mp_share_sum_new(const char *fn, const lathe_share *s, lathe_share_kind kind, lathe_share **out);

/*
 * out = BLAKE2b-256 keyed by key, of the label and the data (public
 * derivations are keyed by the common seed, secret ones by the party's
 * seed). CT: yes.
 */
void lt_mp_derive(uint8_t out[32], const uint8_t key[32], const char *label, const void *data, size_t len);
/* A generator for the use `label` (and data) of party p's secret seed. The caller clears it. */
void lt_mp_prng(lt_prng *g, const lathe_party *p, const char *label, const void *data, size_t len);

/*
 * Checks that shares[0..n) are the shares of one protocol step by all
 * parties: none NULL, of `kind`, of one context, common seed, number of
 * parties (= n), element, level, binding and key; every party once.
 * Errors: LATHE_EINVAL (NULL, n = 0, wrong kind, a party missing or
 * repeated, a count other than the parties'), LATHE_EMISMATCH (another
 * context, seed, element, level, ciphertext or key).
 */
lathe_status lt_mp_check_shares(const char *fn, const lathe_share *const *shares, size_t n, lathe_share_kind kind);

/* A sample of the discrete Gaussian N_Z(0, sigma2), 1 <= sigma2 <= 2^40, within 2^-160 of it, in constant time (dgauss.c). */
int64_t lt_dgauss(lt_prng *g, uint64_t sigma2);
/* The sampler's table E_k = floor(2^256 exp(-k)), k < n (at most 129), as four little-endian limbs each (tests). */
void lt_dgauss_exp_table(uint64_t out[][4], unsigned n);

/* The name of a kind, for messages. */
const char *lt_mp_kind_name(lathe_share_kind k);

/* log2 of the smudging bound B for a ciphertext of estimate `noise` under plaintext modulus t (multiparty.h). */
unsigned lt_mp_smudge_bits(const lathe_ctx *c, double noise, uint64_t t);

/* The basis of key shares: q_0..q_(nq-1), P (ctx->qp at the top level). */
static inline const lt_modulus *const *
lt_mp_qp(const lathe_ctx *c)
{
	return (const lt_modulus *const *)c->qp[c->nq - 1];
}

#endif
