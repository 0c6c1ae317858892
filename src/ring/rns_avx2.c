/*
 * AVX2+FMA fast basis extension for primes below 2^50 (DESIGN §3).
 *
 * Exact products by the lemmas of avx2.h (van der Hoeven, Lecerf,
 * Quintin, ACM TOMS 2016): for an integer x in [0, 2^50) and a constant w
 * balanced mod q with its quotient wq = fl(w/q), mulw gives exactly
 * r = x w - c q with |r| <= q/2 + x q 2^-54 < 9q/16 (F1).
 *
 * y step: r = x_i * ahat_inv_i - c a_i, plus a_i when negative: the
 * canonical residue in [0, a_i), as a double (P). It is computed per
 * block of coefficients into an L1 buffer and used there by every output
 * limb, so y never goes to memory (the separate pass was bound by memory
 * traffic).
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
 * and |red(S)| <= q/2 + 1 by (F3), below 9q/16: it counts as one pending
 * term. The final value is red(S) plus q when negative (P): the canonical
 * residue of the same integer the scalar path reduces, so the words are
 * identical.
 * G >= 14 for 50-bit primes: with up to 13 input limbs and the correction,
 * no partial reduction happens at all.
 *
 * Fused combination (lt_baseconv_apply_centered_mulsub): red(S) is kept
 * signed, e with |e| <= q/2 + 1, and x cx - e cy is formed there with
 * balanced constants: two (F1) products, each below 9q/16 in magnitude,
 * then fold (S) and to_u. The extension never goes to memory.
 *
 * One-prime steps of tdiv.h: the centered lift of y in [0, c) is
 * yc = y - c or y, exact in a double, reduced mod q by red (F3) to
 * |e| <= q/2 + 1, then made canonical (P), or combined as above.
 */
#include "rns_avx2.h"

#include <string.h>

#include <omp.h>

#include "../core/mem.h"
#include "avx2.h"
#include "modarith.h"

#define LT_AI LT_AVX2_INLINE

/*
 * Block buffer: y for a block of coefficients of every input limb, built
 * in L1 (32 KiB) and used by every output limb before the next block.
 */
#define YBUF (4 * LT_RNS_AVX2_MAX_IN)
#define BLK_MAX 512

/* A large input's y_i < 2^62 enters the sums as y mod 2^31 and y >> 31, each below 2^50. */
#define HALF_BITS 31

/* The tables of rns.h (layout there); contract in rns_avx2.h. */
int
lt_baseconv_avx2_init(lt_baseconv *bc)
{
	const unsigned nin = bc->nin, nout = bc->nout;
	unsigned nbig_in = 0, nbig_out = 0, bits_out = 0;
	for (unsigned i = 0; i < nin; i++)
		nbig_in += bc->in[i]->q >= LT_VEC_QMAX;
	for (unsigned j = 0; j < nout; j++) {
		if (bc->out[j]->q >= LT_VEC_QMAX)
			nbig_out++;
		else if (bc->out[j]->bits > bits_out)
			bits_out = bc->out[j]->bits;
	}
	/* rows of the block buffer: nvin for the sums, and the rounded y of each large input for u */
	const unsigned nvin = nin + nbig_in;
	if (nvin + nbig_in > LT_RNS_AVX2_MAX_IN || nbig_out == nout)
		return 1;
	size_t nd = 4 * (size_t)nin + 2 * (size_t)nvin * nout + 4 * (size_t)nout;
	const size_t nmap = 2 * (size_t)nin + nout;
	double *v = lt_alloc(nd * sizeof(double) + nmap * sizeof(int));
	if (!v)
		return -1;
	double *vin = v, *vrow = v + 4 * (size_t)nin, *vout = vrow + 2 * (size_t)nvin * nout;
	int *vrow_of = (int *)(v + nd), *big_of = vrow_of + nin;
	uint8_t *big_out = (uint8_t *)(big_of + nin);
	memset(v, 0, nd * sizeof(double));
	for (unsigned i = 0, r = 0, b = 0; i < nin; i++) {
		const uint64_t a = bc->in[i]->q;
		const int big = a >= LT_VEC_QMAX;
		vrow_of[i] = (int)r;
		big_of[i] = big ? (int)b++ : -1;
		r += big ? 2 : 1;
		if (big)
			continue; /* its y is formed by the scalar code */
		double w = lt_avx2_balanced(bc->ahat_inv[i], a);
		vin[4 * i] = (double)a;
		vin[4 * i + 1] = w;
		vin[4 * i + 2] = w / (double)a;
		vin[4 * i + 3] = 0.0;
	}
	for (unsigned j = 0; j < nout; j++) {
		const uint64_t q = bc->out[j]->q;
		big_out[j] = q >= LT_VEC_QMAX;
		if (big_out[j])
			continue; /* summed by the scalar code */
		const lt_barrett br = bc->out[j]->br;
		const uint64_t two31 = (UINT64_C(1) << HALF_BITS) % q;
		for (unsigned i = 0; i < nin; i++) {
			const uint64_t h = bc->ahat_mod[(size_t)j * nin + i];
			double *e = vrow + 2 * ((size_t)j * nvin + (size_t)vrow_of[i]);
			double c = lt_avx2_balanced(h, q);
			e[0] = c;
			e[1] = c / (double)q;
			if (big_of[i] >= 0) {
				/* the high half's row: (A/a_i) 2^31 mod b_j */
				double ch = lt_avx2_balanced(lt_mulmod(h, two31, q, br), q);
				e[2] = ch;
				e[3] = ch / (double)q;
			}
		}
		double wa = lt_avx2_balanced(lt_negmod(bc->a_mod_out[j], q), q);
		vout[4 * j] = (double)q;
		vout[4 * j + 1] = 1.0 / (double)q;
		vout[4 * j + 2] = wa;
		vout[4 * j + 3] = wa / (double)q;
	}
	/* G * 9 * 2^(bits-4) <= 2^53 (header comment); bits <= 50 gives G >= 14 */
	uint64_t g = ((uint64_t)1 << (57 - bits_out)) / 9;
	bc->vgroup = g > (1u << 20) ? (1u << 20) : (unsigned)g;
	bc->vec = v;
	bc->vin = vin;
	bc->vrow = vrow;
	bc->vout = vout;
	bc->nvin = nvin;
	bc->nbig_in = nbig_in;
	bc->nbig_out = nbig_out;
	bc->vrow_of = vrow_of;
	bc->big_of = big_of;
	bc->big_out = big_out;
	return 0;
}

/*
 * The combination of lt_baseconv_apply_centered_mulsub for one output
 * limb: o = x cx - e cy, x the limb's words at the block, cx, cy balanced
 * with their quotients (avx2.h, F1).
 */
typedef struct comb {
	const uint64_t *x;
	__m256d wx, wxq, wy, wyq;
} comb;

/*
 * NV vectors of 4 coefficients at kk of output limb j (header comment);
 * with cb, o = x cx - e cy instead of e: e = red(S) is an integer with
 * |e| <= q/2 + 1 (F3), so each product is below 9q/16 in magnitude (F1),
 * their difference below 9q/8, and fold then to_u make it canonical (S).
 */
LT_AI void
sum_vecs(const unsigned NV, const lt_baseconv *bc, unsigned j, const double *yb, size_t s,
         const double *ub, size_t kk, uint64_t *o, size_t t, const comb *cb)
{
	const unsigned nin = bc->nvin, G = bc->vgroup;
	const double *row = bc->vrow + 2 * (size_t)j * nin;
	const double *vo = bc->vout + 4 * (size_t)j;
	const __m256d q = _mm256_set1_pd(vo[0]), qinv = _mm256_set1_pd(vo[1]);
	const __m256d C = _mm256_set1_pd(LT_AVX2_MAGIC);
	__m256d acc[4];
	for (unsigned v = 0; v < NV; v++)
		acc[v] = _mm256_setzero_pd();
	unsigned i = 0, pend = 0;
	while (i < nin) {
		if (pend == G) {
			for (unsigned v = 0; v < NV; v++)
				acc[v] = lt_avx2_red(acc[v], q, qinv, C);
			pend = 1;
		}
		unsigned e = nin - i < G - pend ? nin : i + (G - pend);
		pend += e - i;
		for (; i < e; i++) {
			const double *yi = yb + (size_t)i * s + kk;
			const __m256d w = _mm256_broadcast_sd(row + 2 * i), wq = _mm256_broadcast_sd(row + 2 * i + 1);
			for (unsigned v = 0; v < NV; v++)
				acc[v] = _mm256_add_pd(acc[v], lt_avx2_mulw(_mm256_load_pd(yi + 4 * v), w, wq, q, C));
		}
	}
	if (ub) {
		if (pend == G)
			for (unsigned v = 0; v < NV; v++)
				acc[v] = lt_avx2_red(acc[v], q, qinv, C);
		const __m256d w = _mm256_set1_pd(vo[2]), wq = _mm256_set1_pd(vo[3]);
		for (unsigned v = 0; v < NV; v++)
			acc[v] = _mm256_add_pd(acc[v], lt_avx2_mulw(_mm256_load_pd(ub + kk + 4 * v), w, wq, q, C));
	}
	for (unsigned v = 0; v < NV; v++) {
		__m256d e = lt_avx2_red(acc[v], q, qinv, C);
		if (cb) {
			__m256i xv = t < 4 ? lt_avx2_maskload(cb->x + kk, lt_avx2_tail_mask(t))
			                   : lt_avx2_load(cb->x + kk + 4 * v);
			e = _mm256_sub_pd(lt_avx2_mulw(lt_avx2_to_d(xv), cb->wx, cb->wxq, q, C),
			                  lt_avx2_mulw(e, cb->wy, cb->wyq, q, C));
			e = lt_avx2_fold(e, q);
		}
		__m256i r = lt_avx2_to_u(e, q);
		if (t < 4) /* only for the block's last, partial vector */
			lt_avx2_maskstore(o + kk, lt_avx2_tail_mask(t), r);
		else
			lt_avx2_store(o + kk + 4 * v, r);
	}
}

/*
 * lt_baseconv_ext_avx2, and with xo (cx, cy) the fused combination
 * out_j = xo_j cx[j] - e_j cy[j] of lt_baseconv_apply_centered_mulsub;
 * inlined in both, so that the plain extension carries no test of xo
 */
LT_AI void
ext_range(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n, int centered, size_t k0,
          size_t k1, unsigned j0, unsigned j1, const uint64_t *xo, const uint64_t *cx, const uint64_t *cy)
{
	double yb[YBUF] __attribute__((aligned(32)));
	double ub[BLK_MAX] __attribute__((aligned(32)));
	const unsigned nin = bc->nin, rows = bc->nvin + bc->nbig_in;
	const __m256d C = _mm256_set1_pd(LT_AVX2_MAGIC);
	size_t blk = YBUF / rows >= 16 ? (YBUF / rows) & ~(size_t)15 : 4;
	if (blk > BLK_MAX)
		blk = BLK_MAX;
	for (size_t b0 = k0; b0 < k1; b0 += blk) {
		const size_t kn = k1 - b0 < blk ? k1 - b0 : blk;
		const size_t s = (kn + 3) & ~(size_t)3;  /* row stride; lanes past kn hold y = 0 */
		for (unsigned i = 0; i < nin; i++) {
			const uint64_t *xi = x + (size_t)i * n + b0;
			double *yi = yb + (size_t)bc->vrow_of[i] * s;
			if (bc->big_of[i] >= 0) {
				/* y by the scalar code: its halves for the sums, its rounded value for u */
				const lt_modulus *a = bc->in[i];
				double *yr = yb + (size_t)(bc->nvin + (unsigned)bc->big_of[i]) * s;
				for (size_t kk = 0; kk < s; kk++) {
					const uint64_t y =
						kk < kn ? lt_mulmod_shoup(xi[kk], bc->ahat_inv[i], bc->ahat_inv_s[i], a->q) : 0;
					yi[kk] = (double)(y & ((UINT64_C(1) << HALF_BITS) - 1));
					yi[s + kk] = (double)(y >> HALF_BITS);
					yr[kk] = (double)y;
				}
				continue;
			}
			const double *v = bc->vin + 4 * (size_t)i;
			const __m256d q = _mm256_set1_pd(v[0]), w = _mm256_set1_pd(v[1]), wq = _mm256_set1_pd(v[2]);
			for (size_t kk = 0; kk < s; kk += 4) {
				__m256i xv = kn - kk >= 4 ? lt_avx2_load(xi + kk)
				                          : lt_avx2_maskload(xi + kk, lt_avx2_tail_mask(kn - kk));
				_mm256_store_pd(yi + kk, lt_avx2_pos(lt_avx2_mulw(lt_avx2_to_d(xv), w, wq, q, C), q));
			}
		}
		if (centered)
			for (size_t kk = 0; kk < s; kk += 4) {
				__m256d v = _mm256_set1_pd(0.5);
				for (unsigned i = 0; i < nin; i++) {
					/* a product then a sum, each rounded, as the scalar path (a large y rounded as there) */
					const size_t row = bc->big_of[i] >= 0 ? bc->nvin + (unsigned)bc->big_of[i]
					                                      : (unsigned)bc->vrow_of[i];
					__m256d p = _mm256_mul_pd(_mm256_load_pd(yb + row * s + kk),
					                          _mm256_set1_pd(bc->inv_in[i]));
					__asm__("" : "+x"(p));
					v = _mm256_add_pd(v, p);
				}
				/* v in [0.5, nin + 0.5): truncation is the floor; (uint8_t) keeps the low byte */
				__m128i u = _mm_and_si128(_mm256_cvttpd_epi32(v), _mm_set1_epi32(255));
				_mm256_store_pd(ub + kk, _mm256_cvtepi32_pd(u));
			}
		for (unsigned j = j0; j < j1; j++) {
			if (bc->big_out[j])
				continue; /* lt_baseconv_*_big_scalar's */
			uint64_t *o = out + (size_t)j * n + b0;
			const double *u = centered ? ub : NULL;
			comb cbv, *cb = NULL;
			if (xo) {
				const uint64_t q = bc->out[j]->q;
				cbv.x = xo + (size_t)j * n + b0;
				lt_avx2_bconst(cx[j], q, &cbv.wx, &cbv.wxq);
				lt_avx2_bconst(cy[j], q, &cbv.wy, &cbv.wyq);
				cb = &cbv;
			}
			size_t kk = 0;
			for (; kk + 16 <= kn; kk += 16)
				sum_vecs(4, bc, j, yb, s, u, kk, o, 4, cb);
			for (; kk + 4 <= kn; kk += 4)
				sum_vecs(1, bc, j, yb, s, u, kk, o, 4, cb);
			if (kk < kn)
				sum_vecs(1, bc, j, yb, s, u, kk, o, kn - kk, cb);
		}
	}
}

void
lt_baseconv_ext_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                     int centered, size_t k0, size_t k1, unsigned j0, unsigned j1)
{
	ext_range(bc, out, x, n, centered, k0, k1, j0, j1, NULL, NULL, NULL);
}

/*
 * Threads split the coefficients (at multiples of 4), not the output
 * limbs: each block of y is computed once and used for every output limb
 * while in L1, so splitting the limbs would make every thread recompute
 * all of y. Every word is computed the same way whatever the split, so
 * the result does not depend on the thread count.
 */
void
lt_baseconv_apply_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                       uint64_t *scratch, int centered)
{
	const unsigned nout = bc->nout;
#pragma omp parallel if (lt_par(nout, n))
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		const size_t k0 = n / 4 * t / nt * 4;
		const size_t k1 = t + 1 == nt ? n : n / 4 * (t + 1) / nt * 4;
		if (k0 < k1)
			lt_baseconv_ext_avx2(bc, out, x, n, centered, k0, k1, 0, nout);
	}
	if (bc->nbig_out)
		lt_baseconv_apply_big_scalar(bc, out, x, n, scratch, centered);
}

/* as lt_baseconv_apply_avx2: threads split the coefficients */
void
lt_baseconv_mulsub_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin, size_t n,
                        const uint64_t *cx, const uint64_t *cy)
{
	const unsigned nout = bc->nout;
#pragma omp parallel if (lt_par(nout, n))
	{
		const size_t nt = (size_t)omp_get_num_threads(), t = (size_t)omp_get_thread_num();
		const size_t k0 = n / 4 * t / nt * 4;
		const size_t k1 = t + 1 == nt ? n : n / 4 * (t + 1) / nt * 4;
		if (k0 < k1)
			ext_range(bc, out, xin, n, 1, k0, k1, 0, nout, x, cx, cy);
	}
	if (bc->nbig_out)
		lt_baseconv_mulsub_big_scalar(bc, out, x, xin, n, cx, cy);
}

/*
 * The centered lift of y in [0, c) mod q, c, q < 2^50 odd: yc = y - c
 * when y > (c-1)/2, else y, exact, |yc| <= (c-1)/2 < 2^49; then
 * red(yc) = yc - round(yc / q) q, an integer with |.| <= q/2 + 1 < q
 * (F3), congruent to yc mod q.
 */
LT_AI __m256d
lift_red(__m256i yv, __m256d c, __m256d ch, __m256d q, __m256d qinv, __m256d C)
{
	__m256d y = lt_avx2_to_d(yv);
	__m256d big = _mm256_cmp_pd(y, ch, _CMP_GT_OQ);
	return lt_avx2_red(_mm256_sub_pd(y, _mm256_and_pd(big, c)), q, qinv, C);
}

void
lt_tdiv_lift_avx2(uint64_t *r, const uint64_t *y, size_t n, uint64_t c, const lt_modulus *m)
{
	const __m256d q = _mm256_set1_pd((double)m->q), qinv = _mm256_set1_pd(1.0 / (double)m->q);
	const __m256d C = _mm256_set1_pd(LT_AVX2_MAGIC);
	const __m256d cd = _mm256_set1_pd((double)c), ch = _mm256_set1_pd((double)((c - 1) / 2));
	size_t k = 0;
	/* |red| < q: to_u makes it canonical (P) */
	for (; k + 4 <= n; k += 4)
		lt_avx2_store(r + k, lt_avx2_to_u(lift_red(lt_avx2_load(y + k), cd, ch, q, qinv, C), q));
	if (k < n) {
		const __m256i mk = lt_avx2_tail_mask(n - k);
		lt_avx2_maskstore(r + k, mk, lt_avx2_to_u(lift_red(lt_avx2_maskload(y + k, mk), cd, ch, q, qinv, C), q));
	}
}

/*
 * x cx - lift(y) cy: x in [0, q), the lift |e| <= q/2 + 1, cx, cy
 * balanced, so each product is below 9q/16 in magnitude (F1) and the
 * difference below 9q/8; fold and to_u make it canonical (S).
 */
LT_AI __m256i
lift_mulsub_step(__m256i xv, __m256i yv, const comb *cb, __m256d cd, __m256d ch, __m256d q, __m256d qinv,
                 __m256d C)
{
	__m256d e = lift_red(yv, cd, ch, q, qinv, C);
	__m256d d = _mm256_sub_pd(lt_avx2_mulw(lt_avx2_to_d(xv), cb->wx, cb->wxq, q, C),
	                          lt_avx2_mulw(e, cb->wy, cb->wyq, q, C));
	return lt_avx2_to_u(lt_avx2_fold(d, q), q);
}

void
lt_tdiv_lift_mulsub_avx2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                         uint64_t c, const lt_modulus *m)
{
	const __m256d q = _mm256_set1_pd((double)m->q), qinv = _mm256_set1_pd(1.0 / (double)m->q);
	const __m256d C = _mm256_set1_pd(LT_AVX2_MAGIC);
	const __m256d cd = _mm256_set1_pd((double)c), ch = _mm256_set1_pd((double)((c - 1) / 2));
	comb cb;
	lt_avx2_bconst(cx, m->q, &cb.wx, &cb.wxq);
	lt_avx2_bconst(cy, m->q, &cb.wy, &cb.wyq);
	size_t k = 0;
	for (; k + 4 <= n; k += 4)
		lt_avx2_store(r + k, lift_mulsub_step(lt_avx2_load(x + k), lt_avx2_load(y + k), &cb, cd, ch, q, qinv, C));
	if (k < n) {
		const __m256i mk = lt_avx2_tail_mask(n - k);
		lt_avx2_maskstore(r + k, mk,
		                  lift_mulsub_step(lt_avx2_maskload(x + k, mk), lt_avx2_maskload(y + k, mk), &cb, cd, ch,
		                                   q, qinv, C));
	}
}
