/*
 * What every circuit uses: error details, column checks and fixed-point
 * ranges, exact bounds, the sums over slots and the evaluation keys they
 * need (lathe_circuits_keys).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <lathe/multiparty.h>

#include "internal.h"

lathe_status
lt_circ_pass(lathe_status s, const char *fmt, ...)
{
	/* the detail of the failed operation, copied before lt_fail overwrites it */
	char inner[512], prefix[256];
	snprintf(inner, sizeof(inner), "%s", lathe_last_error());
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (inner[0])
		return lt_fail(s, "%s: %s", prefix, inner);
	return lt_fail(s, "%s: %s", prefix, lathe_strerror(s));
}

/* ---- columns ---- */

int
lt_circ_name_ok(const char *name, size_t max, int colon)
{
	size_t n = 0;
	for (; n < max && name[n]; n++) {
		char c = name[n];
		int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		         c == '.' || c == '-' || (colon && c == ':');
		if (!ok)
			return 0;
	}
	return n > 0 && n < max;
}

#define TWO40 1099511627776.0        /* 2^40 */
#define TWO62 4611686018427387904.0  /* 2^62 */

lathe_status
lt_circ_check_columns(const char *fn, const lathe_column *cols, size_t n)
{
	if (!cols)
		return lt_fail(LATHE_EINVAL, "%s: argument 'cols' is NULL", fn);
	if (n == 0)
		return lt_fail(LATHE_EINVAL, "%s: no columns", fn);
	for (size_t j = 0; j < n; j++) {
		const lathe_column *c = &cols[j];
		if (!lt_circ_name_ok(c->name, LATHE_NAME_MAX, 0))
			return lt_fail(LATHE_EINVAL,
			               "%s: column %zu: name empty, longer than %d bytes or not of [A-Za-z0-9_.-]", fn, j,
			               LATHE_NAME_MAX - 1);
		for (size_t i = 0; i < j; i++)
			if (strcmp(cols[i].name, c->name) == 0)
				return lt_fail(LATHE_EINVAL, "%s: columns %zu and %zu are both called '%s'", fn, i, j,
				               c->name);
		if (!isfinite(c->scale) || !(c->scale > 0) || c->scale > TWO40)
			return lt_fail(LATHE_EINVAL, "%s: column '%s': scale %g not in (0, 2^40]", fn, c->name, c->scale);
		if (!isfinite(c->lo) || !isfinite(c->hi) || c->lo > c->hi)
			return lt_fail(LATHE_EINVAL, "%s: column '%s': range [%g, %g] not finite or empty", fn, c->name,
			               c->lo, c->hi);
		double m = fmax(fabs(c->lo), fabs(c->hi)) * c->scale;
		if (!(m < TWO62))
			return lt_fail(LATHE_EINVAL, "%s: column '%s': range [%g, %g] at scale %g exceeds 2^62", fn,
			               c->name, c->lo, c->hi, c->scale);
	}
	return LATHE_OK;
}

int64_t
lt_circ_round(double v)
{
	/* C's round() rounds halfway cases away from zero */
	return (int64_t)round(v);
}

void
lt_circ_col_range(const lathe_column *c, int64_t *ilo, int64_t *ihi)
{
	/* v -> round(v * scale) is monotone, so [lo, hi] maps into [ilo, ihi] */
	*ilo = lt_circ_round(c->lo * c->scale);
	*ihi = lt_circ_round(c->hi * c->scale);
}

static uint64_t
absu(int64_t v)
{
	return v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
}

uint64_t
lt_circ_col_maxabs(const lathe_column *c)
{
	int64_t lo, hi;
	lt_circ_col_range(c, &lo, &hi);
	uint64_t a = absu(lo), b = absu(hi);
	return a > b ? a : b;
}

long
lt_circ_find(const lathe_column *cols, size_t n, const char *name)
{
	if (!name)
		return -1;
	for (size_t j = 0; j < n; j++)
		if (strncmp(cols[j].name, name, LATHE_NAME_MAX) == 0)
			return (long)j;
	return -1;
}

/* ---- bounds ---- */

uint64_t
lt_circ_mul_sat(uint64_t a, uint64_t b)
{
	lt_u128 p = (lt_u128)a * b;
	return p > UINT64_MAX ? UINT64_MAX : (uint64_t)p;
}

uint64_t
lt_circ_mul3_sat(uint64_t a, uint64_t b, uint64_t c)
{
	return lt_circ_mul_sat(lt_circ_mul_sat(a, b), c);
}

uint64_t
lt_circ_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

int
lt_circ_fits(const lathe_ctx *ctx, uint64_t bound)
{
	/* |v| <= (t - 1) / 2 decodes to v: the centered range of lathe_decode */
	uint64_t t = lathe_ctx_plain_modulus(ctx);
	return bound <= (t - 1) / 2;
}

lathe_status
lt_circ_check_bound(const char *fn, const lathe_ctx *ctx, const char *item, uint64_t bound)
{
	if (lt_circ_fits(ctx, bound))
		return LATHE_OK;
	uint64_t t = lathe_ctx_plain_modulus(ctx);
	if (bound == UINT64_MAX)
		return lt_fail(LATHE_ERANGE, "%s: the bound on |%s| exceeds 2^64, t = %llu", fn, item,
		               (unsigned long long)t);
	return lt_fail(LATHE_ERANGE,
	               "%s: the bound on |%s| is %llu, at or beyond t/2 (t = %llu): the result could wrap around mod t",
	               fn, item, (unsigned long long)bound, (unsigned long long)t);
}

int64_t
lt_circ_centered(const lathe_ctx *ctx, lt_i128 v)
{
	lt_i128 t = (lt_i128)lathe_ctx_plain_modulus(ctx);
	lt_i128 r = v % t;
	if (r < 0)
		r += t;
	if (r > (t - 1) / 2)
		r -= t;
	return (int64_t)r;
}

/* ---- evaluation ---- */

lathe_status
lt_circ_check_eval(const char *fn, lathe_eval *ev, const lathe_table *t)
{
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ev' is NULL", fn);
	if (!t)
		return lt_fail(LATHE_EINVAL, "%s: argument 't' is NULL", fn);
	if (lathe_eval_ctx(ev) != t->ctx)
		return lt_fail(LATHE_EMISMATCH, "%s: the evaluator and the table belong to different contexts", fn);
	return LATHE_OK;
}

unsigned
lt_circ_sum_level(const lathe_ctx *ctx)
{
	/*
	 * Level 1 (q_0 q_1): at level 0 a ciphertext switched down keeps only a
	 * few bits of budget (about 5 estimated, N = 2^12 and 2^15, t ~ 2^28),
	 * less than the doubling of each of the log2(slots) rotate-and-add
	 * steps costs; at level 1 about 37 estimated bits remain after all of
	 * them, room for 2^30 further additions (chunks, hospitals).
	 */
	const unsigned top = lathe_ctx_max_level(ctx);
	unsigned l = top >= 1 ? 1u : 0u;
	/*
	 * Keys shared by parties (lathe/multiparty.h): a collective decryption
	 * floods each share with LATHE_MP_SMUDGE_BITS + log2(N n) bits more
	 * noise than the result carries, so the sums run that many bits of
	 * modulus higher (collective Galois keys are full-level keys).
	 */
	lathe_context_info info;
	if (l == 1 && lathe_ctx_info(ctx, &info) == LATHE_OK && info.parties > 1) {
		const double need = LATHE_MP_SMUDGE_BITS + log2((double)info.n * info.parties) + 2;
		while (l < top && info.log2_q[l] - info.log2_q[1] < need)
			l++;
	}
	return l;
}

/* the slots as rows x cols (2 x S/2, or 1 x S); 0 when no batching */
static lathe_status
slot_shape(const lathe_ctx *ctx, size_t *rows, size_t *cols)
{
	lathe_context_info info;
	lathe_status s = lathe_ctx_info(ctx, &info);
	if (s)
		return s;
	*rows = info.slot_rows;
	*cols = info.slot_cols;
	return LATHE_OK;
}

lathe_status
lathe_circuits_keys(const lathe_ctx *ctx, int *steps, size_t cap, size_t *n, unsigned *level)
{
	const char *fn = "lathe_circuits_keys";
	if (!ctx)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ctx' is NULL", fn);
	if (!n)
		return lt_fail(LATHE_EINVAL, "%s: argument 'n' is NULL", fn);
	size_t rows = 0, cols = 0;
	lathe_status s = slot_shape(ctx, &rows, &cols);
	if (s)
		return lt_circ_pass(s, "%s", fn);
	if (lathe_ctx_slots(ctx) == 0 || rows == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no batch slots", fn);
	size_t k = 0;
	for (size_t step = 1; step < cols; step <<= 1) {
		if (steps && k < cap)
			steps[k] = (int)step;
		k++;
	}
	if (rows == 2) {
		if (steps && k < cap)
			steps[k] = 0;
		k++;
	}
	*n = k;
	if (level)
		*level = lt_circ_sum_level(ctx);
	return LATHE_OK;
}

lathe_status
lt_circ_slot_sum(lathe_eval *ev, lathe_ct *ct)
{
	const lathe_ctx *ctx = lathe_eval_ctx(ev);
	size_t rows = 0, cols = 0;
	lathe_status s = slot_shape(ctx, &rows, &cols);
	if (s)
		return s;
	unsigned l = lt_circ_sum_level(ctx);
	if (lathe_ct_level(ct) > l && (s = lathe_ct_mod_switch_to(ev, ct, ct, l)))
		return lt_circ_pass(s, "switching the sum down to level %u", l);
	lathe_ct *r = NULL;
	if ((s = lathe_ct_new_at(ctx, lathe_ct_level(ct), &r)))
		return s;
	/* after the step of size k every slot holds the sum of 2k consecutive slots of its row */
	for (size_t step = 1; step < cols && !s; step <<= 1) {
		s = lathe_ct_rotate(ev, r, ct, (int)step);
		if (!s)
			s = lathe_ct_add(ev, ct, ct, r);
		if (s)
			s = lt_circ_pass(s, "sum over slots, rotation by %zu", step);
	}
	if (!s && rows == 2) {
		s = lathe_ct_swap_rows(ev, r, ct);
		if (!s)
			s = lathe_ct_add(ev, ct, ct, r);
		if (s)
			s = lt_circ_pass(s, "sum over slots, row swap");
	}
	lathe_ct_free(r);
	return s;
}

lathe_status
lt_circ_constant(lathe_eval *ev, lathe_ct *out, const lathe_ct *any, int64_t c)
{
	/* a public value: the product by 0 carries no data and no noise */
	lathe_status s = lathe_ct_mul_scalar(ev, out, any, 0);
	if (!s)
		s = lathe_ct_add_scalar(ev, out, out, c);
	unsigned l = lt_circ_sum_level(lathe_eval_ctx(ev));
	if (!s && lathe_ct_level(out) > l)
		s = lathe_ct_mod_switch_to(ev, out, out, l);
	return s;
}

int
lt_circ_circuit_known(const char *c)
{
	static const char *const names[] = { "linear", "linear-enc", "logistic", "stats", "regression" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(c, names[i]) == 0)
			return 1;
	return 0;
}

unsigned
lt_circ_ceil_log2(uint64_t d)
{
	unsigned r = 0;
	while (r < 64 && ((uint64_t)1 << r) < d)
		r++;
	return r;
}
