/*
 * AVX2+FMA negacyclic NTT for primes q < 2^50 (DESIGN §3): residues are
 * handled as doubles, products mod q exactly with FMA (van der Hoeven,
 * Lecerf, Quintin, "Modular SIMD arithmetic in Mathemagix", ACM TOMS 2016;
 * the shared arithmetic is avx2.h). Compiled with -mavx2 -mfma; reached
 * through the AVX2 kernel table (kernels.h), which exists only when
 * lt_cpu_has_avx2fma() is true. Every function gives results
 * bit-identical to the scalar path: canonical words in [0, q).
 */
#ifndef LT_NTT_AVX2_H
#define LT_NTT_AVX2_H

#include <stddef.h>
#include <stdint.h>

#include "ntt.h"

/*
 * Builds tab->vec (one lt_alloc block, freed by lt_ntt_tables_clear) from
 * the scalar tables; requires q < LT_VEC_QMAX. Returns 0, or -1 when out
 * of memory (tab->vec left NULL). CT: n/a (public parameters).
 */
int lt_ntt_avx2_init(lt_ntt_tables *tab);

/*
 * In place, input in [0, q), output in [0, q); same order as ntt.h.
 * Require tab->vec. CT: yes.
 */
void lt_ntt_fwd_avx2(uint64_t *a, const lt_ntt_tables *tab);
void lt_ntt_inv_avx2(uint64_t *a, const lt_ntt_tables *tab);

#endif
