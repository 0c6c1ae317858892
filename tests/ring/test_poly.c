/*
 * RNS polynomials: every operation against the same operation on the exact
 * integer polynomials (FLINT fmpz_poly, reduced mod X^N + 1 and mod Q).
 */
#include <criterion/criterion.h>

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

		cr_assert_eq(lt_poly_add(&pc, &pa, &pb), LATHE_OK);
		_fmpz_vec_add(c, a, b, N);
		assert_equals(&pc, c, "add");

		cr_assert_eq(lt_poly_sub(&pc, &pa, &pb), LATHE_OK);
		_fmpz_vec_sub(c, a, b, N);
		assert_equals(&pc, c, "sub");

		cr_assert_eq(lt_poly_neg(&pc, &pa), LATHE_OK);
		_fmpz_vec_neg(c, a, N);
		assert_equals(&pc, c, "neg");

		int64_t k = -123456789012345 - (int64_t)trial;
		cr_assert_eq(lt_poly_mul_int(&pc, &pa, k), LATHE_OK);
		_fmpz_vec_scalar_mul_si(c, a, N, k);
		assert_equals(&pc, c, "mul_int");

		/* products through the NTT */
		cr_assert_eq(lt_poly_copy(&pc, &pa), LATHE_OK);
		cr_assert_eq(lt_poly_to_ntt(&pc), LATHE_OK);
		cr_assert_eq(lt_poly_to_ntt(&pb), LATHE_OK);
		cr_assert_eq(lt_poly_mul(&pc, &pc, &pb), LATHE_OK); /* aliasing r == a */
		cr_assert_eq(lt_poly_to_coeff(&pc), LATHE_OK);
		negacyclic_mul(c, a, b);
		assert_equals(&pc, c, "mul");

		/* d + a * b */
		cr_assert_eq(lt_poly_to_ntt(&pd), LATHE_OK);
		cr_assert_eq(lt_poly_to_ntt(&pa), LATHE_OK);
		cr_assert_eq(lt_poly_mac(&pd, &pa, &pb), LATHE_OK);
		cr_assert_eq(lt_poly_to_coeff(&pd), LATHE_OK);
		_fmpz_vec_add(c, c, d, N);
		assert_equals(&pd, c, "mac");

		/* limb-wise constants: x * [c_i] is multiplication by the CRT value of c */
		uint64_t cst[LT_MAX_MODULI];
		fmpz_t cz;
		fmpz_init(cz);
		for (unsigned i = 0; i < R.nmod; i++)
			cst[i] = test_rand(&g, R.mod[i].q);
		lt_crt_compose(cz, cst, 1, R.modp, R.nmod, 0);
		cr_assert_eq(lt_poly_to_coeff(&pa), LATHE_OK);
		cr_assert_eq(lt_poly_mul_rns(&pc, &pa, cst), LATHE_OK);
		_fmpz_vec_scalar_mul_fmpz(c, a, N, cz);
		assert_equals(&pc, c, "mul_rns");
		fmpz_clear(cz);
		cr_assert_eq(lt_poly_to_coeff(&pb), LATHE_OK);
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
	cr_assert_eq(lt_poly_set_small(&p, s), LATHE_OK);
	assert_equals(&p, want, "set_small");
	lt_poly_clear(&p);
	_fmpz_vec_clear(want, N);
}

Test(poly, errors_are_reported)
{
	lt_poly a, b, c;
	cr_assert_eq(lt_poly_init(&a, N, R.modp, 3), LATHE_OK);
	cr_assert_eq(lt_poly_init(&b, N, R.modp, 2), LATHE_OK);
	cr_assert_eq(lt_poly_init(&c, N, R.modp + 1, 3), LATHE_OK);
	cr_assert_eq(lt_poly_add(&a, &a, &b), LATHE_EMISMATCH);
	cr_assert_eq(lt_poly_add(&a, &a, &c), LATHE_EMISMATCH, "different primes");
	cr_assert_eq(lt_poly_sub(&a, &a, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_poly_mul(&a, &a, &a), LATHE_EINVAL, "coefficient form must be refused");
	cr_assert(strstr(lathe_last_error(), "NTT") != NULL);
	lt_poly d;
	cr_assert_eq(lt_poly_init(&d, N, R.modp, 3), LATHE_OK);
	cr_assert_eq(lt_poly_to_ntt(&d), LATHE_OK);
	cr_assert_eq(lt_poly_add(&a, &a, &d), LATHE_EINVAL, "mixed forms must be refused");
	cr_assert_eq(lt_poly_mac(&a, &d, &d), LATHE_EINVAL, "coefficient-form accumulator");
	lt_poly_clear(&d);
	cr_assert_eq(lt_poly_init(&d, N, NULL, 3), LATHE_EINVAL);
	cr_assert_eq(lt_poly_init(NULL, N, R.modp, 3), LATHE_EINVAL);
	cr_assert_eq(lt_poly_init(&d, N, R.modp, 0), LATHE_EINVAL);
	uint64_t big[3] = { R.mod[0].q, 0, 0 };
	cr_assert_eq(lt_poly_mul_rns(&a, &a, big), LATHE_EINVAL);
	cr_assert_eq(lt_poly_to_ntt(NULL), LATHE_EINVAL);
	lt_poly_clear(&a);
	lt_poly_clear(&b);
	lt_poly_clear(&c);
	lt_poly_clear(NULL);
}

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
