/*
 * Exact double-precision arithmetic mod q < 2^50 on AVX2+FMA vectors: the
 * helpers the vector kernels (ntt_avx2.c, vec_avx2.c, rns_avx2.c) share,
 * the vector counterpart of modarith.h (DESIGN §3). Include only from
 * files compiled with -mavx2 -mfma. Everything here is branch-free and
 * index-free (CT: yes).
 *
 * Residues are integers held exactly in doubles (van der Hoeven, Lecerf,
 * Quintin, "Modular SIMD arithmetic in Mathemagix", ACM TOMS 2016; FLINT
 * 3's fft_small). The range lemmas below are the ones the kernels' own
 * range proofs cite; every value named is an integer unless it is a
 * quotient (wq, qinv).
 *
 * (R) Rounding. C = 1.5 * 2^52 (LT_AVX2_MAGIC). For a real y with
 *     |y| < 2^51, fl(C + y) lies in [2^52, 2^53), where the ulp is 1, and
 *     fl(C + y) - C is exact: it is round(y), ties to even. One fma
 *     computes fl(C + a*b) with a single rounding, so fma(a, b, C) - C =
 *     round(a*b) while |a*b| < 2^51.
 * (L) Conversion. A word v < 2^52 OR-ed into the bits of 2^52 is the
 *     double 2^52 + v, and subtracting 2^52 is exact (lt_avx2_to_d).
 *     Conversely, for an integer y in [0, 2^52), 2^52 + y is exact and its
 *     bits are those of 2^52 OR y, so XOR-ing the bits of 2^52 gives the
 *     word y (lt_avx2_to_u, lt_avx2_canon).
 * (F1) lt_avx2_mulw(x, w, wq, q): |x| < 2^52, w balanced, |w| <= (q-1)/2,
 *     wq = fl(w/q), so |wq - w/q| <= 2^-54 as |w/q| < 1/2. c = round(x
 *     wq) by (R) (|x wq| < 2^51), and |x w/q - c| <= 1/2 + |x| 2^-54.
 *     h = fl(x w) and l = x w - h, exact by fma (the error of a product
 *     is a double), |l| <= 2^48 (2^49 under F2). h - cq = r - l with
 *     r = x w - cq is an integer below 2^52 in magnitude, so the fnmadd
 *     is exact, and so is the final sum: the result is exactly r with
 *         |r| <= q/2 + |x| eps,   eps = q 2^-54 < 1/16.
 *     For x in [0, q): |r| < 9q/16.
 * (F1') lt_avx2_mulq(x, w, q, qinv) (no stored quotient): c =
 *     round(fl(x w) qinv), qinv = fl(1/q). The errors of h and of qinv,
 *     each of relative size 2^-53, give |x w/q - c| <= 1/2 +
 *     |x w| 2^-52 (1 + 2^-53) / q, and, exactly as in (F1), the result
 *     is r = x w - cq with
 *         |r| <= q/2 + |x w| 2^-52 (1 + 2^-53),
 *     provided |x w| < 2^51 q (so (R) applies) and |x w| < 2^101 (so
 *     |h - cq| < 2^52).
 *     For w balanced: |r| <= q/2 + |x| q 2^-53 (1 + 2^-53) <= q/2 + |x|/8.
 *     For x, w in [0, q): |r| < q/2 + q/4 = 3q/4.
 * (F2) Half quotient: with wq/2 (or qinv/2) for wq and 2q for q, c =
 *     round(x w / 2q) and r = x w - 2cq: every error term doubles, and
 *     the input may be twice as large. (F1) with |x| < 2^53:
 *     |r| <= q + |x| eps; (F1'): |r| <= q + |x|/8 for balanced w.
 * (F3) lt_avx2_red(x, q, qinv), |x| < 2^53: x - round(x qinv) q, exact,
 *     |r| <= q/2 + 1 (|x qinv - x/q| <= |x| 2^-53 / q < 1/q).
 * (F4) lt_avx2_canon(x, h0, q, qinv), |x| < 2^52 - q, h0 = (q-1)/2:
 *     x' = x - h0 puts x'/q at least 1/(2q) away from every
 *     half-integer, while |x' qinv - x'/q| < 1/(2q); so the rounded
 *     quotient of x' is floor(x/q), and x + 2^52 - floor(x/q) q =
 *     2^52 + (x mod q) is exact: by (L), the canonical word in [0, q).
 *     lt_avx2_canon_biased takes X = 2^52 + x and off = 2^52 + h0
 *     instead (X - off = x - h0 exactly): the same word.
 * (P) lt_avx2_pos(r, q), lt_avx2_to_u(r, q): for |r| < q, r + q when r is
 *     negative: the canonical residue in [0, q), exact; to_u returns it
 *     as a word by (L).
 * (S) lt_avx2_fold(d, q): for an integer |d| < 2q, d - q when d >= q,
 *     d + q when d <= -q, else d: an integer in (-q, q), exact; so a
 *     difference of two (F1) products (|d| < 9q/8) becomes canonical
 *     with fold then to_u.
 */
#ifndef LT_AVX2_H
#define LT_AVX2_H

#include <stddef.h>
#include <stdint.h>

#include <immintrin.h>

#define LT_AVX2_INLINE static inline __attribute__((always_inline))

#define LT_AVX2_TWO52 4503599627370496.0      /* 2^52 */
#define LT_AVX2_MAGIC 6755399441055744.0      /* C = 1.5 * 2^52, (R) */
#define LT_AVX2_TWO52_BITS 0x4330000000000000 /* the bits of 2^52 */

/*
 * w in [0, q) as its balanced representative in [-(q-1)/2, (q-1)/2], a
 * double (exact: q < 2^50). Scalar, for tables and broadcast constants.
 * CT: yes (the choice is arithmetic, so w may be secret).
 */
LT_AVX2_INLINE double
lt_avx2_balanced(uint64_t w, uint64_t q)
{
	uint64_t big = (uint64_t)0 - (uint64_t)(((q - 1) / 2 - w) >> 63); /* all ones when w > (q-1)/2 */
	return (double)(int64_t)(w - (q & big));
}

/* Words < 2^52 to doubles, exactly (L). CT: yes. */
LT_AVX2_INLINE __m256d
lt_avx2_to_d(__m256i v)
{
	const __m256d two52 = _mm256_set1_pd(LT_AVX2_TWO52);
	return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(v, _mm256_castpd_si256(two52))), two52);
}

/* Integers |r| < q to the canonical words r mod q (P). CT: yes. */
LT_AVX2_INLINE __m256i
lt_avx2_to_u(__m256d r, __m256d q)
{
	const __m256d two52 = _mm256_set1_pd(LT_AVX2_TWO52);
	__m256d neg = _mm256_cmp_pd(r, _mm256_setzero_pd(), _CMP_LT_OQ);
	__m256d y = _mm256_add_pd(_mm256_add_pd(r, two52), _mm256_and_pd(neg, q));
	return _mm256_xor_si256(_mm256_castpd_si256(y), _mm256_castpd_si256(two52));
}

/* Integers |d| < 2q into (-q, q) (S). CT: yes. */
LT_AVX2_INLINE __m256d
lt_avx2_fold(__m256d d, __m256d q)
{
	__m256d over = _mm256_cmp_pd(d, q, _CMP_GE_OQ);
	__m256d under = _mm256_cmp_pd(d, _mm256_sub_pd(_mm256_setzero_pd(), q), _CMP_LE_OQ);
	d = _mm256_sub_pd(d, _mm256_and_pd(over, q));
	return _mm256_add_pd(d, _mm256_and_pd(under, q));
}

/*
 * A constant c < q broadcast as its balanced representative w with its
 * quotient wq = fl(w/q), the operands lt_avx2_mulw takes (F1). CT: yes
 * (lt_avx2_balanced).
 */
LT_AVX2_INLINE void
lt_avx2_bconst(uint64_t c, uint64_t q, __m256d *w, __m256d *wq)
{
	double cb = lt_avx2_balanced(c, q);
	*w = _mm256_set1_pd(cb);
	*wq = _mm256_set1_pd(cb / (double)q);
}

/* Integers |r| < q to [0, q), as doubles: r + q when r < 0 (P). CT: yes. */
LT_AVX2_INLINE __m256d
lt_avx2_pos(__m256d r, __m256d q)
{
	__m256d neg = _mm256_cmp_pd(r, _mm256_setzero_pd(), _CMP_LT_OQ);
	return _mm256_add_pd(r, _mm256_and_pd(neg, q));
}

/*
 * x*w - round(x*wq)*q exactly, per (F1); with wq/2 and 2q per (F2).
 * C = LT_AVX2_MAGIC. CT: yes.
 */
LT_AVX2_INLINE __m256d
lt_avx2_mulw(__m256d x, __m256d w, __m256d wq, __m256d q, __m256d C)
{
	__m256d h = _mm256_mul_pd(x, w);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(x, wq, C), C);
	__m256d l = _mm256_fmsub_pd(x, w, h);
	return _mm256_add_pd(_mm256_fnmadd_pd(c, q, h), l);
}

/*
 * x*w - round(fl(x*w)*qinv)*q exactly, per (F1'); with qinv/2 and 2q per
 * (F2). C = LT_AVX2_MAGIC. CT: yes.
 */
LT_AVX2_INLINE __m256d
lt_avx2_mulq(__m256d x, __m256d w, __m256d q, __m256d qinv, __m256d C)
{
	__m256d h = _mm256_mul_pd(x, w);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(h, qinv, C), C);
	__m256d l = _mm256_fmsub_pd(x, w, h);
	return _mm256_add_pd(_mm256_fnmadd_pd(c, q, h), l);
}

/* x - round(x*qinv)*q, |.| <= q/2 + 1 for |x| < 2^53 (F3). CT: yes. */
LT_AVX2_INLINE __m256d
lt_avx2_red(__m256d x, __m256d q, __m256d qinv, __m256d C)
{
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(x, qinv, C), C);
	return _mm256_fnmadd_pd(c, q, x);
}

/* |x| < 2^52 - q to the canonical word x mod q; h0 = (q-1)/2 (F4). CT: yes. */
LT_AVX2_INLINE __m256i
lt_avx2_canon(__m256d x, __m256d h0, __m256d q, __m256d qinv, __m256d C)
{
	const __m256d two52 = _mm256_set1_pd(LT_AVX2_TWO52);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(_mm256_sub_pd(x, h0), qinv, C), C);
	__m256d y = _mm256_fnmadd_pd(c, q, _mm256_add_pd(x, two52));
	return _mm256_xor_si256(_mm256_castpd_si256(y), _mm256_castpd_si256(two52));
}

/*
 * lt_avx2_canon of x given X = 2^52 + x (exact) and off = 2^52 + (q-1)/2
 * (F4). CT: yes.
 */
LT_AVX2_INLINE __m256i
lt_avx2_canon_biased(__m256d X, __m256d off, __m256d q, __m256d qinv, __m256d C)
{
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(_mm256_sub_pd(X, off), qinv, C), C);
	__m256d y = _mm256_fnmadd_pd(c, q, X);
	return _mm256_xor_si256(_mm256_castpd_si256(y), _mm256_set1_epi64x(LT_AVX2_TWO52_BITS));
}

/* Lane mask of the first t < 4 words of a tail (t is public). CT: yes. */
LT_AVX2_INLINE __m256i
lt_avx2_tail_mask(size_t t)
{
	const __m256i idx = _mm256_setr_epi64x(0, 1, 2, 3);
	return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)t), idx);
}

/* Unaligned loads and stores of 4 words, and their masked forms (tails). */
LT_AVX2_INLINE __m256i
lt_avx2_load(const uint64_t *p)
{
	return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

LT_AVX2_INLINE void
lt_avx2_store(uint64_t *p, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)p, v);
}

LT_AVX2_INLINE __m256i
lt_avx2_maskload(const uint64_t *p, __m256i m)
{
	return _mm256_maskload_epi64((const long long *)(const void *)p, m);
}

LT_AVX2_INLINE void
lt_avx2_maskstore(uint64_t *p, __m256i m, __m256i v)
{
	_mm256_maskstore_epi64((long long *)(void *)p, m, v);
}

#endif
