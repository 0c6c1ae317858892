/*
 * Depth: repeated squaring, and repeated multiplication by fresh
 * ciphertexts, until the chain is used up. Every product that is returned
 * decrypts correctly; at least `depth` products succeed; the first refusal
 * is LATHE_ELEVEL or LATHE_ENOISE, never a wrong decryption. Scalar
 * multiplication at level 0 ends in LATHE_ENOISE the same way.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

static void
run_chain(const bgv_pset *ps, int square, uint32_t stream)
{
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_STEPS, (const int[]){ 1 }, 1, stream);
	size_t n = f.slots;
	uint64_t *r = bgv_vec(&f), *y = bgv_vec(&f);
	lathe_ct *x = bgv_ct(&f), *Y = bgv_ct(&f);
	bgv_rand(&f, r);
	bgv_encrypt_vec(&f, x, r, 1);
	unsigned done = 0, limit = 3 * (f.max_level + 3);
	lathe_status s = LATHE_OK;
	const char *opname = square ? "square" : "mul by fresh";
	for (unsigned step = 1; step <= limit; step++) {
		if (square) {
			s = lathe_ct_square(f.ev, x, x);
		} else {
			bgv_rand(&f, y);
			bgv_encrypt_vec(&f, Y, y, (int)(step & 1));
			s = lathe_ct_mul(f.ev, x, x, Y);
		}
		if (s != LATHE_OK)
			break;
		if (square)
			pm_mul(r, r, r, n, f.t);
		else
			pm_mul(r, r, y, n, f.t);
		done++;
		char what[80];
		snprintf(what, sizeof(what), "%s number %u (level %u)", opname, step, lathe_ct_level(x));
		bgv_check(&f, x, r, what);
		bgv_check_estimate(&f, x, what);
	}
	cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE,
	          "%s: after %u products the next one answered %s, want LATHE_ELEVEL or LATHE_ENOISE [%s]", opname,
	          done, lathe_strerror(s), f.desc);
	cr_assert(lathe_last_error()[0] != '\0', "empty lathe_last_error() after %s [%s]", lathe_strerror(s), f.desc);
	cr_assert_geq(done, ps->depth, "%s: only %u products at depth %u [%s]", opname, done, ps->depth, f.desc);
	lathe_ct_free(x);
	lathe_ct_free(Y);
	free(r);
	free(y);
	bgv_fix_clear(&f);
}

Test(depth, squaring_uses_up_the_chain, .timeout = 120)
{
	for (size_t si = 0; si < BGV_N_DEPTH; si++)
		for (unsigned trial = 0; trial < test_mult(1); trial++)
			run_chain(&BGV_INSECURE_DEPTH[si], 1, 500 + (uint32_t)(si * 16 + trial));
}

Test(depth, multiplying_by_fresh_uses_up_the_chain, .timeout = 120)
{
	for (size_t si = 0; si < BGV_N_DEPTH; si++)
		for (unsigned trial = 0; trial < test_mult(1); trial++)
			run_chain(&BGV_INSECURE_DEPTH[si], 0, 600 + (uint32_t)(si * 16 + trial));
}

Test(depth, explicit_chain_supports_its_levels)
{
	run_chain(&BGV_INSECURE_EXPLICIT_CHAIN, 1, 650);
}

Test(depth, scalar_growth_at_level_0_ends_in_enoise)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_DEPTH[1], BGV_KEYS_NONE, NULL, 0, 660);
	size_t n = f.slots;
	uint64_t *r = bgv_vec(&f);
	lathe_ct *x = bgv_ct(&f);
	bgv_rand(&f, r);
	bgv_encrypt_vec(&f, x, r, 1);
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, x, 0));
	int64_t c = (int64_t)((f.t - 1) / 2) - 3;
	lathe_status s = LATHE_OK;
	unsigned done = 0;
	for (unsigned k = 0; k < 400 && s == LATHE_OK; k++) {
		s = lathe_ct_mul_scalar(f.ev, x, x, k & 1 ? c : -c);
		if (s == LATHE_OK) {
			pm_mul_scalar(r, r, k & 1 ? c : -c, n, f.t);
			done++;
			char what[64];
			snprintf(what, sizeof(what), "mul_scalar number %u at level 0", done);
			bgv_check(&f, x, r, what);
			bgv_check_estimate(&f, x, what);
		}
	}
	cr_assert_eq(s, LATHE_ENOISE, "scalar products at level 0: %u then %s, want LATHE_ENOISE [%s]", done,
	             lathe_strerror(s), f.desc);
	cr_assert(lathe_last_error()[0] != '\0');
	lathe_ct_free(x);
	free(r);
	bgv_fix_clear(&f);
}
