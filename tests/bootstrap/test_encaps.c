/*
 * The encapsulation key of Step 2 (src/bootstrap/encaps.c): its basis is
 * exactly {q_0, p_0} (BOOTSTRAP.md Correction 5: no limb of another prime,
 * so the sparse secret's only LWE instance has modulus q_0 p_0), each limb
 * satisfies b + a s' - p_0 s = t e with e small and t the user's p^r
 * (not p^e: e is not a multiple of p); and a ciphertext at
 * level 0 switched with it decrypts under the sparse secret to the same
 * slots, with an estimate that bounds the measured noise.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"
#include "ring/ntt.h"
#include "ring/vec.h"

Test(encaps, key_on_q0_p0_and_the_switch, .timeout = 300)
{
	lathe_ctx *ctx = boot_ctx_wide(11, 257, 1, 2, 3, 2);
	bgv_fix f;
	bgv_fix_init_ctx(&f, ctx, "encapsulation", BGV_KEYS_NONE, NULL, 0, 3900);
	cr_assert_gt(ctx->np, 1, "the test wants a context with more than one special prime [%s]", f.desc);
	const size_t n = f.n;
	lathe_sk *sp = NULL;
	BGV_OK(&f, lt_sk_new_hwt(ctx, 64, NULL, &sp));
	lt_boot_encaps_key k;
	BGV_OK(&f, lt_boot_encaps_gen(f.sk, sp, &k, NULL));
	cr_assert_eq(k.mod[0], ctx->ring.modp[0], "limb 0 is not q_0 [%s]", f.desc);
	cr_assert_eq(k.mod[1], ctx->ring.modp[ctx->nq], "limb 1 is not p_0 [%s]", f.desc);
	/* b + a s' - p_0 s is t e (the user's t, not p^e), e of at most 21 (centred binomial), on each of the two limbs */
	const uint64_t tk = ctx->pm[0].t;
	uint64_t *r = malloc(n * 8), *ps = malloc(n * 8);
	size_t not_p = 0;
	for (unsigned x = 0; x < 2; x++) {
		const lt_modulus *m = k.mod[x];
		const size_t li = x == 0 ? 0 : ctx->nq;
		lt_vec_mul(r, k.a + x * n, sp->s_ntt + li * n, n, m);
		lt_vec_add(r, r, k.b + x * n, n, m->q);
		if (x == 0) {
			lt_vec_mul_scalar(ps, f.sk->s_ntt, k.mod[1]->q % m->q, n, m);
			lt_vec_sub(r, r, ps, n, m->q);
		}
		lt_ntt_inv(r, &m->ntt);
		for (size_t z = 0; z < n; z++) {
			const int64_t v = r[z] > m->q / 2 ? (int64_t)r[z] - (int64_t)m->q : (int64_t)r[z];
			cr_assert_eq(v % (int64_t)tk, 0, "limb %u coefficient %zu: %lld is not a multiple of t [%s]", x, z,
			             (long long)v, f.desc);
			cr_assert_leq(v / (int64_t)tk, 21);
			cr_assert_geq(v / (int64_t)tk, -21);
			not_p += (v / (int64_t)tk) % 257 != 0;
		}
	}
	cr_assert_gt(not_p, n, "the key's error is a multiple of p^e, not of t alone [%s]", f.desc);
	/* the switch */
	uint64_t *v = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f);
	lathe_pt *pt = bgv_pt(&f);
	uint64_t *got = bgv_vec(&f);
	for (unsigned trial = 0; trial < test_mult(4); trial++) {
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, a, v, trial & 1);
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, 0));
		BGV_OK(&f, lt_boot_encaps(a, &k));
		BGV_OK(&f, lathe_decrypt(sp, pt, a));
		BGV_OK(&f, lathe_decode_u64(got, f.slots, pt));
		for (size_t i = 0; i < f.slots; i++)
			cr_assert_eq(got[i], v[i], "slot %zu after the switch [%s]", i, f.desc);
		int est = 0, meas = 0;
		BGV_OK(&f, lathe_ct_budget_estimate(a, &est));
		BGV_OK(&f, lathe_noise_budget(sp, a, &meas));
		cr_assert_leq(est, meas, "estimate %d above the measured budget %d [%s]", est, meas, f.desc);
	}
	/* refusals */
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, 0));
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_FAILS(&f, LATHE_ELEVEL, lt_boot_encaps(a, &k));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_encaps(NULL, &k));
	/* a ciphertext under p^e: the key's error is no multiple of it */
	lathe_ct *bk = NULL;
	BGV_OK(&f, lt_boot_key_gen(f.sk, sp, &bk));
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, bk, bk, 0));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_encaps(bk, &k));
	lathe_ct_free(bk);
	lt_boot_encaps_key none;
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_encaps_gen(NULL, sp, &none, NULL));
	free(r);
	free(ps);
	free(v);
	free(got);
	lathe_ct_free(a);
	lathe_pt_free(pt);
	lt_boot_encaps_clear(&k);
	lathe_sk_free(sp);
	bgv_fix_clear(&f);
}
