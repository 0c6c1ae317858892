/*
 * lathe — the BGV scheme: keys, encoding, encryption, evaluation.
 *
 * Gentry's KeyGen / Encrypt / Evaluate / Decrypt in the RNS form of
 * Kim, Polyakov, Zucca (Asiacrypt 2021). The secret key stays with the data
 * owner; the evaluator gets an evaluation-key bundle (relinearization and
 * Galois keys) and never sees a plaintext.
 *
 * Conventions: every function returns a lathe_status; outputs come first
 * and may alias inputs (lathe_ct_add(ev, a, a, b) works); handles are freed
 * with their _free function (NULL-safe); a context outlives everything made
 * from it. Objects from different contexts, or of different key pairs
 * (see the key identifiers below), are refused (LATHE_EMISMATCH).
 * Ciphertexts and plaintexts belong to one thread at a time; use one
 * evaluator per thread. Calls on one evaluator are not made safe for
 * concurrent use; they are detected instead: a call that arrives while
 * another call runs on the same evaluator returns LATHE_EBUSY without
 * touching anything (never a wrong result).
 */
#ifndef LATHE_BGV_H
#define LATHE_BGV_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "error.h"
#include "params.h"
#include "rng.h"

LATHE_BEGIN_DECLS

typedef struct lathe_sk lathe_sk;
typedef struct lathe_pk lathe_pk;
typedef struct lathe_evalkeys lathe_evalkeys;
typedef struct lathe_pt lathe_pt;
typedef struct lathe_ct lathe_ct;
typedef struct lathe_eval lathe_eval;

/* ---- keys ---- */

/*
 * A fresh secret key (uniform ternary, from the OS's randomness) and its
 * public key (pk may be NULL when only the secret key is wanted; the key
 * identifier is still that of the public key). Errors: LATHE_EINVAL (NULL
 * ctx or sk), LATHE_ENOMEM; on error *sk (and *pk) are NULL and nothing
 * secret is left in memory. CT: yes.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_keygen(const lathe_ctx *ctx, lathe_sk **sk, lathe_pk **pk);

/*
 * Seeded randomness: the same as lathe_keygen, lathe_evalkeys_new_ex,
 * lathe_encrypt and lathe_encrypt_sk with every seed drawn from rng
 * (rng NULL: the operating system), so that a run can be replayed and
 * known-answer tests written. The same rng state and inputs give the same
 * objects, byte for byte, on any machine, kernel path and thread count.
 * Keys made this way are only as secret as rng's seed: use a fresh seed
 * from lathe_seed_random for real keys.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_keygen_rng(const lathe_ctx *ctx, lathe_sk **sk, lathe_pk **pk, lathe_rng *rng);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_evalkeys_new_rng(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                       unsigned parts, lathe_evalkeys **out, lathe_rng *rng);

/*
 * The evaluation-key bundle: a relinearization key and Galois keys for the
 * rotation steps given (rot_steps NULL: +-1, +-2, +-4, ... up to N/4 and the
 * row swap). A step of 0 asks for the row-swap key. Rotation by a step with
 * no key of its own is composed from the keys present.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_evalkeys_new(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                   lathe_evalkeys **out);

/*
 * lathe_evalkeys_new with Galois keys that reach only level galois_level
 * (their digits over q_0..q_level and P: about (level + 1) / (L + 1) of
 * the size and of the work of a full-level key), for circuits that rotate
 * only near the bottom of the chain (sums over slots after the products).
 * The relinearization key is made at the top. A rotation or automorphism
 * of a ciphertext above galois_level switches it down to that level first
 * when the evaluator switches moduli automatically, and is refused with
 * LATHE_ELEVEL otherwise. galois_level = lathe_ctx_max_level(ctx) gives
 * lathe_evalkeys_new. Errors: those of lathe_evalkeys_new, and
 * LATHE_ELEVEL (galois_level above the top). On error *out is NULL.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_evalkeys_new_at(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                      unsigned galois_level, lathe_evalkeys **out);

/* The parts lathe_evalkeys_new_ex generates (bit flags). */
#define LATHE_EVALKEYS_RELIN 1u  /* the relinearization key */
#define LATHE_EVALKEYS_GALOIS 2u /* the Galois keys of rot_steps (or the default set) */

/*
 * lathe_evalkeys_new restricted to some parts: a bundle of the
 * relinearization key alone, or of Galois keys alone, to ship or store
 * separately. parts: a non-empty combination of the flags above.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_evalkeys_new_ex(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                      unsigned parts, lathe_evalkeys **out);

/*
 * Adds a copy of the public key to the bundle (so the evaluator can
 * encrypt constants and the bundle travels as one file).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_set_pk(lathe_evalkeys *ek, const lathe_pk *pk);
/* The bundle's public key, or NULL. Owned by the bundle. */
LATHE_API const lathe_pk *lathe_evalkeys_pk(const lathe_evalkeys *ek);

/* Whether the bundle holds a key of its own for rotation step `step` (0: row swap). */
LATHE_API int lathe_evalkeys_has_rotation(const lathe_evalkeys *ek, int step);

/*
 * Galois elements. The automorphism X -> X^g of the ring, g odd in [1, 2N),
 * is what a Galois key switches back; rotations and the row swap are
 * particular elements: a rotation of both rows by `step` is 5^step mod 2N,
 * the row swap 2N - 1; the others (-5^k, k != 0) swap the rows and rotate.
 * Keys are made and stored by element, so automorphisms that are no
 * rotation (the trace, Frobenius maps) have keys too.
 */

/* The element of a rotation by `step` (any integer; 1 for a multiple of the row length). Errors: LATHE_EINVAL (NULL). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_galois_elt_rotation(const lathe_ctx *ctx, int step, uint64_t *g);
/* The element of the row swap, 2N - 1. Errors: LATHE_EINVAL (NULL). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_galois_elt_row_swap(const lathe_ctx *ctx, uint64_t *g);

/*
 * An evaluation-key bundle with Galois keys for the elements elts[0..n)
 * (each odd, 1 < g < 2N; repeats are made once) and, when parts has
 * LATHE_EVALKEYS_RELIN, the relinearization key. The bundle works for
 * lathe_ct_automorph, and for rotations where the elements are rotations.
 * Errors: LATHE_EINVAL (NULL, elts NULL with n > 0, an element out of
 * range, bad parts), LATHE_EMISMATCH (sk of another context), LATHE_ENOMEM.
 * On error *out is NULL.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_evalkeys_new_galois(const lathe_ctx *ctx, const lathe_sk *sk, const uint64_t *elts, size_t n,
                          unsigned parts, lathe_evalkeys **out);

/* Whether the bundle holds a Galois key for element g. */
LATHE_API int lathe_evalkeys_has_galois(const lathe_evalkeys *ek, uint64_t g);

/*
 * Key identifiers. Every key pair is named by a public 32-byte identifier,
 * the BLAKE2b-256 hash of its context's parameters and its public key; the
 * secret key, the public key and every evaluation-key bundle made from it
 * carry it, and so does every ciphertext encrypted under it and every
 * plaintext decrypted with it (a fresh encoding carries none: all zero).
 * Objects of two different key pairs never mix: the evaluator, decryption
 * and the loaders answer LATHE_EMISMATCH naming both identifiers.
 * These functions copy the identifier into id (all zero when the object is
 * not bound to a key). Errors: LATHE_EINVAL (NULL).
 */
#define LATHE_KEY_ID_BYTES 32
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_sk_key_id(const lathe_sk *sk, uint8_t id[LATHE_KEY_ID_BYTES]);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_key_id(const lathe_pk *pk, uint8_t id[LATHE_KEY_ID_BYTES]);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_key_id(const lathe_evalkeys *ek, uint8_t id[LATHE_KEY_ID_BYTES]);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_key_id(const lathe_ct *ct, uint8_t id[LATHE_KEY_ID_BYTES]);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pt_key_id(const lathe_pt *pt, uint8_t id[LATHE_KEY_ID_BYTES]);
/* Writes the identifier as 64 lowercase hex digits and a NUL into hex. */
LATHE_API void lathe_key_id_hex(const uint8_t id[LATHE_KEY_ID_BYTES], char hex[2 * LATHE_KEY_ID_BYTES + 1]);

/* Free a key (NULL-safe). lathe_sk_free zeroizes the secret before freeing it. */
/* The context a key was made under (NULL for NULL). */
LATHE_API const lathe_ctx *lathe_pk_ctx(const lathe_pk *pk);
LATHE_API const lathe_ctx *lathe_sk_ctx(const lathe_sk *sk);

LATHE_API void lathe_sk_free(lathe_sk *sk);
LATHE_API void lathe_pk_free(lathe_pk *pk);
LATHE_API void lathe_evalkeys_free(lathe_evalkeys *ek);

/* ---- plaintexts and encoding ---- */

/*
 * A plaintext of ctx, all zero, bound to no key. Errors: LATHE_EINVAL
 * (NULL), LATHE_ENOMEM; on error *out is NULL. lathe_pt_free (NULL-safe)
 * zeroizes the coefficients: plaintexts are treated as secrets.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pt_new(const lathe_ctx *ctx, lathe_pt **out);
LATHE_API void lathe_pt_free(lathe_pt *pt);

/*
 * Batch encoding: values[i] goes to slot i; the S = lathe_ctx_slots slots
 * form a 2 x S/2 matrix (row 0: slots 0..S/2-1), or one row of S when the
 * plaintext prime is 3 mod 4 (lathe/params.h). n <= S; missing slots are 0.
 * Signed values must lie in [-(t-1)/2, (t-1)/2]; unsigned ones in [0, t).
 * The plaintext is bound to no key afterwards.
 * Errors: LATHE_EINVAL (NULL, n > slots, a value out of range: which one
 * is named), LATHE_EPARAM (the context has no batching: t not 1 mod 2N),
 * LATHE_ENOMEM. On error out is unchanged. CT: the encoding of values in
 * range has no data-dependent branch; the range check stops at the first
 * value outside it.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_encode(lathe_pt *out, const int64_t *values, size_t n);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_encode_u64(lathe_pt *out, const uint64_t *values, size_t n);
/*
 * Decodes n <= slots values: centered in [-(t-1)/2, t-1-(t-1)/2] (the
 * range lathe_encode accepts, so decode and encode round-trip for every t;
 * for odd t that is [-(t-1)/2, (t-1)/2]) or in [0, t).
 * Errors: LATHE_EINVAL (NULL, n > slots), LATHE_EPARAM (no batching),
 * LATHE_ENOMEM; on error values is unchanged. CT: yes.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_decode(int64_t *values, size_t n, const lathe_pt *pt);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_decode_u64(uint64_t *values, size_t n, const lathe_pt *pt);

/*
 * Coefficient encoding (any t): values[i] is the coefficient of X^i, in
 * [-(t-1)/2, t-1-(t-1)/2] (for even t: [-(t/2-1), t/2]); decoding gives
 * the same range. n <= N; missing coefficients are 0. Errors: LATHE_EINVAL
 * (NULL, n > N, a value out of range), LATHE_ENOMEM; on error the output is
 * unchanged. CT: yes.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_encode_coeffs(lathe_pt *out, const int64_t *values, size_t n);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_decode_coeffs(int64_t *values, size_t n, const lathe_pt *pt);

/* ---- ciphertexts, encryption, decryption ---- */

/*
 * A ciphertext of ctx: the zero ciphertext at the top level (noise 0),
 * bound to no key; any operation may write it. Errors: LATHE_EINVAL,
 * LATHE_ENOMEM; on error *out is NULL. lathe_ct_free is NULL-safe.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_new(const lathe_ctx *ctx, lathe_ct **out);
/*
 * The zero ciphertext at `level` (0 .. lathe_ctx_max_level), with storage
 * for that level only: for results that will sit low in the chain, it
 * saves allocating and clearing the limbs above. Any operation may still
 * write it at a higher level (the storage grows). Errors: LATHE_EINVAL
 * (NULL), LATHE_ELEVEL (level above the top), LATHE_ENOMEM; on error
 * *out is NULL (when out is not NULL).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_new_at(const lathe_ctx *ctx, unsigned level, lathe_ct **out);
LATHE_API void lathe_ct_free(lathe_ct *ct);
/*
 * out = a (components, level, factor, estimate, key identifier); out may be
 * a. Errors: LATHE_EINVAL (NULL), LATHE_EMISMATCH (other context),
 * LATHE_ENOMEM; on error out is unchanged.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_copy(lathe_ct *out, const lathe_ct *a);
/* Current level (chain primes in use - 1); 0 for NULL. */
LATHE_API unsigned lathe_ct_level(const lathe_ct *ct);
/*
 * The plaintext modulus ct's message lives under: the context's t = p^r,
 * or p^e (e > r) for a ciphertext inside bootstrapping; 0 for NULL. The
 * message of an operation's result is mod the same modulus as its
 * inputs'. CT: n/a (public).
 */
LATHE_API uint64_t lathe_ct_plain_modulus(const lathe_ct *ct);
/* Number of components: 2, or 3 after lathe_ct_mul_raw; 0 for NULL. */
LATHE_API unsigned lathe_ct_size(const lathe_ct *ct);

/*
 * Encrypt pt at the top level with the public key, or with the secret key
 * (c1 then comes from a seed: half the size when saved). out takes the
 * key's identifier; pt may be bound to any key or none.
 * Errors: LATHE_EINVAL (NULL), LATHE_EMISMATCH (other context), LATHE_ENOMEM;
 * on error out is unchanged. CT: yes (plaintext, key, randomness).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_encrypt(const lathe_pk *pk, lathe_ct *out, const lathe_pt *pt);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_encrypt_sk(const lathe_sk *sk, lathe_ct *out, const lathe_pt *pt);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_encrypt_rng(const lathe_pk *pk, lathe_ct *out, const lathe_pt *pt, lathe_rng *rng);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_encrypt_sk_rng(const lathe_sk *sk, lathe_ct *out, const lathe_pt *pt, lathe_rng *rng);

/*
 * Decrypts ct into out with the secret key of its key pair.
 *
 * What decryption checks, in this order:
 *  1. ct, sk and out belong to one context, and ct to sk's key pair
 *     (LATHE_EMISMATCH names both key ids);
 *  2. lathe_decrypt only: the public noise estimate carried by ct is below
 *     Q_l / 2 (LATHE_ENOISE otherwise; lathe_decrypt_force skips this);
 *  3. both: the real noise. v = c0 + c1 s (+ c2 s^2) mod Q_l is measured
 *     in constant time, with word arithmetic only (on its t-preserving
 *     division by q_1...q_l, exact up to 2t), and ct is refused
 *     (LATHE_ENOISE) unless every coefficient satisfies
 *     |v_j| < Q_l / 2^(1 + LATHE_DECRYPT_MARGIN_BITS). The estimate is
 *     therefore never trusted alone: a forged or understated estimate, or
 *     a ciphertext evaluated past its budget, is refused rather than
 *     decrypted into wrong slots.
 * What it cannot check: that ct is the result of the computation the owner
 * intended. A well-formed ciphertext with small noise (any honest
 * encryption under this key, or a ciphertext of the wrong circuit)
 * decrypts to whatever it encrypts. Noise that overflowed Q_l / 2 passes
 * only if every coefficient wrapped to within the band around a multiple
 * of Q_l: for the overflowed noise of lathe's operations, spread over all
 * of Z_Q, about 2^-(N * LATHE_DECRYPT_MARGIN_BITS). A refusal
 * itself tells whether the noise crossed the bound, so a data owner should
 * not return refusals or decryptions of ciphertexts it did not expect to
 * an untrusted party: together with the margin this closes the IND-CPA^D
 * attacks on exact schemes (Cheon, Choe, Passelègue, Stehlé, Suvanto,
 * ePrint 2024/127; Checri, Sirdey, Boudguiga, Bultel, ePrint 2024/116)
 * that learn the key from wrong decryptions near the noise bound.
 * On any error out is unchanged.
 * CT: yes (with respect to the secret key, the noise and the plaintext;
 * only the refusal bit of check 3 depends on them).
 */
#define LATHE_DECRYPT_MARGIN_BITS 1
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_decrypt(const lathe_sk *sk, lathe_pt *out, const lathe_ct *ct);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_decrypt_force(const lathe_sk *sk, lathe_pt *out, const lathe_ct *ct);

/*
 * Remaining noise budget in bits, measured exactly with the secret key:
 * floor(log2(Q_l / 2) - log2(max |c0 + c1 s + c2 s^2|)), 0 when exhausted.
 * For tests and tuning. Errors: LATHE_EINVAL, LATHE_EMISMATCH (other
 * context or key pair), LATHE_ENOMEM.
 * CT: yes up to the result (lathe's own word arithmetic, no big-integer
 * library; every buffer that held c0 + c1 s is wiped before it is freed).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_noise_budget(const lathe_sk *sk, const lathe_ct *ct, int *bits);

/* The public estimate of the same budget (never above the measured one). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_budget_estimate(const lathe_ct *ct, int *bits);

/* ---- evaluation ---- */

/*
 * An evaluator: scratch memory and the evaluation keys (ek may be NULL:
 * then mul_raw, additions and plaintext ops work, relinearization and
 * rotations answer LATHE_ENOKEY). One per thread.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_eval_new(const lathe_ctx *ctx, const lathe_evalkeys *ek, lathe_eval **out);
/* Frees an evaluator (NULL-safe); no call may be running on it. */
LATHE_API void lathe_eval_free(lathe_eval *ev);
/* The context of an evaluator (NULL for NULL), for layers that take only an evaluator. */
LATHE_API const lathe_ctx *lathe_eval_ctx(const lathe_eval *ev);
/* Its evaluation keys (NULL when it has none or ev is NULL). */
LATHE_API const lathe_evalkeys *lathe_eval_keys(const lathe_eval *ev);

/*
 * The operations below share one contract unless their comment says more:
 *  - out may alias any input;
 *  - every input must belong to ev's context and key pair, and the inputs
 *    of one operation to one key pair (LATHE_EMISMATCH names both key ids;
 *    a ciphertext or plaintext bound to no key matches any);
 *  - the result's noise is predicted before anything is written and an
 *    undecryptable result is refused with LATHE_ENOISE;
 *  - errors: LATHE_EINVAL (a NULL argument), LATHE_EMISMATCH, LATHE_ENOISE,
 *    LATHE_EBUSY (another call is running on ev), LATHE_ENOMEM;
 *  - on any error but LATHE_ENOMEM, out is unchanged (after LATHE_ENOMEM it
 *    holds a valid ciphertext of unspecified content);
 *  - CT: yes with respect to the plaintexts and the keys (no branch or
 *    memory index depends on them; the noise estimate is public).
 */

/*
 * Automatic modulus switching (on by default): before a multiplication the
 * inputs are brought down to the level where their noise is smallest
 * relative to the modulus; binary operations bring both inputs to a common
 * level. Off: only lathe_ct_mod_switch* lower levels (inputs at different
 * levels are still reconciled).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_eval_set_auto_modswitch(lathe_eval *ev, int on);

/*
 * out = a + b, a - b, -a. Inputs at different levels or factors are first
 * brought to a common level and factor; 2 or 3 components (the result has
 * the larger number).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_add(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_sub(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_neg(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
/*
 * out = a * b (a * a), relinearized; with automatic modulus switching both
 * inputs are first switched down to the level the product needs.
 * a, b: 2 components (LATHE_EINVAL otherwise). Also LATHE_ENOKEY (no
 * relinearization key), LATHE_ELEVEL (no level left).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_mul(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_square(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
/* Tensor product without relinearization: a 3-component ciphertext (no key needed). As lathe_ct_mul otherwise. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_mul_raw(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
/* Relinearizes a 3-component ciphertext (a copy for 2 components). Also LATHE_ENOKEY. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);

/*
 * out = a + b, a - b, a * b for a plaintext b (slot-wise with batch
 * encoding, as polynomials with coefficient encoding). The product's noise
 * grows with b's l1 norm. A plaintext decrypted under another key pair is
 * refused (LATHE_EMISMATCH); a fresh encoding is under no key.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_add_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_sub_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_mul_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b);

/*
 * Prepared plaintexts: a plaintext lifted once into the chain's first
 * level + 1 primes and the special primes in NTT form (level + 1 + np
 * limbs of N words; the special primes serve lathe_rotset_dot), for many
 * products (the diagonals of a linear transform, a model's fixed
 * weights): lathe_ct_mul_prepared is lathe_ct_mul_plain without the lift
 * (one NTT per limb saved a call).
 * A plaintext prepared at level L multiplies ciphertexts at any level
 * <= L; above L, automatic switching brings the ciphertext down to L, and
 * without it the product is refused (LATHE_ELEVEL). It keeps the
 * plaintext's key identifier (a fresh encoding: none) and its norm for the
 * noise estimate, and is immutable: threads may share one.
 * Errors of lathe_prepared_pt_new: LATHE_EINVAL (NULL), LATHE_ELEVEL (level
 * above the context's top level), LATHE_ENOMEM; *out is NULL on error.
 * lathe_prepared_pt_free (NULL-safe) zeroizes it. CT: yes.
 */
typedef struct lathe_prepared_pt lathe_prepared_pt;
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_prepared_pt_new(const lathe_pt *pt, unsigned level, lathe_prepared_pt **out);
LATHE_API void lathe_prepared_pt_free(lathe_prepared_pt *p);
/* The level a prepared plaintext was lifted to (0 for NULL). */
LATHE_API unsigned lathe_prepared_pt_level(const lathe_prepared_pt *p);
/* out = a * b for a prepared plaintext; as lathe_ct_mul_plain, and LATHE_ELEVEL as said above. */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_ct_mul_prepared(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_prepared_pt *b);
/*
 * Adds c to every slot (batch; the constant coefficient with coefficient
 * encoding) / multiplies by c. c must lie in [-(t-1)/2, t-1-(t-1)/2]
 * (LATHE_EINVAL otherwise).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_add_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t c);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_mul_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t c);

/*
 * Drops one prime (manual modulus switching; Gentry-Halevi-Smart 2012):
 * LATHE_ELEVEL at level 0, LATHE_ENOISE when the switched estimate would
 * reach Q/2 (a ciphertext already at its budget).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_mod_switch(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
/* Switches down to `level` (<= the current level: LATHE_ELEVEL otherwise); as lathe_ct_mod_switch. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_mod_switch_to(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, unsigned level);

/*
 * Rotates the rows left by `steps` (slot i receives slot i + steps mod the
 * row length: N/2 with full splitting, S/2 or S with thin slots);
 * negative steps rotate right. Uses the step's own Galois key, or composes
 * keys present (LATHE_ENOKEY when impossible). LATHE_EPARAM for t = 2^r.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_rotate(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int steps);
/* Swaps the two rows (LATHE_EPARAM when the slots form one cyclic row or none). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_swap_rows(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
/*
 * out = the automorphism X -> X^g applied to a and key-switched back to the
 * secret key: a ciphertext of m(X^g) (with batching, the slot permutation
 * of g). Needs the Galois key of g itself (no composition); g = 1 copies.
 * Works with any plaintext modulus (no batching needed). out may alias a.
 * Errors: LATHE_EINVAL (NULL, g even or >= 2N), LATHE_EMISMATCH,
 * LATHE_ENOKEY (no key for g; no relinearization key for a 3-component a),
 * LATHE_ENOISE, LATHE_EBUSY, LATHE_ENOMEM. On error out is unchanged.
 * CT: yes with respect to the plaintext.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_automorph(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, uint64_t g);
/*
 * Hoisted rotations (Halevi-Shoup 2018): outs[i] = rotate(a, steps[i]),
 * decomposing a once. Every step needs a key of its own (LATHE_ENOKEY).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_ct_rotate_many(lathe_eval *ev, lathe_ct **outs, const lathe_ct *a, const int *steps, size_t n);

/*
 * Rotation sets: hoisted rotations kept before their ModDown, for linear
 * transforms (Halevi-Shoup 2018 §4; Bossuat, Mouchet, Troncoso-Pastoriza,
 * Hubaux 2021 §4.2, double hoisting). lathe_rotset_new decomposes a once
 * and keeps, for each of the n steps, the key-switch inner product of the
 * rotated ciphertext modulo Q_l * P, where l is the set's level: with
 * automatic modulus switching on, a is first switched down to the level
 * lathe_ct_mul_plain would multiply it at; off, l is a's level.
 * lathe_rotset_dot then computes
 *     out = sum_i w[i] * rotate(a, steps[i])
 * with one ModDown for the whole sum, so that a baby-step/giant-step
 * transform (lathe/lintrans.h) pays one ModDown per giant step.
 *
 * lathe_rotset_new: n >= 1 steps (LATHE_EINVAL for none). Step 0 is a
 * itself (no key); every other step needs the Galois key of its own
 * element (no composition: LATHE_ENOKEY); steps are taken mod the row length (slots/2, or slots for one cyclic row) and
 * must be distinct (LATHE_EINVAL). a: 2 components (LATHE_EINVAL
 * otherwise; relinearize first). The set belongs to ev's key pair and
 * holds its own copy of what it needs: a may be changed or freed after
 * lathe_rotset_new. It is immutable after creation: threads may share it,
 * each with its own evaluator of the same key pair. It makes nothing
 * decryptable, so it refuses no noise: lathe_rotset_dot does.
 * Errors: LATHE_EINVAL (NULL, no steps, repeated steps, 3 components),
 * LATHE_EMISMATCH (a of another context or key pair), LATHE_ENOKEY,
 * LATHE_EPARAM (no batching), LATHE_EBUSY, LATHE_ENOMEM; on error *out
 * is NULL.
 *
 * lathe_rotset_dot: w has lathe_rotset_count(rs) entries, in the order of
 * the steps; NULL means a zero weight (at least one non-NULL: LATHE_EINVAL);
 * each weight prepared at a level >= lathe_rotset_level(rs) (LATHE_ELEVEL).
 * out lands at the set's level, with a's correction factor at that level;
 * out may be any ciphertext of the context. Its noise estimate is the sum
 * over i of |w[i]|_1 times the estimate of rotate(a, steps[i]), plus one
 * ModDown's rounding; the result is refused (LATHE_ENOISE) before
 * anything is written when that could not decrypt.
 * Errors: LATHE_EINVAL (NULL, every weight NULL), LATHE_EMISMATCH (the
 * set, a weight or out of another context or key pair), LATHE_ELEVEL,
 * LATHE_ENOISE, LATHE_EBUSY, LATHE_ENOMEM; on error out is unchanged.
 * lathe_rotset_free is NULL-safe. CT: yes with respect to the plaintexts
 * and the weights (which weights are NULL is public).
 */
typedef struct lathe_rotset lathe_rotset;
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_rotset_new(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **out);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_rotset_dot(lathe_eval *ev, lathe_ct *out, const lathe_rotset *rs, const lathe_prepared_pt *const *w);
/* The number of steps of a set, and its level (0 for NULL). */
LATHE_API size_t lathe_rotset_count(const lathe_rotset *rs);
LATHE_API unsigned lathe_rotset_level(const lathe_rotset *rs);
LATHE_API void lathe_rotset_free(lathe_rotset *rs);

/*
 * Circuit privacy: out = a plus a fresh public-key encryption of zero whose
 * error is flooded with a uniform term (Gentry 2009 §21; Ducas-Stehlé 2016,
 * "Sanitization of FHE ciphertexts"), so that what the data owner receives
 * reveals nothing of how it was computed: not the operands of the cloud
 * (model weights) through the noise, nor a transparent ciphertext (a
 * product by 0 has c1 = 0). For any two inputs that encrypt the same
 * plaintext with noise within the accepted bound, the outputs are within
 * statistical distance 2^-LATHE_RERANDOMIZE_STAT_BITS of each other
 * (c1 computationally, under RLWE). The result always lands at the same
 * level, with correction factor 1 and a public noise estimate that depend
 * only on the context, never on the input's history.
 * Use it on every result returned to a party that must not learn the
 * circuit's private inputs (a model owner's weights); it is the last
 * operation (its budget is mostly spent on the flooding). It costs about
 * 40 + log2 N + log2 t + the switching floor bits of modulus: choose a
 * chain with that much left above the circuit's depth.
 * a: a ciphertext of ev's key pair (3 components are relinearized first);
 * ev's bundle must carry the public key (lathe_evalkeys_set_pk).
 * Errors: LATHE_EINVAL, LATHE_EMISMATCH, LATHE_ENOKEY (no public key, or no
 * relinearization key for a 3-component input), LATHE_EPARAM (the chain is
 * too short for flooding at all), LATHE_ELEVEL (a is below the level the
 * flooding needs), LATHE_ENOISE (a's noise is above what the flooding
 * hides), LATHE_EBUSY, LATHE_ENOMEM. On error out is unchanged.
 * CT: yes with respect to the plaintext and the noise.
 */
#define LATHE_RERANDOMIZE_STAT_BITS 40
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_rerandomize(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);

LATHE_END_DECLS

#endif
