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
