/*
 * lathe — randomness.
 *
 * Seeds come from the operating system through libsodium. A seeded
 * generator expands a 32-byte seed deterministically with ChaCha20, so a
 * computation can be replayed from its printed seed and a uniform
 * polynomial can be stored as the seed it was expanded from.
 */
#ifndef LATHE_RNG_H
#define LATHE_RNG_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "error.h"

LATHE_BEGIN_DECLS

#define LATHE_SEED_BYTES 32

typedef struct lathe_rng lathe_rng;

/* Fills seed with LATHE_SEED_BYTES bytes from the operating system. */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_seed_random(uint8_t seed[LATHE_SEED_BYTES]);

/*
 * Creates a generator. seed: LATHE_SEED_BYTES bytes, or NULL for a fresh
 * seed from the operating system. The seed is copied; the generator's
 * state is zeroized by lathe_rng_free.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_rng_new(lathe_rng **out, const uint8_t *seed);

/* Writes n pseudo-random bytes (ChaCha20 keystream). */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_rng_bytes(lathe_rng *rng, void *buf, size_t n);

/* Zeroizes and frees the generator. NULL-safe. */
LATHE_API void lathe_rng_free(lathe_rng *rng);

LATHE_END_DECLS

#endif
