/*
 * Thin bootstrapping end to end (src/bootstrap/thin.c) at insecure
 * toy sizes: thin slots of p = 257 (r = 1, e = 2) at N = 2^10, 2^11 and
 * 2^12, 128 slots each;
 * a ciphertext at level 1 is refreshed and decrypts to the same slots,
 * at a level above; then ten more in a row with a product between
 * them, every slot checked against the plaintext model after each:
 * eight such chains at N = 2^10 (88 bootstraps), one at 2^11 and 2^12.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_chain.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

Test(thin, bootstrap_end_to_end, .timeout = 600)
{
	/* eight chains of 11 bootstraps in a row (LATHE_TEST_MULT multiplies the chains) */
	const unsigned after = boot_run_chain(boot_ctx_wide(10, 257, 1, 2, 16, 3), "thin bootstrapping", 64, 40, 8, 10, 3700);
	cr_assert_geq(after, 8);
}

Test(thin, bootstrap_end_to_end_larger_rings, .timeout = 900)
{
	cr_assert_geq(boot_run_chain(boot_ctx_wide(11, 257, 1, 2, 16, 3), "thin bootstrapping", 64, 40, 1, 10, 3701), 8);
	cr_assert_geq(boot_run_chain(boot_ctx_wide(12, 257, 1, 2, 16, 3), "thin bootstrapping", 64, 40, 1, 10, 3702), 8);
}

/* the guard and the refusals: a noise too large for Step 3, level 0, p^e inputs, NULL keys, another context */
Test(thin, refusals, .timeout = 300)
{
	bgv_fix f;
	lathe_ctx *ctx = boot_ctx_wide(10, 257, 1, 2, 16, 3);
	bgv_fix_init_ctx(&f, ctx, "thin bootstrapping", BGV_KEYS_NONE, NULL, 0, 3710);
	lt_boot_keys *bk = NULL;
	BGV_OK(&f, lt_boot_keys_new(f.sk, 64, 40, NULL, &bk));
	uint64_t g[256];
	size_t ng = 0;
	BGV_OK(&f, lt_boot_elts(ctx, g, 256, &ng));
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, ng, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	const size_t l = ctx->pm[0].slots.ell;
	uint64_t *m = calloc(l, 8);
	for (size_t i = 0; i < l; i++)
		m[i] = test_rand(&f.g, 257);
	lathe_ct *a = bgv_ct(&f), *y = bgv_ct(&f);
	boot_enc_thin(f.pk, a, m);
	BGV_OK(&f, lathe_ct_mod_switch_to(ev, a, a, 1));
	/* as noisy as level 1 allows: still decryptable, too noisy for Step 3 */
	lathe_status s;
	unsigned grown = 0;
	while ((s = lathe_ct_mul_scalar(ev, y, grown ? y : a, 127)) == LATHE_OK)
		grown++;
	cr_assert_eq(s, LATHE_ENOISE, "%s", lathe_last_error());
	cr_assert_gt(grown, 0);
	BGV_FAILS(&f, LATHE_ENOISE, lt_boot_thin(ev, bk, a, y, NULL));
	/* a itself is fine, and unchanged by the refusal */
	boot_check_thin(f.sk, a, m, "after a refused bootstrap", f.desc);
	BGV_OK(&f, lt_boot_thin(ev, bk, y, a, NULL));
	boot_check_thin(f.sk, y, m, "the quiet input bootstrapped", f.desc);
	/* level 0; under p^e; NULL keys */
	BGV_OK(&f, lathe_ct_mod_switch_to(ev, y, a, 0));
	BGV_FAILS(&f, LATHE_ELEVEL, lt_boot_thin(ev, bk, y, y, NULL));
	BGV_OK(&f, lathe_ct_copy(y, a));
	BGV_OK(&f, lt_ct_lift_plainmod(y, 1));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_thin(ev, bk, y, y, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_thin(ev, NULL, y, a, NULL));
	/* keys of another context */
	bgv_fix o;
	bgv_fix_init_ctx(&o, boot_ctx_wide(10, 257, 1, 2, 16, 3), "other", BGV_KEYS_NONE, NULL, 0, 3711);
	lt_boot_keys *ok = NULL;
	BGV_OK(&o, lt_boot_keys_new(o.sk, 64, 40, NULL, &ok));
	BGV_FAILS(&f, LATHE_EMISMATCH, lt_boot_thin(ev, ok, y, a, NULL));
	/* a context without p^e has no bootstrapping keys */
	bgv_fix plain;
	bgv_fix_init(&plain, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 3712);
	lt_boot_keys *none = NULL;
	BGV_FAILS(&plain, LATHE_EPARAM, lt_boot_keys_new(plain.sk, 64, 40, NULL, &none));
	cr_assert_null(none);
	bgv_fix_clear(&plain);
	lt_boot_keys_free(ok);
	bgv_fix_clear(&o);
	free(m);
	lathe_ct_free(a);
	lathe_ct_free(y);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lt_boot_keys_free(bk);
	bgv_fix_clear(&f);
}
