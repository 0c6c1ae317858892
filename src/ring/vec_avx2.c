/*
 * AVX2+FMA pointwise kernels mod q < 2^50 (DESIGN §3): exact products with
 * FMA (van der Hoeven, Lecerf, Quintin, "Modular SIMD arithmetic in
 * Mathemagix", ACM TOMS 2016), uint64 <-> double by the 2^52 trick.
 *
 * Ranges (eps-style bounds as in ntt_avx2.c). For a, b in [0, q):
 * h = fl(ab), l = ab - h (exact by fma), c = round(h * qinv) computed in one
 * fma rounding with C = 1.5 * 2^52 (|h * qinv| < q < 2^51, so the ulp there
 * is 1). |h qinv - ab/q| <= |l|/q + ab |qinv - 1/q| <= 2 * 2^-53 q < 1/4,
 * hence r = (h - cq) + l = ab - cq with |r| < 3q/4: both steps are exact
 * integers below 2^52. One conditional add of q (mask from the sign) makes
 * it canonical. For the scalar kernel the constant is balanced, |cb| <=
 * (q-1)/2, and its quotient cbq = fl(cb/q) precomputed (Shoup-like):
 * round(a * cbq) is within 1/2 + a 2^-54 of a cb / q, so |r| <= q/2 +
 * a q 2^-54 < 9q/16.
 */
#include "ntt_avx2.h"

#include <immintrin.h>

#define LT_AI static inline __attribute__((always_inline))

#define TWO52 4503599627370496.0       /* 2^52 */
#define MAGIC 6755399441055744.0       /* 1.5 * 2^52 */
#define TWO52_BITS 0x4330000000000000  /* bits of 2^52 */

typedef struct vk {
	__m256d q, qinv, C, two52;
	__m256i two52i;
} vk;

LT_AI vk
vk_make(uint64_t q)
{
	vk k;
	k.q = _mm256_set1_pd((double)q);
	k.qinv = _mm256_set1_pd(1.0 / (double)q);
	k.C = _mm256_set1_pd(MAGIC);
	k.two52 = _mm256_set1_pd(TWO52);
	k.two52i = _mm256_set1_epi64x(TWO52_BITS);
	return k;
}

/* words < 2^52 to doubles, exactly */
LT_AI __m256d
to_d(__m256i v, vk k)
{
	return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(v, k.two52i)), k.two52);
}

/* |r| < q (integer-valued) to the canonical word r mod q */
LT_AI __m256i
to_u(__m256d r, vk k)
{
	__m256d neg = _mm256_cmp_pd(r, _mm256_setzero_pd(), _CMP_LT_OQ);
	__m256d y = _mm256_add_pd(_mm256_add_pd(r, k.two52), _mm256_and_pd(neg, k.q));
	return _mm256_xor_si256(_mm256_castpd_si256(y), k.two52i);
}

/* a*b - c*q with |.| < 3q/4 for a, b in [0, q) */
LT_AI __m256d
mulmod_d(__m256d a, __m256d b, vk k)
{
	__m256d h = _mm256_mul_pd(a, b);
	__m256d l = _mm256_fmsub_pd(a, b, h);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(h, k.qinv, k.C), k.C);
	return _mm256_add_pd(_mm256_fnmadd_pd(c, k.q, h), l);
}

/* x*w - c*q with |.| < 9q/16 for x in [0, q), w balanced, wq = fl(w/q) */
LT_AI __m256d
mulw_d(__m256d x, __m256d w, __m256d wq, vk k)
{
	__m256d h = _mm256_mul_pd(x, w);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(x, wq, k.C), k.C);
	__m256d l = _mm256_fmsub_pd(x, w, h);
	return _mm256_add_pd(_mm256_fnmadd_pd(c, k.q, h), l);
}

/* lane mask for the n < 4 words of a tail */
LT_AI __m256i
tail_mask(size_t n)
{
	const __m256i idx = _mm256_setr_epi64x(0, 1, 2, 3);
	return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n), idx);
}

LT_AI __m256i
ldu(const uint64_t *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

LT_AI void
stu(uint64_t *p, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)p, v);
}

LT_AI __m256i
ldm(const uint64_t *p, __m256i m)
{
	return _mm256_maskload_epi64((const long long *)(const void *)p, m);
}

LT_AI void
stm(uint64_t *p, __m256i m, __m256i v)
{
	_mm256_maskstore_epi64((long long *)(void *)p, m, v);
}

/*
 * r[i] = a[i] * b[i] mod q for i < n. a, b in [0, q), q < 2^50; result in
 * [0, q). r may alias a or b. CT: yes (the tail length is public).
 */
void
lt_vec_mul_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	const vk k = vk_make(q);
	size_t i = 0;
	for (; i + 4 <= n; i += 4) {
		__m256d x = to_d(ldu(a + i), k), y = to_d(ldu(b + i), k);
		stu(r + i, to_u(mulmod_d(x, y, k), k));
	}
	if (i < n) {
		const __m256i m = tail_mask(n - i);
		__m256d x = to_d(ldm(a + i, m), k), y = to_d(ldm(b + i, m), k);
		stm(r + i, m, to_u(mulmod_d(x, y, k), k));
	}
}

/*
 * r + a*b mod q for canonical r, a, b: X = 2^52 + r + (ab - cq) is exact
 * (|r + ab - cq| < 7q/4 < 2^51); floor((X - 2^52)/q) comes from one fma
 * rounding of (X - 2^52 - (q-1)/2) * qinv, exactly as canon() in
 * ntt_avx2.c, and X - floor * q = 2^52 + (result in [0, q)).
 */
LT_AI __m256i
mac_step(__m256i rv, __m256i av, __m256i bv, __m256d off, vk k)
{
	__m256d rb = _mm256_castsi256_pd(_mm256_or_si256(rv, k.two52i)); /* 2^52 + r */
	__m256d X = _mm256_add_pd(mulmod_d(to_d(av, k), to_d(bv, k), k), rb);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(_mm256_sub_pd(X, off), k.qinv, k.C), k.C);
	__m256d y = _mm256_fnmadd_pd(c, k.q, X);
	return _mm256_xor_si256(_mm256_castpd_si256(y), k.two52i);
}

/*
 * r[i] = r[i] + a[i] * b[i] mod q for i < n. All inputs in [0, q),
 * q < 2^50; result in [0, q). r may alias a or b. CT: yes.
 */
void
lt_vec_mac_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	const vk k = vk_make(q);
	const __m256d off = _mm256_set1_pd(TWO52 + (double)((q - 1) / 2));
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		stu(r + i, mac_step(ldu(r + i), ldu(a + i), ldu(b + i), off, k));
	if (i < n) {
		const __m256i m = tail_mask(n - i);
		stm(r + i, m, mac_step(ldm(r + i, m), ldm(a + i, m), ldm(b + i, m), off, k));
	}
}

/*
 * r[i] = a[i] * c mod q for i < n. a in [0, q), c < q < 2^50; result in
 * [0, q). r may alias a. CT: yes (c is handled branch-free; its balanced
 * form is selected arithmetically).
 */
void
lt_vec_mul_scalar_avx2(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, uint64_t q)
{
	const vk k = vk_make(q);
	/* balanced c: c - q when c > (q-1)/2, without a branch */
	uint64_t big = (uint64_t)0 - (uint64_t)(((q - 1) / 2 - c) >> 63);
	double cb = (double)(int64_t)(c - (q & big));
	const __m256d w = _mm256_set1_pd(cb), wq = _mm256_set1_pd(cb / (double)q);
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		stu(r + i, to_u(mulw_d(to_d(ldu(a + i), k), w, wq, k), k));
	if (i < n) {
		const __m256i m = tail_mask(n - i);
		stm(r + i, m, to_u(mulw_d(to_d(ldm(a + i, m), k), w, wq, k), k));
	}
}

/*
 * The key-switching inner product's step for one digit: r0 += a*b0 and
 * r1 += a*b1 (or r0 = a*b0, r1 = a*b1 when `first`), reading a once.
 * Inputs in [0, q), q < 2^50; results in [0, q). r0, r1 must not alias a.
 * CT: yes.
 */
void
lt_vec_mac2_avx2(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1,
                 size_t n, uint64_t q, int first)
{
	const vk k = vk_make(q);
	const __m256d off = _mm256_set1_pd(TWO52 + (double)((q - 1) / 2));
	size_t i = 0;
	if (first) {
		for (; i + 4 <= n; i += 4) {
			__m256d x = to_d(ldu(a + i), k);
			stu(r0 + i, to_u(mulmod_d(x, to_d(ldu(b0 + i), k), k), k));
			stu(r1 + i, to_u(mulmod_d(x, to_d(ldu(b1 + i), k), k), k));
		}
		if (i < n) {
			const __m256i m = tail_mask(n - i);
			__m256d x = to_d(ldm(a + i, m), k);
			stm(r0 + i, m, to_u(mulmod_d(x, to_d(ldm(b0 + i, m), k), k), k));
			stm(r1 + i, m, to_u(mulmod_d(x, to_d(ldm(b1 + i, m), k), k), k));
		}
		return;
	}
	for (; i + 4 <= n; i += 4) {
		__m256i av = ldu(a + i);
		stu(r0 + i, mac_step(ldu(r0 + i), av, ldu(b0 + i), off, k));
		stu(r1 + i, mac_step(ldu(r1 + i), av, ldu(b1 + i), off, k));
	}
	if (i < n) {
		const __m256i m = tail_mask(n - i);
		__m256i av = ldm(a + i, m);
		stm(r0 + i, m, mac_step(ldm(r0 + i, m), av, ldm(b0 + i, m), off, k));
		stm(r1 + i, m, mac_step(ldm(r1 + i, m), av, ldm(b1 + i, m), off, k));
	}
}

/* balanced constant c and its quotient c/q, without a branch on c */
LT_AI void
balanced(uint64_t c, uint64_t q, __m256d *w, __m256d *wq)
{
	uint64_t big = (uint64_t)0 - (uint64_t)(((q - 1) / 2 - c) >> 63);
	double cb = (double)(int64_t)(c - (q & big));
	*w = _mm256_set1_pd(cb);
	*wq = _mm256_set1_pd(cb / (double)q);
}

/*
 * r[i] = x[i]*cx - y[i]*cy mod q (ModDown's last step). x, y in [0, q),
 * cx, cy < q < 2^50; result in [0, q). r may alias x or y. Each product
 * is below 9q/16 in magnitude, so the difference (< 9q/8) is exact and
 * one conditional add or subtract of q brings it to [0, q). CT: yes.
 */
void
lt_vec_mulsub2_avx2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                    uint64_t q)
{
	const vk k = vk_make(q);
	__m256d wx, wxq, wy, wyq;
	balanced(cx, q, &wx, &wxq);
	balanced(cy, q, &wy, &wyq);
	size_t i = 0;
	for (; i + 4 <= n; i += 4) {
		__m256d d = _mm256_sub_pd(mulw_d(to_d(ldu(x + i), k), wx, wxq, k), mulw_d(to_d(ldu(y + i), k), wy, wyq, k));
		/* |d| < 9q/8: fold into (-q, q) first */
		__m256d over = _mm256_cmp_pd(d, k.q, _CMP_GE_OQ);
		__m256d under = _mm256_cmp_pd(d, _mm256_sub_pd(_mm256_setzero_pd(), k.q), _CMP_LE_OQ);
		d = _mm256_sub_pd(d, _mm256_and_pd(over, k.q));
		d = _mm256_add_pd(d, _mm256_and_pd(under, k.q));
		stu(r + i, to_u(d, k));
	}
	if (i < n) {
		const __m256i m = tail_mask(n - i);
		__m256d d = _mm256_sub_pd(mulw_d(to_d(ldm(x + i, m), k), wx, wxq, k), mulw_d(to_d(ldm(y + i, m), k), wy, wyq, k));
		__m256d over = _mm256_cmp_pd(d, k.q, _CMP_GE_OQ);
		__m256d under = _mm256_cmp_pd(d, _mm256_sub_pd(_mm256_setzero_pd(), k.q), _CMP_LE_OQ);
		d = _mm256_sub_pd(d, _mm256_and_pd(over, k.q));
		d = _mm256_add_pd(d, _mm256_and_pd(under, k.q));
		stm(r + i, m, to_u(d, k));
	}
}
