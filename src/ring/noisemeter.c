#include "noisemeter.h"

#include <assert.h>
#include <math.h>
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "modarith.h"

/*
 * Hides a mask's value from the optimizer, so that selections made with it
 * stay arithmetic instead of becoming branches.
 */
static inline uint64_t
ct_barrier(uint64_t x)
{
#if defined(__GNUC__)
	__asm__("" : "+r"(x));
#endif
	return x;
}

static unsigned
bits_u64(uint64_t x)
{
	unsigned b = 0;
	while (x) {
		b++;
		x >>= 1;
	}
	return b;
}

/* bit length of the little-endian number a[0..n) (public data) */
static unsigned
bits_words(const uint64_t *a, unsigned n)
{
	while (n > 0 && a[n - 1] == 0)
		n--;
	return n == 0 ? 0 : 64 * (n - 1) + bits_u64(a[n - 1]);
}

static unsigned
ceil_log2(unsigned k)
{
	unsigned b = 0;
	while ((1u << b) < k)
		b++;
	return b;
}

void
lt_noisemeter_clear(lt_noisemeter *m)
{
	if (!m)
		return;
	lt_free(m->qhat_inv);
	lt_free(m->R);
	lt_free(m->Q);
	memset(m, 0, sizeof(*m));
}

lathe_status
lt_noisemeter_init(lt_noisemeter *m, const lt_modulus *const *mod, unsigned k, unsigned words)
{
	LT_CHECK_NULL(m);
	memset(m, 0, sizeof(*m));
	if (!mod || k == 0 || k > LT_MAX_MODULI)
		return lt_fail(LATHE_EINVAL, "noise meter: %u moduli (need 1 to %u)", k, LT_MAX_MODULI);
	if (words != 0 && (words < 3 || words > LT_NOISEMETER_MAX_WORDS))
		return lt_fail(LATHE_EINVAL, "noise meter: %u words (need 0 or 3 to %u)", words,
		               LT_NOISEMETER_MAX_WORDS);
	for (unsigned i = 0; i < k; i++)
		if (!mod[i])
			return lt_fail(LATHE_EINVAL, "noise meter: modulus %u is NULL", i);

	/* Q and Emax = sum (q_i - 1), on public words */
	uint64_t qw[LT_MAX_MODULI + 1];
	unsigned qn = 1;
	qw[0] = 1;
	lt_u128 emax = 0;
	double log2q = 0;
	for (unsigned i = 0; i < k; i++) {
		const uint64_t q = mod[i]->q;
		uint64_t c = 0;
		for (unsigned w = 0; w < qn; w++) {
			lt_u128 t = (lt_u128)qw[w] * q + c;
			qw[w] = (uint64_t)t;
			c = (uint64_t)(t >> 64);
		}
		if (c)
			qw[qn++] = c;
		emax += q - 1;
		log2q += log2((double)q);
	}
	const unsigned qbits = bits_words(qw, qn);
	const uint64_t ew[2] = { (uint64_t)emax, (uint64_t)(emax >> 64) };
	const unsigned ebits = bits_words(ew, 2);
	if (words == 0) {
		words = (qbits + ceil_log2(k) + 66 + 63) / 64;
		if (words < 3)
			words = 3;
		if (words > LT_NOISEMETER_MAX_WORDS)
			return lt_fail(LATHE_EINVAL, "noise meter: Q of %u bits needs %u words (at most %u)",
			               qbits, words, LT_NOISEMETER_MAX_WORDS);
	}
	const unsigned W = words;

	m->qhat_inv = lt_alloc(k * sizeof(uint64_t));
	m->R = lt_alloc((size_t)k * W * sizeof(uint64_t));
	m->Q = lt_alloc(qn * sizeof(uint64_t));
	if (!m->qhat_inv || !m->R || !m->Q) {
		lt_noisemeter_clear(m);
		return lt_fail(LATHE_ENOMEM, "noise meter: out of memory");
	}
	for (unsigned i = 0; i < k; i++) {
		const lt_modulus *mi = mod[i];
		const uint64_t q = mi->q;
		uint64_t h = 1 % q;
		for (unsigned j = 0; j < k; j++)
			if (j != i)
				h = lt_mulmod(h, mod[j]->q % q, q, mi->br);
		uint64_t inv = h ? lt_invmod(h, q, mi->br) : 0;
		if (h == 0 || lt_mulmod(h, inv, q, mi->br) != 1 % q || q < 3) {
			lt_noisemeter_clear(m);
			return lt_fail(LATHE_EPARAM, "noise meter: modulus %llu is not coprime to the others",
			               (unsigned long long)q);
		}
		m->qhat_inv[i] = inv;
		/* floor(2^{64W} inv / q): long division of inv followed by W zero words */
		uint64_t rem = inv;
		for (unsigned w = W; w-- > 0;) {
			lt_u128 num = (lt_u128)rem << 64;
			m->R[(size_t)w * k + i] = (uint64_t)(num / q);
			rem = (uint64_t)(num % q);
		}
	}
	memcpy(m->Q, qw, qn * sizeof(uint64_t));
	m->k = k;
	m->words = W;
	m->qwords = qn;
	m->scratch_words = 2 * W + qn;
	m->exact = 64 * W >= qbits + ebits + 1;
	m->log2q = log2q;
	m->emax[0] = ew[0];
	m->emax[1] = ew[1];
	m->mod = mod;
	return LATHE_OK;
}

/* Coefficients gathered per block, so that each limb is read a cache line at a time. */
#define BLOCK 8

/* xb[b*k + i] = v[i*n + j0 + b] for b < nb */
static inline void
gather(uint64_t *restrict xb, const uint64_t *restrict v, size_t n, unsigned k, size_t j0,
       unsigned nb)
{
	for (unsigned i = 0; i < k; i++)
		for (unsigned b = 0; b < nb; b++)
			xb[b * k + i] = v[(size_t)i * n + j0 + b];
}

/*
 * f[0..t) = sum_i x_i * S_i mod 2^{64t}, where row w of rows (k words)
 * holds word w of every S_i (the top t rows of the table). Each row is
 * summed on its own in two 128-bit column sums (low and high halves of the
 * products, at most k words < 2^64 each), so no carry chain runs through
 * the k-loop; the columns are carried once at the end. The top row's
 * products only need their low halves: the rest is integer part.
 */
static inline void
frac_coeff(const uint64_t *restrict rows, unsigned k, const uint64_t *restrict x, unsigned t,
           uint64_t *restrict f)
{
	lt_u128 acc = 0; /* high halves of the row below, plus its carry */
	for (unsigned w = 0; w + 1 < t; w++) {
		const uint64_t *r = rows + (size_t)w * k;
		lt_u128 lo = 0, hi = 0;
		for (unsigned i = 0; i < k; i++) {
			lt_u128 p = (lt_u128)x[i] * r[i];
			lo += (uint64_t)p;
			hi += (uint64_t)(p >> 64);
		}
		acc += lo;
		f[w] = (uint64_t)acc;
		acc = (acc >> 64) + hi;
	}
	const uint64_t *r = rows + (size_t)(t - 1) * k;
	uint64_t top = (uint64_t)acc;
	for (unsigned i = 0; i < k; i++)
		top += x[i] * r[i];
	f[t - 1] = top;
}

/* g = the centered value of fraction g (-g mod 2^{64W} when its top bit is set); max = max(max, g). */
static inline void
center_max(uint64_t *restrict max, uint64_t *restrict g, unsigned W)
{
	const uint64_t s = g[W - 1] >> 63, neg = ct_barrier(-s);
	uint64_t c = s;
	for (unsigned w = 0; w < W; w++) {
		lt_u128 u = (lt_u128)(g[w] ^ neg) + c;
		g[w] = (uint64_t)u;
		c = (uint64_t)(u >> 64);
	}
	/* borrow of max - g: 1 exactly when max < g */
	uint64_t br = 0;
	for (unsigned w = 0; w < W; w++) {
		lt_u128 d = (lt_u128)max[w] - g[w] - br;
		br = (uint64_t)(d >> 64) & 1;
	}
	const uint64_t sel = ct_barrier(-br);
	for (unsigned w = 0; w < W; w++)
		max[w] ^= (max[w] ^ g[w]) & sel;
}

void
lt_noisemeter_max(const lt_noisemeter *m, const uint64_t *v, size_t n, uint64_t *max_frac,
                  uint64_t *scratch)
{
	assert(m && v && max_frac && scratch && n >= 1 && n <= LT_NOISEMETER_MAX_N);
	const unsigned W = m->words, k = m->k;
	uint64_t xb[BLOCK * LT_MAX_MODULI];
	uint64_t *g = scratch;
	memset(max_frac, 0, W * sizeof(uint64_t));
	for (size_t j0 = 0; j0 < n; j0 += BLOCK) {
		const unsigned nb = n - j0 < BLOCK ? (unsigned)(n - j0) : BLOCK;
		gather(xb, v, n, k, j0, nb);
		for (unsigned b = 0; b < nb; b++) {
			frac_coeff(m->R, k, xb + (size_t)b * k, W, g);
			center_max(max_frac, g, W);
		}
	}
	lt_memzero(xb, sizeof(xb));
	lt_memzero(g, W * sizeof(uint64_t));
}

/*
 * The maximum as an integer, left in scratch: returns a pointer to its
 * m->qwords words (scratch + 2W). scratch[0..W) holds max_frac.
 */
static const uint64_t *
max_int_core(const lt_noisemeter *m, const uint64_t *v, size_t n, uint64_t *scratch)
{
	const unsigned W = m->words, qn = m->qwords;
	uint64_t *mx = scratch, *p = scratch + W;
	lt_noisemeter_max(m, v, n, mx, p);
	/* p = mx * Q + 2^{64W-1}, W + qn words; the rounded quotient is p's top qn words */
	memset(p, 0, ((size_t)W + qn) * sizeof(uint64_t));
	for (unsigned a = 0; a < qn; a++) {
		uint64_t c = 0;
		for (unsigned w = 0; w < W; w++) {
			lt_u128 t = (lt_u128)mx[w] * m->Q[a] + p[a + w] + c;
			p[a + w] = (uint64_t)t;
			c = (uint64_t)(t >> 64);
		}
		p[a + W] = c;
	}
	uint64_t c = (uint64_t)1 << 63;
	for (unsigned w = W - 1; w < W + qn; w++) {
		lt_u128 t = (lt_u128)p[w] + c;
		p[w] = (uint64_t)t;
		c = (uint64_t)(t >> 64);
	}
	return p + W;
}

void
lt_noisemeter_max_int(const lt_noisemeter *m, const uint64_t *v, size_t n, uint64_t *max_int,
                      uint64_t *scratch)
{
	assert(max_int);
	const uint64_t *r = max_int_core(m, v, n, scratch);
	memcpy(max_int, r, m->qwords * sizeof(uint64_t));
	lt_memzero(scratch, m->scratch_words * sizeof(uint64_t));
}

double
lt_noisemeter_log2_max(const lt_noisemeter *m, const uint64_t *v, size_t n, uint64_t *scratch)
{
	const uint64_t *x = max_int_core(m, v, n, scratch);
	/* from here on only the output M is read */
	const unsigned len = bits_words(x, m->qwords);
	double out;
	if (len == 0) {
		out = -INFINITY;
	} else {
		const unsigned e = len - 1; /* 2^e <= M < 2^{e+1} */
		const unsigned top = e / 64, sh = e % 64;
		/* hi = M's 64 bits from bit e down; M is a power of two when no other bit is set */
		uint64_t hi = x[top] << (63 - sh);
		if (top > 0 && sh < 63)
			hi |= x[top - 1] >> (sh + 1);
		int rest = x[top] != (uint64_t)1 << sh;
		for (unsigned w = 0; w < top; w++)
			rest |= x[w] != 0;
		const double lo = (double)e, up = (double)e + 1;
		if (!rest) {
			out = lo;
		} else {
			/* hi / 2^63 in (1, 2); its log2 rounds, so keep the result strictly inside (e, e+1) */
			out = lo + log2((double)hi * 0x1p-63);
			if (out <= lo)
				out = nextafter(lo, up);
			if (out >= up)
				out = nextafter(up, lo);
		}
	}
	lt_memzero(scratch, m->scratch_words * sizeof(uint64_t));
	return out;
}

unsigned
lt_noisemeter_exceeds_words(const lt_noisemeter *m, unsigned margin_bits)
{
	return bits_words(m->emax, 2) + margin_bits + 41 <= 128 ? 2 : 3;
}

/*
 * t-word interval test (t a constant after inlining). With A = 2^{64t-1-mb},
 * f = F - E, F = 2^{64t} x/Q, 0 <= E < Emax < A:
 * |x_c| >= Q/2^{1+mb}  <=>  A <= F <= 2^{64t} - A  =>  A - Emax < f <= 2^{64t} - A,
 * tested as (f + Emax - A) mod 2^{64t} <= Emax - 2A mod 2^{64t}.
 */
static inline int
exceeds_t(const lt_noisemeter *m, const uint64_t *v, size_t n, unsigned mb, unsigned t)
{
	uint64_t a[3] = { 0, 0, 0 }, a2[3] = { 0, 0, 0 }, e[3] = { m->emax[0], m->emax[1], 0 };
	uint64_t cz[3], lim[3];
	const unsigned pa = 64 * t - 1 - mb, pa2 = pa + 1;
	a[pa / 64] = (uint64_t)1 << (pa % 64);
	if (pa2 < 64 * t)
		a2[pa2 / 64] = (uint64_t)1 << (pa2 % 64);
	uint64_t b1 = 0, b2 = 0;
	for (unsigned w = 0; w < t; w++) {
		lt_u128 d1 = (lt_u128)e[w] - a[w] - b1;
		cz[w] = (uint64_t)d1;
		b1 = (uint64_t)(d1 >> 64) & 1;
		lt_u128 d2 = (lt_u128)e[w] - a2[w] - b2;
		lim[w] = (uint64_t)d2;
		b2 = (uint64_t)(d2 >> 64) & 1;
	}
	const unsigned k = m->k;
	const uint64_t *rows = m->R + (size_t)(m->words - t) * k;
	uint64_t xb[BLOCK * LT_MAX_MODULI], f[3], any = 0;
	for (size_t j0 = 0; j0 < n; j0 += BLOCK) {
		const unsigned nb = n - j0 < BLOCK ? (unsigned)(n - j0) : BLOCK;
		gather(xb, v, n, k, j0, nb);
		for (unsigned b = 0; b < nb; b++) {
			frac_coeff(rows, k, xb + (size_t)b * k, t, f);
			uint64_t cy = 0, br = 0;
			for (unsigned w = 0; w < t; w++) {
				lt_u128 s = (lt_u128)f[w] + cz[w] + cy;
				cy = (uint64_t)(s >> 64);
				lt_u128 u = (lt_u128)lim[w] - (uint64_t)s - br;
				br = (uint64_t)(u >> 64) & 1;
			}
			any |= br ^ 1;
		}
	}
	lt_memzero(xb, sizeof(xb));
	lt_memzero(f, sizeof(f));
	return (int)ct_barrier(any);
}

int
lt_noisemeter_exceeds(const lt_noisemeter *m, const uint64_t *v, size_t n, unsigned margin_bits,
                      uint64_t *scratch)
{
	(void)scratch;
	assert(m && v && n >= 1 && n <= LT_NOISEMETER_MAX_N && margin_bits <= 60);
	if (lt_noisemeter_exceeds_words(m, margin_bits) == 2)
		return exceeds_t(m, v, n, margin_bits, 2);
	return exceeds_t(m, v, n, margin_bits, 3);
}
