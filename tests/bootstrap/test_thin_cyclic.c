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
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_chain.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

/* one context of N = 2^logn: the keys' bound and elements, then 11 bootstraps in a row */
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
	cr_assert_eq(ctx->pm[0].t, p);
	lt_boot_keys_free(bk);
	bgv_fix_clear(&f);
	/* then the chains, on a context of the same parameters */
	const unsigned after =
	    boot_run_chain(boot_ctx_wide(logn, p, 1, 2, 16, 3), "cyclic thin bootstrapping", h, fail_bits, 1, 10, stream + 100);
	cr_assert_geq(after, 7);
}

Test(thin_cyclic, bootstrap_end_to_end, .timeout = 600)
{
	run_chain(10, 64, 3720);
}

Test(thin_cyclic, bootstrap_end_to_end_larger_ring, .timeout = 900)
{
	run_chain(11, 64, 3721);
}
