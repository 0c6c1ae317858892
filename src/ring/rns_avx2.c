/*
 * AVX2+FMA fast basis extension for primes below 2^50 (DESIGN §3).
 *
 * Exact products (van der Hoeven, Lecerf, Quintin, ACM TOMS 2016; the
 * mulw step of vec_avx2.c). For an integer x in [0, 2^50) and a constant w
 * balanced mod q, |w| <= (q-1)/2, with precomputed wq = fl(w/q) (so
 * |wq - w/q| <= 2^-54 as |w/q| < 1/2), C = 1.5 * 2^52:
 *   h = fl(x w), l = x w - h (exact by fma, an integer, |l| <= 2^46),
 *   c = fl(C + x wq) - C = round(x wq) (|x wq| < 2^49 < 2^51: ulp 1 there),
 *   r = (h - c q) + l = x w - c q.
 * |x w / q - c| <= 1/2 + x 2^-54, so |r| <= q/2 + x q 2^-54 < 9q/16; h - cq
 * = r - l is an integer below 2^52 and so is r: both fma/add are exact.
 *
 * y step: r = x_i * ahat_inv_i - c a_i, plus a_i when negative: the
 * canonical residue in [0, a_i), as a double. It is computed per block of
 * coefficients into an L1 buffer and used there by every output limb, so
 * y never goes to memory (the separate pass was bound by memory traffic).
 *
 * Centered correction: v = 0.5 + sum_i y_i * inv_in[i] with the scalar
 * path's operations in its order (product, then sum, each rounded; an
 * empty asm keeps the compiler from contracting them into an fma), then
 * truncated and cut to a byte as the scalar (uint8_t)(uint64_t) cast: the
 * same u, folded in as the term u * [-A]_q.
 *
 * Sum step: for each output prime q = b_j, S = sum of the terms
 * r_i = y_i c_ij - c q (y_i < a_i < 2^50, c_ij balanced) and of the
 * correction u * [-A]_q (u < 256), each |r| < 9q/16 < 9 * 2^(bits-4),
 * bits = max bit length of the output primes. While at most
 * G = floor(2^(57-bits) / 9) terms are pending, |S| < 2^53, so every
 * partial sum is an exact integer; then S is partially reduced,
 *   red(S) = S - round(S * qinv) q,
 * with |S qinv - S/q| <= |S| 2^-53 / q <= 1/q, hence |red(S)| <= q/2 + 1
 * (< 9q/16: it counts as one pending term), computed exactly by one fma.
 * The final value is red(S) plus q when negative: the canonical residue of
 * the same integer the scalar path reduces, so the words are identical.
 * G >= 14 for 50-bit primes: with up to 13 input limbs and the correction,
 * no partial reduction happens at all.
 */
#include "rns_avx2.h"

#include <immintrin.h>
#include <string.h>

#define LT_AI static inline __attribute__((always_inline))

#define TWO52 4503599627370496.0       /* 2^52 */
#define MAGIC 6755399441055744.0       /* 1.5 * 2^52 */
#define TWO52_BITS 0x4330000000000000  /* bits of 2^52 */

/*
 * Block buffer: y for a block of coefficients of every input limb, built
 * in L1 (32 KiB) and used by every output limb before the next block.
 */
#define YBUF (4 * LT_RNS_AVX2_MAX_IN)
#define BLK_MAX 512

/* words < 2^52 to doubles, exactly */
LT_AI __m256d
to_d(__m256i v)
{
	return _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(v, _mm256_set1_epi64x(TWO52_BITS))),
	                     _mm256_set1_pd(TWO52));
}

/* integers in [0, 2^52) held as doubles to words */
LT_AI __m256i
to_u(__m256d r)
{
	__m256d y = _mm256_add_pd(r, _mm256_set1_pd(TWO52));
	return _mm256_xor_si256(_mm256_castpd_si256(y), _mm256_set1_epi64x(TWO52_BITS));
}

/* x*w - round(x*wq)*q, |.| < 9q/16 (header comment) */
LT_AI __m256d
mulw(__m256d x, __m256d w, __m256d wq, __m256d q, __m256d C)
{
	__m256d h = _mm256_mul_pd(x, w);
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(x, wq, C), C);
	__m256d l = _mm256_fmsub_pd(x, w, h);
	return _mm256_add_pd(_mm256_fnmadd_pd(c, q, h), l);
}

/* S - round(S*qinv)*q, |.| <= q/2 + 1, for integers |S| < 2^53 */
LT_AI __m256d
red(__m256d s, __m256d q, __m256d qinv, __m256d C)
{
	__m256d c = _mm256_sub_pd(_mm256_fmadd_pd(s, qinv, C), C);
	return _mm256_fnmadd_pd(c, q, s);
}

/* r + q when r < 0: integers |r| < q to [0, q) */
LT_AI __m256d
pos(__m256d r, __m256d q)
{
	__m256d neg = _mm256_cmp_pd(r, _mm256_setzero_pd(), _CMP_LT_OQ);
	return _mm256_add_pd(r, _mm256_and_pd(neg, q));
}

/* lane mask for the first t < 4 words */
LT_AI __m256i
tail_mask(size_t t)
{
	const __m256i idx = _mm256_setr_epi64x(0, 1, 2, 3);
	return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)t), idx);
}

/* NV vectors of 4 coefficients at ks of output limb j (header comment) */
LT_AI void
sum_vecs(const unsigned NV, const lt_baseconv *bc, unsigned j, const double *yb, size_t s,
         const double *ub, size_t kk, uint64_t *o, size_t t)
{
	const unsigned nin = bc->nin, G = bc->vgroup;
	const double *row = bc->vrow + 2 * (size_t)j * nin;
	const double *vo = bc->vout + 4 * (size_t)j;
	const __m256d q = _mm256_set1_pd(vo[0]), qinv = _mm256_set1_pd(vo[1]);
	const __m256d C = _mm256_set1_pd(MAGIC);
	__m256d acc[4];
	for (unsigned v = 0; v < NV; v++)
		acc[v] = _mm256_setzero_pd();
	unsigned i = 0, pend = 0;
	while (i < nin) {
		if (pend == G) {
			for (unsigned v = 0; v < NV; v++)
				acc[v] = red(acc[v], q, qinv, C);
			pend = 1;
		}
		unsigned e = nin - i < G - pend ? nin : i + (G - pend);
		pend += e - i;
		for (; i < e; i++) {
			const double *yi = yb + (size_t)i * s + kk;
			const __m256d w = _mm256_broadcast_sd(row + 2 * i), wq = _mm256_broadcast_sd(row + 2 * i + 1);
			for (unsigned v = 0; v < NV; v++)
				acc[v] = _mm256_add_pd(acc[v], mulw(_mm256_load_pd(yi + 4 * v), w, wq, q, C));
		}
	}
	if (ub) {
		if (pend == G)
			for (unsigned v = 0; v < NV; v++)
				acc[v] = red(acc[v], q, qinv, C);
		const __m256d w = _mm256_set1_pd(vo[2]), wq = _mm256_set1_pd(vo[3]);
		for (unsigned v = 0; v < NV; v++)
			acc[v] = _mm256_add_pd(acc[v], mulw(_mm256_load_pd(ub + kk + 4 * v), w, wq, q, C));
	}
	for (unsigned v = 0; v < NV; v++) {
		__m256i r = to_u(pos(red(acc[v], q, qinv, C), q));
		if (t < 4) /* only for the block's last, partial vector */
			_mm256_maskstore_epi64((long long *)(void *)(o + kk), tail_mask(t), r);
		else
			_mm256_storeu_si256((__m256i *)(void *)(o + kk + 4 * v), r);
	}
}

void
lt_baseconv_ext_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                     int centered, size_t k0, size_t k1, unsigned j0, unsigned j1)
{
	double yb[YBUF] __attribute__((aligned(32)));
	double ub[BLK_MAX] __attribute__((aligned(32)));
	const unsigned nin = bc->nin;
	const __m256d C = _mm256_set1_pd(MAGIC);
	size_t blk = YBUF / nin >= 16 ? (YBUF / nin) & ~(size_t)15 : 4;
	if (blk > BLK_MAX)
		blk = BLK_MAX;
	for (size_t b0 = k0; b0 < k1; b0 += blk) {
		const size_t kn = k1 - b0 < blk ? k1 - b0 : blk;
		const size_t s = (kn + 3) & ~(size_t)3;  /* row stride; lanes past kn hold y = 0 */
		for (unsigned i = 0; i < nin; i++) {
			const double *v = bc->vin + 4 * (size_t)i;
			const __m256d q = _mm256_set1_pd(v[0]), w = _mm256_set1_pd(v[1]), wq = _mm256_set1_pd(v[2]);
			const uint64_t *xi = x + (size_t)i * n + b0;
			double *yi = yb + (size_t)i * s;
			for (size_t kk = 0; kk < s; kk += 4) {
				__m256i xv = kn - kk >= 4
				                 ? _mm256_loadu_si256((const __m256i *)(const void *)(xi + kk))
				                 : _mm256_maskload_epi64((const long long *)(const void *)(xi + kk),
				                                         tail_mask(kn - kk));
				_mm256_store_pd(yi + kk, pos(mulw(to_d(xv), w, wq, q, C), q));
			}
		}
		if (centered)
			for (size_t kk = 0; kk < s; kk += 4) {
				__m256d v = _mm256_set1_pd(0.5);
				for (unsigned i = 0; i < nin; i++) {
					/* a product then a sum, each rounded, as the scalar path */
					__m256d p = _mm256_mul_pd(_mm256_load_pd(yb + (size_t)i * s + kk),
					                          _mm256_set1_pd(bc->inv_in[i]));
					__asm__("" : "+x"(p));
					v = _mm256_add_pd(v, p);
				}
				/* v in [0.5, nin + 0.5): truncation is the floor; (uint8_t) keeps the low byte */
				__m128i u = _mm_and_si128(_mm256_cvttpd_epi32(v), _mm_set1_epi32(255));
				_mm256_store_pd(ub + kk, _mm256_cvtepi32_pd(u));
			}
		for (unsigned j = j0; j < j1; j++) {
			uint64_t *o = out + (size_t)j * n + b0;
			const double *u = centered ? ub : NULL;
			size_t kk = 0;
			for (; kk + 16 <= kn; kk += 16)
				sum_vecs(4, bc, j, yb, s, u, kk, o, 4);
			for (; kk + 4 <= kn; kk += 4)
				sum_vecs(1, bc, j, yb, s, u, kk, o, 4);
			if (kk < kn)
				sum_vecs(1, bc, j, yb, s, u, kk, o, kn - kk);
		}
	}
}
