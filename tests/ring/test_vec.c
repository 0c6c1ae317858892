/*
 * Limb kernels on both paths against FLINT's n_mulmod2_preinv, for every
 * length up to 67 (vector tails) and a long one, with aliasing. Each path
 * runs on a ring built with its kernel table.
 */
#include <criterion/criterion.h>

#include <string.h>

#include <flint/ulong_extras.h>

#include "common/util.h"
#include "core/mem.h"
#include "ring/kernels.h"
#include "ring/primes.h"
#include "ring/ring.h"
#include "ring/vec.h"

static void
run(lt_kernel path)
{
	const lt_kernels *kern = lt_kernels_get(path);
	if (!kern)
		cr_skip_test("no AVX2 kernels in this build or on this CPU: vector path not tested");
	const int k = (int)path;
	lt_prng g;
	test_prng(&g, 20 + (uint32_t)path);
	const unsigned bits[] = { 20, 30, 45, 49, 50, 55, 61 };
	for (unsigned bi = 0; bi < 7; bi++) {
		lt_ring r;
		uint64_t q0;
		cr_assert_eq(lt_primes_gen(&q0, 1, bits[bi], 6, NULL, 0), LATHE_OK);
		cr_assert_eq(lt_ring_init_kernels(&r, 64, &q0, 1, kern), LATHE_OK);
		const lt_modulus *m = &r.mod[0];
		const uint64_t q = m->q;
		/* the path's kernels below its bound, the portable ones above */
		cr_assert_eq(m->ntt.kern, q < kern->qmax ? kern : lt_kernels_scalar(), "bits=%u", bits[bi]);
		const ulong qinv = n_preinvert_limb(q);
		size_t lens[70];
		for (size_t i = 0; i < 68; i++)
			lens[i] = i;
		lens[68] = 1000;
		lens[69] = 4099;
		for (size_t li = 0; li < 70; li++) {
			size_t n = lens[li];
			uint64_t *a = lt_alloc(n * 8 + 8), *b = lt_alloc(n * 8 + 8), *c = lt_alloc(n * 8 + 8);
			uint64_t *ref = lt_alloc(n * 8 + 8), *acc = lt_alloc(n * 8 + 8);
			for (int kind = 0; kind < 2; kind++) {
				for (size_t i = 0; i < n; i++) {
					a[i] = kind ? q - 1 : test_rand(&g, q);
					b[i] = kind ? q - 1 - (i & 1) : test_rand(&g, q);
					acc[i] = kind ? q - 1 : test_rand(&g, q);
				}
				uint64_t cst = kind ? q - 1 : test_rand(&g, q);
				/* mul */
				lt_vec_mul(c, a, b, n, m);
				for (size_t i = 0; i < n; i++)
					ref[i] = n_mulmod2_preinv(a[i], b[i], q, qinv);
				cr_assert_arr_eq(c, ref, n * 8, "mul k=%d bits=%u n=%zu", k, bits[bi], n);
				/* mul aliasing r == a */
				memcpy(c, a, n * 8);
				lt_vec_mul(c, c, b, n, m);
				cr_assert_arr_eq(c, ref, n * 8, "mul alias k=%d n=%zu", k, n);
				/* mac */
				memcpy(c, acc, n * 8);
				lt_vec_mac(c, a, b, n, m);
				for (size_t i = 0; i < n; i++)
					ref[i] = n_addmod(acc[i], n_mulmod2_preinv(a[i], b[i], q, qinv), q);
				cr_assert_arr_eq(c, ref, n * 8, "mac k=%d bits=%u n=%zu", k, bits[bi], n);
				/* scalar */
				lt_vec_mul_scalar(c, a, cst, n, m);
				for (size_t i = 0; i < n; i++)
					ref[i] = n_mulmod2_preinv(a[i], cst, q, qinv);
				cr_assert_arr_eq(c, ref, n * 8, "scalar k=%d bits=%u n=%zu", k, bits[bi], n);
				memcpy(c, a, n * 8);
				lt_vec_mul_scalar(c, c, cst, n, m);
				cr_assert_arr_eq(c, ref, n * 8, "scalar alias k=%d n=%zu", k, n);
				/* fused digit step: r0 (+)= a b0, r1 (+)= a b1 */
				{
					uint64_t *r0 = lt_alloc(n * 8 + 8), *r1 = lt_alloc(n * 8 + 8);
					uint64_t *e0 = lt_alloc(n * 8 + 8), *e1 = lt_alloc(n * 8 + 8);
					for (int first = 0; first < 2; first++) {
						memcpy(r0, acc, n * 8);
						memcpy(r1, b, n * 8);
						for (size_t i = 0; i < n; i++) {
							uint64_t p0 = n_mulmod2_preinv(a[i], b[i], q, qinv);
							uint64_t p1 = n_mulmod2_preinv(a[i], acc[i], q, qinv);
							e0[i] = first ? p0 : n_addmod(acc[i], p0, q);
							e1[i] = first ? p1 : n_addmod(b[i], p1, q);
						}
						lt_vec_mac2(r0, r1, a, b, acc, n, m, first);
						cr_assert_arr_eq(r0, e0, n * 8, "mac2 r0 k=%d bits=%u n=%zu first=%d", k, bits[bi], n, first);
						cr_assert_arr_eq(r1, e1, n * 8, "mac2 r1 k=%d bits=%u n=%zu first=%d", k, bits[bi], n, first);
					}
					/* r = a cst - b cst2, and aliasing r == a */
					uint64_t cst2 = kind ? 1 : test_rand(&g, q);
					for (size_t i = 0; i < n; i++)
						e0[i] = n_submod(n_mulmod2_preinv(a[i], cst, q, qinv), n_mulmod2_preinv(b[i], cst2, q, qinv), q);
					lt_vec_mulsub2(r0, a, cst, b, cst2, n, m);
					cr_assert_arr_eq(r0, e0, n * 8, "mulsub2 k=%d bits=%u n=%zu", k, bits[bi], n);
					memcpy(r0, a, n * 8);
					lt_vec_mulsub2(r0, r0, cst, b, cst2, n, m);
					cr_assert_arr_eq(r0, e0, n * 8, "mulsub2 alias k=%d n=%zu", k, n);
					lt_free(r0);
					lt_free(r1);
					lt_free(e0);
					lt_free(e1);
				}
				/* add, sub, neg */
				lt_vec_add(c, a, b, n, q);
				for (size_t i = 0; i < n; i++)
					ref[i] = n_addmod(a[i], b[i], q);
				cr_assert_arr_eq(c, ref, n * 8);
				lt_vec_sub(c, a, b, n, q);
				for (size_t i = 0; i < n; i++)
					ref[i] = n_submod(a[i], b[i], q);
				cr_assert_arr_eq(c, ref, n * 8);
				lt_vec_neg(c, a, n, q);
				for (size_t i = 0; i < n; i++)
					ref[i] = n_negmod(a[i], q);
				cr_assert_arr_eq(c, ref, n * 8);
			}
			lt_free(a);
			lt_free(b);
			lt_free(c);
			lt_free(ref);
			lt_free(acc);
		}
		lt_ring_clear(&r);
	}
}

Test(vec, portable_path_matches_flint)
{
	run(LT_KERNEL_SCALAR);
}

Test(vec, avx2_path_matches_flint)
{
	run(LT_KERNEL_AVX2);
}
