/*
 * lathe — medical circuits on encrypted patient tables.
 *
 * A hospital encrypts a table of patients (rows) and numeric columns with
 * its public key; a cloud holding only evaluation keys evaluates a circuit
 * on it; the hospital decrypts the result. Written on lathe's public API.
 *
 * Layout. Patients go in batch slots, column-major: column j of the table
 * is ceil(rows / S) ciphertexts (S = lathe_ctx_slots), patient i in slot
 * i mod S of chunk i / S; unused slots hold 0. One slot-wise operation
 * scores S patients.
 *
 * Fixed point. A real value v of column j is encoded as the integer
 * round(v * scale_j) (half away from zero). A column declares the range
 * [lo, hi] its real values lie in; encryption refuses a value outside it
 * (LATHE_ERANGE, naming row and column). Every circuit bounds each of its
 * integer results from the declared ranges, the scales, the model and the
 * number of patients, before any homomorphic work, and refuses with
 * LATHE_ERANGE when a bound reaches t/2 (t the plaintext modulus): a
 * result never wraps around mod t. The bounds are reported
 * (lathe_result_bound) so that a caller sees how close to t/2 it runs.
 *
 * Results. A circuit returns a lathe_result: named items, each either one
 * value per patient (scores, decisions) or one aggregate (a sum over all
 * patients: the chunks are added, then the slots by rotations and
 * additions, so that every slot of its ciphertext holds the total and
 * nothing else; the decrypting party sees aggregates only, and decryption
 * reads slot 0). Every item has a denominator (a product of scales): its
 * real value is integer / denominator. Results of the same circuit on
 * tables of the same columns (several hospitals, one public key) add up
 * (lathe_result_add). Results are not rerandomized: a party that must not
 * learn how a result was computed (an encrypted model's weights through
 * its noise) needs lathe_ct_rerandomize on its ciphertexts, which this
 * interface does not yet offer.
 *
 * Cost on the circuits' preset "bgv-128-n32768-t268042241" (N = 2^15,
 * 32768 patients per ciphertext, t = 268042241, chain of 15 primes: top
 * level 14, lathe_params_set_depth(13)); "depth" counts ciphertext
 * products in sequence, "levels" the chain levels a circuit may consume
 * from fresh ciphertexts:
 *   linear       no ciphertext product (scalar products), 0 levels;
 *   linear-enc   1 product (1 level);
 *   logistic     ceil(log2(2 bound)) products after the score, levels as
 *                lathe_logistic_cost says (at most depth + 2): the chain
 *                serves bounds up to 1024 by that count (a table of 2049
 *                points, depth 11), and 2048 was measured to work;
 *   stats        per condition column, a table of w points (its declared
 *                integer range): ceil(log2(w - 1)) products (+1 level);
 *                then ceil(log2 k) for the product of k masks, and 1 for
 *                the mask times X or X^2: with a 63-point and a 301-point
 *                mask (age, BMI at scale 10) 11 products;
 *   regression   1 product.
 * The sums over slots then run at level 1 (lathe_circuits_keys):
 * log2(S/2) rotations and a row swap per aggregate item.
 *
 * Ownership: lathe_table and lathe_result own their ciphertexts and are
 * freed with their _free (NULL-safe); a context outlives them. They are not
 * safe for concurrent use; the circuits use the evaluator passed in (one
 * per thread). Errors of the operations used are passed on; on any error
 * *out is NULL. CT: with respect to the encrypted values, yes (the work
 * done depends on the public shape, model and ranges only).
 */
#ifndef LATHE_CIRCUITS_H
#define LATHE_CIRCUITS_H

#include <stddef.h>
#include <stdint.h>

#include "bgv.h"
#include "common.h"
#include "error.h"
#include "params.h"

LATHE_BEGIN_DECLS

#define LATHE_NAME_MAX 64 /* column names: at most 63 bytes, [A-Za-z0-9_.-] and not empty */
/* item names ("sum:NAME", "sxx:A:B"): at most 135 bytes, [A-Za-z0-9_.:-] and not empty */
#define LATHE_ITEM_NAME_MAX 136

/* ---- columns and encrypted tables ---- */

/*
 * A column: its name, the fixed-point scale (> 0, at most 2^40) and the
 * declared range lo <= hi of its real values (finite, with
 * max(|lo|, |hi|) * scale < 2^62). Its integers lie in
 * [round(lo * scale), round(hi * scale)].
 */
typedef struct lathe_column {
	char name[LATHE_NAME_MAX];
	double scale;
	double lo, hi;
} lathe_column;

/*
 * The largest power of ten s (10^-6 <= s <= 10^12) with
 * max(|lo|, |hi|) * s <= 2^bits - 1 (bits in [1, 40]): a scale chosen from
 * the declared range, so that the column's integers have at most `bits`
 * bits. Errors: LATHE_EINVAL (NULL, a range that is not finite or lo > hi,
 * bits out of range), LATHE_ERANGE (max(|lo|, |hi|) * 10^-6 > 2^bits - 1).
 * On error *scale is unchanged.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_column_choose_scale(double lo, double hi, unsigned bits, double *scale);

typedef struct lathe_table lathe_table;

/*
 * Encrypts rows x n_cols real values (row-major: values[i * n_cols + j] is
 * patient i, column j) under pk. Errors: LATHE_EINVAL (NULL, n_cols or
 * rows 0, a bad column: empty or invalid name, a repeated name, scale <= 0
 * or > 2^40, lo > hi, not finite, max(|lo|, |hi|) * scale >= 2^62),
 * LATHE_ERANGE (a column whose declared integers exceed (t - 1) / 2 in
 * absolute value; a value outside its column's declared range, or NaN:
 * lathe_last_error names row and column), LATHE_EPARAM (a context without
 * batch slots), LATHE_ENOMEM. Every value is checked before anything is
 * encrypted. The encryption is lathe_encrypt's (fresh randomness from the
 * operating system).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_table_encrypt(const lathe_pk *pk, const lathe_column *cols, size_t n_cols, const double *values, size_t rows,
                    lathe_table **out);

LATHE_API void lathe_table_free(lathe_table *t);
LATHE_API size_t lathe_table_rows(const lathe_table *t);
LATHE_API size_t lathe_table_cols(const lathe_table *t);
/* Column j (NULL when out of range); owned by the table. */
LATHE_API const lathe_column *lathe_table_column(const lathe_table *t, size_t j);
/* Index of the column called name, or -1. */
LATHE_API long lathe_table_find(const lathe_table *t, const char *name);
/* Ciphertexts per column: ceil(rows / slots). */
LATHE_API size_t lathe_table_chunks(const lathe_table *t);
/* Chunk k of column j (NULL when out of range); owned by the table. */
LATHE_API const lathe_ct *lathe_table_ct(const lathe_table *t, size_t j, size_t k);

/*
 * Serialization: columns, row count and every ciphertext, in one
 * checksummed buffer (docs/format.md, "Patient tables and results");
 * loaders check everything against ctx. Errors: those of lathe/io.h
 * (LATHE_EINVAL for NULL or an empty path, LATHE_EFORMAT, LATHE_ECORRUPT,
 * LATHE_EMISMATCH, LATHE_EIO, LATHE_ENOMEM); a save to a path writes a
 * temporary file beside it, flushes and renames it (nothing partial is
 * left). Buffers are released with lathe_buffer_free. On error *out and
 * *buf are NULL.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_table_to_buffer(const lathe_table *t, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_table_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_table **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_table_save(const lathe_table *t, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_table_load(const lathe_ctx *ctx, const char *path, lathe_table **out);

/* ---- models ---- */

/*
 * A linear model score = intercept + sum_j weight[j] * x_j over named
 * columns. Its fixed-point form on a table: with output scale S (> 0),
 * integer weights W_j = round(weight[j] * S / scale_j) and integer
 * intercept B = round(intercept * S), the integer score is
 * B + sum_j W_j X_j and its real value score / S. lathe_linear_fixed
 * gives these integers (what a plaintext check must compute); W_j is
 * computed in double as (weight[j] * S) / scale_j, then rounded half away
 * from zero.
 */
typedef struct lathe_linear_model {
	size_t n;                 /* number of weights */
	const char *const *names; /* column of each weight */
	const double *weights;
	double intercept;
	double out_scale;         /* S */
} lathe_linear_model;

/*
 * The fixed-point form of model m on table columns cols[0..n_cols): W[j]
 * for each weight (in the model's order), *b, and the bound on |score| from
 * the declared ranges (max over the box of |B + sum W_j X_j|, exact; 
 * UINT64_MAX when it does not fit 64 bits). Errors: LATHE_EINVAL (NULL, no
 * weights, an unknown column, a repeated one, a bad column as for
 * lathe_table_encrypt, out_scale not in (0, 2^40], a weight or intercept
 * that is not finite or too large: |W_j| >= 2^40, |B| >= 2^62). On error
 * the outputs are unspecified.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_linear_fixed(const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, int64_t *W, int64_t *b,
                   uint64_t *bound);

/*
 * A linear model encrypted by its owner: each integer weight, and the
 * intercept, in every slot of its own ciphertext. It keeps, in the clear,
 * the columns (name, scale, range) it was made for and the bound on the
 * score they give: the cloud learns that bound (it must, to refuse a
 * wrap-around), and a table whose columns differ is refused.
 */
typedef struct lathe_enc_model lathe_enc_model;

/*
 * Encrypts m's fixed-point form for a table of columns cols (the model
 * owner needs the column scales, not the data) under pk, which must be the
 * table's key pair. Errors: those of lathe_linear_fixed, LATHE_EPARAM (no
 * batch slots), and those of encryption. On error *out is NULL.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_enc_model_new(const lathe_pk *pk, const lathe_linear_model *m, const lathe_column *cols, size_t n_cols,
                    lathe_enc_model **out);
LATHE_API void lathe_enc_model_free(lathe_enc_model *m);

/* ---- results ---- */

typedef struct lathe_result lathe_result;

#define LATHE_ITEM_PER_PATIENT 1 /* one value per patient (rows values) */
#define LATHE_ITEM_AGGREGATE 2   /* one value */

LATHE_API void lathe_result_free(lathe_result *r);
/* The circuit that made r ("linear", "linear-enc", "logistic", "stats", "regression"). */
LATHE_API const char *lathe_result_circuit(const lathe_result *r);
LATHE_API size_t lathe_result_rows(const lathe_result *r);
LATHE_API size_t lathe_result_items(const lathe_result *r);
/* Item i: its name, kind, denominator and bound on |integer|; NULL / 0 when out of range. */
LATHE_API const char *lathe_result_item_name(const lathe_result *r, size_t i);
LATHE_API int lathe_result_item_kind(const lathe_result *r, size_t i);
LATHE_API double lathe_result_item_denominator(const lathe_result *r, size_t i);
LATHE_API uint64_t lathe_result_bound(const lathe_result *r, size_t i);
/* Index of the item called name, or -1. */
LATHE_API long lathe_result_find(const lathe_result *r, const char *name);

/*
 * *out = a + b item by item: results of the same circuit and items on
 * tables of the same columns (multi-hospital aggregation); its rows are
 * a's plus b's. Aggregates add; per-patient items are refused
 * (LATHE_EINVAL: they do not add). The bounds add, and a sum whose bound
 * reaches t/2 is refused (LATHE_ERANGE) before any addition. *out may
 * alias a or b (lathe_result_add(ev, &a, a, b)): then the sum replaces
 * that result on success (the old one is freed) and it is left as it was
 * on error; otherwise *out is overwritten (NULL on error) and what it held
 * is not freed. Errors: LATHE_EINVAL (NULL, per-patient items),
 * LATHE_EMISMATCH (other context than ev's, other circuit, items, or key
 * pair), LATHE_ERANGE, and those of lathe_ct_add.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_result_add(lathe_eval *ev, lathe_result **out, const lathe_result *a, const lathe_result *b);

/* Serialization, as for tables (docs/format.md, "Patient tables and results"). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_result_to_buffer(const lathe_result *r, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_result_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_result **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_result_save(const lathe_result *r, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_result_load(const lathe_ctx *ctx, const char *path, lathe_result **out);

/*
 * Decrypts item i into values: rows integers for a per-patient item, one
 * for an aggregate (n_values must be at least that). Errors: LATHE_EINVAL,
 * LATHE_EMISMATCH (another key pair), LATHE_ENOISE (decryption refused),
 * LATHE_ERANGE (a decrypted value beyond the item's bound: never returned).
 * After the argument checks, an error leaves values[0..rows or 1) zeroed.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_result_decrypt(const lathe_sk *sk, const lathe_result *r, size_t i, int64_t *values, size_t n_values);

/*
 * Item i's ciphertexts (its chunks for a per-patient item; one for an
 * aggregate, which holds its value in every slot), for decryption by other
 * means than one secret key: the collective decryption of keys shared by
 * parties (lathe/multiparty.h; an aggregate is released with
 * lathe_dp.one_value). The result owns them. 0 / NULL out of range.
 */
LATHE_API size_t lathe_result_item_cts(const lathe_result *r, size_t i);
LATHE_API const lathe_ct *lathe_result_item_ct(const lathe_result *r, size_t i, size_t k);
/*
 * Item i's values from the plaintexts of its n_pts ciphertexts (in order),
 * as lathe_result_decrypt gives them: the same checks, LATHE_ERANGE for a
 * value beyond the item's bound, values zeroed after the argument checks
 * on error. slack: for a release with DP noise, how far beyond the bound
 * a value may lie (a bound on the noise, as 12 of its standard
 * deviations); such a value is clamped to the bound (post-processing),
 * one further is refused. 0 for exact releases. Errors: LATHE_EINVAL
 * (NULL, n_pts not the item's number of ciphertexts, too little room),
 * LATHE_ERANGE.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_result_item_decode(const lathe_result *r, size_t i,
                                                                  const lathe_pt *const *pts, size_t n_pts,
                                                                  uint64_t slack, int64_t *values,
                                                                  size_t n_values);

/* ---- circuits ---- */

/*
 * Linear score per patient, model in the clear at the cloud: one item
 * "score" (per patient, denominator out_scale, bound that of
 * lathe_linear_fixed). A weight is one integer for a whole column, so the
 * products are lathe_ct_mul_scalar (a word product per coefficient, no
 * NTT; a plaintext with W_j in every slot is the same constant polynomial
 * at the cost of an encoding and its transform); columns whose declared
 * range is {0} are skipped. Depth 0: no ciphertext product, no key needed.
 * The padding slots after the last patient hold the intercept B.
 * Errors: LATHE_EINVAL (NULL, the errors of lathe_linear_fixed),
 * LATHE_EMISMATCH (ev of another context than t's), LATHE_ERANGE (the
 * score's bound reaches t/2), and those of the operations.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_linear(lathe_eval *ev, const lathe_table *t, const lathe_linear_model *m, lathe_result **out);

/*
 * The same with an encrypted model (circuit "linear-enc"): one ciphertext
 * product per weight, summed before relinearization (one relinearization
 * per chunk); depth 1. Errors: as lathe_circuit_linear; LATHE_EINVAL (a
 * column of the model missing from t), LATHE_EMISMATCH (a model of another
 * context or key pair than t's, or a column of t whose scale or range is
 * not the model's), LATHE_ENOKEY (no relinearization key).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_linear_enc(lathe_eval *ev, const lathe_table *t, const lathe_enc_model *m, lathe_result **out);

/*
 * Logistic-regression risk: the linear score and the encrypted decision
 * score >= threshold (threshold in the score's real units), items "score"
 * and "decision" (0 or 1 per patient, denominator 1); with decision_only
 * the result holds only "decision" (the cloud returns the bit alone). The
 * decision is exact: the integer score is compared with
 * ceil(threshold * out_scale) by a lookup table over the score's bounded
 * range [-bound, bound] (the step function interpolated once by
 * lathe_poly_interpolate, evaluated per chunk by lathe_poly_eval), of
 * depth ceil(log2(2 bound)) products after the score and at most about
 * 3 sqrt(bound) products per chunk. The table has 2 bound + 1 points,
 * which must be distinct mod t. Errors: as lathe_circuit_linear;
 * LATHE_EINVAL (threshold not finite); LATHE_ERANGE (2 bound + 1 >= t);
 * LATHE_EUNSUPPORTED (a table of more than 2^17 points); LATHE_ELEVEL
 * before any work when the depth exceeds the chain's top level, and
 * LATHE_ELEVEL / LATHE_ENOISE passed on when the chain is too short for
 * the levels (lathe_logistic_cost says what it needs); LATHE_ENOKEY.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_logistic(lathe_eval *ev, const lathe_table *t, const lathe_linear_model *m, double threshold,
                       int decision_only, lathe_result **out);

/*
 * Depth (products on the longest path) and levels the decision of a score
 * bounded by `bound` needs: the plan of lathe_poly_eval_cost for a dense
 * polynomial of degree 2 bound with generic coefficients (the step's
 * interpolating polynomial has that degree whenever the threshold lies
 * inside the range), plus one level for the score, a sum of scalar
 * multiples noisier than a fresh ciphertext. An upper bound: a context of
 * lathe_params_set_depth(*levels) serves it. depth or levels may be NULL
 * (not both). Errors: LATHE_EINVAL, LATHE_EUNSUPPORTED (bound >= 2^16),
 * LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_logistic_cost(uint64_t bound, unsigned *depth, unsigned *levels);

/*
 * A condition on one column: value >= threshold (op LATHE_GE) or
 * value < threshold (LATHE_LT), threshold in real units, compared on the
 * column's integers (X >= ceil(threshold * scale)) by a lookup table over
 * the column's declared integer range.
 */
#define LATHE_GE 1
#define LATHE_LT 2
typedef struct lathe_condition {
	const char *column;
	int op;
	double threshold;
} lathe_condition;

/*
 * Cohort statistics over the patients meeting every condition
 * (n_conds 0: all patients): aggregates "count" (denominator 1, bound
 * rows), then for every column named in columns, in that order:
 * "sum:NAME" (denominator scale, bound rows max|X|) and "sumsq:NAME"
 * (denominator scale^2, bound rows max X^2). lathe_stats_finish turns them
 * into count, sum, mean and variance. The conditions on one column make
 * one mask, a lookup table over the column's declared integer range;
 * masks that are 1 on the whole range are dropped. The masks are
 * multiplied together (a product tree), then into the values X and X^2.
 * The count of the last chunk is also multiplied by a public presence mask
 * (1 for the patients, 0 for the padding slots, whose 0 may lie outside a
 * table's range, where its value is unspecified); without a mask the count
 * is the public row count. Errors: LATHE_EINVAL (NULL, an unknown or
 * repeated column, an unknown condition column, op neither LATHE_GE nor
 * LATHE_LT, a threshold that is not finite), LATHE_EMISMATCH (ev of another
 * context), LATHE_ERANGE (a bound reaches t/2), LATHE_EUNSUPPORTED (a mask
 * over more than 2^17 integers), LATHE_ELEVEL (a mask deeper than the
 * chain, before any work; or passed on), LATHE_ENOISE, LATHE_ENOKEY, and
 * those of the operations.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_stats(lathe_eval *ev, const lathe_table *t, const char *const *columns, size_t n_columns,
                    const lathe_condition *conds, size_t n_conds, lathe_result **out);

/*
 * Sufficient statistics of least squares of column `target` on the
 * columns named (with an intercept): aggregates "n", "sx:A", "sxx:A:B"
 * (A <= B in the order given), "sy", "sxy:A" and "syy", in that order,
 * each with its denominator (products of scales) and its bound (rows times
 * the largest |product| over the declared ranges); "n" is the public row
 * count. lathe_regression_solve turns them into coefficients. No mask is
 * needed: the padding slots hold 0 in every column. Errors: LATHE_EINVAL
 * (NULL, no columns or more than 1024, an unknown or repeated column, the
 * target among the columns), LATHE_EMISMATCH (ev of another context),
 * LATHE_ERANGE (a bound reaches t/2), LATHE_ENOKEY, and those of the
 * operations.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_regression(lathe_eval *ev, const lathe_table *t, const char *const *columns, size_t n_columns,
                         const char *target, lathe_result **out);

/* ---- after decryption (data owner) ---- */

/*
 * Count, sum, mean and (population) variance of column `column` from a
 * decrypted stats result: values[i] is item i's decrypted aggregate.
 * sum and mean in real units (the integers divided by the scale), the
 * variance computed exactly as (count sumsq - sum^2) / (count^2 scale^2)
 * and then rounded. Any output may be NULL. Errors: LATHE_EINVAL (NULL r,
 * values or column, not a stats result, unknown column, values beyond their
 * bounds or inconsistent), LATHE_ERANGE (count 0: no patient met the
 * conditions; mean and variance undefined; *count is set to 0).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_stats_finish(const lathe_result *r, const int64_t *values, const char *column, int64_t *count, double *sum,
                   double *mean, double *variance);

/*
 * Least-squares coefficients from a decrypted regression result: coef[0]
 * the intercept, coef[1 + j] column j's (n_columns + 1 entries), and R^2
 * (from syy). The normal equations are solved exactly over the rationals
 * of the fixed-point sums (FLINT's fmpq_mat), the coefficients scaled to
 * real units by the exact rational values of the scales, then converted to
 * double (fmpq_get_d: within one unit in the last place). r2 may be NULL.
 * Errors: LATHE_EINVAL (NULL, not a regression result, n_coef too small,
 * values beyond their bounds), LATHE_ERANGE (a singular system: too few
 * patients, a constant column or one that is a combination of others; or a
 * constant target, for which R^2 is undefined).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_regression_solve(const lathe_result *r, const int64_t *values, double *coef, size_t n_coef, double *r2);

/*
 * The evaluation keys the circuits need on ctx: the rotation steps of the
 * sums over all slots (powers of two below the row length, and 0 for the
 * row swap) and the level their Galois keys must reach (the sums run at
 * or below it), for lathe_evalkeys_new_at. *n gets the number of steps;
 * steps (may be NULL) receives at most cap of them; *level (may be NULL)
 * the level. Errors: LATHE_EINVAL (NULL ctx or n), LATHE_EPARAM (no
 * batch slots). The level is 1 (0 for a chain of one prime): switched
 * down to level 0, a ciphertext keeps about 5 bits of estimated budget,
 * fewer than the log2(S) doublings of the rotate-and-add; at level 1 about
 * 37 estimated bits remain after all of them (N = 2^12 and 2^15,
 * t ~ 2^28), room for 2^30 further additions (chunks, hospitals), and
 * Galois keys at level 1 are about 2/15 of full keys at the preset.
 * Under keys shared by parties (lathe_params_set_parties) the level is
 * the lowest with LATHE_MP_SMUDGE_BITS + log2(N n) + 2 more bits of
 * modulus than level 1: a collective decryption needs that much budget
 * (lathe/multiparty.h).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuits_keys(const lathe_ctx *ctx, int *steps, size_t cap, size_t *n, unsigned *level);

LATHE_END_DECLS

#endif
