/*
 * Linear transforms over the public BGV API: generalized diagonals
 * evaluated baby-step/giant-step with hoisted rotations (Halevi, Shoup,
 * "Algorithms in HElib", Crypto 2014; "Faster homomorphic linear
 * transformations in HElib", Crypto 2018): one rotation set of the
 * baby steps of the input, one lathe_rotset_dot (one ModDown) and one
 * rotation per giant step.
 *
 * The planner sees only the shape (the diagonal indices), so the plan, the
 * cost it reports and the operations the evaluation makes are one thing;
 * the values are pre-rotated in the clear and prepared once.
 */
#include <lathe.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mem.h"
#include "sumorder.h"

/* the longest rows of any ring lathe supports (N = 2^17) */
#define MAX_ROW ((size_t)1 << 16)
/* shapes with count * n up to this are planned over every B in [1, n] */
#define EXHAUSTIVE_WORK ((size_t)1 << 22)

/* a listed diagonal: half s (0: of x, 1: of swap(x)) and index k in [0, n) */
typedef struct diag_ix {
	size_t k;
	unsigned s;
} diag_ix;

/*
 * The planner's state: the reduced indices and stamp arrays over baby steps
 * and giant steps of both halves (an entry is set when it holds the current
 * epoch, so that counting one B costs O(count), not O(n)).
 */
typedef struct planner {
	size_t n;
	size_t count;
	diag_ix *ix;
	uint32_t *stamp; /* 6 n: baby[0], baby[1], giant[0], giant[1], keyed[0], keyed[1] */
	uint32_t epoch;
} planner;

struct lathe_lintrans {
	const lathe_ctx *ctx;
	size_t n;
	unsigned level;
	lathe_lintrans_stats st;
	size_t nbaby[2];           /* rotation-set steps of x and of swap(x) */
	int *baby[2];
	size_t ngiant;
	int *gstep;                /* g*B of each giant step in use, ascending */
	lathe_prepared_pt **w[2];  /* w[s][gi * nbaby[s] + bi]; NULL: a zero weight */
	int *steps;                /* what lathe_lintrans_steps lists */
	size_t nsteps;
};

static uint32_t *
stamp_of(const planner *p, unsigned what, unsigned s)
{
	return p->stamp + (size_t)(2 * what + s) * p->n;
}

static void
planner_clear(planner *p)
{
	free(p->ix);
	free(p->stamp);
	memset(p, 0, sizeof(*p));
}

/* counts the plan with B baby steps into *st; leaves the stamps of this B set */
static void
plan_count(planner *p, size_t B, lathe_lintrans_stats *st)
{
	const uint32_t ep = ++p->epoch;
	uint32_t *bs[2] = { stamp_of(p, 0, 0), stamp_of(p, 0, 1) };
	uint32_t *gs[2] = { stamp_of(p, 1, 0), stamp_of(p, 1, 1) };
	uint32_t *ks[2] = { stamp_of(p, 2, 0), stamp_of(p, 2, 1) };
	size_t babnz[2] = { 0, 0 }, keys = 0, dots = 0, keyed = 0, giants = 0, grot = 0, swap = 0;
	for (size_t j = 0; j < p->count; j++) {
		const unsigned s = p->ix[j].s;
		const size_t b = p->ix[j].k % B, g = p->ix[j].k / B;
		if (bs[s][b] != ep) {
			bs[s][b] = ep;
			if (b) {
				babnz[s]++;
				keys += bs[1 - s][b] != ep; /* one key serves the step in both sets */
			}
		}
		if (gs[s][g] != ep) {
			gs[s][g] = ep;
			dots++;
			if (gs[1 - s][g] != ep) {
				giants++;
				grot += g != 0;
			}
		}
		/* a dot product with a weight on a rotated term ends in a ModDown */
		if (b && ks[s][g] != ep) {
			ks[s][g] = ep;
			keyed++;
		}
		swap |= s;
	}
	memset(st, 0, sizeof(*st));
	st->baby_steps = B;
	st->giant_steps = giants;
	st->baby_rotations = babnz[0] + babnz[1];
	st->giant_rotations = grot;
	st->row_swaps = swap;
	st->key_switches = st->baby_rotations + grot + swap;
	st->decompositions = (babnz[0] != 0) + (babnz[1] != 0) + grot + swap;
	st->moddowns = keyed + grot + swap;
	st->pt_muls = p->count;
	st->additions = dots - 1;
	st->galois_keys = keys + grot + swap;
}

/* whether plan a is better than plan b: fewer key switches, then fewer ModDowns */
static int
better(const lathe_lintrans_stats *a, const lathe_lintrans_stats *b)
{
	if (a->key_switches != b->key_switches)
		return a->key_switches < b->key_switches;
	return a->moddowns < b->moddowns;
}

/* the candidate B after B: every B up to lim, then the powers of two, then n */
static size_t
next_candidate(size_t B, size_t lim, size_t n)
{
	if (B < lim)
		return B + 1;
	if (B >= n)
		return n + 1;
	size_t q = 1;
	while (q <= B)
		q <<= 1;
	return q < n ? q : n;
}

/*
 * Checks and reduces the shape, then plans: B = baby, or (baby == 0) the
 * best B, searched in ascending order so that ties go to the smaller B.
 * On success the planner holds the stamps of the chosen B.
 */
static lathe_status
plan(const char *fn, planner *p, size_t n, int full, const int *diags, size_t count, size_t baby,
     lathe_lintrans_stats *st)
{
	memset(p, 0, sizeof(*p));
	if (!diags)
		return lt_fail(LATHE_EINVAL, "%s: argument 'diags' is NULL", fn);
	if (n == 0 || n > MAX_ROW)
		return lt_fail(LATHE_EINVAL, "%s: row length n = %zu not in [1, 2^16]", fn, n);
	if (count == 0)
		return lt_fail(LATHE_EINVAL, "%s: no diagonals (count is 0)", fn);
	if (baby > n)
		return lt_fail(LATHE_EINVAL, "%s: %zu baby steps for rows of %zu slots", fn, baby, n);
	const size_t m = full ? 2 * n : n;
	if (count > m)
		return lt_fail(LATHE_EINVAL, "%s: %zu diagonals, but only %zu distinct ones exist", fn, count, m);
	p->n = n;
	p->count = count;
	p->ix = lt_malloc(count * sizeof(diag_ix));
	p->stamp = lt_malloc(6 * n * sizeof(uint32_t));
	unsigned char *seen = lt_malloc(m);
	if (!p->ix || !p->stamp || !seen) {
		free(seen);
		planner_clear(p);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory for the plan of %zu diagonals", fn, count);
	}
	memset(p->stamp, 0, 6 * n * sizeof(uint32_t));
	memset(seen, 0, m);
	for (size_t j = 0; j < count; j++) {
		const long long mm = (long long)m;
		const size_t r = (size_t)(((long long)diags[j] % mm + mm) % mm);
		if (seen[r]) {
			free(seen);
			planner_clear(p);
			return lt_fail(LATHE_EINVAL, "%s: diags[%zu] = %d repeats diagonal %zu (indices are taken mod %zu)",
			               fn, j, diags[j], r, m);
		}
		seen[r] = 1;
		p->ix[j].k = r % n;
		p->ix[j].s = (unsigned)(r / n);
	}
	free(seen);
	if (baby) {
		plan_count(p, baby, st);
		return LATHE_OK;
	}
	lathe_lintrans_stats best, c;
	size_t bestB = 1, lim = n;
	if (count * n > EXHAUSTIVE_WORK) {
		/* B up to 2 sqrt(n) + 2 (the dense optimum is near sqrt(n)), and the powers of two */
		size_t r = 1;
		while ((r + 1) * (r + 1) <= n)
			r++;
		lim = 2 * r + 2 < n ? 2 * r + 2 : n;
	}
	plan_count(p, 1, &best);
	for (size_t B = 2; B <= n; B = next_candidate(B, lim, n)) {
		plan_count(p, B, &c);
		if (better(&c, &best)) {
			best = c;
			bestB = B;
		}
	}
	plan_count(p, bestB, st); /* the stamps of the chosen B */
	return LATHE_OK;
}

static lathe_status
cost(const char *fn, int full, size_t n, const int *diags, size_t count, size_t baby, lathe_lintrans_stats *stats)
{
	if (!stats)
		return lt_fail(LATHE_EINVAL, "%s: argument 'stats' is NULL", fn);
	planner p;
	lathe_lintrans_stats st;
	lathe_status s = plan(fn, &p, n, full, diags, count, baby, &st);
	if (s)
		return s;
	planner_clear(&p);
	*stats = st;
	return LATHE_OK;
}

lathe_status
lathe_lintrans_cost(size_t n, const int *diags, size_t count, size_t baby, lathe_lintrans_stats *stats)
{
	return cost("lathe_lintrans_cost", 0, n, diags, count, baby, stats);
}

lathe_status
lathe_lintrans_cost_full(size_t n, const int *diags, size_t count, size_t baby, lathe_lintrans_stats *stats)
{
	return cost("lathe_lintrans_cost_full", 1, n, diags, count, baby, stats);
}

void
lathe_lintrans_free(lathe_lintrans *lt)
{
	if (!lt)
		return;
	for (unsigned s = 0; s < 2; s++) {
		if (lt->w[s])
			for (size_t i = 0; i < lt->ngiant * lt->nbaby[s]; i++)
				lathe_prepared_pt_free(lt->w[s][i]);
		free(lt->w[s]);
		free(lt->baby[s]);
	}
	free(lt->gstep);
	free(lt->steps);
	free(lt);
}

/*
 * The lists of the plan the planner holds the stamps of: baby steps per
 * half, giant steps, the key steps, and empty weight tables. bpos and gpos
 * (n entries each) receive each step's place in its list.
 */
static lathe_status
lay_out(lathe_lintrans *lt, const planner *p, size_t B, uint32_t *bpos[2], uint32_t *gpos)
{
	const uint32_t ep = p->epoch;
	const size_t ng = (p->n + B - 1) / B;
	const uint32_t *bs[2] = { stamp_of(p, 0, 0), stamp_of(p, 0, 1) };
	const uint32_t *gs[2] = { stamp_of(p, 1, 0), stamp_of(p, 1, 1) };
	for (unsigned s = 0; s < 2; s++) {
		for (size_t b = 0; b < B; b++)
			lt->nbaby[s] += bs[s][b] == ep;
		if (lt->nbaby[s] && !(lt->baby[s] = lt_malloc(lt->nbaby[s] * sizeof(int))))
			return LATHE_ENOMEM;
		size_t i = 0;
		for (size_t b = 0; b < B; b++)
			if (bs[s][b] == ep) {
				bpos[s][b] = (uint32_t)i;
				lt->baby[s][i++] = (int)b;
			}
	}
	for (size_t g = 0; g < ng; g++)
		lt->ngiant += gs[0][g] == ep || gs[1][g] == ep;
	lt->nsteps = lt->st.galois_keys;
	lt->gstep = lt_malloc(lt->ngiant * sizeof(int));
	lt->steps = lt_malloc((lt->nsteps ? lt->nsteps : 1) * sizeof(int));
	if (!lt->gstep || !lt->steps)
		return LATHE_ENOMEM;
	size_t i = 0, k = 0;
	for (size_t b = 1; b < B; b++)
		if (bs[0][b] == ep || bs[1][b] == ep)
			lt->steps[k++] = (int)b;
	for (size_t g = 0; g < ng; g++)
		if (gs[0][g] == ep || gs[1][g] == ep) {
			gpos[g] = (uint32_t)i;
			lt->gstep[i++] = (int)(g * B);
			if (g)
				lt->steps[k++] = (int)(g * B);
		}
	if (lt->st.row_swaps)
		lt->steps[k++] = 0;
	for (unsigned s = 0; s < 2; s++)
		if (lt->nbaby[s]) {
			const size_t nw = lt->ngiant * lt->nbaby[s];
			if (!(lt->w[s] = lt_malloc(nw * sizeof(lathe_prepared_pt *))))
				return LATHE_ENOMEM;
			for (size_t j = 0; j < nw; j++)
				lt->w[s][j] = NULL;
		}
	return LATHE_OK;
}

/* v mod t for |v| < t, without a branch on v */
static uint64_t
residue(int64_t v, uint64_t t)
{
	return (uint64_t)v + (t & (uint64_t)(v >> 63));
}

static lathe_status
lintrans_new(const char *fn, int full, const lathe_ctx *ctx, const int *diags, const int64_t *const *values,
             size_t count, unsigned level, size_t baby, lathe_lintrans **out)
{
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	*out = NULL;
	if (!ctx)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ctx' is NULL", fn);
	if (!values)
		return lt_fail(LATHE_EINVAL, "%s: argument 'values' is NULL", fn);
	const size_t slots = lathe_ctx_slots(ctx);
	const uint64_t t = lathe_ctx_plain_modulus(ctx);
	if (slots == 0)
		return lt_fail(LATHE_EPARAM, "%s: the context has no slots (t = %llu = 2^r): "
		               "a transform of slots needs batch slots", fn, (unsigned long long)t);
	lathe_context_info info;
	if (lathe_ctx_info(ctx, &info) == LATHE_OK && info.slot_rows != 2)
		return lt_fail(LATHE_EPARAM, "%s: the slots of t = %llu form one cyclic row (t_prime = 3 mod 4); "
		               "transforms here act on two rows", fn, (unsigned long long)t);
	if (level > lathe_ctx_max_level(ctx))
		return lt_fail(LATHE_ELEVEL, "%s: level %u above the context's top level %u", fn, level,
		               lathe_ctx_max_level(ctx));
	const size_t n = slots / 2;
	planner p;
	lathe_lintrans_stats st;
	lathe_status s = plan(fn, &p, n, full, diags, count, baby, &st);
	if (s)
		return s;
	for (size_t j = 0; j < count; j++) {
		if (!values[j]) {
			planner_clear(&p);
			return lt_fail(LATHE_EINVAL, "%s: values[%zu] (diagonal %d) is NULL", fn, j, diags[j]);
		}
		for (size_t i = 0; i < slots; i++)
			if (values[j][i] <= -(int64_t)t || values[j][i] >= (int64_t)t) {
				planner_clear(&p);
				return lt_fail(LATHE_EINVAL, "%s: values[%zu][%zu] = %lld not within (-t, t), t = %llu", fn, j,
				               i, (long long)values[j][i], (unsigned long long)t);
			}
	}
	lathe_lintrans *lt = lt_malloc(sizeof(*lt));
	uint32_t *pos = lt_malloc(3 * n * sizeof(uint32_t));
	uint64_t *rot = lt_malloc(slots * sizeof(uint64_t));
	lathe_pt *pt = NULL;
	if (lt) {
		memset(lt, 0, sizeof(*lt));
		lt->st = st;
	}
	if (!lt || !pos || !rot || (s = lay_out(lt, &p, st.baby_steps, (uint32_t *[]){ pos, pos + n }, pos + 2 * n))) {
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory for a transform of %zu diagonals", fn, count);
		goto done;
	}
	lt->ctx = ctx;
	lt->n = n;
	lt->level = level;
	if ((s = lathe_pt_new(ctx, &pt)))
		goto done;
	const size_t B = st.baby_steps;
	for (size_t j = 0; j < count; j++) {
		const unsigned h = p.ix[j].s;
		const size_t k = p.ix[j].k, g = k / B, b = k % B, shift = g * B;
		/* rot_{-gB}(d) within each row: entry i takes entry i - gB mod n */
		for (size_t r = 0; r < 2; r++)
			for (size_t i = 0; i < n; i++)
				rot[r * n + i] = residue(values[j][r * n + (i >= shift ? i - shift : i + n - shift)], t);
		lathe_prepared_pt **w = &lt->w[h][(size_t)pos[2 * n + g] * lt->nbaby[h] + pos[h * n + b]];
		if ((s = lathe_encode_u64(pt, rot, slots)) || (s = lathe_prepared_pt_new(pt, level, w))) {
			char detail[400];
			snprintf(detail, sizeof(detail), "%s", lathe_last_error());
			s = lt_fail(s, "%s: preparing diagonal %d: %s", fn, diags[j], detail);
			goto done;
		}
	}
	*out = lt;
	lt = NULL;
done:
	if (rot)
		lt_memzero(rot, slots * sizeof(uint64_t));
	free(rot);
	free(pos);
	lathe_pt_free(pt);
	lathe_lintrans_free(lt);
	planner_clear(&p);
	return s;
}

lathe_status
lathe_lintrans_new(const lathe_ctx *ctx, const int *diags, const int64_t *const *values, size_t count,
                   unsigned level, size_t baby, lathe_lintrans **out)
{
	return lintrans_new("lathe_lintrans_new", 0, ctx, diags, values, count, level, baby, out);
}

lathe_status
lathe_lintrans_new_full(const lathe_ctx *ctx, const int *diags, const int64_t *const *values, size_t count,
                        unsigned level, size_t baby, lathe_lintrans **out)
{
	return lintrans_new("lathe_lintrans_new_full", 1, ctx, diags, values, count, level, baby, out);
}

lathe_status
lathe_lintrans_steps(const lathe_lintrans *lt, int *steps, size_t cap, size_t *n)
{
	const char *fn = "lathe_lintrans_steps";
	if (!lt)
		return lt_fail(LATHE_EINVAL, "%s: argument 'lt' is NULL", fn);
	if (!n)
		return lt_fail(LATHE_EINVAL, "%s: argument 'n' is NULL", fn);
	if (!steps && cap)
		return lt_fail(LATHE_EINVAL, "%s: argument 'steps' is NULL with cap = %zu", fn, cap);
	*n = lt->nsteps;
	if (!steps)
		return LATHE_OK;
	if (cap < lt->nsteps)
		return lt_fail(LATHE_EINVAL, "%s: room for %zu steps, the transform needs %zu", fn, cap, lt->nsteps);
	memcpy(steps, lt->steps, lt->nsteps * sizeof(int));
	return LATHE_OK;
}

lathe_status
lathe_lintrans_plan(const lathe_lintrans *lt, lathe_lintrans_stats *stats)
{
	if (!lt)
		return lt_fail(LATHE_EINVAL, "lathe_lintrans_plan: argument 'lt' is NULL");
	if (!stats)
		return lt_fail(LATHE_EINVAL, "lathe_lintrans_plan: argument 'stats' is NULL");
	*stats = lt->st;
	return LATHE_OK;
}

unsigned
lathe_lintrans_level(const lathe_lintrans *lt)
{
	return lt ? lt->level : 0;
}

/* ---- evaluation ---- */

/* prefixes a failing operation's detail with the step of the evaluation */
static lathe_status
pass_on(const char *fn, const char *what, lathe_status s)
{
	if (s == LATHE_OK)
		return s;
	char detail[400];
	snprintf(detail, sizeof(detail), "%s", lathe_last_error());
	return lt_fail(s, "%s: %s failed: %s", fn, what, detail);
}

/* acc += y */
static lathe_status
add_into(lathe_eval *ev, lathe_ct *acc, const lathe_ct *y)
{
	return lt_sum_goes_first(y, acc) ? lathe_ct_add(ev, acc, y, acc) : lathe_ct_add(ev, acc, acc, y);
}

/* whether giant step gi has a weight in half s */
static int
has_weights(const lathe_lintrans *lt, unsigned s, size_t gi)
{
	for (size_t i = 0; i < lt->nbaby[s]; i++)
		if (lt->w[s][gi * lt->nbaby[s] + i])
			return 1;
	return 0;
}

lathe_status
lathe_lintrans_apply(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_lintrans *lt)
{
	const char *fn = "lathe_lintrans_apply";
	if (!ev)
		return lt_fail(LATHE_EINVAL, "%s: argument 'ev' is NULL", fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	if (!a)
		return lt_fail(LATHE_EINVAL, "%s: argument 'a' is NULL", fn);
	if (!lt)
		return lt_fail(LATHE_EINVAL, "%s: argument 'lt' is NULL", fn);
	const lathe_ctx *ctx = lathe_eval_ctx(ev);
	if (lathe_ctx_slots(ctx) != 2 * lt->n)
		return lt_fail(LATHE_EMISMATCH, "%s: the transform is for rows of %zu slots, the evaluator's context "
		               "has %zu slots", fn, lt->n, lathe_ctx_slots(ctx));
	if (lathe_ct_size(a) != 2)
		return lt_fail(LATHE_EINVAL, "%s: the input has %u components (relinearize it first)", fn,
		               lathe_ct_size(a));
	lathe_status s = LATHE_OK;
	lathe_ct *x = NULL, *y = NULL, *acc = NULL, *part = NULL, *dot = NULL;
	lathe_rotset *rs[2] = { NULL, NULL };
	const lathe_ct *src = a;
	char what[96];
	if ((s = lathe_ct_new(ctx, &part)) || (s = lathe_ct_new(ctx, &dot)))
		goto done;
	if (lathe_ct_level(a) > lt->level) {
		if ((s = lathe_ct_new(ctx, &x)) ||
		    (s = pass_on(fn, "switching the input down", lathe_ct_mod_switch_to(ev, x, a, lt->level))))
			goto done;
		src = x;
	}
	if (lt->nbaby[0] && (s = pass_on(fn, "the rotation set of the baby steps",
	                                 lathe_rotset_new(ev, src, lt->baby[0], lt->nbaby[0], &rs[0]))))
		goto done;
	if (lt->nbaby[1] &&
	    ((s = lathe_ct_new(ctx, &y)) || (s = pass_on(fn, "the row swap", lathe_ct_swap_rows(ev, y, src))) ||
	     (s = pass_on(fn, "the rotation set of the swapped input",
	                  lathe_rotset_new(ev, y, lt->baby[1], lt->nbaby[1], &rs[1])))))
		goto done;
	for (size_t gi = 0; gi < lt->ngiant; gi++) {
		int have = 0;
		for (unsigned h = 0; h < 2; h++) {
			if (!lt->nbaby[h] || !has_weights(lt, h, gi))
				continue;
			snprintf(what, sizeof(what), "the inner sum of giant step %d%s", lt->gstep[gi],
			         h ? " (swapped input)" : "");
			const lathe_prepared_pt *const *w = (const lathe_prepared_pt *const *)&lt->w[h][gi * lt->nbaby[h]];
			if ((s = pass_on(fn, what, lathe_rotset_dot(ev, have ? dot : part, rs[h], w))))
				goto done;
			if (have && (s = pass_on(fn, "an addition", add_into(ev, part, dot))))
				goto done;
			have = 1;
		}
		snprintf(what, sizeof(what), "the rotation of giant step %d", lt->gstep[gi]);
		if (lt->gstep[gi] && (s = pass_on(fn, what, lathe_ct_rotate(ev, part, part, lt->gstep[gi]))))
			goto done;
		if (!acc) {
			acc = part;
			part = NULL;
			if (gi + 1 < lt->ngiant && (s = lathe_ct_new(ctx, &part)))
				goto done;
		} else if ((s = pass_on(fn, "an addition", add_into(ev, acc, part)))) {
			goto done;
		}
	}
	s = pass_on(fn, "writing the result to out", lathe_ct_copy(out, acc));
done:
	lathe_rotset_free(rs[0]);
	lathe_rotset_free(rs[1]);
	lathe_ct_free(x);
	lathe_ct_free(y);
	lathe_ct_free(acc);
	lathe_ct_free(part);
	lathe_ct_free(dot);
	return s;
}
