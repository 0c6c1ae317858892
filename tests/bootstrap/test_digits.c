/*
 * The lowest-digit removal polynomial (src/bootstrap/digits.c) against its
 * specification, F(p m + j) = j mod p^e for all m and |j| <= B, checked
 * exhaustively on small primes and on random m for p = 65537; its degree
 * and oddness; its coefficients against the defining formula computed
 * independently with FLINT's integer polynomials; and the refusals.
 */
#include <criterion/criterion.h>
#include <flint/fmpz_poly.h>
#include <stdlib.h>

#include "bootstrap/internal.h"
#include "common/util.h"

__extension__ typedef unsigned __int128 u128;

static uint64_t
pw(uint64_t p, unsigned e)
{
	uint64_t q = 1;
	while (e--)
		q *= p;
	return q;
}

/* F(y) mod q by Horner, u128 remainders */
static uint64_t
horner(const uint64_t *f, size_t deg, uint64_t y, uint64_t q)
{
	uint64_t r = 0;
	for (size_t k = deg + 1; k-- > 0;)
		r = (uint64_t)(((u128)r * y + f[k]) % q);
	return r;
}

/* j = F(p m + j) for |j| <= B and the given m */
static void
check_at(const uint64_t *f, size_t deg, uint64_t p, unsigned e, unsigned B, uint64_t m)
{
	const uint64_t q = pw(p, e);
	for (long j = -(long)B; j <= (long)B; j++) {
		const uint64_t y = (uint64_t)(((u128)p * m + (u128)(j < 0 ? q - (uint64_t)(-j) : (uint64_t)j)) % q);
		const uint64_t want = j < 0 ? q - (uint64_t)(-j) : (uint64_t)j;
		const uint64_t got = horner(f, deg, y, q);
		cr_assert_eq(got, want % q, "p = %llu, e = %u, B = %u: F(%llu m + %ld) at m = %llu is %llu, not %ld",
		             (unsigned long long)p, e, B, (unsigned long long)p, j, (unsigned long long)m,
		             (unsigned long long)got, j);
	}
}

static uint64_t *
make(uint64_t p, unsigned e, unsigned B, size_t *deg)
{
	const size_t D = (size_t)e * (2 * B + 1);
	uint64_t *f = calloc(D, sizeof(uint64_t));
	cr_assert_not_null(f);
	lathe_status s = lt_boot_digit_poly(p, e, B, f, D, deg);
	cr_assert_eq(s, LATHE_OK, "lt_boot_digit_poly(%llu, %u, %u) -> %s: %s", (unsigned long long)p, e, B,
	             lathe_strerror(s), lathe_last_error());
	cr_assert_leq(*deg, D - 1, "degree %zu above e (2B + 1) - 1 = %zu", *deg, D - 1);
	for (size_t k = 0; k < D; k += 2)
		cr_assert_eq(f[k], 0, "p = %llu, e = %u, B = %u: F is not odd (coefficient %zu is %llu)",
		             (unsigned long long)p, e, B, k, (unsigned long long)f[k]);
	return f;
}

static const struct {
	uint64_t p;
	unsigned e, B;
} SMALL[] = {
	{ 3, 2, 1 },   { 5, 2, 2 },   { 13, 3, 4 },   { 17, 2, 3 },  { 17, 2, 8 },   { 17, 3, 3 },
	{ 31, 2, 7 },  { 31, 2, 15 }, { 127, 2, 27 }, { 127, 2, 35 }, { 257, 2, 27 }, { 257, 2, 42 },
	{ 257, 3, 16 },
};

Test(digits, lowest_digit_removed_on_every_input_small_p, .timeout = 300)
{
	for (size_t c = 0; c < sizeof(SMALL) / sizeof(SMALL[0]); c++) {
		size_t deg = 0;
		uint64_t *f = make(SMALL[c].p, SMALL[c].e, SMALL[c].B, &deg);
		/* every m mod p^(e-1): p m + j covers every residue within B of a multiple of p */
		const uint64_t mm = pw(SMALL[c].p, SMALL[c].e - 1);
		for (uint64_t m = 0; m < mm; m++)
			check_at(f, deg, SMALL[c].p, SMALL[c].e, SMALL[c].B, m);
		free(f);
	}
}

Test(digits, lowest_digit_removed_p65537, .timeout = 300)
{
	lt_prng g;
	test_prng(&g, 3100);
	const uint64_t p = 65537;
	const unsigned B = 27;
	size_t deg = 0;
	uint64_t *f = make(p, 2, B, &deg);
	cr_assert_eq(deg, 4 * (size_t)B + 1, "degree %zu, expected 4B + 1 = %u", deg, 4 * B + 1);
	check_at(f, deg, p, 2, B, 0);
	check_at(f, deg, p, 2, B, p - 1);
	for (unsigned t = 0; t < test_mult(500); t++)
		check_at(f, deg, p, 2, B, test_rand(&g, p));
	free(f);
}

/* the defining formula, over Z with coefficients reduced mod q after each step (FLINT) */
static void
reference(fmpz_poly_t F, uint64_t p, unsigned e, unsigned B)
{
	const uint64_t q = pw(p, e), phi = q / p * (p - 1);
	fmpz_t Q;
	fmpz_init_set_ui(Q, q);
	fmpz_poly_t M, lin, acc, t;
	fmpz_poly_init(M);
	fmpz_poly_init(lin);
	fmpz_poly_init(acc);
	fmpz_poly_init(t);
	fmpz_poly_set_ui(M, 1);
	for (long i = -(long)B; i <= (long)B; i++) {
		fmpz_poly_zero(lin);
		fmpz_poly_set_coeff_si(lin, 1, 1);
		fmpz_poly_set_coeff_si(lin, 0, -i);
		fmpz_poly_mul(M, M, lin);
	}
	fmpz_poly_pow(M, M, e);
	fmpz_poly_zero(F);
	for (long i = -(long)B; i <= (long)B; i++) {
		if (i == 0)
			continue;
		fmpz_poly_zero(lin);
		fmpz_poly_set_coeff_si(lin, 1, 1);
		fmpz_poly_set_coeff_si(lin, 0, -i);
		/* (y - i)^phi mod (M, q), right to left */
		fmpz_poly_set_ui(acc, 1);
		fmpz_poly_set(t, lin);
		for (uint64_t x = phi; x; x >>= 1) {
			if (x & 1) {
				fmpz_poly_mul(acc, acc, t);
				fmpz_poly_rem(acc, acc, M);
				fmpz_poly_scalar_mod_fmpz(acc, acc, Q);
			}
			fmpz_poly_mul(t, t, t);
			fmpz_poly_rem(t, t, M);
			fmpz_poly_scalar_mod_fmpz(t, t, Q);
		}
		/* F += i (1 - acc) */
		fmpz_poly_neg(acc, acc);
		fmpz_poly_set_coeff_si(t, 0, 0);
		fmpz_poly_zero(t);
		fmpz_poly_set_ui(t, 1);
		fmpz_poly_add(acc, acc, t);
		fmpz_poly_scalar_mul_si(acc, acc, i);
		fmpz_poly_add(F, F, acc);
		fmpz_poly_scalar_mod_fmpz(F, F, Q);
	}
	fmpz_clear(Q);
	fmpz_poly_clear(M);
	fmpz_poly_clear(lin);
	fmpz_poly_clear(acc);
	fmpz_poly_clear(t);
}

Test(digits, coefficients_match_an_independent_computation)
{
	for (size_t c = 0; c < sizeof(SMALL) / sizeof(SMALL[0]); c++) {
		const uint64_t p = SMALL[c].p;
		const unsigned e = SMALL[c].e, B = SMALL[c].B;
		if (pw(p, e) > 100000)
			continue;
		size_t deg = 0;
		uint64_t *f = make(p, e, B, &deg);
		fmpz_poly_t F;
		fmpz_poly_init(F);
		reference(F, p, e, B);
		const size_t D = (size_t)e * (2 * B + 1);
		cr_assert_leq((size_t)fmpz_poly_degree(F) + 1, D);
		for (size_t k = 0; k < D; k++)
			cr_assert_eq(fmpz_poly_get_coeff_ui(F, (slong)k), f[k],
			             "p = %llu, e = %u, B = %u: coefficient %zu is %llu, the formula gives %lu",
			             (unsigned long long)p, e, B, k, (unsigned long long)f[k],
			             fmpz_poly_get_coeff_ui(F, (slong)k));
		fmpz_poly_clear(F);
		free(f);
	}
}

Test(digits, refusals)
{
	uint64_t f[64];
	size_t deg = 0;
	cr_assert_eq(lt_boot_digit_poly(17, 2, 3, NULL, 64, &deg), LATHE_EINVAL);
	cr_assert_eq(lt_boot_digit_poly(17, 2, 3, f, 64, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_digit_poly(17, 1, 3, f, 64, &deg), LATHE_EINVAL, "e = 1");
	cr_assert_eq(lt_boot_digit_poly(17, 2, 3, f, 13, &deg), LATHE_EINVAL, "room for 13 of 14 coefficients");
	cr_assert_eq(lt_boot_digit_poly(15, 2, 3, f, 64, &deg), LATHE_EPARAM, "p = 15");
	cr_assert_eq(lt_boot_digit_poly(2, 2, 0, f, 64, &deg), LATHE_EPARAM, "p = 2");
	cr_assert_eq(lt_boot_digit_poly(17, 2, 9, f, 64, &deg), LATHE_EPARAM, "2B + 1 = 19 > p");
	cr_assert_eq(lt_boot_digit_poly(65537, 4, 1, f, 64, &deg), LATHE_EPARAM, "p^e = 2^64");
	cr_assert(lathe_last_error()[0] != '\0');
	/* the largest range below p / 2 is accepted */
	cr_assert_eq(lt_boot_digit_poly(17, 2, 8, f, 64, &deg), LATHE_OK);
}
