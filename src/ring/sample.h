/*
 * Samplers for the ring layer.
 *
 * Uniform polynomials are public and expanded deterministically from a
 * 32-byte seed: limb mod q comes from the ChaCha20 stream (seed, stream, q),
 * so the same seed gives the same residues mod q in any basis, any order and
 * any thread count. Secret and error samplers (ternary, fixed Hamming
 * weight, centered binomial) are constant-time: no branch or memory index
 * depends on a sampled value.
 */
#ifndef LT_SAMPLE_H
#define LT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "../core/prng.h"
#include "poly.h"

/* Parameter of the centered binomial error distribution: variance eta/2. */
#define LT_CBD_ETA 21

/* Stream domains: enum lt_domain in core/prng.h (the uniform sampler's is LT_DOMAIN_UNIFORM). */

/*
 * Fills p (NTT or coefficient form is the caller's reading; the flag is
 * left as is) with independent uniform words mod each q_i by rejection
 * sampling on the stream (seed, LT_DOMAIN_UNIFORM + stream, q_i).
 * p (with words) and seed non-NULL, asserted in debug builds.
 * CT: no (rejection count leaks; the output is public by design).
 */
void lt_sample_uniform(lt_poly *p, const uint8_t seed[LT_SEED_BYTES], uint32_t stream);
/* Limb d[0..n) modulo m of the polynomial lt_sample_uniform makes from seed and stream (each limb is its own stream). */
void lt_sample_uniform_limb(uint64_t *d, size_t n, const lt_modulus *m, const uint8_t seed[LT_SEED_BYTES],
                            uint32_t stream);

/* s[0..n) uniform in {-1, 0, 1} (bias <= 2^-62 per coefficient). CT: yes. */
void lt_sample_ternary(int8_t *s, size_t n, lt_prng *g);

/*
 * s[0..n) ternary with exactly h nonzero coefficients, each +-1 with
 * probability 1/2, positions uniform. Requires h <= n (asserted in debug
 * builds). O(h*n). CT: yes.
 */
void lt_sample_hwt(int8_t *s, size_t n, size_t h, lt_prng *g);

/* e[0..n) centered binomial: popcount(21 bits) - popcount(21 bits). CT: yes. */
void lt_sample_cbd(int8_t *e, size_t n, lt_prng *g);

#endif
