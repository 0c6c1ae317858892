#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "boot_chain.h"

#include <stdio.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "boot_util.h"
#include "bootstrap/internal.h"

static double
secs(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

unsigned
boot_run_chain(lathe_ctx *ctx, const char *name, unsigned h, unsigned fail_bits, unsigned trials, unsigned rounds,
               uint32_t stream)
{
	bgv_fix f;
	bgv_fix_init_ctx(&f, ctx, name, BGV_KEYS_NONE, NULL, 0, stream);
	const lt_slots *sl = &ctx->pm[0].slots;
	lt_boot_keys *bk = NULL;
	BGV_OK(&f, lt_boot_keys_new(f.sk, h, fail_bits, NULL, &bk));
	uint64_t g[256];
	size_t ng = 0;
	BGV_OK(&f, lt_boot_elts(ctx, g, 256, &ng));
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, ng, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	const size_t l = sl->ell;
	const uint64_t t = ctx->pm[0].t;
	const unsigned lin = lt_boot_level_in(ctx);
	uint64_t *m = calloc(l, 8), *w = calloc(l, 8);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *y = bgv_ct(&f);
	unsigned after = 0;
	for (unsigned trial = 0; trial < test_mult(trials); trial++) {
		for (size_t i = 0; i < l; i++)
			m[i] = test_rand(&f.g, t);
		m[0] = 0;
		m[1] = t - 1;
		m[2] = 1;
		boot_enc_thin(f.pk, a, m);
		BGV_OK(&f, lathe_ct_mod_switch_to(ev, a, a, lin));
		/* below the level bootstrapping starts from it is refused */
		if (trial == 0 && lin > 0) {
			lathe_ct *low = bgv_ct(&f);
			BGV_OK(&f, lathe_ct_mod_switch_to(ev, low, a, lin - 1));
			BGV_FAILS(&f, LATHE_ELEVEL, lt_boot_thin(ev, bk, y, low, NULL));
			lathe_ct_free(low);
		}
		lt_boot_stats st;
		BGV_OK(&f, lt_boot_thin(ev, bk, y, a, &st));
		boot_check_thin(f.sk, y, m, "bootstrapped once", f.desc);
		uint64_t sum = 0;
		for (unsigned i = 1; i <= 7; i++)
			sum += st.ns[i];
		after = lathe_ct_level(y);
		cr_assert(st.ns[0] > 0 && sum <= st.ns[0] && st.level_in == lin && st.level_out == after,
		          "the stats of a bootstrap [%s]", f.desc);
		cr_assert_gt(after, lin, "no level gained: %u from %u [%s]", after, lin, f.desc);
		const double t0 = secs();
		for (unsigned round = 0; round < rounds; round++) {
			for (size_t i = 0; i < l; i++)
				w[i] = test_rand(&f.g, t);
			boot_enc_thin(f.pk, b, w);
			BGV_OK(&f, lathe_ct_mul(ev, y, y, b));
			for (size_t i = 0; i < l; i++)
				m[i] = m[i] * w[i] % t;
			BGV_OK(&f, lathe_ct_mod_switch_to(ev, y, y, lin));
			boot_check_thin(f.sk, y, m, "before a bootstrap", f.desc);
			BGV_OK(&f, lt_boot_thin(ev, bk, y, y, NULL));
			char what[48];
			snprintf(what, sizeof(what), "bootstrap %u in a row", round + 2);
			boot_check_thin(f.sk, y, m, what, f.desc);
			cr_assert_eq(lathe_ct_level(y), after, "bootstrap %u in a row [%s]", round + 2, f.desc);
		}
		if (trial == 0)
			cr_log_info("%s: N = 2^%u, p = %llu, d = %zu, %zu slots, h = %u, B = %u (2^-%u), deg F = %zu, maps %s: "
			            "level %u -> %u of %u; first bootstrap %.3f s (StC %.3f, trace %.3f, CtS %.3f, digits %.3f), "
			            "then %.3f s per bootstrap and product",
			            name, ctx->logn, (unsigned long long)sl->z.p, sl->d, l, h, bk->B, fail_bits, bk->deg,
			            bk->stc_f ? "factored" : "dense", lin, after, f.max_level, 1e-9 * (double)st.ns[0],
			            1e-9 * (double)st.ns[1], 1e-9 * (double)st.ns[5], 1e-9 * (double)st.ns[6],
			            1e-9 * (double)st.ns[7], rounds ? (secs() - t0) / rounds : 0.0);
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
	return after;
}
