/*
 * NTT-friendly word primes: q prime, q = 1 (mod 2N), of an exact bit size,
 * and primitive 2N-th roots of unity. Set-up code on public data (FLINT).
 */
#ifndef LT_PRIMES_H
#define LT_PRIMES_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#define LT_PRIME_BITS_MIN 20
#define LT_PRIME_BITS_MAX 61
/* Default prime size bound: residues below 2^50 run on the vector path. */
#define LT_PRIME_BITS_DEFAULT_MAX 50

/*
 * Writes to out the `count` largest primes q < 2^bits with q >= 2^(bits-1),
 * q = 1 (mod 2N), N = 2^logn, that are not in avoid[0..navoid). Results are
 * in decreasing order and distinct.
 * Errors: LATHE_EINVAL (bits outside [20, 61], logn outside [1, 17]),
 * LATHE_EPARAM (fewer than `count` such primes exist).
 */
lathe_status lt_primes_gen(uint64_t *out, size_t count, unsigned bits, unsigned logn,
                           const uint64_t *avoid, size_t navoid);

/*
 * Same with q = 1 (mod m) for a given m (a multiple of 2N, e.g. lcm(2N, t)
 * so that every prime is also 1 mod the plaintext modulus). m >= 2.
 */
lathe_status lt_primes_gen_mod(uint64_t *out, size_t count, unsigned bits, uint64_t m,
                               const uint64_t *avoid, size_t navoid);

/*
 * Whether q is a prime below 2^62 with q = 1 (mod 2^(logn+1)).
 */
int lt_prime_is_ntt_friendly(uint64_t q, unsigned logn);

/*
 * The smallest primitive 2N-th root of unity mod q (deterministic): the
 * least of the odd powers of g^((q-1)/2N) for the first g = 2, 3, ... whose
 * power has order 2N.
 * Requires lt_prime_is_ntt_friendly(q, logn).
 */
uint64_t lt_prime_root_2n(uint64_t q, unsigned logn);

#endif
