/*
 * Modulus switching keeps the message (manual mod_switch / mod_switch_to
 * to every level), and operations on ciphertexts at different levels are
 * reconciled, with automatic modulus switching on and off.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

static const bgv_pset *const MS_SETS[] = { &BGV_INSECURE_DEPTH[2], &BGV_INSECURE_DEPTH[4] };

Test(modswitch, every_level_keeps_the_message)
{
	for (size_t si = 0; si < 2; si++) {
		bgv_fix f;
		bgv_fix_init(&f, MS_SETS[si], BGV_KEYS_NONE, NULL, 0, 400 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_encrypt_vec(&f, a, v, trial & 1);
			for (unsigned l = f.max_level; l-- > 0;) {
				BGV_OK(&f, lathe_ct_mod_switch(f.ev, a, a));
				cr_assert_eq(lathe_ct_level(a), l, "mod_switch to level %u gave %u [%s]", l, lathe_ct_level(a), f.desc);
				char what[48];
				snprintf(what, sizeof(what), "mod_switch down to level %u", l);
				bgv_check(&f, a, v, what);
				bgv_check_estimate(&f, a, what);
				int bud = bgv_budget(&f, a);
				/* a fresh message must survive the whole chain with room to spare */
				cr_assert_geq(bud, 3, "%s: budget %d [%s]", what, bud, f.desc);
			}
			BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_mod_switch(f.ev, a, a));
			bgv_check(&f, a, v, "a refused mod_switch leaves the ciphertext intact");
			/* mod_switch_to each level directly from the top */
			for (unsigned l = 0; l <= f.max_level; l++) {
				bgv_encrypt_vec(&f, a, v, 1);
				BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, b, a, l));
				cr_assert_eq(lathe_ct_level(b), l, "mod_switch_to(%u) gave %u [%s]", l, lathe_ct_level(b), f.desc);
				cr_assert_eq(lathe_ct_level(a), f.max_level, "mod_switch_to changed its input [%s]", f.desc);
				char what[48];
				snprintf(what, sizeof(what), "mod_switch_to(%u)", l);
				bgv_check(&f, b, v, what);
				bgv_check_estimate(&f, b, what);
				/* switching up is refused */
				if (l < f.max_level) {
					lathe_status s = lathe_ct_mod_switch_to(f.ev, a, b, l + 1);
					cr_assert(s == LATHE_ELEVEL || s == LATHE_EINVAL,
					          "mod_switch_to from level %u up to %u -> %s [%s]", l, l + 1, lathe_strerror(s), f.desc);
				}
			}
		}
		lathe_ct_free(a);
		lathe_ct_free(b);
		free(v);
		bgv_fix_clear(&f);
	}
}

/*
 * Switching k levels at once (one division by the product of the primes
 * dropped) against k switches of one prime: the same message, in place
 * and out of place, for 2- and 3-component ciphertexts, an estimate that
 * holds, and a measured budget no worse than one bit below the stepwise
 * one (one rounding instead of k).
 */
Test(modswitch, several_levels_at_once_match_one_at_a_time)
{
	for (size_t si = 0; si < 2; si++) {
		bgv_fix f;
		bgv_fix_init(&f, MS_SETS[si], BGV_KEYS_DEFAULT, NULL, 0, 430 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *vw = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *x = bgv_ct(&f), *y = bgv_ct(&f), *z = bgv_ct(&f);
		BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
		unsigned checked = 0;
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			pm_mul(vw, v, w, f.n, f.t);
			bgv_encrypt_vec(&f, a, v, 1);
			bgv_encrypt_vec(&f, b, w, 0);
			for (int raw = 0; raw < 2; raw++) {
				/* a product at the top: noise well above a fresh one's, 3 components when not relinearized */
				BGV_OK(&f, raw ? lathe_ct_mul_raw(f.ev, x, a, b) : lathe_ct_mul(f.ev, x, a, b));
				for (unsigned l = f.max_level - 1; l-- > 0;) {
					BGV_OK(&f, lathe_ct_copy(y, x));
					lathe_status s = LATHE_OK;
					while (!s && lathe_ct_level(y) > l)
						s = lathe_ct_mod_switch(f.ev, y, y);
					if (s) {
						/* too noisy for this level: refused at once just as step by step */
						cr_assert_eq(s, LATHE_ENOISE, "stepwise switch to %u: %s [%s]", l, lathe_strerror(s), f.desc);
						BGV_FAILS(&f, LATHE_ENOISE, lathe_ct_mod_switch_to(f.ev, z, x, l));
						break;
					}
					BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, z, x, l));
					char what[64];
					snprintf(what, sizeof(what), "%s product switched to level %u at once", raw ? "raw" : "relin", l);
					cr_assert_eq(lathe_ct_level(z), l, "%s: level %u [%s]", what, lathe_ct_level(z), f.desc);
					bgv_check(&f, z, vw, what);
					bgv_check(&f, y, vw, "stepwise");
					bgv_check_estimate(&f, z, what);
					cr_assert_geq(bgv_budget(&f, z), bgv_budget(&f, y) - 1, "%s: budget %d, stepwise %d [%s]", what,
					              bgv_budget(&f, z), bgv_budget(&f, y), f.desc);
					/* in place */
					BGV_OK(&f, lathe_ct_copy(y, x));
					BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, y, y, l));
					bgv_check(&f, y, vw, "in place");
					bgv_check_estimate(&f, y, "in place");
					checked++;
				}
			}
		}
		cr_assert_geq(checked, 4, "only %u switches of two or more levels checked [%s]", checked, f.desc);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(x);
		lathe_ct_free(y);
		lathe_ct_free(z);
		free(v);
		free(w);
		free(vw);
		bgv_fix_clear(&f);
	}
}

Test(modswitch, operands_at_different_levels_are_reconciled)
{
	for (size_t si = 0; si < 2; si++) {
		bgv_fix f;
		bgv_fix_init(&f, MS_SETS[si], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 410 + (uint32_t)si);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		lathe_pt *pt = bgv_pt(&f);
		for (unsigned la = 0; la <= f.max_level; la++) {
			unsigned lb = (unsigned)test_rand(&f.g, f.max_level + 1);
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, 1);
			bgv_encrypt_vec(&f, b, w, 0);
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, la));
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, b, b, lb));
			char what[80];
			snprintf(what, sizeof(what), "add at levels %u and %u", la, lb);
			BGV_OK(&f, lathe_ct_add(f.ev, c, a, b));
			pm_add(r, v, w, n, f.t);
			bgv_check(&f, c, r, what);
			cr_assert_leq(lathe_ct_level(c), la < lb ? la : lb, "%s: result at level %u [%s]", what,
			              lathe_ct_level(c), f.desc);
			snprintf(what, sizeof(what), "sub at levels %u and %u", lb, la);
			BGV_OK(&f, lathe_ct_sub(f.ev, c, b, a));
			pm_sub(r, w, v, n, f.t);
			bgv_check(&f, c, r, what);
			if (la > 0 || lb > 0 || f.max_level == 0) {
				snprintf(what, sizeof(what), "mul at levels %u and %u", la, lb);
				lathe_status s = lathe_ct_mul(f.ev, c, a, b);
				if (la == 0 || lb == 0) {
					/* level 0 may have no room left for a product */
					cr_assert(s == LATHE_OK || s == LATHE_ELEVEL || s == LATHE_ENOISE, "%s -> %s [%s]",
					          what, lathe_strerror(s), f.desc);
				} else {
					cr_assert_eq(s, LATHE_OK, "%s -> %s (%s) [%s]", what, lathe_strerror(s), lathe_last_error(), f.desc);
				}
				if (s == LATHE_OK) {
					pm_mul(r, v, w, n, f.t);
					bgv_check(&f, c, r, what);
					bgv_check_estimate(&f, c, what);
				}
			}
			/* plaintext ops at a lower level */
			bgv_encode_vec(&f, pt, w);
			snprintf(what, sizeof(what), "add_plain / mul_plain at level %u", la);
			BGV_OK(&f, lathe_ct_add_plain(f.ev, c, a, pt));
			pm_add(r, v, w, n, f.t);
			bgv_check(&f, c, r, what);
			lathe_status s = lathe_ct_mul_plain(f.ev, c, a, pt);
			cr_assert(s == LATHE_OK || (la == 0 && s == LATHE_ENOISE), "%s -> %s [%s]", what, lathe_strerror(s), f.desc);
			if (s == LATHE_OK) {
				pm_mul(r, v, w, n, f.t);
				bgv_check(&f, c, r, what);
			}
		}
		lathe_pt_free(pt);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}

Test(modswitch, automatic_switching_can_be_turned_off)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_DEPTH[2], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 420);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
	bgv_rand(&f, v);
	bgv_rand(&f, w);
	bgv_encrypt_vec(&f, a, v, 1);
	bgv_encrypt_vec(&f, b, w, 1);
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
	BGV_OK(&f, lathe_ct_mul(f.ev, c, a, b));
	cr_assert_eq(lathe_ct_level(c), f.max_level, "auto off: mul moved the level to %u [%s]", lathe_ct_level(c), f.desc);
	pm_mul(r, v, w, n, f.t);
	bgv_check(&f, c, r, "mul with automatic switching off");
	bgv_check_estimate(&f, c, "mul, auto off");
	/* manual switch, then a second product */
	BGV_OK(&f, lathe_ct_mod_switch(f.ev, c, c));
	BGV_OK(&f, lathe_ct_mul(f.ev, c, c, a)); /* a at the top level: reconciled down */
	cr_assert_eq(lathe_ct_level(c), f.max_level - 1, "auto off: level %u [%s]", lathe_ct_level(c), f.desc);
	pm_mul(r, r, v, n, f.t);
	bgv_check(&f, c, r, "second product, auto off");
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 1));
	BGV_OK(&f, lathe_ct_mul(f.ev, c, c, b));
	cr_assert_leq(lathe_ct_level(c), f.max_level - 1);
	pm_mul(r, r, w, n, f.t);
	bgv_check(&f, c, r, "third product, auto on");
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	free(v);
	free(w);
	free(r);
	bgv_fix_clear(&f);
}
