/*
 * The factored slot maps (src/bootstrap/fftmap.c) against the dense ones
 * of slotmap.c, which come from the thin encoder itself: in the clear,
 * the SlotToCoeff plan equals V P (P the plan's permutation, V the
 * evaluation matrix) for every number of groups, CoeffToSlot after it is
 * the identity, and each group has no more diagonals than its layers can
 * make (a plan that silently densified would cost what the dense map
 * does). On ciphertexts, SlotToCoeff puts slot perm[k] at X^(d k) and
 * costs one level per group, CoeffToSlot brings the slots back, for the
 * hypercube slots (p = 257, d = 8) and fully split ones (p = 65537,
 * d = 1), under p^r and p^e. Misuse is refused.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t
mulm(uint64_t a, uint64_t b, uint64_t q)
{
	return (uint64_t)((u128)a * b % q);
}

static unsigned
log2sz(size_t x)
{
	unsigned k = 0;
	while (((size_t)1 << k) < x)
		k++;
	return k;
}

static void
clear_plans(unsigned logn, uint64_t p, uint32_t stream)
{
	lathe_ctx *ctx = boot_ctx_wide(logn, p, 1, 2, 2, 2);
	lt_prng g;
	test_prng(&g, stream);
	for (unsigned pmi = 0; pmi < 2; pmi++) {
		const lt_slots *sl = &ctx->pm[pmi].slots;
		const size_t l = sl->ell, cols = sl->cols;
		const uint64_t t = ctx->pm[pmi].t;
		const unsigned nl = log2sz(cols) + 1;
		uint64_t *V = malloc(l * l * 8), *x = malloc(l * 8), *y = malloc(l * 8), *z = malloc(l * 8),
		         *want = malloc(l * 8);
		cr_assert_eq(lt_boot_stc_matrix(ctx, pmi, V), LATHE_OK, "%s", lathe_last_error());
		for (unsigned groups = 1; groups <= nl; groups++) {
			lt_boot_fft *stc = NULL, *cts = NULL;
			cr_assert_eq(lt_boot_fft_new(ctx, pmi, 0, groups, 1, &stc), LATHE_OK, "%s", lathe_last_error());
			cr_assert_eq(lt_boot_fft_new(ctx, pmi, 1, groups, 1, &cts), LATHE_OK, "%s", lathe_last_error());
			cr_assert_eq(lt_boot_fft_groups(stc), groups);
			const uint32_t *perm = lt_boot_fft_perm(stc);
			/* perm is a permutation */
			memset(z, 0, l * 8);
			for (size_t k = 0; k < l; k++) {
				cr_assert_lt(perm[k], l);
				cr_assert_eq(z[perm[k]], 0, "perm repeats slot %u", perm[k]);
				z[perm[k]] = 1;
			}
			/* each group: at most 2^(layers + 1) - 1 rotations, times two with the row mixing */
			for (unsigned i = 0, done = 0; i < groups; i++) {
				const unsigned size = nl / groups + (i < nl % groups);
				const int mix_s = done == 0, mix_c = done + size == nl;
				const size_t cap = (((size_t)2 << (size - (mix_s || mix_c))) - 1) * ((mix_s || mix_c) ? 2 : 1);
				cr_assert_leq(stc->g[i].nd, cap, "N = 2^%u p = %llu: StC group %u of %u has %zu diagonals (at most %zu)",
				              logn, (unsigned long long)p, i, groups, stc->g[i].nd, cap);
				done += size;
			}
			for (unsigned rep = 0; rep < 2; rep++) {
				for (size_t i = 0; i < l; i++)
					x[i] = test_rand(&g, t);
				/* StC = V P: want = V (x[perm[k]])_k */
				for (size_t i = 0; i < l; i++) {
					uint64_t acc = 0;
					for (size_t k = 0; k < l; k++)
						acc = (acc + mulm(V[i * l + k], x[perm[k]], t)) % t;
					want[i] = acc;
				}
				cr_assert_eq(lt_boot_fft_apply_clear(stc, y, x), LATHE_OK);
				for (size_t i = 0; i < l; i++)
					cr_assert_eq(y[i], want[i], "N = 2^%u p = %llu pm %u, %u groups: StC slot %zu is %llu, V P x %llu",
					             logn, (unsigned long long)p, pmi, groups, i, (unsigned long long)y[i],
					             (unsigned long long)want[i]);
				cr_assert_eq(lt_boot_fft_apply_clear(cts, z, y), LATHE_OK);
				for (size_t i = 0; i < l; i++)
					cr_assert_eq(z[i], x[i], "N = 2^%u p = %llu pm %u, %u groups: CtS after StC moved slot %zu", logn,
					             (unsigned long long)p, pmi, groups, i);
			}
			lt_boot_fft_free(stc);
			lt_boot_fft_free(cts);
		}
		/* scale multiplies the whole map */
		lt_boot_fft *a = NULL, *b = NULL;
		cr_assert_eq(lt_boot_fft_new(ctx, pmi, 1, 2, 1, &a), LATHE_OK);
		cr_assert_eq(lt_boot_fft_new(ctx, pmi, 1, 2, 3, &b), LATHE_OK);
		for (size_t i = 0; i < l; i++)
			x[i] = test_rand(&g, t);
		cr_assert_eq(lt_boot_fft_apply_clear(a, y, x), LATHE_OK);
		cr_assert_eq(lt_boot_fft_apply_clear(b, z, x), LATHE_OK);
		for (size_t i = 0; i < l; i++)
			cr_assert_eq(z[i], mulm(y[i], 3, t), "scale 3: slot %zu", i);
		lt_boot_fft_free(a);
		lt_boot_fft_free(b);
		free(V);
		free(x);
		free(y);
		free(z);
		free(want);
	}
	lathe_ctx_free(ctx);
}

Test(fftmap, clear_hypercube)
{
	clear_plans(10, 257, 5100);
}

Test(fftmap, clear_full)
{
	clear_plans(10, 65537, 5101);
}

Test(fftmap, clear_hypercube_2_12, .timeout = 300)
{
	clear_plans(12, 257, 5102);
}

/* on ciphertexts: StC in `groups` levels puts slot perm[k] at X^(d k), CtS takes it back */
static void
run_cts(unsigned logn, uint64_t p, unsigned groups, unsigned pmi, uint32_t stream)
{
	lathe_ctx *ctx = boot_ctx_wide(logn, p, 1, 2, 2 * groups + 2, 3);
	bgv_fix f;
	bgv_fix_init_ctx(&f, ctx, "factored maps", BGV_KEYS_NONE, NULL, 0, stream);
	lt_boot_fft *stc = NULL, *cts = NULL;
	BGV_OK(&f, lt_boot_fft_new(ctx, pmi, 0, groups, 1, &stc));
	BGV_OK(&f, lt_boot_fft_new(ctx, pmi, 1, groups, 1, &cts));
	uint64_t g[256];
	size_t n1 = 0, n2 = 0;
	BGV_OK(&f, lt_boot_fft_elts(stc, g, 256, &n1));
	BGV_OK(&f, lt_boot_fft_elts(cts, g + n1, 256 - n1, &n2));
	for (size_t i = 0; i < n1 + n2; i++)
		for (size_t j = 0; j < i; j++)
			if (i < n1 || j >= n1)
				cr_assert_neq(g[i], g[j], "lt_boot_fft_elts repeats %llu", (unsigned long long)g[i]);
	/* the StC elements alone: a missing key is refused, not skipped */
	lathe_evalkeys *ek1 = NULL, *ek = NULL;
	lathe_eval *ev1 = NULL, *ev = NULL;
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, n1, LATHE_EVALKEYS_GALOIS, &ek1));
	BGV_OK(&f, lathe_eval_new(ctx, ek1, &ev1));
	BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, n1 + n2, LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
	const lt_slots *sl = &ctx->pm[pmi].slots;
	const size_t l = sl->ell;
	const uint64_t t = ctx->pm[pmi].t;
	uint64_t *x = calloc(l, 8), *got = calloc(l, 8);
	for (size_t i = 0; i < l; i++)
		x[i] = test_rand(&f.g, t);
	lathe_pt *pt = bgv_pt(&f);
	lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
	BGV_OK(&f, lt_slots_encode(sl, pt->m, x));
	pt->pm = pmi;
	BGV_OK(&f, lathe_encrypt(f.pk, a, pt));
	const unsigned top = a->level;
	BGV_OK(&f, lt_boot_fft_apply(ev, b, a, stc));
	cr_assert_geq(b->level + groups, top, "StC in %u groups went from level %u to %u", groups, top, b->level);
	BGV_OK(&f, lathe_decrypt(f.sk, pt, b));
	const uint32_t *perm = lt_boot_fft_perm(stc);
	for (size_t k = 0; k < l; k++)
		cr_assert_eq(pt->m[k * sl->d], x[perm[k]], "after StC the coefficient of X^(d %zu) is not slot %u [%s]", k,
		             perm[k], f.desc);
	for (size_t j = 0; j < f.n; j++)
		if (j % sl->d)
			cr_assert_eq(pt->m[j], 0, "after StC X^%zu has a coefficient (not thin) [%s]", j, f.desc);
	BGV_OK(&f, lt_boot_fft_apply(ev, c, b, cts));
	BGV_OK(&f, lathe_decrypt(f.sk, pt, c));
	BGV_OK(&f, lt_slots_decode(sl, got, pt->m));
	for (size_t i = 0; i < l; i++)
		cr_assert_eq(got[i], x[i], "CtS after StC: slot %zu is %llu, was %llu [%s]", i, (unsigned long long)got[i],
		             (unsigned long long)x[i], f.desc);
	/* misuse */
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_fft_apply(ev, a, a, stc));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_fft_apply(ev, b, a, NULL));
	BGV_OK(&f, lt_boot_fft_apply(ev1, b, a, stc));
	BGV_FAILS(&f, LATHE_ENOKEY, lt_boot_fft_apply(ev1, c, b, cts));
	lathe_ct *u = bgv_ct(&f);
	for (size_t i = 0; i < l; i++)
		x[i] %= ctx->pm[0].t;
	bgv_encrypt_vec(&f, u, x, 1);
	if (u->pm != pmi)
		BGV_FAILS(&f, LATHE_EINVAL, lt_boot_fft_apply(ev, b, u, stc));
	lathe_ct_free(u);
	free(x);
	free(got);
	lathe_pt_free(pt);
	lathe_ct_free(a);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_eval_free(ev);
	lathe_eval_free(ev1);
	lathe_evalkeys_free(ek);
	lathe_evalkeys_free(ek1);
	lt_boot_fft_free(stc);
	lt_boot_fft_free(cts);
	bgv_fix_clear(&f);
}

Test(fftmap, hypercube_on_ciphertexts, .timeout = 300)
{
	run_cts(10, 257, 3, 0, 5200);
}

Test(fftmap, hypercube_under_pe, .timeout = 300)
{
	run_cts(10, 257, 2, 1, 5201);
}

Test(fftmap, full_on_ciphertexts, .timeout = 300)
{
	run_cts(10, 65537, 4, 0, 5202);
}

Test(fftmap, refusals)
{
	lathe_ctx *ctx = boot_ctx_wide(10, 257, 1, 2, 2, 2);
	lt_boot_fft *f = (lt_boot_fft *)1;
	const unsigned nl = log2sz(ctx->pm[0].slots.cols) + 1;
	cr_assert_eq(lt_boot_fft_new(ctx, 0, 0, 0, 1, &f), LATHE_EINVAL);
	cr_assert_null(f);
	cr_assert_eq(lt_boot_fft_new(ctx, 0, 0, nl + 1, 1, &f), LATHE_EINVAL);
	cr_assert_eq(lt_boot_fft_new(ctx, 7, 0, 1, 1, &f), LATHE_EINVAL);
	cr_assert_eq(lt_boot_fft_new(NULL, 0, 0, 1, 1, &f), LATHE_EINVAL);
	cr_assert_eq(lt_boot_fft_new(ctx, 0, 0, 1, 1, NULL), LATHE_EINVAL);
	lathe_ctx_free(ctx);
	/* the cyclic slots of p = 127 have one row: not this factoring */
	ctx = boot_ctx_wide(10, 127, 1, 2, 2, 2);
	cr_assert_eq(lt_boot_fft_new(ctx, 0, 0, 2, 1, &f), LATHE_EUNSUPPORTED);
	lathe_ctx_free(ctx);
}
