/*
 * Encrypted patient tables: fixed-point encoding of each column, patients
 * in batch slots, column-major, ceil(rows / S) ciphertexts per column.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "internal.h"

lathe_status
lathe_column_choose_scale(double lo, double hi, unsigned bits, double *scale)
{
	const char *fn = "lathe_column_choose_scale";
	if (!scale)
		return lt_fail(LATHE_EINVAL, "%s: argument 'scale' is NULL", fn);
	if (!isfinite(lo) || !isfinite(hi) || lo > hi)
		return lt_fail(LATHE_EINVAL, "%s: range [%g, %g] not finite or empty", fn, lo, hi);
	if (bits < 1 || bits > 40)
		return lt_fail(LATHE_EINVAL, "%s: bits = %u not in [1, 40]", fn, bits);
	/* the nearest doubles to the powers of ten, largest first */
	static const double pow10[] = { 1e12, 1e11, 1e10, 1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3,
		                        1e2,  1e1,  1e0,  1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6 };
	const double m = fmax(fabs(lo), fabs(hi));
	const double cap = ldexp(1.0, (int)bits) - 1.0;
	for (size_t i = 0; i < sizeof(pow10) / sizeof(pow10[0]); i++)
		if (m * pow10[i] <= cap) {
			*scale = pow10[i];
			return LATHE_OK;
		}
	return lt_fail(LATHE_ERANGE, "%s: max(|lo|, |hi|) = %g needs more than %u bits even at scale 1e-6", fn, m,
	               bits);
}

static void
table_free_cts(lathe_table *t)
{
	if (t->cts)
		for (size_t i = 0; i < t->n_cols * t->chunks; i++)
			lathe_ct_free(t->cts[i]);
	free(t->cts);
	t->cts = NULL;
}

void
lathe_table_free(lathe_table *t)
{
	if (!t)
		return;
	table_free_cts(t);
	free(t->cols);
	free(t);
}

lathe_status
lt_circ_table_alloc(const lathe_ctx *ctx, const lathe_column *cols, size_t n_cols, size_t rows, lathe_table **out)
{
	size_t S = lathe_ctx_slots(ctx);
	lathe_table *t = calloc(1, sizeof(*t));
	if (!t)
		return lt_fail(LATHE_ENOMEM, "lathe_table: out of memory");
	t->ctx = ctx;
	t->rows = rows;
	t->n_cols = n_cols;
	t->slots = S;
	t->chunks = rows / S + (rows % S != 0);
	t->cols = calloc(n_cols, sizeof(lathe_column));
	if (t->cols)
		memcpy(t->cols, cols, n_cols * sizeof(lathe_column));
	if (t->cols && t->chunks <= SIZE_MAX / sizeof(lathe_ct *) / n_cols)
		t->cts = calloc(n_cols * t->chunks, sizeof(lathe_ct *));
	if (!t->cts) {
		lathe_table_free(t);
		return lt_fail(LATHE_ENOMEM, "lathe_table: out of memory");
	}
	*out = t;
	return LATHE_OK;
}

lathe_status
lathe_table_encrypt(const lathe_pk *pk, const lathe_column *cols, size_t n_cols, const double *values, size_t rows,
                    lathe_table **out)
{
	const char *fn = "lathe_table_encrypt";
	if (out)
		*out = NULL;
	if (!pk)
		return lt_fail(LATHE_EINVAL, "%s: argument 'pk' is NULL", fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!values)
		return lt_fail(LATHE_EINVAL, "%s: argument 'values' is NULL", fn);
	if (rows == 0)
		return lt_fail(LATHE_EINVAL, "%s: no rows", fn);
	lathe_status s = lt_circ_check_columns(fn, cols, n_cols);
	if (s)
		return s;
	if (rows > SIZE_MAX / n_cols)
		return lt_fail(LATHE_EINVAL, "%s: %zu rows x %zu columns overflow", fn, rows, n_cols);
	const lathe_ctx *ctx = lt_circ_pk_ctx(pk);
	const size_t S = lathe_ctx_slots(ctx);
	if (S == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batch slots", fn);
	/* every check before any encryption: ranges that decode exactly, values inside them */
	for (size_t j = 0; j < n_cols; j++)
		if (!lt_circ_fits(ctx, lt_circ_col_maxabs(&cols[j])))
			return lt_fail(LATHE_ERANGE,
			               "%s: column '%s': range [%g, %g] at scale %g gives integers up to %llu in "
			               "absolute value, beyond (t - 1) / 2 = %llu",
			               fn, cols[j].name, cols[j].lo, cols[j].hi, cols[j].scale,
			               (unsigned long long)lt_circ_col_maxabs(&cols[j]),
			               (unsigned long long)((lathe_ctx_plain_modulus(ctx) - 1) / 2));
	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < n_cols; j++) {
			double v = values[i * n_cols + j];
			if (isnan(v) || v < cols[j].lo || v > cols[j].hi)
				return lt_fail(LATHE_ERANGE, "%s: row %zu, column '%s' (%zu): value %g outside [%g, %g]", fn,
				               i, cols[j].name, j, v, cols[j].lo, cols[j].hi);
		}
	lathe_table *t = NULL;
	if ((s = lt_circ_table_alloc(ctx, cols, n_cols, rows, &t)))
		return s;
	if ((s = lathe_pk_key_id(pk, t->key_id))) {
		lathe_table_free(t);
		return lt_circ_pass(s, "%s", fn);
	}
	int64_t *slot = malloc(S * sizeof(int64_t));
	lathe_pt *pt = NULL;
	if (!slot || (s = lathe_pt_new(ctx, &pt))) {
		free(slot);
		lathe_table_free(t);
		return s ? lt_circ_pass(s, "%s", fn) : lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	for (size_t j = 0; j < n_cols && !s; j++)
		for (size_t k = 0; k < t->chunks && !s; k++) {
			size_t first = k * S, n = rows - first < S ? rows - first : S;
			for (size_t i = 0; i < n; i++)
				slot[i] = lt_circ_round(values[(first + i) * n_cols + j] * cols[j].scale);
			lathe_ct **ct = &t->cts[j * t->chunks + k];
			/* slots n..S-1 are 0: lathe_encode fills what it is not given with 0 */
			s = lathe_encode(pt, slot, n);
			if (!s)
				s = lathe_ct_new(ctx, ct);
			if (!s)
				s = lathe_encrypt(pk, *ct, pt);
			if (s)
				s = lt_circ_pass(s, "%s: column '%s', chunk %zu", fn, cols[j].name, k);
		}
	lathe_pt_free(pt);
	/* the encoded values are the patients' data */
	sodium_memzero(slot, S * sizeof(int64_t));
	free(slot);
	if (s) {
		lathe_table_free(t);
		return s;
	}
	*out = t;
	return LATHE_OK;
}

size_t
lathe_table_rows(const lathe_table *t)
{
	return t ? t->rows : 0;
}

size_t
lathe_table_cols(const lathe_table *t)
{
	return t ? t->n_cols : 0;
}

const lathe_column *
lathe_table_column(const lathe_table *t, size_t j)
{
	return t && j < t->n_cols ? &t->cols[j] : NULL;
}

long
lathe_table_find(const lathe_table *t, const char *name)
{
	return t ? lt_circ_find(t->cols, t->n_cols, name) : -1;
}

size_t
lathe_table_chunks(const lathe_table *t)
{
	return t ? t->chunks : 0;
}

const lathe_ct *
lathe_table_ct(const lathe_table *t, size_t j, size_t k)
{
	return t && j < t->n_cols && k < t->chunks ? t->cts[j * t->chunks + k] : NULL;
}
