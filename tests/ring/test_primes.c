#include <criterion/criterion.h>

#include <string.h>

#include <flint/fmpz.h>

#include "common/util.h"
#include "ring/modarith.h"
#include "ring/primes.h"

Test(primes, generated_primes_have_the_asked_shape)
{
	for (unsigned logn = 4; logn <= 17; logn += 13) {
		for (unsigned bits = 20; bits <= 61; bits++) {
			if (bits < logn + 8)
				continue;
			uint64_t q[4];
			size_t want = bits > 26 ? 4 : 1;
			cr_assert_eq(lt_primes_gen(q, want, bits, logn, NULL, 0), LATHE_OK, "bits=%u logn=%u: %s",
			             bits, logn, lathe_last_error());
			for (size_t i = 0; i < want; i++) {
				fmpz_t z;
				fmpz_init_set_ui(z, q[i]);
				cr_assert(fmpz_is_prime(z) == 1, "%llu not prime", (unsigned long long)q[i]);
				fmpz_clear(z);
				cr_assert_eq((q[i] - 1) % (UINT64_C(2) << logn), 0);
				cr_assert_eq(64 - __builtin_clzll(q[i]), (int)bits);
				if (i)
					cr_assert_lt(q[i], q[i - 1], "not distinct and decreasing");
			}
			/* avoiding the first gives the next ones */
			uint64_t r[3];
			if (want == 4) {
				cr_assert_eq(lt_primes_gen(r, 3, bits, logn, q, 1), LATHE_OK);
				cr_assert_arr_eq(r, q + 1, sizeof r);
			}
		}
	}
}

Test(primes, root_has_order_exactly_2n)
{
	for (unsigned logn = 4; logn <= 17; logn++) {
		uint64_t q;
		cr_assert_eq(lt_primes_gen(&q, 1, 50, logn, NULL, 0), LATHE_OK);
		lt_barrett br = lt_barrett_prep(q);
		uint64_t psi = lt_prime_root_2n(q, logn);
		cr_assert_eq(lt_powmod(psi, UINT64_C(1) << logn, q, br), q - 1, "psi^N != -1");
		cr_assert_eq(lt_powmod(psi, UINT64_C(2) << logn, q, br), 1);
	}
}

Test(primes, refusals)
{
	uint64_t q[8];
	cr_assert_eq(lt_primes_gen(q, 1, 19, 10, NULL, 0), LATHE_EINVAL);
	cr_assert_eq(lt_primes_gen(q, 1, 62, 10, NULL, 0), LATHE_EINVAL);
	cr_assert_eq(lt_primes_gen(q, 1, 40, 0, NULL, 0), LATHE_EINVAL);
	cr_assert_eq(lt_primes_gen(NULL, 1, 40, 10, NULL, 0), LATHE_EINVAL);
	/* 22-bit primes = 1 mod 2^18: the candidates are k * 2^18 + 1 with k in [8, 16): too few */
	cr_assert_eq(lt_primes_gen(q, 8, 22, 17, NULL, 0), LATHE_EPARAM);
	cr_assert(strstr(lathe_last_error(), "only") != NULL, "%s", lathe_last_error());
	cr_assert_eq(lt_primes_gen(q, 0, 40, 10, NULL, 0), LATHE_OK);
	cr_assert(!lt_prime_is_ntt_friendly(97, 5));      /* 97 - 1 = 96 not divisible by 64 */
	cr_assert(lt_prime_is_ntt_friendly(97, 4));       /* 96 divisible by 32 */
	cr_assert(lt_prime_is_ntt_friendly(193, 5));      /* 192 = 3 * 64 */
	cr_assert(!lt_prime_is_ntt_friendly(193, 6));     /* 192 not divisible by 128 */
	cr_assert(!lt_prime_is_ntt_friendly(65, 4));      /* not prime */
}
