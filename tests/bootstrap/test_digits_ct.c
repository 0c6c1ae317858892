/*
 * Digit removal on ciphertexts (BOOTSTRAP.md §2 Step 7): thin slots hold
 * p m + j under p^e (m in Z_{p^r} encrypted, lifted by p^(e-r), j with
 * |j| <= B added as a plaintext under p^e); the lowest-digit removal
 * polynomial F evaluated by lathe_poly_eval under p^e, u - F(u), and the
 * division by p^(e-r) give back m in every slot, checked against the
 * plaintext m. With j = B + 1 in some slot, the result is wrong there:
 * the range is what the polynomial promises, no more.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

/* runs the removal on slots m (in [0, p^r)) and j (in [-B', B']); writes the decrypted slots to got */
static void
remove_digit(bgv_fix *f, unsigned B, const uint64_t *m, const int64_t *j, uint64_t *got)
{
	const lathe_ctx *ctx = f->ctx;
	const lt_slots *s0 = &ctx->pm[0].slots, *s1 = &ctx->pm[1].slots;
	const uint64_t p = ctx->pm[0].p, tr = ctx->pm[0].t, te = ctx->pm[1].t;
	const unsigned e = ctx->pm[1].r;
	const size_t n = f->n, l = s0->ell;
	uint64_t *v = calloc(l, 8);
	lathe_pt *pt = bgv_pt(f);
	lathe_ct *u = bgv_ct(f), *w = bgv_ct(f);
	/* Enc(m) under p^r, thin */
	BGV_OK(f, lt_slots_encode(s0, pt->m, m));
	pt->pm = 0;
	BGV_OK(f, lathe_encrypt(f->pk, u, pt));
	/* lifted: p^(e-r) m under p^e, plus j */
	BGV_OK(f, lt_ct_lift_plainmod(u, 1));
	for (size_t i = 0; i < l; i++)
		v[i] = j[i] < 0 ? te - (uint64_t)(-j[i]) : (uint64_t)j[i];
	BGV_OK(f, lt_slots_encode(s1, pt->m, v));
	pt->pm = 1;
	BGV_OK(f, lathe_ct_add_plain(f->ev, u, u, pt));
	cr_assert_eq(lathe_ct_plain_modulus(u), te);
	/* F(u) under p^e, u - F(u) = p^(e-r) m, divided */
	const size_t D = (size_t)e * (2 * B + 1);
	uint64_t *F = calloc(D, 8);
	size_t deg = 0;
	BGV_OK(f, lt_boot_digit_poly(p, e, B, F, D, &deg));
	lathe_polyeval_stats st;
	BGV_OK(f, lathe_poly_eval(f->ev, w, u, F, deg + 1, &st));
	BGV_OK(f, lathe_ct_sub(f->ev, w, u, w));
	BGV_OK(f, lt_ct_divide_plainmod(w, 0));
	cr_assert_eq(lathe_ct_plain_modulus(w), tr);
	BGV_OK(f, lathe_decrypt(f->sk, pt, w));
	cr_assert_eq(pt->pm, 0);
	BGV_OK(f, lt_slots_decode(s0, got, pt->m));
	(void)n;
	free(F);
	free(v);
	lathe_pt_free(pt);
	lathe_ct_free(u);
	lathe_ct_free(w);
}

static const struct {
	unsigned logn;
	uint64_t p;
	unsigned r, e, B, depth;
} CASES[] = {
	{ 10, 257, 1, 2, 8, 12 }, /* 128 thin slots, deg F = 33 */
	{ 11, 17, 2, 3, 3, 12 },  /* r = 2: 8 thin slots mod 17^2, F mod 17^3 of degree <= 20 */
	{ 10, 127, 1, 2, 5, 12 }, /* p = 3 mod 4: the cyclic slots */
};

Test(digits_ct, removal_on_ciphertexts, .timeout = 600)
{
	for (size_t ci = 0; ci < sizeof(CASES) / sizeof(CASES[0]); ci++) {
		bgv_fix f;
		lathe_ctx *ctx = boot_ctx(CASES[ci].logn, CASES[ci].p, CASES[ci].r, CASES[ci].e, NULL, CASES[ci].depth, 2);
		bgv_fix_init_ctx(&f, ctx, "digit removal", BGV_KEYS_DEFAULT, NULL, 0, 3400 + (uint32_t)ci);
		const size_t l = ctx->pm[0].slots.ell;
		const uint64_t tr = ctx->pm[0].t;
		const unsigned B = CASES[ci].B;
		uint64_t *m = calloc(l, 8), *got = calloc(l, 8);
		int64_t *j = calloc(l, 8);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			for (size_t i = 0; i < l; i++) {
				m[i] = test_rand(&f.g, tr);
				/* every j of the range, the ends included, then random ones */
				j[i] = i < 2 * B + 1 ? (int64_t)i - (int64_t)B : (int64_t)test_rand(&f.g, 2 * B + 1) - (int64_t)B;
			}
			remove_digit(&f, B, m, j, got);
			for (size_t i = 0; i < l; i++)
				cr_assert_eq(got[i], m[i], "p = %llu: slot %zu (j = %lld): %llu, expected %llu [%s]",
				             (unsigned long long)CASES[ci].p, i, (long long)j[i], (unsigned long long)got[i],
				             (unsigned long long)m[i], f.desc);
		}
		/* one past the range: F promises nothing there, and some slot shows it */
		for (size_t i = 0; i < l; i++) {
			m[i] = test_rand(&f.g, tr);
			j[i] = (i & 1) ? (int64_t)B + 1 : -(int64_t)B - 1;
		}
		remove_digit(&f, B, m, j, got);
		size_t wrong = 0;
		for (size_t i = 0; i < l; i++)
			wrong += got[i] != m[i];
		cr_assert_gt(wrong, 0, "p = %llu: j = +-(B + 1) in every slot and still every slot right [%s]",
		             (unsigned long long)CASES[ci].p, f.desc);
		free(m);
		free(got);
		free(j);
		bgv_fix_clear(&f);
	}
}
