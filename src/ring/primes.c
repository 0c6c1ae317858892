#include "primes.h"

#include <flint/flint.h>
#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "modarith.h"

static int
in_list(uint64_t q, const uint64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == q)
			return 1;
	return 0;
}

lathe_status
lt_primes_gen(uint64_t *out, size_t count, unsigned bits, unsigned logn,
              const uint64_t *avoid, size_t navoid)
{
	if (logn < 1 || logn > 17)
		return lt_fail(LATHE_EINVAL, "prime generation: log2 N = %u outside [1, 17]", logn);
	return lt_primes_gen_mod(out, count, bits, UINT64_C(2) << logn, avoid, navoid);
}

lathe_status
lt_primes_gen_mod(uint64_t *out, size_t count, unsigned bits, uint64_t m,
                  const uint64_t *avoid, size_t navoid)
{
	if (count == 0)
		return LATHE_OK;
	if (!out)
		return lt_fail(LATHE_EINVAL, "prime generation: output is NULL");
	if (bits < LT_PRIME_BITS_MIN || bits > LT_PRIME_BITS_MAX)
		return lt_fail(LATHE_EINVAL, "prime generation: %u bits outside [%d, %d]", bits,
		               LT_PRIME_BITS_MIN, LT_PRIME_BITS_MAX);
	if (m < 2)
		return lt_fail(LATHE_EINVAL, "prime generation: modulus %llu", (unsigned long long)m);
	const uint64_t lo = UINT64_C(1) << (bits - 1);
	const uint64_t hi = UINT64_C(1) << bits;
	size_t found = 0;
	if (m < hi) {
		/* largest candidate below 2^bits that is 1 mod m */
		uint64_t c = ((hi - 1) / m) * m + 1;
		if (c >= hi)
			c -= m;
		while (found < count && c >= lo && c > m) {
			if (n_is_prime(c) && !in_list(c, avoid, navoid) && !in_list(c, out, found))
				out[found++] = c;
			if (c < m)
				break;
			c -= m;
		}
	}
	if (found < count)
		return lt_fail(LATHE_EPARAM,
		               "prime generation: only %zu primes of %u bits are 1 mod %llu "
		               "(asked for %zu)",
		               found, bits, (unsigned long long)m, count);
	return LATHE_OK;
}

int
lt_prime_is_ntt_friendly(uint64_t q, unsigned logn)
{
	if (q < 3 || q >= (UINT64_C(1) << 62) || logn > 30)
		return 0;
	if ((q - 1) % (UINT64_C(2) << logn) != 0)
		return 0;
	return n_is_prime(q);
}

uint64_t
lt_prime_root_2n(uint64_t q, unsigned logn)
{
	/*
	 * psi = g^((q-1)/2N) has order dividing 2N; since 2N is a power of two its
	 * order is exactly 2N iff psi^N = -1. Needs no factorisation of q - 1.
	 */
	const uint64_t m = UINT64_C(2) << logn;
	lt_barrett br = lt_barrett_prep(q);
	uint64_t psi = 0;
	for (uint64_t g = 2; g < q; g++) {
		psi = lt_powmod(g, (q - 1) / m, q, br);
		if (lt_powmod(psi, m / 2, q, br) == q - 1)
			break;
	}
	/* every odd power of psi is also primitive; take the smallest */
	uint64_t best = psi, psi2 = lt_mulmod(psi, psi, q, br), cur = psi;
	for (uint64_t i = 1; i < m / 2; i++) {
		cur = lt_mulmod(cur, psi2, q, br);
		if (cur < best)
			best = cur;
	}
	return best;
}
