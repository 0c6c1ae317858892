/*
 * Steps 2 to 4 of thin bootstrapping, by a decrypt oracle: a ciphertext
 * at level 0 is switched to a sparse secret of Hamming weight 64 with a
 * key living exactly on q_0 and P (Step 2), switched to q' and scaled
 * (Step 3), and recrypted at the top by the inner product with the
 * bootstrapping key Enc_s(s') under p^e (Step 4). Decrypted under s, the
 * result's coefficients are p^(e-r) kappa m + J with |J| within the exact
 * overflow bound for h = 64, for fresh ciphertexts and products, and the
 * result sits at the top level with its noise budget.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/keyswitch.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

__extension__ typedef __int128 i128;

static const struct {
	unsigned logn;
	uint64_t p;
	unsigned r, e, depth;
} CASES[] = {
	{ 10, 257, 1, 2, 3 },
	{ 11, 257, 1, 2, 3 },
	{ 11, 17, 2, 3, 3 },
	{ 10, 127, 1, 2, 3 },
};

Test(recrypt, steps_2_to_4_by_decrypt_oracle, .timeout = 300)
{
	for (size_t ci = 0; ci < sizeof(CASES) / sizeof(CASES[0]); ci++) {
		bgv_fix f;
		lathe_ctx *ctx = boot_ctx(CASES[ci].logn, CASES[ci].p, CASES[ci].r, CASES[ci].e, NULL, CASES[ci].depth, 2);
		bgv_fix_init_ctx(&f, ctx, "recrypt", BGV_KEYS_DEFAULT, NULL, 0, 3500 + (uint32_t)ci);
		const size_t n = f.n;
		const uint64_t tr = ctx->pm[0].t, te = ctx->pm[1].t, k = te / tr;
		const unsigned h = 64;
		unsigned B = 0;
		BGV_OK(&f, lt_boot_overflow_bound(h, CASES[ci].logn, 40, &B, NULL));
		cr_assert_lt(2 * (uint64_t)B, te);
		/* Step 0: the sparse secret, the encapsulation key on q_0 and P, the bootstrapping key */
		lathe_sk *sp = NULL;
		BGV_OK(&f, lt_sk_new_hwt(ctx, h, NULL, &sp));
		lt_ksk key;
		BGV_OK(&f, lt_ksk_gen_at(sp, f.sk->s_ntt, 0, &key, NULL));
		cr_assert_eq(lt_ksk_level(ctx, &key), 0, "the encapsulation key is not at level 0 [%s]", f.desc);
		cr_assert_eq(lt_ksk_words(ctx, &key), (size_t)(1 + ctx->np) * n,
		             "the encapsulation key is not one digit over q_0 and P [%s]", f.desc);
		lathe_ct *bk = NULL;
		BGV_OK(&f, lt_boot_key_gen(f.sk, sp, &bk));
		cr_assert_eq(lathe_ct_level(bk), f.max_level);
		cr_assert_eq(lathe_ct_plain_modulus(bk), te);
		lt_ks_ws ws;
		BGV_OK(&f, lt_ks_ws_init(&ws, ctx));
		uint64_t qp = 0;
		BGV_OK(&f, lt_boot_qprime(te, 16, ctx->ring.modp[0]->q, &qp));
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f);
		int64_t *a0 = calloc(n, 8), *a1 = calloc(n, 8), *m = calloc(n, 8);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *x = bgv_ct(&f), *u = bgv_ct(&f);
		lathe_pt *pt = bgv_pt(&f);
		int64_t worst = 0;
		for (unsigned trial = 0; trial < test_mult(4); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, 1);
			bgv_encrypt_vec(&f, b, w, 1);
			if (trial & 1)
				BGV_OK(&f, lathe_ct_mul(f.ev, x, a, b));
			else
				BGV_OK(&f, lathe_ct_copy(x, a));
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, x, 0));
			/* the message's coefficients, under the dense key */
			BGV_OK(&f, lathe_decrypt(f.sk, pt, x));
			BGV_OK(&f, lathe_decode_coeffs(m, n, pt));
			/* Step 2, then 3, then 4 */
			BGV_OK(&f, lt_ct_switch_key(&ws, x, x, &key));
			uint64_t kappa = 0;
			BGV_OK(&f, lt_boot_raw_switch(x, qp, CASES[ci].e, a0, a1, &kappa));
			BGV_OK(&f, lt_boot_inner_product(f.ev, u, bk, a0, a1));
			cr_assert_eq(lathe_ct_level(u), f.max_level, "the recrypted ciphertext is not at the top [%s]", f.desc);
			cr_assert_eq(lathe_ct_plain_modulus(u), te);
			int bud = 0;
			BGV_OK(&f, lathe_noise_budget(f.sk, u, &bud));
			cr_assert_geq(bud, 10, "budget %d after recryption [%s]", bud, f.desc);
			BGV_OK(&f, lathe_decrypt(f.sk, pt, u));
			cr_assert_eq(pt->pm, 1);
			for (size_t i = 0; i < n; i++) {
				const int64_t mk = boot_centred((int64_t)(((i128)boot_centred(m[i], tr) * (int64_t)kappa) % (int64_t)tr), tr);
				const int64_t J = boot_centred((int64_t)pt->m[i] - (int64_t)k * mk, te);
				cr_assert_leq(J < 0 ? -J : J, (int64_t)B, "trial %u, coefficient %zu: overflow %lld above B = %u [%s]",
				              trial, i, (long long)J, B, f.desc);
				if (J > worst || -J > worst)
					worst = J < 0 ? -J : J;
			}
		}
		cr_assert_gt(worst, 0, "no overflow at all [%s]", f.desc);
		cr_log_info("N = 2^%u, p^e = %llu: largest overflow %lld, bound %u (h = 64, 2^-40)", CASES[ci].logn,
		            (unsigned long long)te, (long long)worst, B);
		lt_ksk_clear(ctx, &key);
		lt_ks_ws_clear(&ws);
		lathe_sk_free(sp);
		lathe_ct_free(bk);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(x);
		lathe_ct_free(u);
		lathe_pt_free(pt);
		free(v);
		free(w);
		free(a0);
		free(a1);
		free(m);
		bgv_fix_clear(&f);
	}
}

Test(recrypt, refusals)
{
	bgv_fix f;
	lathe_ctx *ctx = boot_ctx(10, 257, 1, 2, NULL, 3, 2);
	bgv_fix_init_ctx(&f, ctx, "recrypt", BGV_KEYS_DEFAULT, NULL, 0, 3510);
	lathe_ct *bk = NULL, *x = bgv_ct(&f);
	int64_t *a = calloc(f.n, 8);
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_key_gen(NULL, f.sk, &bk));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_key_gen(f.sk, f.sk, NULL));
	/* a ciphertext under p^r is no bootstrapping key */
	uint64_t *v = bgv_vec(&f);
	bgv_encrypt_vec(&f, x, v, 1);
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_inner_product(f.ev, x, x, a, a));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_inner_product(f.ev, x, NULL, a, a));
	/* a context without p^e has no bootstrapping key */
	bgv_fix g;
	bgv_fix_init(&g, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 3511);
	BGV_FAILS(&g, LATHE_EPARAM, lt_boot_key_gen(g.sk, g.sk, &bk));
	BGV_FAILS(&f, LATHE_EMISMATCH, lt_boot_key_gen(f.sk, g.sk, &bk));
	cr_assert_null(bk);
	bgv_fix_clear(&g);
	free(a);
	free(v);
	lathe_ct_free(x);
	bgv_fix_clear(&f);
}
