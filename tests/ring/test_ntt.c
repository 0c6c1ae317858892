/*
 * NTT: checked against a schoolbook negacyclic product, against FLINT's
 * nmod_poly product reduced mod X^N + 1, against direct evaluation at the
 * documented points, and the two kernel paths against each other.
 */
#include <criterion/criterion.h>

#include <string.h>

#include <flint/nmod_poly.h>
#include <flint/ulong_extras.h>

#include "common/params.h"
#include "common/util.h"
#include "core/mem.h"
#include "ring/cpu.h"
#include "ring/modarith.h"
#include "ring/ntt.h"
#include "ring/ntt_avx2.h"
#include "ring/primes.h"

typedef struct {
	uint64_t q;
	lt_ntt_tables tab;
} prime_ctx;

static void
make(prime_ctx *p, unsigned bits, unsigned logn)
{
	cr_assert_eq(lt_primes_gen(&p->q, 1, bits, logn, NULL, 0), LATHE_OK, "bits=%u logn=%u", bits, logn);
	uint64_t psi = lt_prime_root_2n(p->q, logn);
	cr_assert_eq(lt_ntt_tables_init(&p->tab, p->q, psi, logn), 0);
}

static void
schoolbook(uint64_t *c, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	lt_barrett br = lt_barrett_prep(q);
	for (size_t i = 0; i < n; i++)
		c[i] = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			uint64_t t = lt_mulmod(a[i], b[j], q, br);
			size_t k = i + j;
			if (k < n)
				c[k] = lt_addmod(c[k], t, q);
			else
				c[k - n] = lt_submod(c[k - n], t, q);
		}
}

static void
flint_negacyclic(uint64_t *c, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{
	nmod_poly_t A, B, C;
	nmod_poly_init(A, q);
	nmod_poly_init(B, q);
	nmod_poly_init(C, q);
	for (size_t i = 0; i < n; i++) {
		nmod_poly_set_coeff_ui(A, (slong)i, a[i]);
		nmod_poly_set_coeff_ui(B, (slong)i, b[i]);
	}
	nmod_poly_mul(C, A, B);
	for (size_t i = 0; i < n; i++) {
		uint64_t lo = nmod_poly_get_coeff_ui(C, (slong)i);
		uint64_t hi = nmod_poly_get_coeff_ui(C, (slong)(i + n));
		c[i] = lt_submod(lo, hi, q); /* X^N = -1 */
	}
	nmod_poly_clear(A);
	nmod_poly_clear(B);
	nmod_poly_clear(C);
}

/* NTT-based product on the current kernel path. */
static void
ntt_product(uint64_t *c, const uint64_t *a, const uint64_t *b, const lt_ntt_tables *t)
{
	size_t n = t->n;
	uint64_t *fa = lt_alloc(n * 8), *fb = lt_alloc(n * 8);
	memcpy(fa, a, n * 8);
	memcpy(fb, b, n * 8);
	lt_ntt_fwd(fa, t);
	lt_ntt_fwd(fb, t);
	lt_barrett br = lt_barrett_prep(t->q);
	for (size_t i = 0; i < n; i++)
		c[i] = lt_mulmod(fa[i], fb[i], t->q, br);
	lt_ntt_inv(c, t);
	lt_free(fa);
	lt_free(fb);
}

static void
check_products(lt_kernel k)
{
	lt_kernel prev = lt_kernel_get();
	if (lt_kernel_set(k) != k) {
		lt_kernel_set(prev);
		cr_skip_test("CPU without AVX2+FMA: vector path not tested");
	}
	lt_prng g;
	test_prng(&g, 1);
	for (unsigned pi = 0; pi < TEST_NTT_NPRIMES; pi++) {
		unsigned bits = TEST_NTT_PRIME_BITS[pi];
		for (unsigned logn = 4; logn <= 12; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p;
			make(&p, bits, logn);
			uint64_t *a = lt_alloc(n * 8), *b = lt_alloc(n * 8);
			uint64_t *c = lt_alloc(n * 8), *r = lt_alloc(n * 8);
			test_rand_vec(&g, a, n, p.q);
			test_rand_vec(&g, b, n, p.q);
			ntt_product(c, a, b, &p.tab);
			flint_negacyclic(r, a, b, n, p.q);
			cr_assert_arr_eq(c, r, n * 8, "FLINT: kernel=%d N=%zu bits=%u q=%llu seed=%llu", k, n,
			                 bits, (unsigned long long)p.q, (unsigned long long)test_seed());
			if (logn <= 10 || bits == 50) {
				schoolbook(r, a, b, n, p.q);
				cr_assert_arr_eq(c, r, n * 8, "schoolbook: kernel=%d N=%zu bits=%u seed=%llu", k,
				                 n, bits, (unsigned long long)test_seed());
			}
			lt_free(a);
			lt_free(b);
			lt_free(c);
			lt_free(r);
			lt_ntt_tables_clear(&p.tab);
		}
	}
	lt_kernel_set(prev);
}

Test(ntt, product_matches_schoolbook_and_flint_scalar)
{
	check_products(LT_KERNEL_SCALAR);
}

Test(ntt, product_matches_schoolbook_and_flint_avx2)
{
	check_products(LT_KERNEL_AVX2);
}

static uint64_t
brv(uint64_t x, unsigned bits)
{
	uint64_t r = 0;
	for (unsigned i = 0; i < bits; i++, x >>= 1)
		r = (r << 1) | (x & 1);
	return r;
}

/* The documented output order: A[i] = a(psi^(2 brv(i) + 1)). */
Test(ntt, evaluates_at_documented_points)
{
	lt_prng g;
	test_prng(&g, 2);
	for (int path = 0; path < 2; path++) {
		for (unsigned logn = 4; logn <= 8; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p;
			make(&p, path ? 45 : 60, logn);
			lt_barrett br = lt_barrett_prep(p.q);
			uint64_t *a = lt_alloc(n * 8), *fa = lt_alloc(n * 8);
			test_rand_vec(&g, a, n, p.q);
			memcpy(fa, a, n * 8);
			if (path && p.tab.vec)
				lt_kernel_set(LT_KERNEL_AVX2);
			else
				lt_kernel_set(LT_KERNEL_SCALAR);
			lt_ntt_fwd(fa, &p.tab);
			for (size_t i = 0; i < n; i++) {
				uint64_t x = lt_powmod(p.tab.psi, 2 * brv(i, logn) + 1, p.q, br);
				uint64_t v = 0;
				for (size_t j = n; j-- > 0;)
					v = lt_addmod(lt_mulmod(v, x, p.q, br), a[j], p.q);
				cr_assert_eq(fa[i], v, "path=%d N=%zu i=%zu", path, n, i);
			}
			lt_free(a);
			lt_free(fa);
			lt_ntt_tables_clear(&p.tab);
		}
	}
	lt_kernel_set(lt_cpu_has_avx2fma() ? LT_KERNEL_AVX2 : LT_KERNEL_SCALAR);
}

/* Round trip on every N from 2^4 to 2^17, both paths, random and boundary inputs. */
Test(ntt, inverse_of_forward_is_identity)
{
	lt_prng g;
	test_prng(&g, 3);
	const unsigned bits[] = { 30, 50, 61 };
	for (unsigned bi = 0; bi < 3; bi++) {
		for (unsigned logn = 4; logn <= 17; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p;
			make(&p, bits[bi], logn);
			uint64_t *a = lt_alloc(n * 8), *b = lt_alloc(n * 8);
			for (int kind = 0; kind < 4; kind++) {
				for (size_t i = 0; i < n; i++)
					a[i] = kind == 0 ? test_rand(&g, p.q) : kind == 1 ? 0 : kind == 2 ? p.q - 1 : (i & 1) * (p.q - 1);
				for (int path = 0; path < 2; path++) {
					if (path == 1 && !p.tab.vec)
						continue;
					lt_kernel_set(path ? LT_KERNEL_AVX2 : LT_KERNEL_SCALAR);
					memcpy(b, a, n * 8);
					lt_ntt_fwd(b, &p.tab);
					for (size_t i = 0; i < n; i++)
						cr_assert_lt(b[i], p.q, "forward output not canonical");
					lt_ntt_inv(b, &p.tab);
					cr_assert_arr_eq(a, b, n * 8, "path=%d N=%zu bits=%u kind=%d seed=%llu", path, n,
					                 bits[bi], kind, (unsigned long long)test_seed());
				}
			}
			lt_free(a);
			lt_free(b);
			lt_ntt_tables_clear(&p.tab);
		}
	}
	lt_kernel_set(lt_cpu_has_avx2fma() ? LT_KERNEL_AVX2 : LT_KERNEL_SCALAR);
}

/* The AVX2 and scalar paths agree bit for bit, forward and inverse, N up to 2^17. */
Test(ntt, avx2_matches_scalar_bit_for_bit)
{
	if (!lt_cpu_has_avx2fma())
		cr_skip_test("CPU without AVX2+FMA: vector path not tested");
	lt_prng g;
	test_prng(&g, 4);
	const unsigned bits[] = { 20, 30, 40, 45, 49, 50 };
	for (unsigned bi = 0; bi < 6; bi++) {
		for (unsigned logn = 4; logn <= 17; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p;
			make(&p, bits[bi], logn);
			cr_assert_not_null(p.tab.vec, "vector tables missing for a %u-bit prime", bits[bi]);
			uint64_t *a = lt_alloc(n * 8), *s = lt_alloc(n * 8), *v = lt_alloc(n * 8);
			for (int kind = 0; kind < 2; kind++) {
				for (size_t i = 0; i < n; i++)
					a[i] = kind == 0 ? test_rand(&g, p.q) : p.q - 1 - (i & 1);
				memcpy(s, a, n * 8);
				memcpy(v, a, n * 8);
				lt_ntt_fwd_scalar(s, &p.tab);
				lt_ntt_fwd_avx2(v, &p.tab);
				cr_assert_arr_eq(s, v, n * 8, "fwd N=%zu bits=%u seed=%llu", n, bits[bi],
				                 (unsigned long long)test_seed());
				memcpy(s, a, n * 8);
				memcpy(v, a, n * 8);
				lt_ntt_inv_scalar(s, &p.tab);
				lt_ntt_inv_avx2(v, &p.tab);
				cr_assert_arr_eq(s, v, n * 8, "inv N=%zu bits=%u seed=%llu", n, bits[bi],
				                 (unsigned long long)test_seed());
			}
			lt_free(a);
			lt_free(s);
			lt_free(v);
			lt_ntt_tables_clear(&p.tab);
		}
	}
}

/* Primes of 50 bits and above have no vector tables and stay on the scalar path. */
Test(ntt, vector_tables_only_below_2_50)
{
	prime_ctx p;
	make(&p, 51, 10);
	cr_assert_null(p.tab.vec);
	lt_ntt_tables_clear(&p.tab);
	make(&p, 50, 10);
	cr_assert_eq(p.tab.vec != NULL, lt_cpu_has_avx2fma());
	lt_ntt_tables_clear(&p.tab);
}
