/*
 * Step 5, the slot-wise trace (src/bootstrap/trace.c), on ciphertexts
 * under p^e holding arbitrary (not thin) plaintexts, as after Step 4:
 * against the sum over <p> of the automorphisms computed in the clear,
 * and for p = 1 mod 4 against d times the projection onto Z[X^d]. The
 * result of the trace is thin (fixed by X -> X^p).
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

/* o += z(X^g) mod (X^N + 1, q) */
static void
add_automorph(uint64_t *o, const uint64_t *z, uint64_t g, size_t n, uint64_t q)
{
	for (size_t j = 0; j < n; j++) {
		const uint64_t k = (uint64_t)j * g % (2 * n);
		const uint64_t v = z[j] % q;
		if (k < n)
			o[k] = (o[k] + v) % q;
		else
			o[k - n] = (o[k - n] + q - v) % q;
	}
}

static const struct {
	unsigned logn;
	uint64_t p;
	unsigned r, e;
} CASES[] = {
	{ 10, 257, 1, 2 }, /* d = 8 */
	{ 11, 17, 2, 3 },  /* d = 256 */
	{ 10, 127, 1, 2 }, /* p = 3 mod 4 */
};

Test(trace, sum_over_the_frobenius_group, .timeout = 300)
{
	for (size_t ci = 0; ci < sizeof(CASES) / sizeof(CASES[0]); ci++) {
		bgv_fix f;
		lathe_ctx *ctx = boot_ctx(CASES[ci].logn, CASES[ci].p, CASES[ci].r, CASES[ci].e, NULL, 3, 2);
		bgv_fix_init_ctx(&f, ctx, "trace", BGV_KEYS_NONE, NULL, 0, 3600 + (uint32_t)ci);
		const size_t n = f.n, d = ctx->pm[0].slots.d;
		const uint64_t te = ctx->pm[1].t, M = 2 * (uint64_t)n;
		uint64_t g[64];
		size_t ng = 0;
		BGV_OK(&f, lt_boot_trace_elts(ctx, g, 64, &ng));
		size_t logd = 0;
		while (((size_t)1 << logd) < d)
			logd++;
		cr_assert_eq(ng, logd, "%zu trace elements for d = %zu [%s]", ng, d, f.desc);
		lathe_evalkeys *ek = NULL;
		lathe_eval *ev = NULL;
		BGV_OK(&f, lathe_evalkeys_new_galois(ctx, f.sk, g, ng, LATHE_EVALKEYS_GALOIS, &ek));
		BGV_OK(&f, lathe_eval_new(ctx, ek, &ev));
		uint64_t *z = bgv_vec(&f), *want = bgv_vec(&f);
		lathe_pt *pt = bgv_pt(&f);
		lathe_ct *u = bgv_ct(&f), *tmp = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			test_rand_vec(&f.g, z, n, te);
			memcpy(pt->m, z, n * 8);
			pt->pm = 1;
			memset(pt->keyid, 0, sizeof(pt->keyid));
			BGV_OK(&f, lathe_encrypt_sk(f.sk, u, pt));
			BGV_OK(&f, lt_boot_trace(ev, u, tmp));
			BGV_OK(&f, lathe_decrypt(f.sk, pt, u));
			/* the clear model: the sum of z(X^x) over the d elements x = p^k mod 2N */
			memset(want, 0, n * 8);
			uint64_t x = 1;
			for (size_t k = 0; k < d; k++) {
				add_automorph(want, z, x, n, te);
				x = x * (CASES[ci].p % M) % M;
			}
			cr_assert_eq(x, 1, "p^d is not 1 mod 2N [%s]", f.desc);
			for (size_t i = 0; i < n; i++)
				cr_assert_eq(pt->m[i], want[i], "p = %llu: coefficient %zu is %llu, the clear trace %llu [%s]",
				             (unsigned long long)CASES[ci].p, i, (unsigned long long)pt->m[i],
				             (unsigned long long)want[i], f.desc);
			if (CASES[ci].p % 4 == 1)
				for (size_t i = 0; i < n; i++) {
					const uint64_t proj = i % d == 0 ? z[i] * (d % te) % te : 0;
					cr_assert_eq(pt->m[i], proj, "coefficient %zu is not d times the projection [%s]", i, f.desc);
				}
			/* thin: fixed by X -> X^p */
			memset(want, 0, n * 8);
			add_automorph(want, pt->m, CASES[ci].p % M, n, te);
			cr_assert(memcmp(want, pt->m, n * 8) == 0, "the trace is not fixed by the Frobenius [%s]", f.desc);
		}
		lathe_ct_free(u);
		lathe_ct_free(tmp);
		lathe_pt_free(pt);
		free(z);
		free(want);
		lathe_eval_free(ev);
		lathe_evalkeys_free(ek);
		bgv_fix_clear(&f);
	}
}
