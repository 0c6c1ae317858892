/*
 * The one secure set: preset "bgv-128-n8192-t65537" (depth 2), the whole
 * path a user takes (keygen, evaluation keys, encode, encrypt, two levels
 * of products, rotations, plaintext ops, decrypt, decode).
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

Test(preset, bgv_128_n8192_end_to_end, .timeout = 120)
{
	lathe_ctx *ctx = NULL;
	lathe_status s = lathe_ctx_new_preset(BGV_PRESET_128, &ctx);
	cr_assert_eq(s, LATHE_OK, "preset %s -> %s (%s)", BGV_PRESET_128, lathe_strerror(s), lathe_last_error());
	bgv_fix f;
	bgv_fix_init_ctx(&f, ctx, BGV_PRESET_128, BGV_KEYS_DEFAULT, NULL, 0, 1200);
	size_t n = f.slots;
	cr_assert_eq(n, 8192);
	cr_assert_eq(f.t, 65537);
	uint64_t *x = bgv_vec(&f), *y = bgv_vec(&f), *z = bgv_vec(&f), *r = bgv_vec(&f), *q = bgv_vec(&f);
	lathe_ct *X = bgv_ct(&f), *Y = bgv_ct(&f), *Z = bgv_ct(&f), *R = bgv_ct(&f);
	lathe_pt *pt = bgv_pt(&f);
	bgv_rand(&f, x);
	bgv_rand(&f, y);
	bgv_rand(&f, z);
	bgv_encrypt_vec(&f, X, x, 1);
	bgv_encrypt_vec(&f, Y, y, 1);
	bgv_encrypt_vec(&f, Z, z, 0);
	bgv_check_estimate(&f, X, "fresh");
	/* R = ((x*y) <<< 1 + z) * z - x, swapped */
	BGV_OK(&f, lathe_ct_mul(f.ev, R, X, Y));
	BGV_OK(&f, lathe_ct_rotate(f.ev, R, R, 1));
	BGV_OK(&f, lathe_ct_add(f.ev, R, R, Z));
	pm_mul(r, x, y, n, f.t);
	pm_rotate(r, r, 1, n);
	pm_add(r, r, z, n, f.t);
	bgv_check(&f, R, r, "level 1 of the preset");
	bgv_check_estimate(&f, R, "level 1 of the preset");
	BGV_OK(&f, lathe_ct_mul(f.ev, R, R, Z));
	BGV_OK(&f, lathe_ct_sub(f.ev, R, R, X));
	BGV_OK(&f, lathe_ct_swap_rows(f.ev, R, R));
	pm_mul(r, r, z, n, f.t);
	pm_sub(r, r, x, n, f.t);
	pm_swap_rows(r, r, n);
	bgv_check(&f, R, r, "level 2 of the preset");
	bgv_check_estimate(&f, R, "level 2 of the preset");
	/* noise-cheap plaintext and scalar ops on the result (a product by a random plaintext
	   would be a third level: the chain has none left) */
	bgv_encode_vec(&f, pt, y);
	BGV_OK(&f, lathe_ct_add_plain(f.ev, R, R, pt));
	BGV_OK(&f, lathe_ct_mul_scalar(f.ev, R, R, -1));
	BGV_OK(&f, lathe_ct_add_scalar(f.ev, R, R, -7));
	pm_add(r, r, y, n, f.t);
	pm_neg(r, r, n, f.t);
	pm_add_scalar(r, r, -7, n, f.t);
	bgv_check(&f, R, r, "plaintext ops after depth 2");
	/* a product by a plaintext at depth 1 */
	BGV_OK(&f, lathe_ct_mul_plain(f.ev, Y, Y, pt));
	BGV_OK(&f, lathe_ct_mul(f.ev, Y, Y, X));
	pm_mul(q, y, y, n, f.t);
	pm_mul(q, q, x, n, f.t);
	bgv_check(&f, Y, q, "mul_plain then mul on the preset");
	/* hoisted rotations */
	lathe_ct *outs[3] = { bgv_ct(&f), bgv_ct(&f), bgv_ct(&f) };
	const int steps[3] = { 1, -2, 1024 };
	BGV_OK(&f, lathe_ct_rotate_many(f.ev, outs, X, steps, 3));
	for (int i = 0; i < 3; i++) {
		pm_rotate(q, x, steps[i], n);
		bgv_check(&f, outs[i], q, "rotate_many on the preset");
		lathe_ct_free(outs[i]);
	}
	lathe_pt_free(pt);
	lathe_ct_free(X);
	lathe_ct_free(Y);
	lathe_ct_free(Z);
	lathe_ct_free(R);
	free(x);
	free(y);
	free(z);
	free(r);
	free(q);
	bgv_fix_clear(&f);
}

Test(preset, bgv_128_n16384_squares_to_its_depth, .timeout = 120)
{
	/* "bgv-128-n16384-t65537": depth 6 */
	lathe_ctx *ctx = NULL;
	lathe_status s = lathe_ctx_new_preset("bgv-128-n16384-t65537", &ctx);
	cr_assert_eq(s, LATHE_OK, "preset -> %s (%s)", lathe_strerror(s), lathe_last_error());
	bgv_fix f;
	static const int none[1] = { 0 };
	bgv_fix_init_ctx(&f, ctx, "bgv-128-n16384-t65537", BGV_KEYS_STEPS, none, 0, 1210);
	size_t n = f.slots;
	uint64_t *x = bgv_vec(&f);
	lathe_ct *X = bgv_ct(&f);
	bgv_rand(&f, x);
	bgv_encrypt_vec(&f, X, x, 1);
	for (unsigned d = 1; d <= 6; d++) {
		BGV_OK(&f, lathe_ct_square(f.ev, X, X));
		pm_mul(x, x, x, n, f.t);
		char what[48];
		snprintf(what, sizeof(what), "square number %u on the depth-6 preset", d);
		bgv_check(&f, X, x, what);
		bgv_check_estimate(&f, X, what);
	}
	lathe_ct_free(X);
	free(x);
	bgv_fix_clear(&f);
}
