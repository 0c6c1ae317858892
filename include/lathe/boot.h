/*
 * lathe — thin bootstrapping (docs/bootstrapping.md).
 *
 * A ciphertext whose modulus chain is nearly used up is refreshed to a
 * higher level with the same slots (Gentry 2009), so circuits of any depth
 * run: thin bootstrapping on power-of-two rings after Geelen and
 * Vercauteren, "Bootstrapping for BGV and BFV revisited", J. Cryptology 36,
 * 2023. Every slot holds a value mod t = p^r, p an odd prime (p = 1 mod 4:
 * slots in 2 rows; p = 3 mod 4: one cycle).
 *
 * A context is bootstrappable when it is made so: a bootstrappable preset
 * (lathe_ctx_new_preset; "bgv-128-boot-n32768-p257", 128 slots mod 257,
 * "bgv-128-boot-n32768-p127", 64 slots mod 127 in one cycle,
 * "bgv-128-boot-n65536-p65537", 32768 slots mod 65537, and the
 * insecure test twins lathe_boot_presets lists) or lathe_params_set_bootstrap. Its keys are
 * made under p^(r+1) (the encapsulation key's error under p^r); everything else (encryption, the evaluator, files)
 * works as in any context. The key owner makes one bundle with
 * lathe_boot_keygen: relinearization, the Galois keys bootstrapping's maps
 * need (plus any rotations asked for), and the bootstrapping keys proper:
 * the sparse secret s' encrypted under the main secret and the
 * encapsulation key from the main secret to s'. The sparse secret itself
 * is discarded; the main secret stays dense.
 *
 * lathe_boot(ev, out, in) refreshes `in` (level >= lathe_boot_info.level_in:
 * 1, or the levels of a factored SlotToCoeff above 256 slots) to a higher level
 * (lathe_boot_stats.level_out; preset "bgv-128-boot-n32768-p257": level 8
 * of 16, so 7 products between bootstraps). Its failure probability is at most
 * 2^-128 per bootstrap (the overflow bound of docs/bootstrapping.md); an
 * input too noisy for that bound is refused with LATHE_ENOISE, never
 * refreshed into a wrong value.
 */
#ifndef LATHE_BOOT_H
#define LATHE_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "bgv.h"
#include "common.h"
#include "error.h"
#include "params.h"

LATHE_BEGIN_DECLS

/*
 * The bootstrappable presets, NULL-terminated: names for
 * lathe_ctx_new_preset. *n (if not NULL) gets their number.
 */
LATHE_API const char *const *lathe_boot_presets(size_t *n);

/* 1 when ctx was made bootstrappable (lathe_params_set_bootstrap or a bootstrappable preset), else 0. */
LATHE_API int lathe_ctx_bootstrappable(const lathe_ctx *ctx);

/* What bootstrapping does on a context (lathe_boot_info). */
typedef struct lathe_boot_info {
	uint64_t p;               /* the plaintext prime */
	unsigned r, e;            /* t = p^r; the keys are made under p^e, e = r + 1 */
	uint64_t pe;              /* p^e */
	unsigned h;               /* Hamming weight of the sparse secret */
	unsigned overflow_bound;  /* B: the overflow of the raw modulus switch stays within [-B, B] */
	double fail_log2;         /* log2 of the failure bound per bootstrap (at most -128) */
	size_t digit_degree;      /* degree of the digit-removal polynomial */
	uint64_t qprime;          /* the modulus q' = k p^e + 1 of the raw switch */
	size_t slots;             /* slots refreshed (all of the context's) */
	size_t galois_keys;       /* Galois keys bootstrapping's maps and trace need */
	unsigned level_in;        /* the lowest level a ciphertext is bootstrapped from */
} lathe_boot_info;

/*
 * Fills info for ctx (the level a bootstrap leaves is in lathe_boot_stats,
 * and for each preset in docs/bootstrapping.md). Errors: LATHE_EINVAL
 * (NULL), LATHE_EUNSUPPORTED (ctx not bootstrappable), LATHE_EPARAM (the
 * overflow bound is not below p / 2), LATHE_ENOMEM. On error info is zeroed.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_boot_info_get(const lathe_ctx *ctx, lathe_boot_info *info);

/*
 * The evaluation-key bundle of a bootstrappable context: the
 * relinearization key, the Galois keys bootstrapping needs and those of
 * rot_steps[0..n_steps) (rotations as lathe_evalkeys_new), and the
 * bootstrapping keys. Made under sk; rng NULL: the system's randomness
 * (lathe_boot_keygen_rng: a seeded generator, for reproducible tests).
 * Errors: LATHE_EINVAL (NULL, a rotation step out of range),
 * LATHE_EUNSUPPORTED (ctx not bootstrappable), LATHE_EPARAM (the overflow
 * bound for h is not below p / 2), LATHE_ENOMEM. CT: yes.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_boot_keygen(const lathe_sk *sk, const int *rot_steps, size_t n_steps, lathe_evalkeys **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_boot_keygen_rng(const lathe_sk *sk, const int *rot_steps,
                                                               size_t n_steps, lathe_evalkeys **out, lathe_rng *rng);

/* 1 when ek carries bootstrapping keys, else 0. */
LATHE_API int lathe_evalkeys_has_boot(const lathe_evalkeys *ek);

/* The in-memory sizes of a bundle's keys, bytes (lathe_boot_key_sizes). */
typedef struct lathe_boot_key_sizes {
	size_t boot_key;          /* Enc_s(s'): a ciphertext under p^e at the top level */
	size_t encaps_key;        /* the encapsulation key on {q_0, p_0} */
	size_t galois;            /* the Galois keys bootstrapping needs */
	size_t galois_keys;       /* their number */
	size_t relin;             /* the relinearization key */
	size_t total;             /* the whole bundle (with any other rotation keys) */
} lathe_boot_key_sizes;

/* Errors: LATHE_EINVAL (NULL), LATHE_ENOKEY (ek has no bootstrapping keys). On error sz is zeroed. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_boot_key_sizes_get(const lathe_evalkeys *ek,
                                                                  lathe_boot_key_sizes *sz);

/* Where one bootstrap spent its time (lathe_boot_ex), seconds. */
typedef struct lathe_boot_stats {
	double total;
	double slot_to_coeff;     /* Step 1 */
	double encapsulation;     /* Step 2: to q_0 and to the sparse secret */
	double raw_switch;        /* Step 3 */
	double inner_product;     /* Step 4 */
	double trace;             /* Step 5 */
	double coeff_to_slot;     /* Step 6 */
	double digit_removal;     /* Step 7 */
	unsigned level_in, level_out;
	/* log2 of the public noise estimate at q_0 before Step 3, and the most Step 3's guard accepts there */
	double noise_q0, noise_q0_max;
} lathe_boot_stats;

/*
 * out = in refreshed: the same slots, at a level that depends on the
 * context only (lathe_boot_stats.level_out).
 * in: 2 components (relinearized), at level lathe_boot_info.level_in or
 * above, of ev's context.
 * ev's bundle must come from lathe_boot_keygen (or its file). out may be in.
 * Errors: LATHE_EINVAL (NULL, 3 components), LATHE_EMISMATCH (in of
 * another context), LATHE_EUNSUPPORTED (context not bootstrappable),
 * LATHE_ENOKEY (ev without bootstrapping keys), LATHE_ELEVEL (in below
 * level_in), LATHE_ENOISE (in too noisy for the failure bound: bootstrap earlier),
 * LATHE_EBUSY, LATHE_ENOMEM. On error out is unchanged. CT: yes.
 * From its first bootstrap on, ev keeps the bootstrap's working memory
 * (the prepared diagonals and rotation sets of one giant step of the slot
 * maps, and the ciphertexts of the steps and of the digit removal: about
 * 0.6 GB for the presets at N = 2^15, 1.8 GB for preset B) for the next
 * ones, until lathe_eval_free.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_boot(lathe_eval *ev, lathe_ct *out, const lathe_ct *in);
/* lathe_boot with the time of each step in *stats (may be NULL). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_boot_ex(lathe_eval *ev, lathe_ct *out, const lathe_ct *in,
                                                       lathe_boot_stats *stats);

/*
 * Automatic bootstrapping (off by default): with it on, a product
 * (lathe_ct_mul, lathe_ct_square) whose operands would land at
 * lathe_boot_info.level_in or below first bootstraps the operands (copies: the inputs are not changed), so
 * that a circuit of any depth runs without LATHE_ELEVEL. Needs automatic
 * modulus switching (the default) and a bundle with bootstrapping keys.
 * lathe_eval_bootstraps reports how many automatic bootstraps ev made.
 * Errors: LATHE_EINVAL (NULL), LATHE_EUNSUPPORTED (context not
 * bootstrappable), LATHE_ENOKEY (no bootstrapping keys).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_eval_set_auto_bootstrap(lathe_eval *ev, int on);
LATHE_API uint64_t lathe_eval_bootstraps(const lathe_eval *ev);

LATHE_END_DECLS

#endif
