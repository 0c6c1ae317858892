/*
 * Cohort statistics: the count, sums and sums of squares of columns over
 * the patients meeting conditions. Each condition column's mask is a
 * lookup table over its declared integer range (the conditions on one
 * column become one table); the masks are multiplied as a product tree,
 * then into the values; the chunks are added, then the slots.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* the mask of one condition column: a table over [lo, hi] of the conjunction of its conditions */
typedef struct mask_spec {
	size_t col;
	int64_t lo, hi;
	uint64_t *coeffs; /* hi - lo + 1 */
	int constant_one; /* every value of the range passes: no mask */
} mask_spec;

static void
masks_free(mask_spec *ms, size_t n)
{
	if (ms)
		for (size_t i = 0; i < n; i++)
			free(ms[i].coeffs);
	free(ms);
}

/* the masks of the conditions, one per column they name, in order of first appearance */
static lathe_status
build_masks(const char *fn, const lathe_table *t, const lathe_condition *conds, size_t n_conds, mask_spec **out,
            size_t *n_out)
{
	*out = NULL;
	*n_out = 0;
	if (n_conds == 0)
		return LATHE_OK;
	mask_spec *ms = calloc(n_conds, sizeof(mask_spec));
	if (!ms)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	size_t n = 0;
	lathe_status s = LATHE_OK;
	for (size_t i = 0; i < n_conds && !s; i++) {
		const lathe_condition *c = &conds[i];
		long j = lt_circ_find(t->cols, t->n_cols, c->column);
		if (j < 0)
			s = lt_fail(LATHE_EINVAL, "%s: condition %zu: unknown column '%s'", fn, i,
			            c->column ? c->column : "(null)");
		else if (c->op != LATHE_GE && c->op != LATHE_LT)
			s = lt_fail(LATHE_EINVAL, "%s: condition %zu: op %d is neither LATHE_GE nor LATHE_LT", fn, i, c->op);
		else if (!isfinite(c->threshold))
			s = lt_fail(LATHE_EINVAL, "%s: condition %zu: threshold %g not finite", fn, i, c->threshold);
		if (s)
			break;
		size_t g = 0;
		while (g < n && ms[g].col != (size_t)j)
			g++;
		if (g == n) {
			ms[n].col = (size_t)j;
			lt_circ_col_range(&t->cols[j], &ms[n].lo, &ms[n].hi);
			n++;
		}
	}
	/* the tables: checked for size and depth before any is interpolated */
	for (size_t g = 0; g < n && !s; g++) {
		const lathe_column *col = &t->cols[ms[g].col];
		uint64_t np = (uint64_t)(ms[g].hi - ms[g].lo) + 1;
		if (np > LT_CIRC_TABLE_MAX)
			s = lt_fail(LATHE_EUNSUPPORTED,
			            "%s: the mask of column '%s' is a table of %llu points, beyond the %llu this library "
			            "evaluates",
			            fn, col->name, (unsigned long long)np, (unsigned long long)LT_CIRC_TABLE_MAX);
		else if (lt_circ_ceil_log2(np - 1) > lathe_ctx_max_level(t->ctx))
			s = lt_fail(LATHE_ELEVEL, "%s: the mask of column '%s' needs %u products in sequence, the chain has "
			            "%u levels", fn, col->name, lt_circ_ceil_log2(np - 1), lathe_ctx_max_level(t->ctx));
	}
	for (size_t g = 0; g < n && !s; g++) {
		mask_spec *m = &ms[g];
		size_t np = (size_t)(m->hi - m->lo) + 1;
		int64_t *tab = malloc(np * sizeof(int64_t));
		if (!tab || !(m->coeffs = malloc(np * sizeof(uint64_t)))) {
			free(tab);
			s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
			break;
		}
		for (size_t v = 0; v < np; v++)
			tab[v] = 1;
		for (size_t i = 0; i < n_conds; i++) {
			if (lt_circ_find(t->cols, t->n_cols, conds[i].column) != (long)m->col)
				continue;
			const lathe_column *col = &t->cols[m->col];
			int64_t T = lt_circ_threshold(conds[i].threshold * col->scale, m->lo, m->hi);
			for (size_t v = 0; v < np; v++) {
				int ge = m->lo + (int64_t)v >= T;
				tab[v] &= conds[i].op == LATHE_GE ? ge : !ge;
			}
		}
		m->constant_one = 1;
		for (size_t v = 0; v < np; v++)
			m->constant_one &= tab[v] == 1;
		if (!m->constant_one && (s = lathe_poly_interpolate(t->ctx, m->lo, m->hi, tab, m->coeffs)))
			s = lt_circ_pass(s, "%s: mask of column '%s'", fn, t->cols[m->col].name);
		free(tab);
	}
	if (s) {
		masks_free(ms, n_conds);
		return s;
	}
	*out = ms;
	*n_out = n;
	return LATHE_OK;
}

/* acc = x (first) or acc + x */
static lathe_status
accumulate(lathe_eval *ev, lathe_ct *acc, const lathe_ct *x, int first)
{
	return first ? lathe_ct_copy(acc, x) : lathe_ct_add(ev, acc, acc, x);
}

/* the mask of chunk k: the product tree of the column masks; *have = 0 when every mask is 1 */
static lathe_status
chunk_mask(lathe_eval *ev, const lathe_table *t, const mask_spec *ms, size_t n_ms, size_t k, lathe_ct **m,
           lathe_ct *out, int *have)
{
	lathe_status s = LATHE_OK;
	size_t n = 0;
	for (size_t g = 0; g < n_ms && !s; g++) {
		if (ms[g].constant_one)
			continue;
		const lathe_ct *x = t->cts[ms[g].col * t->chunks + k];
		size_t np = (size_t)(ms[g].hi - ms[g].lo) + 1;
		if ((s = lathe_poly_eval(ev, m[n], x, ms[g].coeffs, np, NULL)))
			s = lt_circ_pass(s, "mask of column '%s' (a table of %zu points)", t->cols[ms[g].col].name, np);
		n++;
	}
	/* a balanced tree: depth ceil(log2 n) over the deepest mask */
	while (!s && n > 1) {
		size_t h = 0;
		for (size_t i = 0; i + 1 < n && !s; i += 2)
			if ((s = lathe_ct_mul(ev, m[h++], m[i], m[i + 1])))
				s = lt_circ_pass(s, "product of the masks");
		if (!s && n % 2)
			s = lathe_ct_copy(m[h++], m[n - 1]);
		n = h;
	}
	*have = n == 1;
	if (!s && n == 1)
		s = lathe_ct_copy(out, m[0]);
	return s;
}

lathe_status
lathe_circuit_stats(lathe_eval *ev, const lathe_table *t, const char *const *columns, size_t n_columns,
                    const lathe_condition *conds, size_t n_conds, lathe_result **out)
{
	const char *fn = "lathe_circuit_stats";
	if (out)
		*out = NULL;
	lathe_status s = lt_circ_check_eval(fn, ev, t);
	if (s)
		return s;
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (n_columns && !columns)
		return lt_fail(LATHE_EINVAL, "%s: argument 'columns' is NULL", fn);
	if (n_conds && !conds)
		return lt_fail(LATHE_EINVAL, "%s: argument 'conds' is NULL", fn);
	if (n_columns > (SIZE_MAX / sizeof(lt_circ_item) - 1) / 2)
		return lt_fail(LATHE_EINVAL, "%s: %zu columns", fn, n_columns);
	const lathe_ctx *ctx = t->ctx;
	size_t *idx = calloc(n_columns ? n_columns : 1, sizeof(size_t));
	if (!idx)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t c = 0; c < n_columns && !s; c++) {
		long j = lt_circ_find(t->cols, t->n_cols, columns[c]);
		if (j < 0)
			s = lt_fail(LATHE_EINVAL, "%s: unknown column '%s'", fn, columns[c] ? columns[c] : "(null)");
		for (size_t d = 0; d < c && !s; d++)
			if (idx[d] == (size_t)j)
				s = lt_fail(LATHE_EINVAL, "%s: column '%s' named twice", fn, columns[c]);
		idx[c] = (size_t)j;
	}
	/* the bounds, before any work: count <= rows, |sum| <= rows max|X|, sumsq <= rows max X^2 */
	const uint64_t rows = t->rows;
	if (!s)
		s = lt_circ_check_bound(fn, ctx, "count", rows);
	for (size_t c = 0; c < n_columns && !s; c++) {
		uint64_t m = lt_circ_col_maxabs(&t->cols[idx[c]]);
		char name[LATHE_ITEM_NAME_MAX];
		snprintf(name, sizeof(name), "sum:%s", t->cols[idx[c]].name);
		if (!(s = lt_circ_check_bound(fn, ctx, name, lt_circ_mul_sat(rows, m)))) {
			snprintf(name, sizeof(name), "sumsq:%s", t->cols[idx[c]].name);
			s = lt_circ_check_bound(fn, ctx, name, lt_circ_mul3_sat(rows, m, m));
		}
	}
	mask_spec *ms = NULL;
	size_t n_ms = 0;
	if (!s)
		s = build_masks(fn, t, conds, n_conds, &ms, &n_ms);
	/* the result's items: count, then sum and sumsq of each column */
	lathe_result *r = NULL;
	if (!s && !(s = lt_circ_result_new(ctx, "stats", t->rows, 1 + 2 * n_columns, t->key_id, &r)))
		s = lt_circ_item_set(r, 0, "count", LATHE_ITEM_AGGREGATE, 1.0, rows, 1);
	for (size_t c = 0; c < n_columns && !s; c++) {
		const lathe_column *col = &t->cols[idx[c]];
		uint64_t m = lt_circ_col_maxabs(col);
		char name[LATHE_ITEM_NAME_MAX];
		snprintf(name, sizeof(name), "sum:%s", col->name);
		s = lt_circ_item_set(r, 1 + 2 * c, name, LATHE_ITEM_AGGREGATE, col->scale, rows * m, 1);
		snprintf(name, sizeof(name), "sumsq:%s", col->name);
		if (!s)
			s = lt_circ_item_set(r, 2 + 2 * c, name, LATHE_ITEM_AGGREGATE, col->scale * col->scale,
			                     rows * m * m, 1);
	}
	/* scratch: n_ms masks, the chunk's mask, a product and a square */
	lathe_ct **m = calloc(n_ms ? n_ms : 1, sizeof(lathe_ct *));
	lathe_ct *mask = NULL, *p = NULL, *sq = NULL;
	lathe_pt *presence = NULL;
	if (!s && !m)
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t g = 0; g < n_ms && !s; g++)
		s = lathe_ct_new(ctx, &m[g]);
	if (!s && !(s = lathe_ct_new(ctx, &mask)) && !(s = lathe_ct_new(ctx, &p)))
		s = lathe_ct_new(ctx, &sq);
	const size_t S = t->slots, tail = t->rows % S;
	if (!s && tail) {
		/* public: 1 for the patients of the last chunk, 0 for its padding */
		int64_t *one = malloc(tail * sizeof(int64_t));
		if (!one)
			s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		for (size_t i = 0; i < tail && !s; i++)
			one[i] = 1;
		if (!s && !(s = lathe_pt_new(ctx, &presence)))
			s = lathe_encode(presence, one, tail);
		free(one);
	}
	int have = 0;
	for (size_t k = 0; k < t->chunks && !s; k++) {
		const int first = k == 0;
		if ((s = chunk_mask(ev, t, ms, n_ms, k, m, mask, &have))) {
			s = lt_circ_pass(s, "%s: chunk %zu", fn, k);
			break;
		}
		if (have) {
			/*
			 * A table's value outside its range is unspecified, and the
			 * padding slots hold 0, maybe outside: the count keeps only the
			 * patients. The sums need no such care (X = 0 there).
			 */
			if (k + 1 == t->chunks && tail)
				s = lathe_ct_mul_plain(ev, p, mask, presence);
			else
				s = lathe_ct_copy(p, mask);
			if (!s)
				s = accumulate(ev, r->items[0].cts[0], p, first);
			if (s)
				s = lt_circ_pass(s, "%s: chunk %zu: count", fn, k);
		}
		for (size_t c = 0; c < n_columns && !s; c++) {
			const lathe_ct *x = t->cts[idx[c] * t->chunks + k];
			if (!(s = have ? lathe_ct_mul(ev, p, mask, x) : lathe_ct_copy(p, x)) &&
			    !(s = accumulate(ev, r->items[1 + 2 * c].cts[0], p, first)) && !(s = lathe_ct_square(ev, sq, x)) &&
			    !(s = have ? lathe_ct_mul(ev, sq, mask, sq) : LATHE_OK))
				s = accumulate(ev, r->items[2 + 2 * c].cts[0], sq, first);
			if (s)
				s = lt_circ_pass(s, "%s: chunk %zu: column '%s'", fn, k, t->cols[idx[c]].name);
		}
	}
	/* the count of all patients is public: a constant */
	if (!s && !have)
		s = lt_circ_constant(ev, r->items[0].cts[0], t->cts[0], (int64_t)rows);
	for (size_t i = have ? 0 : 1; r && i < r->n_items && !s; i++)
		if ((s = lt_circ_slot_sum(ev, r->items[i].cts[0])))
			s = lt_circ_pass(s, "%s: item '%s'", fn, r->items[i].name);
	if (m)
		for (size_t g = 0; g < n_ms; g++)
			lathe_ct_free(m[g]);
	free(m);
	lathe_ct_free(mask);
	lathe_ct_free(p);
	lathe_ct_free(sq);
	lathe_pt_free(presence);
	masks_free(ms, n_ms);
	free(idx);
	if (s) {
		lathe_result_free(r);
		return s;
	}
	*out = r;
	return LATHE_OK;
}

lathe_status
lathe_stats_finish(const lathe_result *r, const int64_t *values, const char *column, int64_t *count, double *sum,
                   double *mean, double *variance)
{
	const char *fn = "lathe_stats_finish";
	if (!r || !values || !column)
		return lt_fail(LATHE_EINVAL, "%s: argument '%s' is NULL", fn, !r ? "r" : !values ? "values" : "column");
	if (strcmp(r->circuit, "stats") != 0)
		return lt_fail(LATHE_EINVAL, "%s: a result of circuit '%s', not 'stats'", fn, r->circuit);
	char name[LATHE_ITEM_NAME_MAX];
	long ic = lathe_result_find(r, "count");
	snprintf(name, sizeof(name), "sum:%s", column);
	long is = lathe_result_find(r, name);
	snprintf(name, sizeof(name), "sumsq:%s", column);
	long iq = lathe_result_find(r, name);
	if (ic < 0 || is < 0 || iq < 0)
		return lt_fail(LATHE_EINVAL, "%s: the result has no sums of column '%s'", fn, column);
	const long ids[3] = { ic, is, iq };
	for (int i = 0; i < 3; i++) {
		int64_t v = values[ids[i]];
		uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
		if (a > r->items[ids[i]].bound)
			return lt_fail(LATHE_EINVAL, "%s: value %lld of item '%s' beyond its bound %llu", fn, (long long)v,
			               r->items[ids[i]].name, (unsigned long long)r->items[ids[i]].bound);
	}
	const int64_t n = values[ic], sx = values[is], sxx = values[iq];
	if (n < 0 || sxx < 0)
		return lt_fail(LATHE_EINVAL, "%s: a negative count or sum of squares (%lld, %lld)", fn, (long long)n,
		               (long long)sxx);
	if (count)
		*count = n;
	if (n == 0)
		return lt_fail(LATHE_ERANGE, "%s: no patient met the conditions: mean and variance undefined", fn);
	/* n sum X^2 - (sum X)^2 >= 0, exact in 128 bits (each factor below 2^63) */
	lt_i128 num = (lt_i128)n * sxx - (lt_i128)sx * sx;
	if (num < 0)
		return lt_fail(LATHE_EINVAL, "%s: inconsistent sums (n sumsq < sum^2)", fn);
	const double scale = r->items[is].denom;
	if (sum)
		*sum = (double)sx / scale;
	if (mean)
		*mean = (double)sx / ((double)n * scale);
	if (variance)
		*variance = (double)num / ((double)n * (double)n * scale * scale);
	return LATHE_OK;
}
