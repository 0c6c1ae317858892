/*
 * The evaluator's shared pieces (eval.c): argument and key-pair checks,
 * noise refusals, level management, and the bodies of the public
 * operations, which eval.c wraps in the busy guard. Used by the files
 * of src/bgv that implement the operations: eval_arith.c (additions,
 * plaintext and scalar operations, prepared plaintexts, modulus
 * switching), eval_mul.c (products and relinearization), eval_rotate.c
 * (rotations and automorphisms), rotset.c (rotation sets),
 * rerandomize.c.
 *
 * The evaluator's scratch (internal.h) and who uses it. A helper may be
 * called while its caller holds data only in scratch it does not use:
 *   t1     lt_ev_align (a), lt_ev_as_two, mul_lifted (the switched
 *          operand), tensor (a copy of an input that out aliases),
 *          lt_ev_ct_rotate_many and lt_ev_rotset_new (the input's copy),
 *          lt_ev_ct_rerandomize;
 *   t2     lt_ev_align (b), tensor (as t1), the rotations' one key
 *          switch when out aliases its input;
 *   ks     every key switch: lt_ev_relin_into (so lt_ev_as_two and
 *          the products), the rotations, rotation sets (ks.acc holds
 *          the sum of lt_ev_rotset_dot);
 *   drop   lt_ev_drop_to, lt_ev_switch_to (so lt_ev_align, mul_lifted, mod switching,
 *          lt_ev_rotset_new);
 *   lift   the plaintext of lathe_ct_add_plain, _sub_plain, _mul_plain.
 */
#ifndef LT_BGV_EVAL_H
#define LT_BGV_EVAL_H

#include "internal.h"
#include "keyswitch.h"

/*
 * A prepared plaintext (eval_arith.c): the centered plaintext lifted in
 * NTT form over q_0..q_level (limbs 0..level, what lathe_ct_mul_prepared
 * multiplies by) and over p_0..p_{np-1} (limbs level + 1 .. level + np,
 * what rotation sets multiply their accumulators modulo Q_l P by).
 */
struct lathe_prepared_pt {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES];
	unsigned pm;                 /* the plaintext's plaintext modulus */
	unsigned level;              /* lifted over q_0..q_level and P */
	double log2_norm;            /* log2 of the l1 norm of the centered plaintext */
	uint64_t *m;                 /* level + 1 + np limbs, NTT form */
	unsigned cap;                /* limbs allocated at m (>= level + 1 + np) */
};

#define CHECK_IN(fn, x) \
	do { \
		lathe_status s_ = lt_ev_check_in(fn, ev, x, #x); \
		if (s_) \
			return s_; \
	} while (0)

/* same key pair (key ids) and same plaintext modulus (ciphertexts or plaintexts) */
#define CHECK_PAIR(fn, a, b) \
	do { \
		lathe_status s_ = lt_keyid_check(fn, #a, (a)->keyid, #b, (b)->keyid); \
		if (s_) \
			return s_; \
		if ((a)->pm != (b)->pm) \
			return lt_fail(LATHE_EMISMATCH, "%s: " #a " and " #b " are under different plaintext moduli (%llu, %llu)", \
			               fn, (unsigned long long)(a)->ctx->pm[(a)->pm].t, \
			               (unsigned long long)(b)->ctx->pm[(b)->pm].t); \
	} while (0)

#define CHECK_EV(fn) \
	do { \
		if (!ev) \
			return lt_fail(LATHE_EINVAL, "%s: evaluator is NULL", fn); \
	} while (0)

#define CHECK_CT(fn, x) \
	do { \
		lathe_status s_ = lt_ev_check_ct(fn, ev, x, #x); \
		if (s_) \
			return s_; \
	} while (0)

lathe_status lt_ev_eval_set_auto_modswitch(lathe_eval *ev, int on);
lathe_status lt_ev_check_ct(const char *fn, const lathe_eval *ev, const lathe_ct *x, const char *name);
lathe_status lt_ev_check_in(const char *fn, const lathe_eval *ev, const lathe_ct *x, const char *name);
lathe_status lt_ev_refuse_noise(const char *fn, const lathe_ctx *c, double noise, unsigned level);
int lt_ev_too_noisy(const lathe_ctx *c, double noise, unsigned level);
lathe_status lt_ev_to_temp(lathe_ct *dst, const lathe_ct *x);
lathe_status lt_ev_drop_to(lathe_eval *ev, lathe_ct *x, unsigned level);
lathe_status lt_ev_switch_to(lathe_eval *ev, lathe_ct *dst, const lathe_ct *x, unsigned level);
/* x brought down to level kl in t1 when above (automatic switching), else LATHE_ELEVEL (eval_rotate.c) */
lathe_status lt_ev_to_key_level(lathe_eval *ev, const lathe_ct **x, unsigned kl, const char *fn);
unsigned lt_ev_mul_level(const lathe_ctx *c, const lathe_ct *x);

/*
 * The busy guard of the public operations (eval.c): lt_ev_enter takes the
 * evaluator or fails with LATHE_EBUSY (LATHE_EINVAL for NULL), naming fn;
 * lt_ev_leave gives it back.
 */
lathe_status lt_ev_enter(lathe_eval *ev, const char *fn);
void lt_ev_leave(lathe_eval *ev);
int64_t lt_centered_mod(uint64_t v, uint64_t t);
void lt_ev_scale(lathe_ct *x, int64_t c);
double lt_log2_abs(int64_t c);
lathe_status lt_ev_align(lathe_eval *ev, const lathe_ct **pa, const lathe_ct **pb, int for_mul);
lathe_status lt_ev_ct_add(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
lathe_status lt_ev_ct_sub(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
lathe_status lt_ev_ct_neg(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
lathe_status lt_ev_check_pt(const char *fn, const lathe_eval *ev, const lathe_pt *p);
double lt_plain_log2_norm(const lathe_ctx *c, const lt_plainmod *pm, const uint64_t *m);
lathe_status lt_ev_ct_add_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b);
lathe_status lt_ev_ct_sub_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b);
lathe_status lt_ev_ct_mul_plain(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_pt *b);
lathe_status lt_ev_ct_mul_prepared(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_prepared_pt *b);
lathe_status lt_ev_ct_add_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v);
lathe_status lt_ev_ct_mul_scalar(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int64_t v);
lathe_status lt_ev_relin_into(lathe_eval *ev, lathe_ct *x);
lathe_status lt_ev_need_relin(const char *fn, const lathe_eval *ev);
lathe_status lt_ev_ct_mul_raw(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
lathe_status lt_ev_ct_mul(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b);
lathe_status lt_ev_ct_square(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
lathe_status lt_ev_ct_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
lathe_status lt_ev_ct_mod_switch_to(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, unsigned level);
lathe_status lt_ev_ct_mod_switch(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
lathe_status lt_ev_as_two(lathe_eval *ev, const lathe_ct **x, const char *fn);
lathe_status lt_ev_ct_rotate(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int steps);
lathe_status lt_ev_ct_swap_rows(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
lathe_status lt_ev_ct_automorph(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, uint64_t g);
lathe_status lt_ev_ct_rotate_many(lathe_eval *ev, lathe_ct **outs, const lathe_ct *a, const int *steps, size_t n);
lathe_status lt_ev_ct_rerandomize(lathe_eval *ev, lathe_ct *out, const lathe_ct *a);
lathe_status lt_ev_rotset_new(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **out);
/*
 * lathe_rotset_new into *rs, taking over the memory of the set *rs held
 * (or NULL) when it is large enough, else freeing it: for loops that make
 * one set after another. On error *rs is NULL (the old set freed).
 * lt_rotset_renew is the same behind the evaluator's one-call-at-a-time guard.
 */
lathe_status lt_ev_rotset_renew(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **rs);
lathe_status lt_rotset_renew(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **rs);
lathe_status lt_ev_rotset_dot(lathe_eval *ev, lathe_ct *out, const lathe_rotset *rs, const lathe_prepared_pt *const *w);
/* The Galois key of element g in ev's keys, or NULL. */
const lt_galois_key *lt_ev_find_key(const lathe_eval *ev, uint64_t g);
/* The plaintext prepared in b: LATHE_EINVAL (NULL), LATHE_EMISMATCH (context, key pair of ev). */
lathe_status lt_ev_check_prepared(const char *fn, const lathe_eval *ev, const lathe_prepared_pt *b);
/*
 * *out = an empty prepared plaintext of c with room for `level` (its limbs
 * unset: lt_prepared_pt_refill_many fills it before any use). LATHE_ELEVEL,
 * LATHE_ENOMEM.
 */
lathe_status lt_prepared_pt_alloc(const lathe_ctx *c, unsigned level, lathe_prepared_pt **out);
/*
 * p[j] = pt[j] prepared at `level` for j < count, the limbs of all of them lifted at once so
 * that the threads share them: what lathe_prepared_pt_new(pt[j], level)
 * makes, in p[j]'s own memory. LATHE_EINVAL (NULL, level + 1 + np above
 * the limbs a p[j] holds), LATHE_EMISMATCH (another context), LATHE_ENOMEM;
 * every argument is checked before any p[j] changes.
 */
lathe_status lt_prepared_pt_refill_many(lathe_prepared_pt *const *p, const lathe_pt *const *pt, size_t count,
                                        unsigned level);

#endif
