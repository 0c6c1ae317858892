/*
 * RNS polynomials: every operation against the same operation on the exact
 * integer polynomials (FLINT fmpz_poly, reduced mod X^N + 1 and mod Q),
 * views over borrowed words against owned polynomials, and the asserted
 * preconditions.
 */
#include <criterion/criterion.h>

#include <signal.h>
#include <string.h>

#include <flint/fmpz_poly.h>
#include <flint/fmpz_vec.h>

#include "common/params.h"
#include "common/util.h"
#include "core/mem.h"
#include "ring/crt.h"
#include "ring/poly.h"
#include "ring/primes.h"

#define LOGN 8
#define N (1u << LOGN)

static lt_ring R;
static fmpz_t Q;

static void
setup(void)
{
	cr_assert_eq(test_ring(&R, LOGN, TEST_INSECURE_BASIS_BITS, TEST_INSECURE_BASIS_LEN), LATHE_OK);
	fmpz_init(Q);
	lt_crt_modulus(Q, R.modp, R.nmod);
}

static void
teardown(void)
{
	fmpz_clear(Q);
	lt_ring_clear(&R);
}

TestSuite(poly, .init = setup, .fini = teardown);

/* random integer polynomial in [0, Q), loaded into p (coefficient form) */
static void
rand_poly(lt_prng *g, fmpz *x, lt_poly *p)
{
	for (unsigned j = 0; j < N; j++) {
		fmpz_zero(x + j);
		for (unsigned i = 0; i < R.nmod; i++) {
			fmpz_mul_2exp(x + j, x + j, 62);
			fmpz_add_ui(x + j, x + j, lt_prng_u64(g) >> 2);
		}
		fmpz_mod(x + j, x + j, Q);
	}
	lt_crt_decompose(p->c, x, N, p->mod, p->nlimbs);
	p->ntt = 0;
}

static void
assert_equals(const lt_poly *p, const fmpz *want, const char *what)
{
	fmpz *got = _fmpz_vec_init(N);
	fmpz_t w;
	fmpz_init(w);
	lt_crt_compose(got, p->c, N, p->mod, p->nlimbs, 0);
	for (unsigned j = 0; j < N; j++) {
		fmpz_mod(w, want + j, Q);
		cr_assert(fmpz_equal(got + j, w), "%s: coefficient %u differs (seed=%llu)", what, j,
		          (unsigned long long)test_seed());
	}
	fmpz_clear(w);
	_fmpz_vec_clear(got, N);
}

/* c = a * b mod X^N + 1 over Z */
static void
negacyclic_mul(fmpz *c, const fmpz *a, const fmpz *b)
{
	fmpz_poly_t A, B, C;
	fmpz_poly_init(A);
	fmpz_poly_init(B);
	fmpz_poly_init(C);
	for (unsigned j = 0; j < N; j++) {
		fmpz_poly_set_coeff_fmpz(A, j, a + j);
		fmpz_poly_set_coeff_fmpz(B, j, b + j);
	}
	fmpz_poly_mul(C, A, B);
	fmpz_t hi;
	fmpz_init(hi);
	for (unsigned j = 0; j < N; j++) {
		fmpz_poly_get_coeff_fmpz(c + j, C, j);
		fmpz_poly_get_coeff_fmpz(hi, C, j + N);
		fmpz_sub(c + j, c + j, hi);
	}
	fmpz_clear(hi);
	fmpz_poly_clear(A);
	fmpz_poly_clear(B);
	fmpz_poly_clear(C);
}

Test(poly, arithmetic_matches_exact_integers)
{
	lt_prng g;
	test_prng(&g, 30);
	fmpz *a = _fmpz_vec_init(N), *b = _fmpz_vec_init(N), *c = _fmpz_vec_init(N), *d = _fmpz_vec_init(N);
	lt_poly pa, pb, pc, pd;
	cr_assert_eq(lt_poly_init(&pa, N, R.modp, R.nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&pb, N, R.modp, R.nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&pc, N, R.modp, R.nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&pd, N, R.modp, R.nmod), LATHE_OK);
	for (unsigned trial = 0; trial < test_mult(3); trial++) {
		rand_poly(&g, a, &pa);
		rand_poly(&g, b, &pb);
		rand_poly(&g, d, &pd);

		lt_poly_add(&pc, &pa, &pb);
		_fmpz_vec_add(c, a, b, N);
		assert_equals(&pc, c, "add");

		lt_poly_sub(&pc, &pa, &pb);
		_fmpz_vec_sub(c, a, b, N);
		assert_equals(&pc, c, "sub");

		lt_poly_neg(&pc, &pa);
		_fmpz_vec_neg(c, a, N);
		assert_equals(&pc, c, "neg");

		int64_t k = -123456789012345 - (int64_t)trial;
		lt_poly_mul_int(&pc, &pa, k);
		_fmpz_vec_scalar_mul_si(c, a, N, k);
		assert_equals(&pc, c, "mul_int");

		/* products through the NTT */
		lt_poly_copy(&pc, &pa);
		lt_poly_to_ntt(&pc);
		lt_poly_to_ntt(&pb);
		lt_poly_mul(&pc, &pc, &pb); /* aliasing r == a */
		lt_poly_to_coeff(&pc);
		negacyclic_mul(c, a, b);
		assert_equals(&pc, c, "mul");

		/* d + a * b */
		lt_poly_to_ntt(&pd);
		lt_poly_to_ntt(&pa);
		lt_poly_mac(&pd, &pa, &pb);
		lt_poly_to_coeff(&pd);
		_fmpz_vec_add(c, c, d, N);
		assert_equals(&pd, c, "mac");

		/* limb-wise constants: x * [c_i] is multiplication by the CRT value of c */
		uint64_t cst[LT_MAX_MODULI];
		fmpz_t cz;
		fmpz_init(cz);
		for (unsigned i = 0; i < R.nmod; i++)
			cst[i] = test_rand(&g, R.mod[i].q);
		lt_crt_compose(cz, cst, 1, R.modp, R.nmod, 0);
		lt_poly_to_coeff(&pa);
		lt_poly_mul_rns(&pc, &pa, cst);
		_fmpz_vec_scalar_mul_fmpz(c, a, N, cz);
		assert_equals(&pc, c, "mul_rns");
		fmpz_clear(cz);
		lt_poly_to_coeff(&pb);
	}
	lt_poly_clear(&pa);
	lt_poly_clear(&pb);
	lt_poly_clear(&pc);
	lt_poly_clear(&pd);
	_fmpz_vec_clear(a, N);
	_fmpz_vec_clear(b, N);
	_fmpz_vec_clear(c, N);
	_fmpz_vec_clear(d, N);
}

Test(poly, small_values_lift_to_every_limb)
{
	int8_t s[N];
	fmpz *want = _fmpz_vec_init(N);
	for (unsigned j = 0; j < N; j++) {
		s[j] = (int8_t)((int)(j % 255) - 127);
		fmpz_set_si(want + j, s[j]);
	}
	lt_poly p;
	cr_assert_eq(lt_poly_init(&p, N, R.modp, R.nmod), LATHE_OK);
	lt_poly_set_small(&p, s);
	assert_equals(&p, want, "set_small");
	lt_poly_clear(&p);
	_fmpz_vec_clear(want, N);
}

/*
 * c s in NTT form, for constants that take the direct path (128 |c| below
 * every prime) and the reduced one (|c| near 2^62), of both signs: back in
 * coefficient form it is the exact integer product; each limb alone is the
 * same as the whole polynomial's.
 */
Test(poly, small_times_constant_in_ntt_form_matches_exact_integers)
{
	const int64_t cs[] = { 1, -1, 65537, -268042241, INT64_C(1) << 40, INT64_MAX / 3, -(INT64_MAX / 5) };
	lt_prng g;
	test_prng(&g, 41);
	int8_t s[N];
	fmpz *want = _fmpz_vec_init(N);
	lt_poly p, l;
	cr_assert_eq(lt_poly_init(&p, N, R.modp, R.nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&l, N, R.modp, R.nmod), LATHE_OK);
	for (size_t k = 0; k < sizeof(cs) / sizeof(cs[0]); k++) {
		for (unsigned j = 0; j < N; j++)
			s[j] = (int8_t)((int)(lt_prng_u64(&g) % 255) - 127);
		s[0] = 127;
		s[1] = -127;
		s[2] = 0;
		for (unsigned j = 0; j < N; j++) {
			fmpz_set_si(want + j, s[j]);
			fmpz_mul_si(want + j, want + j, cs[k]);
		}
		lt_poly_set_small_ntt(&p, s, cs[k]);
		cr_assert(p.ntt, "set_small_ntt leaves NTT form");
		for (unsigned i = 0; i < R.nmod; i++)
			lt_small_ntt_limb(lt_poly_limb(&l, i), s, cs[k], N, R.modp[i]);
		cr_assert(memcmp(p.c, l.c, (size_t)R.nmod * N * 8) == 0, "c = %lld: limb by limb differs",
		          (long long)cs[k]);
		lt_poly_to_coeff(&p);
		assert_equals(&p, want, "set_small_ntt");
	}
	lt_poly_clear(&p);
	lt_poly_clear(&l);
	_fmpz_vec_clear(want, N);
}

Test(poly, views_borrow_words_and_match_owned_polynomials)
{
	/* a view over the first k - 1 limbs of borrowed words, as a ciphertext one level down */
	lt_prng g;
	test_prng(&g, 31);
	const unsigned k = R.nmod - 1;
	uint64_t *wa = lt_alloc((size_t)k * N * 8), *wb = lt_alloc((size_t)k * N * 8), *wr = lt_alloc((size_t)k * N * 8);
	lt_poly pa, pb, pr;
	cr_assert_eq(lt_poly_init(&pa, N, R.modp, R.nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&pb, N, R.modp, R.nmod), LATHE_OK);
	cr_assert_eq(lt_poly_init(&pr, N, R.modp, R.nmod), LATHE_OK);
	for (unsigned i = 0; i < R.nmod; i++) {
		test_rand_vec(&g, lt_poly_limb(&pa, i), N, R.mod[i].q);
		test_rand_vec(&g, lt_poly_limb(&pb, i), N, R.mod[i].q);
	}
	memcpy(wa, pa.c, (size_t)k * N * 8);
	memcpy(wb, pb.c, (size_t)k * N * 8);
	lt_poly va = lt_poly_view(N, R.modp, k, wa, 0), vb = lt_poly_view(N, R.modp, k, wb, 0);
	lt_poly vr = lt_poly_view(N, R.modp, k, wr, 1);
	cr_assert(va.c == wa && va.n == N && va.nlimbs == k && va.mod == R.modp && !va.ntt);
	cr_assert_eq(vr.ntt, 1);
	/* r = (a + b) * b through the NTT, on the views and on the owned polynomials */
	lt_poly_add(&vr, &va, &vb);
	cr_assert_eq(vr.ntt, 0, "the result takes the operands' form");
	lt_poly_to_ntt(&vr);
	lt_poly_to_ntt(&vb);
	lt_poly_mul(&vr, &vr, &vb);
	lt_poly_to_coeff(&vr);
	lt_poly_add(&pr, &pa, &pb);
	lt_poly_to_ntt(&pr);
	lt_poly_to_ntt(&pb);
	lt_poly_mul(&pr, &pr, &pb);
	lt_poly_to_coeff(&pr);
	cr_assert_arr_eq(wr, pr.c, (size_t)k * N * 8, "view and owned results differ (seed=%llu)",
	                 (unsigned long long)test_seed());
	/* an input view is only read */
	cr_assert_arr_eq(wa, pa.c, (size_t)k * N * 8);
	lt_free(wa);
	lt_free(wb);
	lt_free(wr);
	lt_poly_clear(&pa);
	lt_poly_clear(&pb);
	lt_poly_clear(&pr);
}

Test(poly, init_refuses_bad_arguments)
{
	lt_poly d;
	cr_assert_eq(lt_poly_init(&d, N, NULL, 3), LATHE_EINVAL);
	cr_assert(d.c == NULL && d.nlimbs == 0, "a refused polynomial is zeroed");
	cr_assert_eq(lt_poly_init(NULL, N, R.modp, 3), LATHE_EINVAL);
	cr_assert_eq(lt_poly_init(&d, N, R.modp, 0), LATHE_EINVAL);
	cr_assert_eq(lt_poly_init(&d, 0, R.modp, 3), LATHE_EINVAL);
	lt_poly_clear(&d);
	lt_poly_clear(NULL);
}

/*
 * Misuse of a kernel breaks a precondition, which an assert catches: these
 * tests exist only when NDEBUG is not defined (debug and debugoptimized
 * builds); release builds compile the asserts, and so these tests, out.
 */
#ifndef NDEBUG
/* a zero polynomial over limbs first .. first + k - 1 of R, in NTT form when ntt */
static lt_poly
fresh(unsigned first, unsigned k, int ntt)
{
	lt_poly p;
	cr_assert_eq(lt_poly_init(&p, N, R.modp + first, k), LATHE_OK);
	if (ntt)
		lt_poly_to_ntt(&p);
	return p;
}

Test(poly, add_of_different_limb_counts_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0), b = fresh(0, 2, 0);
	lt_poly_add(&a, &a, &b);
}

Test(poly, add_of_different_primes_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0), c = fresh(1, 3, 0);
	lt_poly_add(&a, &a, &c);
}

Test(poly, sub_of_null_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0);
	lt_poly_sub(&a, &a, NULL);
}

Test(poly, add_of_mixed_forms_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0), d = fresh(0, 3, 1);
	lt_poly_add(&a, &a, &d);
}

Test(poly, mul_in_coefficient_form_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0);
	lt_poly_mul(&a, &a, &a);
}

Test(poly, mac_into_coefficient_form_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0), d = fresh(0, 3, 1);
	lt_poly_mac(&a, &d, &d);
}

Test(poly, mul_rns_by_unreduced_constant_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0);
	uint64_t big[3] = { R.mod[0].q, 0, 0 };
	lt_poly_mul_rns(&a, &a, big);
}

Test(poly, to_ntt_of_null_asserts, .signal = SIGABRT)
{
	lt_poly_to_ntt(NULL);
}

Test(poly, set_small_of_null_asserts, .signal = SIGABRT)
{
	lt_poly a = fresh(0, 3, 0);
	lt_poly_set_small(&a, NULL);
}

Test(poly, partly_overlapping_output_asserts, .signal = SIGABRT)
{
	/* two 3-limb views over one 4-limb block, one limb apart */
	lt_poly w = fresh(0, 4, 0);
	lt_poly a = lt_poly_view(N, R.modp, 3, w.c, 0), r = lt_poly_view(N, R.modp, 3, w.c + N, 0);
	lt_poly_neg(&r, &a);
}
#endif

Test(poly, ring_refuses_bad_parameters)
{
	lt_ring r;
	uint64_t q[2];
	cr_assert_eq(lt_primes_gen(q, 2, 40, 10, NULL, 0), LATHE_OK);
	cr_assert_eq(lt_ring_init(&r, 1000, q, 2), LATHE_EPARAM, "N not a power of two");
	cr_assert(strstr(lathe_last_error(), "power of two") != NULL);
	cr_assert_eq(lt_ring_init(&r, 8, q, 2), LATHE_EPARAM, "N below 2^4");
	cr_assert_eq(lt_ring_init(&r, (size_t)1 << 18, q, 2), LATHE_EPARAM, "N above 2^17");
	uint64_t cand[8], odd = 0;
	cr_assert_eq(lt_primes_gen(cand, 8, 40, 10, NULL, 0), LATHE_OK);
	for (int i = 0; i < 8; i++)
		if ((cand[i] - 1) % 4096 != 0)
			odd = cand[i];
	cr_assert_neq(odd, 0);
	cr_assert_eq(lt_ring_init(&r, 2048, &odd, 1), LATHE_EPARAM, "q not 1 mod 2N for N = 2^11");
	uint64_t dup[2] = { q[0], q[0] };
	cr_assert_eq(lt_ring_init(&r, 1024, dup, 2), LATHE_EPARAM, "repeated prime");
	uint64_t comp[1] = { 1 + 2048 * 4 }; /* 8193 = 3 * 2731 */
	cr_assert_eq(lt_ring_init(&r, 1024, comp, 1), LATHE_EPARAM, "not prime");
	cr_assert_eq(lt_ring_init(&r, 1024, q, 0), LATHE_EINVAL);
	cr_assert_eq(lt_ring_init(NULL, 1024, q, 2), LATHE_EINVAL);
	cr_assert_eq(lt_ring_init(&r, 1024, q, 2), LATHE_OK);
	cr_assert_eq(r.nmod, 2);
	lt_ring_clear(&r);
}
