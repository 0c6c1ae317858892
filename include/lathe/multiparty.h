/*
 * lathe/multiparty.h: keys shared by several parties, N-out-of-N
 * (Mouchet, Troncoso-Pastoriza, Bossuat, Hubaux, "Multiparty Homomorphic
 * Encryption from Ring-Learning-with-Errors", PETS 2021).
 *
 * Each of n parties holds a secret s_i of its own; the collective secret
 * s = s_0 + ... + s_(n-1) is never formed anywhere. From shares that the
 * parties publish, anyone combines
 *   - the collective public key (CKG), an ordinary lathe_pk for s,
 *   - the collective relinearization key (RKG, two rounds) and Galois
 *     keys (RTG), into an ordinary lathe_evalkeys bundle,
 * so that every encryption, evaluation and file format works unchanged;
 * and a ciphertext under s is opened only when every party publishes a
 *   - decryption share (CKS to the zero key: the combiner learns the
 *     plaintext), or a
 *   - key-switching share towards a recipient's public key (PCKS: only
 *     the recipient's secret key opens the result).
 *
 * The parties agree on a context made for n parties
 * (lathe_params_set_parties) and on a public 32-byte seed, the common
 * reference string from which every uniform polynomial of the protocols
 * is expanded. The model is the paper's: passive (honest-but-curious)
 * parties and combiner, any n - 1 of whom may collude; shares travel in
 * the clear.
 *
 * Randomness. A party's secret and the randomness of its key shares come
 * from its own 32-byte secret seed (lathe_party_new draws it; a party that
 * stops and resumes keeps it, lathe_party_seed): a share of a given
 * protocol is the same every time the party makes it, so publishing it
 * twice reveals nothing more. A decryption share floods the party's
 * contribution with fresh noise (below) every time.
 *
 * Smudging. A decryption or key-switching share of a ciphertext carries
 * t E_i, E_i uniform in [-B, B) per coefficient with
 *     log2 B = lambda + log2 N + ceil(noise - log2 t) + 1,
 * lambda = LATHE_MP_SMUDGE_BITS, noise the ciphertext's public estimate
 * (log2 of a bound on the coefficients of c0 + c1 s). The ciphertext's
 * own error e (c0 + c1 s = m + t e, |e_j| < 2^noise / t) then changes the
 * distribution of each coefficient of e + E_i by at most |e_j| / B in
 * statistical distance, the N coefficients by at most N 2^noise / (t B)
 * <= 2^-lambda: one honest party's share hides what the others' do not.
 * The combined noise grows by about lambda + log2(N n) bits: a ciphertext
 * needs that much budget left at its level, or the share is refused with
 * LATHE_ENOISE (evaluate one level less, or share at a higher level).
 * docs/multiparty.md gives the derivation.
 */
#ifndef LATHE_MULTIPARTY_H
#define LATHE_MULTIPARTY_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/bgv.h>
#include <lathe/common.h>
#include <lathe/error.h>
#include <lathe/io.h>
#include <lathe/params.h>
#include <lathe/rng.h>

LATHE_BEGIN_DECLS

#define LATHE_MP_SEED_BYTES 32
/* statistical security of the smudging noise in decryption and key-switching shares, bits */
#define LATHE_MP_SMUDGE_BITS 40

/* One party: its index, the number of parties, the common seed, its secret. */
typedef struct lathe_party lathe_party;
/* A share one party publishes, or the combination of a round's shares. */
typedef struct lathe_share lathe_share;

typedef enum lathe_share_kind {
	LATHE_SHARE_PK = 1,         /* CKG: -a s_i + t e_i, a from the common seed */
	LATHE_SHARE_RELIN1 = 2,     /* RKG round 1 of one party */
	LATHE_SHARE_RELIN1_SUM = 3, /* RKG round 1 of all parties, combined: the input of round 2 */
	LATHE_SHARE_RELIN2 = 4,     /* RKG round 2 of one party */
	LATHE_SHARE_GALOIS = 5,     /* RTG: one party's share of the key of one Galois element */
	LATHE_SHARE_DECRYPT = 6,    /* CKS: s_i c1 + t E_i for one ciphertext */
	LATHE_SHARE_PK_SWITCH = 7,  /* PCKS: one party's share of a ciphertext switched to a recipient's key */
	LATHE_SHARE_DEAL = 8,       /* T-out-of-N: a party's Shamir share of its secret for one other party: SECRET */
	LATHE_SHARE_DECRYPT_T = 9,  /* T-out-of-N: a decryption share for a set of online parties */
	LATHE_SHARE_DECRYPT_DP = 10 /* CKS with differentially private noise in the released slots */
} lathe_share_kind;

/*
 * A differentially private release (docs/multiparty.md): every party adds
 * to its decryption share discrete Gaussian noise N_Z(0, sigma^2) in every
 * slot (Canonne, Kamath, Steinke, "The Discrete Gaussian for Differential
 * Privacy", 2020), so no party knows the total noise, and the release is
 * private even when all parties but one pool their own noise: one
 * party's noise alone gives the guarantee (the total variance is n
 * sigma^2). sigma^2 = ceil(Delta^2 / (2 rho)) makes each release rho-zCDP
 * for a query whose released slots change by at most Delta in L2 norm
 * (CKS Theorem 4); (epsilon, delta) is converted by
 * rho = (sqrt(ln(1/delta) + epsilon) - sqrt(ln(1/delta)))^2, the rho
 * whose zCDP implies (epsilon, delta)-DP (Bun, Steinke, TCC 2016,
 * Proposition 1.3). Values are slots mod t read as centered integers:
 * the caller scales its query so that Delta is in those units.
 *
 * One value in every slot. A sum over all slots (the circuits' aggregates)
 * leaves the same value in every slot: noise drawn per slot would then
 * release that value N times with independent noise, and their mean has
 * 1/N of the variance. With one_value set every party draws one sample and
 * adds it to all slots alike: the release is one noisy value, and Delta is
 * that value's sensitivity. A ciphertext whose slots differ must not be
 * released so (its slots would share one noise).
 */
typedef struct lathe_dp {
	double epsilon, delta; /* (epsilon, delta)-DP: epsilon > 0, 0 < delta < 1; or both 0 and rho > 0 */
	double rho;            /* rho-zCDP (with epsilon = delta = 0) */
	double sensitivity;    /* Delta, the L2 sensitivity of the released slots (> 0) */
	int one_value;         /* 1: every slot holds the one released value (above); 0: each slot its own value */
} lathe_dp;

/* What a release used: its parameters, each party's sigma^2, the parties, the total variance per slot. */
typedef struct lathe_dp_release {
	lathe_dp dp;
	double rho;            /* the zCDP parameter it meets */
	uint64_t sigma2;       /* of each party's noise */
	unsigned parties;
	double variance;       /* of the released noise per slot: parties * (the discrete Gaussian's variance) */
} lathe_dp_release;

/*
 * Each party's sigma^2 for dp (rounded up to an integer), and the rho it
 * meets, Delta^2 / (2 sigma^2): at most the rho asked for (or derived from
 * (epsilon, delta)) up to 10^-9 relative floating-point error. Errors: LATHE_EINVAL
 * (NULL; a parameter missing, non-finite or out of range; sigma^2 above
 * 2^40, the sampler's range).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_dp_sigma2(const lathe_dp *dp, uint64_t *sigma2, double *rho);

/*
 * Party `index` of `nparties` (0 <= index < nparties = the context's
 * parties) under the common seed crs, with a fresh secret seed (from rng,
 * or the operating system when rng is NULL). Errors: LATHE_EINVAL (NULL,
 * an index out of range, nparties not the context's), LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_new(const lathe_ctx *ctx, const uint8_t crs[LATHE_MP_SEED_BYTES],
                                                         unsigned index, unsigned nparties, lathe_rng *rng,
                                                         lathe_party **out);
/* The same party again from its secret seed (lathe_party_seed). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_from_seed(const lathe_ctx *ctx,
                                                               const uint8_t crs[LATHE_MP_SEED_BYTES], unsigned index,
                                                               unsigned nparties,
                                                               const uint8_t seed[LATHE_MP_SEED_BYTES],
                                                               lathe_party **out);
/* The party's secret seed: all of its secret. Keep it as a secret key is kept. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_seed(const lathe_party *p, uint8_t seed[LATHE_MP_SEED_BYTES]);
/* Zeroizes (its seed, s_i, and what it kept between rounds) and frees. NULL-safe. */
LATHE_API void lathe_party_free(lathe_party *p);
/* What a party is: its index, the number of parties, its threshold (0: none set), whether a collective key is set. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_info(const lathe_party *p, unsigned *index, unsigned *nparties,
                                                          unsigned *threshold, int *has_pk);
/*
 * A party at rest (docs/format.md, kind 9, version 6), sealed as a secret
 * key is (lathe_sk_to_buffer): its index, number of parties, common seed,
 * threshold and the collective key it is bound to in the clear but
 * authenticated; its secret seed, and its point of the shared secret once
 * a threshold is set, under XChaCha20-Poly1305 with a key derived from the
 * passphrase by Argon2id at `level`. A loaded party is the same party: the
 * same secret, the same shares, the same binding. Errors: LATHE_EINVAL
 * (NULL, an empty passphrase, an unknown level), LATHE_ENOMEM; loading:
 * LATHE_EMISMATCH (another context), LATHE_EAUTH (wrong passphrase, or a
 * field changed), LATHE_ECORRUPT, LATHE_EFORMAT, LATHE_EIO. A save
 * replaces its file atomically with mode 0600.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_to_buffer(const lathe_party *p, const char *passphrase,
                                                               lathe_pwhash_level level, uint8_t **buf,
                                                               size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_from_buffer(const lathe_ctx *ctx, const uint8_t *buf,
                                                                 size_t len, const char *passphrase,
                                                                 lathe_party **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_save(const lathe_party *p, const char *path,
                                                          const char *passphrase, lathe_pwhash_level level);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_load(const lathe_ctx *ctx, const char *path,
                                                          const char *passphrase, lathe_party **out);
/*
 * Binds the party to the collective public key (combined from this seed's
 * shares): from then on it makes decryption and key-switching shares only
 * for ciphertexts under that key. Errors: LATHE_EINVAL (NULL),
 * LATHE_EMISMATCH (another context, or a key not made from this common
 * seed).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_set_pk(lathe_party *p, const lathe_pk *pk);

/* ---- key generation ---- */

/* CKG: this party's public-key share. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_pk_share(const lathe_party *p, lathe_share **out);
/*
 * The collective public key from the shares of all parties (any order).
 * Errors: LATHE_EINVAL (NULL, a share of another kind, a party missing or
 * repeated), LATHE_EMISMATCH (another context or common seed),
 * LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_pk_combine(const lathe_share *const *shares, size_t n,
                                                             lathe_pk **out);

/* RKG round 1: this party's share. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_relin_share1(const lathe_party *p, lathe_share **out);
/* The round-1 shares of all parties combined, the input of round 2 (errors as lathe_mp_pk_combine). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_relin_combine1(const lathe_share *const *shares, size_t n,
                                                                 lathe_share **sum);
/* RKG round 2: this party's share, on round 1's combination (LATHE_EMISMATCH: another seed or context). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_relin_share2(const lathe_party *p, const lathe_share *sum1,
                                                               lathe_share **out);

/* RTG: this party's share of the key of Galois element g (lathe_galois_elt_rotation, _row_swap). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_galois_share(const lathe_party *p, uint64_t g, lathe_share **out);
/*
 * lathe_mp_galois_share for a key that reaches only level `level` (as
 * lathe_evalkeys_new_at: digits over q_0..q_level and P, about
 * (level + 1) / (L + 1) of the bytes and the work), for circuits that
 * rotate near the bottom of the chain (lathe_circuits_keys gives the
 * level its sums need). Every party shares at the same level; a share at
 * one level and one at another are independent (their uniform parts and
 * errors are drawn for the level). level = lathe_ctx_max_level is
 * lathe_mp_galois_share. Errors: those of lathe_mp_galois_share, and
 * LATHE_ELEVEL (level above the top).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_galois_share_at(const lathe_party *p, uint64_t g, unsigned level,
                                                                  lathe_share **out);

/*
 * An evaluation-key bundle of the collective key pk, without keys yet
 * (it carries a copy of pk). Errors: LATHE_EINVAL (NULL), LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_evalkeys_new(const lathe_pk *pk, lathe_evalkeys **out);
/*
 * Adds the relinearization key from round 1's combination and the
 * round-2 shares of all parties. Errors as lathe_mp_pk_combine, and
 * LATHE_EMISMATCH for shares of another round-1 combination or another
 * key than the bundle's, LATHE_EINVAL when the bundle has one already.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_relin_combine2(lathe_evalkeys *ek, const lathe_share *sum1,
                                                                 const lathe_share *const *shares, size_t n);
/*
 * Adds the Galois key of the shares' element, at the shares' level (all
 * of one element and one level: LATHE_EMISMATCH otherwise; LATHE_EINVAL
 * when the bundle has a key of that element already).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_galois_combine(lathe_evalkeys *ek, const lathe_share *const *shares,
                                                                 size_t n);

/* ---- decryption ---- */

/*
 * CKS: this party's decryption share of ct (2 components: relinearize
 * first), smudged as the header says. Errors: LATHE_EINVAL (NULL, 3
 * components, no collective key set), LATHE_EMISMATCH (another context, a
 * ciphertext under another key), LATHE_ENOISE (too little budget left for
 * the smudging noise), LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_decrypt_share(const lathe_party *p, const lathe_ct *ct,
                                                                lathe_share **out);
/*
 * The plaintext of ct from the decryption shares of all parties (any
 * order), made for this very ciphertext. Errors as lathe_mp_pk_combine,
 * LATHE_EMISMATCH for shares of another ciphertext, LATHE_ENOISE when the
 * measured noise is too large (out unchanged).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_decrypt_combine(const lathe_ct *ct, const lathe_share *const *shares,
                                                                  size_t n, lathe_pt *out);
/*
 * A decryption share with differentially private noise (lathe_dp): as
 * lathe_mp_decrypt_share, with N_Z(0, sigma^2) added to every slot.
 * LATHE_EINVAL without valid DP parameters: a DP release is never made
 * without them.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_decrypt_share_dp(const lathe_party *p, const lathe_ct *ct,
                                                                   const lathe_dp *dp, lathe_share **out);
/*
 * The noisy plaintext from the DP shares of all parties, all made with the
 * same parameters, which *rel records (errors as lathe_mp_decrypt_combine;
 * shares without DP noise are another kind: LATHE_EINVAL).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_decrypt_combine_dp(const lathe_ct *ct,
                                                                     const lathe_share *const *shares, size_t n,
                                                                     lathe_pt *out, lathe_dp_release *rel);
/* PCKS: this party's share of ct switched to the recipient's public key `to` (errors as lathe_mp_decrypt_share). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_pk_switch_share(const lathe_party *p, const lathe_ct *ct,
                                                                  const lathe_pk *to, lathe_share **out);
/*
 * out = ct under the key of `to`, from the shares of all parties: only
 * to's secret key decrypts it. Errors as lathe_mp_decrypt_combine.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_pk_switch_combine(const lathe_ct *ct, const lathe_pk *to,
                                                                    const lathe_share *const *shares, size_t n,
                                                                    lathe_ct *out);

/* ---- T-out-of-N (Mouchet, Bertrand, Hubaux, J. Cryptology 2023) ----
 *
 * Key generation stays N-out-of-N. Then every party i deals Shamir shares
 * of its secret: P_i(X) = s_i + a_i1 X + ... + a_i(T-1) X^(T-1), a_id
 * uniform in R_Q (from its seed), and gives P_i(j + 1) to party j over a
 * private channel (a deal is as secret as a secret key: never publish
 * it; lathe_share_to_buffer refuses it). Party j keeps
 * t_j = sum_i P_i(j + 1), a point of P = sum_i P_i, P(0) = s. Any set S of
 * at least T parties decrypts: party j in S uses lambda_j^S t_j, lambda
 * the Lagrange coefficients at 0 of S's points, whose sum over S is s;
 * fewer than T points say nothing of s (Shamir 1979).
 */

/* Party p's deal for party `to` under threshold T (2 <= T <= the parties). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_deal(const lathe_party *p, unsigned threshold, unsigned to,
                                                       lathe_share **out);
/*
 * Party p's point t_p of the shared secret, from the deals of all parties
 * for it (its own included; any order), all under one threshold: from
 * then on p can make threshold decryption shares. Errors as
 * lathe_mp_pk_combine, and LATHE_EMISMATCH for deals for another party
 * or under another threshold.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_party_set_threshold(lathe_party *p, const lathe_share *const *deals,
                                                                   size_t n);
/*
 * Party p's decryption share of ct for the online set online[0..count)
 * (distinct party indices, p among them, count >= the threshold),
 * smudged as lathe_mp_decrypt_share. Errors: as lathe_mp_decrypt_share,
 * and LATHE_EINVAL (no threshold set, fewer parties online than it, p not
 * among them, an index repeated or out of range).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_decrypt_share_t(const lathe_party *p, const lathe_ct *ct,
                                                                  const unsigned *online, size_t count,
                                                                  lathe_share **out);
/*
 * The plaintext from the threshold decryption shares of exactly the
 * online set they were made for. Errors: LATHE_EINVAL (a share of that
 * set missing or repeated: fewer than the threshold can never decrypt),
 * LATHE_EMISMATCH (another ciphertext, key or online set), LATHE_ENOISE.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_mp_decrypt_combine_t(const lathe_ct *ct,
                                                                    const lathe_share *const *shares, size_t n,
                                                                    lathe_pt *out);

/* ---- shares ---- */

/*
 * Frees. NULL-safe. Decryption shares (a party's to publish or withhold)
 * and deals are zeroized first; shares of keys, published whatever
 * happens, are not.
 */
LATHE_API void lathe_share_free(lathe_share *s);

/*
 * A share as a file (docs/format.md, kind 8, version 6): the envelope of
 * every lathe object (parameter hash, checksum) around the kind, the
 * party, the number of parties, the common seed, what the share is for
 * (Galois element, ciphertext level and binding, collective key) and its
 * words. The loader checks every field against ctx (a share of another
 * context: LATHE_EMISMATCH; truncated, a checksum mismatch, a field out
 * of range, a word not below its prime: LATHE_ECORRUPT; not a share, or
 * of another format version: LATHE_EFORMAT); combining then checks the
 * shares against each other. A save replaces its file atomically (no
 * partial file is ever left, lathe/io.h). The buffer is freed with
 * lathe_buffer_free.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_to_buffer(const lathe_share *s, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len,
                                                                 lathe_share **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_save(const lathe_share *s, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_load(const lathe_ctx *ctx, const char *path, lathe_share **out);
/* What a share is: its kind, the party that made it (a combination: nparties), the number of parties. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_info(const lathe_share *s, lathe_share_kind *kind,
                                                          unsigned *party, unsigned *nparties);
/* The Galois element a Galois-key share is for (LATHE_EINVAL: NULL, or a share of another kind). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_galois_element(const lathe_share *s, uint64_t *g);
/*
 * The level of a share: of a Galois-key share, the level its key reaches;
 * of a decryption or key-switching share, its ciphertext's level; of the
 * other kinds, the top level (their keys span the whole chain).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_share_level(const lathe_share *s, unsigned *level);

LATHE_END_DECLS

#endif
