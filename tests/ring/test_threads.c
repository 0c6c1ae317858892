/*
 * Parallel kernels give bit-identical results on 1 and 2 threads.
 */
#include <criterion/criterion.h>

#include <string.h>

#include <omp.h>

#include "common/util.h"
#include "core/mem.h"
#include "ring/automorph.h"
#include "ring/rns.h"
#include "ring/sample.h"
#include "ring/vec.h"

typedef struct {
	uint64_t *ntt, *mul, *ext, *div, *aut, *uni;
} results;

static void
run(const lt_ring *r, unsigned nq, results *out)
{
	const size_t n = r->n;
	const unsigned np = r->nmod - nq;
	uint8_t seed[32] = { 5 };
	lt_poly a, b, c;
	cr_assert_eq(lt_poly_init(&a, n, r->modp, r->nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&b, n, r->modp, r->nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&c, n, r->modp, r->nmod), LATHE_OK);
	lt_sample_uniform(&a, seed, 1);
	lt_sample_uniform(&b, seed, 2);
	size_t words = (size_t)r->nmod * n, bytes = words * 8;
	out->uni = lt_alloc(bytes);
	memcpy(out->uni, a.c, bytes);
	lt_poly_to_ntt(&a);
	out->ntt = lt_alloc(bytes);
	memcpy(out->ntt, a.c, bytes);
	lt_poly_to_ntt(&b);
	lt_poly_mul(&c, &a, &b);
	lt_poly_mac(&c, &a, &c);
	lt_poly_to_coeff(&c);
	out->mul = lt_alloc(bytes);
	memcpy(out->mul, c.c, bytes);
	uint32_t *perm = lt_alloc(n * 4);
	lt_automorph_perm(perm, r->logn, 5);
	lt_poly_automorph(&c, &a, 5, perm);
	out->aut = lt_alloc(bytes);
	memcpy(out->aut, c.c, bytes);
	/* extension Q -> P and divide-and-round by P */
	lt_baseconv bc;
	cr_assert_eq(lt_baseconv_init(&bc, r->modp, nq, r->modp + nq, np), LATHE_OK);
	out->ext = lt_alloc((size_t)np * n * 8);
	uint64_t *scr = lt_alloc(bytes);
	lt_baseconv_apply(&bc, out->ext, out->uni, n, scr);
	lt_divround dr;
	cr_assert_eq(lt_divround_init(&dr, r->modp, nq, r->modp + nq, np), LATHE_OK);
	out->div = lt_alloc(bytes);
	memcpy(out->div, out->uni, bytes);
	lt_divround_apply(&dr, out->div, n, scr);
	lt_divround_clear(&dr);
	lt_baseconv_clear(&bc);
	lt_free(scr);
	lt_free(perm);
	lt_poly_clear(&a);
	lt_poly_clear(&b);
	lt_poly_clear(&c);
}

static void
release(results *r)
{
	lt_free(r->ntt);
	lt_free(r->mul);
	lt_free(r->ext);
	lt_free(r->div);
	lt_free(r->aut);
	lt_free(r->uni);
}

Test(threads, one_and_two_threads_agree_bit_for_bit)
{
	static const unsigned bits[] = { 50, 50, 50, 49, 49, 48, 45, 40, 61, 60 };
	lt_ring r;
	cr_assert_eq(test_ring(&r, 13, bits, 10), LATHE_OK);
	results r1, r2;
	omp_set_num_threads(1);
	run(&r, 7, &r1);
	omp_set_num_threads(2);
	run(&r, 7, &r2);
	size_t bytes = (size_t)r.nmod * r.n * 8;
	cr_assert_arr_eq(r1.uni, r2.uni, bytes, "uniform sampling");
	cr_assert_arr_eq(r1.ntt, r2.ntt, bytes, "NTT");
	cr_assert_arr_eq(r1.mul, r2.mul, bytes, "mul/mac");
	cr_assert_arr_eq(r1.aut, r2.aut, bytes, "automorphism");
	cr_assert_arr_eq(r1.ext, r2.ext, (size_t)3 * r.n * 8, "base extension");
	cr_assert_arr_eq(r1.div, r2.div, (size_t)7 * r.n * 8, "divide-and-round");
	release(&r1);
	release(&r2);
	lt_ring_clear(&r);
}

/*
 * The word-by-word operations split each limb into two halves of its
 * coefficients for the threads: with an odd number of limbs, on two
 * threads, every one equals its kernel applied to each whole limb on one.
 */
Test(threads, word_ops_on_halves_of_an_odd_number_of_limbs)
{
	static const unsigned bits[] = { 50, 49, 48, 45, 61 };
	const unsigned k = 5;
	lt_ring r;
	cr_assert_eq(test_ring(&r, 12, bits, k), LATHE_OK);
	const size_t n = r.n;
	lt_prng g;
	test_prng(&g, 91);
	lt_poly a, b, o;
	cr_assert_eq(lt_poly_init(&a, n, r.modp, k), LATHE_OK);
	cr_assert_eq(lt_poly_init(&b, n, r.modp, k), LATHE_OK);
	cr_assert_eq(lt_poly_init(&o, n, r.modp, k), LATHE_OK);
	uint64_t *want = lt_alloc((size_t)k * n * 8), *acc = lt_alloc((size_t)k * n * 8);
	uint32_t *perm = lt_alloc(n * 4);
	lt_automorph_perm(perm, r.logn, 25);
	uint64_t cst[5];
	const int64_t ci = -987654321;
	omp_set_num_threads(2);
	for (unsigned op = 0; op < 9; op++) {
		for (unsigned i = 0; i < k; i++) {
			test_rand_vec(&g, lt_poly_limb(&a, i), n, r.mod[i].q);
			test_rand_vec(&g, lt_poly_limb(&b, i), n, r.mod[i].q);
			test_rand_vec(&g, lt_poly_limb(&o, i), n, r.mod[i].q);
			cst[i] = test_rand(&g, r.mod[i].q);
		}
		a.ntt = b.ntt = o.ntt = op >= 4;
		memcpy(acc, o.c, (size_t)k * n * 8);
		/* the reference: the kernel on whole limbs */
		for (unsigned i = 0; i < k; i++) {
			uint64_t *w = want + (size_t)i * n, *x = lt_poly_limb(&a, i), *y = lt_poly_limb(&b, i);
			const lt_modulus *m = r.modp[i];
			switch (op) {
			case 0: lt_vec_add(w, x, y, n, m->q); break;
			case 1: lt_vec_sub(w, x, y, n, m->q); break;
			case 2: lt_vec_neg(w, x, n, m->q); break;
			case 3: lt_vec_mul_scalar(w, x, lt_from_signed(ci, m->q, m->br), n, m); break;
			case 4: lt_vec_mul(w, x, y, n, m); break;
			case 5: memcpy(w, acc + (size_t)i * n, n * 8); lt_vec_mac(w, x, y, n, m); break;
			case 6: lt_vec_mul_scalar(w, x, cst[i], n, m); break;
			case 7: memcpy(w, x, n * 8); break;
			default: lt_automorph_ntt(w, x, n, perm); break;
			}
		}
		switch (op) {
		case 0: lt_poly_add(&o, &a, &b); break;
		case 1: lt_poly_sub(&o, &a, &b); break;
		case 2: lt_poly_neg(&o, &a); break;
		case 3: lt_poly_mul_int(&o, &a, ci); break;
		case 4: lt_poly_mul(&o, &a, &b); break;
		case 5: lt_poly_mac(&o, &a, &b); break;
		case 6: lt_poly_mul_rns(&o, &a, cst); break;
		case 7: lt_poly_copy(&o, &a); break;
		default: lt_poly_automorph(&o, &a, 25, perm); break;
		}
		cr_assert_arr_eq(o.c, want, (size_t)k * n * 8, "operation %u differs from its kernel on whole limbs", op);
	}
	lt_free(perm);
	lt_free(want);
	lt_free(acc);
	lt_poly_clear(&a);
	lt_poly_clear(&b);
	lt_poly_clear(&o);
	lt_ring_clear(&r);
}
