/*
 * AVX2+FMA pointwise kernels mod q < 2^50 (DESIGN §3), on the exact
 * double arithmetic of avx2.h (van der Hoeven, Lecerf, Quintin, "Modular
 * SIMD arithmetic in Mathemagix", ACM TOMS 2016).
 *
 * Ranges, by the lemmas of avx2.h. For a, b in [0, q): mulq gives
 * r = ab - cq with |r| < 3q/4 (F1'), and to_u makes it canonical (P). For
 * the constant kernels the constant is balanced, |cb| <= (q-1)/2, with
 * its quotient cbq = fl(cb/q) (Shoup-like): mulw gives |r| < 9q/16 (F1).
 */
#include "vec_avx2.h"

#include "avx2.h"

#define LT_AI LT_AVX2_INLINE

typedef struct vk {
	__m256d q, qinv, C;
} vk;

LT_AI vk
vk_make(uint64_t q)
{
	vk k;
	k.q = _mm256_set1_pd((double)q);
	k.qinv = _mm256_set1_pd(1.0 / (double)q);
	k.C = _mm256_set1_pd(LT_AVX2_MAGIC);
	return k;
}

/* a*b - c*q with |.| < 3q/4 for a, b in [0, q) (F1'), as doubles from words */
LT_AI __m256d
mulmod_u(__m256i a, __m256i b, vk k)
{
	return lt_avx2_mulq(lt_avx2_to_d(a), lt_avx2_to_d(b), k.q, k.qinv, k.C);
}

/* a*b mod q, canonical, for words a, b in [0, q) */
LT_AI __m256i
mul_step(__m256i a, __m256i b, vk k)
{
	return lt_avx2_to_u(mulmod_u(a, b, k), k.q);
}

/* a*w mod q, canonical, for a word a in [0, q), w balanced, wq = fl(w/q) (F1) */
LT_AI __m256i
mulw_step(__m256i a, __m256d w, __m256d wq, vk k)
{
	return lt_avx2_to_u(lt_avx2_mulw(lt_avx2_to_d(a), w, wq, k.q, k.C), k.q);
}

/*
 * r[i] = a[i] * b[i] mod q for i < n. a, b in [0, q), q < 2^50; result in
 * [0, q). r may alias a or b. CT: yes (the tail length is public).
 */
void
lt_vec_mul_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *md)
{
	const uint64_t q = md->q;
	const vk k = vk_make(q);
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		lt_avx2_store(r + i, mul_step(lt_avx2_load(a + i), lt_avx2_load(b + i), k));
	if (i < n) {
		const __m256i m = lt_avx2_tail_mask(n - i);
		lt_avx2_maskstore(r + i, m, mul_step(lt_avx2_maskload(a + i, m), lt_avx2_maskload(b + i, m), k));
	}
}

/*
 * r + a*b mod q for canonical r, a, b: X = 2^52 + r + (ab - cq) is exact
 * (|r + ab - cq| < 7q/4 < 2^51; 2^52 + r by (L) without the subtraction),
 * and canon_biased (F4, off = 2^52 + (q-1)/2) makes it canonical.
 */
LT_AI __m256i
mac_step(__m256i rv, __m256i av, __m256i bv, __m256d off, vk k)
{
	const __m256i two52i = _mm256_set1_epi64x(LT_AVX2_TWO52_BITS);
	__m256d rb = _mm256_castsi256_pd(_mm256_or_si256(rv, two52i)); /* 2^52 + r */
	__m256d X = _mm256_add_pd(mulmod_u(av, bv, k), rb);
	return lt_avx2_canon_biased(X, off, k.q, k.qinv, k.C);
}

/*
 * r[i] = r[i] + a[i] * b[i] mod q for i < n. All inputs in [0, q),
 * q < 2^50; result in [0, q). r may alias a or b. CT: yes.
 */
void
lt_vec_mac_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *md)
{
	const uint64_t q = md->q;
	const vk k = vk_make(q);
	const __m256d off = _mm256_set1_pd(LT_AVX2_TWO52 + (double)((q - 1) / 2));
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		lt_avx2_store(r + i, mac_step(lt_avx2_load(r + i), lt_avx2_load(a + i), lt_avx2_load(b + i), off, k));
	if (i < n) {
		const __m256i m = lt_avx2_tail_mask(n - i);
		lt_avx2_maskstore(r + i, m,
		                  mac_step(lt_avx2_maskload(r + i, m), lt_avx2_maskload(a + i, m),
		                           lt_avx2_maskload(b + i, m), off, k));
	}
}

/* balanced constant c < q and its quotient fl(c/q), broadcast (CT: yes, avx2.h) */
LT_AI void
balanced(uint64_t c, uint64_t q, __m256d *w, __m256d *wq)
{
	double cb = lt_avx2_balanced(c, q);
	*w = _mm256_set1_pd(cb);
	*wq = _mm256_set1_pd(cb / (double)q);
}

/*
 * r[i] = a[i] * c mod q for i < n. a in [0, q), c < q < 2^50; result in
 * [0, q). r may alias a. CT: yes (c is handled branch-free; its balanced
 * form is selected arithmetically).
 */
void
lt_vec_mul_scalar_avx2(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const lt_modulus *md)
{
	const uint64_t q = md->q;
	const vk k = vk_make(q);
	__m256d w, wq;
	balanced(c, q, &w, &wq);
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		lt_avx2_store(r + i, mulw_step(lt_avx2_load(a + i), w, wq, k));
	if (i < n) {
		const __m256i m = lt_avx2_tail_mask(n - i);
		lt_avx2_maskstore(r + i, m, mulw_step(lt_avx2_maskload(a + i, m), w, wq, k));
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
                 size_t n, const lt_modulus *md, int first)
{
	const uint64_t q = md->q;
	const vk k = vk_make(q);
	const __m256d off = _mm256_set1_pd(LT_AVX2_TWO52 + (double)((q - 1) / 2));
	size_t i = 0;
	if (first) {
		for (; i + 4 <= n; i += 4) {
			__m256i av = lt_avx2_load(a + i);
			lt_avx2_store(r0 + i, mul_step(av, lt_avx2_load(b0 + i), k));
			lt_avx2_store(r1 + i, mul_step(av, lt_avx2_load(b1 + i), k));
		}
		if (i < n) {
			const __m256i m = lt_avx2_tail_mask(n - i);
			__m256i av = lt_avx2_maskload(a + i, m);
			lt_avx2_maskstore(r0 + i, m, mul_step(av, lt_avx2_maskload(b0 + i, m), k));
			lt_avx2_maskstore(r1 + i, m, mul_step(av, lt_avx2_maskload(b1 + i, m), k));
		}
		return;
	}
	for (; i + 4 <= n; i += 4) {
		__m256i av = lt_avx2_load(a + i);
		lt_avx2_store(r0 + i, mac_step(lt_avx2_load(r0 + i), av, lt_avx2_load(b0 + i), off, k));
		lt_avx2_store(r1 + i, mac_step(lt_avx2_load(r1 + i), av, lt_avx2_load(b1 + i), off, k));
	}
	if (i < n) {
		const __m256i m = lt_avx2_tail_mask(n - i);
		__m256i av = lt_avx2_maskload(a + i, m);
		lt_avx2_maskstore(r0 + i, m,
		                  mac_step(lt_avx2_maskload(r0 + i, m), av, lt_avx2_maskload(b0 + i, m), off, k));
		lt_avx2_maskstore(r1 + i, m,
		                  mac_step(lt_avx2_maskload(r1 + i, m), av, lt_avx2_maskload(b1 + i, m), off, k));
	}
}

/*
 * x*wx - y*wy mod q, canonical, for words x, y in [0, q) and balanced
 * constants: each product is below 9q/16 in magnitude (F1), so the
 * difference d (|d| < 9q/8) is exact; one conditional subtract or add of
 * q brings it into (-q, q), and to_u (P) makes it canonical.
 */
LT_AI __m256i
mulsub_step(__m256i xv, __m256d wx, __m256d wxq, __m256i yv, __m256d wy, __m256d wyq, vk k)
{
	__m256d d = _mm256_sub_pd(lt_avx2_mulw(lt_avx2_to_d(xv), wx, wxq, k.q, k.C),
	                          lt_avx2_mulw(lt_avx2_to_d(yv), wy, wyq, k.q, k.C));
	__m256d over = _mm256_cmp_pd(d, k.q, _CMP_GE_OQ);
	__m256d under = _mm256_cmp_pd(d, _mm256_sub_pd(_mm256_setzero_pd(), k.q), _CMP_LE_OQ);
	d = _mm256_sub_pd(d, _mm256_and_pd(over, k.q));
	d = _mm256_add_pd(d, _mm256_and_pd(under, k.q));
	return lt_avx2_to_u(d, k.q);
}

/*
 * r[i] = x[i]*cx - y[i]*cy mod q (ModDown's last step). x, y in [0, q),
 * cx, cy < q < 2^50; result in [0, q). r may alias x or y. CT: yes.
 */
void
lt_vec_mulsub2_avx2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                    const lt_modulus *md)
{
	const uint64_t q = md->q;
	const vk k = vk_make(q);
	__m256d wx, wxq, wy, wyq;
	balanced(cx, q, &wx, &wxq);
	balanced(cy, q, &wy, &wyq);
	size_t i = 0;
	for (; i + 4 <= n; i += 4)
		lt_avx2_store(r + i, mulsub_step(lt_avx2_load(x + i), wx, wxq, lt_avx2_load(y + i), wy, wyq, k));
	if (i < n) {
		const __m256i m = lt_avx2_tail_mask(n - i);
		lt_avx2_maskstore(r + i, m,
		                  mulsub_step(lt_avx2_maskload(x + i, m), wx, wxq, lt_avx2_maskload(y + i, m), wy, wyq, k));
	}
}
