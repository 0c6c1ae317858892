/*
 * Hybrid key switching (Han-Ki, CT-RSA 2020; KPZ21 §4) as three
 * operations on a workspace, and an accumulating form of the second, so
 * that callers can stop between them:
 *
 *   lt_ks_decompose   ModUp: c (NTT form over Q_l) is split into digits of
 *                     alpha chain primes, and each digit is extended to
 *                     Q_l * P (centered fast base extension), NTT form;
 *   lt_ks_inner       the inner product of the digits (optionally permuted
 *                     by a Galois element: hoisting, Halevi-Shoup 2018)
 *                     with a key-switching key, into a pair of
 *                     accumulators modulo Q_l * P that are not divided by
 *                     P yet (Lattigo's "lazy" gadget product);
 *   lt_ks_inner_acc   the same, added to accumulators that already hold
 *                     other inner products (a linear transform sums many
 *                     of them: Bossuat et al. 2021 §4.2, double hoisting);
 *   lt_ks_moddown     ModDown: the accumulators divided by P, keeping the
 *                     plaintext congruence mod t.
 *
 * For a key from s' to s, the accumulators (a0, a1) of c satisfy
 * a0 + a1 s = P c s' + t E (mod Q_l P) with E small, and ModDown turns
 * them into (d0, d1) with d0 + d1 s = c s' + t e (mod Q_l).
 *
 * An accumulator pair at level l is 2 (l + 1 + np) limbs of N words:
 * component 0, then component 1, each over the basis q_0..q_l,
 * p_0..p_{np-1} in that order (ctx->qp[l]), NTT form, words in [0, q).
 * lt_ks_acc_limbs gives the limbs of one component.
 *
 * Key-switching keys (lt_ksk, internal.h) span the digits over
 * q_0..q_k and the special primes, for a key level k (the top level for
 * the evaluation keys; lower for the keys of lt_ksk_gen_at): such a key
 * switches ciphertexts at levels <= k.
 *
 * Nothing here allocates but lt_ks_ws_init (and lt_ct_switch_key when
 * its output must grow); nothing checks its arguments but
 * lt_ct_switch_key (internal kernels: the callers' preconditions are
 * asserted in debug builds). Every operation is constant-time with
 * respect to the data (CT: yes): no branch or index depends on the
 * ciphertext, the keys or the secrets.
 */
#ifndef LT_BGV_KEYSWITCH_H
#define LT_BGV_KEYSWITCH_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/bgv.h>
#include <lathe/params.h>

struct lt_plainmod;

typedef struct lt_ksk lt_ksk;

/*
 * The workspace of key switching, sized for its context's top level. It
 * holds one decomposition at a time (the last lt_ks_decompose), scratch,
 * and one accumulator pair, acc, for callers that need no other. One
 * workspace serves one thread of calls (the operations themselves run
 * OpenMP-parallel inside, with the per-thread scratch held here).
 */
typedef struct lt_ks_ws {
	const lathe_ctx *ctx;
	unsigned level;              /* level of the decomposition held */
	uint64_t *coef;              /* nq limbs: the input in coefficient form (ModUp) */
	uint64_t *dig;               /* dnum * (nq + np) limbs: the extended limbs of each digit */
	const uint64_t **dptr;       /* [digit][limb of Q_l P]: where the inner product reads it (own limbs: in c) */
	uint64_t *conv;              /* base-conversion scratch: 2 nq + np + 1 limbs */
	uint64_t *tmp;               /* one limb per thread: a permuted digit limb */
	int tmp_threads;
	uint64_t *acc;               /* an accumulator pair at the top level: 2 (nq + np) limbs */
} lt_ks_ws;

/*
 * Allocates a workspace for ctx (which must outlive it). LATHE_ENOMEM
 * leaves ws cleared (lt_ks_ws_clear may still be called).
 */
lathe_status lt_ks_ws_init(lt_ks_ws *ws, const lathe_ctx *ctx);
/* Frees a workspace's memory; a zeroed or cleared workspace is accepted. */
void lt_ks_ws_clear(lt_ks_ws *ws);

/* Limbs of one accumulator component at level l: l + 1 + np. */
size_t lt_ks_acc_limbs(const lathe_ctx *ctx, unsigned l);
/* Component w (0 or 1) of an accumulator pair at level l. */
uint64_t *lt_ks_acc_comp(const lathe_ctx *ctx, uint64_t *acc, unsigned l, unsigned w);

/* The level of a key-switching key (the last chain prime its digits cover). */
unsigned lt_ksk_level(const lathe_ctx *ctx, const lt_ksk *k);
/* The digits of a ciphertext at level l: l / alpha + 1. */
unsigned lt_ks_digits(const lathe_ctx *ctx, unsigned l);
/* The chain primes [*lo, *hi) of digit j at level l. */
void lt_ks_digit_range(const lathe_ctx *ctx, unsigned j, unsigned l, unsigned *lo, unsigned *hi);

/*
 * ModUp of c: l + 1 limbs of N words, NTT form, words in [0, q_i). The
 * extended digits are kept in ws (replacing any earlier decomposition),
 * but the digits' own limbs are read from c itself: c must stay unchanged
 * until the last lt_ks_inner / lt_ks_inner_acc on this decomposition has
 * returned; after that it may be overwritten (lt_ks_moddown may write
 * its outputs over it). c must not overlap ws's buffers (coef, dig, conv,
 * tmp, acc). Requires l <= the top level.
 */
void lt_ks_decompose(lt_ks_ws *ws, const uint64_t *c, unsigned l);

/*
 * acc = the inner product of the decomposition held by ws (level l, the
 * level it was made at) with key: an accumulator pair at level l (see
 * above). With perm (the NTT-form permutation of a Galois element g,
 * lt_automorph_perm), the digits are permuted first: the result is the
 * inner product of the decomposition of sigma_g(c) (hoisting); NULL: no
 * permutation. Requires l <= lt_ksk_level(key). acc must not overlap the
 * decomposition's input c or ws's buffers other than ws->acc (which it
 * may be). The decomposition is left as it was: many inner products
 * (other keys, other permutations) may follow one decomposition.
 */
void lt_ks_inner(lt_ks_ws *ws, const lt_ksk *key, const uint32_t *perm, unsigned l, uint64_t *acc);
/* acc += the same inner product (acc holds an accumulator pair at level l); as lt_ks_inner otherwise. */
void lt_ks_inner_acc(lt_ks_ws *ws, const lt_ksk *key, const uint32_t *perm, unsigned l, uint64_t *acc);

/*
 * ModDown of an accumulator pair at level l (any sum of inner products,
 * or their multiples by plaintexts in NTT form over Q_l P):
 *     out_w = (acc_w - t [t^-1 acc_w]_P) / P  mod Q_l,  w = 0, 1,
 * with [.]_P centered: the division is exact, and the plaintext
 * congruence mod t is kept (KPZ21 §4), t that of pm (the ciphertext's
 * plaintext modulus; ring/tdiv.h's kernel). out0, out1: l + 1 limbs each, NTT
 * form, words in [0, q_i). acc is consumed: its P limbs are overwritten.
 * out_w may be exactly the Q part of component w of acc (the first l + 1
 * limbs of lt_ks_acc_comp(acc, l, w)), or the decomposition's input c, or
 * lie outside acc; out0 and out1 do not overlap each other or ws's
 * buffers other than ws->acc. The decomposition held by ws is left as it
 * was (hoisted callers ModDown once per output).
 */
void lt_ks_moddown(lt_ks_ws *ws, const struct lt_plainmod *pm, uint64_t *acc, unsigned l, uint64_t *out0,
                   uint64_t *out1);

/*
 * out = a key-switched with k, a key from a secret s_from to a secret
 * s_to (lt_ksk_gen_at: any two secrets of the context, e.g. dense to
 * sparse): a is a ciphertext under s_from, out the ciphertext under s_to
 * of the same plaintext, at a's level and with a's correction factor.
 * out may alias a. out is bound to no key (its secret may have no key
 * pair; key identifiers name key pairs), and its noise estimate is a's
 * plus one key switch (no refusal: the caller decides). Errors:
 * LATHE_EINVAL (a has 3 components), LATHE_ELEVEL (a above the key's
 * level), LATHE_ENOMEM; on error out is unchanged. CT: yes.
 */
lathe_status lt_ct_switch_key(lt_ks_ws *ws, lathe_ct *out, const lathe_ct *a, const lt_ksk *k);

#endif
