/*
 * RNS base conversion: fast basis extension, plain and centered, the
 * kernel behind hybrid key switching's ModUp and, through tdiv.h, behind
 * every division by a product of moduli (modulus switching, ModDown,
 * decryption). Divide-and-round (lt_divround) is declared in tdiv.h.
 *
 * Fast basis extension (Bajard, Eynard, Hasan, Zucca 2016; Halevi,
 * Polyakov, Shoup 2019): for x given by residues x_i modulo A = a_0...a_{k-1},
 *     y_i = [x_i * (A/a_i)^-1]_{a_i},   out_j = sum_i y_i * (A/a_i)  mod b_j.
 * Error bound: out_j = X + u*A (mod b_j) where X in [0, A) is the exact CRT
 * value of x and u is an integer with 0 <= u < k (the same u for every j,
 * one u per coefficient).
 */
#ifndef LT_RNS_H
#define LT_RNS_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "poly.h"
#include "ring.h"
#include "tdiv.h"

typedef struct lt_baseconv {
	unsigned nin, nout;
	const lt_modulus *const *in;
	const lt_modulus *const *out;
	uint64_t *ahat_inv;     /* nin: (A/a_i)^-1 mod a_i */
	uint64_t *ahat_inv_s;   /* Shoup quotients */
	uint64_t *ahat_mod;     /* nout x nin: (A/a_i) mod b_j, row j */
	unsigned acc_max;       /* products that fit a 128-bit accumulator */
	double *inv_in;         /* nin: 1 / a_i, for the centered variant */
	uint64_t *a_mod_out;    /* nout: A mod b_j */
	/*
	 * The kernels (kernels.h): those of the primes when every prime of
	 * both bases has the same ones, or the scalar ones only for being at
	 * or above the vector kernels' limit (qmax), and they take this shape
	 * (AVX2: nin + 2 * large inputs <= LT_RNS_AVX2_MAX_IN, at least one
	 * output below the limit), else the scalar kernels.
	 */
	const struct lt_kernels *kern;
	/*
	 * The AVX2 kernels' tables (rns_avx2.h), built when kern is the AVX2
	 * table; else all NULL.
	 * One 64-byte-aligned allocation, vec, holding (balanced = the
	 * representative in [-(q-1)/2, (q-1)/2], as a double):
	 */
	double *vec;
	const double *vin;      /* nin x 4: a_i, balanced ahat_inv_i, its / a_i, 0 */
	const double *vrow;     /* nout x nin x 2: balanced ahat_mod[j][i], its / b_j */
	const double *vout;     /* nout x 4: b_j, 1 / b_j, balanced -A mod b_j, its / b_j */
	unsigned vgroup;        /* terms of |.| < 9 b_j / 16 summed before a reduction */
	/*
	 * Primes at or above the vector limit (rns_avx2.c): an input a_i's y_i
	 * enters the vector sums as two rows, its low and high 31 bits; an
	 * output b_j is summed by the scalar code. nvin rows in all.
	 */
	unsigned nvin, nbig_in, nbig_out;
	const int *vrow_of;     /* nin: the row of y_i (its low half; the high half follows when large) */
	const int *big_of;      /* nin: -1, or the index of a large input among the large ones */
	const uint8_t *big_out; /* nout: 1 for an output the scalar code sums */
} lt_baseconv;

/*
 * Precomputes the extension from basis in[0..nin) to out[0..nout), and
 * picks its kernels (bc->kern, above). The moduli are a ring's primes or
 * bare moduli (ring.h), pairwise coprime across both bases (else
 * LATHE_EPARAM: equal or sharing a factor). bc borrows the arrays in and
 * out and the moduli: they must outlive it. LATHE_EINVAL (NULL or empty
 * basis), LATHE_ENOMEM; on error bc is zeroed. CT: n/a (public parameters).
 */
lathe_status lt_baseconv_init(lt_baseconv *bc, const lt_modulus *const *in, unsigned nin,
                              const lt_modulus *const *out, unsigned nout);

/*
 * lt_baseconv_init for the extension of the value whose residues are
 * x_i * scale[i] mod a_i rather than x_i: scale[i] < a_i is folded into
 * the tables ((A/a_i)^-1 becomes scale[i] (A/a_i)^-1), so the apply
 * functions below extend [scale * x]_A at no extra cost (tdiv.c folds t^-1
 * in). scale NULL: lt_baseconv_init. Same errors. CT: n/a.
 */
lathe_status lt_baseconv_init_scaled(lt_baseconv *bc, const lt_modulus *const *in, unsigned nin,
                                     const lt_modulus *const *out, unsigned nout, const uint64_t *scale);
void lt_baseconv_clear(lt_baseconv *bc);

/*
 * Both apply functions run the kernels of bc->kern; the words written are
 * the same on every path, for any thread count. (The AVX2 path touches
 * scratch only for output primes at or above its limit.)
 *
 * out (nout limbs of n words) = fast extension of x (nin limbs of n words,
 * coefficient form, words < a_i). scratch: nin*n words. x and out must not
 * overlap; scratch overlaps neither. Parallel over output limbs (the
 * vector path: over coefficients, see rns.c). Result words in [0, b_j). CT: yes.
 */
void lt_baseconv_apply(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                       uint64_t *scratch);

/*
 * Centered exact extension (Halevi, Polyakov, Shoup 2019, §2.2): out_j =
 * X_c mod b_j where X_c is the representative of x in [-A/2, A/2). The
 * correction u = round(sum_i y_i / a_i) is computed in double precision;
 * it can be off by one only when sum_i y_i / a_i lies within ~nin * 2^-52
 * of a half-integer, in which case out is X_c +- A (still a lift of x).
 * scratch: (nin + 1) * n words. Otherwise as lt_baseconv_apply. CT: yes.
 */
void lt_baseconv_apply_centered(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                                uint64_t *scratch);

/*
 * The portable path of both: lt_baseconv_apply_centered when centered,
 * else lt_baseconv_apply, with their contracts. CT: yes.
 */
void lt_baseconv_apply_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                              uint64_t *scratch, int centered);

/*
 * The centered extension fused with a linear combination, for dividing by
 * A (tdiv.h): with e_j = lt_baseconv_apply_centered's output limb j for
 * the input xin (the same X_c, correction included, on every path),
 *     out_j = x_j * cx[j] - e_j * cy[j]  (mod b_j),
 * written without a buffer for e. x, out: nout limbs of n words (x words
 * in [0, b_j)); xin: nin limbs (words in [0, a_i)); cx[j], cy[j] < b_j.
 * out may alias x (the same words) but neither overlaps xin. No scratch.
 * Requires nin, nout <= LT_MAX_MODULI. Parallel over coefficients; the
 * words are the same for any thread count and kernel path. CT: yes.
 */
void lt_baseconv_apply_centered_mulsub(const lt_baseconv *bc, uint64_t *out, const uint64_t *x,
                                       const uint64_t *xin, size_t n, const uint64_t *cx,
                                       const uint64_t *cy);

/* The portable path of lt_baseconv_apply_centered_mulsub, its contract. CT: yes. */
void lt_baseconv_mulsub_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
                               size_t n, const uint64_t *cx, const uint64_t *cy);

/*
 * The output limbs bc->big_out marks (those the vector kernels leave to
 * the scalar code), by the portable path, the same words: of
 * lt_baseconv_apply_scalar (scratch as there) and of
 * lt_baseconv_mulsub_scalar. Parallel over coefficients. CT: yes.
 */
void lt_baseconv_apply_big_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, size_t n,
                                  uint64_t *scratch, int centered);
void lt_baseconv_mulsub_big_scalar(const lt_baseconv *bc, uint64_t *out, const uint64_t *x, const uint64_t *xin,
                                   size_t n, const uint64_t *cx, const uint64_t *cy);

#endif
