/*
 * Bootstrapping's number theory (BOOTSTRAP.md §2, Steps 3 and 7): the
 * bounded-range lowest-digit removal polynomial over Z_{p^e}, and the
 * bound on the overflow J of the raw modulus switch with its failure
 * probability. Both run once per parameter set, on public values.
 */
#ifndef LT_BOOTSTRAP_INTERNAL_H
#define LT_BOOTSTRAP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "../algo/polyeval.h"
#include "../bgv/internal.h"
#include "../bgv/keyswitch.h"

/*
 * The lowest-digit removal polynomial F over Z_{p^e} for the range B:
 *     F(p m + j) = j (mod p^e)  for every integer m and every |j| <= B,
 *     F(y) = sum_{i=-B..B} i (1 - (y - i)^phi(p^e))  mod  (prod_{i=-B..B} (y - i))^e
 * (BOOTSTRAP.md §2 Step 7, after Geelen, Vercauteren, "Bootstrapping for
 * BGV and BFV revisited", J. Cryptology 36, 2023, and Ma, Huang, Wang,
 * Wang, Asiacrypt 2024: for |j| <= B < p/2 every y - i with i != j is a
 * unit, so (y - i)^phi = 1, while (y - j)^phi = 0 mod p^e; the modulus
 * vanishes mod p^e on those y). F is odd, of degree at most e (2B + 1) - 1.
 * coeffs: cap words; on success coeffs[0..*deg] hold F in [0, p^e) and
 * the rest of the first e (2B + 1) words are 0.
 * Errors: LATHE_EINVAL (NULL, e < 2, cap < e (2B + 1)), LATHE_EPARAM (p
 * not an odd prime, 2B + 1 > p, p^e >= 2^62), LATHE_ENOMEM.
 * CT: n/a (public parameters).
 */
lathe_status lt_boot_digit_poly(uint64_t p, unsigned e, unsigned B, uint64_t *coeffs, size_t cap, size_t *deg);

/*
 * The smallest B for which the raw modulus switch's overflow J stays in
 * [-B, B] on every one of 2^log2_coeffs coefficients except with
 * probability at most 2^-fail_bits (BOOTSTRAP.md §2 Step 3, Correction 3).
 * Since c0 = -c1 s' + v, a0 is the centred residue of -a1 s' plus a tiny
 * multiple of v', and a coefficient of J is the rounding of a sum of h
 * independent uniforms on [-1/2, 1/2] (the h terms of a1 s' / q'), up to
 * that tiny term: |J| > B exactly when the sum reaches B + 1/2
 * (test_tail.c measures it). The bound takes h + 1 terms, as the design
 * note does (a0 counted as a term of its own; by Anderson's inequality
 * one more symmetric unimodal term only widens the tail, so it bounds J):
 *     P(|J| > B) <= P(|S| >= B + 1/2) = 2 IH_{h+1}((h + 1)/2 - B - 1/2),
 * IH_n the Irwin-Hall distribution function, computed exactly over the
 * rationals; the union over the coefficients multiplies it by
 * 2^log2_coeffs. *tail_log2 (may be NULL) receives log2 of the bound
 * reached at *B. Errors: LATHE_EINVAL (NULL B, h = 0 or above 2048,
 * log2_coeffs above 20, fail_bits 0 or above 1024), LATHE_ENOMEM.
 * CT: n/a (public parameters).
 */
lathe_status lt_boot_overflow_bound(unsigned h, unsigned log2_coeffs, unsigned fail_bits, unsigned *B,
                                    double *tail_log2);

/*
 * log2 P(|S| >= B + 1/2) for one coefficient (S as above, h + 1 terms),
 * exact up to the final conversion to double; -INFINITY when 2B >= h (the
 * tail is empty), NAN for h = 0 or above 2048. CT: n/a.
 */
double lt_boot_overflow_tail_log2(unsigned h, unsigned B);
/* log2 P(|S| >= x2 / 2), the same S; lt_boot_overflow_tail_log2(h, B) is this at x2 = 2B + 1. CT: n/a. */
double lt_boot_sum_tail_log2(unsigned h, unsigned x2);

/*
 * The cyclic slots' bound (overflow.c, where the derivation is): slot k > 0
 * carries the sum of two overflow coefficients, which share D terms.
 * lt_boot_mixed_tail_log2: log2 P(|T| >= B), T the sum of n1 uniforms on
 * [-1/2, 1/2] and n2 on [-1, 1], exact up to the final conversion (NAN out
 * of range). lt_boot_collision_log2: an upper bound on log2 P(D >= M) for
 * one slot, N = 2^logn, s' of weight h. lt_boot_pair_bound: the smallest
 * B with failure at most 2^-fail_bits over 2^log2_slots slots (half to
 * D >= *M, half to the tail with D = *M - 1), *tail_log2 the bound reached
 * (M and tail_log2 may be NULL). Errors: LATHE_EINVAL. CT: n/a.
 */
double lt_boot_mixed_tail_log2(unsigned n1, unsigned n2, unsigned B);
double lt_boot_collision_log2(unsigned logn, unsigned h, unsigned M);
lathe_status lt_boot_pair_bound(unsigned logn, unsigned h, unsigned log2_slots, unsigned fail_bits, unsigned *B,
                                unsigned *M, double *tail_log2);

struct lathe_ct;

/*
 * The modulus q' = k p^e + 1 of Step 3 (BOOTSTRAP.md §2 Step 3): the
 * smallest even k >= 2^extra_bits with q' coprime to q_0 (q_0 = 0: any),
 * so log2 q' is about log2 p^e + extra_bits. Errors: LATHE_EINVAL (NULL,
 * p^e even or below 3, extra_bits 0 or above 40), LATHE_EPARAM (q' would
 * reach 2^62). CT: n/a.
 */
lathe_status lt_boot_qprime(uint64_t pe, unsigned extra_bits, uint64_t q0, uint64_t *qp);

/*
 * Step 3 (rawswitch.c): ct at level 0 (2 components, the user's t = p^r)
 * switched to q' (an odd k p^e + 1 coprime to q_0) and scaled by
 * p^(e-r): N coefficients each of a0, a1 in (-p^e/2, p^e/2] with
 *     a0 + a1 s = p^(e-r) kappa m + J  (mod p^e),
 * m the plaintext, s ct's secret, J the overflow (its bound:
 * lt_boot_overflow_bound for s of Hamming weight h), *kappa = fac q_0^-1
 * mod t the factor the message now carries. Errors: LATHE_EINVAL (NULL,
 * e <= r, a ciphertext under another plaintext modulus), LATHE_ELEVEL (not
 * at level 0 with 2 components), LATHE_EPARAM (q' not as above, p^e not
 * below 2^62), LATHE_ENOMEM. CT: yes in the ciphertext.
 */
lathe_status lt_boot_raw_switch(const struct lathe_ct *ct, uint64_t qprime, unsigned e, int64_t *a0, int64_t *a1,
                                uint64_t *kappa);

struct lathe_sk;
struct lathe_ctx;
struct lathe_eval;

/*
 * The bootstrapping key of Step 4 (recrypt.c): *bk = Enc_s(s') under the
 * context's p^e at the top level, s = sk's secret, s' = sparse's (the
 * encapsulation secret; its coefficients are the plaintext). Errors:
 * LATHE_EINVAL (NULL), LATHE_EMISMATCH (secrets of two contexts),
 * LATHE_EPARAM (no p^e in the context), LATHE_ENOMEM. CT: yes.
 */
lathe_status lt_boot_key_gen(const struct lathe_sk *sk, const struct lathe_sk *sparse, struct lathe_ct **bk);

/*
 * Step 4: out = a0 + a1 bk (a0, a1: N coefficients centred mod p^e, from
 * lt_boot_raw_switch): under s with plaintext a0 + a1 s' mod p^e, at bk's
 * level. Errors: LATHE_EINVAL (NULL, bk not under p^e), and those of
 * lathe_ct_mul_plain and lathe_ct_add_plain. CT: yes.
 */
lathe_status lt_boot_inner_product(struct lathe_eval *ev, struct lathe_ct *out, const struct lathe_ct *bk,
                                   const int64_t *a0, const int64_t *a1);

/*
 * Step 5 (trace.c): the Galois elements p^(d/2), p^(d/4), .., p mod 2N of
 * the trace over <p> (d = the slots' degree; none when d = 1): *n of them,
 * written to g when g is not NULL (cap words). Errors: LATHE_EINVAL
 * (NULL c or n, cap too small), LATHE_EPARAM (no slots). CT: n/a.
 * lt_boot_trace: ct <- sum_{x in <p>} sigma_x(ct), in place, tmp a scratch
 * ciphertext (not ct); needs the Galois keys of those elements. Errors:
 * LATHE_EINVAL, and those of lathe_ct_automorph and lathe_ct_add. CT: yes.
 */
lathe_status lt_boot_trace_elts(const struct lathe_ctx *c, uint64_t *g, size_t cap, size_t *n);
lathe_status lt_boot_trace(struct lathe_eval *ev, struct lathe_ct *ct, struct lathe_ct *tmp);

/*
 * Steps 1 and 6 (slotmap.c), thin slots of p = 1 mod 4 under the
 * plaintext modulus pmi of c: V (ell x ell, row-major, entries mod that
 * modulus) with V[i][k] = slot i of X^(d k) (SlotToCoeff on the slot
 * vector), and W = V^-1 with W[k][i] = the coefficient at X^(d k) of the
 * thin plaintext with 1 in slot i (CoeffToSlot). lt_boot_slot_map_elts:
 * the Galois elements 5^k (0 < k < cols) and 2N - 1 (not in the cyclic
 * slots) that lt_boot_slot_map needs. lt_boot_slot_map: out = M in on the slot
 * vector, M ell x ell mod in's plaintext modulus; one level (the products
 * by the diagonals). Errors: LATHE_EINVAL (NULL, out aliasing in),
 * LATHE_EUNSUPPORTED (no slots), LATHE_ENOMEM, and those of the ciphertext
 * operations. In the cyclic slots of p = 3 mod 4 the coordinates are those
 * of slotmap.c's basis b_k. CT: yes (the matrices are public).
 */
/*
 * The working memory of the slot maps (slotmap.c, fftmap.c): the prepared
 * diagonals of one giant step and their plaintexts, the rotation sets of
 * its baby steps, three ciphertexts and a slot vector. An evaluator that has
 * bootstrapped keeps one between bootstraps (lt_boot_ws_of, boot.c), so
 * that its hundreds of MB at N = 2^16 are not mapped, faulted in and
 * zeroed anew by every map; a map called on an evaluator without one uses
 * its own for the call. Each part grows when a map needs more and is
 * reused otherwise. lt_boot_ws_clear frees (and zeroizes the diagonals
 * of) all of it and leaves it empty; NULL-safe.
 */
typedef struct lt_boot_ws {
	struct lathe_prepared_pt **store; /* nstore, each made on first use */
	struct lathe_pt **pt;             /* nstore: the plaintext of store[i] */
	size_t nstore;
	struct lathe_ct *swapped, *inner, *term;
	uint64_t *diag; /* ndiag words */
	size_t ndiag;
	struct lathe_rotset *rs[2];
	lt_pe_pool keep; /* the bootstrap's own ciphertexts and the digit removal's temporaries */
} lt_boot_ws;
void lt_boot_ws_clear(lt_boot_ws *x);
/* ev's kept workspace, NULL when ev has not bootstrapped yet. */
lt_boot_ws *lt_boot_ws_of(struct lathe_eval *ev);
/*
 * Makes x hold at least nstore diagonal slots with their plaintexts and
 * ndiag slot words, and the ciphertexts of ctx (made at `level` when
 * missing). LATHE_ENOMEM keeps what x held.
 */
lathe_status lt_boot_ws_reserve(lt_boot_ws *x, const struct lathe_ctx *ctx, unsigned level, size_t nstore,
                                size_t ndiag);
/*
 * pt[y] = the slot vector at diag + y ell encoded under plaintext modulus
 * pm (ell: sl's slot count), its key id cleared; 1 when out of memory,
 * else 0. Safe on several threads at once for different y.
 */
int lt_boot_ws_encode(lt_boot_ws *x, const struct lt_slots *sl, unsigned pm, size_t y);
/*
 * store[i] = pt[i] prepared at level lv for each i < count with use[i]
 * (use NULL: all), all at once (the threads share the limbs of all of
 * them), in store[i]'s memory when it has room, else in new memory.
 */
lathe_status lt_boot_ws_prepare(lt_boot_ws *x, const unsigned char *use, size_t count, unsigned lv);

lathe_status lt_boot_stc_matrix(const struct lathe_ctx *c, unsigned pmi, uint64_t *V);
lathe_status lt_boot_cts_matrix(const struct lathe_ctx *c, unsigned pmi, uint64_t *W);
lathe_status lt_boot_slot_map_elts(const struct lathe_ctx *c, uint64_t *g, size_t cap, size_t *n);
lathe_status lt_boot_slot_map(struct lathe_eval *ev, struct lathe_ct *out, const struct lathe_ct *in,
                              const uint64_t *M);

/*
 * Factored slot maps (fftmap.c), for thin slots of p = 1 mod 4: the
 * SlotToCoeff (inverse = 0) or CoeffToSlot (inverse = 1) of plaintext
 * modulus pmi as `groups` sparse maps, each one level, the mixing of the
 * rows and log2(cols) butterfly layers split among them as evenly as
 * possible; scale multiplies the whole map (CoeffToSlot's d^-1). Group i
 * is out = sum_j diag_j (.) rot_(rot[j])(swap^(sw[j])(x)), diagonals of
 * ell words in slot order (r cols + c). SlotToCoeff puts the value of
 * slot perm[k] at Y^k (Y = X^d), CoeffToSlot of the same modulus takes it
 * back. lt_boot_fft_new: Errors LATHE_EINVAL (NULL, pmi out of range,
 * groups 0 or above log2(cols) + 1), LATHE_EUNSUPPORTED (no slots, or
 * the cyclic kind), LATHE_EPARAM, LATHE_ENOMEM. lt_boot_fft_elts: the
 * Galois elements the maps need, each once (g: cap words). lt_boot_fft_apply:
 * out = the map of in, exactly one level per group (out lands `groups`
 * levels below in); in under the map's plaintext modulus; Errors
 * LATHE_EINVAL (NULL, aliased, another plaintext modulus), LATHE_ELEVEL
 * (in below level `groups`), LATHE_EMISMATCH, and those of the ciphertext
 * operations.
 * lt_boot_fft_apply_clear: the same on a slot vector in the clear (tests).
 * CT: yes (the maps are public).
 */
typedef struct lt_boot_dmap {
	size_t nd;
	uint8_t *sw;
	uint32_t *rot;
	uint64_t *diag;
} lt_boot_dmap;

typedef struct lt_boot_fft {
	const struct lathe_ctx *ctx;
	unsigned pmi;
	int inverse;
	size_t ngroups;
	lt_boot_dmap *g;
	uint32_t *perm;
} lt_boot_fft;

lathe_status lt_boot_fft_new(const struct lathe_ctx *c, unsigned pmi, int inverse, unsigned groups, uint64_t scale,
                             lt_boot_fft **out);
void lt_boot_fft_free(lt_boot_fft *f);
lathe_status lt_boot_fft_elts(const lt_boot_fft *f, uint64_t *g, size_t cap, size_t *n);
lathe_status lt_boot_fft_apply(struct lathe_eval *ev, struct lathe_ct *out, const struct lathe_ct *in,
                               const lt_boot_fft *f);
lathe_status lt_boot_fft_apply_clear(const lt_boot_fft *f, uint64_t *out, const uint64_t *in);
size_t lt_boot_fft_groups(const lt_boot_fft *f);
const uint32_t *lt_boot_fft_perm(const lt_boot_fft *f);

/*
 * Thin bootstrapping, direct form (thin.c). The keys: the sparse secret
 * of weight h, the encapsulation key from the main secret to it at level
 * 0 (on q_0 and P), the bootstrapping key Enc_s(s') under p^e, q', the
 * overflow bound B for 2^-fail_bits over the ell slots' coefficients, the
 * digit polynomial F for B, and the SlotToCoeff (mod p^r) and
 * CoeffToSlot (mod p^e, d^-1 folded in) matrices.
 * lt_boot_keys_new: Errors LATHE_EINVAL (NULL), LATHE_EPARAM (no p^e in
 * the context, B not below p / 2), LATHE_EUNSUPPORTED (e != r + 1),
 * LATHE_ENOMEM. B is lt_boot_slots_bound's. lt_boot_elts:
 * the Galois elements the evaluator's keys must hold (trace and slot maps). lt_boot_thin: out =
 * in refreshed, at the level the chain leaves after the maps and the
 * digit removal; the evaluator needs the relinearization key and the keys
 * of lt_boot_elts. Errors: LATHE_EINVAL, LATHE_EMISMATCH, LATHE_ELEVEL
 * (in at level 0), and those of the steps. CT: yes.
 */
/*
 * The encapsulation key of Step 2 (encaps.c): from the main secret to the
 * sparse one, one digit over exactly {q_0, p_0} (mod[0], mod[1]), with
 * the division plans by p_0 for each plaintext modulus.
 * lt_boot_encaps_gen: Errors LATHE_EINVAL (NULL), LATHE_EMISMATCH,
 * LATHE_EPARAM (no special prime), LATHE_ENOMEM; k is cleared on error.
 * lt_boot_encaps: ct (level 0, 2 components, under s and the user's t)
 * becomes the same plaintext under s', in place, bound to no key. Errors
 * LATHE_EINVAL (also a ciphertext under p^e),
 * LATHE_EMISMATCH, LATHE_ELEVEL, LATHE_ENOMEM. CT: yes.
 */
typedef struct lt_boot_encaps_key {
	const struct lathe_ctx *ctx;
	unsigned pm; /* the plaintext modulus of its error and of the ciphertexts it switches: the user's t */
	const lt_modulus *mod[2];
	uint8_t seed[LT_SEED_BYTES];
	uint64_t *b, *a; /* 2 limbs of N words each, NTT form */
	lt_tdiv down[LT_MAX_PLAINMOD];
} lt_boot_encaps_key;

lathe_status lt_boot_encaps_gen(const struct lathe_sk *sk, const struct lathe_sk *sparse, lt_boot_encaps_key *k,
                                lathe_rng *rng);
lathe_status lt_boot_encaps(struct lathe_ct *ct, const lt_boot_encaps_key *k);
/* The key of lt_boot_encaps_gen rebuilt from its seed and b (2 limbs of N words, NTT form). Errors: LATHE_EINVAL, LATHE_EPARAM, LATHE_ENOMEM. CT: n/a (public key material). */
lathe_status lt_boot_encaps_load(const struct lathe_ctx *c, const uint8_t seed[LT_SEED_BYTES], const uint64_t *b,
                                 lt_boot_encaps_key *k);
void lt_boot_encaps_clear(lt_boot_encaps_key *k);

typedef struct lt_boot_keys {
	const struct lathe_ctx *ctx;
	unsigned h, B;
	struct lathe_sk *sparse;
	lt_boot_encaps_key encaps;
	struct lathe_ct *bk;
	uint64_t qprime;
	uint64_t *F;
	size_t deg;
	uint64_t *stc, *cts;         /* the dense maps (ell x ell), or NULL */
	lt_boot_fft *stc_f, *cts_f;  /* the factored maps, or NULL */
} lt_boot_keys;

/*
 * The form of c's slot maps: dense (*stc = *cts = 0) up to
 * LT_BOOT_DENSE_SLOTS slots and in the cyclic slots, else factored in
 * *stc groups (SlotToCoeff) and *cts groups (CoeffToSlot), one level each,
 * four layers to a group. lt_boot_level_in: the lowest level a ciphertext
 * is bootstrapped from (SlotToCoeff's levels). CT: n/a.
 */
#define LT_BOOT_DENSE_SLOTS 256
void lt_boot_map_groups(const struct lathe_ctx *c, unsigned *stc, unsigned *cts);
unsigned lt_boot_level_in(const struct lathe_ctx *c);

/*
 * The overflow bound B of c's slots for weight h at 2^-fail_bits per
 * bootstrap: lt_boot_overflow_bound over the slots for p = 1 mod 4,
 * lt_boot_pair_bound for the cyclic slots. Errors: LATHE_EINVAL. CT: n/a.
 */
lathe_status lt_boot_slots_bound(const struct lathe_ctx *c, unsigned h, unsigned fail_bits, unsigned *B,
                                 double *tail_log2);
lathe_status lt_boot_keys_new(const struct lathe_sk *sk, unsigned h, unsigned fail_bits, lathe_rng *rng,
                              lt_boot_keys **out);
/*
 * The same keys from a bundle's material (the sparse secret stays NULL:
 * it is not needed to bootstrap), h from the context. Errors: those of
 * lt_boot_keys_new but the secrets'.
 */
lathe_status lt_boot_keys_from(const struct lathe_ctx *c, const lt_boot_raw *raw, unsigned fail_bits,
                               lt_boot_keys **out);
void lt_boot_keys_free(lt_boot_keys *k);
lathe_status lt_boot_elts(const struct lathe_ctx *c, uint64_t *g, size_t cap, size_t *n);
/*
 * The level each of g[0..n) needs its key to reach, into lv: the top,
 * except an element only the factored SlotToCoeff uses, which runs at
 * lt_boot_level_in and below. Errors: LATHE_EINVAL, LATHE_ENOMEM.
 */
lathe_status lt_boot_elt_levels(const struct lathe_ctx *c, const uint64_t *g, size_t n, unsigned *lv);
/* Where one bootstrap spent its time (ns per step, Steps 1 to 7), for benchmarks. */
typedef struct lt_boot_stats {
	uint64_t ns[8]; /* ns[1..7]: Steps 1 to 7; ns[0]: the whole */
	unsigned level_in, level_out;
	double noise_q0, room_q0; /* log2: the noise estimate at q_0 under s' (after Step 2), and the most the guard allows */
} lt_boot_stats;

lathe_status lt_boot_thin(struct lathe_eval *ev, const lt_boot_keys *k, struct lathe_ct *out,
                          const struct lathe_ct *in, lt_boot_stats *stats);

#endif
