/*
 * Automorphisms X -> X^k: coefficient form against the definition (direct
 * evaluation at the roots), NTT form against the coefficient form through
 * the transform, compositions, the ring-homomorphism property, and the
 * asserted preconditions.
 */
#include <criterion/criterion.h>

#include <signal.h>
#include <string.h>

#include "common/util.h"
#include "core/mem.h"
#include "ring/automorph.h"
#include "ring/modarith.h"

static uint64_t
eval(const uint64_t *a, size_t n, uint64_t x, uint64_t q, lt_barrett br)
{
	uint64_t v = 0;
	for (size_t j = n; j-- > 0;)
		v = lt_addmod(lt_mulmod(v, x, q, br), a[j], q);
	return v;
}

Test(automorph, coefficient_form_matches_definition)
{
	static const unsigned bits[] = { 50, 61 };
	lt_prng g;
	test_prng(&g, 70);
	for (unsigned logn = 4; logn <= 7; logn++) {
		lt_ring r;
		cr_assert_eq(test_ring(&r, logn, bits, 2), LATHE_OK);
		size_t n = r.n;
		for (unsigned mi = 0; mi < 2; mi++) {
			const lt_modulus *m = &r.mod[mi];
			uint64_t *a = lt_alloc(n * 8), *b = lt_alloc(n * 8);
			test_rand_vec(&g, a, n, m->q);
			for (uint64_t k = 1; k < 2 * n; k += 2) {
				lt_automorph_coeff(b, a, n, k, m->q);
				/* sigma_k(a)(x) = a(x^k) at every primitive 2N-th root x */
				for (uint64_t e = 1; e < 2 * n; e += 2) {
					uint64_t x = lt_powmod(m->ntt.psi, e, m->q, m->br);
					uint64_t xk = lt_powmod(x, k, m->q, m->br);
					cr_assert_eq(eval(b, n, x, m->q, m->br), eval(a, n, xk, m->q, m->br),
					             "N=%zu k=%llu e=%llu", n, (unsigned long long)k, (unsigned long long)e);
				}
			}
			lt_free(a);
			lt_free(b);
		}
		lt_ring_clear(&r);
	}
}

Test(automorph, ntt_form_agrees_with_coefficient_form)
{
	static const unsigned bits[] = { 45, 50, 61 };
	lt_prng g;
	test_prng(&g, 71);
	for (unsigned logn = 4; logn <= 12; logn++) {
		lt_ring r;
		cr_assert_eq(test_ring(&r, logn, bits, 3), LATHE_OK);
		size_t n = r.n;
		lt_poly a, b, c;
		cr_assert_eq(lt_poly_init(&a, n, r.modp, 3), LATHE_OK);
		cr_assert_eq(lt_poly_init(&b, n, r.modp, 3), LATHE_OK);
		cr_assert_eq(lt_poly_init(&c, n, r.modp, 3), LATHE_OK);
		uint32_t *perm = lt_alloc(n * 4);
		const uint64_t ks[] = { 3, 5, 25, 2 * n - 1, 2 * n - 5, 5 * 5 * 5 * 5 * 5 % (2 * n) };
		for (unsigned ki = 0; ki < 6; ki++) {
			uint64_t k = ks[ki] | 1;
			for (unsigned i = 0; i < 3; i++)
				test_rand_vec(&g, lt_poly_limb(&a, i), n, r.mod[i].q);
			a.ntt = 0;
			lt_poly_automorph(&b, &a, k, NULL);
			lt_poly_to_ntt(&b);
			lt_automorph_perm(perm, logn, k);
			lt_poly_to_ntt(&a);
			lt_poly_automorph(&c, &a, k, perm);
			cr_assert(c.ntt);
			cr_assert_arr_eq(b.c, c.c, 3 * n * 8, "N=%zu k=%llu", n, (unsigned long long)k);
		}
		lt_free(perm);
		lt_poly_clear(&a);
		lt_poly_clear(&b);
		lt_poly_clear(&c);
		lt_ring_clear(&r);
	}
}

Test(automorph, composition_and_products)
{
	static const unsigned bits[] = { 49, 60 };
	lt_prng g;
	test_prng(&g, 72);
	const unsigned logn = 9;
	lt_ring r;
	cr_assert_eq(test_ring(&r, logn, bits, 2), LATHE_OK);
	size_t n = r.n;
	lt_poly a, b, t1, t2, t3;
	lt_poly *ps[] = { &a, &b, &t1, &t2, &t3 };
	for (int i = 0; i < 5; i++)
		cr_assert_eq(lt_poly_init(ps[i], n, r.modp, 2), LATHE_OK);
	uint32_t *p1 = lt_alloc(n * 4), *p2 = lt_alloc(n * 4), *p12 = lt_alloc(n * 4);
	for (unsigned trial = 0; trial < test_mult(8); trial++) {
		uint64_t k1 = (test_rand(&g, n) * 2 + 1), k2 = (test_rand(&g, n) * 2 + 1);
		uint64_t k12 = (k1 * k2) % (2 * n);
		for (unsigned i = 0; i < 2; i++) {
			test_rand_vec(&g, lt_poly_limb(&a, i), n, r.mod[i].q);
			test_rand_vec(&g, lt_poly_limb(&b, i), n, r.mod[i].q);
		}
		a.ntt = b.ntt = 0;
		/* coefficient form: sigma_k1(sigma_k2(a)) = sigma_{k1 k2}(a) */
		lt_poly_automorph(&t1, &a, k2, NULL);
		lt_poly_automorph(&t2, &t1, k1, NULL);
		lt_poly_automorph(&t3, &a, k12, NULL);
		cr_assert_arr_eq(t2.c, t3.c, 2 * n * 8, "coefficient composition");
		/* NTT form, same identity */
		lt_automorph_perm(p1, logn, k1);
		lt_automorph_perm(p2, logn, k2);
		lt_automorph_perm(p12, logn, k12);
		lt_poly_to_ntt(&a);
		lt_poly_automorph(&t1, &a, k2, p2);
		lt_poly_automorph(&t2, &t1, k1, p1);
		lt_poly_automorph(&t3, &a, k12, p12);
		cr_assert_arr_eq(t2.c, t3.c, 2 * n * 8, "NTT composition");
		/* sigma(a * b) = sigma(a) * sigma(b) */
		lt_poly_to_ntt(&b);
		lt_poly_mul(&t1, &a, &b);
		lt_poly_automorph(&t2, &t1, k1, p1);
		lt_poly_automorph(&t1, &a, k1, p1);
		lt_poly_automorph(&t3, &b, k1, p1);
		lt_poly_mul(&t1, &t1, &t3);
		cr_assert_arr_eq(t1.c, t2.c, 2 * n * 8, "homomorphism");
	}
	lt_free(p1);
	lt_free(p2);
	lt_free(p12);
	for (int i = 0; i < 5; i++)
		lt_poly_clear(ps[i]);
	lt_ring_clear(&r);
}

/*
 * Misuse breaks a precondition of lt_poly_automorph, which an assert
 * catches: these tests exist only when NDEBUG is not defined (debug and
 * debugoptimized builds); release builds compile the asserts out.
 */
#ifndef NDEBUG
/* r: degree 2^9 over primes of 49 and 60 bits; a, b: zero, coefficient form, over its first ka, kb limbs */
static void
misuse_setup(lt_ring *r, lt_poly *a, unsigned ka, lt_poly *b, unsigned kb)
{
	static const unsigned bits[] = { 49, 60 };
	cr_assert_eq(test_ring(r, 9, bits, 2), LATHE_OK);
	cr_assert_eq(lt_poly_init(a, r->n, r->modp, ka), LATHE_OK);
	cr_assert_eq(lt_poly_init(b, r->n, r->modp, kb), LATHE_OK);
}

Test(automorph, even_galois_element_asserts, .signal = SIGABRT)
{
	lt_ring r;
	lt_poly a, b;
	misuse_setup(&r, &a, 2, &b, 2);
	lt_poly_automorph(&b, &a, 4, NULL);
}

Test(automorph, output_aliasing_input_asserts, .signal = SIGABRT)
{
	lt_ring r;
	lt_poly a, b;
	misuse_setup(&r, &a, 2, &b, 2);
	lt_poly_automorph(&a, &a, 5, NULL);
}

Test(automorph, output_over_the_input_words_asserts, .signal = SIGABRT)
{
	/* two views of the same words, distinct structs */
	lt_ring r;
	lt_poly a, b;
	misuse_setup(&r, &a, 2, &b, 2);
	lt_poly in = lt_poly_view(a.n, a.mod, 2, a.c, 0), out = lt_poly_view(a.n, a.mod, 2, a.c, 0);
	lt_poly_automorph(&out, &in, 5, NULL);
}

Test(automorph, ntt_form_without_table_asserts, .signal = SIGABRT)
{
	lt_ring r;
	lt_poly a, b;
	misuse_setup(&r, &a, 2, &b, 2);
	lt_poly_to_ntt(&a);
	lt_poly_automorph(&b, &a, 5, NULL);
}

Test(automorph, different_bases_assert, .signal = SIGABRT)
{
	lt_ring r;
	lt_poly a, b;
	misuse_setup(&r, &a, 2, &b, 1);
	lt_poly_automorph(&b, &a, 5, NULL);
}
#endif
