/*
 * NTT: checked against a schoolbook negacyclic product, against FLINT's
 * nmod_poly product reduced mod X^N + 1, against direct evaluation at the
 * documented points, and the two kernel paths against each other; the
 * kernel tables are picked per ring, and rings of both paths coexist.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */

#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include <flint/nmod_poly.h>
#include <flint/ulong_extras.h>

#include "common/params.h"
#include "common/util.h"
#include <lathe/runtime.h>

#include "core/mem.h"
#include "core/cpu.h"
#include "ring/kernels.h"
#include "ring/modarith.h"
#include "ring/ntt.h"
#include "ring/primes.h"
#include "ring/ring.h"

typedef struct {
	uint64_t q;
	lt_ntt_tables tab;
} prime_ctx;

/* Tables of the first prime of `bits` bits for N = 2^logn, on kernels k. */
static void
make(prime_ctx *p, unsigned bits, unsigned logn, const lt_kernels *k)
{
	cr_assert_eq(lt_primes_gen(&p->q, 1, bits, logn, NULL, 0), LATHE_OK, "bits=%u logn=%u", bits, logn);
	uint64_t psi = lt_prime_root_2n(p->q, logn);
	cr_assert_eq(lt_ntt_tables_init_kernels(&p->tab, p->q, psi, logn, k), 0);
	/* the requested kernels below their bound, else the scalar ones; their own tables with them */
	cr_assert_eq(p->tab.kern, p->q < k->qmax ? k : lt_kernels_scalar(), "bits=%u kernels=%s", bits, k->name);
	cr_assert_eq(p->tab.vec != NULL, p->tab.kern->ntt_prep != NULL);
}

/* The kernels of a path; skips the test when this build or CPU lacks them. */
static const lt_kernels *
kernels_or_skip(lt_kernel path)
{
	const lt_kernels *k = lt_kernels_get(path);
	if (!k)
		cr_skip_test("no AVX2 kernels in this build or on this CPU: vector path not tested");
	return k;
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

/* NTT-based product on the tables' kernels. */
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
check_products(lt_kernel path)
{
	const lt_kernels *k = kernels_or_skip(path);
	lt_prng g;
	test_prng(&g, 1);
	for (unsigned pi = 0; pi < TEST_NTT_NPRIMES; pi++) {
		unsigned bits = TEST_NTT_PRIME_BITS[pi];
		for (unsigned logn = 4; logn <= 12; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p;
			make(&p, bits, logn, k);
			uint64_t *a = lt_alloc(n * 8), *b = lt_alloc(n * 8);
			uint64_t *c = lt_alloc(n * 8), *r = lt_alloc(n * 8);
			test_rand_vec(&g, a, n, p.q);
			test_rand_vec(&g, b, n, p.q);
			ntt_product(c, a, b, &p.tab);
			flint_negacyclic(r, a, b, n, p.q);
			cr_assert_arr_eq(c, r, n * 8, "FLINT: kernels=%s N=%zu bits=%u q=%llu seed=%llu", p.tab.kern->name, n,
			                 bits, (unsigned long long)p.q, (unsigned long long)test_seed());
			if (logn <= 10 || bits == 50) {
				schoolbook(r, a, b, n, p.q);
				cr_assert_arr_eq(c, r, n * 8, "schoolbook: kernels=%s N=%zu bits=%u seed=%llu", p.tab.kern->name,
				                 n, bits, (unsigned long long)test_seed());
			}
			lt_free(a);
			lt_free(b);
			lt_free(c);
			lt_free(r);
			lt_ntt_tables_clear(&p.tab);
		}
	}
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
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	for (int path = 0; path < 2; path++) {
		const lt_kernels *k = path && kv ? kv : lt_kernels_scalar();
		for (unsigned logn = 4; logn <= 8; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p;
			make(&p, path ? 45 : 60, logn, k);
			lt_barrett br = lt_barrett_prep(p.q);
			uint64_t *a = lt_alloc(n * 8), *fa = lt_alloc(n * 8);
			test_rand_vec(&g, a, n, p.q);
			memcpy(fa, a, n * 8);
			lt_ntt_fwd(fa, &p.tab);
			for (size_t i = 0; i < n; i++) {
				uint64_t x = lt_powmod(p.tab.psi, 2 * brv(i, logn) + 1, p.q, br);
				uint64_t v = 0;
				for (size_t j = n; j-- > 0;)
					v = lt_addmod(lt_mulmod(v, x, p.q, br), a[j], p.q);
				cr_assert_eq(fa[i], v, "kernels=%s N=%zu i=%zu", k->name, n, i);
			}
			lt_free(a);
			lt_free(fa);
			lt_ntt_tables_clear(&p.tab);
		}
	}
}

/* Round trip on every N from 2^4 to 2^17, both paths, random and boundary inputs. */
Test(ntt, inverse_of_forward_is_identity)
{
	lt_prng g;
	test_prng(&g, 3);
	const unsigned bits[] = { 30, 50, 61 };
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	for (unsigned bi = 0; bi < 3; bi++) {
		for (unsigned logn = 4; logn <= 17; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx p[2];
			make(&p[0], bits[bi], logn, lt_kernels_scalar());
			make(&p[1], bits[bi], logn, kv ? kv : lt_kernels_scalar());
			cr_assert_eq(p[0].q, p[1].q);
			uint64_t *a = lt_alloc(n * 8), *b = lt_alloc(n * 8);
			for (int kind = 0; kind < 4; kind++) {
				for (size_t i = 0; i < n; i++)
					a[i] = kind == 0 ? test_rand(&g, p[0].q) : kind == 1 ? 0 : kind == 2 ? p[0].q - 1 : (i & 1) * (p[0].q - 1);
				for (int path = 0; path < 2; path++) {
					const lt_ntt_tables *t = &p[path].tab;
					if (path == 1 && t->kern == lt_kernels_scalar())
						continue; /* no vector path for this prime (or CPU) */
					memcpy(b, a, n * 8);
					lt_ntt_fwd(b, t);
					for (size_t i = 0; i < n; i++)
						cr_assert_lt(b[i], t->q, "forward output not canonical");
					lt_ntt_inv(b, t);
					cr_assert_arr_eq(a, b, n * 8, "kernels=%s N=%zu bits=%u kind=%d seed=%llu", t->kern->name,
					                 n, bits[bi], kind, (unsigned long long)test_seed());
				}
			}
			lt_free(a);
			lt_free(b);
			lt_ntt_tables_clear(&p[0].tab);
			lt_ntt_tables_clear(&p[1].tab);
		}
	}
}

/* The AVX2 and scalar paths agree bit for bit, forward and inverse, N up to 2^17. */
Test(ntt, avx2_matches_scalar_bit_for_bit)
{
	const lt_kernels *kv = kernels_or_skip(LT_KERNEL_AVX2);
	lt_prng g;
	test_prng(&g, 4);
	const unsigned bits[] = { 20, 30, 40, 45, 49, 50 };
	for (unsigned bi = 0; bi < 6; bi++) {
		for (unsigned logn = 4; logn <= 17; logn++) {
			size_t n = (size_t)1 << logn;
			prime_ctx ps, pv;
			make(&ps, bits[bi], logn, lt_kernels_scalar());
			make(&pv, bits[bi], logn, kv);
			cr_assert_eq(pv.tab.kern, kv, "AVX2 kernels not taken for a %u-bit prime", bits[bi]);
			cr_assert_not_null(pv.tab.vec, "vector tables missing for a %u-bit prime", bits[bi]);
			uint64_t *a = lt_alloc(n * 8), *s = lt_alloc(n * 8), *v = lt_alloc(n * 8);
			for (int kind = 0; kind < 2; kind++) {
				for (size_t i = 0; i < n; i++)
					a[i] = kind == 0 ? test_rand(&g, ps.q) : ps.q - 1 - (i & 1);
				memcpy(s, a, n * 8);
				memcpy(v, a, n * 8);
				lt_ntt_fwd(s, &ps.tab);
				lt_ntt_fwd(v, &pv.tab);
				cr_assert_arr_eq(s, v, n * 8, "fwd N=%zu bits=%u seed=%llu", n, bits[bi],
				                 (unsigned long long)test_seed());
				memcpy(s, a, n * 8);
				memcpy(v, a, n * 8);
				lt_ntt_inv(s, &ps.tab);
				lt_ntt_inv(v, &pv.tab);
				cr_assert_arr_eq(s, v, n * 8, "inv N=%zu bits=%u seed=%llu", n, bits[bi],
				                 (unsigned long long)test_seed());
			}
			lt_free(a);
			lt_free(s);
			lt_free(v);
			lt_ntt_tables_clear(&ps.tab);
			lt_ntt_tables_clear(&pv.tab);
		}
	}
}

/* Primes of 2^50 and above have no vector tables and stay on the scalar path. */
Test(ntt, vector_tables_only_below_2_50)
{
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	const lt_kernels *k = kv ? kv : lt_kernels_scalar();
	prime_ctx p;
	make(&p, 51, 10, k);
	cr_assert_null(p.tab.vec);
	cr_assert_eq(p.tab.kern, lt_kernels_scalar());
	lt_ntt_tables_clear(&p.tab);
	make(&p, 50, 10, k);
	cr_assert_eq(p.tab.vec != NULL, kv != NULL);
	cr_assert_eq(p.tab.kern, k);
	lt_ntt_tables_clear(&p.tab);
}

/* The AVX2 table exists exactly when the build has the AVX2 kernels and the CPU runs them. */
Test(ntt, avx2_kernels_exist_with_the_build_and_cpu)
{
#ifdef LT_HAVE_AVX2
	const int built = 1;
#else
	const int built = 0;
#endif
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2);
	cr_assert_eq(kv != NULL, built && lt_cpu_has_avx2fma());
	if (kv) {
		cr_assert_str_eq(kv->name, "avx2");
		cr_assert_eq(kv->path, LT_KERNEL_AVX2);
		cr_assert_eq(kv->qmax, LT_VEC_QMAX);
	}
	const lt_kernels *ks = lt_kernels_scalar();
	cr_assert_eq(lt_kernels_get(LT_KERNEL_SCALAR), ks);
	cr_assert_str_eq(ks->name, "scalar");
	cr_assert_eq(ks->path, LT_KERNEL_SCALAR);
	cr_assert_null(ks->ntt_prep);
	cr_assert_null(ks->baseconv_prep);
}

/*
 * New rings get the CPU's best kernels, or the scalar ones under
 * LATHE_KERNEL=scalar, read when the ring is built: a ring keeps its
 * kernels when the variable changes later, and lathe_kernel_name reports
 * what the next ring gets. The deprecated process-wide setter does nothing.
 */
Test(ntt, default_kernels_follow_cpu_and_LATHE_KERNEL)
{
	const lt_kernels *kv = lt_kernels_get(LT_KERNEL_AVX2), *ks = lt_kernels_scalar();
	const lt_kernels *best = kv ? kv : ks;
	uint64_t q;
	cr_assert_eq(lt_primes_gen(&q, 1, 45, 10, NULL, 0), LATHE_OK);
	uint64_t psi = lt_prime_root_2n(q, 10);

	cr_assert_eq(unsetenv("LATHE_KERNEL"), 0);
	cr_assert_eq(lt_kernels_default(), best);
	cr_assert_str_eq(lathe_kernel_name(), best->name);
	lt_ring r1;
	cr_assert_eq(lt_ring_init(&r1, 1024, &q, 1), LATHE_OK);
	cr_assert_eq(r1.kern, best);
	cr_assert_eq(r1.mod[0].ntt.kern, best);
	lt_ntt_tables t1;
	cr_assert_eq(lt_ntt_tables_init(&t1, q, psi, 10), 0);
	cr_assert_eq(t1.kern, best);

	cr_assert_eq(setenv("LATHE_KERNEL", "scalar", 1), 0);
	cr_assert_eq(lt_kernels_default(), ks);
	cr_assert_str_eq(lathe_kernel_name(), "scalar");
	lt_ring r2;
	cr_assert_eq(lt_ring_init(&r2, 1024, &q, 1), LATHE_OK);
	cr_assert_eq(r2.kern, ks);
	cr_assert_eq(r2.mod[0].ntt.kern, ks);
	cr_assert_null(r2.mod[0].ntt.vec);
	lt_ntt_tables t2;
	cr_assert_eq(lt_ntt_tables_init(&t2, q, psi, 10), 0);
	cr_assert_eq(t2.kern, ks);
	cr_assert_eq(r1.mod[0].ntt.kern, best, "a ring keeps the kernels it was built with");
	cr_assert_eq(t1.kern, best);
	/* the explicit choice ignores the environment */
	if (kv) {
		lt_ring r3;
		cr_assert_eq(lt_ring_init_kernels(&r3, 1024, &q, 1, kv), LATHE_OK);
		cr_assert_eq(r3.mod[0].ntt.kern, kv);
		lt_ring_clear(&r3);
	}

	cr_assert_eq(lt_cpu_kernel_default(), LT_KERNEL_SCALAR);
	cr_assert_eq(lt_kernels_default(), ks);
	cr_assert_eq(unsetenv("LATHE_KERNEL"), 0);
	cr_assert_eq(lt_cpu_kernel_default(), best->path);
	lt_ring_clear(&r1);
	lt_ring_clear(&r2);
	lt_ntt_tables_clear(&t1);
	lt_ntt_tables_clear(&t2);

	lt_ring r4;
	cr_assert_eq(lt_ring_init_kernels(&r4, 1024, &q, 1, NULL), LATHE_EINVAL);
}

/*
 * A scalar ring and an AVX2 ring over the same primes live in one process:
 * each prime carries its ring's kernels (the scalar ones from 2^50 up), and
 * interleaved transforms on the two agree bit for bit.
 */
Test(ntt, scalar_and_avx2_rings_coexist)
{
	const lt_kernels *kv = kernels_or_skip(LT_KERNEL_AVX2), *ks = lt_kernels_scalar();
	lt_prng g;
	test_prng(&g, 5);
	const unsigned logn = 12, bits[] = { 50, 45, 61, 30 };
	const size_t n = (size_t)1 << logn;
	uint64_t q[4];
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(lt_primes_gen(&q[i], 1, bits[i], logn, q, i), LATHE_OK);
	lt_ring rs, rv;
	cr_assert_eq(lt_ring_init_kernels(&rs, n, q, 4, ks), LATHE_OK);
	cr_assert_eq(lt_ring_init_kernels(&rv, n, q, 4, kv), LATHE_OK);
	cr_assert_eq(rs.kern, ks);
	cr_assert_eq(rv.kern, kv);
	uint64_t *a = lt_alloc(n * 8), *s = lt_alloc(n * 8), *v = lt_alloc(n * 8);
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(rs.mod[i].ntt.kern, ks);
		cr_assert_eq(rv.mod[i].ntt.kern, q[i] < LT_VEC_QMAX ? kv : ks, "prime %u (%u bits)", i, bits[i]);
		test_rand_vec(&g, a, n, q[i]);
		memcpy(s, a, n * 8);
		memcpy(v, a, n * 8);
		for (int round = 0; round < 3; round++) {
			lt_ntt_fwd(s, &rs.mod[i].ntt);
			lt_ntt_fwd(v, &rv.mod[i].ntt);
			cr_assert_arr_eq(s, v, n * 8, "fwd prime %u round %d", i, round);
		}
		for (int round = 0; round < 3; round++) {
			lt_ntt_inv(v, &rv.mod[i].ntt);
			lt_ntt_inv(s, &rs.mod[i].ntt);
			cr_assert_arr_eq(s, v, n * 8, "inv prime %u round %d", i, round);
		}
		cr_assert_arr_eq(s, a, n * 8, "round trip prime %u", i);
	}
	lt_free(a);
	lt_free(s);
	lt_free(v);
	lt_ring_clear(&rs);
	lt_ring_clear(&rv);
}
