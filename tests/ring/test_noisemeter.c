/*
 * Noise meter: the constant-time maximum of centered CRT values, its
 * integer, its log2 and the short decryption check, against exact FLINT
 * CRT, within the errors the header documents.
 */
#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <flint/fmpz.h>
#include <flint/fmpz_vec.h>

#include "common/util.h"
#include "core/mem.h"
#include "ring/crt.h"
#include "ring/noisemeter.h"

#define LOGN 4
#define NMAX 64

static const unsigned MARGINS[] = { 0, 1, 2, 5, 20, 40, 60 };
#define NMARGINS (sizeof(MARGINS) / sizeof(MARGINS[0]))

/* a basis of k primes with sizes spread over [lo, hi] */
typedef struct basis_spec {
	unsigned k, lo, hi;
} basis_spec;

static const basis_spec BASES[] = {
	{ 1, 30, 30 }, { 1, 61, 61 }, { 2, 30, 31 }, { 2, 61, 60 }, { 15, 50, 50 },
	{ 15, 30, 61 }, { 40, 30, 61 }, { 40, 61, 61 },
};
#define NBASES (sizeof(BASES) / sizeof(BASES[0]))

typedef struct fixture {
	lt_ring r;
	lt_noisemeter m;
	fmpz_t Q, emax;
	uint64_t *scr;
} fixture;

static void
fixture_init(fixture *c, basis_spec b, unsigned words)
{
	unsigned bits[LT_MAX_MODULI];
	for (unsigned i = 0; i < b.k; i++)
		bits[i] = b.k == 1 ? b.lo : b.lo + (unsigned)(((long)b.hi - (long)b.lo) * (long)i / (long)(b.k - 1));
	cr_assert_eq(test_ring(&c->r, LOGN, bits, b.k), LATHE_OK);
	cr_assert_eq(lt_noisemeter_init(&c->m, c->r.modp, b.k, words), LATHE_OK);
	fmpz_init(c->Q);
	fmpz_init(c->emax);
	lt_crt_modulus(c->Q, c->r.modp, b.k);
	for (unsigned i = 0; i < b.k; i++)
		fmpz_add_ui(c->emax, c->emax, c->r.mod[i].q - 1);
	c->scr = lt_alloc(c->m.scratch_words * sizeof(uint64_t));
}

static void
fixture_clear(fixture *c)
{
	lt_free(c->scr);
	fmpz_clear(c->Q);
	fmpz_clear(c->emax);
	lt_noisemeter_clear(&c->m);
	lt_ring_clear(&c->r);
}

/* a uniform integer of `bits` bits (below 2^bits) */
static void
rand_bits(lt_prng *g, fmpz_t x, unsigned bits)
{
	fmpz_zero(x);
	for (unsigned b = 0; b < bits; b += 64) {
		fmpz_mul_2exp(x, x, 64);
		fmpz_add_ui(x, x, lt_prng_u64(g));
	}
	fmpz_fdiv_q_2exp(x, x, (bits + 63) / 64 * 64 - bits);
}

static void
rand_sign(lt_prng *g, fmpz_t x)
{
	if (lt_prng_u64(g) & 1)
		fmpz_neg(x, x);
}

/* M = max_j |x_j| of the exact centered CRT of v */
static void
ref_max(const fixture *c, fmpz_t M, const uint64_t *v, size_t n)
{
	fmpz *xs = _fmpz_vec_init((slong)n);
	lt_crt_compose(xs, v, n, c->r.modp, c->m.k, 1);
	fmpz_zero(M);
	for (size_t j = 0; j < n; j++)
		if (fmpz_cmpabs(xs + j, M) > 0)
			fmpz_abs(M, xs + j);
	_fmpz_vec_clear(xs, (slong)n);
}

static void
set_words(fmpz_t x, const uint64_t *w, unsigned n)
{
	fmpz_set_ui_array(x, (const ulong *)w, (slong)n);
}

/*
 * What lt_noisemeter_exceeds must return for maximum M: 1 when
 * 2^{1+mb} M >= Q, 0 when M < (Q / 2^{1+mb}) (1 - d) with
 * d = Emax 2^{1+mb-64t}, -1 (either) between. Also checks d <= 2^-40.
 */
static int
exceeds_expected(const fixture *c, const fmpz_t M, unsigned mb)
{
	const unsigned t = lt_noisemeter_exceeds_words(&c->m, mb);
	cr_assert(t == 2 || t == 3);
	fmpz_t a, b;
	fmpz_init(a);
	fmpz_init(b);
	/* d <= 2^-40 <=> Emax 2^{1+mb+40} <= 2^{64t} */
	fmpz_mul_2exp(a, c->emax, 1 + mb + 40);
	fmpz_one(b);
	fmpz_mul_2exp(b, b, 64 * t);
	cr_assert(fmpz_cmp(a, b) <= 0, "band wider than 2^-40 (k=%u mb=%u t=%u)", c->m.k, mb, t);
	int want;
	fmpz_mul_2exp(a, M, 1 + mb);
	if (fmpz_cmp(a, c->Q) >= 0) {
		want = 1;
	} else {
		/* M 2^{1+mb} 2^{64t} < Q (2^{64t} - Emax 2^{1+mb}) */
		fmpz_mul_2exp(a, a, 64 * t);
		fmpz_mul_2exp(b, c->emax, 1 + mb);
		fmpz_neg(b, b);
		fmpz_t one;
		fmpz_init(one);
		fmpz_one(one);
		fmpz_mul_2exp(one, one, 64 * t);
		fmpz_add(b, b, one);
		fmpz_mul(b, b, c->Q);
		want = fmpz_cmp(a, b) < 0 ? 0 : -1;
		fmpz_clear(one);
	}
	fmpz_clear(a);
	fmpz_clear(b);
	return want;
}

/* counts of exceeds checks with a definite answer, to see the tests are not vacuous */
static unsigned long strict_zero, strict_one;

static void
check_exceeds(const fixture *c, const uint64_t *v, size_t n, const fmpz_t M, unsigned mb,
              const char *what)
{
	int want = exceeds_expected(c, M, mb);
	int got = lt_noisemeter_exceeds(&c->m, v, n, mb, NULL);
	cr_assert(got == 0 || got == 1);
	if (want >= 0)
		cr_assert_eq(got, want, "%s: exceeds(mb=%u) = %d, want %d (k=%u, M has %lu bits, seed=%llu)",
		             what, mb, got, want, c->m.k, (unsigned long)fmpz_bits(M),
		             (unsigned long long)test_seed());
	if (want == 0)
		strict_zero++;
	if (want == 1)
		strict_one++;
}

/* max_frac, max_int, log2_max and exceeds for v against the exact maximum */
static void
check_all(const fixture *c, const uint64_t *v, size_t n, const char *what)
{
	const lt_noisemeter *m = &c->m;
	const unsigned W = m->words;
	const unsigned long long seed = test_seed();
	fmpz_t M, F, lhs, rhs, eq;
	fmpz_init(M);
	fmpz_init(F);
	fmpz_init(lhs);
	fmpz_init(rhs);
	fmpz_init(eq);
	ref_max(c, M, v, n);

	/* 2^{64W} M / Q - Emax < max_frac < 2^{64W} M / Q + Emax, max_frac <= 2^{64W-1} */
	uint64_t frac[LT_NOISEMETER_MAX_WORDS];
	lt_noisemeter_max(m, v, n, frac, c->scr);
	set_words(F, frac, W);
	fmpz_one(lhs);
	fmpz_mul_2exp(lhs, lhs, 64 * W - 1);
	cr_assert(fmpz_cmp(F, lhs) <= 0, "%s: max_frac above 1/2 (seed=%llu)", what, seed);
	fmpz_mul(lhs, F, c->Q);
	fmpz_mul_2exp(rhs, M, 64 * W);
	fmpz_mul(eq, c->emax, c->Q);
	fmpz_sub(rhs, rhs, lhs); /* 2^{64W} M - F Q, must be in (-Emax Q, Emax Q) */
	cr_assert(fmpz_cmpabs(rhs, eq) < 0, "%s: max_frac off by Emax or more (k=%u W=%u seed=%llu)",
	          what, m->k, W, seed);

	for (size_t i = 0; i < NMARGINS; i++)
		check_exceeds(c, v, n, M, MARGINS[i], what);

	/* the integer: exact with the default width */
	uint64_t mi[LT_MAX_MODULI + 1];
	lt_noisemeter_max_int(m, v, n, mi, c->scr);
	set_words(F, mi, m->qwords);
	if (m->exact) {
		cr_assert(fmpz_equal(F, M), "%s: max_int wrong (k=%u, M has %lu bits, seed=%llu)", what, m->k,
		          (unsigned long)fmpz_bits(M), seed);
	} else {
		/* |M' - M| < Emax Q / 2^{64W} + 1/2 */
		fmpz_sub(lhs, F, M);
		fmpz_abs(lhs, lhs);
		fmpz_mul_2exp(lhs, lhs, 64 * W + 1);
		fmpz_mul_2exp(rhs, eq, 1);
		fmpz_one(F);
		fmpz_mul_2exp(F, F, 64 * W);
		fmpz_add(rhs, rhs, F);
		cr_assert(fmpz_cmp(lhs, rhs) < 0, "%s: max_int beyond its bound (W=%u seed=%llu)", what, W, seed);
		set_words(M, mi, m->qwords); /* log2 is about M' then */
	}

	/* log2: floor and ceil exact, close to log2 M */
	double L = lt_noisemeter_log2_max(m, v, n, c->scr);
	if (fmpz_is_zero(M)) {
		cr_assert(isinf(L) && L < 0, "%s: log2 of 0 = %g (seed=%llu)", what, L, seed);
	} else {
		const long bl = (long)fmpz_bits(M);
		fmpz_one(F);
		fmpz_mul_2exp(F, F, (ulong)(bl - 1));
		const int pow2 = fmpz_equal(F, M);
		cr_assert_eq((long)floor(L), bl - 1, "%s: floor(log2) = %ld for %ld bits (seed=%llu)", what,
		             (long)floor(L), bl, seed);
		cr_assert_eq((long)ceil(L), pow2 ? bl - 1 : bl, "%s: ceil(log2) = %ld for %ld bits%s (seed=%llu)",
		             what, (long)ceil(L), bl, pow2 ? ", a power of two" : "", seed);
		slong ex;
		double d = fmpz_get_d_2exp(&ex, M);
		double ref = log2(d) + (double)ex;
		cr_assert(fabs(L - ref) <= 0x1p-38, "%s: log2 %.17g vs %.17g (seed=%llu)", what, L, ref, seed);
	}

	fmpz_clear(M);
	fmpz_clear(F);
	fmpz_clear(lhs);
	fmpz_clear(rhs);
	fmpz_clear(eq);
}

/* limbs of the integers x[0..n) */
static void
lift(const fixture *c, uint64_t *v, const fmpz *x, size_t n)
{
	lt_crt_decompose(v, x, n, c->r.modp, c->m.k);
}

Test(noisemeter, tables_match_flint)
{
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		const lt_noisemeter *m = &c.m;
		const unsigned W = m->words;
		unsigned lk = 0;
		while ((1u << lk) < m->k)
			lk++;
		unsigned want_w = ((unsigned)fmpz_bits(c.Q) + lk + 66 + 63) / 64;
		cr_assert_eq(W, want_w < 3 ? 3 : want_w, "default width for k=%u", m->k);
		cr_assert(m->exact, "the default width must be exact");
		cr_assert_eq(m->scratch_words, 2 * W + m->qwords);
		cr_assert(fabs(m->log2q - fmpz_dlog(c.Q) / log(2.0)) < 1e-9 * m->log2q);
		fmpz_t x, qi, r;
		fmpz_init(x);
		fmpz_init(qi);
		fmpz_init(r);
		set_words(x, m->Q, m->qwords);
		cr_assert(fmpz_equal(x, c.Q));
		set_words(x, m->emax, 2);
		cr_assert(fmpz_equal(x, c.emax));
		for (unsigned i = 0; i < m->k; i++) {
			fmpz_set_ui(qi, c.r.mod[i].q);
			fmpz_divexact(x, c.Q, qi);
			fmpz_invmod(r, x, qi);
			cr_assert_eq(fmpz_get_ui(r), m->qhat_inv[i]);
			/* S_i = floor(2^{64W} w_i / q_i), and its top t words are floor(2^{64t} w_i / q_i) */
			const ulong wi = fmpz_get_ui(r);
			for (unsigned t = 1; t <= W; t++) {
				fmpz_set_ui(x, wi);
				fmpz_mul_2exp(x, x, 64 * t);
				fmpz_fdiv_q(x, x, qi);
				uint64_t top[LT_NOISEMETER_MAX_WORDS];
				for (unsigned w = 0; w < t; w++)
					top[w] = m->R[(size_t)(W - t + w) * m->k + i];
				set_words(r, top, t);
				cr_assert(fmpz_equal(x, r), "S_%u top %u words (k=%u)", i, t, m->k);
			}
		}
		fmpz_clear(x);
		fmpz_clear(qi);
		fmpz_clear(r);
		fixture_clear(&c);
	}
}

Test(noisemeter, refuses_bad_arguments)
{
	static const unsigned bits[] = { 40, 41, 42 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, LOGN, bits, 3), LATHE_OK);
	lt_noisemeter m;
	cr_assert_eq(lt_noisemeter_init(NULL, r.modp, 3, 0), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, NULL, 3, 0), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, r.modp, 0, 0), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, r.modp, LT_MAX_MODULI + 1, 0), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, r.modp, 3, 1), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, r.modp, 3, 2), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, r.modp, 3, LT_NOISEMETER_MAX_WORDS + 1), LATHE_EINVAL);
	cr_assert_null(m.R, "a refused init leaves the struct zeroed");
	lt_noisemeter_clear(&m);
	const lt_modulus *rep[3] = { r.modp[0], r.modp[1], r.modp[0] };
	cr_assert_eq(lt_noisemeter_init(&m, rep, 3, 0), LATHE_EPARAM);
	const lt_modulus *nul[2] = { r.modp[0], NULL };
	cr_assert_eq(lt_noisemeter_init(&m, nul, 2, 0), LATHE_EINVAL);
	cr_assert_eq(lt_noisemeter_init(&m, r.modp, 3, 3), LATHE_OK);
	lt_noisemeter_clear(&m);
	lt_noisemeter_clear(&m);
	lt_noisemeter_clear(NULL);
	lt_ring_clear(&r);
}

Test(noisemeter, random_full_range)
{
	lt_prng g;
	test_prng(&g, 200);
	uint64_t *v = lt_alloc((size_t)LT_MAX_MODULI * NMAX * 8);
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		for (unsigned t = 0; t < test_mult(8); t++) {
			const size_t n = t == 0 ? 1 : t == 1 ? 37 : NMAX;
			for (unsigned i = 0; i < c.m.k; i++)
				test_rand_vec(&g, v + (size_t)i * n, n, c.r.mod[i].q);
			if (t == 2) /* all q_i - 1: x = Q - 1, centered -1 */
				for (unsigned i = 0; i < c.m.k; i++)
					for (size_t j = 0; j < n; j++)
						v[(size_t)i * n + j] = c.r.mod[i].q - 1;
			check_all(&c, v, n, "random full range");
		}
		fixture_clear(&c);
	}
	lt_free(v);
}

/*
 * Small CRT values: signed integers whose maximum has exactly b bits (a
 * power of two, 2^b - 1 or 2^{b-1} + 1 among smaller ones, or random b-bit
 * values), for every b from 1 to bits(Q) - 2, lifted into the limbs.
 */
Test(noisemeter, small_values_bit_lengths)
{
	lt_prng g;
	test_prng(&g, 201);
	const size_t n = 16;
	uint64_t *v = lt_alloc((size_t)LT_MAX_MODULI * n * 8);
	fmpz *x = _fmpz_vec_init((slong)n);
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		const unsigned qb = (unsigned)fmpz_bits(c.Q);
		for (unsigned b = 1; b + 2 <= qb; b++) {
			const unsigned kind = (b + (unsigned)bi) % 4;
			/* the others below 2^{b-1}, so that the special one is the maximum, or random b-bit */
			for (size_t j = 0; j < n; j++) {
				rand_bits(&g, x + j, kind < 3 ? b - 1 : b);
				rand_sign(&g, x + j);
			}
			fmpz *top = x + test_rand(&g, n);
			switch (kind) {
			case 0:
				fmpz_one(top);
				fmpz_mul_2exp(top, top, b - 1);
				break;
			case 1:
				fmpz_one(top);
				fmpz_mul_2exp(top, top, b);
				fmpz_sub_ui(top, top, 1);
				break;
			case 2:
				fmpz_one(top);
				fmpz_mul_2exp(top, top, b - 1);
				fmpz_add_ui(top, top, b > 1);
				break;
			default:
				rand_bits(&g, top, b - 1);
				fmpz_setbit(top, b - 1);
			}
			rand_sign(&g, top);
			lift(&c, v, x, n);
			check_all(&c, v, n, "small values");
		}
		fixture_clear(&c);
	}
	_fmpz_vec_clear(x, (slong)n);
	lt_free(v);
}

/*
 * exceeds at and around Q / 2^{1+mb}: T = ceil(Q / 2^{1+mb}) + d for small
 * d, T (1 +- 2^-s), and the lower edge of the band, each of both signs,
 * among random values well below. Exact 0 or 1 wherever the header
 * promises one (just below by one is exact for the small bases).
 */
Test(noisemeter, exceeds_at_threshold)
{
	static const unsigned margins[] = { 0, 1, 2, 5, 20, 40, 60 };
	static const unsigned shifts[] = { 20, 39, 41, 60, 100 };
	lt_prng g;
	test_prng(&g, 202);
	const size_t n = 24;
	uint64_t *v = lt_alloc((size_t)LT_MAX_MODULI * n * 8);
	fmpz *x = _fmpz_vec_init((slong)n);
	fmpz_t T, cand, tmp, M;
	fmpz_init(T);
	fmpz_init(cand);
	fmpz_init(tmp);
	fmpz_init(M);
	strict_zero = strict_one = 0;
	unsigned long below_by_one = 0;
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		for (size_t mi = 0; mi < sizeof margins / sizeof margins[0]; mi++) {
			const unsigned mb = margins[mi];
			if (fmpz_bits(c.Q) < mb + 8)
				continue;
			const unsigned t = lt_noisemeter_exceeds_words(&c.m, mb);
			fmpz_cdiv_q_2exp(T, c.Q, 1 + mb);
			for (int kind = 0; kind < 18; kind++) {
				if (kind < 7) {
					fmpz_add_si(cand, T, kind - 3);
				} else if (kind < 12) {
					fmpz_fdiv_q_2exp(tmp, T, shifts[kind - 7]);
					fmpz_sub(cand, T, tmp);
				} else if (kind < 17) {
					fmpz_fdiv_q_2exp(tmp, T, shifts[kind - 12]);
					fmpz_add(cand, T, tmp);
				} else {
					/* one below Q (2^{64t} - Emax 2^{1+mb}) / 2^{64t+1+mb}: the band's lower edge */
					fmpz_mul_2exp(cand, c.emax, 1 + mb);
					fmpz_one(tmp);
					fmpz_mul_2exp(tmp, tmp, 64 * t);
					fmpz_sub(tmp, tmp, cand);
					fmpz_mul(tmp, tmp, c.Q);
					fmpz_fdiv_q_2exp(cand, tmp, 64 * t + 1 + mb);
					fmpz_sub_ui(cand, cand, 1);
				}
				for (int sgn = 0; sgn < 2; sgn++) {
					for (size_t j = 0; j < n; j++) {
						rand_bits(&g, x + j, (unsigned)fmpz_bits(T) - 3);
						rand_sign(&g, x + j);
					}
					const size_t pos = test_rand(&g, n);
					fmpz_set(x + pos, cand);
					if (sgn)
						fmpz_neg(x + pos, x + pos);
					lift(&c, v, x, n);
					ref_max(&c, M, v, n);
					if (kind == 2 && exceeds_expected(&c, M, mb) == 0)
						below_by_one++;
					check_exceeds(&c, v, n, M, mb, "threshold");
				}
			}
		}
		fixture_clear(&c);
	}
	cr_assert_gt(strict_zero, 100, "too few definite 0s: %lu", strict_zero);
	cr_assert_gt(strict_one, 100, "too few definite 1s: %lu", strict_one);
	cr_assert_gt(below_by_one, 10, "one below the threshold never had a definite answer");
	fmpz_clear(T);
	fmpz_clear(cand);
	fmpz_clear(tmp);
	fmpz_clear(M);
	_fmpz_vec_clear(x, (slong)n);
	lt_free(v);
}

Test(noisemeter, all_zero)
{
	uint64_t *v = lt_calloc((size_t)LT_MAX_MODULI * NMAX, 8);
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		uint64_t frac[LT_NOISEMETER_MAX_WORDS];
		memset(frac, 0xa5, sizeof(frac));
		lt_noisemeter_max(&c.m, v, NMAX, frac, c.scr);
		for (unsigned w = 0; w < c.m.words; w++)
			cr_assert_eq(frac[w], 0, "zero polynomial: max_frac word %u", w);
		double L = lt_noisemeter_log2_max(&c.m, v, NMAX, c.scr);
		cr_assert(isinf(L) && L < 0);
		for (unsigned mb = 0; mb <= 60; mb++)
			cr_assert_eq(lt_noisemeter_exceeds(&c.m, v, NMAX, mb, NULL), 0);
		check_all(&c, v, NMAX, "all zero");
		fixture_clear(&c);
	}
	lt_free(v);
}

/* one nonzero coefficient, at every position: large, near Q/2, or +-1 */
Test(noisemeter, single_large_coefficient)
{
	lt_prng g;
	test_prng(&g, 203);
	const size_t n = 37;
	uint64_t *v = lt_alloc((size_t)LT_MAX_MODULI * n * 8);
	fmpz *x = _fmpz_vec_init((slong)n);
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		const unsigned qb = (unsigned)fmpz_bits(c.Q);
		for (size_t pos = 0; pos < n; pos++) {
			_fmpz_vec_zero(x, (slong)n);
			switch (pos % 4) {
			case 0: /* (Q-1)/2, the largest centered value */
				fmpz_fdiv_q_2exp(x + pos, c.Q, 1);
				break;
			case 1:
				fmpz_set_ui(x + pos, 1);
				break;
			default:
				rand_bits(&g, x + pos, qb - 2);
			}
			rand_sign(&g, x + pos);
			lift(&c, v, x, n);
			check_all(&c, v, n, "single coefficient");
		}
		fixture_clear(&c);
	}
	_fmpz_vec_clear(x, (slong)n);
	lt_free(v);
}

/*
 * Many near-equal maxima: x_j = +-(M0 - r_j) with small random r_j, and
 * +-M0 at one position; the maximum must be M0 whatever the signs (the
 * multi-word comparison and the centering of both halves).
 */
Test(noisemeter, near_equal_maxima)
{
	lt_prng g;
	test_prng(&g, 204);
	const size_t n = NMAX;
	uint64_t *v = lt_alloc((size_t)LT_MAX_MODULI * n * 8);
	fmpz *x = _fmpz_vec_init((slong)n);
	fmpz_t M0, M;
	fmpz_init(M0);
	fmpz_init(M);
	for (size_t bi = 0; bi < NBASES; bi++) {
		fixture c;
		fixture_init(&c, BASES[bi], 0);
		const unsigned qb = (unsigned)fmpz_bits(c.Q);
		for (unsigned t = 0; t < test_mult(6); t++) {
			/* M0 <= (Q-1)/2, of at least qb/2 bits; the others M0 - [1, 2^rb] */
			fmpz_fdiv_q_2exp(M0, c.Q, 1 + (t == 0 ? 0 : (unsigned)test_rand(&g, qb / 2)));
			const unsigned mbits = (unsigned)fmpz_bits(M0);
			const unsigned rb = t % 2 ? 2 : mbits / 2 < 40 ? mbits / 2 : 40;
			for (size_t j = 0; j < n; j++) {
				rand_bits(&g, x + j, rb);
				fmpz_add_ui(x + j, x + j, 1);
				fmpz_sub(x + j, M0, x + j);
				rand_sign(&g, x + j);
			}
			fmpz_set(x + test_rand(&g, n), M0);
			if (t & 2)
				fmpz_neg(x + test_rand(&g, n), M0);
			lift(&c, v, x, n);
			ref_max(&c, M, v, n);
			cr_assert(fmpz_equal(M, M0));
			check_all(&c, v, n, "near-equal maxima");
		}
		fixture_clear(&c);
	}
	fmpz_clear(M0);
	fmpz_clear(M);
	_fmpz_vec_clear(x, (slong)n);
	lt_free(v);
}

/* explicit widths: narrower than the default stays within its bound, wider is exact */
Test(noisemeter, explicit_width_within_documented_error)
{
	lt_prng g;
	test_prng(&g, 205);
	const size_t n = 32;
	uint64_t *v = lt_alloc((size_t)LT_MAX_MODULI * n * 8);
	fmpz *x = _fmpz_vec_init((slong)n);
	static const basis_spec b[] = { { 15, 50, 50 }, { 40, 30, 61 } };
	for (size_t bi = 0; bi < 2; bi++) {
		fixture c0;
		fixture_init(&c0, b[bi], 0);
		const unsigned wd = c0.m.words;
		fixture_clear(&c0);
		const unsigned widths[] = { 3, wd / 2, wd - 1, wd + 1, wd + 4 };
		for (size_t wi = 0; wi < 5; wi++) {
			fixture c;
			fixture_init(&c, b[bi], widths[wi]);
			cr_assert_eq(c.m.words, widths[wi]);
			const unsigned need = (unsigned)fmpz_bits(c.Q) + (unsigned)fmpz_bits(c.emax) + 1;
			cr_assert_eq(c.m.exact, 64 * widths[wi] >= need, "exact flag at W=%u", widths[wi]);
			if (widths[wi] < wd / 2 + 1)
				cr_assert(!c.m.exact);
			const unsigned qb = (unsigned)fmpz_bits(c.Q);
			for (unsigned t = 0; t < test_mult(4); t++) {
				for (size_t j = 0; j < n; j++) {
					rand_bits(&g, x + j, 1 + (unsigned)test_rand(&g, qb - 2));
					rand_sign(&g, x + j);
				}
				lift(&c, v, x, n);
				check_all(&c, v, n, "explicit width");
			}
			fixture_clear(&c);
		}
	}
	_fmpz_vec_clear(x, (slong)n);
	lt_free(v);
}

static double
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Prints (never asserts) the time of exceeds and log2_max at N = 2^15, k = 15 primes of 50 bits. */
Test(noisemeter, timing_report)
{
	const basis_spec b = { 15, 50, 50 };
	fixture c;
	fixture_init(&c, b, 0);
	const size_t n = (size_t)1 << 15;
	uint64_t *v = lt_alloc((size_t)c.m.k * n * 8);
	lt_prng g;
	test_prng(&g, 206);
	for (unsigned i = 0; i < c.m.k; i++)
		test_rand_vec(&g, v + (size_t)i * n, n, c.r.mod[i].q);
	enum { REPS = 9 };
	double te[REPS], t3[REPS], tl[REPS];
	volatile double sink = 0;
	for (int r = 0; r < REPS; r++) {
		double t0 = now_ns();
		sink += lt_noisemeter_exceeds(&c.m, v, n, 20, NULL);
		double t1 = now_ns();
		sink += lt_noisemeter_exceeds(&c.m, v, n, 60, NULL);
		double t2 = now_ns();
		sink += lt_noisemeter_log2_max(&c.m, v, n, c.scr);
		double t4 = now_ns();
		te[r] = t1 - t0;
		t3[r] = t2 - t1;
		tl[r] = t4 - t2;
	}
	qsort(te, REPS, sizeof(double), cmp_double);
	qsort(t3, REPS, sizeof(double), cmp_double);
	qsort(tl, REPS, sizeof(double), cmp_double);
	fprintf(stderr,
	        "noisemeter N=2^15 k=15 q~2^50 W=%u (median of %d, min): exceeds(mb=20, t=%u) %.3f ms (%.3f); "
	        "exceeds(mb=60, t=%u) %.3f ms (%.3f); log2_max %.3f ms (%.3f)\n",
	        c.m.words, REPS, lt_noisemeter_exceeds_words(&c.m, 20), te[REPS / 2] * 1e-6, te[0] * 1e-6,
	        lt_noisemeter_exceeds_words(&c.m, 60), t3[REPS / 2] * 1e-6, t3[0] * 1e-6,
	        tl[REPS / 2] * 1e-6, tl[0] * 1e-6);
	(void)sink;
	lt_free(v);
	fixture_clear(&c);
}
