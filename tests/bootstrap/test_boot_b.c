/*
 * Preset B's chain through the public API, on its insecure twin
 * "insecure-test-boot-n8192-p65537" (the same chain and special primes,
 * N = 2^13: 8192 slots mod 65537, factored slot maps of four groups each,
 * as at N = 2^16): bootstrapping starts from level 4 and is refused below;
 * three bootstraps in a row each land at level 20, with 15 products by
 * fresh ciphertexts between them (what the chain leaves a user), every
 * slot checked against the plaintext model after each. The secure preset
 * reports the same shape.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <lathe.h>

#define TWIN "insecure-test-boot-n8192-p65537"
#define PRESET_B "bgv-128-boot-n65536-p65537"

static void
ok(lathe_status s, const char *what)
{
	cr_assert_eq(s, LATHE_OK, "%s: %s (%s)", what, lathe_strerror(s), lathe_last_error());
}

static uint64_t
lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005u + 1442695040888963407u;
	return *x >> 33;
}

static void
expect(lathe_sk *sk, const lathe_ct *ct, const uint64_t *m, size_t l, const char *what, unsigned round)
{
	lathe_pt *pt = NULL;
	uint64_t *got = calloc(l, 8);
	ok(lathe_pt_new(lathe_sk_ctx(sk), &pt), "pt");
	ok(lathe_decrypt(sk, pt, ct), "decrypt");
	ok(lathe_decode_u64(got, l, pt), "decode");
	for (size_t i = 0; i < l; i++)
		cr_assert_eq(got[i], m[i], "%s %u: slot %zu is %llu, the model %llu", what, round, i,
		             (unsigned long long)got[i], (unsigned long long)m[i]);
	free(got);
	lathe_pt_free(pt);
}

Test(boot_b, info_of_the_preset_and_its_twin)
{
	const char *names[2] = { PRESET_B, TWIN };
	for (unsigned i = 0; i < 2; i++) {
		lathe_ctx *ctx = NULL;
		ok(lathe_ctx_new_preset(names[i], &ctx), names[i]);
		lathe_boot_info bi;
		ok(lathe_boot_info_get(ctx, &bi), "info");
		cr_assert(bi.p == 65537 && bi.r == 1 && bi.e == 2 && bi.h == 64 && bi.level_in == 4, "%s", names[i]);
		cr_assert_eq(bi.slots, i == 0 ? 32768u : 8192u, "%s: %zu slots", names[i], (size_t)bi.slots);
		cr_assert(bi.fail_log2 <= -128.0 && 2 * bi.overflow_bound + 1 < 65537, "%s", names[i]);
		lathe_context_info ci;
		ok(lathe_ctx_info(ctx, &ci), "ctx info");
		if (i == 0)
			cr_assert(ci.security == 128 && ci.log2_qp <= ci.security_bound, "%s: %d bits, log2 QP %.1f of %d",
			          names[i], ci.security, ci.log2_qp, ci.security_bound);
		lathe_ctx_free(ctx);
	}
}

Test(boot_b, chained_on_the_twin, .timeout = 900)
{
	lathe_ctx *ctx = NULL;
	lathe_sk *sk = NULL;
	lathe_pk *pk = NULL;
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	ok(lathe_ctx_new_preset(TWIN, &ctx), TWIN);
	ok(lathe_keygen(ctx, &sk, &pk), "keygen");
	ok(lathe_boot_keygen(sk, NULL, 0, &ek), "lathe_boot_keygen");
	ok(lathe_eval_new(ctx, ek, &ev), "eval");
	lathe_boot_info bi;
	ok(lathe_boot_info_get(ctx, &bi), "info");
	const size_t l = bi.slots;
	const uint64_t t = 65537;
	uint64_t seed = 20261202, *m = calloc(l, 8), *w = calloc(l, 8);
	for (size_t i = 0; i < l; i++)
		m[i] = lcg(&seed) % t;
	m[0] = 0;
	m[1] = t - 1;
	lathe_pt *pt = NULL;
	lathe_ct *ct = NULL, *b = NULL, *low = NULL;
	ok(lathe_pt_new(ctx, &pt), "pt");
	ok(lathe_ct_new(ctx, &ct), "ct");
	ok(lathe_ct_new(ctx, &b), "ct");
	ok(lathe_ct_new(ctx, &low), "ct");
	ok(lathe_encode_u64(pt, m, l), "encode");
	ok(lathe_encrypt(pk, ct, pt), "encrypt");
	ok(lathe_ct_mod_switch_to(ev, low, ct, 3), "switch");
	cr_assert_eq(lathe_boot(ev, low, low), LATHE_ELEVEL, "a bootstrap from level 3");
	ok(lathe_ct_mod_switch_to(ev, ct, ct, 4), "switch");
	for (unsigned round = 0; round < 3; round++) {
		lathe_boot_stats st;
		ok(lathe_boot_ex(ev, ct, ct, &st), "lathe_boot");
		cr_assert(st.level_in == 4 && st.level_out == 20, "round %u: level %u -> %u", round, st.level_in, st.level_out);
		expect(sk, ct, m, l, "bootstrap", round);
		/* the products the chain leaves, down to the level bootstrapping starts from */
		unsigned k = 0;
		while (lathe_ct_level(ct) > 4) {
			for (size_t i = 0; i < l; i++)
				w[i] = lcg(&seed) % t;
			ok(lathe_encode_u64(pt, w, l), "encode");
			ok(lathe_encrypt(pk, b, pt), "encrypt");
			ok(lathe_ct_mul(ev, ct, ct, b), "product");
			for (size_t i = 0; i < l; i++)
				m[i] = m[i] * w[i] % t;
			k++;
		}
		cr_assert_geq(k, 15, "round %u: %u products between bootstraps", round, k);
		cr_assert_eq(lathe_ct_level(ct), 4);
		expect(sk, ct, m, l, "after the products", round);
	}
	free(m);
	free(w);
	lathe_pt_free(pt);
	lathe_ct_free(ct);
	lathe_ct_free(b);
	lathe_ct_free(low);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_sk_free(sk);
	lathe_pk_free(pk);
	lathe_ctx_free(ctx);
}
