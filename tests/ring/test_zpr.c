/*
 * Arithmetic mod p^r (zpr.h) and lt_invmod_any: the inverse against FLINT
 * (fmpz_invmod, n_invmod) on random moduli including prime powers; roots
 * of unity and Teichmueller lifts against fmpz powers; the NTT over Z_q
 * and Z_q[i] against direct evaluation with 128-bit '%' arithmetic and
 * against FLINT's fmpz_poly product reduced mod X^n + 1 and q.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include <flint/fmpz.h>
#include <flint/fmpz_poly.h>
#include <flint/ulong_extras.h>

#include "common/util.h"

#include "ring/modarith.h"
#include "ring/ntt.h"
#include "ring/primes.h"
#include "ring/zpr.h"

#define SEEDU ((unsigned long long)test_seed())

typedef lt_u128 u128;

static uint64_t
ref_mul(uint64_t a, uint64_t b, uint64_t q)
{
	return (uint64_t)((u128)a * b % q);
}

static uint64_t
ref_pow(uint64_t a, uint64_t e, uint64_t q)
{
	uint64_t r = 1 % q;
	a %= q;
	while (e) {
		if (e & 1)
			r = ref_mul(r, a, q);
		a = ref_mul(a, a, q);
		e >>= 1;
	}
	return r;
}

/* x^e mod q with FLINT, compared as a word */
static uint64_t
fmpz_pow_word(uint64_t x, uint64_t e, uint64_t q)
{
	fmpz_t b, ex, m, r;
	fmpz_init_set_ui(b, x);
	fmpz_init_set_ui(ex, e);
	fmpz_init_set_ui(m, q);
	fmpz_init(r);
	fmpz_powm(r, b, ex, m);
	uint64_t out = fmpz_get_ui(r);
	fmpz_clear(b);
	fmpz_clear(ex);
	fmpz_clear(m);
	fmpz_clear(r);
	return out;
}

static uint64_t
ipow(uint64_t p, unsigned r)
{
	uint64_t q = 1;
	for (unsigned i = 0; i < r; i++)
		q *= p;
	return q;
}

Test(zpr, invmod_any_matches_flint)
{
	lt_prng g;
	test_prng(&g, 1);
	const uint64_t primes[] = { 3, 5, 17, 127, 257, 12289, 40961, 65537, 786433, 2147483647 };
	fmpz_t fa, fm, fi;
	fmpz_init(fa);
	fmpz_init(fm);
	fmpz_init(fi);
	unsigned trials = test_mult(4000), inverted = 0, refused = 0;
	for (unsigned it = 0; it < trials; it++) {
		uint64_t m;
		switch (it % 5) {
		case 0: { /* prime power below 2^62 */
			uint64_t p = primes[test_rand(&g, sizeof(primes) / sizeof(primes[0]))];
			m = p;
			unsigned r = 1 + (unsigned)test_rand(&g, 6);
			for (unsigned i = 1; i < r && m <= (UINT64_C(1) << 62) / p; i++)
				m *= p;
			break;
		}
		case 1: /* power of two */
			m = UINT64_C(1) << (1 + test_rand(&g, 63));
			break;
		case 2: /* any modulus up to 2^64 - 1 */
			m = lt_prng_u64(&g) | 2;
			break;
		case 3: /* small */
			m = 2 + test_rand(&g, 1000);
			break;
		default: /* random prime */
			m = n_nextprime(test_rand(&g, UINT64_C(1) << 62), 1);
			break;
		}
		uint64_t a = it % 7 == 0 ? lt_prng_u64(&g) : test_rand(&g, m);
		if (it % 11 == 0 && m > 3)
			a = (m / 3) * 3 % m; /* often a shared factor */
		uint64_t x = lt_invmod_any(a, m);
		fmpz_set_ui(fa, a);
		fmpz_set_ui(fm, m);
		int ok = fmpz_invmod(fi, fa, fm);
		if (ok) {
			cr_assert_eq(x, fmpz_get_ui(fi), "a=%llu m=%llu seed=%llu", (unsigned long long)a,
			             (unsigned long long)m, SEEDU);
			cr_assert_eq(ref_mul(a % m, x, m), 1 % m, "seed=%llu", SEEDU);
			if (m > 1 && n_gcd(a % m, m) == 1)
				cr_assert_eq(x, n_invmod(a % m, m), "a=%llu m=%llu seed=%llu", (unsigned long long)a,
				             (unsigned long long)m, SEEDU);
			inverted++;
		} else {
			cr_assert_eq(x, 0, "a=%llu m=%llu: not invertible, got %llu seed=%llu", (unsigned long long)a,
			             (unsigned long long)m, (unsigned long long)x, SEEDU);
			refused++;
		}
	}
	cr_assert(inverted > trials / 4 && refused > 0, "inverted %u refused %u", inverted, refused);
	/* the edges */
	cr_assert_eq(lt_invmod_any(1, 2), 1);
	cr_assert_eq(lt_invmod_any(0, 7), 0);
	cr_assert_eq(lt_invmod_any(UINT64_MAX - 1, UINT64_MAX), UINT64_MAX - 1);
	cr_assert_eq(lt_invmod_any(257, 257 * 257), 0);
	fmpz_clear(fa);
	fmpz_clear(fm);
	fmpz_clear(fi);
}

Test(zpr, init_refuses_non_prime_powers)
{
	lt_zpr z;
	cr_assert_eq(lt_zpr_init(&z, 2, 3), -1);
	cr_assert_eq(lt_zpr_init(&z, 9, 1), -1);
	cr_assert_eq(lt_zpr_init(&z, 17, 0), -1);
	cr_assert_eq(lt_zpr_init(&z, 65537, 4), -1); /* 2^64 */
	cr_assert_eq(lt_zpr_init(&z, n_nextprime(UINT64_C(1) << 31, 1), 2), -1); /* just above 2^62 */
	cr_assert_eq(lt_zpr_init(&z, 2147483647, 2), 0); /* just below */
	cr_assert_eq(z.q, UINT64_C(2147483647) * 2147483647);
	cr_assert_eq(lt_zpr_init(&z, 17, 15), 0);
	cr_assert_eq(z.q, ipow(17, 15));
}

static const struct {
	uint64_t p;
	unsigned rmax;
} PR[] = { { 3, 20 }, { 5, 10 }, { 17, 6 }, { 127, 5 }, { 257, 5 }, { 12289, 3 }, { 40961, 3 }, { 65537, 3 },
           { 786433, 2 }, { 8191, 3 }, { 2147483647, 1 } };
#define NPR (sizeof(PR) / sizeof(PR[0]))

Test(zpr, teichmuller_is_the_root_of_unity_lifting_a)
{
	lt_prng g;
	test_prng(&g, 2);
	for (size_t c = 0; c < NPR; c++)
		for (unsigned r = 1; r <= PR[c].rmax; r++) {
			lt_zpr z;
			cr_assert_eq(lt_zpr_init(&z, PR[c].p, r), 0);
			for (int it = 0; it < 20; it++) {
				uint64_t a = 1 + test_rand(&g, z.p - 1);
				uint64_t t = lt_zpr_teichmuller(a, &z);
				cr_assert_eq(t % z.p, a, "p=%llu r=%u seed=%llu", (unsigned long long)z.p, r, SEEDU);
				cr_assert_eq(fmpz_pow_word(t, z.p - 1, z.q), 1, "p=%llu r=%u a=%llu seed=%llu",
				             (unsigned long long)z.p, r, (unsigned long long)a, SEEDU);
			}
		}
}

Test(zpr, root2k_has_order_2k_and_matches_the_prime_root)
{
	for (size_t c = 0; c < NPR; c++) {
		const uint64_t p = PR[c].p;
		unsigned v = 0;
		while (((p - 1) >> (v + 1)) << (v + 1) == p - 1)
			v++;
		for (unsigned r = 1; r <= PR[c].rmax; r++) {
			lt_zpr z;
			cr_assert_eq(lt_zpr_init(&z, p, r), 0);
			for (unsigned k = 1; k <= v + 1; k++) {
				uint64_t w = lt_zpr_root2k(k, &z);
				if (k > v) {
					cr_assert_eq(w, 0, "p=%llu k=%u: 2^k does not divide p-1", (unsigned long long)p, k);
					continue;
				}
				const uint64_t m = UINT64_C(1) << k;
				cr_assert_eq(fmpz_pow_word(w, m / 2, z.q), z.q - 1, "p=%llu r=%u k=%u", (unsigned long long)p,
				             r, k);
				/* a lift of a root mod p (so the least one mod p, for r = 1, is lt_prime_root_2n's) */
				if (r == 1 && k >= 5)
					cr_assert_eq(w, lt_prime_root_2n(p, k - 1), "p=%llu k=%u", (unsigned long long)p, k);
				if (r > 1) {
					lt_zpr z1;
					cr_assert_eq(lt_zpr_init(&z1, p, 1), 0);
					cr_assert_eq(w % p, lt_zpr_root2k(k, &z1));
				}
			}
		}
	}
}

/* (a + bi)(c + di) mod q, reference arithmetic */
static void
ref_gmul(uint64_t *re, uint64_t *im, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t q)
{
	uint64_t x = (ref_mul(a, c, q) + q - ref_mul(b, d, q)) % q;
	uint64_t y = (ref_mul(a, d, q) + ref_mul(b, c, q)) % q;
	*re = x;
	*im = y;
}

static void
ref_gpow(uint64_t *re, uint64_t *im, uint64_t a, uint64_t b, uint64_t e, uint64_t q)
{
	uint64_t xr = 1 % q, xi = 0;
	while (e) {
		if (e & 1)
			ref_gmul(&xr, &xi, xr, xi, a, b, q);
		ref_gmul(&a, &b, a, b, a, b, q);
		e >>= 1;
	}
	*re = xr;
	*im = xi;
}

Test(zpr, gauss_root_is_a_primitive_root_of_the_quadratic_galois_ring)
{
	const uint64_t ps[] = { 3, 7, 31, 127, 8191, 131071, 2147483647 };
	for (size_t c = 0; c < sizeof(ps) / sizeof(ps[0]); c++) {
		const uint64_t p = ps[c];
		unsigned w = 0; /* 2^w || p + 1 */
		while (((p + 1) >> (w + 1)) << (w + 1) == p + 1)
			w++;
		for (unsigned r = 1; r <= 3; r++) {
			lt_zpr z;
			if (lt_zpr_init(&z, p, r) != 0)
				continue;
			/* the search scans the 2^(k-1) primitive roots: k stays small */
			for (unsigned k = 2; k <= w + 2 && k <= 18; k++) {
				lt_gauss x = lt_zpr_root2k_gauss(k, &z);
				if (k > w + 1) {
					cr_assert(x.re == 0 && x.im == 0, "p=%llu k=%u", (unsigned long long)p, k);
					continue;
				}
				uint64_t hr, hi;
				ref_gpow(&hr, &hi, x.re, x.im, UINT64_C(1) << (k - 1), z.q);
				cr_assert(hr == z.q - 1 && hi == 0, "p=%llu r=%u k=%u: w^(2^(k-1)) = %llu + %llu i",
				          (unsigned long long)p, r, k, (unsigned long long)hr, (unsigned long long)hi);
				/* the Teichmueller lift: also a (p^2 - 1)-th root of unity */
				ref_gpow(&hr, &hi, x.re, x.im, (p - 1) / 2, z.q);
				ref_gpow(&hr, &hi, hr, hi, 2 * (p + 1), z.q);
				cr_assert(hr == 1 && hi == 0, "p=%llu r=%u k=%u", (unsigned long long)p, r, k);
			}
		}
	}
	lt_zpr z;
	cr_assert_eq(lt_zpr_init(&z, 17, 1), 0);
	lt_gauss x = lt_zpr_root2k_gauss(3, &z); /* p = 1 mod 4: refused */
	cr_assert(x.re == 0 && x.im == 0);
}

/* c = a b mod (X^n + 1, q) with FLINT's integer polynomial product */
static void
flint_negacyclic(uint64_t *c, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	fmpz_poly_t A, B, C;
	fmpz_poly_init(A);
	fmpz_poly_init(B);
	fmpz_poly_init(C);
	for (size_t i = 0; i < n; i++) {
		fmpz_poly_set_coeff_ui(A, (slong)i, a[i]);
		fmpz_poly_set_coeff_ui(B, (slong)i, b[i]);
	}
	fmpz_poly_mul(C, A, B);
	fmpz_t x, lo, qq;
	fmpz_init(x);
	fmpz_init(lo);
	fmpz_init_set_ui(qq, q);
	for (size_t i = 0; i < n; i++) {
		fmpz_poly_get_coeff_fmpz(lo, C, (slong)i);
		fmpz_poly_get_coeff_fmpz(x, C, (slong)(i + n));
		fmpz_sub(lo, lo, x);
		fmpz_mod(lo, lo, qq);
		c[i] = fmpz_get_ui(lo);
	}
	fmpz_clear(x);
	fmpz_clear(lo);
	fmpz_clear(qq);
	fmpz_poly_clear(A);
	fmpz_poly_clear(B);
	fmpz_poly_clear(C);
}

static size_t
brv(size_t x, unsigned bits)
{
	size_t r = 0;
	for (unsigned i = 0; i < bits; i++)
		r = (r << 1) | ((x >> i) & 1);
	return r;
}

Test(zpr, ntt_matches_evaluation_and_flint_product)
{
	lt_prng g;
	test_prng(&g, 3);
	const struct {
		uint64_t p;
		unsigned r, logn; /* 2n | p - 1 */
	} cases[] = { { 17, 1, 3 }, { 17, 3, 3 }, { 17, 14, 2 }, { 257, 1, 7 }, { 257, 2, 7 }, { 257, 7, 4 },
	              { 12289, 1, 10 }, { 12289, 2, 9 }, { 40961, 3, 12 }, { 65537, 3, 8 }, { 786433, 2, 11 } };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		lt_zpr z;
		cr_assert_eq(lt_zpr_init(&z, cases[c].p, cases[c].r), 0);
		const unsigned logn = cases[c].logn;
		const size_t n = (size_t)1 << logn;
		const uint64_t q = z.q;
		lt_gauss psi = { lt_zpr_root2k(logn + 1, &z), 0 };
		cr_assert_neq(psi.re, 0);
		lt_zpr_ntt tab;
		cr_assert_eq(lt_zpr_ntt_init(&tab, &z, psi, logn, 0), 0);
		uint64_t *a = malloc(n * 8), *b = malloc(n * 8), *fa = malloc(n * 8), *fb = malloc(n * 8),
		         *cref = malloc(n * 8);
		for (int it = 0; it < 3; it++) {
			test_rand_vec(&g, a, n, q);
			test_rand_vec(&g, b, n, q);
			if (it == 0)
				a[0] = q - 1, a[n - 1] = q - 1, b[n - 1] = q - 1;
			memcpy(fa, a, n * 8);
			memcpy(fb, b, n * 8);
			lt_zpr_ntt_fwd(fa, &tab);
			lt_zpr_ntt_fwd(fb, &tab);
			/* the documented points, by Horner with 128-bit arithmetic */
			for (size_t k = 0; k < n; k += 1 + n / 64) {
				uint64_t x = ref_pow(psi.re, 2 * brv(k, logn) + 1, q), y = 0;
				for (size_t j = n; j-- > 0;)
					y = (ref_mul(y, x, q) + a[j]) % q;
				cr_assert_eq(fa[k], y, "p=%llu r=%u n=%zu k=%zu seed=%llu", (unsigned long long)z.p,
				             cases[c].r, n, k, SEEDU);
			}
			for (size_t k = 0; k < n; k++)
				fa[k] = ref_mul(fa[k], fb[k], q);
			lt_zpr_ntt_inv(fa, &tab);
			flint_negacyclic(cref, a, b, n, q);
			cr_assert_arr_eq(fa, cref, n * 8, "p=%llu r=%u n=%zu seed=%llu", (unsigned long long)z.p,
			                 cases[c].r, n, SEEDU);
			memcpy(fb, b, n * 8);
			lt_zpr_ntt_fwd(fb, &tab);
			lt_zpr_ntt_inv(fb, &tab);
			cr_assert_arr_eq(fb, b, n * 8, "round trip p=%llu r=%u", (unsigned long long)z.p, cases[c].r);
		}
		free(a), free(b), free(fa), free(fb), free(cref);
		lt_zpr_ntt_clear(&tab);
		/* a root of the wrong order is refused */
		lt_gauss sq = { ref_mul(psi.re, psi.re, q), 0 };
		cr_assert_eq(lt_zpr_ntt_init(&tab, &z, sq, logn, 0), -1);
		cr_assert_null(tab.block);
	}
}

Test(zpr, gauss_ntt_matches_evaluation_and_schoolbook)
{
	lt_prng g;
	test_prng(&g, 4);
	const struct {
		uint64_t p;
		unsigned r, logn; /* 2n | p^2 - 1 */
	} cases[] = { { 127, 1, 7 }, { 127, 2, 6 }, { 127, 3, 3 }, { 7, 4, 2 }, { 31, 2, 5 }, { 8191, 2, 9 },
	              { 3, 10, 1 } };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		lt_zpr z;
		cr_assert_eq(lt_zpr_init(&z, cases[c].p, cases[c].r), 0);
		const unsigned logn = cases[c].logn;
		const size_t n = (size_t)1 << logn;
		const uint64_t q = z.q;
		lt_gauss psi = lt_zpr_root2k_gauss(logn + 1, &z);
		lt_zpr_ntt tab;
		cr_assert_eq(lt_zpr_ntt_init(&tab, &z, psi, logn, 1), 0, "p=%llu logn=%u", (unsigned long long)z.p,
		             logn);
		uint64_t *ar = malloc(n * 8), *ai = malloc(n * 8), *br = malloc(n * 8), *bi = malloc(n * 8);
		uint64_t *fr = malloc(n * 8), *fi = malloc(n * 8), *gr = malloc(n * 8), *gi = malloc(n * 8);
		uint64_t *sr = calloc(n, 8), *si = calloc(n, 8);
		for (int it = 0; it < 3; it++) {
			test_rand_vec(&g, ar, n, q);
			test_rand_vec(&g, ai, n, q);
			test_rand_vec(&g, br, n, q);
			test_rand_vec(&g, bi, n, q);
			if (it == 1) /* real inputs, as the thin encoder uses */
				memset(ai, 0, n * 8), memset(bi, 0, n * 8);
			memcpy(fr, ar, n * 8), memcpy(fi, ai, n * 8);
			memcpy(gr, br, n * 8), memcpy(gi, bi, n * 8);
			lt_zpr_ntt_fwd_gauss(fr, fi, &tab);
			lt_zpr_ntt_fwd_gauss(gr, gi, &tab);
			for (size_t k = 0; k < n; k++) {
				uint64_t xr, xi, yr = 0, yi = 0;
				ref_gpow(&xr, &xi, psi.re, psi.im, 2 * brv(k, logn) + 1, q);
				for (size_t j = n; j-- > 0;) {
					ref_gmul(&yr, &yi, yr, yi, xr, xi, q);
					yr = (yr + ar[j]) % q;
					yi = (yi + ai[j]) % q;
				}
				cr_assert(fr[k] == yr && fi[k] == yi, "p=%llu r=%u n=%zu k=%zu seed=%llu",
				          (unsigned long long)z.p, cases[c].r, n, k, SEEDU);
			}
			for (size_t k = 0; k < n; k++)
				ref_gmul(&fr[k], &fi[k], fr[k], fi[k], gr[k], gi[k], q);
			lt_zpr_ntt_inv_gauss(fr, fi, &tab);
			/* schoolbook negacyclic product over Z_q[i] */
			memset(sr, 0, n * 8), memset(si, 0, n * 8);
			for (size_t i = 0; i < n; i++)
				for (size_t j = 0; j < n; j++) {
					uint64_t tr, ti;
					ref_gmul(&tr, &ti, ar[i], ai[i], br[j], bi[j], q);
					size_t k = (i + j) % n;
					if (i + j < n) {
						sr[k] = (sr[k] + tr) % q;
						si[k] = (si[k] + ti) % q;
					} else {
						sr[k] = (sr[k] + q - tr) % q;
						si[k] = (si[k] + q - ti) % q;
					}
				}
			cr_assert_arr_eq(fr, sr, n * 8, "p=%llu r=%u n=%zu seed=%llu", (unsigned long long)z.p, cases[c].r,
			                 n, SEEDU);
			cr_assert_arr_eq(fi, si, n * 8, "p=%llu r=%u n=%zu seed=%llu", (unsigned long long)z.p, cases[c].r,
			                 n, SEEDU);
			memcpy(gr, br, n * 8), memcpy(gi, bi, n * 8);
			lt_zpr_ntt_fwd_gauss(gr, gi, &tab);
			lt_zpr_ntt_inv_gauss(gr, gi, &tab);
			cr_assert_arr_eq(gr, br, n * 8);
			cr_assert_arr_eq(gi, bi, n * 8);
		}
		free(ar), free(ai), free(br), free(bi), free(fr), free(fi), free(gr), free(gi), free(sr), free(si);
		lt_zpr_ntt_clear(&tab);
	}
}

/* For a prime q = 1 mod 2n and the same root, the transform is ntt.h's, word for word. */
Test(zpr, ntt_equals_the_prime_ntt_for_r_1)
{
	lt_prng g;
	test_prng(&g, 5);
	const struct {
		uint64_t p;
		unsigned logn;
	} cases[] = { { 12289, 10 }, { 40961, 12 }, { 786433, 15 }, { 65537, 15 } };
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const uint64_t p = cases[c].p;
		const unsigned logn = cases[c].logn;
		const size_t n = (size_t)1 << logn;
		lt_zpr z;
		cr_assert_eq(lt_zpr_init(&z, p, 1), 0);
		lt_gauss psi = { lt_zpr_root2k(logn + 1, &z), 0 };
		cr_assert_eq(psi.re, lt_prime_root_2n(p, logn));
		lt_zpr_ntt tab;
		lt_ntt_tables ref;
		cr_assert_eq(lt_zpr_ntt_init(&tab, &z, psi, logn, 0), 0);
		cr_assert_eq(lt_ntt_tables_init(&ref, p, psi.re, logn), 0);
		uint64_t *a = malloc(n * 8), *b = malloc(n * 8);
		test_rand_vec(&g, a, n, p);
		memcpy(b, a, n * 8);
		lt_zpr_ntt_fwd(a, &tab);
		lt_ntt_fwd(b, &ref);
		cr_assert_arr_eq(a, b, n * 8, "forward p=%llu n=%zu seed=%llu", (unsigned long long)p, n, SEEDU);
		test_rand_vec(&g, a, n, p);
		memcpy(b, a, n * 8);
		lt_zpr_ntt_inv(a, &tab);
		lt_ntt_inv(b, &ref);
		cr_assert_arr_eq(a, b, n * 8, "inverse p=%llu n=%zu seed=%llu", (unsigned long long)p, n, SEEDU);
		free(a), free(b);
		lt_zpr_ntt_clear(&tab);
		lt_ntt_tables_clear(&ref);
	}
}
