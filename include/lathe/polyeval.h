/*
 * lathe — polynomial evaluation on ciphertexts, and lookup tables.
 *
 * p(x) = c_0 + c_1 x + ... + c_d x^d with public coefficients in Z_t is
 * evaluated on a ciphertext x slot-wise: every batch slot holding a value
 * v gets p(v) mod t (t: the plaintext modulus of the evaluator's
 * context). Contexts without batching are refused (LATHE_EPARAM): there the same ring operations
 * would compute p(m(X)) in Z_t[X]/(X^N + 1), which is not a function of
 * the coefficients taken one by one.
 *
 * The evaluation is the baby-step/giant-step form of Paterson and
 * Stockmeyer (Paterson, Stockmeyer, "On the number of nonscalar
 * multiplications necessary to evaluate polynomials", SIAM J. Comput. 2(1),
 * 1973) as used in FHE (Halevi, Shoup, "Bootstrapping for HElib",
 * Eurocrypt 2015, §4; Chen, Han, "Homomorphic lower digits removal and
 * improved FHE bootstrapping", Eurocrypt 2018, §3): baby steps
 * x, x^2, ..., x^k with k = 2^l, giant steps x^k, x^2k, x^4k, ..., and p
 * split recursively as p = lo + x^G hi with G = k 2^j the largest giant
 * step not above deg p. The public coefficients steer which products are
 * made; zero coefficients are skipped, coefficients 1 and -1 cost an
 * addition or a subtraction, every other one a scalar multiplication.
 *
 * What it costs, for degree d >= 1 (the index of the last nonzero
 * coefficient), with l chosen to make the fewest products:
 *  - depth: exactly ceil(log2 d) sequential ciphertext products on the
 *    longest path (the least any method needs for x^d);
 *  - nonscalar multiplications (lathe_ct_mul, relinearized): at most
 *    3 sqrt(d/2) + log2(d)/2, about 2.12 sqrt(d) (the giant steps are powers
 *    of two so that the depth stays optimal; for d <= 255 this is also at
 *    most 2 sqrt(d) + log2(d) - 2);
 *  - levels of a lathe chain: depth or depth + 1. With automatic modulus
 *    switching every product on the longest path costs one level; one
 *    more is needed where a term noisier than a clean product enters a
 *    product on that path, or the result: a scalar multiple (|c| up to t/2
 *    multiplies the noise by up to t/2), or a sum of terms at one level
 *    (the baby-step sums; one term of a sum may be multiplied by a ratio
 *    of correction factors when the chain primes are not 1 mod t).
 *    lathe_polyeval_stats.levels is a conservative bound from that model:
 *    a fresh x on a context from lathe_params_set_depth(levels) decrypts,
 *    and lathe_params_set_depth(depth + 1) suffices. (With automatic
 *    modulus switching turned off nothing drops a level: the noise grows
 *    at x's level until an operation answers LATHE_ENOISE.)
 */
#ifndef LATHE_POLYEVAL_H
#define LATHE_POLYEVAL_H

#include <stddef.h>
#include <stdint.h>

#include "bgv.h"
#include "common.h"
#include "error.h"
#include "params.h"

LATHE_BEGIN_DECLS

/*
 * What an evaluation costs. Filled by lathe_poly_eval_cost (the plan) and
 * by the evaluation functions (what they did: the same numbers).
 *   depth           sequential nonscalar multiplications on the longest
 *                   path: ceil(log2 d), 0 for d <= 1;
 *   levels          levels of the chain the evaluation may use, counted
 *                   from x as given (fresh, or with its noise at the
 *                   switching floor): depth, or depth + 1 when a noisier
 *                   term (a scalar multiple, a sum at one level) feeds a
 *                   product or the result on a path of full length. An
 *                   upper bound, never above depth + 1; the evaluation
 *                   often uses one level less than a bound of depth + 1;
 *   nonscalar_muls  calls of lathe_ct_mul (ciphertext by ciphertext);
 *   scalar_muls     calls of lathe_ct_mul_scalar.
 */
typedef struct lathe_polyeval_stats {
	unsigned depth;
	unsigned levels;
	size_t nonscalar_muls;
	size_t scalar_muls;
} lathe_polyeval_stats;

/*
 * The plan of lathe_poly_eval for these coefficients and plaintext
 * modulus t, without a ciphertext: what it would cost (to choose a chain
 * with lathe_params_set_depth before making a context).
 * coeffs[i] is c_i, in [0, t); trailing zeros are ignored.
 * Errors: LATHE_EINVAL (NULL, n_coeffs == 0, t < 2, a coefficient >= t),
 * LATHE_ENOMEM. On error *stats is unchanged.
 * CT: not applicable (public data only).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_poly_eval_cost(uint64_t t, const uint64_t *coeffs, size_t n_coeffs, lathe_polyeval_stats *stats);

/*
 * out = p(x) slot-wise, p(y) = sum_{i < n_coeffs} coeffs[i] y^i mod t.
 * The temporaries are made in ev's context (lathe_eval_ctx); t is x's
 * plaintext modulus (lathe_ct_plain_modulus): the context's, or p^e for
 * a ciphertext inside bootstrapping.
 * x: a 2-component ciphertext of ev's key pair; out may alias x.
 * coeffs: n_coeffs words in [0, t); trailing zeros are ignored. A
 * polynomial of degree 0 (or all zero) gives x * 0 + c_0: a ciphertext
 * that decrypts to c_0 without any key (the polynomial is public).
 * stats (may be NULL): after the checks of the arguments it receives the
 * plan (see above), also when a later operation fails, so that a caller
 * who gets LATHE_ELEVEL learns how many levels it needed.
 * Products need ev's relinearization key (not for d <= 1).
 * Errors: LATHE_EINVAL (NULL ev, out, x or coeffs, n_coeffs == 0, a
 * coefficient >= t), LATHE_EPARAM (the context has no batching), and those
 * of the operations used, passed on: LATHE_EINVAL (x of 3 components),
 * LATHE_EMISMATCH (x or out of another context than ev's, or x of another
 * key pair), LATHE_ENOKEY (no relinearization key), LATHE_ELEVEL or
 * LATHE_ENOISE (the chain is too short for the levels needed),
 * LATHE_EBUSY, LATHE_ENOMEM. On any error out is unchanged (the work is
 * done in temporaries, copied into out at the end).
 * CT: yes with respect to the plaintext slots (the operations made depend
 * only on the public coefficients).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_poly_eval(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, const uint64_t *coeffs, size_t n_coeffs,
                lathe_polyeval_stats *stats);

/*
 * The interpolating polynomial of a table: coeffs[0..hi-lo] receives the
 * coefficients (in [0, t)) of the unique p of degree <= hi - lo over Z_t
 * with p(v) = values[v - lo] mod t for every v in [lo, hi] (taken mod t).
 * Newton's divided differences on the equally spaced points, then the
 * Newton form expanded to the power basis: O((hi - lo)^2) operations mod t.
 * t = lathe_ctx_plain_modulus(ctx) must be prime (it is whenever ctx
 * batches). lo, hi: -t < lo <= hi < t and hi - lo < t (distinct points mod
 * t). values: hi - lo + 1 entries, each with |values[i]| < t (signed
 * centered values as lathe_encode takes them, or residues in [0, t)).
 * coeffs must not overlap values.
 * Errors: LATHE_EINVAL (NULL, lo > hi, lo or hi out of range, a range of
 * more than t points, a value out of range), LATHE_EPARAM (t not prime).
 * On error coeffs is unchanged.
 * CT: not applicable (public data only).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_poly_interpolate(const lathe_ctx *ctx, int64_t lo, int64_t hi, const int64_t *values, uint64_t *coeffs);

/*
 * Lookup table: out = f(x) slot-wise for every slot whose value lies in
 * [lo, hi] (mod t), where f(v) = values[v - lo]; slots outside the range
 * get the interpolating polynomial's value there, which is unspecified.
 * The same as lathe_poly_interpolate then lathe_poly_eval, of degree at
 * most hi - lo: depth at most ceil(log2(hi - lo)), at most about
 * 2.12 sqrt(hi - lo) products (stats as for lathe_poly_eval).
 * Arguments and errors: those of the two functions (LATHE_EPARAM for a
 * context without batching, or a t that is not prime; LATHE_EINVAL for x
 * under another plaintext modulus than the context's); out may alias x;
 * on any error out is unchanged.
 * CT: yes with respect to the plaintext slots.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_poly_eval_table(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, int64_t lo, int64_t hi, const int64_t *values,
                      lathe_polyeval_stats *stats);

LATHE_END_DECLS

#endif
