/*
 * Bootstrapping's number theory (BOOTSTRAP.md §2, Steps 3 and 7): the
 * bounded-range lowest-digit removal polynomial over Z_{p^e}, and the
 * bound on the overflow J of the raw modulus switch with its failure
 * probability. Both run once per parameter set, on public values.
 */
#ifndef LT_BOOTSTRAP_INTERNAL_H
#define LT_BOOTSTRAP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

/*
 * The lowest-digit removal polynomial F over Z_{p^e} for the range B:
 *     F(p m + j) = j (mod p^e)  for every integer m and every |j| <= B,
 *     F(y) = sum_{i=-B..B} i (1 - (y - i)^phi(p^e))  mod  (prod_{i=-B..B} (y - i))^e
 * (BOOTSTRAP.md §2 Step 7, after Geelen, Vercauteren, "Bootstrapping for
 * BGV and BFV revisited", J. Cryptology 36, 2023, and Ma, Huang, Wang,
 * Wang, Asiacrypt 2024: for |j| <= B < p/2 every y - i with i != j is a
 * unit, so (y - i)^phi = 1, while (y - j)^phi = 0 mod p^e; the modulus
 * vanishes mod p^e on those y). F is odd, of degree at most e (2B + 1) - 1.
 * coeffs: cap words; on success coeffs[0..*deg] hold F in [0, p^e) and
 * the rest of the first e (2B + 1) words are 0.
 * Errors: LATHE_EINVAL (NULL, e < 2, cap < e (2B + 1)), LATHE_EPARAM (p
 * not an odd prime, 2B + 1 > p, p^e >= 2^62), LATHE_ENOMEM.
 * CT: n/a (public parameters).
 */
lathe_status lt_boot_digit_poly(uint64_t p, unsigned e, unsigned B, uint64_t *coeffs, size_t cap, size_t *deg);

/*
 * The smallest B for which the raw modulus switch's overflow J stays in
 * [-B, B] on every one of 2^log2_coeffs coefficients except with
 * probability at most 2^-fail_bits (BOOTSTRAP.md §2 Step 3, Correction 3):
 * each coefficient of J differs by less than 1/2 from S, a sum of h + 1
 * independent uniform variables on [-1/2, 1/2] (a0 and the h nonzero
 * terms of a1 s', each centred mod q' and divided by q'), so
 *     P(|J| > B) <= P(|S| >= B + 1/2) = 2 IH_{h+1}((h + 1)/2 - B - 1/2),
 * IH_n the Irwin-Hall distribution function, computed exactly over the
 * rationals; the union over the coefficients multiplies it by
 * 2^log2_coeffs. *tail_log2 (may be NULL) receives log2 of the bound
 * reached at *B. Errors: LATHE_EINVAL (NULL B, h = 0 or above 512,
 * log2_coeffs above 20, fail_bits 0 or above 1024), LATHE_ENOMEM.
 * CT: n/a (public parameters).
 */
lathe_status lt_boot_overflow_bound(unsigned h, unsigned log2_coeffs, unsigned fail_bits, unsigned *B,
                                    double *tail_log2);

/*
 * log2 P(|S| >= B + 1/2) for one coefficient (S as above, h + 1 terms),
 * exact up to the final conversion to double; -INFINITY when 2B >= h (the
 * tail is empty), NAN for h = 0 or above 512. CT: n/a.
 */
double lt_boot_overflow_tail_log2(unsigned h, unsigned B);

#endif
