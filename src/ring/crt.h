/*
 * Exact CRT between integer polynomials and RNS limbs, with FLINT fmpz.
 * Set-up and test code only: never on secrets (FLINT is not
 * constant-time) and never in a hot path.
 */
#ifndef LT_CRT_H
#define LT_CRT_H

#include <stddef.h>
#include <stdint.h>

#include <flint/fmpz.h>

#include "ring.h"

/* limbs[i*n + j] = x[j] mod mod[i] (x[j] any integer, negative ones too). */
void lt_crt_decompose(uint64_t *limbs, const fmpz *x, size_t n, const lt_modulus *const *mod,
                      unsigned k);

/*
 * x[j] = the integer congruent to limbs[i*n + j] mod every mod[i]: in
 * [0, Q) when centered = 0, in (-Q/2, Q/2] when centered = 1.
 */
void lt_crt_compose(fmpz *x, const uint64_t *limbs, size_t n, const lt_modulus *const *mod,
                    unsigned k, int centered);

/* Q = product of mod[0..k). */
void lt_crt_modulus(fmpz_t Q, const lt_modulus *const *mod, unsigned k);

#endif
