/*
 * What the files of the medical circuits (lathe/circuits.h) share, never
 * installed: the layouts of tables, models and results, the bounds on the
 * integers a circuit produces (exact, in 128-bit arithmetic), the sums over
 * slots, and the error helpers.
 *
 * This layer is written on lathe's public API only; the one exception is
 * core/error.h for lt_fail, the setter of the thread-local detail string
 * of lathe_last_error (the public API has no setter).
 */
#ifndef LT_CIRCUITS_INTERNAL_H
#define LT_CIRCUITS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/bgv.h>
#include <lathe/circuits.h>
#include <lathe/io.h>
#include <lathe/params.h>
#include <lathe/polyeval.h>

#include "core/error.h"

__extension__ typedef unsigned __int128 lt_u128;
__extension__ typedef __int128 lt_i128;

struct lathe_table {
	const lathe_ctx *ctx;
	size_t rows, n_cols, chunks, slots;
	lathe_column *cols;
	lathe_ct **cts;  /* n_cols * chunks, column-major: column j chunk k at [j * chunks + k] */
	uint8_t key_id[LATHE_KEY_ID_BYTES];
};

typedef struct lt_circ_item {
	char name[LATHE_ITEM_NAME_MAX];
	int kind;        /* LATHE_ITEM_PER_PATIENT or LATHE_ITEM_AGGREGATE */
	double denom;
	uint64_t bound;  /* on |integer|, <= (t - 1) / 2 */
	size_t n_cts;    /* the result's chunks (per patient) or 1 */
	lathe_ct **cts;
} lt_circ_item;

#define LT_CIRC_NAME_MAX 16

struct lathe_result {
	const lathe_ctx *ctx;
	char circuit[LT_CIRC_NAME_MAX];
	size_t rows, chunks, slots;
	size_t n_items;
	lt_circ_item *items;
	uint8_t key_id[LATHE_KEY_ID_BYTES];
};

struct lathe_enc_model {
	const lathe_ctx *ctx;
	size_t n;
	lathe_column *cols; /* per weight: the column it was made for (name, scale, range) */
	lathe_ct **w;       /* n: W_j in every slot */
	lathe_ct *b;        /* B in every slot */
	uint64_t bound;
	double out_scale;
	uint8_t key_id[LATHE_KEY_ID_BYTES];
};

/* ---- errors ---- */

/*
 * Passes on the status s of an operation that failed, prefixing its
 * detail with a printf-style context ("lathe_circuit_stats: chunk 2: ...").
 */
lathe_status lt_circ_pass(lathe_status s, const char *fmt, ...) LT_PRINTF(2, 3);

/* ---- columns ---- */

/* Whether name is 1..max-1 bytes of [A-Za-z0-9_.-] (and ':' when colon), NUL-terminated within max. */
int lt_circ_name_ok(const char *name, size_t max, int colon);

/*
 * Checks cols[0..n): valid and distinct names, 0 < scale <= 2^40, finite
 * lo <= hi, and max(|lo|, |hi|) * scale < 2^62 (so that the integer range
 * is exact in int64). LATHE_EINVAL naming the column otherwise.
 */
lathe_status lt_circ_check_columns(const char *fn, const lathe_column *cols, size_t n);

/* The integer range [round(lo * scale), round(hi * scale)] of a checked column. */
void lt_circ_col_range(const lathe_column *c, int64_t *ilo, int64_t *ihi);
/* max(|ilo|, |ihi|) of a checked column. */
uint64_t lt_circ_col_maxabs(const lathe_column *c);

/* Index of the column called name in cols[0..n), or -1. */
long lt_circ_find(const lathe_column *cols, size_t n, const char *name);

/* round(v) half away from zero, as an int64 (|v| < 2^62 assumed). */
int64_t lt_circ_round(double v);

/* ---- bounds ---- */

/* Saturating products and sums of bounds (UINT64_MAX when they do not fit). */
uint64_t lt_circ_mul_sat(uint64_t a, uint64_t b);
uint64_t lt_circ_mul3_sat(uint64_t a, uint64_t b, uint64_t c);
uint64_t lt_circ_add_sat(uint64_t a, uint64_t b);

/* Whether |v| <= bound decodes exactly mod t: 2 bound < t. */
int lt_circ_fits(const lathe_ctx *ctx, uint64_t bound);

/* LATHE_ERANGE naming the item and its bound when it does not fit; LATHE_OK otherwise. */
lathe_status lt_circ_check_bound(const char *fn, const lathe_ctx *ctx, const char *item, uint64_t bound);

/* v mod t, centered: what lathe_ct_mul_scalar and lathe_ct_add_scalar accept. */
int64_t lt_circ_centered(const lathe_ctx *ctx, lt_i128 v);

/* ---- evaluation helpers ---- */

/* ev NULL / t NULL: EINVAL; ev of another context than t's: EMISMATCH. */
lathe_status lt_circ_check_eval(const char *fn, lathe_eval *ev, const lathe_table *t);

/* The level at which the sums over slots run (lathe_circuits_keys). */
unsigned lt_circ_sum_level(const lathe_ctx *ctx);

/*
 * ct = the sum of all its slots, in every slot: switched down to the sum
 * level, then rotated and added over each row (steps 1, 2, 4, ... below the
 * row length) and the two rows (swap): log2(S) rotations (the "total sums"
 * of Halevi, Shoup, "Algorithms in HElib", Crypto 2014). In place;
 * errors passed on.
 */
lathe_status lt_circ_slot_sum(lathe_eval *ev, lathe_ct *ct);

/*
 * out = a ciphertext of the public constant c in every slot, at the sum
 * level: any = any ciphertext of ev's key pair (times 0, plus c).
 */
lathe_status lt_circ_constant(lathe_eval *ev, lathe_ct *out, const lathe_ct *any, int64_t c);

/*
 * lathe_linear_fixed for function fn; idx (may be NULL) gets each weight's
 * column index in cols.
 */
lathe_status lt_circ_linear_fixed(const char *fn, const lathe_linear_model *m, const lathe_column *cols,
                                  size_t n_cols, int64_t *W, int64_t *b, uint64_t *bound, size_t *idx);

/* The context of a public key (pkctx.c). NULL for NULL. */
const lathe_ctx *lt_circ_pk_ctx(const lathe_pk *pk);

/* A table shell of this shape (columns copied, ciphertext slots NULL). LATHE_ENOMEM. */
lathe_status lt_circ_table_alloc(const lathe_ctx *ctx, const lathe_column *cols, size_t n_cols, size_t rows,
                                 lathe_table **out);

/* ---- results ---- */

/*
 * A result of n_items items, none with ciphertexts yet, for a table of
 * `rows` patients (chunks and slots from ctx). Items get their fields from
 * lt_circ_item_set. LATHE_ENOMEM.
 */
lathe_status lt_circ_result_new(const lathe_ctx *ctx, const char *circuit, size_t rows, size_t n_items,
                                const uint8_t key_id[LATHE_KEY_ID_BYTES], lathe_result **out);

/*
 * Names item i, gives it its kind, denominator and bound, and its array of
 * ciphertexts (the result's chunks per patient, 1 for an aggregate), each
 * a fresh ciphertext when alloc, else NULL. LATHE_ENOMEM.
 */
lathe_status lt_circ_item_set(lathe_result *r, size_t i, const char *name, int kind, double denom, uint64_t bound,
                              int alloc);

/*
 * The largest lookup table a circuit evaluates: 2^17 points (its
 * interpolation takes O(points^2) operations, its depth 17 products).
 */
#define LT_CIRC_TABLE_MAX ((uint64_t)1 << 17)

/*
 * The integer threshold ceil(x) clamped into [lo, hi + 1]: every integer v
 * of [lo, hi] has v >= ceil(x) exactly when v >= the result (no conversion
 * of an out-of-range double). lo, hi within +-2^62.
 */
int64_t lt_circ_threshold(double x, int64_t lo, int64_t hi);

/* ceil(log2(d)) for d >= 1; 0 for d <= 1 */
unsigned lt_circ_ceil_log2(uint64_t d);

/* Whether c names a circuit of this layer. */
int lt_circ_circuit_known(const char *c);

#endif
