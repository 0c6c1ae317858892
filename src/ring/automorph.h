/*
 * Automorphisms sigma_k: a(X) -> a(X^k) of Z_q[X]/(X^N + 1), k odd.
 *
 * Coefficient form: X^j -> X^(jk mod 2N), negated when jk mod 2N >= N.
 * NTT form (ntt.h order, A[i] = a(psi^(2 brv(i) + 1))): sigma_k(a) evaluated
 * at psi^e is a at psi^(ek), so the transform is the permutation
 *     out[i] = in[perm[i]],  2 brv(perm[i]) + 1 = (2 brv(i) + 1) k  (mod 2N),
 * precomputed once per Galois element k.
 */
#ifndef LT_AUTOMORPH_H
#define LT_AUTOMORPH_H

#include <stddef.h>
#include <stdint.h>

#include "poly.h"

/* Fills perm[0..N) for sigma_k, N = 2^logn; k odd (reduced mod 2N here). */
void lt_automorph_perm(uint32_t *perm, unsigned logn, uint64_t k);

/* out = sigma_k(in), one limb in coefficient form; out must not alias in. CT: yes. */
void lt_automorph_coeff(uint64_t *out, const uint64_t *in, size_t n, uint64_t k, uint64_t q);

/*
 * out[i] = in[perm[i]] for i < n: sigma_k(in), one limb in NTT form, perm
 * from lt_automorph_perm (or a run of n of its outputs, with out and perm
 * advanced to the run's start and in the whole limb). No aliasing.
 */
void lt_automorph_ntt(uint64_t *out, const uint64_t *in, size_t n, const uint32_t *perm);

/*
 * out = sigma_k(a), any form, which out takes; k odd. perm: the NTT-form
 * table for k from lt_automorph_perm (needed only when a is in NTT form;
 * may be NULL otherwise). out and a are compatible (poly.h) and their
 * words do not overlap at all. Preconditions asserted in debug builds.
 * CT: yes (the permutation depends on k only, which is public).
 */
void lt_poly_automorph(lt_poly *out, const lt_poly *a, uint64_t k, const uint32_t *perm);

#endif
