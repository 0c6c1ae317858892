/* placeholder until the vector kernels land: delegates to the scalar path */
#include "ntt_avx2.h"
#include "modarith.h"
void lt_vec_mul_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{ lt_barrett br = lt_barrett_prep(q); for (size_t i = 0; i < n; i++) r[i] = lt_mulmod(a[i], b[i], q, br); }
void lt_vec_mac_avx2(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n, uint64_t q)
{ lt_barrett br = lt_barrett_prep(q); for (size_t i = 0; i < n; i++) r[i] = lt_addmod(r[i], lt_mulmod(a[i], b[i], q, br), q); }
void lt_vec_mul_scalar_avx2(uint64_t *r, const uint64_t *a, uint64_t c, size_t n, uint64_t q)
{ lt_barrett br = lt_barrett_prep(q); for (size_t i = 0; i < n; i++) r[i] = lt_mulmod(a[i], c, q, br); }
