/*
 * AVX2+FMA limb kernels (vec.h) for primes q < 2^50 (DESIGN §3), on the
 * exact double arithmetic of avx2.h. Compiled with -mavx2 -mfma; reached
 * through the AVX2 kernel table (kernels.h), which exists only when
 * lt_cpu_has_avx2fma() is true. Same contracts as vec.h, for m->q < 2^50
 * (the vector tables m->ntt.vec are not needed); results bit-identical to
 * the portable path's.
 */
#ifndef LT_VEC_AVX2_H
#define LT_VEC_AVX2_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

/*
 * Pointwise kernels on n words (any n >= 0), inputs in [0, q), outputs in
 * [0, q), q = m->q < 2^50. Outputs may alias inputs. CT: yes (n is public).
 *   mul:     r[i] = a[i] * b[i]
 *   mac:     r[i] = r[i] + a[i] * b[i]
 *   scalar:  r[i] = a[i] * c          (c < q)
 */
void lt_vec_mul_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m);
void lt_vec_mac_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m);
void lt_vec_mul_scalar_avx2(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const lt_modulus *m);

/*
 * r0 (+)= a*b0, r1 (+)= a*b1 (plain products when first != 0); r0, r1 not
 * aliasing a. CT: yes.
 */
void lt_vec_mac2_avx2(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1,
                      size_t n, const lt_modulus *m, int first);
/* r = x*cx - y*cy, cx, cy < q; r may alias x or y. CT: yes. */
void lt_vec_mulsub2_avx2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                         const lt_modulus *m);

#endif
