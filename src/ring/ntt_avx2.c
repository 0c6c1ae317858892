/*
 * AVX2+FMA negacyclic NTT for primes q < 2^50 (DESIGN §3).
 *
 * Residues are integers held exactly in doubles. Products mod q are exact
 * with FMA (van der Hoeven, Lecerf, Quintin, "Modular SIMD arithmetic in
 * Mathemagix", ACM TOMS 2016); inside the transform values are balanced
 * (signed) and only partially reduced, one reduction per radix-4
 * butterfly, in the manner of Harvey 2014 ("Faster arithmetic for
 * number-theoretic transforms") and FLINT 3's fft_small. psi is merged into
 * the twiddles (Longa-Naehrig 2016); radix-4 passes use broadcast twiddles;
 * the two layers of span 1 and 2 run in registers on 4x4 transposed
 * groups with per-lane twiddles; N^-1 is folded into the last inverse
 * layer; uint64 <-> double conversion happens only in the first and last
 * pass. The transform runs in place: while it runs the caller's words hold
 * doubles (all accesses go through may_alias vector types).
 *
 * Range proof, from the lemmas (R), (L), (F1)-(F4) of avx2.h (twiddles w
 * balanced, |w| <= (q-1)/2, eps = q 2^-54 < 1/16).
 * Forward, invariant |x| <= 2.2q between passes. Radix 4 with x0 reduced
 * (F3): |y1|,|y3| <= 2.2q + q/2 + 2.2q eps <= 2.84q (< 2^52 for F1),
 * outputs <= (q/2 + 1) + (q/2 + 2.2q eps) + (q/2 + 2.84q eps) <= 1.82q + 1.
 * The first pass does not reduce: inputs < q give <= 2q + 2.6q eps <=
 * 2.17q (a leading radix-2 layer: <= 1.57q). The in-register layers (F1'):
 * 0.775q, 2.975q, then outputs <= 2.15q + 1, canonicalised by (F4).
 * Inverse, invariant |x| <= 1.5q. x0 +- x1 <= 3q (F1: <= 0.69q); y0 + y2
 * <= 6q is reduced (F3); y0 - y2 <= 6q and y1 - y3 <= 1.38q go through (F2):
 * <= q + 6q eps <= 1.38q; y1 + y3 <= 1.38q. The in-register first layers
 * (F1', F2') take inputs in [0, q) to <= 1.25q. The last layer multiplies
 * by N^-1 or wi[1] N^-1 through (F2) (<= 1.38q) and canonicalises (F4).
 * Every sum stays below 2^53 in magnitude, so every step is exact and the
 * results are the scalar path's canonical residues.
 */
#include "ntt_avx2.h"

#include <assert.h>
#include <string.h>

#include "../core/mem.h"
#include "avx2.h"

#define LT_AI LT_AVX2_INLINE

/* Blocks of 2^LOG_BLK doubles (32 KiB) get all their layers while in L1. */
#define LOG_BLK 12 /* even: the schedules below rely on it */
/* Columns per chunk in the passes over the whole array (large N). */
#define CHUNK 64

/*
 * Vector tables. For the forward (f) and inverse (i) direction:
 *   *b: pairs (w_j, w_j/q) for j in [1, N/4), w_j balanced, for radix-4
 *       passes with broadcast twiddles (j = 0 unused);
 *   *l: per group g of 16 words, three vectors of balanced per-lane
 *       twiddles (k = 4g + lane) for the in-register layers of span 2, 1:
 *       fwd: w[N/4+k], w[N/2+2k], w[N/2+2k+1]
 *       inv: wi[N/2+2k], wi[N/2+2k+1], wi[N/4+k]
 *       (no quotients: mulq, which keeps this table at 3N/4 doubles).
 * Together 5N/4 doubles per direction.
 */
typedef struct vtab {
	double q, qinv, h0;     /* h0 = (q-1)/2 */
	double ni, niq2;        /* N^-1 balanced, and its quotient / 2 */
	double wn, wnq2;        /* wi[1] * N^-1 balanced, quotient / 2 */
	double *fb, *fl, *ib, *il;
} vtab;

/*
 * Builds tab->vec (layout above, one 64-byte-aligned allocation) from the
 * scalar tables; requires q < 2^50 and N >= 16. Returns 0, or -1 when out
 * of memory (tab->vec left NULL). Public data only.
 */
int
lt_ntt_avx2_init(lt_ntt_tables *tab)
{
	assert(tab->q < LT_VEC_QMAX && tab->n >= 16);
	const size_t n = tab->n;
	const uint64_t q = tab->q;
	const double qd = (double)q;
	size_t head = (sizeof(vtab) + 63) & ~(size_t)63;
	/* fb, ib: N/2 doubles each; fl, il: (N/16) * 12 = 3N/4 doubles each */
	size_t total = head + 2 * (n / 2 + 3 * n / 4) * sizeof(double);
	unsigned char *mem = lt_alloc(total);
	if (!mem)
		return -1;
	vtab *t = (vtab *)mem;
	memset(t, 0, sizeof(*t));
	t->fb = (double *)(mem + head);
	t->ib = t->fb + n / 2;
	t->fl = t->ib + n / 2;
	t->il = t->fl + 3 * n / 4;

	t->q = qd;
	t->qinv = 1.0 / qd;
	t->h0 = (double)((q - 1) / 2);
	t->ni = lt_avx2_balanced(tab->n_inv, q);
	t->niq2 = 0.5 * (t->ni / qd);
	t->wn = lt_avx2_balanced(tab->wi1_ninv, q);
	t->wnq2 = 0.5 * (t->wn / qd);

	t->fb[0] = t->fb[1] = t->ib[0] = t->ib[1] = 0.0;
	for (size_t j = 1; j < n / 4; j++) {
		double w = lt_avx2_balanced(tab->w[j], q), wi = lt_avx2_balanced(tab->wi[j], q);
		t->fb[2 * j] = w;
		t->fb[2 * j + 1] = w / qd;
		t->ib[2 * j] = wi;
		t->ib[2 * j + 1] = wi / qd;
	}
	for (size_t g = 0; g < n / 16; g++) {
		double *f = t->fl + 12 * g, *v = t->il + 12 * g;
		for (size_t l = 0; l < 4; l++) {
			size_t k = 4 * g + l;
			double w1 = lt_avx2_balanced(tab->w[n / 4 + k], q);
			double w2 = lt_avx2_balanced(tab->w[n / 2 + 2 * k], q);
			double w3 = lt_avx2_balanced(tab->w[n / 2 + 2 * k + 1], q);
			f[l] = w1;
			f[4 + l] = w2;
			f[8 + l] = w3;
			double wa = lt_avx2_balanced(tab->wi[n / 2 + 2 * k], q);
			double wb = lt_avx2_balanced(tab->wi[n / 2 + 2 * k + 1], q);
			double wc = lt_avx2_balanced(tab->wi[n / 4 + k], q);
			v[l] = wa;
			v[4 + l] = wb;
			v[8 + l] = wc;
		}
	}
	tab->vec = t;
	return 0;
}

/* ---- vector arithmetic -------------------------------------------------- */

typedef struct kc {
	__m256d q, q2, qinv, qinv2, C;
} kc;

LT_AI kc
consts(const vtab *t)
{
	kc k;
	k.q = _mm256_set1_pd(t->q);
	k.q2 = _mm256_set1_pd(2.0 * t->q);
	k.qinv = _mm256_set1_pd(t->qinv);
	k.qinv2 = _mm256_set1_pd(0.5 * t->qinv);
	k.C = _mm256_set1_pd(LT_AVX2_MAGIC);
	return k;
}

/* Twiddle product: mulw (F1, F2) when sh (wq = w/q or w/2q), else mulq (F1', F2'). */
LT_AI __m256d
mulx(__m256d b, __m256d w, __m256d wq, __m256d qq, __m256d qqinv, __m256d C, int sh)
{
	return sh ? lt_avx2_mulw(b, w, wq, qq, C) : lt_avx2_mulq(b, w, qq, qqinv, C);
}

/* x mod q into |r| <= q/2 + 1 (F3). CT: yes. */
LT_AI __m256d
red(__m256d x, kc k)
{
	return lt_avx2_red(x, k.q, k.qinv, k.C);
}

LT_AI __m256d
load_u64(const uint64_t *p)
{
	return lt_avx2_to_d(lt_avx2_load(p));
}

/* |x| < 2^52 - q to the canonical word x mod q (F4). CT: yes. */
LT_AI __m256i
canon(__m256d x, __m256d h0, kc k)
{
	return lt_avx2_canon(x, h0, k.q, k.qinv, k.C);
}

LT_AI __m256d
ld(const double *p)
{
	return _mm256_loadu_pd(p);
}

LT_AI void
st(double *p, __m256d v)
{
	_mm256_storeu_pd(p, v);
}

LT_AI void
st_u64(double *p, __m256i v)
{
	_mm256_storeu_si256((__m256i *)(void *)p, v);
}

/*
 * 16 words at p as the columns of a 4x4 matrix: x_c = (p[c], p[4+c],
 * p[8+c], p[12+c]), from 128-bit loads and in-lane unpacks.
 */
LT_AI void
ld_cols(const double *p, __m256d *x0, __m256d *x1, __m256d *x2, __m256d *x3)
{
	__m256d l0 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(p)), _mm_loadu_pd(p + 8), 1);
	__m256d l1 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(p + 4)), _mm_loadu_pd(p + 12), 1);
	__m256d l2 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(p + 2)), _mm_loadu_pd(p + 10), 1);
	__m256d l3 = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(p + 6)), _mm_loadu_pd(p + 14), 1);
	*x0 = _mm256_unpacklo_pd(l0, l1);
	*x1 = _mm256_unpackhi_pd(l0, l1);
	*x2 = _mm256_unpacklo_pd(l2, l3);
	*x3 = _mm256_unpackhi_pd(l2, l3);
}

LT_AI void
st2(double *lo, double *hi, __m256d v)
{
	_mm_storeu_pd(lo, _mm256_castpd256_pd128(v));
	_mm_storeu_pd(hi, _mm256_extractf128_pd(v, 1));
}

/* Inverse of ld_cols: stores the columns x0..x3 back as 16 words at p. */
LT_AI void
st_cols(double *p, __m256d x0, __m256d x1, __m256d x2, __m256d x3)
{
	st2(p, p + 8, _mm256_unpacklo_pd(x0, x1));
	st2(p + 4, p + 12, _mm256_unpackhi_pd(x0, x1));
	st2(p + 2, p + 10, _mm256_unpacklo_pd(x2, x3));
	st2(p + 6, p + 14, _mm256_unpackhi_pd(x2, x3));
}

/*
 * Forward radix-4 butterfly (two Cooley-Tukey layers): with w1 the outer
 * twiddle and w2, w3 the inner ones,
 *   y0,y2 = x0 +- w1 x2,  y1,y3 = x1 +- w1 x3,
 *   z0,z1 = y0 +- w2 y1,  z2,z3 = y2 +- w3 y3.
 */
LT_AI void
bf_fwd(__m256d *x0, __m256d *x1, __m256d *x2, __m256d *x3,
       __m256d w1, __m256d w1q, __m256d w2, __m256d w2q, __m256d w3, __m256d w3q,
       kc k, int reduce, int sh)
{
	__m256d a0 = reduce ? red(*x0, k) : *x0;
	__m256d p2 = mulx(*x2, w1, w1q, k.q, k.qinv, k.C, sh);
	__m256d p3 = mulx(*x3, w1, w1q, k.q, k.qinv, k.C, sh);
	__m256d y0 = _mm256_add_pd(a0, p2), y2 = _mm256_sub_pd(a0, p2);
	__m256d y1 = _mm256_add_pd(*x1, p3), y3 = _mm256_sub_pd(*x1, p3);
	__m256d p1 = mulx(y1, w2, w2q, k.q, k.qinv, k.C, sh);
	__m256d p4 = mulx(y3, w3, w3q, k.q, k.qinv, k.C, sh);
	*x0 = _mm256_add_pd(y0, p1);
	*x1 = _mm256_sub_pd(y0, p1);
	*x2 = _mm256_add_pd(y2, p4);
	*x3 = _mm256_sub_pd(y2, p4);
}

/*
 * Inverse radix-4 butterfly (two Gentleman-Sande layers): wa, wb inner
 * twiddles, wc the outer one with half quotient wc/(2q) (F2):
 *   y0 = x0 + x1, y1 = wa (x0 - x1), y2 = x2 + x3, y3 = wb (x2 - x3),
 *   z0 = y0 + y2 (reduced), z2 = wc (y0 - y2), z1 = y1 + y3, z3 = wc (y1 - y3).
 */
LT_AI void
bf_inv(__m256d *x0, __m256d *x1, __m256d *x2, __m256d *x3,
       __m256d wa, __m256d waq, __m256d wb, __m256d wbq, __m256d wc, __m256d wcq2,
       kc k, int sh)
{
	__m256d y0 = _mm256_add_pd(*x0, *x1);
	__m256d y1 = mulx(_mm256_sub_pd(*x0, *x1), wa, waq, k.q, k.qinv, k.C, sh);
	__m256d y2 = _mm256_add_pd(*x2, *x3);
	__m256d y3 = mulx(_mm256_sub_pd(*x2, *x3), wb, wbq, k.q, k.qinv, k.C, sh);
	*x0 = red(_mm256_add_pd(y0, y2), k);
	*x2 = mulx(_mm256_sub_pd(y0, y2), wc, wcq2, k.q2, k.qinv2, k.C, sh);
	*x1 = _mm256_add_pd(y1, y3);
	*x3 = mulx(_mm256_sub_pd(y1, y3), wc, wcq2, k.q2, k.qinv2, k.C, sh);
}

/* ---- passes ------------------------------------------------------------- */

/*
 * The array is viewed as rows of R words; a pass touches columns
 * [c0, c0 + W) of every row (W, c0 multiples of 4, R a multiple of W).
 * Passes over a block in cache use R = span, c0 = 0, W = span.
 */

/*
 * Forward radix-4 over layers (m, 2m): blocks i in [i0, i1) of 4s words,
 * x_r = a[4si + j + r s], twiddles w[m+i], w[2m+2i], w[2m+2i+1].
 * conv: the input is uint64 words in [0, q) (first pass), no reduction.
 */
LT_AI void
fwd_r4_gen(double *a, const vtab *t, size_t m, size_t s, size_t i0, size_t i1,
           size_t R, size_t c0, size_t W, int conv)
{
	const kc k = consts(t);
	for (size_t i = i0; i < i1; i++) {
		const double *e1 = t->fb + 2 * (m + i), *e2 = t->fb + 2 * (2 * m + 2 * i);
		const __m256d w1 = _mm256_broadcast_sd(e1), w1q = _mm256_broadcast_sd(e1 + 1);
		const __m256d w2 = _mm256_broadcast_sd(e2), w2q = _mm256_broadcast_sd(e2 + 1);
		const __m256d w3 = _mm256_broadcast_sd(e2 + 2), w3q = _mm256_broadcast_sd(e2 + 3);
		for (size_t jr = 0; jr < s; jr += R) {
			double *x = a + 4 * s * i + jr + c0;
			for (size_t c = 0; c < W; c += 4) {
				double *p = x + c;
				__m256d x0, x1, x2, x3;
				if (conv) {
					x0 = load_u64((const uint64_t *)(void *)p);
					x1 = load_u64((const uint64_t *)(void *)(p + s));
					x2 = load_u64((const uint64_t *)(void *)(p + 2 * s));
					x3 = load_u64((const uint64_t *)(void *)(p + 3 * s));
				} else {
					x0 = ld(p);
					x1 = ld(p + s);
					x2 = ld(p + 2 * s);
					x3 = ld(p + 3 * s);
				}
				bf_fwd(&x0, &x1, &x2, &x3, w1, w1q, w2, w2q, w3, w3q, k, !conv, 1);
				st(p, x0);
				st(p + s, x1);
				st(p + 2 * s, x2);
				st(p + 3 * s, x3);
			}
		}
	}
}

static void
fwd_r4(double *a, const vtab *t, size_t m, size_t s, size_t i0, size_t i1,
       size_t R, size_t c0, size_t W)
{
	fwd_r4_gen(a, t, m, s, i0, i1, R, c0, W, 0);
}

static void
fwd_r4_first(double *a, const vtab *t, size_t m, size_t s, size_t i0, size_t i1,
             size_t R, size_t c0, size_t W)
{
	fwd_r4_gen(a, t, m, s, i0, i1, R, c0, W, 1);
}

/*
 * Forward radix-2 layer m = 1 (span N/2, twiddle w[1]) on uint64 input:
 * only ever the first layer, so it converts and needs no reduction.
 */
static void
fwd_r2_first(double *a, const vtab *t, size_t half, size_t R, size_t c0, size_t W)
{
	const kc k = consts(t);
	const __m256d w = _mm256_broadcast_sd(t->fb + 2), wq = _mm256_broadcast_sd(t->fb + 3);
	for (size_t jr = 0; jr < half; jr += R) {
		double *x = a + jr + c0;
		for (size_t c = 0; c < W; c += 4) {
			double *p = x + c;
			__m256d x0 = load_u64((const uint64_t *)(void *)p);
			__m256d x1 = load_u64((const uint64_t *)(void *)(p + half));
			__m256d p1 = mulx(x1, w, wq, k.q, k.qinv, k.C, 1);
			st(p, _mm256_add_pd(x0, p1));
			st(p + half, _mm256_sub_pd(x0, p1));
		}
	}
}

/*
 * Forward layers of span 2 and 1 on 16-word groups [g0, g1), in registers
 * after a transpose, with canonical uint64 output.
 */
static void
fwd_last(double *a, const vtab *t, size_t g0, size_t g1)
{
	const kc k = consts(t);
	const __m256d h0 = _mm256_set1_pd(t->h0);
	const double *r = t->fl + 12 * g0;
	for (size_t g = g0; g < g1; g++, r += 12) {
		double *p = a + 16 * g;
		__m256d x0, x1, x2, x3;
		ld_cols(p, &x0, &x1, &x2, &x3);
		const __m256d w1 = ld(r), w2 = ld(r + 4), w3 = ld(r + 8);
		bf_fwd(&x0, &x1, &x2, &x3, w1, w1, w2, w2, w3, w3, k, 1, 0);
		__m256d o0 = _mm256_castsi256_pd(canon(x0, h0, k));
		__m256d o1 = _mm256_castsi256_pd(canon(x1, h0, k));
		__m256d o2 = _mm256_castsi256_pd(canon(x2, h0, k));
		__m256d o3 = _mm256_castsi256_pd(canon(x3, h0, k));
		st_cols(p, o0, o1, o2, o3);
	}
}

/*
 * Inverse layers of span 1 and 2 on 16-word groups [g0, g1): uint64 input
 * in [0, q), transposed into registers, double output.
 */
static void
inv_first(double *a, const vtab *t, size_t g0, size_t g1)
{
	const kc k = consts(t);
	const double *r = t->il + 12 * g0;
	for (size_t g = g0; g < g1; g++, r += 12) {
		double *p = a + 16 * g;
		__m256d x0, x1, x2, x3;
		ld_cols(p, &x0, &x1, &x2, &x3);
		x0 = lt_avx2_to_d(_mm256_castpd_si256(x0));
		x1 = lt_avx2_to_d(_mm256_castpd_si256(x1));
		x2 = lt_avx2_to_d(_mm256_castpd_si256(x2));
		x3 = lt_avx2_to_d(_mm256_castpd_si256(x3));
		const __m256d wa = ld(r), wb = ld(r + 4), wc = ld(r + 8);
		bf_inv(&x0, &x1, &x2, &x3, wa, wa, wb, wb, wc, wc, k, 0);
		st_cols(p, x0, x1, x2, x3);
	}
}

/*
 * Inverse radix-4 over layers (m, m/2): blocks i in [i0, i1) of 4s words
 * (s = N/(2m)), twiddles wi[m+2i], wi[m+2i+1], wi[m/2+i].
 */
static void
inv_r4(double *a, const vtab *t, size_t m, size_t s, size_t i0, size_t i1,
       size_t R, size_t c0, size_t W)
{
	const kc k = consts(t);
	const __m256d half = _mm256_set1_pd(0.5);
	for (size_t i = i0; i < i1; i++) {
		const double *e1 = t->ib + 2 * (m + 2 * i), *e2 = t->ib + 2 * (m / 2 + i);
		const __m256d wa = _mm256_broadcast_sd(e1), waq = _mm256_broadcast_sd(e1 + 1);
		const __m256d wb = _mm256_broadcast_sd(e1 + 2), wbq = _mm256_broadcast_sd(e1 + 3);
		const __m256d wc = _mm256_broadcast_sd(e2);
		const __m256d wcq2 = _mm256_mul_pd(_mm256_broadcast_sd(e2 + 1), half);
		for (size_t jr = 0; jr < s; jr += R) {
			double *x = a + 4 * s * i + jr + c0;
			for (size_t c = 0; c < W; c += 4) {
				double *p = x + c;
				__m256d x0 = ld(p), x1 = ld(p + s), x2 = ld(p + 2 * s), x3 = ld(p + 3 * s);
				bf_inv(&x0, &x1, &x2, &x3, wa, waq, wb, wbq, wc, wcq2, k, 1);
				st(p, x0);
				st(p + s, x1);
				st(p + 2 * s, x2);
				st(p + 3 * s, x3);
			}
		}
	}
}

/*
 * Last inverse radix-4, layers (2, 1) with N^-1 folded in:
 *   z0 = N^-1 (y0 + y2), z1 = N^-1 (y1 + y3),
 *   z2 = wi[1] N^-1 (y0 - y2), z3 = wi[1] N^-1 (y1 - y3),
 * all by (F2), then canonical uint64 output (F4).
 */
static void
inv_last_r4(double *a, const vtab *t, size_t s, size_t R, size_t c0, size_t W)
{
	const kc k = consts(t);
	const __m256d h0 = _mm256_set1_pd(t->h0);
	const __m256d wa = _mm256_broadcast_sd(t->ib + 4);
	const __m256d waq = _mm256_broadcast_sd(t->ib + 5);
	const __m256d wb = _mm256_broadcast_sd(t->ib + 6);
	const __m256d wbq = _mm256_broadcast_sd(t->ib + 7);
	const __m256d ni = _mm256_set1_pd(t->ni), niq2 = _mm256_set1_pd(t->niq2);
	const __m256d wn = _mm256_set1_pd(t->wn), wnq2 = _mm256_set1_pd(t->wnq2);
	for (size_t jr = 0; jr < s; jr += R) {
		double *x = a + jr + c0;
		for (size_t c = 0; c < W; c += 4) {
			double *p = x + c;
			__m256d x0 = ld(p), x1 = ld(p + s), x2 = ld(p + 2 * s), x3 = ld(p + 3 * s);
			__m256d y0 = _mm256_add_pd(x0, x1);
			__m256d y1 = mulx(_mm256_sub_pd(x0, x1), wa, waq, k.q, k.qinv, k.C, 1);
			__m256d y2 = _mm256_add_pd(x2, x3);
			__m256d y3 = mulx(_mm256_sub_pd(x2, x3), wb, wbq, k.q, k.qinv, k.C, 1);
			__m256d z0 = lt_avx2_mulw(_mm256_add_pd(y0, y2), ni, niq2, k.q2, k.C);
			__m256d z2 = lt_avx2_mulw(_mm256_sub_pd(y0, y2), wn, wnq2, k.q2, k.C);
			__m256d z1 = lt_avx2_mulw(_mm256_add_pd(y1, y3), ni, niq2, k.q2, k.C);
			__m256d z3 = lt_avx2_mulw(_mm256_sub_pd(y1, y3), wn, wnq2, k.q2, k.C);
			st_u64(p, canon(z0, h0, k));
			st_u64(p + s, canon(z1, h0, k));
			st_u64(p + 2 * s, canon(z2, h0, k));
			st_u64(p + 3 * s, canon(z3, h0, k));
		}
	}
}

/* Last inverse layer (m = 1, span N/2) alone, N^-1 folded in, uint64 output. */
static void
inv_last_r2(double *a, const vtab *t, size_t half, size_t R, size_t c0, size_t W)
{
	const kc k = consts(t);
	const __m256d h0 = _mm256_set1_pd(t->h0);
	const __m256d ni = _mm256_set1_pd(t->ni), niq2 = _mm256_set1_pd(t->niq2);
	const __m256d wn = _mm256_set1_pd(t->wn), wnq2 = _mm256_set1_pd(t->wnq2);
	for (size_t jr = 0; jr < half; jr += R) {
		double *x = a + jr + c0;
		for (size_t c = 0; c < W; c += 4) {
			double *p = x + c;
			__m256d x0 = ld(p), x1 = ld(p + half);
			__m256d z0 = lt_avx2_mulw(_mm256_add_pd(x0, x1), ni, niq2, k.q2, k.C);
			__m256d z1 = lt_avx2_mulw(_mm256_sub_pd(x0, x1), wn, wnq2, k.q2, k.C);
			st_u64(p, canon(z0, h0, k));
			st_u64(p + half, canon(z1, h0, k));
		}
	}
}

/* ---- transforms --------------------------------------------------------- */

/*
 * Forward negacyclic NTT, in place, natural -> bit-reversed order.
 * a: N words in [0, q), any 8-byte alignment; result words in [0, q),
 * bit-identical to lt_ntt_fwd_scalar. tab: tables with tab->vec built by
 * lt_ntt_avx2_init (q < 2^50). CT: yes (no data-dependent branches or
 * indices). Schedule: the top k = logn - 12 layers (N > 4096) in column
 * chunks over the whole array, then each 4096-word block in L1 with
 * radix-4 passes and the fused span-2/span-1 layers.
 */
void
lt_ntt_fwd_avx2(uint64_t *a, const lt_ntt_tables *tab)
{
	const vtab *t = tab->vec;
	const size_t n = tab->n;
	const unsigned logn = tab->logn;
	double *d = (double *)(void *)a;
	const unsigned k = logn > LOG_BLK ? logn - LOG_BLK : 0;
	const size_t nb = (size_t)1 << k, R = n >> k;
	int first = 1;

	if (k > 0) {
		for (size_t c0 = 0; c0 < R; c0 += CHUNK) {
			size_t m;
			if (k & 1) {
				fwd_r2_first(d, t, n / 2, R, c0, CHUNK);
				m = 2;
			} else {
				fwd_r4_first(d, t, 1, n / 4, 0, 1, R, c0, CHUNK);
				m = 4;
			}
			for (; m < nb; m *= 4)
				fwd_r4(d, t, m, n / (4 * m), 0, m, R, c0, CHUNK);
		}
		first = 0;
	}
	for (size_t b = 0; b < nb; b++) {
		size_t m = nb;
		/* layers m = nb .. N/8 as radix-4 pairs (radix-2 first if odd) */
		if (first) {
			if ((logn & 1) != 0) {
				fwd_r2_first(d, t, n / 2, n / 2, 0, n / 2);
				m = 2;
			} else {
				fwd_r4_first(d, t, 1, n / 4, 0, 1, n / 4, 0, n / 4);
				m = 4;
			}
		}
		for (; m < n / 4; m *= 4) {
			size_t s = n / (4 * m);
			fwd_r4(d, t, m, s, b * m / nb, (b + 1) * m / nb, s, 0, s);
		}
		fwd_last(d, t, b * R / 16, (b + 1) * R / 16);
	}
}

/*
 * Inverse negacyclic NTT, in place, bit-reversed -> natural order, N^-1
 * folded into the last layer. a: N words in [0, q), any 8-byte alignment;
 * result in [0, q), bit-identical to lt_ntt_inv_scalar. CT: yes.
 * Schedule mirrors lt_ntt_fwd_avx2.
 */
void
lt_ntt_inv_avx2(uint64_t *a, const lt_ntt_tables *tab)
{
	const vtab *t = tab->vec;
	const size_t n = tab->n;
	const unsigned logn = tab->logn;
	double *d = (double *)(void *)a;
	const unsigned k = logn > LOG_BLK ? logn - LOG_BLK : 0;
	const size_t nb = (size_t)1 << k, R = n >> k;

	for (size_t b = 0; b < nb; b++) {
		inv_first(d, t, b * R / 16, (b + 1) * R / 16);
		/* pairs (m, m/2) inside the block; for k = 0 this leaves m = 2 or 1 */
		size_t m = n / 8;
		for (; m > 2 && m / 2 >= nb; m /= 4) {
			size_t s = n / (2 * m);
			inv_r4(d, t, m, s, b * R / (4 * s), (b + 1) * R / (4 * s), s, 0, s);
		}
		if (k == 0) {
			if (m == 2)
				inv_last_r4(d, t, n / 4, n / 4, 0, n / 4);
			else
				inv_last_r2(d, t, n / 2, n / 2, 0, n / 2);
		}
	}
	if (k > 0) {
		for (size_t c0 = 0; c0 < R; c0 += CHUNK) {
			size_t m = nb / 2;
			for (; m > 2; m /= 4)
				inv_r4(d, t, m, n / (2 * m), 0, m / 2, R, c0, CHUNK);
			if (m == 2)
				inv_last_r4(d, t, n / 4, R, c0, CHUNK);
			else
				inv_last_r2(d, t, n / 2, R, c0, CHUNK);
		}
	}
}
