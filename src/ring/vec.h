/*
 * Limb kernels: element-wise arithmetic on n words modulo one prime.
 * Inputs in [0, q), outputs in [0, q); outputs may alias inputs.
 * The forms taking a modulus m dispatch through its kernels,
 * m->ntt.kern (kernels.h: AVX2 for q < 2^50 on an AVX2 ring); the
 * portable path has the suffix _port. CT: yes.
 */
#ifndef LT_VEC_H
#define LT_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

void lt_vec_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q);
void lt_vec_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q);
void lt_vec_neg(uint64_t *r, const uint64_t *a, size_t n, uint64_t q);

/* r = a * b */
void lt_vec_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m);
/* r = r + a * b */
void lt_vec_mac(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m);
/* r = a * c, c < q */
void lt_vec_mul_scalar(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const lt_modulus *m);

/*
 * Key-switching inner product step for one digit: r0 (+)= a * b0 and
 * r1 (+)= a * b1, plain products when `first`. r0, r1 must not alias a.
 */
void lt_vec_mac2(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1,
                 size_t n, const lt_modulus *m, int first);
/* r = x * cx - y * cy (cx, cy < q); r may alias x or y. */
void lt_vec_mulsub2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                    const lt_modulus *m);

/* Portable path, any q < 2^62 (Barrett for products, Shoup for constants). */
void lt_vec_mul_port(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m);
void lt_vec_mac_port(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, const lt_modulus *m);
void lt_vec_mul_scalar_port(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, const lt_modulus *m);
void lt_vec_mac2_port(uint64_t *r0, uint64_t *r1, const uint64_t *a, const uint64_t *b0, const uint64_t *b1,
                      size_t n, const lt_modulus *m, int first);
void lt_vec_mulsub2_port(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy, size_t n,
                         const lt_modulus *m);

#endif
