/*
 * The t-preserving RNS division (ring/tdiv.h) against exact FLINT integer
 * arithmetic: X rebuilt by CRT with fmpz, Y the centered representative of
 * t^-1 X mod C, (X - tY) / C reduced mod each b_i. Every shape runs on the
 * scalar and the AVX2 kernel tables side by side (the same words), in all
 * four forms, on one and two threads; bare (composite, not NTT-friendly)
 * B moduli; refused plans.
 */
#include <criterion/criterion.h>

#include <string.h>

#include <omp.h>

#include <flint/fmpz.h>
#include <flint/ulong_extras.h>

#include "common/util.h"
#include "core/mem.h"
#include "ring/kernels.h"
#include "ring/modarith.h"
#include "ring/primes.h"
#include "ring/tdiv.h"

#define POOL 9
static const unsigned POOL_BITS[POOL] = { 50, 49, 47, 45, 42, 40, 36, 33, 30 };
static const uint64_t TS[] = { 2, 3, 65537, 257 * 257, 65536, 17 * 17 * 17 };
#define NTS (sizeof TS / sizeof TS[0])

/* k distinct primes, 1 mod 2^11 (NTT-friendly for every N <= 1024) */
static void
gen_primes(uint64_t *q, const unsigned *bits, unsigned k)
{
	for (unsigned i = 0; i < k; i++)
		cr_assert_eq(lt_primes_gen(&q[i], 1, bits[i], 10, q, i), LATHE_OK);
}

/* the kernel tables to compare: scalar, and AVX2 when this build and CPU have it */
static unsigned
tables(const lt_kernels **k)
{
	k[0] = lt_kernels_scalar();
	k[1] = lt_kernels_get(LT_KERNEL_AVX2);
	return k[1] ? 2 : 1;
}

/*
 * The exact answer for each coefficient k: want = (X - tY)/C mod b_i with
 * Y centered; lo, hi the same with Y - C and Y + C (the results the
 * rounding contract allows near a tie, R + t and R - t); tie[k] whether
 * |Y| > C (1/2 - eps), eps = nc (nc + 9) 2^-54.
 */
typedef struct ref {
	uint64_t *want, *lo, *hi;
	uint8_t *tie;
} ref;

static void
reference(ref *r, const uint64_t *x, size_t n, const lt_modulus *const *b, unsigned nb,
          const lt_modulus *const *c, unsigned nc, uint64_t t)
{
	fmpz_t X, M, C, tinv, Y, R, v, lhs, rhs;
	fmpz_init(X);
	fmpz_init(M);
	fmpz_init(C);
	fmpz_init(tinv);
	fmpz_init(Y);
	fmpz_init(R);
	fmpz_init(v);
	fmpz_init(lhs);
	fmpz_init(rhs);
	fmpz_one(C);
	for (unsigned j = 0; j < nc; j++)
		fmpz_mul_ui(C, C, c[j]->q);
	fmpz_set_ui(v, t);
	cr_assert(fmpz_invmod(tinv, v, C));
	r->want = lt_alloc((size_t)nb * n * 8);
	r->lo = lt_alloc((size_t)nb * n * 8);
	r->hi = lt_alloc((size_t)nb * n * 8);
	r->tie = lt_alloc(n);
	for (size_t k = 0; k < n; k++) {
		fmpz_zero(X);
		fmpz_one(M);
		for (unsigned l = 0; l < nb + nc; l++) {
			const uint64_t q = l < nb ? b[l]->q : c[l - nb]->q;
			fmpz_set(v, X);
			fmpz_CRT_ui(X, v, M, x[(size_t)l * n + k], q, 0);
			fmpz_mul_ui(M, M, q);
		}
		fmpz_mul(Y, X, tinv);
		fmpz_mod(Y, Y, C);
		fmpz_mul_2exp(v, Y, 1);
		if (fmpz_cmp(v, C) > 0)
			fmpz_sub(Y, Y, C);
		/* R = (X - tY) / C, exactly */
		fmpz_set(R, X);
		fmpz_submul_ui(R, Y, t);
		cr_assert(fmpz_divisible(R, C), "X - delta not divisible by C");
		fmpz_divexact(R, R, C);
		for (unsigned i = 0; i < nb; i++) {
			const uint64_t q = b[i]->q;
			const size_t w = (size_t)i * n + k;
			r->want[w] = fmpz_fdiv_ui(R, q);
			fmpz_add_ui(v, R, t);
			r->lo[w] = fmpz_fdiv_ui(v, q);
			fmpz_sub_ui(v, R, t);
			r->hi[w] = fmpz_fdiv_ui(v, q);
		}
		/* 2^55 |Y| > C (2^54 - 2 nc (nc + 9)) */
		fmpz_abs(lhs, Y);
		fmpz_mul_2exp(lhs, lhs, 55);
		fmpz_set_ui(v, 1);
		fmpz_mul_2exp(v, v, 54);
		fmpz_sub_ui(v, v, 2 * nc * (nc + 9));
		fmpz_mul(rhs, C, v);
		r->tie[k] = fmpz_cmp(lhs, rhs) > 0;
	}
	fmpz_clear(X);
	fmpz_clear(M);
	fmpz_clear(C);
	fmpz_clear(tinv);
	fmpz_clear(Y);
	fmpz_clear(R);
	fmpz_clear(v);
	fmpz_clear(lhs);
	fmpz_clear(rhs);
}

static void
ref_clear(ref *r)
{
	lt_free(r->want);
	lt_free(r->lo);
	lt_free(r->hi);
	lt_free(r->tie);
}

/* got (nb limbs, coefficient form) is the exact answer, or a near-tie alternative when nc > 1 */
static void
check(const uint64_t *got, const ref *r, size_t n, unsigned nb, unsigned nc, const char *what)
{
	for (size_t k = 0; k < n; k++) {
		int eq = 1, lo = 1, hi = 1;
		for (unsigned i = 0; i < nb; i++) {
			const size_t w = (size_t)i * n + k;
			eq &= got[w] == r->want[w];
			lo &= got[w] == r->lo[w];
			hi &= got[w] == r->hi[w];
		}
		if (eq)
			continue;
		cr_assert(nc > 1 && r->tie[k] && (lo || hi),
		          "%s: nb=%u nc=%u n=%zu coefficient %zu: not (X - t Y)/C (limb 0: %llu, want %llu) (seed=%llu)",
		          what, nb, nc, n, k, (unsigned long long)got[k], (unsigned long long)r->want[k],
		          (unsigned long long)test_seed());
	}
}

/* random words; kind 1: t^-1 X mod C at the centered boundary (C +- 1)/2, 0, C - 1; kind 2: extremes */
static void
fill(lt_prng *g, uint64_t *x, size_t n, const lt_modulus *const *b, unsigned nb, const lt_modulus *const *c,
     unsigned nc, uint64_t t, int kind)
{
	for (unsigned l = 0; l < nb + nc; l++) {
		const uint64_t q = l < nb ? b[l]->q : c[l - nb]->q;
		for (size_t k = 0; k < n; k++) {
			uint64_t w = test_rand(g, q);
			if (kind == 2)
				w = (w & 1) ? q - 1 : (w & 2) ? 0 : w;
			x[(size_t)l * n + k] = w;
		}
	}
	if (kind != 1)
		return;
	/* C limbs of t Yt with Yt in {(C-1)/2, (C+1)/2, 0, C-1} */
	fmpz_t C, Yt, v;
	fmpz_init(C);
	fmpz_init(Yt);
	fmpz_init(v);
	fmpz_one(C);
	for (unsigned j = 0; j < nc; j++)
		fmpz_mul_ui(C, C, c[j]->q);
	for (size_t k = 0; k < n; k++) {
		fmpz_fdiv_q_2exp(Yt, C, 1);
		if (k % 4 == 1)
			fmpz_add_ui(Yt, Yt, 1);
		else if (k % 4 == 2)
			fmpz_zero(Yt);
		else if (k % 4 == 3)
			fmpz_sub_ui(Yt, C, 1);
		fmpz_mul_ui(v, Yt, t);
		for (unsigned j = 0; j < nc; j++)
			x[(size_t)(nb + j) * n + k] = fmpz_fdiv_ui(v, c[j]->q);
	}
	fmpz_clear(C);
	fmpz_clear(Yt);
	fmpz_clear(v);
}

/*
 * Runs the plan on a copy of x (coefficient form) put into the forms
 * `flags`; out gets the raw result (in the B limbs' form), res the result
 * in coefficient form.
 */
static void
run(const lt_tdiv *p, const uint64_t *x, size_t n, unsigned flags, uint64_t *out, uint64_t *res)
{
	const unsigned nb = p->nb, nc = p->nc;
	uint64_t *buf = lt_alloc((size_t)(nb + nc) * n * 8);
	memcpy(buf, x, (size_t)(nb + nc) * n * 8);
	for (unsigned l = 0; l < nb + nc; l++)
		if ((l < nb && (flags & LT_TDIV_B_NTT)) || (l >= nb && (flags & LT_TDIV_C_NTT)))
			lt_ntt_fwd(buf + (size_t)l * n, &p->mod[l]->ntt);
	const size_t sw = lt_tdiv_scratch_words(p, n, flags);
	uint64_t *scr = sw ? lt_alloc(sw * 8) : NULL;
	lt_rns_tdivide(p, buf, n, flags, scr);
	memcpy(out, buf, (size_t)nb * n * 8);
	memcpy(res, buf, (size_t)nb * n * 8);
	if (flags & LT_TDIV_B_NTT)
		for (unsigned i = 0; i < nb; i++)
			lt_ntt_inv(res + (size_t)i * n, &p->b[i]->ntt);
	lt_free(scr);
	lt_free(buf);
}

/* one shape on every kernel table and form: each against FLINT, all the same words */
static void
check_shape(lt_ring *rings, unsigned nk, unsigned nb, unsigned nc, uint64_t t, lt_prng *g, int kind)
{
	const size_t n = rings[0].n;
	lt_tdiv plan[2];
	for (unsigned k = 0; k < nk; k++)
		cr_assert_eq(lt_tdiv_init(&plan[k], rings[k].modp, nb, rings[k].modp + nb, nc, t), LATHE_OK);
	uint64_t *x = lt_alloc((size_t)(nb + nc) * n * 8);
	uint64_t *out = lt_alloc((size_t)nb * n * 8), *res = lt_alloc((size_t)nb * n * 8);
	uint64_t *out0 = lt_alloc((size_t)nb * n * 8);
	fill(g, x, n, plan[0].b, nb, plan[0].c, nc, t, kind);
	ref r;
	reference(&r, x, n, plan[0].b, nb, plan[0].c, nc, t);
	char what[96];
	for (unsigned flags = 0; flags < 4; flags++) {
		for (unsigned k = 0; k < nk; k++) {
			run(&plan[k], x, n, flags, k ? out : out0, res);
			snprintf(what, sizeof what, "%s t=%llu flags=%u kind=%d", rings[k].kern->name,
			         (unsigned long long)t, flags, kind);
			check(res, &r, n, nb, nc, what);
			if (k)
				cr_assert_arr_eq(out, out0, (size_t)nb * n * 8, "%s: words differ from the scalar table's", what);
		}
	}
	ref_clear(&r);
	lt_free(x);
	lt_free(out);
	lt_free(res);
	lt_free(out0);
	for (unsigned k = 0; k < nk; k++)
		lt_tdiv_clear(&plan[k]);
}

Test(tdiv, matches_flint_on_every_path_and_form)
{
	const lt_kernels *kt[2];
	const unsigned nk = tables(kt);
	static const unsigned nbs[] = { 1, 2, 5 };
	uint64_t q[POOL];
	gen_primes(q, POOL_BITS, POOL);
	lt_prng g;
	test_prng(&g, 300);
	for (unsigned logn = 4; logn <= 10; logn += 6) {
		lt_ring rings[2];
		for (unsigned k = 0; k < nk; k++)
			cr_assert_eq(lt_ring_init_kernels(&rings[k], (size_t)1 << logn, q, POOL, kt[k]), LATHE_OK);
		for (unsigned a = 0; a < 3; a++)
			for (unsigned nc = 1; nc <= 4; nc++)
				for (unsigned ti = 0; ti < NTS; ti++)
					for (unsigned kind = 0; kind < 3 * test_mult(1); kind++)
						check_shape(rings, nk, nbs[a], nc, TS[ti], &g, (int)(kind % 3));
		for (unsigned k = 0; k < nk; k++)
			lt_ring_clear(&rings[k]);
	}
}

/* primes above 2^50 (scalar kernels on every table), and one such prime among small ones */
Test(tdiv, large_primes_take_the_scalar_kernels)
{
	static const unsigned bits[] = { 61, 60, 58, 49, 55, 45 };
	const lt_kernels *kt[2];
	const unsigned nk = tables(kt);
	uint64_t q[6];
	gen_primes(q, bits, 6);
	lt_prng g;
	test_prng(&g, 301);
	lt_ring rings[2];
	for (unsigned k = 0; k < nk; k++)
		cr_assert_eq(lt_ring_init_kernels(&rings[k], 1024, q, 6, kt[k]), LATHE_OK);
	for (unsigned ti = 0; ti < NTS; ti++) {
		check_shape(rings, nk, 3, 3, TS[ti], &g, 0);
		check_shape(rings, nk, 4, 2, TS[ti], &g, 1);
		check_shape(rings, nk, 5, 1, TS[ti], &g, 0);
	}
	lt_tdiv p;
	cr_assert_eq(lt_tdiv_init(&p, rings[nk - 1].modp, 3, rings[nk - 1].modp + 3, 1, 3), LATHE_OK);
	cr_assert_eq(p.kern, lt_kernels_scalar(), "a 61-bit prime must keep the scalar kernels");
	lt_tdiv_clear(&p);
	for (unsigned k = 0; k < nk; k++)
		lt_ring_clear(&rings[k]);
}

/*
 * Coefficient form has no NTT, so any length: every vector tail, and
 * nc = 15 with 50-bit primes (the AVX2 extension's lazy sums reduce past
 * 14 terms). Out of place (lt_rns_tdivide_to) against in place.
 */
Test(tdiv, any_length_in_coefficient_form)
{
	static const size_t lens[] = { 1, 2, 3, 4, 5, 7, 13, 16, 17, 33, 255, 513, 1021 };
	const lt_kernels *kt[2];
	const unsigned nk = tables(kt);
	unsigned bits[20];
	for (unsigned i = 0; i < 20; i++)
		bits[i] = 50;
	uint64_t q[20];
	gen_primes(q, bits, 20);
	lt_prng g;
	test_prng(&g, 302);
	lt_ring rings[2];
	for (unsigned k = 0; k < nk; k++) {
		cr_assert_eq(lt_ring_init_kernels(&rings[k], 16, q, 20, kt[k]), LATHE_OK);
		if (k)
			cr_assert_eq(rings[k].mod[0].ntt.kern, kt[k]);
	}
	static const unsigned shapes[][2] = { { 1, 1 }, { 4, 1 }, { 1, 3 }, { 4, 3 }, { 2, 15 }, { 5, 15 } };
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		const unsigned nb = shapes[s][0], nc = shapes[s][1];
		for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
			const size_t n = lens[li];
			const uint64_t t = TS[li % NTS];
			uint64_t *x = lt_alloc((size_t)(nb + nc) * n * 8), *y = lt_alloc((size_t)(nb + nc) * n * 8);
			uint64_t *o = lt_alloc((size_t)nb * n * 8), *o0 = lt_alloc((size_t)nb * n * 8);
			lt_tdiv p0;
			cr_assert_eq(lt_tdiv_init(&p0, rings[0].modp, nb, rings[0].modp + nb, nc, t), LATHE_OK);
			fill(&g, x, n, p0.b, nb, p0.c, nc, t, (int)(li % 3));
			ref r;
			reference(&r, x, n, p0.b, nb, p0.c, nc, t);
			for (unsigned k = 0; k < nk; k++) {
				lt_tdiv p;
				cr_assert_eq(lt_tdiv_init(&p, rings[k].modp, nb, rings[k].modp + nb, nc, t), LATHE_OK);
				cr_assert_eq(p.kern, kt[k]);
				memcpy(y, x, (size_t)(nb + nc) * n * 8);
				lt_rns_tdivide_to(&p, o, y, y + (size_t)nb * n, n, 0, NULL);
				check(o, &r, n, nb, nc, kt[k]->name);
				memcpy(y, x, (size_t)(nb + nc) * n * 8);
				lt_rns_tdivide(&p, y, n, 0, NULL);
				cr_assert_arr_eq(y, o, (size_t)nb * n * 8, "in place and out of place differ");
				if (k)
					cr_assert_arr_eq(o, o0, (size_t)nb * n * 8, "avx2 differs from scalar: nb=%u nc=%u n=%zu", nb,
					                 nc, n);
				else
					memcpy(o0, o, (size_t)nb * n * 8);
				lt_tdiv_clear(&p);
			}
			ref_clear(&r);
			lt_tdiv_clear(&p0);
			lt_free(x);
			lt_free(y);
			lt_free(o);
			lt_free(o0);
		}
	}
	for (unsigned k = 0; k < nk; k++)
		lt_ring_clear(&rings[k]);
}

Test(tdiv, one_and_two_threads_agree)
{
	const lt_kernels *kt[2];
	const unsigned nk = tables(kt);
	static const unsigned bits[] = { 50, 49, 48, 47, 46, 45, 44, 43 };
	uint64_t q[8];
	for (unsigned i = 0; i < 8; i++)
		cr_assert_eq(lt_primes_gen(&q[i], 1, bits[i], 13, q, i), LATHE_OK);
	const size_t n = 8192;
	lt_prng g;
	test_prng(&g, 303);
	for (unsigned k = 0; k < nk; k++) {
		lt_ring r;
		cr_assert_eq(lt_ring_init_kernels(&r, n, q, 8, kt[k]), LATHE_OK);
		for (unsigned nc = 1; nc <= 3; nc += 2) {
			const unsigned nb = 8 - nc;
			lt_tdiv p;
			cr_assert_eq(lt_tdiv_init(&p, r.modp, nb, r.modp + nb, nc, 65537), LATHE_OK);
			uint64_t *x = lt_alloc((size_t)8 * n * 8);
			uint64_t *o1 = lt_alloc((size_t)nb * n * 8), *o2 = lt_alloc((size_t)nb * n * 8);
			uint64_t *res = lt_alloc((size_t)nb * n * 8);
			fill(&g, x, n, p.b, nb, p.c, nc, 65537, 0);
			for (unsigned flags = 0; flags < 4; flags++) {
				omp_set_num_threads(1);
				run(&p, x, n, flags, o1, res);
				omp_set_num_threads(2);
				run(&p, x, n, flags, o2, res);
				cr_assert_arr_eq(o1, o2, (size_t)nb * n * 8, "%s nc=%u flags=%u: 1 and 2 threads differ",
				                 kt[k]->name, nc, flags);
			}
			lt_free(x);
			lt_free(o1);
			lt_free(o2);
			lt_free(res);
			lt_tdiv_clear(&p);
		}
		lt_ring_clear(&r);
	}
}

/*
 * lt_rns_tdivide_many_to: k inputs at once give the words of k single
 * divisions, in place and out of place, on every kernel table, form and
 * thread count, with nb and nc odd and even.
 */
Test(tdiv, many_inputs_give_the_words_of_one_at_a_time)
{
	const lt_kernels *kt[2];
	const unsigned nk = tables(kt);
	static const unsigned bits[] = { 50, 49, 48, 47, 46, 45, 44, 43 };
	uint64_t q[8];
	for (unsigned i = 0; i < 8; i++)
		cr_assert_eq(lt_primes_gen(&q[i], 1, bits[i], 11, q, i), LATHE_OK);
	const size_t n = 1024;
	lt_prng g;
	test_prng(&g, 304);
	static const unsigned shapes[][2] = { { 1, 1 }, { 4, 1 }, { 5, 1 }, { 1, 3 }, { 4, 3 }, { 5, 2 } };
	for (unsigned kk = 0; kk < nk; kk++) {
		lt_ring r;
		cr_assert_eq(lt_ring_init_kernels(&r, n, q, 8, kt[kk]), LATHE_OK);
		for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
			const unsigned nb = shapes[si][0], nc = shapes[si][1], nl = nb + nc;
			lt_tdiv p;
			cr_assert_eq(lt_tdiv_init(&p, r.modp, nb, r.modp + nb, nc, 65537), LATHE_OK);
			uint64_t *x[LT_TDIV_MAX_MANY], *want[LT_TDIV_MAX_MANY], *buf[LT_TDIV_MAX_MANY], *out[LT_TDIV_MAX_MANY];
			uint64_t *res = lt_alloc((size_t)nb * n * 8);
			for (unsigned w = 0; w < LT_TDIV_MAX_MANY; w++) {
				x[w] = lt_alloc((size_t)nl * n * 8);
				want[w] = lt_alloc((size_t)nb * n * 8);
				buf[w] = lt_alloc((size_t)nl * n * 8);
				out[w] = lt_alloc((size_t)nb * n * 8);
				fill(&g, x[w], n, p.b, nb, p.c, nc, 65537, (int)(w % 3));
			}
			for (unsigned flags = 0; flags < 4; flags++)
				for (unsigned k = 1; k <= LT_TDIV_MAX_MANY; k++)
					for (int th = 1; th <= 2; th++)
						for (int inplace = 0; inplace < 2; inplace++) {
							omp_set_num_threads(th);
							const uint64_t *xb[LT_TDIV_MAX_MANY];
							uint64_t *xc[LT_TDIV_MAX_MANY], *o[LT_TDIV_MAX_MANY];
							for (unsigned w = 0; w < k; w++) {
								run(&p, x[w], n, flags, want[w], res);
								memcpy(buf[w], x[w], (size_t)nl * n * 8);
								for (unsigned l = 0; l < nl; l++)
									if ((l < nb && (flags & LT_TDIV_B_NTT)) || (l >= nb && (flags & LT_TDIV_C_NTT)))
										lt_ntt_fwd(buf[w] + (size_t)l * n, &p.mod[l]->ntt);
								xb[w] = buf[w];
								xc[w] = buf[w] + (size_t)nb * n;
								o[w] = inplace ? buf[w] : out[w];
							}
							const size_t sw = lt_tdiv_many_scratch_words(&p, n, flags, k);
							uint64_t *scr = sw ? lt_alloc(sw * 8) : NULL;
							lt_rns_tdivide_many_to(&p, k, o, xb, xc, n, flags, scr);
							lt_free(scr);
							for (unsigned w = 0; w < k; w++)
								cr_assert_arr_eq(o[w], want[w], (size_t)nb * n * 8,
								                 "%s nb=%u nc=%u flags=%u k=%u input %u threads %d %s: "
								                 "not the words of one division",
								                 kt[kk]->name, nb, nc, flags, k, w, th, inplace ? "in place" : "out of place");
						}
			omp_set_num_threads(2);
			for (unsigned w = 0; w < LT_TDIV_MAX_MANY; w++) {
				lt_free(x[w]);
				lt_free(want[w]);
				lt_free(buf[w]);
				lt_free(out[w]);
			}
			lt_free(res);
			lt_tdiv_clear(&p);
		}
		lt_ring_clear(&r);
	}
}

/* the smallest composite q' = k 257^2 + 1 >= 2^bits, k even, coprime to 3, 17, 65537 and the primes q */
static uint64_t
bare_q(unsigned bits, const uint64_t *q, unsigned nq)
{
	const uint64_t p2 = 257 * 257;
	uint64_t k = ((UINT64_C(1) << bits) / p2 + 2) & ~(uint64_t)1;
	for (;; k += 2) {
		uint64_t v = k * p2 + 1;
		int ok = !n_is_prime(v) && lt_gcd(v, 3 * 17 * 65537) == 1;
		for (unsigned i = 0; i < nq; i++)
			ok &= lt_gcd(v, q[i]) == 1;
		if (ok)
			return v;
	}
}

/*
 * One shape with the bare modulus qb as b_0 (in_c = 0; b_1 a prime when
 * nb = 2) or as c_1 (in_c = 1, beside the prime c_0), the other moduli
 * primes of the pool, on every kernel table, in the forms the bases allow
 * (a bare basis stays in coefficient form): against FLINT, the same words.
 */
static void
bare_case(const lt_kernels *const *kt, unsigned nk, const uint64_t *q, uint64_t qb, unsigned nb, unsigned nc,
          uint64_t t, int in_c, lt_prng *g, int kind)
{
	const size_t n = 1024;
	const unsigned other = in_c ? LT_TDIV_B_NTT : LT_TDIV_C_NTT; /* the form the prime basis may take */
	uint64_t *x = lt_alloc((size_t)(nb + nc) * n * 8), *out = lt_alloc((size_t)nb * n * 8);
	uint64_t *res = lt_alloc((size_t)nb * n * 8), *out0 = lt_alloc((size_t)2 * nb * n * 8);
	ref r = { 0 };
	for (unsigned k = 0; k < nk; k++) {
		lt_ring ring;
		cr_assert_eq(lt_ring_init_kernels(&ring, n, q, POOL, kt[k]), LATHE_OK);
		lt_modulus bare;
		cr_assert_eq(lt_modulus_init_bare(&bare, qb, kt[k]), LATHE_OK);
		cr_assert(!lt_modulus_has_ntt(&bare));
		cr_assert_eq(bare.ntt.kern, qb < kt[k]->qmax ? kt[k] : lt_kernels_scalar());
		const lt_modulus *bb[2] = { &bare, ring.modp[0] }, *cc[2] = { ring.modp[4], &bare };
		lt_tdiv p;
		cr_assert_eq(lt_tdiv_init(&p, in_c ? ring.modp : bb, nb, in_c ? cc : ring.modp + 1, nc, t), LATHE_OK);
		cr_assert(in_c ? p.b_ntt && !p.c_ntt : !p.b_ntt && p.c_ntt);
		if (k == 0) {
			fill(g, x, n, p.b, nb, p.c, nc, t, kind);
			reference(&r, x, n, p.b, nb, p.c, nc, t);
		}
		for (unsigned f = 0; f < 2; f++) {
			uint64_t *ref0 = out0 + (size_t)f * nb * n;
			run(&p, x, n, f ? other : 0, k ? out : ref0, res);
			check(res, &r, n, nb, nc, in_c ? "bare in C" : "bare in B");
			if (k)
				cr_assert_arr_eq(out, ref0, (size_t)nb * n * 8, "bare q'=%llu: avx2 differs", (unsigned long long)qb);
		}
		lt_tdiv_clear(&p);
		lt_ring_clear(&ring);
	}
	ref_clear(&r);
	lt_free(x);
	lt_free(out);
	lt_free(res);
	lt_free(out0);
}

/*
 * Bootstrapping's q': a bare modulus k 257^2 + 1, composite, not
 * NTT-friendly, as B (alone and beside a prime) in coefficient form, the
 * C limbs in either form; and among the divisors. 2^55 exceeds the vector
 * bound (scalar kernels).
 */
Test(tdiv, bare_composite_modulus)
{
	static const unsigned qbits[] = { 30, 40, 48, 55 };
	const lt_kernels *kt[2];
	const unsigned nk = tables(kt);
	uint64_t q[POOL];
	gen_primes(q, POOL_BITS, POOL);
	lt_prng g;
	test_prng(&g, 304);
	for (unsigned qi = 0; qi < 4; qi++) {
		const uint64_t qb = bare_q(qbits[qi], q, POOL);
		for (unsigned ti = 0; ti < NTS; ti++) {
			for (unsigned nc = 1; nc <= 3; nc++)
				for (unsigned nb = 1; nb <= 2; nb++)
					bare_case(kt, nk, q, qb, nb, nc, TS[ti], 0, &g, (int)((ti + nc) % 3));
			bare_case(kt, nk, q, qb, 3, 2, TS[ti], 1, &g, (int)(ti % 3));
		}
	}
}

Test(tdiv, refuses_invalid_plans)
{
	static const unsigned bits[] = { 40, 41, 42, 43 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, 4, bits, 4), LATHE_OK);
	const lt_modulus *const *m = r.modp;
	lt_tdiv p;
	cr_assert_eq(lt_tdiv_init(NULL, m, 2, m + 2, 2, 3), LATHE_EINVAL);
	cr_assert_eq(lt_tdiv_init(&p, NULL, 2, m + 2, 2, 3), LATHE_EINVAL);
	cr_assert_null(p.mod, "plan not zeroed after an error");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, NULL, 2, 3), LATHE_EINVAL);
	cr_assert_eq(lt_tdiv_init(&p, m, 0, m + 2, 2, 3), LATHE_EINVAL, "empty B");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, m + 2, 0, 3), LATHE_EINVAL, "empty C");
	cr_assert_eq(lt_tdiv_init(&p, m, LT_MAX_MODULI + 1, m + 2, 2, 3), LATHE_EINVAL);
	const lt_modulus *withnull[2] = { m[0], NULL };
	cr_assert_eq(lt_tdiv_init(&p, withnull, 2, m + 2, 2, 3), LATHE_EINVAL);
	cr_assert_eq(lt_tdiv_init(&p, m, 2, m + 2, 2, 0), LATHE_EPARAM, "t = 0");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, m + 2, 2, 1), LATHE_EPARAM, "t = 1");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, m + 2, 2, m[1]->q), LATHE_EPARAM, "t = a prime of B");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, m + 2, 2, 3 * m[3]->q), LATHE_EPARAM, "t a multiple of a prime of C");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, m + 1, 2, 3), LATHE_EPARAM, "a prime in both bases");
	const lt_modulus *dup[2] = { m[0], m[0] };
	cr_assert_eq(lt_tdiv_init(&p, dup, 2, m + 2, 2, 3), LATHE_EPARAM, "a prime twice in B");
	cr_assert_eq(lt_tdiv_init(&p, m, 2, dup, 2, 3), LATHE_EPARAM, "a prime twice in C");
	cr_assert_null(p.mod);
	lt_tdiv_clear(&p);
	lt_tdiv_clear(NULL);
	/* bare moduli: odd in [3, 2^62), and coprime to the others */
	const lt_kernels *ks = lt_kernels_scalar();
	lt_modulus b1, b2;
	cr_assert_eq(lt_modulus_init_bare(NULL, 15, ks), LATHE_EINVAL);
	cr_assert_eq(lt_modulus_init_bare(&b1, 15, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_modulus_init_bare(&b1, 16, ks), LATHE_EPARAM, "even");
	cr_assert_eq(lt_modulus_init_bare(&b1, 1, ks), LATHE_EPARAM);
	cr_assert_eq(lt_modulus_init_bare(&b1, UINT64_C(1) << 62 | 1, ks), LATHE_EPARAM, "not below 2^62");
	cr_assert_eq(b1.q, 0, "bare modulus not zeroed after an error");
	cr_assert_eq(lt_modulus_init_bare(&b1, 15, ks), LATHE_OK);
	cr_assert_eq(lt_modulus_init_bare(&b2, 21, ks), LATHE_OK);
	const lt_modulus *share[2] = { &b1, &b2 };
	cr_assert_eq(lt_tdiv_init(&p, share, 2, m + 2, 2, 2), LATHE_EPARAM, "15 and 21 share 3");
	cr_assert_eq(lt_tdiv_init(&p, share, 1, m + 2, 2, 5), LATHE_EPARAM, "t = 5 divides 15");
	cr_assert_eq(lt_tdiv_init(&p, share, 1, m + 2, 2, 2), LATHE_OK);
	lt_tdiv_clear(&p);
	lt_divround dr;
	cr_assert_eq(lt_divround_init(NULL, m, 2, m + 2, 2), LATHE_EINVAL);
	cr_assert_eq(lt_divround_init(&dr, m, 0, m + 2, 2), LATHE_EINVAL);
	cr_assert_eq(lt_divround_init(&dr, dup, 2, m + 2, 2), LATHE_EPARAM);
	lt_ring_clear(&r);
}

/* every allocation of a plan fails in turn: LATHE_ENOMEM and a zeroed plan, then success */
Test(tdiv, out_of_memory_at_every_allocation)
{
	static const unsigned bits[] = { 40, 41, 42, 43, 44 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, 4, bits, 5), LATHE_OK);
	for (unsigned nc = 1; nc <= 3; nc += 2) {
		lathe_status s = LATHE_ENOMEM;
		long k;
		for (k = 0; k < 64 && s == LATHE_ENOMEM; k++) {
			lt_tdiv p;
			lt_mem_fail_after(k);
			s = lt_tdiv_init(&p, r.modp, 5 - nc, r.modp + 5 - nc, nc, 257);
			lt_mem_fail_after(-1);
			if (s == LATHE_ENOMEM)
				cr_assert(p.mod == NULL && p.conv == NULL && p.cinv_b == NULL, "plan not zeroed");
			lt_tdiv_clear(&p);
		}
		cr_assert_eq(s, LATHE_OK, "nc=%u: no success after %ld allocations", nc, k);
		cr_assert_gt(k, 1, "no allocation was made to fail");
	}
	lt_ring_clear(&r);
}
