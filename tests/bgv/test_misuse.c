#define _POSIX_C_SOURCE 200809L
/*
 * Misuse and forged state must never give a wrong answer with LATHE_OK:
 * objects of two key pairs, one evaluator shared by two threads, modulus
 * switching past the budget, the 3-component switching noise, circuit
 * privacy by rerandomization.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include <flint/fmpz.h>
#include <flint/fmpz_vec.h>

#include "bgv/internal.h"
#include "ring/crt.h"
#include "bgv_util.h"

static void
short_hex(const uint8_t id[LATHE_KEY_ID_BYTES], char out[17])
{
	char h[2 * LATHE_KEY_ID_BYTES + 1];
	lathe_key_id_hex(id, h);
	memcpy(out, h, 16);
	out[16] = '\0';
}

/* a second key pair of f's context, with its own evaluation keys */
typedef struct other_keys {
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
} other_keys;

static void
other_keys_init(bgv_fix *f, other_keys *o)
{
	BGV_OK(f, lathe_keygen(f->ctx, &o->sk, &o->pk));
	BGV_OK(f, lathe_evalkeys_new(f->ctx, o->sk, NULL, 0, &o->ek));
	BGV_OK(f, lathe_eval_new(f->ctx, o->ek, &o->ev));
}

static void
other_keys_clear(other_keys *o)
{
	lathe_eval_free(o->ev);
	lathe_evalkeys_free(o->ek);
	lathe_pk_free(o->pk);
	lathe_sk_free(o->sk);
}

Test(misuse, objects_of_two_key_pairs_never_mix)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_DEFAULT, NULL, 0, 800);
	other_keys o;
	other_keys_init(&f, &o);
	uint64_t *v = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, v, 1);
	lathe_pt *pt = bgv_pt(&f);
	bgv_encode_vec(&f, pt, v);
	BGV_OK(&f, lathe_encrypt(o.pk, y, pt));

	uint8_t ida[LATHE_KEY_ID_BYTES], idb[LATHE_KEY_ID_BYTES], tmp[LATHE_KEY_ID_BYTES];
	char ha[17], hb[17];
	BGV_OK(&f, lathe_pk_key_id(f.pk, ida));
	BGV_OK(&f, lathe_evalkeys_key_id(o.ek, idb));
	short_hex(ida, ha);
	short_hex(idb, hb);
	cr_assert(memcmp(ida, idb, sizeof ida) != 0, "two key generations share an id");
	/* every object of a key generation carries its id */
	BGV_OK(&f, lathe_sk_key_id(f.sk, tmp));
	cr_assert(memcmp(tmp, ida, sizeof tmp) == 0);
	BGV_OK(&f, lathe_evalkeys_key_id(f.ek, tmp));
	cr_assert(memcmp(tmp, ida, sizeof tmp) == 0);
	BGV_OK(&f, lathe_ct_key_id(x, tmp));
	cr_assert(memcmp(tmp, ida, sizeof tmp) == 0);
	BGV_OK(&f, lathe_ct_key_id(y, tmp));
	cr_assert(memcmp(tmp, idb, sizeof tmp) == 0);
	/* a fresh encoding is under no key */
	BGV_OK(&f, lathe_pt_key_id(pt, tmp));
	for (size_t i = 0; i < sizeof tmp; i++)
		cr_assert_eq(tmp[i], 0);

	/* the other pair's evaluation keys on this pair's ciphertexts: refused, both ids named */
#define REFUSED(call) \
	do { \
		BGV_FAILS(&f, LATHE_EMISMATCH, call); \
		cr_assert(strstr(lathe_last_error(), ha) && strstr(lathe_last_error(), hb), "%s: %s", #call, \
		          lathe_last_error()); \
	} while (0)
	REFUSED(lathe_ct_mul(o.ev, out, x, x));
	REFUSED(lathe_ct_square(o.ev, out, x));
	REFUSED(lathe_ct_rotate(o.ev, out, x, 1));
	REFUSED(lathe_ct_swap_rows(o.ev, out, x));
	REFUSED(lathe_ct_add(o.ev, out, x, x));
	REFUSED(lathe_ct_mul_scalar(o.ev, out, x, 3));
	REFUSED(lathe_ct_mod_switch(o.ev, out, x));
	lathe_ct *outs[1] = { out };
	int st[1] = { 1 };
	REFUSED(lathe_ct_rotate_many(o.ev, outs, x, st, 1));
	/* ciphertexts of two pairs in one operation, with keys or without */
	REFUSED(lathe_ct_add(f.ev, out, x, y));
	REFUSED(lathe_ct_mul(f.ev, out, x, y));
	lathe_eval *bare;
	BGV_OK(&f, lathe_eval_new(f.ctx, NULL, &bare));
	REFUSED(lathe_ct_sub(bare, out, x, y));
	REFUSED(lathe_ct_mul_raw(bare, out, y, x));
	/* a plaintext decrypted under the other pair */
	lathe_pt *pb = bgv_pt(&f);
	BGV_OK(&f, lathe_decrypt(o.sk, pb, y));
	REFUSED(lathe_ct_add_plain(f.ev, out, x, pb));
	REFUSED(lathe_ct_mul_plain(bare, out, x, pb));
	/* the other secret key on this pair's ciphertext */
	REFUSED(lathe_decrypt(o.sk, pt, x));
	/* a bundle takes only its own pair's public key */
	REFUSED(lathe_evalkeys_set_pk(f.ek, o.pk));
	/* results keep their pair: evaluation under the right keys still works and decrypts */
	BGV_OK(&f, lathe_ct_mul(f.ev, out, x, x));
	BGV_OK(&f, lathe_ct_key_id(out, tmp));
	cr_assert(memcmp(tmp, ida, sizeof tmp) == 0);
	uint64_t *w = bgv_vec(&f);
	pm_mul(w, v, v, f.slots, f.t);
	bgv_check(&f, out, w, "x*x with its own keys");
	/* an unbound (new) ciphertext combines with either pair and takes the bound one's id */
	lathe_ct *z = bgv_ct(&f);
	BGV_OK(&f, lathe_ct_add(o.ev, out, z, y));
	BGV_OK(&f, lathe_ct_key_id(out, tmp));
	cr_assert(memcmp(tmp, idb, sizeof tmp) == 0);
#undef REFUSED
	lathe_eval_free(bare);
	lathe_ct_free(z);
	lathe_pt_free(pb);
	lathe_pt_free(pt);
	lathe_ct_free(x);
	lathe_ct_free(y);
	lathe_ct_free(out);
	free(v);
	free(w);
	other_keys_clear(&o);
	bgv_fix_clear(&f);
}

/* ---- one evaluator, two threads ---- */

typedef struct race_arg {
	bgv_fix *f;
	const lathe_ct *x;
	const uint64_t *want; /* x * x rotated by 1 */
	lathe_ct *out;
	int ok, busy, wrong, other;
	pthread_barrier_t *bar;
} race_arg;

static void *
race(void *p)
{
	race_arg *a = p;
	uint64_t *got = bgv_vec(a->f);
	lathe_pt *pt = NULL;
	lathe_sk *sk = a->f->sk;
	if (lathe_pt_new(a->f->ctx, &pt) != LATHE_OK)
		return NULL;
	pthread_barrier_wait(a->bar);
	for (int i = 0; i < 60; i++) {
		lathe_status s = lathe_ct_mul(a->f->ev, a->out, a->x, a->x);
		if (s == LATHE_OK)
			s = lathe_ct_rotate(a->f->ev, a->out, a->out, 1);
		if (s == LATHE_EBUSY) {
			a->busy++;
			continue;
		}
		if (s != LATHE_OK) {
			a->other++;
			continue;
		}
		/* an OK result must be the right one */
		if (lathe_decrypt(sk, pt, a->out) != LATHE_OK || lathe_decode_u64(got, a->f->slots, pt) != LATHE_OK ||
		    memcmp(got, a->want, a->f->slots * sizeof(uint64_t)) != 0)
			a->wrong++;
		else
			a->ok++;
	}
	lathe_pt_free(pt);
	free(got);
	return NULL;
}

Test(misuse, two_threads_on_one_evaluator_never_get_a_wrong_result)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_ARITH[1], BGV_KEYS_DEFAULT, NULL, 0, 810);
	uint64_t *v = bgv_vec(&f), *want = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *x = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, v, 1);
	pm_mul(want, v, v, f.slots, f.t);
	pm_rotate(want, want, 1, f.slots);
	pthread_barrier_t bar;
	pthread_barrier_init(&bar, NULL, 2);
	race_arg a[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		a[i] = (race_arg){ .f = &f, .x = x, .want = want, .out = bgv_ct(&f), .bar = &bar };
		cr_assert_eq(pthread_create(&th[i], NULL, race, &a[i]), 0);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	int ok = a[0].ok + a[1].ok, busy = a[0].busy + a[1].busy;
	cr_assert_eq(a[0].wrong + a[1].wrong, 0, "%d calls returned LATHE_OK with a wrong result [%s]",
	             a[0].wrong + a[1].wrong, f.desc);
	cr_assert_eq(a[0].other + a[1].other, 0, "unexpected statuses [%s]", f.desc);
	cr_assert_gt(ok, 0, "no call succeeded [%s]", f.desc);
	cr_log_info("two threads on one evaluator: %d OK (all right), %d LATHE_EBUSY", ok, busy);
	/* a busy refusal leaves the evaluator usable */
	BGV_OK(&f, lathe_ct_mul(f.ev, a[0].out, x, x));
	pthread_barrier_destroy(&bar);
	lathe_ct_free(a[0].out);
	lathe_ct_free(a[1].out);
	lathe_ct_free(x);
	free(v);
	free(want);
	bgv_fix_clear(&f);
}

Test(misuse, a_busy_evaluator_refuses_with_ebusy)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_DEFAULT, NULL, 0, 811);
	lathe_ct *x = bgv_ct(&f), *out = bgv_ct(&f);
	/* a call in progress holds the flag: raise it as a running call would */
	cr_assert(!atomic_flag_test_and_set(&f.ev->busy));
	BGV_FAILS(&f, LATHE_EBUSY, lathe_ct_add(f.ev, out, x, x));
	BGV_FAILS(&f, LATHE_EBUSY, lathe_ct_mul(f.ev, out, x, x));
	BGV_FAILS(&f, LATHE_EBUSY, lathe_ct_rotate(f.ev, out, x, 1));
	BGV_FAILS(&f, LATHE_EBUSY, lathe_eval_set_auto_modswitch(f.ev, 0));
	atomic_flag_clear(&f.ev->busy);
	BGV_OK(&f, lathe_ct_add(f.ev, out, x, x));
	cr_assert_str_eq(lathe_strerror(LATHE_EBUSY),
	                 "the evaluator is in use by another call (use one evaluator per thread)");
	lathe_ct_free(x);
	lathe_ct_free(out);
	bgv_fix_clear(&f);
}

/* ---- modulus switching ---- */

Test(misuse, mod_switch_past_the_budget_is_enoise)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_DEPTH[1], BGV_KEYS_DEFAULT, NULL, 0, 820);
	uint64_t *v = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *x = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, v, 1);
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, x, 1));
	/* an estimate just under Q_1 / 2, as a long computation (or a forged file) leaves it */
	x->noise = lt_ctx_logq_half(f.ctx, 1) - 0.01;
	BGV_FAILS(&f, LATHE_ENOISE, lathe_ct_mod_switch(f.ev, out, x));
	BGV_FAILS(&f, LATHE_ENOISE, lathe_ct_mod_switch_to(f.ev, out, x, 0));
	/* a switch that keeps the estimate in range still works */
	bgv_encrypt_vec(&f, x, v, 1);
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, out, x, 0));
	int est;
	BGV_OK(&f, lathe_ct_budget_estimate(out, &est));
	cr_assert_gt(est, 0);
	bgv_check(&f, out, v, "switched to level 0");
	lathe_ct_free(x);
	lathe_ct_free(out);
	free(v);
	bgv_fix_clear(&f);
}

Test(misuse, switching_three_components_keeps_the_estimate_sound)
{
	/* at each level, the estimated noise of a switched 3-component product bounds the measured one */
	for (size_t si = 0; si < BGV_N_DEPTH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_DEPTH[si], BGV_KEYS_DEFAULT, NULL, 0, 830 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f);
		bgv_rand(&f, v);
		lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f);
		BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
		/* small noise on top so that the switching rounding dominates */
		bgv_encrypt_vec(&f, x, v, 0);
		BGV_OK(&f, lathe_ct_mul_raw(f.ev, y, x, x));
		pm_mul(w, v, v, f.slots, f.t);
		double worst = 1e9;
		for (unsigned l = f.max_level; l-- > 0;) {
			lathe_status s = lathe_ct_mod_switch(f.ev, y, y);
			if (s == LATHE_ENOISE) {
				/* refused before the switch: the bound says the result may not decrypt */
				cr_assert_eq(lathe_ct_level(y), l + 1);
				break;
			}
			BGV_OK(&f, s);
			cr_assert_eq(lathe_ct_size(y), 3);
			int measured = bgv_budget(&f, y), est = bgv_estimate(&f, y);
			cr_assert_leq(est, measured, "level %u: estimate %d above measured %d [%s]", l, est, measured, f.desc);
			if (l == 0 || y->noise < lt_noise_ms(lt_ct_pm(y), 3) + 1) {
				/* the switching term dominates: the bound keeps a margin of several bits */
				double margin = (double)(measured - est);
				if (margin < worst)
					worst = margin;
			}
			bgv_check(&f, y, w, "switched 3-component product");
		}
		/*
		 * Without the tau2 s^2 term the margin at the switching floor was 1-2
		 * bits; with it the bound is a bound, and keeps at least 4.
		 */
		cr_assert_lt(worst, 1e9, "no switch reached the switching floor [%s]", f.desc);
		cr_assert_geq(worst, 4, "3-component switching margin %.0f bits [%s]", worst, f.desc);
		lathe_ct_free(x);
		lathe_ct_free(y);
		free(v);
		free(w);
		bgv_fix_clear(&f);
	}
}

/* ---- circuit privacy ---- */

static int
comp_is_zero(const lathe_ct *x, unsigned k)
{
	const uint64_t *c = lt_ct_comp(x, k);
	uint64_t acc = 0;
	for (size_t j = 0; j < (size_t)(x->level + 1) * x->ctx->n; j++)
		acc |= c[j];
	return acc == 0;
}

Test(misuse, rerandomize_hides_how_a_result_was_computed)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_DEPTH[4], BGV_KEYS_DEFAULT, NULL, 0, 840);
	BGV_OK(&f, lathe_evalkeys_set_pk(f.ek, f.pk));
	unsigned level, flood;
	double out_noise;
	cr_assert_eq(lt_rerandomize_plan(f.ctx, &level, &flood, &out_noise), LATHE_OK);
	cr_assert_lt(level, f.max_level, "no room to test [%s]", f.desc);
	uint64_t *v = bgv_vec(&f), *wv = bgv_vec(&f), *ref = bgv_vec(&f), *zero = bgv_vec(&f);
	bgv_rand(&f, v);
	bgv_rand(&f, wv);
	lathe_ct *x = bgv_ct(&f), *a = bgv_ct(&f), *b = bgv_ct(&f), *ra = bgv_ct(&f), *rb = bgv_ct(&f);
	lathe_pt *pw = bgv_pt(&f);
	bgv_encode_vec(&f, pw, wv);
	bgv_encrypt_vec(&f, x, v, 1);
	pm_mul(ref, v, wv, f.slots, f.t);
	/* the same product two ways: noise and level histories differ */
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
	BGV_OK(&f, lathe_ct_mul_plain(f.ev, a, x, pw));
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, b, x, level + 2));
	BGV_OK(&f, lathe_ct_mul_plain(f.ev, b, b, pw));
	BGV_OK(&f, lathe_ct_mul_scalar(f.ev, b, b, -1));
	BGV_OK(&f, lathe_ct_neg(f.ev, b, b));
	int ba = bgv_budget(&f, a), bb = bgv_budget(&f, b);
	BGV_OK(&f, lathe_ct_rerandomize(f.ev, ra, a));
	BGV_OK(&f, lathe_ct_rerandomize(f.ev, rb, b));
	bgv_check(&f, ra, ref, "rerandomized a");
	bgv_check(&f, rb, ref, "rerandomized b");
	/* public metadata from the context alone */
	cr_assert_eq(ra->level, level);
	cr_assert_eq(rb->level, level);
	cr_assert_eq(ra->fac, 1);
	cr_assert_eq(rb->fac, 1);
	cr_assert(ra->noise == out_noise && rb->noise == out_noise, "estimates %.3f %.3f, plan %.3f", ra->noise,
	          rb->noise, out_noise);
	/* the measured noise is the flooding's, whatever the history */
	int fa = bgv_budget(&f, ra), fb = bgv_budget(&f, rb);
	int expect = (int)floor(lt_ctx_logq_half(f.ctx, level) - (log2((double)f.t) + flood));
	cr_log_info("budgets before %d / %d bits, after %d / %d (flooding to 2^%u: about %d)", ba, bb, fa, fb, flood,
	            expect);
	cr_assert(abs(fa - fb) <= 1, "after flooding the budgets differ: %d vs %d [%s]", fa, fb, f.desc);
	cr_assert(abs(fa - expect) <= 2, "budget %d, the flooding predicts %d [%s]", fa, expect, f.desc);
	/* a transparent ciphertext (a product by 0: c1 = 0) comes back looking fresh */
	BGV_OK(&f, lathe_ct_mul_scalar(f.ev, a, x, 0));
	cr_assert(comp_is_zero(a, 1), "the product by 0 is not transparent: the test is moot");
	BGV_OK(&f, lathe_ct_rerandomize(f.ev, ra, a));
	cr_assert(!comp_is_zero(ra, 1), "rerandomized c1 is still 0");
	bgv_check(&f, ra, zero, "rerandomized 0");
	cr_assert(ra->noise == out_noise);
	/* aliasing */
	BGV_OK(&f, lathe_ct_rerandomize(f.ev, b, b));
	bgv_check(&f, b, ref, "rerandomized in place");

	/* refusals */
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, x, level - 1));
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_rerandomize(f.ev, ra, a));
	BGV_OK(&f, lathe_ct_copy(a, x));
	a->noise = lt_ctx_logq_half(f.ctx, f.max_level) - 1; /* more noise than the flooding hides */
	BGV_FAILS(&f, LATHE_ENOISE, lathe_ct_rerandomize(f.ev, ra, a));
	lathe_eval *nopk;
	lathe_evalkeys *ek2;
	BGV_OK(&f, lathe_evalkeys_new_ex(f.ctx, f.sk, NULL, 0, LATHE_EVALKEYS_RELIN, &ek2));
	BGV_OK(&f, lathe_eval_new(f.ctx, ek2, &nopk));
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rerandomize(nopk, ra, x));
	lathe_eval_free(nopk);
	lathe_evalkeys_free(ek2);
	lathe_ct *xs[] = { x, a, b, ra, rb };
	for (size_t i = 0; i < 5; i++)
		lathe_ct_free(xs[i]);
	lathe_pt_free(pw);
	free(v);
	free(wv);
	free(ref);
	free(zero);
	bgv_fix_clear(&f);

	/* a chain too short for flooding at all (76 bits) */
	static const unsigned ch2[] = { 40, 36 };
	static const bgv_pset short_chain = { "insecure-n1024-t65537-q40.36", 10, 65537, 1, 0, 1, ch2, 2, NULL, 0 };
	bgv_fix g;
	bgv_fix_init(&g, &short_chain, BGV_KEYS_DEFAULT, NULL, 0, 841);
	BGV_OK(&g, lathe_evalkeys_set_pk(g.ek, g.pk));
	lathe_ct *y = bgv_ct(&g), *o = bgv_ct(&g);
	uint64_t *u = bgv_vec(&g);
	bgv_encrypt_vec(&g, y, u, 1);
	BGV_FAILS(&g, LATHE_EPARAM, lathe_ct_rerandomize(g.ev, o, y));
	lathe_ct_free(y);
	lathe_ct_free(o);
	free(u);
	bgv_fix_clear(&g);
}

/* ---- the real noise, measured at decryption ---- */

Test(misuse, a_forged_noise_estimate_never_decrypts_to_wrong_slots)
{
	/* at the top level (decryption divides by q_1...q_l first) and at level 0 (no division) */
	for (size_t si = 0; si < 4; si++) {
		const int low = si >= 2;
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_DEPTH[si % 2 + 1], BGV_KEYS_DEFAULT, NULL, 0, 850 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f), *ref = bgv_vec(&f), *got = bgv_vec(&f);
		bgv_rand(&f, v);
		lathe_ct *y = bgv_ct(&f);
		lathe_pt *pt = bgv_pt(&f);
		bgv_encrypt_vec(&f, y, v, 1);
		if (low)
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, y, y, 0));
		pm_copy(ref, v, f.slots);
		const double fresh = y->noise;
		int refused = 0, right = 0;
		for (int step = 0; step < 12 && !refused; step++) {
			/*
			 * An attacker rewrites the estimate (a file field) to 0: the
			 * evaluator sees no reason to switch and keeps multiplying at
			 * the top level, far past the real budget.
			 */
			y->noise = 0;
			lathe_status s = lathe_ct_mul(f.ev, y, y, y);
			if (s != LATHE_OK) {
				cr_log_info("step %d: %s (%s)", step, lathe_strerror(s), lathe_last_error());
				break;
			}
			pm_mul(ref, ref, ref, f.slots, f.t);
			y->noise = fresh; /* and passes the estimate check at decryption */
			for (int force = 0; force < 2; force++) {
				s = force ? lathe_decrypt_force(f.sk, pt, y) : lathe_decrypt(f.sk, pt, y);
				if (s == LATHE_ENOISE) {
					cr_assert(strstr(lathe_last_error(), "measured"), "%s", lathe_last_error());
					refused = 1;
					continue;
				}
				cr_assert_eq(s, LATHE_OK, "step %d: %s [%s]", step, lathe_strerror(s), f.desc);
				BGV_OK(&f, lathe_decode_u64(got, f.slots, pt));
				cr_assert(memcmp(got, ref, f.slots * 8) == 0,
				          "step %d: decryption returned LATHE_OK with wrong slots [%s]", step, f.desc);
				right++;
			}
		}
		cr_assert(refused, "the real noise never crossed the budget: the test is moot [%s]", f.desc);
		cr_log_info("%s, level %u: %d right decryptions, then refused", f.desc, lathe_ct_level(y), right);
		lathe_pt_free(pt);
		lathe_ct_free(y);
		free(v);
		free(ref);
		free(got);
		bgv_fix_clear(&f);
	}
}

/* the budget by exact CRT with FLINT (public test code), as the reference */
static int
budget_by_crt(bgv_fix *f, const lathe_ct *ct)
{
	const lathe_ctx *c = f->ctx;
	const size_t n = c->n, k = ct->level + 1;
	uint64_t *v = calloc(k * n, 8), *s2 = calloc(k * n, 8);
	const lt_modulus *const *mp = (const lt_modulus *const *)c->ring.modp;
	lt_poly vp = lt_poly_view(n, mp, (unsigned)k, v, 1), sp = lt_poly_view(n, mp, (unsigned)k, f->sk->s_ntt, 1);
	lt_poly c0 = lt_ct_poly(ct, 0), c1 = lt_ct_poly(ct, 1);
	lt_poly_copy(&vp, &c0);
	lt_poly_mac(&vp, &c1, &sp);
	if (ct->size == 3) {
		lt_poly q = lt_poly_view(n, mp, (unsigned)k, s2, 1), c2 = lt_ct_poly(ct, 2);
		lt_poly_mul(&q, &sp, &sp);
		lt_poly_mac(&vp, &c2, &q);
	}
	lt_poly_to_coeff(&vp);
	fmpz *x = _fmpz_vec_init((slong)n);
	lt_crt_compose(x, v, n, mp, (unsigned)k, 1);
	fmpz_t mx;
	fmpz_init(mx);
	for (size_t j = 0; j < n; j++)
		if (fmpz_cmpabs(x + j, mx) > 0)
			fmpz_abs(mx, x + j);
	double lv = fmpz_is_zero(mx) ? 0 : fmpz_dlog(mx) / log(2.0);
	double b = lt_ctx_logq_half(c, ct->level) - lv;
	fmpz_clear(mx);
	_fmpz_vec_clear(x, (slong)n);
	free(v);
	free(s2);
	return b <= 0 ? 0 : (int)floor(b);
}

Test(misuse, noise_budget_in_word_arithmetic_equals_exact_crt)
{
	for (size_t si = 0; si < BGV_N_DEPTH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_DEPTH[si], BGV_KEYS_DEFAULT, NULL, 0, 860 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f);
		bgv_rand(&f, v);
		lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f);
		for (int pk = 0; pk < 2; pk++) {
			bgv_encrypt_vec(&f, x, v, pk);
			cr_assert_eq(bgv_budget(&f, x), budget_by_crt(&f, x), "fresh [%s]", f.desc);
			BGV_OK(&f, lathe_ct_mul_raw(f.ev, y, x, x));
			cr_assert_eq(bgv_budget(&f, y), budget_by_crt(&f, y), "3 components [%s]", f.desc);
			BGV_OK(&f, lathe_ct_copy(y, x));
			while (lathe_ct_level(y) > 0) {
				if (lathe_ct_mul(f.ev, y, y, y) != LATHE_OK)
					break;
				cr_assert_eq(bgv_budget(&f, y), budget_by_crt(&f, y), "level %u [%s]", lathe_ct_level(y),
				             f.desc);
			}
		}
		lathe_ct_free(x);
		lathe_ct_free(y);
		free(v);
		bgv_fix_clear(&f);
	}
}

/* ---- no big-integer library on secret data ---- */

static size_t gmp_allocs;
static void *(*gmp_alloc0)(size_t);
static void *(*gmp_realloc0)(void *, size_t, size_t);
static void (*gmp_free0)(void *, size_t);

static void *
count_alloc(size_t n)
{
	gmp_allocs++;
	return gmp_alloc0(n);
}

static void *
count_realloc(void *p, size_t o, size_t n)
{
	gmp_allocs++;
	return gmp_realloc0(p, o, n);
}

Test(misuse, decryption_and_noise_budget_use_no_big_integer_library)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_DEPTH[2], BGV_KEYS_DEFAULT, NULL, 0, 870);
	uint64_t *v = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f);
	lathe_pt *pt = bgv_pt(&f);
	bgv_encrypt_vec(&f, x, v, 1);
	BGV_OK(&f, lathe_ct_mul_raw(f.ev, y, x, x));
	mp_get_memory_functions(&gmp_alloc0, &gmp_realloc0, &gmp_free0);
	mp_set_memory_functions(count_alloc, count_realloc, gmp_free0);
	gmp_allocs = 0;
	int b1 = 0, b2 = 0;
	lathe_status s1 = lathe_noise_budget(f.sk, x, &b1), s2 = lathe_noise_budget(f.sk, y, &b2);
	lathe_status s3 = lathe_decrypt(f.sk, pt, x), s4 = lathe_decrypt(f.sk, pt, y);
	size_t used = gmp_allocs;
	mp_set_memory_functions(gmp_alloc0, gmp_realloc0, gmp_free0);
	BGV_OK(&f, s1);
	BGV_OK(&f, s2);
	BGV_OK(&f, s3);
	BGV_OK(&f, s4);
	cr_assert_gt(b1, 0);
	cr_assert_gt(b2, 0);
	/* FLINT's fmpz keeps big values in GMP's mpz: any use shows up here */
	cr_assert_eq(used, 0, "%zu GMP allocations while measuring secret-dependent values [%s]", used, f.desc);
	/* the count is live: the reference computation does allocate */
	mp_set_memory_functions(count_alloc, count_realloc, gmp_free0);
	gmp_allocs = 0;
	int ref = budget_by_crt(&f, x);
	used = gmp_allocs;
	mp_set_memory_functions(gmp_alloc0, gmp_realloc0, gmp_free0);
	cr_assert_gt(used, 0, "the allocation count sees nothing: the test is moot");
	cr_assert_eq(ref, b1);
	lathe_pt_free(pt);
	lathe_ct_free(x);
	lathe_ct_free(y);
	free(v);
	bgv_fix_clear(&f);
}
