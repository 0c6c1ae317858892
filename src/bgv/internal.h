/*
 * BGV scheme internals shared by the files of src/bgv (never installed).
 * RNS BGV after Kim, Polyakov, Zucca, "Revisiting homomorphic encryption
 * schemes for finite fields" (Asiacrypt 2021).
 */
#ifndef LT_BGV_INTERNAL_H
#define LT_BGV_INTERNAL_H

#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#include <lathe/bgv.h>
#include <lathe/params.h>
#include <lathe/rng.h>

#include "../core/prng.h"
#include "../ring/poly.h"
#include "../ring/ring.h"
#include "../ring/rns.h"
#include "keyswitch.h"
#include "plainmod.h"

#define LT_MAX_CHAIN 64
#define LT_MAX_SPECIAL 16

struct lathe_params {
	unsigned logn;
	uint64_t t_prime;
	unsigned t_exp;
	unsigned depth;              /* used when nchain == 0 */
	unsigned chain_bits[LT_MAX_CHAIN];
	unsigned nchain;             /* 0: derive from depth */
	unsigned dnum;               /* 0: choose */
	unsigned special_bits[LT_MAX_SPECIAL];
	unsigned nspecial;           /* 0: choose */
	lathe_security security;
	lathe_secret_dist secret;
	unsigned boot_exp;           /* e > t_exp: the context also serves t' = p^e (bootstrapping); 0: none */
	unsigned boot_h;             /* Hamming weight of bootstrapping's sparse secret (0 with boot_exp: 64) */
	unsigned parties;            /* parties whose secrets sum to the key (lathe/multiparty.h); 0 or 1: one */
};

struct lathe_ctx {
	lathe_params par;
	size_t n;
	unsigned logn;
	/*
	 * The plaintext moduli (plainmod.h): pm[LT_PM_USER] is the user's
	 * t = p^r, pm[npm - 1] the largest, under which the keys are made.
	 */
	lt_plainmod pm[LT_MAX_PLAINMOD];
	unsigned npm;
	uint64_t t;                  /* pm[LT_PM_USER].t, for messages and the public accessors */
	unsigned nq, np;             /* chain and special primes; max level L = nq - 1 */
	unsigned dnum, alpha;        /* digits of alpha chain primes (the last may be shorter) */
	lt_ring ring;                /* primes q_0..q_{nq-1}, p_0..p_{np-1} */
	double logq[LT_MAX_CHAIN];   /* log2 q_i */
	double logp;                 /* log2 P */
	double logqp;                /* log2(Q_L * P) */
	int sec_bound;               /* bound of the table for N at the level, 0 when NONE */
	const lt_modulus ***qp;      /* qp[l]: basis q_0..q_l, p_0..p_{np-1} */
	/* key switching */
	lt_baseconv *modup;          /* [l * dnum + j], valid when digit j meets Q_l */
	const lt_modulus ***modup_out;
	uint64_t *p_mod_q;           /* P mod q_i */
	struct lt_noisemeter *meter; /* [l]: over q_0..q_l, for decryption's check and the budget */
	uint8_t hash[32];            /* BLAKE2b of the parameters */
};

/*
 * Key identifier: BLAKE2b-256 of the context hash and the public key (its
 * seed and b), computed once at key generation (keys.c). Every key carries
 * it; ciphertexts and plaintexts made under a key carry their key's, and
 * all-zero means "not bound to a key" (a fresh encoding, lathe_ct_new).
 */
#define LT_KEYID_BYTES 32

struct lathe_sk {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES];
	int8_t *s;                   /* N coefficients in {-1, 0, 1} */
	uint64_t *s_ntt;             /* (nq + np) limbs, NTT form */
};

struct lathe_pk {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES];
	uint8_t seed[LT_SEED_BYTES]; /* a is expanded from it */
	uint64_t *b, *a;             /* nq limbs each, NTT form */
};

/*
 * A key-switching key from s' to s at key level k = nq - 1 - drop: one
 * pair (b_j, a_j) for each of the digits over q_0..q_k (lt_ks_digits(k)),
 * each over the basis q_0..q_k, p_0..p_{np-1} (ctx->qp[k]). drop = 0 is
 * a full-level key (the evaluation keys; what io stores and loads): dnum
 * pairs over all nq + np primes, in the ring's order. The a parts are
 * expanded from seed, except in a key whose a_stored is set, whose a is
 * data (lathe/multiparty.h: the collective relinearization key).
 */
struct lt_ksk {
	uint8_t seed[LT_SEED_BYTES];
	unsigned drop;               /* chain primes above the key's level */
	int a_stored;                /* a is not expanded from seed but its own words (a collective relinearization key) */
	uint64_t *b, *a;             /* digits * (k + 1 + np) * N words, NTT form */
};

typedef struct lt_galois_key {
	uint64_t g;                  /* Galois element: odd, in (1, 2N) */
	int rot;                     /* 1 when g = 5^step mod 2N: a rotation of the rows by step */
	int step;                    /* that step, in [0, N/2) (valid when rot) */
	uint32_t *perm;              /* NTT-form permutation */
	lt_ksk k;
} lt_galois_key;

/*
 * Bootstrapping's key material in an evaluation-key bundle (lathe/boot.h):
 * made by src/bootstrap, saved and loaded by src/io, freed with the bundle.
 * The rest of what bootstrapping uses follows from the public parameters.
 */
typedef struct lt_boot_raw {
	uint8_t seed[LT_SEED_BYTES]; /* the encapsulation key's uniform a over {q_0, p_0} */
	uint64_t *b;                 /* its b: 2 limbs of N words (mod q_0, then mod p_0), NTT form */
	struct lathe_ct *bk;         /* Enc_s(s') under p^e at the top level */
} lt_boot_raw;

void lt_boot_raw_free(lt_boot_raw *r);
/* The names of the bootstrappable presets (presets.c), NULL-terminated; *n (if not NULL) their number. */
const char *const *lt_boot_preset_names(size_t *n);

struct lathe_evalkeys {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES];
	int has_relin;
	lt_ksk relin;
	size_t ngal;
	lt_galois_key *gal;
	lathe_pk *pk;                /* optional copy of the public key */
	lt_boot_raw *boot;           /* bootstrapping's keys, or NULL */
};

struct lathe_pt {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES]; /* set by decryption; zero after encoding */
	unsigned pm;                 /* its plaintext modulus: ctx->pm[pm] */
	uint64_t *m;                 /* N coefficients in [0, t) */
};

struct lathe_ct {
	const lathe_ctx *ctx;
	unsigned size;               /* 2 or 3 components */
	unsigned cap;                /* components allocated */
	unsigned stride;             /* limbs allocated per component (>= level + 1) */
	unsigned level;
	unsigned pm;                 /* its plaintext modulus: ctx->pm[pm] */
	uint64_t fac;                /* plaintext correction factor mod that t (KPZ21) */
	double noise;                /* log2 canonical-norm bound of c0 + c1 s (+ c2 s^2) */
	int seeded;                  /* c1 is the uniform polynomial of `seed` (fresh sk encryption) */
	uint8_t seed[LT_SEED_BYTES];
	uint64_t *c;                 /* cap components of stride limbs of N words, NTT form */
	uint8_t keyid[LT_KEYID_BYTES];
};

struct lathe_eval {
	const lathe_ctx *ctx;
	atomic_flag busy;            /* set while a call runs on this evaluator */
	const lathe_evalkeys *ek;
	int auto_ms;
	/* scratch, sized for the top level; evalcore.h says which helper uses which */
	lt_ks_ws ks;                 /* key switching (keyswitch.h) */
	uint64_t *drop;              /* lt_ct_switch_to's scratch (lt_ev_drop_to, lt_ev_switch_to) */
	uint64_t *lift;              /* nq limbs: a plaintext lifted for one sum or product */
	lathe_ct *t1, *t2;           /* temporaries for composed operations */
	/*
	 * Bootstrapping (src/bootstrap): what it derives from ek->boot, made on
	 * first use and freed by boot_free; the hook the products call first
	 * when automatic bootstrapping is on (it may replace *a and *b by
	 * refreshed copies it owns); the number of automatic bootstraps.
	 */
	void *boot;
	void (*boot_free)(void *);
	lathe_status (*boot_auto)(lathe_eval *ev, const lathe_ct **a, const lathe_ct **b, const char *fn);
	uint64_t nboot;
};

/* ---- helpers (bgv files) ---- */

#define LT_PM_USER 0u

/* The plaintext modulus of a ciphertext, of a plaintext, and the keys'. */
static inline const lt_plainmod *
lt_ct_pm(const lathe_ct *ct)
{
	return &ct->ctx->pm[ct->pm];
}

static inline const lt_plainmod *
lt_pt_pm(const lathe_pt *pt)
{
	return &pt->ctx->pm[pt->pm];
}

static inline const lt_plainmod *
lt_key_pm(const lathe_ctx *c)
{
	return &c->pm[c->npm - 1];
}

/*
 * The slots' shape (slots.h), the same for every plaintext modulus of a
 * context: rotations turn each of the rows by steps taken mod cols (0: no
 * slots, t = 2^r).
 */
static inline size_t
lt_rot_cols(const lathe_ctx *c)
{
	return c->pm[LT_PM_USER].slots.cols;
}

static inline size_t
lt_rot_rows(const lathe_ctx *c)
{
	return c->pm[LT_PM_USER].slots.rows;
}

/* Words of one component at the top level. */
static inline size_t
lt_comp_words(const lathe_ctx *ctx)
{
	return (size_t)ctx->nq * ctx->n;
}

static inline uint64_t *
lt_ct_comp(const lathe_ct *ct, unsigned i)
{
	return ct->c + (size_t)i * ct->stride * ct->ctx->n;
}

/* A polynomial view of component i at the ciphertext's level. */
static inline lt_poly
lt_ct_poly(const lathe_ct *ct, unsigned i)
{
	return lt_poly_view(ct->ctx->n, ct->ctx->ring.modp, ct->level + 1, lt_ct_comp(ct, i), 1);
}

int lt_ctx_same(const lathe_ctx *a, const lathe_ctx *b);
/* The table's max log2(Q*P) for security s at N = 2^logn, -1 when none is cited. */
int lt_security_bound(lathe_security s, unsigned logn);

/*
 * A context over given primes (chain primes[0..nq), special primes
 * primes[nq..nq+np)), digits of alpha chain primes: for loaders. Every check
 * of lathe_ctx_new applies.
 */
lathe_status lt_ctx_new_primes(const lathe_params *p, const uint64_t *primes, unsigned nq, unsigned np,
                               unsigned alpha, lathe_ctx **out);
/*
 * Makes room for `size` components of level+1 limbs each, keeping what the
 * components hold (their first min(old, new) limbs). Never shrinks.
 * LATHE_ENOMEM leaves ct unchanged.
 */
lathe_status lt_ct_reserve(lathe_ct *ct, unsigned size, unsigned level);
/* The same for a ciphertext about to be overwritten: what it held is not kept (zeros when it grows). */
lathe_status lt_ct_reserve_fresh(lathe_ct *ct, unsigned size, unsigned level);

/*
 * Allocators shared by bgv and io (so that io stays a format layer): a
 * public key with room for a and b (keys.c); a key-switching key over the
 * digits and basis of key level `level` (ksk.c; zeroed first); a
 * ciphertext of `size` components at `level`, factor 1, under the user's
 * plaintext modulus, bound to no key (encrypt.c). Contents unspecified.
 * LATHE_ENOMEM (the message names fn), with nothing allocated: *out NULL,
 * k zeroed.
 */
lathe_status lt_pk_alloc(const char *fn, const lathe_ctx *ctx, lathe_pk **out);
lathe_status lt_ksk_alloc(const char *fn, const lathe_ctx *ctx, unsigned level, lt_ksk *k);
lathe_status lt_ct_alloc(const char *fn, const lathe_ctx *ctx, unsigned size, unsigned level, lathe_ct **out);

/* ---- key identifiers (keys.c) ---- */

/* id of a public key: BLAKE2b-256(domain, context hash, seed, b). */
void lt_keyid_compute(const lathe_pk *pk, uint8_t id[LT_KEYID_BYTES]);
/* 1 when id is not all zero (bound to a key). */
int lt_keyid_set(const uint8_t id[LT_KEYID_BYTES]);
/*
 * LATHE_OK when a and b are the same key identifier or either is unbound;
 * else LATHE_EMISMATCH with a message naming both (first 8 bytes in hex).
 */
lathe_status lt_keyid_check(const char *fn, const char *what_a, const uint8_t a[LT_KEYID_BYTES],
                            const char *what_b, const uint8_t b[LT_KEYID_BYTES]);
/* The identifier an operation's result takes from two inputs (the bound one). */
static inline const uint8_t *
lt_keyid_pick(const uint8_t *a, const uint8_t *b)
{
	return lt_keyid_set(a) ? a : b;
}

/*
 * ct += a public-key encryption of zero at ct's level, or (m given) ct =
 * an encryption of the plaintext coefficients m at the top level; with
 * flood_bits >= 0 the error is flooded with a uniform term in
 * [-2^flood_bits, 2^flood_bits) per coefficient (encrypt.c). ct: room for
 * 2 components at that level. Sets neither the noise estimate nor (when
 * adding) the key id. LATHE_ENOMEM leaves ct unchanged.
 */
lathe_status lt_pk_encrypt_into(const lathe_pk *pk, lathe_ct *ct, const uint64_t *m, int flood_bits, lathe_rng *rng);

/*
 * The second half of decryption (encrypt.c): v = c0 + c1 s (+ c2 s^2)
 * of ct at its level, NTT form, level + 1 limbs (overwritten), checked
 * for its measured noise and decoded into out under ct's plaintext
 * modulus and factor; out's key id becomes ct's. fn names the caller in
 * messages. Errors: LATHE_ENOISE (too noisy: out unchanged). CT: yes up
 * to the verdict.
 */
lathe_status lt_decrypt_decode(const char *fn, const lathe_ct *ct, uint64_t *v, lathe_pt *out);

/*
 * Adds E to out (limbs 0..k-1 of n words, coefficient form), E uniform in
 * [-2^bits, 2^bits) per coefficient from g (noise flooding, encrypt.c).
 * LATHE_ENOMEM leaves out unchanged. CT: yes.
 */
lathe_status lt_flood_add(const lathe_ctx *c, lt_prng *g, uint64_t *out, unsigned k, unsigned bits);

/* What lathe_ct_rerandomize does in ctx (eval.c): its level, flooding width and result estimate. */
lathe_status lt_rerandomize_plan(const lathe_ctx *c, unsigned *level, unsigned *flood_bits, double *out_noise);

/* Lifts centered plaintext coefficients m (in [0, pm->t)) times `scale` into limbs 0..l, NTT form. */
void lt_lift_plain(const lathe_ctx *ctx, const lt_plainmod *pm, uint64_t *out, const uint64_t *m, uint64_t scale,
                   unsigned l);
/* The same over q_0..q_level then p_0..p_{np-1} (level + 1 + np limbs), with scale 1. */
void lt_lift_plain_qp(const lathe_ctx *ctx, const lt_plainmod *pm, uint64_t *out, const uint64_t *m, unsigned level);
/*
 * The same for count plaintexts at once, m[j] under pm[j] into out[j]
 * (each m[j] in [0, pm[j]->t)): the threads share the limbs of all of
 * them, where one plaintext's limbs, when odd in number, leave one idle.
 */
void lt_lift_plain_qp_many(const lathe_ctx *ctx, const lt_plainmod *const *pm, uint64_t *const *out,
                           const uint64_t *const *m, size_t count, unsigned level);

/* log2(2^a + 2^b) */
double lt_log2_add(double a, double b);
/* log2 of the budget threshold at level l: log2(Q_l / 2) */
double lt_ctx_logq_half(const lathe_ctx *ctx, unsigned l);

/*
 * Noise model (noise.c): the constants for messages mod t under keys made
 * under t_key (the largest plaintext modulus of the context), from c's
 * N and, once set, its digits and special primes.
 */
void lt_noise_model_compute(const lathe_ctx *c, uint64_t t, uint64_t t_key, lt_noise_model *nm);
/* log2 of the noise one key switch adds under pm (the largest over the levels), ModDown rounding included */
double lt_noise_ks(const lt_plainmod *pm);
/* rounding noise of one modulus switch of a ciphertext of `size` components under pm */
double lt_noise_ms(const lt_plainmod *pm, unsigned size);
/* the estimate after dropping q_l from a ciphertext under pm of `size` components with estimate `noise` */
double lt_noise_after_switch(const lathe_ctx *ctx, const lt_plainmod *pm, double noise, unsigned l, unsigned size);

/*
 * Changing a ciphertext's plaintext modulus within the context's set
 * (plainswitch.c; BOOTSTRAP.md §2 steps 3 and 7):
 * lt_ct_lift_plainmod: from t = p^r to t' = p^e (to: the index of a larger
 * modulus of the set), multiplying by p^(e-r): the message becomes
 * p^(e-r) m mod p^e, the noise estimate grows by (e-r) log2 p.
 * lt_ct_divide_plainmod: from p^e to p^r (a smaller modulus of the set),
 * multiplying by p^-(e-r) mod Q: for a message divisible by p^(e-r) (the
 * caller's promise: then c0 + c1 s is divisible by p^(e-r) as an integer
 * polynomial) the message becomes m / p^(e-r) mod p^r and the estimate
 * shrinks by (e-r) log2 p; for any other message the result is garbage
 * that the noise check at decryption cannot tell apart.
 * Both in place, at the ciphertext's level, any number of components; the
 * correction factor keeps its value (reduced mod the new t). LATHE_EINVAL
 * when `to` is not a larger (smaller) modulus of the context's set.
 * CT: yes with respect to the plaintext.
 */
lathe_status lt_ct_lift_plainmod(lathe_ct *ct, unsigned to);
lathe_status lt_ct_divide_plainmod(lathe_ct *ct, unsigned to);

/*
 * Modulus switching (modswitch.c). lt_ct_switch_to: out = a switched down
 * to `level` (<= a's level; the same level copies), by one division by
 * the product of the primes dropped; out is a itself or overlaps none of
 * it. lt_ct_drop_prime: drop the top prime of ct. scratch:
 * lt_ct_switch_scratch_words(ctx) words, or NULL to allocate them.
 * LATHE_ENOMEM leaves the ciphertexts unchanged; LATHE_ELEVEL when
 * `level` is above a's.
 */
size_t lt_ct_switch_scratch_words(const lathe_ctx *c);
lathe_status lt_ct_switch_to(lathe_ct *out, const lathe_ct *a, unsigned level, uint64_t *scratch);
lathe_status lt_ct_drop_prime(lathe_ct *ct, uint64_t *scratch);

/*
 * Key-switching key generation (ksk.c): a key from the secret s_from
 * (NTT form over all nq + np primes, in the ring's order) to sk's secret,
 *     b_j = -a_j s + t e_j + P g_j s_from,  a_j uniform (from k->seed),
 * g_j = 1 modulo the primes of digit j and 0 modulo the others, over the
 * basis q_0..q_level, P (Han-Ki 2020). lt_ksk_gen is the full-level key
 * (level = nq - 1). rng: the seeds' source, or NULL for the operating
 * system. Errors: LATHE_ELEVEL (level above the top), LATHE_ENOMEM; on
 * error k is zeroed. CT: yes.
 */
lathe_status lt_ksk_gen_at(const lathe_sk *sk, const uint64_t *s_from, unsigned level, lt_ksk *k, lathe_rng *rng);
lathe_status lt_ksk_gen(const lathe_sk *sk, const uint64_t *s_from, lt_ksk *k, lathe_rng *rng);
/* The same with a's seed given and the errors drawn from g (lathe/multiparty.h: a from the common seed). */
lathe_status lt_ksk_gen_seeded(const lathe_sk *sk, const uint64_t *s_from, unsigned level,
                               const uint8_t a_seed[LT_SEED_BYTES], lt_prng *g, lt_ksk *k);
void lt_ksk_clear(const lathe_ctx *ctx, lt_ksk *k);
/* Words of one key-switching key part (all of b, or all of a). */
size_t lt_ksk_words(const lathe_ctx *ctx, const lt_ksk *k);
/*
 * e (centered binomial, from g) times the keys' t (the largest plaintext modulus), NTT form over the nlimbs moduli
 * mods[0..nlimbs), into out (keys.c). LATHE_ENOMEM leaves out unchanged.
 */
lathe_status lt_error_times_t(const lathe_ctx *c, lt_prng *g, uint64_t *out, const lt_modulus *const *mods,
                              unsigned nlimbs);
/*
 * The relinearization key and the Galois keys of elts[0..n), the key of
 * elts[i] reaching level levels[i] (repeats skipped). Errors: LATHE_EINVAL
 * (NULL, an invalid element), LATHE_ELEVEL (a level above the top),
 * LATHE_EMISMATCH, LATHE_ENOMEM. CT: yes.
 */
lathe_status lt_evalkeys_new_levels(const lathe_ctx *ctx, const lathe_sk *sk, const uint64_t *elts,
                                    const unsigned *levels, size_t n_elts, lathe_evalkeys **out, lathe_rng *rng);
/* The same times a given t (a key that only serves ciphertexts under a divisor of t). */
lathe_status lt_error_times(const lathe_ctx *c, lt_prng *g, uint64_t *out, const lt_modulus *const *mods,
                            unsigned nlimbs, uint64_t t);

/* Stream ids for the uniform parts expanded from seeds: enum lt_stream in core/prng.h. */

/* Regenerates a public key's a, or a key-switching key's a parts, from the seed. */
void lt_pk_expand(lathe_pk *pk);
void lt_ksk_expand(const lathe_ctx *c, lt_ksk *k);
lathe_status lt_pk_copy(const lathe_pk *src, lathe_pk **out);
/* A secret key from its N ternary coefficients. */
lathe_status lt_sk_from_coeffs(const lathe_ctx *ctx, const int8_t *coeffs, lathe_sk **out);
/*
 * A secret key with exactly h nonzero coefficients, each +-1 (sparse
 * secrets: Bossuat, Troncoso-Pastoriza, Hubaux 2022), from rng (NULL: the
 * operating system). It has no public key and is bound to no key pair
 * (its key identifier is all zero). Errors: LATHE_EINVAL (h > N),
 * LATHE_ENOMEM; *out is NULL on error. CT: yes.
 */
lathe_status lt_sk_new_hwt(const lathe_ctx *ctx, size_t h, lathe_rng *rng, lathe_sk **out);

/* Galois element of a rotation step (0: row swap). */
uint64_t lt_galois_elt(const lathe_ctx *ctx, int step);
/*
 * Fills gk's element fields (g, rot, step) and its NTT permutation for
 * element g (odd, 1 < g < 2N). LATHE_ENOMEM leaves gk->perm NULL.
 */
lathe_status lt_galois_key_init(const lathe_ctx *ctx, lt_galois_key *gk, uint64_t g);
/* 1 when g is an odd residue in (1, 2N): the elements a Galois key can be made for. */
int lt_galois_elt_valid(const lathe_ctx *ctx, uint64_t g);

#endif
