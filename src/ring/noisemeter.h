/*
 * Noise meter: the largest centered coefficient of an RNS polynomial,
 * measured in constant time with word arithmetic alone (no big integers
 * touch the data; the tables are built from the public moduli).
 *
 * For k limbs v_i of a coefficient, Q = q_0...q_{k-1}, x = CRT(v) in
 * [0, Q) and w_i = (Q/q_i)^-1 mod q_i,
 *     x / Q = frac(sum_i v_i * w_i / q_i)
 * (the usual y_i = [v_i w_i]_{q_i} only changes the integer part, so the
 * kernel skips that reduction). With the W-word fixed-point table
 * S_i = floor(2^{64W} * w_i / q_i),
 *     f = sum_i v_i * S_i  mod 2^{64W}
 * is 2^{64W} * x / Q - E (mod 2^{64W}) for a deficit 0 <= E < Emax, where
 * Emax = sum_i (q_i - 1) < k * 2^62 (each term falls short by v_i times
 * frac(2^{64W} w_i / q_i) < 1); E = 0 when every v_i is 0. The integer part
 * of the sum drops out with the carries above word W. Centering: when f's
 * top bit is set, |x_c| / Q is read as (2^{64W} - f) / 2^{64W}; the
 * centered fraction then differs from 2^{64W} * |x_c| / Q by less than
 * Emax, x_c being x's representative in (-Q/2, Q/2) (Q is odd).
 *
 * The table is a floor, not a rounding, so that its top t words are
 * exactly floor(2^{64t} w_i / q_i) for every t <= W: the short decryption
 * check reads them directly and its error keeps one sign.
 * (x/Q as the fraction of the CRT sum: Halevi, Polyakov, Shoup 2019, §2.2;
 * here in multi-word fixed point instead of a double.)
 * The tables are read-only after init: any number of threads may measure
 * with one lt_noisemeter, each with its own scratch. No OpenMP inside.
 */
#ifndef LT_NOISEMETER_H
#define LT_NOISEMETER_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#include "ring.h"

/* Largest fraction width accepted by lt_noisemeter_init (the default is below it for k <= 128). */
#define LT_NOISEMETER_MAX_WORDS 128
/* Largest number of coefficients per call. */
#define LT_NOISEMETER_MAX_N ((size_t)1 << 17)

typedef struct lt_noisemeter {
	unsigned k;                 /* limbs */
	unsigned words;             /* W, fraction width in 64-bit words, >= 3 */
	unsigned qwords;            /* words of Q (and of an lt_noisemeter_max_int result) */
	unsigned scratch_words;     /* 2W + qwords: scratch that every function here accepts */
	int exact;                  /* 64W >= bits(Q) + bits(Emax) + 1: max_int and log2 are exact */
	double log2q;               /* log2(Q) */
	uint64_t *qhat_inv;         /* k: w_i = (Q/q_i)^-1 mod q_i */
	uint64_t *R;                /* W x k, word-major: R[w*k + i] = word w of S_i */
	uint64_t *Q;                /* qwords, little-endian */
	uint64_t emax[2];           /* Emax = sum_i (q_i - 1), little-endian */
	const lt_modulus *const *mod;
} lt_noisemeter;

/*
 * Builds the tables for the basis mod[0..k) (kept by pointer: mod must
 * outlive m). words = 0 chooses
 *     W = max(3, ceil((bits(Q) + ceil(log2 k) + 66) / 64)),
 * which makes m->exact true; an explicit words in [3, LT_NOISEMETER_MAX_WORDS]
 * is taken as given (a smaller W is faster and less precise, see below).
 * Set-up on public data (the moduli); not constant-time.
 * Errors: LATHE_EINVAL (NULL mod, k = 0 or k > LT_MAX_MODULI, words in
 * {1, 2} or above LT_NOISEMETER_MAX_WORDS, or the default above it),
 * LATHE_EPARAM (moduli not pairwise coprime, e.g. a repeated prime),
 * LATHE_ENOMEM. On error m is zeroed (lt_noisemeter_clear is safe).
 */
lathe_status lt_noisemeter_init(lt_noisemeter *m, const lt_modulus *const *mod, unsigned k,
                                unsigned words);

/* Releases the tables. Safe on a zeroed or cleared struct. */
void lt_noisemeter_clear(lt_noisemeter *m);

/*
 * The largest centered |x_j| / Q over j < n (x_j the representative in
 * (-Q/2, Q/2) of coefficient j's CRT value), as a W-word fraction in
 * units of 2^{-64W} (little-endian, W = m->words): with
 * G = 2^{64W} * max_j |x_j| / Q,  G - Emax < max_frac < G + Emax
 * (and max_frac <= 2^{64W-1}).
 * v: k limbs of n words, limb-major (v[i*n + j]), coefficient form, words
 * in [0, q_i). 1 <= n <= LT_NOISEMETER_MAX_N.
 * max_frac: m->words words. scratch: m->words words, wiped on return (no
 * allocation; secret intermediates on the stack are wiped too).
 * Buffers must not overlap each other or v.
 * CT: yes (every loop runs n * k * W steps; no branch or index depends on v).
 */
void lt_noisemeter_max(const lt_noisemeter *m, const uint64_t *v, size_t n, uint64_t *max_frac,
                       uint64_t *scratch);

/*
 * The largest centered |x_j| as an integer, max_int (m->qwords words,
 * little-endian): round(max_frac * Q / 2^{64W}) for max_frac as above.
 * When m->exact (the default W) it is exactly max_j |x_j| (<= (Q-1)/2);
 * else it differs from it by less than Emax * Q / 2^{64W} + 1/2.
 * v, n as lt_noisemeter_max. scratch: m->scratch_words words, wiped on
 * return. max_int overlaps neither v nor scratch.
 * CT: yes (fixed loops over n, k, W and qwords).
 */
void lt_noisemeter_max_int(const lt_noisemeter *m, const uint64_t *v, size_t n, uint64_t *max_int,
                           uint64_t *scratch);

/*
 * log2 of M = max_j |x_j| (the integer of lt_noisemeter_max_int),
 * -INFINITY when M = 0. Guarantee when m->exact, for every M >= 1:
 *   - floor(L) = bitlen(M) - 1 and ceil(L) = ceil(log2 M), exactly
 *     (L is an integer exactly when M is a power of two; values that
 *     round across an integer are clamped to the adjacent double);
 *   - |L - log2 M| <= 2^-39 (log2 M < 2^13 for k <= 128).
 * Without m->exact the same holds for the approximate M described there.
 * v, n as lt_noisemeter_max. scratch: m->scratch_words words, wiped.
 * CT: constant-time over the data except the final conversion of the
 * (output) maximum to a double (bit scan and log2 of M).
 */
double lt_noisemeter_log2_max(const lt_noisemeter *m, const uint64_t *v, size_t n,
                              uint64_t *scratch);

/*
 * Decryption check: 1 when some |x_j| >= Q / 2^{1+margin_bits}, 0 when
 * every |x_j| < (Q / 2^{1+margin_bits}) * (1 - d), either value between.
 * Never a false 0. Uses the top t words of each S_i (floor(2^{64t} w_i / q_i)):
 * t = 2 when bits(Emax) + margin_bits + 41 <= 128, else t = 3, so that
 *     d = Emax * 2^{1 + margin_bits - 64t} <= 2^-40
 * (t depends only on public k, moduli and margin_bits). n * k * t word
 * products. Two words alone would leave a band of relative width up to
 * k * 2^{margin_bits - 65}, no use for large k and margins: those take a
 * third word. margin_bits in [0, 60]; with 0 no value qualifies (|x_j| <=
 * (Q-1)/2), so the result is 0 unless some |x_j| lies in the band.
 * v, n as lt_noisemeter_max. scratch: not used (may be NULL); kept so that
 * every call of this module takes the same buffer.
 * CT: yes (no branch or index depends on v; the result is the output).
 */
int lt_noisemeter_exceeds(const lt_noisemeter *m, const uint64_t *v, size_t n,
                          unsigned margin_bits, uint64_t *scratch);

/* The t that lt_noisemeter_exceeds uses for this margin (2 or 3). */
unsigned lt_noisemeter_exceeds_words(const lt_noisemeter *m, unsigned margin_bits);

#endif
