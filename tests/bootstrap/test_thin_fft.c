/*
 * Thin bootstrapping with the factored slot maps (fftmap.c), which
 * bootstrapping uses above LT_BOOT_DENSE_SLOTS slots: p = 12289 = 3 2^12 + 1
 * splits fully at N = 2^10 (1024 slots, d = 1) and into 2048 slots of
 * degree 2 at N = 2^12 (the shape of p = 65537 at N = 2^16). SlotToCoeff
 * and CoeffToSlot take three groups each, so a ciphertext is bootstrapped
 * from level 3 (and refused at level 2); it must come back with the same
 * slots eleven times in a row with a product between bootstraps, every
 * slot checked against the plaintext model mod 12289.
 */
#include <criterion/criterion.h>

#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_chain.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

static lathe_ctx *
ctx_12289(unsigned logn, size_t slots, size_t d)
{
	/*
	 * Step 3's guard leaves q_0 / 2^15.6 to the noise under p^(e - r) =
	 * 12289, and the encapsulation key's noise is q_0 p^e / p_0 times the
	 * key-switch factor: p_0 of 60 bits
	 */
	unsigned bits[24];
	bits[0] = 48;
	for (unsigned i = 1; i < 24; i++)
		bits[i] = 45;
	const unsigned special[3] = { 60, 50, 50 };
	lathe_ctx *ctx = boot_ctx_special(logn, 12289, 1, 2, bits, 24, 8, special, 3);
	unsigned gs = 0, gc = 0;
	lt_boot_map_groups(ctx, &gs, &gc);
	cr_assert(gs == 3 && gc == 3 && lt_boot_level_in(ctx) == 3, "N = 2^%u: %u and %u groups", logn, gs, gc);
	cr_assert(ctx->pm[0].slots.ell == slots && ctx->pm[0].slots.d == d, "N = 2^%u: %zu slots of degree %zu", logn,
	          ctx->pm[0].slots.ell, ctx->pm[0].slots.d);
	return ctx;
}

Test(thin_fft, bootstrap_end_to_end, .timeout = 900)
{
	const unsigned after = boot_run_chain(ctx_12289(10, 1024, 1), "factored thin bootstrapping", 64, 40, 2, 10, 3730);
	cr_assert_geq(after, 6);
}

Test(thin_fft, bootstrap_end_to_end_d2, .timeout = 900)
{
	const unsigned after = boot_run_chain(ctx_12289(12, 2048, 2), "factored thin bootstrapping", 64, 40, 1, 10, 3731);
	cr_assert_geq(after, 6);
}

/* the dense form stays below the threshold: p = 257's 128 slots */
Test(thin_fft, dense_below_the_threshold)
{
	lathe_ctx *ctx = boot_ctx_wide(10, 257, 1, 2, 4, 2);
	unsigned gs = 9, gc = 9;
	lt_boot_map_groups(ctx, &gs, &gc);
	cr_assert(gs == 0 && gc == 0 && lt_boot_level_in(ctx) == 1);
	lathe_ctx_free(ctx);
}
