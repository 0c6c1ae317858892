/*
 * Galois keys by element: lathe_ct_automorph against the ring map
 * m(X) -> m(X^g) mod (X^N + 1, t) for elements that are rotations, the row
 * swap and elements that are neither, with and without batching; rotations
 * composed from element keys; the element helpers; refusals.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "bgv/bgv_util.h"

/* o = a(X^g) mod (X^N + 1, t), coefficient vectors */
static void
ring_map(uint64_t *o, const uint64_t *a, size_t n, uint64_t g, uint64_t t)
{
	for (size_t i = 0; i < n; i++)
		o[i] = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t e = (uint64_t)i * g % (2 * n); /* i < 2^17, g < 2^18 */
		if (e < n)
			o[e] = (o[e] + a[i]) % t;
		else
			o[e - n] = (o[e - n] + t - a[i]) % t;
	}
}

static void
encrypt_coeffs(bgv_fix *f, lathe_ct *ct, const uint64_t *v)
{
	int64_t *s = malloc(f->n * sizeof(int64_t));
	/* the range encoding takes: [-(t-1)/2, t-1-(t-1)/2], i.e. values above t/2 go negative */
	const int64_t h = (int64_t)(f->t / 2);
	for (size_t i = 0; i < f->n; i++)
		s[i] = (int64_t)v[i] > h ? (int64_t)v[i] - (int64_t)f->t : (int64_t)v[i];
	lathe_pt *pt = bgv_pt(f);
	BGV_OK(f, lathe_encode_coeffs(pt, s, f->n));
	BGV_OK(f, lathe_encrypt(f->pk, ct, pt));
	lathe_pt_free(pt);
	free(s);
}

Test(automorph, element_keys_apply_the_ring_map_with_any_t)
{
	const bgv_pset *sets[] = { &BGV_INSECURE_COEFF[0], &BGV_INSECURE_COEFF[2], &BGV_INSECURE_N1024 };
	for (size_t si = 0; si < 3; si++) {
		bgv_fix f;
		bgv_fix_init(&f, sets[si], BGV_KEYS_NONE, NULL, 0, 900 + (uint32_t)si);
		const uint64_t m = 2 * f.n;
		/* rotations (1 mod 4), the row swap, and -5^k, 3, 7: no rotation */
		uint64_t elts[] = { 5, 25, m - 1, m - 5, 3, 7, m - 3 };
		const size_t ne = sizeof(elts) / sizeof(elts[0]);
		lathe_evalkeys *ek;
		lathe_eval *ev;
		BGV_OK(&f, lathe_evalkeys_new_galois(f.ctx, f.sk, elts, ne, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS,
		                                     &ek));
		BGV_OK(&f, lathe_eval_new(f.ctx, ek, &ev));
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f);
		for (size_t i = 0; i < f.n; i++)
			v[i] = test_rand(&f.g, f.t);
		lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
		encrypt_coeffs(&f, a, v);
		for (size_t i = 0; i < ne; i++) {
			cr_assert(lathe_evalkeys_has_galois(ek, elts[i]));
			BGV_OK(&f, lathe_ct_automorph(ev, c, a, elts[i]));
			ring_map(w, v, f.n, elts[i], f.t);
			char what[64];
			snprintf(what, sizeof what, "X -> X^%llu", (unsigned long long)elts[i]);
			bgv_check_coeffs(&f, c, w, what);
			bgv_check_estimate(&f, c, what);
		}
		/* in place, and the identity */
		BGV_OK(&f, lathe_ct_copy(c, a));
		BGV_OK(&f, lathe_ct_automorph(ev, c, c, 3));
		ring_map(w, v, f.n, 3, f.t);
		bgv_check_coeffs(&f, c, w, "X -> X^3 in place");
		BGV_OK(&f, lathe_ct_automorph(ev, c, a, 1));
		bgv_check_coeffs(&f, c, v, "X -> X^1");
		/* refusals */
		BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_automorph(ev, c, a, 9));
		BGV_FAILS(&f, LATHE_EINVAL, lathe_ct_automorph(ev, c, a, 4));
		BGV_FAILS(&f, LATHE_EINVAL, lathe_ct_automorph(ev, c, a, m + 1));
		BGV_FAILS(&f, LATHE_EINVAL, lathe_ct_automorph(NULL, c, a, 3));
		lathe_ct_free(a);
		lathe_ct_free(c);
		free(v);
		free(w);
		lathe_eval_free(ev);
		lathe_evalkeys_free(ek);
		bgv_fix_clear(&f);
	}
}

Test(automorph, elements_of_rotations_and_the_row_swap_match_the_slot_ops)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 910);
	const size_t n = f.slots;
	uint64_t g1, g3, gs, g0;
	BGV_OK(&f, lathe_galois_elt_rotation(f.ctx, 1, &g1));
	BGV_OK(&f, lathe_galois_elt_rotation(f.ctx, -3, &g3));
	BGV_OK(&f, lathe_galois_elt_row_swap(f.ctx, &gs));
	BGV_OK(&f, lathe_galois_elt_rotation(f.ctx, (int)n / 2, &g0));
	cr_assert_eq(g1, 5);
	cr_assert_eq(gs, 2 * f.n - 1);
	cr_assert_eq(g0, 1, "a rotation by N/2 is the identity");
	/* the element of -3 is 5^(N/2 - 3) mod 2N */
	uint64_t x = 1;
	for (size_t i = 0; i < n / 2 - 3; i++)
		x = x * 5 % (2 * f.n);
	cr_assert_eq(g3, x);
	cr_assert_eq(lathe_galois_elt_rotation(NULL, 1, &g1), LATHE_EINVAL);
	cr_assert_eq(lathe_galois_elt_row_swap(f.ctx, NULL), LATHE_EINVAL);
	/* a swap-and-rotate element, which no rotation step names */
	const uint64_t gsr = (gs * g1) % (2 * f.n);
	uint64_t elts[] = { g1, gs, gsr };
	lathe_evalkeys *ek;
	lathe_eval *ev;
	BGV_OK(&f, lathe_evalkeys_new_galois(f.ctx, f.sk, elts, 3, LATHE_EVALKEYS_GALOIS, &ek));
	BGV_OK(&f, lathe_eval_new(f.ctx, ek, &ev));
	cr_assert(lathe_evalkeys_has_rotation(ek, 1) && lathe_evalkeys_has_rotation(ek, 0));
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f), *d = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_OK(&f, lathe_ct_automorph(ev, c, a, g1));
	BGV_OK(&f, lathe_ct_rotate(ev, d, a, 1));
	pm_rotate(r, v, 1, n);
	bgv_check(&f, c, r, "automorph(5)");
	bgv_check(&f, d, r, "rotate(1) with an element key");
	BGV_OK(&f, lathe_ct_automorph(ev, c, a, gsr));
	pm_swap_rows(r, v, n);
	pm_rotate(r, r, 1, n);
	bgv_check(&f, c, r, "automorph(-5): swap and rotate");
	/* rotations compose from the rotation key alone; the swap-and-rotate key is not a step */
	BGV_OK(&f, lathe_ct_rotate(ev, d, a, 3));
	pm_rotate(r, v, 3, n);
	bgv_check(&f, d, r, "rotate(3) composed from the key of 5");
	lathe_evalkeys *bad = NULL;
	BGV_FAILS(&f, LATHE_EINVAL,
	          lathe_evalkeys_new_galois(f.ctx, f.sk, (const uint64_t[]){ 1 }, 1, LATHE_EVALKEYS_GALOIS, &bad));
	cr_assert_null(bad);
	BGV_FAILS(&f, LATHE_EINVAL,
	          lathe_evalkeys_new_galois(f.ctx, f.sk, (const uint64_t[]){ 6 }, 1, LATHE_EVALKEYS_GALOIS, &bad));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_evalkeys_new_galois(f.ctx, f.sk, (const uint64_t[]){ 2 * f.n + 1 }, 1,
	                                                      LATHE_EVALKEYS_GALOIS, &bad));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_evalkeys_new_galois(f.ctx, f.sk, NULL, 1, LATHE_EVALKEYS_GALOIS, &bad));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_evalkeys_new_galois(f.ctx, f.sk, elts, 1, 0, &bad));
	cr_assert_null(bad);
	lathe_ct_free(a);
	lathe_ct_free(c);
	lathe_ct_free(d);
	free(v);
	free(r);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	bgv_fix_clear(&f);
	lathe_evalkeys_free(NULL);
}
