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
 * patients, in slot 0 of its ciphertext; the other slots are zeroed by a
 * final mask, so the decrypting party sees aggregates only). Every item
 * has an integer denominator: its real value is integer / denominator.
 * Results of the same circuit on tables of the same columns (several
 * hospitals, one public key) add up (lathe_result_add).
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

#define LATHE_NAME_MAX 64 /* column and item names: at most 63 bytes, [A-Za-z0-9_.-] and not empty */

/* ---- columns and encrypted tables ---- */

/*
 * A column: its name, the fixed-point scale (> 0, at most 2^40; or 0 in
 * lathe_column_choose_scale's input) and the declared range lo <= hi of
 * its real values (finite).
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
 * bits out of range).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_column_choose_scale(double lo, double hi, unsigned bits, double *scale);

typedef struct lathe_table lathe_table;

/*
 * Encrypts rows x n_cols real values (row-major: values[i * n_cols + j] is
 * patient i, column j) under pk. Errors: LATHE_EINVAL (NULL, n_cols or
 * rows 0, a bad column: empty or invalid name, a repeated name, scale <= 0
 * or > 2^40, lo > hi, not finite), LATHE_ERANGE (a value outside its
 * column's declared range, or NaN; lathe_last_error names row and column),
 * LATHE_EPARAM (a context without batch slots), LATHE_ENOMEM.
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
 * checksummed buffer (docs/format.md, "patient tables"); loaders check
 * everything against ctx. Errors: those of lathe/io.h (LATHE_EFORMAT,
 * LATHE_ECORRUPT, LATHE_EMISMATCH, LATHE_EIO, LATHE_ENOMEM); a save to a
 * path writes a temporary file and renames it (nothing partial is left).
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
 * gives these integers (what a plaintext check must compute).
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
 * the declared ranges (max over the box of |B + sum W_j X_j|). Errors:
 * LATHE_EINVAL (NULL, an unknown column, a repeated one, a scale or
 * weight that is not finite or too large: |W_j| >= 2^40).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_linear_fixed(const lathe_linear_model *m, const lathe_column *cols, size_t n_cols, int64_t *W, int64_t *b,
                   uint64_t *bound);

/* A linear model encrypted by its owner: each integer weight in every slot of its own ciphertext. */
typedef struct lathe_enc_model lathe_enc_model;

/*
 * Encrypts m's fixed-point form for a table of columns cols (the model
 * owner needs the column scales, not the data). Errors: those of
 * lathe_linear_fixed, and of encryption.
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

/*
 * out = a + b item by item: results of the same circuit and items on
 * tables of the same columns (multi-hospital aggregation). Aggregates add;
 * per-patient items are refused (LATHE_EINVAL: they do not add). The
 * bounds add, and a sum whose bound reaches t/2 is refused (LATHE_ERANGE).
 * out may alias a or b. Errors: LATHE_EINVAL, LATHE_EMISMATCH (other
 * circuit, items or key pair), LATHE_ERANGE.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_result_add(lathe_eval *ev, lathe_result **out, const lathe_result *a, const lathe_result *b);

/* Serialization, as for tables (docs/format.md, "results"). */
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
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_result_decrypt(const lathe_sk *sk, const lathe_result *r, size_t i, int64_t *values, size_t n_values);

/* ---- circuits ---- */

/*
 * Linear score per patient, model in the clear at the cloud: one item
 * "score" (per patient, denominator out_scale). Depth: one plaintext
 * product. Errors: LATHE_EINVAL (an unknown column...), LATHE_ERANGE (the
 * score's bound reaches t/2), and those of the operations.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_linear(lathe_eval *ev, const lathe_table *t, const lathe_linear_model *m, lathe_result **out);

/* The same with an encrypted model (circuit "linear-enc"): one ciphertext product per weight. */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_linear_enc(lathe_eval *ev, const lathe_table *t, const lathe_enc_model *m, lathe_result **out);

/*
 * Logistic-regression risk: the linear score and the encrypted decision
 * score >= threshold (threshold in the score's real units), items "score"
 * and "decision" (0 or 1 per patient, denominator 1); with decision_only
 * the result holds only "decision" (the cloud returns the bit alone). The
 * decision is exact: the integer score is compared with
 * ceil(threshold * out_scale) by a lookup table over the score's bounded
 * range [-bound, bound] (lathe_poly_eval_table), of depth
 * ceil(log2(2 bound + 1)) products after the score. Errors: as
 * lathe_circuit_linear, and LATHE_ELEVEL / LATHE_ENOISE when the chain is
 * too short for that depth (lathe_logistic_cost says what it needs).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_logistic(lathe_eval *ev, const lathe_table *t, const lathe_linear_model *m, double threshold,
                       int decision_only, lathe_result **out);

/* Depth (products on the longest path) and levels the decision of a score bounded by `bound` needs. */
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
 * (n_conds 0: all patients): aggregates "count" (denominator 1), and for
 * every column named in columns: "sum:NAME" (denominator scale) and
 * "sumsq:NAME" (denominator scale^2). lathe_stats_finish turns them into
 * count, sum, mean and variance. The masks of the conditions are
 * multiplied together (a product tree), then into the values.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_stats(lathe_eval *ev, const lathe_table *t, const char *const *columns, size_t n_columns,
                    const lathe_condition *conds, size_t n_conds, lathe_result **out);

/*
 * Sufficient statistics of least squares of column `target` on the
 * columns named (with an intercept): aggregates "n", "sx:A", "sxx:A:B"
 * (A <= B in the order given), "sy", "sxy:A" and "syy", each with its
 * denominator (products of scales). lathe_regression_solve turns them into
 * coefficients.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuit_regression(lathe_eval *ev, const lathe_table *t, const char *const *columns, size_t n_columns,
                         const char *target, lathe_result **out);

/* ---- after decryption (data owner) ---- */

/*
 * Count, sum, mean and (population) variance of column `column` from a
 * decrypted stats result: values[i] is item i's decrypted aggregate.
 * Errors: LATHE_EINVAL (not a stats result, unknown column), LATHE_ERANGE
 * (count 0: no patient met the conditions; mean and variance undefined).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_stats_finish(const lathe_result *r, const int64_t *values, const char *column, int64_t *count, double *sum,
                   double *mean, double *variance);

/*
 * Least-squares coefficients from a decrypted regression result: coef[0]
 * the intercept, coef[1 + j] column j's (n_columns + 1 entries), and R^2
 * (from syy). The normal equations are solved exactly over the rationals
 * of the fixed-point sums (FLINT's fmpq_mat), then rounded to double.
 * Errors: LATHE_EINVAL, LATHE_ERANGE (a singular system).
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
 * batch slots).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_circuits_keys(const lathe_ctx *ctx, int *steps, size_t cap, size_t *n, unsigned *level);

LATHE_END_DECLS

#endif
