/*
 * Sufficient statistics of least squares with an intercept: the sums
 * n, sum X_A, sum X_A X_B, sum Y, sum X_A Y and sum Y^2 over the patients,
 * one ciphertext product each (the padding slots hold 0 in every column,
 * so every product is 0 there and no mask is needed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct reg_item {
	char name[LATHE_ITEM_NAME_MAX];
	double denom;
	uint64_t bound;
	long a, b; /* column indices into the table: -1 for none (a product of a and b, or a alone) */
} reg_item;

lathe_status
lathe_circuit_regression(lathe_eval *ev, const lathe_table *t, const char *const *columns, size_t n_columns,
                         const char *target, lathe_result **out)
{
	const char *fn = "lathe_circuit_regression";
	if (out)
		*out = NULL;
	lathe_status s = lt_circ_check_eval(fn, ev, t);
	if (s)
		return s;
	if (!out || !columns || !target)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !out ? "out" : !columns ? "columns" : "target");
	if (n_columns == 0 || n_columns > 1024)
		return lt_fail(LATHE_EINVAL, "%s: %zu columns (1 to 1024)", fn, n_columns);
	const lathe_ctx *ctx = t->ctx;
	const size_t p = n_columns;
	long *idx = calloc(p, sizeof(long));
	if (!idx)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	const long y = lt_circ_find(t->cols, t->n_cols, target);
	if (y < 0)
		s = lt_fail(LATHE_EINVAL, "%s: unknown target column '%s'", fn, target);
	for (size_t c = 0; c < p && !s; c++) {
		idx[c] = lt_circ_find(t->cols, t->n_cols, columns[c]);
		if (idx[c] < 0)
			s = lt_fail(LATHE_EINVAL, "%s: unknown column '%s'", fn, columns[c] ? columns[c] : "(null)");
		else if (idx[c] == y)
			s = lt_fail(LATHE_EINVAL, "%s: column '%s' is the target", fn, columns[c]);
		for (size_t d = 0; d < c && !s; d++)
			if (idx[d] == idx[c])
				s = lt_fail(LATHE_EINVAL, "%s: column '%s' named twice", fn, columns[c]);
	}
	if (s) {
		free(idx);
		return s;
	}
	/* n, sx (p), sxx (p (p + 1) / 2), sy, sxy (p), syy */
	const size_t n_items = 3 + 2 * p + p * (p + 1) / 2;
	reg_item *it = calloc(n_items, sizeof(reg_item));
	if (!it) {
		free(idx);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	const uint64_t rows = t->rows;
	const lathe_column *cy = &t->cols[y];
	const uint64_t my = lt_circ_col_maxabs(cy);
	size_t n = 0;
	it[n++] = (reg_item){ .name = "n", .denom = 1.0, .bound = rows, .a = -1, .b = -1 };
	for (size_t c = 0; c < p; c++) {
		const lathe_column *ca = &t->cols[idx[c]];
		snprintf(it[n].name, sizeof(it[n].name), "sx:%s", ca->name);
		it[n].denom = ca->scale;
		it[n].bound = lt_circ_mul_sat(rows, lt_circ_col_maxabs(ca));
		it[n].a = idx[c];
		it[n++].b = -1;
	}
	for (size_t c = 0; c < p; c++)
		for (size_t d = c; d < p; d++) {
			const lathe_column *ca = &t->cols[idx[c]], *cb = &t->cols[idx[d]];
			snprintf(it[n].name, sizeof(it[n].name), "sxx:%s:%s", ca->name, cb->name);
			it[n].denom = ca->scale * cb->scale;
			it[n].bound = lt_circ_mul3_sat(rows, lt_circ_col_maxabs(ca), lt_circ_col_maxabs(cb));
			it[n].a = idx[c];
			it[n++].b = idx[d];
		}
	it[n++] = (reg_item){ .name = "sy", .denom = cy->scale, .bound = lt_circ_mul_sat(rows, my), .a = y, .b = -1 };
	for (size_t c = 0; c < p; c++) {
		const lathe_column *ca = &t->cols[idx[c]];
		snprintf(it[n].name, sizeof(it[n].name), "sxy:%s", ca->name);
		it[n].denom = ca->scale * cy->scale;
		it[n].bound = lt_circ_mul3_sat(rows, lt_circ_col_maxabs(ca), my);
		it[n].a = idx[c];
		it[n++].b = y;
	}
	it[n++] = (reg_item){ .name = "syy", .denom = cy->scale * cy->scale, .bound = lt_circ_mul3_sat(rows, my, my),
		              .a = y, .b = y };
	/* every bound before any work */
	for (size_t i = 0; i < n_items && !s; i++)
		s = lt_circ_check_bound(fn, ctx, it[i].name, it[i].bound);
	lathe_result *r = NULL;
	if (!s)
		s = lt_circ_result_new(ctx, "regression", t->rows, n_items, t->key_id, &r);
	for (size_t i = 0; i < n_items && !s; i++)
		s = lt_circ_item_set(r, i, it[i].name, LATHE_ITEM_AGGREGATE, it[i].denom, it[i].bound, 1);
	lathe_ct *prod = NULL;
	const unsigned sl = lt_circ_sum_level(ctx);
	if (!s)
		s = lathe_ct_new(ctx, &prod);
	for (size_t k = 0; k < t->chunks && !s; k++)
		for (size_t i = 1; i < n_items && !s; i++) {
			const lathe_ct *xa = t->cts[(size_t)it[i].a * t->chunks + k];
			lathe_ct *acc = r->items[i].cts[0];
			if (it[i].b < 0)
				s = k == 0 ? lathe_ct_copy(acc, xa) : lathe_ct_add(ev, acc, acc, xa);
			else {
				const lathe_ct *xb = t->cts[(size_t)it[i].b * t->chunks + k];
				/*
				 * the tensor product at the operands' level, relinearized after the
				 * switch down to the level of the sums, where key switching costs
				 * a few primes instead of the whole chain
				 */
				s = lathe_ct_mul_raw(ev, prod, xa, xb);
				if (!s && lathe_ct_level(prod) > sl)
					s = lathe_ct_mod_switch_to(ev, prod, prod, sl);
				if (!s)
					s = lathe_ct_relin(ev, prod, prod);
				if (!s)
					s = k == 0 ? lathe_ct_copy(acc, prod) : lathe_ct_add(ev, acc, acc, prod);
			}
			if (s)
				s = lt_circ_pass(s, "%s: chunk %zu: item '%s'", fn, k, it[i].name);
		}
	/* n is the public row count */
	if (!s)
		s = lt_circ_constant(ev, r->items[0].cts[0], t->cts[0], (int64_t)rows);
	for (size_t i = 1; i < n_items && !s; i++)
		if ((s = lt_circ_slot_sum(ev, r->items[i].cts[0])))
			s = lt_circ_pass(s, "%s: item '%s'", fn, it[i].name);
	lathe_ct_free(prod);
	free(it);
	free(idx);
	if (s) {
		lathe_result_free(r);
		return s;
	}
	*out = r;
	return LATHE_OK;
}
