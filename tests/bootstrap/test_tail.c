/*
 * The overflow model under stress (BOOTSTRAP.md §5): with a sparse secret
 * of weight h = 16 the overflow J of Steps 2-3 leaves [-B, B] often enough
 * to count (rates about 3 10^-2 and 2 10^-3 per coefficient for B = 2
 * and 3). Since c0 = -c1 s' + v (mod q_0), a0 is the centred residue of
 * -a1 s' + p^(e-r) v', and J the rounding of a1 s' / q': |J| > B exactly
 * when |S_h| >= B + 1/2, S_h the sum of h uniforms on [-1/2, 1/2] (up to
 * the tiny v' term). Over some 10^5 coefficients of real ciphertexts the
 * empirical rate must match that exact Irwin-Hall tail within 5 standard
 * deviations, and stay below the bound the presets use (h + 1 terms).
 */
#include <criterion/criterion.h>
#include <math.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/keyswitch.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

__extension__ typedef __int128 i128;

Test(tail, empirical_overflow_rate_matches_the_model, .timeout = 600)
{
	lathe_ctx *ctx = boot_ctx_wide(11, 257, 1, 2, 2, 1);
	bgv_fix f;
	bgv_fix_init_ctx(&f, ctx, "tail stress", BGV_KEYS_NONE, NULL, 0, 3800);
	const size_t n = f.n;
	const uint64_t tr = 257, te = 257 * 257;
	const unsigned h = 16;
	lathe_sk *sp = NULL;
	BGV_OK(&f, lt_sk_new_hwt(ctx, h, NULL, &sp));
	lt_ksk key;
	BGV_OK(&f, lt_ksk_gen_at(sp, f.sk->s_ntt, 0, &key, NULL));
	lt_ks_ws ws;
	BGV_OK(&f, lt_ks_ws_init(&ws, ctx));
	uint64_t qp = 0;
	BGV_OK(&f, lt_boot_qprime(te, 16, ctx->ring.modp[0]->q, &qp));
	size_t pos[16], np = 0;
	for (size_t i = 0; i < n; i++)
		if (sp->s[i])
			pos[np++] = i;
	cr_assert_eq(np, h);
	uint64_t *v = bgv_vec(&f);
	int64_t *a0 = calloc(n, 8), *a1 = calloc(n, 8), *m = calloc(n, 8);
	lathe_ct *x = bgv_ct(&f);
	lathe_pt *pt = bgv_pt(&f);
	size_t total = 0, over[4] = { 0 };
	const unsigned cts = test_mult(50);
	for (unsigned c = 0; c < cts; c++) {
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, x, v, 1);
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, x, 0));
		BGV_OK(&f, lathe_decrypt(f.sk, pt, x));
		BGV_OK(&f, lathe_decode_coeffs(m, n, pt));
		BGV_OK(&f, lt_ct_switch_key(&ws, x, x, &key));
		uint64_t kappa = 0;
		BGV_OK(&f, lt_boot_raw_switch(x, qp, 2, a0, a1, &kappa));
		for (size_t i = 0; i < n; i++) {
			int64_t acc = a0[i];
			for (size_t z = 0; z < np; z++) {
				const size_t j = pos[z];
				const int64_t term = a1[i >= j ? i - j : i + n - j] * sp->s[j];
				acc = boot_centred(i >= j ? acc + term : acc - term, te);
			}
			const int64_t mk = boot_centred((int64_t)(((i128)boot_centred(m[i], tr) * (int64_t)kappa) % (int64_t)tr), tr);
			const int64_t J = boot_centred(acc - 257 * mk, te), aj = J < 0 ? -J : J;
			for (unsigned B = 0; B < 4; B++)
				over[B] += aj > (int64_t)B;
			total++;
		}
	}
	for (unsigned B = 2; B <= 3; B++) {
		const double pred = exp2(lt_boot_overflow_tail_log2(h - 1, B)); /* P(|S_h| >= B + 1/2) */
		const double bound = exp2(lt_boot_overflow_tail_log2(h, B));     /* P(|S_(h+1)| >= B + 1/2) */
		const double rate = (double)over[B] / (double)total;
		const double sd = sqrt(pred * (1 - pred) / (double)total);
		cr_log_info("h = %u, B = %u: %zu of %zu coefficients outside [-B, B]: rate %.3e, model %.3e, bound %.3e", h,
		            B, over[B], total, rate, pred, bound);
		cr_assert_lt(fabs(rate - pred), 5 * sd + 1e-5, "B = %u: rate %.3e against the model's %.3e (sd %.1e)", B,
		             rate, pred, sd);
		cr_assert_lt(rate, bound, "B = %u: rate %.3e above the bound %.3e", B, rate, bound);
	}
	lt_ksk_clear(ctx, &key);
	lt_ks_ws_clear(&ws);
	lathe_sk_free(sp);
	lathe_ct_free(x);
	lathe_pt_free(pt);
	free(v);
	free(a0);
	free(a1);
	free(m);
	bgv_fix_clear(&f);
}
