/*
 * Linear transforms (lathe/lintrans.h): row transforms (one n x n matrix
 * per row) and full transforms (a 2n x 2n matrix on all slots) of dense,
 * band, scattered-diagonal, permutation and identity matrices, applied to
 * encrypted slot vectors and compared with the matrix-vector product mod t
 * computed from the matrix entries on the plaintext slots; different
 * matrices per row; levels at and below the top; the keys generated are
 * exactly the steps the transform reports, and a missing one is refused
 * or composed; aliasing. (Plans, statuses and allocation failures:
 * test_lintrans_api.c.)
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

__extension__ typedef unsigned __int128 u128;

static const bgv_pset LT_MAIN = { "insecure-n1024-t65537-d3", 10, 65537, 1, 3, 0, NULL, 0, NULL, 0 };
static const bgv_pset LT_N2048 = { "insecure-n2048-t786433-d3-k2", 11, 786433, 1, 3, 2, NULL, 0, NULL, 0 };
static const bgv_pset LT_N4096 = { "insecure-n4096-t40961-d2-k3", 12, 40961, 1, 2, 3, NULL, 0, NULL, 0 };

/*
 * A matrix on the N = 2n slots, as entries a[R][C] (R, C in [0, 2n), slot
 * r*n + i). A row transform is block diagonal: blocks M_0, M_1 of n x n.
 */
typedef struct mat {
	size_t n;
	int full;
	uint32_t *a; /* (2n)^2 entries, row-major (t < 2^32) */
} mat;

typedef enum { K_DENSE, K_BAND, K_SCATTER, K_PERM, K_IDENTITY, K_SWAPROT, K_ZERO } kind;

static uint32_t *
at(mat *m, size_t R, size_t C)
{
	return &m->a[R * 2 * m->n + C];
}

static void
mat_init(mat *m, size_t n, int full)
{
	m->n = n;
	m->full = full;
	m->a = calloc(4 * n * n, sizeof(uint32_t));
	cr_assert_not_null(m->a);
}

/*
 * Fills block (rb, cb) (row r = rb's slots, columns of row cb) with a
 * matrix of the kind; w: band half-width or number of scattered diagonals.
 */
static void
fill_block(bgv_fix *f, mat *m, unsigned rb, unsigned cb, kind k, size_t w)
{
	const size_t n = m->n;
	size_t *perm = NULL, *pick = NULL;
	if (k == K_PERM) {
		perm = malloc(n * sizeof(size_t));
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = test_rand(&f->g, i + 1), x = perm[i];
			perm[i] = perm[j];
			perm[j] = x;
		}
	}
	if (k == K_SCATTER) {
		pick = calloc(n, sizeof(size_t));
		for (size_t c = 0; c < w; c++)
			pick[test_rand(&f->g, n)] = 1;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < n; c++) {
			const size_t d = (c + n - i) % n; /* the diagonal of entry (i, c) */
			uint32_t v = 0;
			switch (k) {
			case K_DENSE: v = (uint32_t)test_rand(&f->g, f->t); break;
			case K_BAND: v = d <= w || d >= n - w ? (uint32_t)test_rand(&f->g, f->t) : 0; break;
			case K_SCATTER: v = pick[d] && test_rand(&f->g, 8) ? (uint32_t)test_rand(&f->g, f->t) : 0; break;
			case K_PERM: v = c == perm[i]; break;
			case K_IDENTITY: v = c == i; break;
			case K_SWAPROT: v = d == 3 ? (uint32_t)(f->t - 1) : 0; break;
			case K_ZERO: break;
			}
			*at(m, rb * n + i, cb * n + c) = v;
		}
	free(perm);
	free(pick);
}

/* y = A x mod t from the entries (the reference) */
static void
mat_apply(const mat *m, uint64_t *y, const uint64_t *x, uint64_t t)
{
	const size_t N = 2 * m->n;
	for (size_t R = 0; R < N; R++) {
		u128 acc = 0;
		for (size_t C = 0; C < N; C++)
			acc += (u128)m->a[R * N + C] * x[C];
		y[R] = (uint64_t)(acc % t);
	}
}

/*
 * The nonzero generalized diagonals of m as lathe_lintrans_new(_full)
 * takes them (the layout of lintrans.h), found from the entries, listed in
 * a shuffled order with indices sometimes given negative, and values as
 * residues or as their representatives in (-t, 0].
 */
typedef struct diags {
	size_t count;
	int *idx;
	int64_t **val;
} diags;

static void
diags_of(bgv_fix *f, const mat *m, diags *d)
{
	const size_t n = m->n, nd = m->full ? 2 * n : n;
	d->idx = malloc(nd * sizeof(int));
	d->val = malloc(nd * sizeof(int64_t *));
	d->count = 0;
	for (size_t j = 0; j < nd; j++) {
		const size_t s = j / n, k = j % n;
		int64_t *v = malloc(2 * n * sizeof(int64_t));
		int nz = 0;
		for (size_t r = 0; r < 2; r++)
			for (size_t i = 0; i < n; i++) {
				uint64_t e = m->a[(r * n + i) * 2 * n + ((r ^ s) * n + (i + k) % n)];
				nz |= e != 0;
				v[r * n + i] = e && test_rand(&f->g, 2) ? (int64_t)e - (int64_t)f->t : (int64_t)e;
			}
		if (!nz) {
			free(v);
			continue;
		}
		d->idx[d->count] = test_rand(&f->g, 3) ? (int)j : (int)j - (int)nd;
		d->val[d->count++] = v;
	}
	for (size_t j = d->count; j > 1; j--) {
		size_t i = test_rand(&f->g, j), x = (size_t)d->idx[j - 1];
		int64_t *y = d->val[j - 1];
		d->idx[j - 1] = d->idx[i];
		d->val[j - 1] = d->val[i];
		d->idx[i] = (int)x;
		d->val[i] = y;
	}
}

static void
diags_free(diags *d)
{
	for (size_t j = 0; j < d->count; j++)
		free(d->val[j]);
	free(d->idx);
	free(d->val);
}

/* an evaluator with Galois keys for steps[0..n) alone (no relinearization key) */
static lathe_eval *
eval_for(bgv_fix *f, const int *steps, size_t n, lathe_evalkeys **ek)
{
	static const int none[1] = { 1 };
	BGV_OK(f, lathe_evalkeys_new_ex(f->ctx, f->sk, n ? steps : none, n, LATHE_EVALKEYS_GALOIS, ek));
	lathe_eval *ev = NULL;
	BGV_OK(f, lathe_eval_new(f->ctx, *ek, &ev));
	return ev;
}

static lathe_lintrans *
make(bgv_fix *f, const mat *m, const diags *d, unsigned level, size_t baby)
{
	lathe_lintrans *lt = NULL;
	const int64_t *const *v = (const int64_t *const *)d->val;
	if (m->full)
		BGV_OK(f, lathe_lintrans_new_full(f->ctx, d->idx, v, d->count, level, baby, &lt));
	else
		BGV_OK(f, lathe_lintrans_new(f->ctx, d->idx, v, d->count, level, baby, &lt));
	cr_assert_not_null(lt);
	return lt;
}

/* the steps of lt, checked against its plan: distinct, in range, 0 only as the last (the row swap) */
static int *
steps_of(bgv_fix *f, const lathe_lintrans *lt, size_t n, size_t *ns)
{
	lathe_lintrans_stats st;
	BGV_OK(f, lathe_lintrans_plan(lt, &st));
	BGV_OK(f, lathe_lintrans_steps(lt, NULL, 0, ns));
	cr_assert_eq(*ns, st.galois_keys, "%zu steps for %zu keys [%s]", *ns, st.galois_keys, f->desc);
	int *steps = malloc((*ns + 1) * sizeof(int));
	size_t again = 0;
	BGV_OK(f, lathe_lintrans_steps(lt, steps, *ns, &again));
	cr_assert_eq(again, *ns);
	for (size_t i = 0; i < *ns; i++) {
		cr_assert(steps[i] >= 0 && (size_t)steps[i] < n, "step %d [%s]", steps[i], f->desc);
		cr_assert(steps[i] != 0 || (i + 1 == *ns && st.row_swaps), "step 0 at %zu [%s]", i, f->desc);
		for (size_t j = 0; j < i; j++)
			cr_assert_neq(steps[i], steps[j], "step %d twice [%s]", steps[i], f->desc);
	}
	return steps;
}

/*
 * Applies m (with B = baby, prepared at lt_level) to a fresh random vector
 * brought to a_level, with keys for exactly the steps reported, and checks
 * the slots against the product from the entries, the plan against the
 * cost function and the independent count, and the output's level.
 */
static void
run_case(bgv_fix *f, const mat *m, unsigned lt_level, unsigned a_level, size_t baby, const char *what)
{
	diags d;
	diags_of(f, m, &d);
	lathe_lintrans *lt = make(f, m, &d, lt_level, baby);
	char desc[400];
	snprintf(desc, sizeof(desc), "%s, %zu diagonals, lt level %u, a level %u, B %zu [%s]", what, d.count, lt_level,
	         a_level, baby, f->desc);
	/* the plan is the cost function's (itself checked against an independent count in test_lintrans_api) */
	lathe_lintrans_stats st, cst;
	BGV_OK(f, lathe_lintrans_plan(lt, &st));
	BGV_OK(f, (m->full ? lathe_lintrans_cost_full : lathe_lintrans_cost)(m->n, d.idx, d.count, baby, &cst));
	cr_assert(memcmp(&st, &cst, sizeof(st)) == 0, "%s: the plan differs from lathe_lintrans_cost's", desc);
	cr_assert_eq(st.pt_muls, d.count, "%s", desc);
	cr_assert(baby == 0 || st.baby_steps == baby, "%s: B %zu", desc, st.baby_steps);
	cr_assert_eq(lathe_lintrans_level(lt), lt_level);
	size_t ns;
	int *steps = steps_of(f, lt, m->n, &ns);
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = eval_for(f, steps, ns, &ek);
	uint64_t *x = bgv_vec(f), *y = bgv_vec(f);
	bgv_rand(f, x);
	mat_apply(m, y, x, f->t);
	lathe_ct *a = bgv_ct(f), *out = bgv_ct(f);
	bgv_encrypt_vec(f, a, x, 1);
	if (a_level < lathe_ct_level(a))
		BGV_OK(f, lathe_ct_mod_switch_to(ev, a, a, a_level));
	BGV_OK(f, lathe_lintrans_apply(ev, out, a, lt));
	bgv_check(f, out, y, desc);
	cr_assert_leq(lathe_ct_level(out), a_level < lt_level ? a_level : lt_level, "%s: result at level %u", desc,
	              lathe_ct_level(out));
	cr_assert_eq(lathe_ct_level(a), a_level, "%s: the input changed level", desc);
	bgv_check(f, a, x, "the input after the transform");
	BGV_OK(f, lathe_lintrans_apply(ev, a, a, lt));
	bgv_check(f, a, y, "out == a");
	cr_log_info("%s: B %zu, %zu key switches, %zu moddowns, result at level %u", desc, st.baby_steps,
	            st.key_switches, st.moddowns, lathe_ct_level(out));
	lathe_ct_free(a);
	lathe_ct_free(out);
	free(x);
	free(y);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	free(steps);
	lathe_lintrans_free(lt);
	diags_free(&d);
}

/* a row transform with blocks of kinds k0 (row 0) and k1 (row 1) */
static void
row_case(bgv_fix *f, kind k0, size_t w0, kind k1, size_t w1, unsigned ll, unsigned al, size_t baby, const char *what)
{
	mat m;
	mat_init(&m, f->slots / 2, 0);
	fill_block(f, &m, 0, 0, k0, w0);
	fill_block(f, &m, 1, 1, k1, w1);
	run_case(f, &m, ll, al, baby, what);
	free(m.a);
}

/* a full transform: four blocks of the kinds given (k[rb][cb]) */
static void
full_case(bgv_fix *f, const kind k[2][2], size_t w, unsigned ll, unsigned al, size_t baby, const char *what)
{
	mat m;
	mat_init(&m, f->slots / 2, 1);
	for (unsigned rb = 0; rb < 2; rb++)
		for (unsigned cb = 0; cb < 2; cb++)
			fill_block(f, &m, rb, cb, k[rb][cb], w);
	run_case(f, &m, ll, al, baby, what);
	free(m.a);
}

Test(lintrans, row_transforms_of_every_kind)
{
	bgv_fix f;
	bgv_fix_init(&f, &LT_MAIN, BGV_KEYS_NONE, NULL, 0, 9900);
	const unsigned L = f.max_level;
	row_case(&f, K_DENSE, 0, K_DENSE, 0, L, L, 0, "dense, two random matrices");
	row_case(&f, K_DENSE, 0, K_DENSE, 0, L, L, 5, "dense, B = 5");
	row_case(&f, K_DENSE, 0, K_ZERO, 0, L - 1, L, 0, "dense row 0, zero row 1, lt below the top");
	row_case(&f, K_BAND, 3, K_BAND, 3, L, L - 1, 0, "band of width 7, a below the top");
	row_case(&f, K_BAND, 2, K_SCATTER, 4, L, L, 1, "band and scattered, B = 1 (no baby steps)");
	row_case(&f, K_BAND, 2, K_BAND, 2, L - 1, L - 1, f.slots / 2, "band, B = n (no giant steps)");
	row_case(&f, K_SCATTER, 6, K_SCATTER, 6, L, L, 0, "six scattered diagonals");
	row_case(&f, K_PERM, 0, K_PERM, 0, L, L, 0, "random permutations");
	row_case(&f, K_SWAPROT, 0, K_IDENTITY, 0, L, L, 0, "-rotation by 3 and the identity");
	row_case(&f, K_IDENTITY, 0, K_SCATTER, 3, 1, L, 0, "identity and scattered, lt at level 1");
	bgv_fix_clear(&f);
}

Test(lintrans, identity_needs_no_key)
{
	bgv_fix f;
	bgv_fix_init(&f, &LT_MAIN, BGV_KEYS_NONE, NULL, 0, 9901);
	mat m;
	mat_init(&m, f.slots / 2, 0);
	fill_block(&f, &m, 0, 0, K_IDENTITY, 0);
	fill_block(&f, &m, 1, 1, K_IDENTITY, 0);
	diags d;
	diags_of(&f, &m, &d);
	cr_assert_eq(d.count, 1);
	lathe_lintrans *lt = make(&f, &m, &d, f.max_level, 0);
	size_t ns = 99;
	BGV_OK(&f, lathe_lintrans_steps(lt, NULL, 0, &ns));
	cr_assert_eq(ns, 0);
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_eval_new(f.ctx, NULL, &ev));
	uint64_t *x = bgv_vec(&f);
	bgv_rand(&f, x);
	lathe_ct *a = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, x, 1);
	BGV_OK(&f, lathe_lintrans_apply(ev, a, a, lt));
	bgv_check(&f, a, x, "identity without keys, out == a");
	lathe_ct_free(a);
	free(x);
	lathe_eval_free(ev);
	lathe_lintrans_free(lt);
	diags_free(&d);
	free(m.a);
	bgv_fix_clear(&f);
}

Test(lintrans, full_transforms)
{
	bgv_fix f;
	bgv_fix_init(&f, &LT_MAIN, BGV_KEYS_NONE, NULL, 0, 9910);
	const unsigned L = f.max_level;
	const kind dense[2][2] = { { K_DENSE, K_DENSE }, { K_DENSE, K_DENSE } };
	const kind band[2][2] = { { K_BAND, K_SCATTER }, { K_ZERO, K_BAND } };
	const kind swap[2][2] = { { K_ZERO, K_IDENTITY }, { K_IDENTITY, K_ZERO } };
	const kind swaprot[2][2] = { { K_ZERO, K_SWAPROT }, { K_SWAPROT, K_ZERO } };
	const kind cross[2][2] = { { K_ZERO, K_SCATTER }, { K_BAND, K_ZERO } };
	full_case(&f, dense, 0, L, L, 0, "full dense");
	full_case(&f, dense, 0, L, L - 1, 9, "full dense, B = 9, a below the top");
	full_case(&f, band, 2, L - 1, L, 0, "full band and scattered blocks");
	full_case(&f, swap, 0, L, L, 0, "the row swap");
	full_case(&f, swaprot, 0, L, L, 0, "row swap with a rotation");
	full_case(&f, cross, 3, L, L, 0, "off-diagonal blocks only");
	/* a permutation of all 2n slots */
	mat m;
	mat_init(&m, f.slots / 2, 1);
	size_t N = f.slots, *perm = malloc(N * sizeof(size_t));
	for (size_t i = 0; i < N; i++)
		perm[i] = i;
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = test_rand(&f.g, i + 1), x = perm[i];
		perm[i] = perm[j];
		perm[j] = x;
	}
	for (size_t R = 0; R < N; R++)
		*at(&m, R, perm[R]) = 1;
	run_case(&f, &m, L, L, 0, "a permutation of all slots");
	free(perm);
	free(m.a);
	bgv_fix_clear(&f);
}

Test(lintrans, larger_rings)
{
	bgv_fix f;
	bgv_fix_init(&f, &LT_N2048, BGV_KEYS_NONE, NULL, 0, 9920);
	row_case(&f, K_DENSE, 0, K_BAND, 5, f.max_level, f.max_level, 0, "N = 2^11: dense and band");
	bgv_fix_clear(&f);
	bgv_fix_init(&f, &LT_N4096, BGV_KEYS_NONE, NULL, 0, 9921);
	row_case(&f, K_BAND, 4, K_SCATTER, 8, f.max_level, f.max_level, 0, "N = 2^12: band and scattered");
	const kind sc[2][2] = { { K_SCATTER, K_SCATTER }, { K_BAND, K_SCATTER } };
	full_case(&f, sc, 2, f.max_level - 1, f.max_level, 0, "N = 2^12: full, sparse blocks");
	bgv_fix_clear(&f);
}

/* a full transform with random nonzero values on the diagonals j of list[0..n) */
static void
mat_of_diags(bgv_fix *f, mat *m, const size_t *list, size_t cnt)
{
	const size_t n = f->slots / 2;
	mat_init(m, n, 1);
	for (size_t c = 0; c < cnt; c++)
		for (size_t r = 0; r < 2; r++)
			for (size_t i = 0; i < n; i++)
				*at(m, r * n + i, (r ^ (list[c] / n)) * n + (i + list[c] % n) % n) =
				    1 + (uint32_t)test_rand(&f->g, f->t - 1);
}

/* decryption and level of ct, to check that a failing call left it alone */
static void
same_as_before(bgv_fix *f, const lathe_ct *ct, const uint64_t *v, unsigned level, const char *what)
{
	cr_assert_eq(lathe_ct_level(ct), level, "%s: out's level changed [%s]", what, f->desc);
	bgv_check(f, ct, v, what);
}

Test(lintrans, the_reported_steps_are_the_keys_needed)
{
	bgv_fix f;
	bgv_fix_init(&f, &LT_MAIN, BGV_KEYS_NONE, NULL, 0, 9940);
	const size_t n = f.slots / 2;
	/* B = 4: baby steps 0..3 of x and 2 of swap(x), giant steps 0 and 8 */
	const size_t list[] = { 0, 1, 2, 3, 8, 9, 10, 11, n + 2 };
	mat m;
	mat_of_diags(&f, &m, list, sizeof(list) / sizeof(list[0]));
	diags d;
	diags_of(&f, &m, &d);
	lathe_lintrans *lt = make(&f, &m, &d, f.max_level, 4);
	size_t ns;
	int *steps = steps_of(&f, lt, n, &ns);
	const int want[] = { 1, 2, 3, 8, 0 };
	cr_assert_eq(ns, 5);
	cr_assert(memcmp(steps, want, sizeof(want)) == 0, "steps %d %d %d %d %d", steps[0], steps[1], steps[2],
	          steps[3], steps[4]);
	uint64_t *x = bgv_vec(&f), *y = bgv_vec(&f), *o = bgv_vec(&f);
	bgv_rand(&f, x);
	bgv_rand(&f, o);
	mat_apply(&m, y, x, f.t);
	lathe_ct *a = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, x, 1);
	/* leaving one key out: a baby step or the row swap is refused, a giant step is composed */
	for (size_t i = 0; i < ns; i++) {
		int *fewer = malloc(ns * sizeof(int));
		size_t k = 0;
		for (size_t j = 0; j < ns; j++)
			if (j != i)
				fewer[k++] = steps[j];
		lathe_evalkeys *ek = NULL;
		lathe_eval *ev = eval_for(&f, fewer, k, &ek);
		cr_assert(!lathe_evalkeys_has_rotation(ek, steps[i]));
		bgv_encrypt_vec(&f, out, o, 0);
		char what[80];
		snprintf(what, sizeof(what), "without the key of step %d", steps[i]);
		if (steps[i] == 8) {
			BGV_OK(&f, lathe_lintrans_apply(ev, out, a, lt));
			bgv_check(&f, out, y, what);
		} else {
			BGV_FAILS(&f, LATHE_ENOKEY, lathe_lintrans_apply(ev, out, a, lt));
			same_as_before(&f, out, o, f.max_level, what);
		}
		lathe_eval_free(ev);
		lathe_evalkeys_free(ek);
		free(fewer);
	}
	lathe_lintrans_free(lt);
	diags_free(&d);
	free(m.a);
	/* B = 1, diagonals 0 and n/2: the only key is the giant step n/2, and nothing composes it */
	const size_t two[] = { 0, n / 2 };
	mat_of_diags(&f, &m, two, 2);
	diags_of(&f, &m, &d);
	lt = make(&f, &m, &d, f.max_level, 1);
	free(steps);
	steps = steps_of(&f, lt, n, &ns);
	cr_assert(ns == 1 && steps[0] == (int)(n / 2));
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = eval_for(&f, steps, 0, &ek);
	bgv_encrypt_vec(&f, out, o, 0);
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_lintrans_apply(ev, out, a, lt));
	same_as_before(&f, out, o, f.max_level, "without the giant step's key");
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	ev = eval_for(&f, steps, ns, &ek);
	mat_apply(&m, y, x, f.t);
	BGV_OK(&f, lathe_lintrans_apply(ev, a, a, lt));
	bgv_check(&f, a, y, "B = 1 with its key, out == a");
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_lintrans_free(lt);
	diags_free(&d);
	free(m.a);
	lathe_ct_free(a);
	lathe_ct_free(out);
	free(x);
	free(y);
	free(o);
	free(steps);
	bgv_fix_clear(&f);
}
