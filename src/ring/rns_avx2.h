/*
 * AVX2+FMA kernels of the fast basis extension (rns.h), alone and fused
 * with the combination that divides by the input basis, and of the
 * one-prime steps of the t-preserving division (tdiv.h), for moduli all
 * below LT_VEC_QMAX = 2^50 (DESIGN §3). Residues are held
 * as doubles and every product mod q is exact with FMA (van der Hoeven,
 * Lecerf, Quintin, "Modular SIMD arithmetic in Mathemagix", ACM TOMS 2016).
 * Compiled with -mavx2 -mfma; reached through the AVX2 kernel table
 * (kernels.h), which exists only when the CPU has AVX2+FMA.
 */
#ifndef LT_RNS_AVX2_H
#define LT_RNS_AVX2_H

#include <stddef.h>
#include <stdint.h>

#include "rns.h"

/* Input limbs the kernel's block buffer holds (4 coefficients each, at least). */
#define LT_RNS_AVX2_MAX_IN 1024

/*
 * Builds bc->vec, bc->vin, bc->vrow, bc->vout and bc->vgroup (rns.h) from
 * the scalar tables of bc (lt_baseconv_init), and the maps of its primes
 * at or above LT_VEC_QMAX (bc->vrow_of, big_of, big_out). Returns 0 when
 * built; 1, leaving them NULL, when every output prime is at or above
 * LT_VEC_QMAX or nin plus twice the large inputs exceeds
 * LT_RNS_AVX2_MAX_IN; -1 when out of memory (bc->vec left NULL).
 * CT: n/a (public parameters).
 */
int lt_baseconv_avx2_init(lt_baseconv *bc);

/*
 * The extension of rns.h restricted to coefficients k in [k0, k1) and
 * output limbs j in [j0, j1) below LT_VEC_QMAX (the others are skipped):
 * writes out + j*n + k (words in [0, b_j)),
 * reads x + i*n + k (words in [0, a_i)) for every input limb i. centered
 * selects lt_baseconv_apply_centered's result, else lt_baseconv_apply's;
 * the words are bit-identical to the scalar path's. Needs no scratch (a
 * 36 KiB stack buffer). Calls on disjoint ranges may run concurrently.
 * x and out must not overlap. CT: yes (no data-dependent branches or
 * indices). Requires bc->vec (lt_baseconv_avx2_init).
 */
void lt_baseconv_ext_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                          int centered, size_t k0, size_t k1, unsigned j0, unsigned j1);

/*
 * lt_baseconv_apply_centered when centered, else lt_baseconv_apply, with
 * their contracts (rns.h), on the whole of x: the coefficients are split
 * among the threads; then the output primes at or above LT_VEC_QMAX by
 * the scalar code, in scratch (as rns.h sizes it). Requires bc->vec.
 * CT: yes.
 */
void lt_baseconv_apply_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                            uint64_t *scratch, int centered);

/*
 * lt_baseconv_apply_centered_mulsub (rns.h), its contract, on the whole of
 * x: the coefficients are split among the threads. Requires bc->vec.
 * CT: yes.
 */
void lt_baseconv_mulsub_avx2(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
                             size_t n, const uint64_t *cx, const uint64_t *cy);

/*
 * The one-prime steps of lt_rns_tdivide: lt_tdiv_lift_scalar and
 * lt_tdiv_lift_mulsub_scalar (tdiv.h), their contracts and words, for
 * c, m->q < LT_VEC_QMAX. CT: yes.
 */
void lt_tdiv_lift_avx2(uint64_t *r, const uint64_t *y, size_t n, uint64_t c, const lt_modulus *m);
void lt_tdiv_lift_mulsub_avx2(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy,
                              size_t n, uint64_t c, const lt_modulus *m);

#endif
