/*
 * Hybrid key switching (relinearization and Galois keys) with dnum = 1, 2,
 * 3, digits of equal and unequal sizes, one prime per digit, explicit
 * special primes, at every level of the chain (partial digits). Checked
 * against the plaintext model and for the noise it adds.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

static void
run_set(const bgv_pset *ps, uint32_t stream)
{
	static const int steps[] = { 1, -3, 0 };
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_STEPS, steps, 3, stream);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f), *raw = bgv_ct(&f);
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0)); /* stay at the level under test */
	for (unsigned l = f.max_level + 1; l-- > 0;) {
		bgv_rand(&f, v);
		bgv_rand(&f, w);
		bgv_encrypt_vec(&f, a, v, 1);
		bgv_encrypt_vec(&f, b, w, 1);
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, l));
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, b, b, l));
		int ba = bgv_budget(&f, a);
		char what[96];
		/* relinearization (level 0 may hold no product: ENOISE or ELEVEL there) */
		lathe_status s = lathe_ct_mul_raw(f.ev, raw, a, b);
		if (!(l == 0 && (s == LATHE_ENOISE || s == LATHE_ELEVEL))) {
			BGV_OK(&f, s);
			int braw = bgv_budget(&f, raw);
			snprintf(what, sizeof(what), "relin at level %u", l);
			s = lathe_ct_relin(f.ev, c, raw);
			if (!(l == 0 && (s == LATHE_ENOISE || s == LATHE_ELEVEL))) {
				BGV_OK(&f, s);
				cr_assert_eq(lathe_ct_level(c), l, "%s: result at level %u [%s]", what, lathe_ct_level(c), f.desc);
				pm_mul(r, v, w, n, f.t);
				bgv_check(&f, c, r, what);
				bgv_check_estimate(&f, c, what);
				int brel = bgv_budget(&f, c);
				cr_assert_geq(brel, braw - 3,
				              "%s: budget %d after relin, %d before: key switching noise dominates [%s]", what,
				              brel, braw, f.desc);
			}
		} else if (l == f.max_level) {
			cr_assert_fail("no product at the top level [%s]", f.desc);
		}
		/* Galois keys (each step's own key: composition is test_rotate's business), swap */
		const int rs[] = { 1, -3 };
		for (size_t i = 0; i < 2; i++) {
			BGV_OK(&f, lathe_ct_rotate(f.ev, c, a, rs[i]));
			pm_rotate(r, v, rs[i], n);
			snprintf(what, sizeof(what), "rotate by %d at level %u", rs[i], l);
			bgv_check(&f, c, r, what);
			bgv_check_estimate(&f, c, what);
			if (i < 2) {
				int br = bgv_budget(&f, c);
				cr_assert_geq(br, ba - 10, "%s: budget %d after one key switch, %d before [%s]", what, br, ba, f.desc);
			}
		}
		BGV_OK(&f, lathe_ct_swap_rows(f.ev, c, a));
		pm_swap_rows(r, v, n);
		snprintf(what, sizeof(what), "swap_rows at level %u", l);
		bgv_check(&f, c, r, what);
		BGV_OK(&f, lathe_ct_rotate_many(f.ev, (lathe_ct *[]){ c, raw }, a, (const int[]){ -3, 1 }, 2));
		pm_rotate(r, v, -3, n);
		snprintf(what, sizeof(what), "rotate_many {-3, 1}[0] at level %u", l);
		bgv_check(&f, c, r, what);
		pm_rotate(r, v, 1, n);
		snprintf(what, sizeof(what), "rotate_many {-3, 1}[1] at level %u", l);
		bgv_check(&f, raw, r, what);
	}
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_ct_free(raw);
	free(v);
	free(w);
	free(r);
	bgv_fix_clear(&f);
}

Test(keyswitch, one_digit)
{
	run_set(&BGV_INSECURE_KEYSWITCH[0], 900);
}

Test(keyswitch, two_equal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[1], 901);
}

Test(keyswitch, two_unequal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[2], 902);
}

Test(keyswitch, three_equal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[3], 903);
}

Test(keyswitch, three_unequal_digits)
{
	run_set(&BGV_INSECURE_KEYSWITCH[4], 904);
}

Test(keyswitch, one_prime_per_digit)
{
	run_set(&BGV_INSECURE_KEYSWITCH[5], 905);
}

Test(keyswitch, explicit_special_primes)
{
	run_set(&BGV_INSECURE_KEYSWITCH[6], 906);
	run_set(&BGV_INSECURE_KEYSWITCH[7], 907);
}

Test(keyswitch, explicit_chain)
{
	run_set(&BGV_INSECURE_EXPLICIT_CHAIN, 908);
}

Test(keyswitch, same_chain_any_dnum_gives_the_same_messages)
{
	/* N = 2^11, t = 65537, depth 5 (6 primes) with dnum 1, 2, 3, 6 */
	for (unsigned dnum = 1; dnum <= 6; dnum++) {
		if (dnum == 4 || dnum == 5)
			continue;
		bgv_pset ps = { "insecure-n2048-t65537-d5-kX", 11, 65537, 1, 5, dnum, NULL, 0, NULL, 0 };
		bgv_fix f;
		bgv_fix_init(&f, &ps, BGV_KEYS_STEPS, (const int[]){ 7 }, 1, 910 + dnum);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, a, v, 1);
		pm_copy(r, v, n);
		BGV_OK(&f, lathe_ct_copy(c, a));
		for (unsigned i = 0; i < 3; i++) {
			BGV_OK(&f, lathe_ct_mul(f.ev, c, c, a));
			BGV_OK(&f, lathe_ct_rotate(f.ev, c, c, 7));
			pm_mul(r, r, v, n, f.t);
			pm_rotate(r, r, 7, n);
			char what[64];
			snprintf(what, sizeof(what), "dnum %u: (x * a) <<< 7, round %u", dnum, i);
			bgv_check(&f, c, r, what);
			bgv_check_estimate(&f, c, what);
		}
		lathe_ct_free(a);
		lathe_ct_free(c);
		free(v);
		free(r);
		bgv_fix_clear(&f);
	}
}
