/*
 * Thin bootstrapping end to end on the cyclic slots of p = 3 mod 4
 * (src/bootstrap/thin.c with slotmap.c's cyclic maps) at insecure toy
 * sizes: p = 127 (r = 1, e = 2) at N = 2^10 and 2^11, 64 slots each (d =
 * 16 and 32); a ciphertext at level 1 is refreshed and decrypts to the
 * same slots at a level above, then ten more in a row with a product by
 * a fresh ciphertext between them, every slot checked against the
 * plaintext model mod 127 after each.
 *
 * The overflow reaching slot k > 0 is the sum of two coefficients of J
 * (slotmap.c): the keys' B is the pair bound of overflow.c
 * (lt_boot_pair_bound) at 2^-40 over the slots, wider than one
 * coefficient's.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>
#include <time.h>

#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

static double
secs(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* one context of N = 2^logn: 11 bootstraps in a row per trial */
static void
run_chain(unsigned logn, unsigned h, uint32_t stream)
{
	const uint64_t p = 127;
	bgv_fix f;
	lathe_ctx *ctx = boot_ctx_wide(logn, p, 1, 2, 16, 3);
	bgv_fix_init_ctx(&f, ctx, "cyclic thin bootstrapping", BGV_KEYS_NONE, NULL, 0, stream);
	const lt_slots *sl = &ctx->pm[0].slots;
	cr_assert_eq(sl->kind, LT_SLOTS_CYCLIC);
	/* the keys' B is the pair bound of overflow.c at 2^-40 over the slots (the sum of two coefficients) */
	const size_t l = sl->ell;
	unsigned lg = 0;
	while (((size_t)1 << lg) < l)
		lg++;
	const unsigned fail_bits = 40;
	unsigned B = 0, B1 = 0;
	double pair = 0;
	cr_assert_eq(lt_boot_pair_bound(logn, h, lg, fail_bits, &B, NULL, &pair), LATHE_OK, "%s", lathe_last_error());
	cr_assert(pair <= -40.0, "pair bound 2^%.1f", pair);
	/* wider than one coefficient's bound: the pair needs it */
	cr_assert_eq(lt_boot_overflow_bound(h, lg, fail_bits, &B1, NULL), LATHE_OK);
	cr_assert_gt(B, B1);
	lt_boot_keys *bk = NULL;
	BGV_OK(&f, lt_boot_keys_new(f.sk, h, fail_bits, NULL, &bk));
	cr_assert_eq(bk->B, B, "the keys' B [%s]", f.desc);
	cr_assert_lt(2 * B + 1, p, "B = %u for h = %u [%s]", B, h, f.desc);
	uint64_t g[256];
	size_t ng = 0;
	BGV_OK(&f, lt_boot_elts(ctx, g, 256, &ng));
	for (size_t i = 0; i < ng; i++)
		cr_assert_neq(g[i], 2 * (uint64_t)ctx->n - 1, "the cyclic slots have no row swap [%s]", f.desc);
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, ng, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	const uint64_t t = ctx->pm[0].t;
	cr_assert_eq(t, p);
	uint64_t *m = calloc(l, 8), *w = calloc(l, 8);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *y = bgv_ct(&f);
	for (unsigned trial = 0; trial < test_mult(1); trial++) {
		for (size_t i = 0; i < l; i++)
			m[i] = test_rand(&f.g, t);
		/* the extremes of Z_127 in the first slots */
		m[0] = 0;
		m[1] = t - 1;
		m[2] = 1;
		boot_enc_thin(f.pk, a, m);
		BGV_OK(&f, lathe_ct_mod_switch_to(ev, a, a, 1));
		lt_boot_stats st;
		BGV_OK(&f, lt_boot_thin(ev, bk, y, a, &st));
		boot_check_thin(f.sk, y, m, "bootstrapped once", f.desc);
		const unsigned after = lathe_ct_level(y);
		cr_assert_gt(after, 1, "no level gained: %u [%s]", after, f.desc);
		cr_assert(st.level_in == 1 && st.level_out == after, "the stats of a bootstrap [%s]", f.desc);
		const double t0 = secs();
		for (unsigned round = 0; round < 10; round++) {
			for (size_t i = 0; i < l; i++)
				w[i] = test_rand(&f.g, t);
			boot_enc_thin(f.pk, b, w);
			BGV_OK(&f, lathe_ct_mul(ev, y, y, b));
			for (size_t i = 0; i < l; i++)
				m[i] = m[i] * w[i] % t;
			BGV_OK(&f, lathe_ct_mod_switch_to(ev, y, y, 1));
			boot_check_thin(f.sk, y, m, "before a bootstrap", f.desc);
			BGV_OK(&f, lt_boot_thin(ev, bk, y, y, NULL));
			char what[48];
			snprintf(what, sizeof(what), "bootstrap %u in a row", round + 2);
			boot_check_thin(f.sk, y, m, what, f.desc);
			cr_assert_eq(lathe_ct_level(y), after);
		}
		if (trial == 0)
			cr_log_info("cyclic thin bootstrapping, N = 2^%u, p = 127, d = %zu, %zu slots, h = %u, B = %u "
			            "(fail_bits %u), pair tail 2^%.1f, deg F = %zu: level 1 -> %u of %u; first bootstrap %.3f s "
			            "(StC %.3f, trace %.3f, CtS %.3f, digits %.3f), then %.3f s per bootstrap and product",
			            logn, sl->d, l, h, bk->B, fail_bits, pair, bk->deg, after, f.max_level, 1e-9 * (double)st.ns[0],
			            1e-9 * (double)st.ns[1], 1e-9 * (double)st.ns[5], 1e-9 * (double)st.ns[6],
			            1e-9 * (double)st.ns[7], (secs() - t0) / 10);
	}
	free(m);
	free(w);
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(y);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lt_boot_keys_free(bk);
	bgv_fix_clear(&f);
}

Test(thin_cyclic, bootstrap_end_to_end, .timeout = 600)
{
	run_chain(10, 64, 3720);
}

Test(thin_cyclic, bootstrap_end_to_end_larger_ring, .timeout = 900)
{
	run_chain(11, 64, 3721);
}
