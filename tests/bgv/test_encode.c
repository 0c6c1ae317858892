/*
 * Encoding: batch (signed and unsigned) and coefficient round trips on
 * random data and at the edges of the ranges, range and length checks,
 * and the link between the two encodings (a constant vector of slots is
 * the constant polynomial).
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "bgv/bgv_util.h"

static const bgv_pset *const ENC_SETS[] = {
	&BGV_INSECURE_ARITH[0], &BGV_INSECURE_ARITH[1], &BGV_INSECURE_ARITH[2],
};

Test(encode, batch_round_trips_signed_and_unsigned)
{
	for (size_t si = 0; si < 3; si++) {
		bgv_fix f;
		bgv_fix_init(&f, ENC_SETS[si], BGV_KEYS_NONE, NULL, 0, 100 + (uint32_t)si);
		size_t n = f.slots;
		int64_t h = (int64_t)((f.t - 1) / 2);
		int64_t *v = malloc(n * 8), *back = malloc(n * 8);
		uint64_t *u = bgv_vec(&f), *ub = bgv_vec(&f);
		lathe_pt *pt = bgv_pt(&f);
		for (unsigned trial = 0; trial < test_mult(4); trial++) {
			for (size_t i = 0; i < n; i++)
				v[i] = (int64_t)test_rand(&f.g, f.t) - h;
			/* the edges: +-(t-1)/2, 0, +-1 */
			v[0] = h;
			v[1] = -h;
			v[2] = 0;
			v[n - 1] = -1;
			v[n / 2] = 1;
			BGV_OK(&f, lathe_encode(pt, v, n));
			memset(back, 0x5a, n * 8);
			BGV_OK(&f, lathe_decode(back, n, pt));
			for (size_t i = 0; i < n; i++)
				cr_assert_eq(back[i], v[i], "signed slot %zu: got %lld want %lld [%s]", i,
				             (long long)back[i], (long long)v[i], f.desc);
			/* unsigned view of the same plaintext */
			BGV_OK(&f, lathe_decode_u64(ub, n, pt));
			for (size_t i = 0; i < n; i++)
				cr_assert_eq(ub[i], pm_reduce(v[i], f.t), "u64 view of slot %zu [%s]", i, f.desc);

			bgv_rand(&f, u);
			u[0] = f.t - 1;
			u[1] = 0;
			u[2] = (f.t - 1) / 2;
			u[3] = (f.t + 1) / 2;
			BGV_OK(&f, lathe_encode_u64(pt, u, n));
			BGV_OK(&f, lathe_decode_u64(ub, n, pt));
			cr_assert_arr_eq(ub, u, n * 8, "unsigned round trip [%s]", f.desc);
			BGV_OK(&f, lathe_decode(back, n, pt));
			for (size_t i = 0; i < n; i++) {
				int64_t want = u[i] > (uint64_t)h ? (int64_t)u[i] - (int64_t)f.t : (int64_t)u[i];
				cr_assert_eq(back[i], want, "centered view of slot %zu: got %lld want %lld [%s]", i,
				             (long long)back[i], (long long)want, f.desc);
			}
		}
		lathe_pt_free(pt);
		free(v);
		free(back);
		free(u);
		free(ub);
		bgv_fix_clear(&f);
	}
}

Test(encode, short_inputs_fill_zeros_and_short_outputs_are_prefixes)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 110);
	size_t n = f.slots;
	int64_t v[5] = { 3, -4, 5, -6, 7 };
	int64_t *back = malloc(n * 8);
	lathe_pt *pt = bgv_pt(&f);
	/* overwrite a full plaintext, then a short one: the rest must be 0, not left over */
	uint64_t *u = bgv_vec(&f);
	bgv_rand(&f, u);
	BGV_OK(&f, lathe_encode_u64(pt, u, n));
	BGV_OK(&f, lathe_encode(pt, v, 5));
	BGV_OK(&f, lathe_decode(back, n, pt));
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(back[i], i < 5 ? v[i] : 0, "slot %zu = %lld [%s]", i, (long long)back[i], f.desc);
	int64_t three[3];
	BGV_OK(&f, lathe_decode(three, 3, pt));
	cr_assert_arr_eq(three, v, sizeof(three));
	BGV_OK(&f, lathe_encode(pt, v, 0)); /* all zero */
	BGV_OK(&f, lathe_decode(back, n, pt));
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(back[i], 0, "empty encode left slot %zu = %lld [%s]", i, (long long)back[i], f.desc);
	lathe_pt_free(pt);
	free(back);
	free(u);
	bgv_fix_clear(&f);
}

Test(encode, out_of_range_and_too_long_are_einval)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 111);
	size_t n = f.slots;
	int64_t h = (int64_t)((f.t - 1) / 2);
	int64_t *v = calloc(n + 1, 8);
	uint64_t *u = calloc(n + 1, 8);
	lathe_pt *pt = bgv_pt(&f);
	v[7] = h + 1;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, v, n));
	v[7] = -h - 1;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, v, n));
	v[7] = INT64_MIN;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, v, n));
	v[7] = INT64_MAX;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, v, n));
	v[7] = 0;
	u[n - 1] = f.t;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_u64(pt, u, n));
	u[n - 1] = UINT64_MAX;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_u64(pt, u, n));
	u[n - 1] = 0;
	/* n > slots */
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, v, n + 1));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_u64(pt, u, n + 1));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_decode(v, n + 1, pt));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_decode_u64(u, n + 1, pt));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_coeffs(pt, v, n + 1));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_decode_coeffs(v, n + 1, pt));
	v[3] = h;
	BGV_OK(&f, lathe_encode_coeffs(pt, v, 8));
	/* NULL data with n > 0 */
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, NULL, 4));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_decode(NULL, 4, pt));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_coeffs(pt, NULL, 4));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_decode_coeffs(NULL, 4, pt));
	/* a refused encode leaves the plaintext usable */
	BGV_OK(&f, lathe_encode(pt, v, 8));
	lathe_pt_free(pt);
	free(v);
	free(u);
	bgv_fix_clear(&f);
}

Test(encode, coefficient_round_trips_for_any_t)
{
	for (size_t si = 0; si < BGV_N_COEFF; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_COEFF[si], BGV_KEYS_NONE, NULL, 0, 120 + (uint32_t)si);
		size_t n = f.n;
		int64_t h = (int64_t)((f.t - 1) / 2);
		int64_t *v = malloc(n * 8), *back = malloc(n * 8);
		lathe_pt *pt = bgv_pt(&f);
		for (unsigned trial = 0; trial < test_mult(3); trial++) {
			for (size_t i = 0; i < n; i++)
				v[i] = (int64_t)test_rand(&f.g, (uint64_t)(2 * h + 1)) - h;
			v[0] = h;
			v[1] = -h;
			v[2] = 0;
			BGV_OK(&f, lathe_encode_coeffs(pt, v, n));
			BGV_OK(&f, lathe_decode_coeffs(back, n, pt));
			for (size_t i = 0; i < n; i++)
				cr_assert_eq(back[i], v[i], "coefficient %zu: got %lld want %lld [%s]", i,
				             (long long)back[i], (long long)v[i], f.desc);
		}
		lathe_pt_free(pt);
		free(v);
		free(back);
		bgv_fix_clear(&f);
	}
}

Test(encode, constant_slots_are_the_constant_polynomial)
{
	for (size_t si = 0; si < 3; si++) {
		bgv_fix f;
		bgv_fix_init(&f, ENC_SETS[si], BGV_KEYS_NONE, NULL, 0, 130 + (uint32_t)si);
		size_t n = f.n;
		int64_t *v = malloc(n * 8), *back = malloc(n * 8);
		lathe_pt *pt = bgv_pt(&f);
		int64_t c = (int64_t)test_rand(&f.g, (f.t - 1) / 2) + 1;
		for (size_t i = 0; i < n; i++)
			v[i] = -c;
		BGV_OK(&f, lathe_encode(pt, v, n));
		BGV_OK(&f, lathe_decode_coeffs(back, n, pt));
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(back[i], i == 0 ? -c : 0, "all slots %lld: coefficient %zu = %lld [%s]",
			             (long long)-c, i, (long long)back[i], f.desc);
		memset(v, 0, n * 8);
		v[0] = c;
		BGV_OK(&f, lathe_encode_coeffs(pt, v, 1));
		BGV_OK(&f, lathe_decode(back, n, pt));
		for (size_t i = 0; i < n; i++)
			cr_assert_eq(back[i], c, "constant polynomial %lld: slot %zu = %lld [%s]", (long long)c, i,
			             (long long)back[i], f.desc);
		lathe_pt_free(pt);
		free(v);
		free(back);
		bgv_fix_clear(&f);
	}
}

/* every plaintext modulus the test sets use, plus even and tiny ones */
static const bgv_pset EXTRA_T[] = {
	{ "insecure-n1024-t2-coeff", 10, 2, 1, 2, 2, NULL, 0, NULL, 0 },
	{ "insecure-n1024-t2^2-coeff", 10, 2, 2, 2, 2, NULL, 0, NULL, 0 },
	{ "insecure-n1024-t2^8-coeff", 10, 2, 8, 2, 2, NULL, 0, NULL, 0 },
	{ "insecure-n1024-t3-coeff", 10, 3, 1, 2, 2, NULL, 0, NULL, 0 },
	{ "insecure-n1024-t2^20-coeff", 10, 2, 20, 2, 2, NULL, 0, NULL, 0 },
};

static void
round_trip_boundaries(const bgv_pset *ps)
{
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_NONE, NULL, 0, 140);
	const size_t n = f.n;
	const int64_t lo = -(int64_t)((f.t - 1) / 2), hi = (int64_t)(f.t - 1) + lo;
	int64_t *v = malloc(n * 8), *back = malloc(n * 8);
	lathe_pt *pt = bgv_pt(&f);
	/* both ends of the range, their neighbours inside, and random values */
	for (size_t i = 0; i < n; i++)
		v[i] = lo + (int64_t)test_rand(&f.g, f.t);
	int64_t edge[] = { lo, hi, 0, lo + 1 <= hi ? lo + 1 : lo, hi - 1 >= lo ? hi - 1 : hi };
	for (size_t i = 0; i < 5; i++)
		v[i] = edge[i];
	BGV_OK(&f, lathe_encode_coeffs(pt, v, n));
	BGV_OK(&f, lathe_decode_coeffs(back, n, pt));
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(back[i], v[i], "coefficient %zu: got %lld want %lld [%s]", i, (long long)back[i],
		             (long long)v[i], f.desc);
	/* what decoding returns, encoding takes back */
	BGV_OK(&f, lathe_encode_coeffs(pt, back, n));
	if (f.slots) {
		const size_t ns = f.slots < n ? f.slots : n;
		BGV_OK(&f, lathe_encode(pt, v, ns));
		BGV_OK(&f, lathe_decode(back, ns, pt));
		for (size_t i = 0; i < ns; i++)
			cr_assert_eq(back[i], v[i], "slot %zu: got %lld want %lld [%s]", i, (long long)back[i],
			             (long long)v[i], f.desc);
		BGV_OK(&f, lathe_encode(pt, back, ns));
	}
	lathe_pt_free(pt);
	free(v);
	free(back);
	bgv_fix_clear(&f);
}

Test(encode, decode_range_equals_encode_range_for_every_t)
{
	const bgv_pset *sets[64];
	size_t k = 0;
	sets[k++] = &BGV_INSECURE_N1024;
	for (size_t i = 0; i < BGV_N_ARITH; i++)
		sets[k++] = &BGV_INSECURE_ARITH[i];
	for (size_t i = 0; i < BGV_N_DEPTH; i++)
		sets[k++] = &BGV_INSECURE_DEPTH[i];
	for (size_t i = 0; i < BGV_N_COEFF; i++)
		sets[k++] = &BGV_INSECURE_COEFF[i];
	for (size_t i = 0; i < sizeof(EXTRA_T) / sizeof(EXTRA_T[0]); i++)
		sets[k++] = &EXTRA_T[i];
	for (size_t i = 0; i < k; i++)
		round_trip_boundaries(sets[i]);
}
