/*
 * Rotations and the row swap against the plaintext model (slot i of each
 * row receives slot i + k mod N/2): every step from -N/2 to N/2 at
 * N = 2^10 with the default keys (most steps composed), hoisted
 * rotate_many against one-by-one rotations, custom key sets, and
 * LATHE_ENOKEY when a step cannot be composed from the keys present.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

Test(rotate, default_keys_are_the_powers_of_two)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_DEFAULT, NULL, 0, 800);
	int h = (int)f.n / 2;
	for (int k = 1; k < h / 2; k *= 2) {
		cr_assert(lathe_evalkeys_has_rotation(f.ek, k), "no default key for %d [%s]", k, f.desc);
		cr_assert(lathe_evalkeys_has_rotation(f.ek, -k), "no default key for %d [%s]", -k, f.desc);
	}
	cr_assert(lathe_evalkeys_has_rotation(f.ek, h / 2), "no default key for N/4 [%s]", f.desc);
	cr_assert(lathe_evalkeys_has_rotation(f.ek, 0), "no default row-swap key [%s]", f.desc);
	cr_assert(!lathe_evalkeys_has_rotation(f.ek, 3), "a default key for 3? [%s]", f.desc);
	cr_assert(!lathe_evalkeys_has_rotation(f.ek, -5), "a default key for -5? [%s]", f.desc);
	cr_assert(!lathe_evalkeys_has_rotation(f.ek, 7), "a default key for 7? [%s]", f.desc);
	cr_assert(!lathe_evalkeys_has_rotation(NULL, 1));
	bgv_fix_clear(&f);
}

Test(rotate, every_step_at_n1024, .timeout = 150)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_DEFAULT, NULL, 0, 810);
	size_t n = f.slots;
	int h = (int)n / 2;
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	for (int k = -h; k <= h; k++) {
		BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, k));
		pm_rotate(r, v, k, n);
		char what[48];
		snprintf(what, sizeof(what), "rotate by %d", k);
		bgv_check(&f, c, r, what);
		if (k % 37 == 0)
			bgv_check_estimate(&f, c, what);
	}
	BGV_OK(&f, lathe_ct_swap_rows(f.ev, c, a));
	pm_swap_rows(r, v, n);
	bgv_check(&f, c, r, "swap_rows");
	bgv_check_estimate(&f, c, "swap_rows");
	BGV_OK(&f, lathe_ct_swap_rows(f.ev, c, c));
	bgv_check(&f, c, v, "swap_rows twice, in place");
	/* in place, composed, then back */
	BGV_OK(&f, lathe_ct_copy(c, a));
	BGV_OK(&f, lathe_ct_rotate(f.ev, c, c, 77));
	BGV_OK(&f, lathe_ct_rotate(f.ev, c, c, -77));
	bgv_check(&f, c, v, "rotate 77 then -77 in place");
	lathe_ct_free(a);
	lathe_ct_free(c);
	free(v);
	free(r);
	bgv_fix_clear(&f);
}

Test(rotate, larger_rings_and_lower_levels)
{
	for (size_t si = 1; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_DEFAULT, NULL, 0, 820 + (uint32_t)si);
		size_t n = f.slots;
		int h = (int)n / 2;
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		bgv_rand(&f, v);
		bgv_rand(&f, w);
		bgv_encrypt_vec(&f, a, v, 1);
		bgv_encrypt_vec(&f, b, w, 0);
		const int steps[] = { 1, -1, 3, h / 2, -h / 2, h - 1, 1 - h, h, -h, 0, 12345, -4321 };
		for (unsigned l = f.max_level + 1; l-- > 0;) {
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, l));
			for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
				BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, steps[i]));
				pm_rotate(r, v, steps[i], n);
				char what[64];
				snprintf(what, sizeof(what), "rotate by %d at level %u", steps[i], l);
				bgv_check(&f, c, r, what);
			}
			BGV_OK(&f, lathe_ct_swap_rows(f.ev, c, a));
			pm_swap_rows(r, v, n);
			bgv_check(&f, c, r, "swap_rows at a lower level");
		}
		/* rotation of a product */
		BGV_OK(&f, lathe_ct_mul(f.ev, c, b, b));
		BGV_OK(&f, lathe_ct_rotate(f.ev, c, c, 5));
		pm_mul(r, w, w, n, f.t);
		pm_rotate(r, r, 5, n);
		bgv_check(&f, c, r, "rotate a product by 5");
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}

Test(rotate, hoisted_equals_one_by_one)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_DEFAULT, NULL, 0, 830 + (uint32_t)si);
		size_t n = f.slots;
		int h = (int)n / 2;
		const int steps[] = { 1, -1, 2, 4, -8, 16, h / 2, -2, 1 };
		enum { NS = sizeof(steps) / sizeof(steps[0]) };
		uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *one = bgv_ct(&f), *outs[NS];
		for (size_t i = 0; i < NS; i++)
			outs[i] = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(1) + 1; trial++) {
			bgv_rand(&f, v);
			bgv_encrypt_vec(&f, a, v, 1);
			if (trial == 1)
				BGV_OK(&f, lathe_ct_mod_switch(f.ev, a, a));
			BGV_OK(&f, lathe_ct_rotate_many(f.ev, outs, a, steps, NS));
			for (size_t i = 0; i < NS; i++) {
				char what[64];
				snprintf(what, sizeof(what), "rotate_many[%zu] = step %d, level %u", i, steps[i], lathe_ct_level(a));
				pm_rotate(r, v, steps[i], n);
				bgv_check(&f, outs[i], r, what);
				bgv_check_estimate(&f, outs[i], what);
				BGV_OK(&f, lathe_ct_rotate(f.ev, one, a, steps[i]));
				bgv_check(&f, one, r, "one-by-one rotate");
				cr_assert_eq(lathe_ct_level(outs[i]), lathe_ct_level(one), "%s: level %u, one-by-one %u [%s]",
				             what, lathe_ct_level(outs[i]), lathe_ct_level(one), f.desc);
			}
			bgv_check(&f, a, v, "rotate_many input untouched");
			BGV_OK(&f, lathe_ct_rotate_many(f.ev, outs, a, steps, 0));
		}
		for (size_t i = 0; i < NS; i++)
			lathe_ct_free(outs[i]);
		lathe_ct_free(a);
		lathe_ct_free(one);
		free(v);
		free(r);
		bgv_fix_clear(&f);
	}
}

Test(rotate, hoisted_outputs_may_alias_the_input)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_DEFAULT, NULL, 0, 835);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
	bgv_rand(&f, v);
	/* outs[0] == a: the decomposition of a must be taken before a is overwritten */
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_OK(&f, lathe_ct_rotate_many(f.ev, (lathe_ct *[]){ a, b }, a, (const int[]){ 1, 2 }, 2));
	pm_rotate(r, v, 1, n);
	bgv_check(&f, a, r, "rotate_many with outs[0] == a: outs[0]");
	pm_rotate(r, v, 2, n);
	bgv_check(&f, b, r, "rotate_many with outs[0] == a: outs[1]");
	/* the last output aliases the input */
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_OK(&f, lathe_ct_rotate_many(f.ev, (lathe_ct *[]){ b, c, a }, a, (const int[]){ -1, 4, -2 }, 3));
	pm_rotate(r, v, -1, n);
	bgv_check(&f, b, r, "rotate_many with outs[2] == a: outs[0]");
	pm_rotate(r, v, 4, n);
	bgv_check(&f, c, r, "rotate_many with outs[2] == a: outs[1]");
	pm_rotate(r, v, -2, n);
	bgv_check(&f, a, r, "rotate_many with outs[2] == a: outs[2]");
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	free(v);
	free(r);
	bgv_fix_clear(&f);
}

Test(rotate, custom_key_sets_and_composition)
{
	static const int steps[] = { 3, 5, 0 };
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, steps, 3, 840);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f), *outs[2] = { bgv_ct(&f), bgv_ct(&f) };
	cr_assert(lathe_evalkeys_has_rotation(f.ek, 3) && lathe_evalkeys_has_rotation(f.ek, 5) &&
	          lathe_evalkeys_has_rotation(f.ek, 0), "asked-for keys missing [%s]", f.desc);
	cr_assert(!lathe_evalkeys_has_rotation(f.ek, 1) && !lathe_evalkeys_has_rotation(f.ek, 2),
	          "keys that were not asked for [%s]", f.desc);
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	const int own[] = { 3, 5 };
	for (size_t i = 0; i < 2; i++) {
		BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, own[i]));
		pm_rotate(r, v, own[i], n);
		char what[64];
		snprintf(what, sizeof(what), "rotate by %d with keys {3, 5}", own[i]);
		bgv_check(&f, c, r, what);
	}
	BGV_OK(&f, lathe_ct_swap_rows(f.ev, c, a));
	pm_swap_rows(r, v, n);
	bgv_check(&f, c, r, "swap_rows with a custom key set");
	BGV_OK(&f, lathe_ct_rotate_many(f.ev, outs, a, (const int[]){ 5, 3 }, 2));
	pm_rotate(r, v, 5, n);
	bgv_check(&f, outs[0], r, "rotate_many {5, 3}[0]");
	pm_rotate(r, v, 3, n);
	bgv_check(&f, outs[1], r, "rotate_many {5, 3}[1]");
	/* hoisting needs every step's own key */
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rotate_many(f.ev, outs, a, (const int[]){ 3, 8 }, 2));
	lathe_ct_free(a);
	lathe_ct_free(c);
	lathe_ct_free(outs[0]);
	lathe_ct_free(outs[1]);
	free(v);
	free(r);
	bgv_fix_clear(&f);
}

Test(rotate, steps_are_composed_from_any_keys_present)
{
	/*
	 * bgv.h: "Uses the step's own Galois key, or composes keys present". With keys {3, 5}:
	 * 8 = 3 + 5, 6 = 3 + 3, 13 = 3 + 5 + 5, -2 = 3 - 5 needs -5 (absent) but 3 * 170 = 510 = -2
	 * mod 512 would be absurd: only short sums of present keys are asked for here.
	 */
	static const int steps[] = { 3, 5 };
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, steps, 2, 845);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	const int composed[] = { 8, 6, 13, 10 };
	for (size_t i = 0; i < sizeof(composed) / sizeof(composed[0]); i++) {
		BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, composed[i]));
		pm_rotate(r, v, composed[i], n);
		char what[64];
		snprintf(what, sizeof(what), "rotate by %d composed from keys {3, 5}", composed[i]);
		bgv_check(&f, c, r, what);
	}
	lathe_ct_free(a);
	lathe_ct_free(c);
	free(v);
	free(r);
	bgv_fix_clear(&f);
}

Test(rotate, steps_that_cannot_be_composed_are_enokey)
{
	/*
	 * With only even steps no odd step and no row swap can be composed (5^2 generates a
	 * subgroup without them). (Only step 3 would not do: 3 is invertible mod N/2, so every
	 * step is some multiple of 3 - composable in principle, if absurdly.)
	 */
	static const int steps[] = { 2, 4 };
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, steps, 2, 850);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rotate(f.ev, c, a, 1));
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rotate(f.ev, c, a, 3));
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rotate(f.ev, c, a, -7));
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_swap_rows(f.ev, c, a));
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rotate_many(f.ev, &c, a, (const int[]){ 1 }, 1));
	BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, 6));
	pm_rotate(r, v, 6, n);
	bgv_check(&f, c, r, "rotate by 6 = 2 + 4");
	bgv_check(&f, a, v, "input after refused rotations");
	lathe_ct_free(a);
	lathe_ct_free(c);
	free(v);
	free(r);
	bgv_fix_clear(&f);
}
