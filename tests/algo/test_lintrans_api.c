/*
 * Linear transforms (lathe/lintrans.h), the plan and the contract: the
 * costs of lathe_lintrans_cost against an independent count for every B,
 * the chosen B against the best of all, dense shapes up to n = 2^16
 * against the closed form; every status of every function, with outputs
 * left alone; LATHE_ENOMEM on every allocation. (The transforms against
 * the matrix-vector product: test_lintrans.c.)
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "core/mem.h"

__extension__ typedef unsigned __int128 u128;

static const bgv_pset LA_MAIN = { "insecure-n1024-t65537-d3", 10, 65537, 1, 3, 0, NULL, 0, NULL, 0 };
static const bgv_pset LA_OTHER = { "insecure-n1024-t40961-d2", 10, 40961, 1, 2, 0, NULL, 0, NULL, 0 };
static const bgv_pset LA_WIDE = { "insecure-n2048-t65537-d2", 11, 65537, 1, 2, 0, NULL, 0, NULL, 0 };

/* the plan counted from its definition, with plain flag arrays (the oracle of the planner) */
static void
count_plan(size_t n, int full, const int *idx, size_t count, size_t B, lathe_lintrans_stats *st)
{
	const size_t ng = (n + B - 1) / B, m = full ? 2 * n : n;
	unsigned char *bu = calloc(2 * B, 1), *gu = calloc(2 * ng, 1), *ku = calloc(2 * ng, 1);
	size_t swap = 0;
	for (size_t j = 0; j < count; j++) {
		size_t r = (size_t)(((long)idx[j] % (long)m + (long)m) % (long)m), s = r / n, k = r % n;
		bu[s * B + k % B] = 1;
		gu[s * ng + k / B] = 1;
		if (k % B)
			ku[s * ng + k / B] = 1; /* a dot with a rotated term ends in a ModDown */
		swap |= s;
	}
	memset(st, 0, sizeof(*st));
	size_t sets = 0, keys = 0, dots = 0, downs = 0;
	for (size_t s = 0; s < 2; s++) {
		size_t nz = 0;
		for (size_t b = 1; b < B; b++)
			nz += bu[s * B + b];
		st->baby_rotations += nz;
		sets += nz != 0;
	}
	for (size_t b = 1; b < B; b++)
		keys += bu[b] || bu[B + b];
	for (size_t g = 0; g < ng; g++) {
		dots += gu[g] + gu[ng + g];
		downs += ku[g] + ku[ng + g];
		st->giant_steps += gu[g] || gu[ng + g];
		st->giant_rotations += g && (gu[g] || gu[ng + g]);
	}
	st->baby_steps = B;
	st->row_swaps = swap;
	st->key_switches = st->baby_rotations + st->giant_rotations + swap;
	st->decompositions = sets + st->giant_rotations + swap;
	st->moddowns = downs + st->giant_rotations + swap;
	st->pt_muls = count;
	st->additions = dots - 1;
	st->galois_keys = keys + st->giant_rotations + swap;
	free(bu);
	free(gu);
	free(ku);
}

static void
stats_eq(const lathe_lintrans_stats *a, const lathe_lintrans_stats *b, const char *what)
{
	cr_assert(memcmp(a, b, sizeof(*a)) == 0,
	          "%s: plans differ: B %zu/%zu giants %zu/%zu baby rot %zu/%zu giant rot %zu/%zu swaps %zu/%zu "
	          "ks %zu/%zu decomp %zu/%zu moddowns %zu/%zu pt %zu/%zu add %zu/%zu keys %zu/%zu",
	          what, a->baby_steps, b->baby_steps, a->giant_steps, b->giant_steps, a->baby_rotations,
	          b->baby_rotations, a->giant_rotations, b->giant_rotations, a->row_swaps, b->row_swaps, a->key_switches,
	          b->key_switches, a->decompositions, b->decompositions, a->moddowns, b->moddowns, a->pt_muls, b->pt_muls,
	          a->additions, b->additions, a->galois_keys, b->galois_keys);
}

static lathe_status
cost_of(int full, size_t n, const int *idx, size_t count, size_t B, lathe_lintrans_stats *st)
{
	return (full ? lathe_lintrans_cost_full : lathe_lintrans_cost)(n, idx, count, B, st);
}

Test(lintrans_api, plans_against_an_independent_count)
{
	lt_prng g;
	test_prng(&g, 9930);
	int *idx = malloc(4 * 512 * sizeof(int));
	for (unsigned trial = 0; trial < test_mult(60); trial++) {
		const size_t n = trial % 3 ? (size_t)1 << (1 + test_rand(&g, 9)) : 1 + test_rand(&g, 300);
		const int full = trial % 2;
		const size_t m = full ? 2 * n : n;
		const size_t count = trial % 7 == 0 ? m : 1 + test_rand(&g, m < 40 ? m : 40);
		for (size_t i = 0; i < m; i++)
			idx[i] = (int)i;
		for (size_t i = m - 1; i > 0; i--) {
			size_t j = test_rand(&g, i + 1);
			int x = idx[i];
			idx[i] = idx[j];
			idx[j] = x;
		}
		for (size_t i = 0; i < count; i++)
			if (test_rand(&g, 4) == 0)
				idx[i] -= (int)m * (1 + (int)test_rand(&g, 3));
		char what[120];
		snprintf(what, sizeof(what), "n %zu, full %d, %zu diagonals, seed %llu", n, full, count, SEED);
		lathe_lintrans_stats st, ref, best;
		for (size_t B = 1; B <= n; B++) {
			cr_assert_eq(cost_of(full, n, idx, count, B, &st), LATHE_OK, "%s: %s", what, lathe_last_error());
			count_plan(n, full, idx, count, B, &ref);
			stats_eq(&st, &ref, what);
			if (B == 1 || ref.key_switches < best.key_switches ||
			    (ref.key_switches == best.key_switches && ref.moddowns < best.moddowns))
				best = ref;
		}
		cr_assert_eq(cost_of(full, n, idx, count, 0, &st), LATHE_OK);
		stats_eq(&st, &best, what); /* the chosen B is the best, the smallest of equals */
	}
	free(idx);
	/* dense shapes up to n = 2^16: the optimum over every B, from the closed form */
	const size_t big = (size_t)1 << 16;
	int *all = malloc(2 * big * sizeof(int));
	for (size_t i = 0; i < 2 * big; i++)
		all[i] = (int)i;
	for (unsigned e = 0; e <= 16; e++) {
		for (int full = 0; full < 2; full++) {
			const size_t n = (size_t)1 << e, h = 1 + (size_t)full;
			size_t bks = SIZE_MAX, bmd = SIZE_MAX;
			for (size_t B = 1; B <= n; B++) {
				size_t ng = (n + B - 1) / B, ks = h * (B - 1) + ng - 1 + (size_t)full;
				/* dots with a rotated term: every giant step but a last one holding k = n - 1 alone */
				size_t kd = B > 1 ? ng - (n % B == 1) : 0, md = h * kd + ng - 1 + (size_t)full;
				if (ks < bks || (ks == bks && md < bmd)) {
					bks = ks;
					bmd = md;
				}
			}
			lathe_lintrans_stats st;
			cr_assert_eq(cost_of(full, n, all, h * n, 0, &st), LATHE_OK);
			cr_assert(st.key_switches == bks && st.moddowns == bmd,
			          "dense n = %zu full %d: B %zu, %zu key switches and %zu moddowns, best %zu and %zu", n, full,
			          st.baby_steps, st.key_switches, st.moddowns, bks, bmd);
			if (!full && e % 2 == 0)
				cr_assert_eq(st.key_switches, 2 * ((size_t)1 << (e / 2)) - 2, "n = %zu", n);
		}
	}
	free(all);
}

/* a small transform of f: diagonals {0, 1, 5} with random values, and y = M x from them */
typedef struct small {
	int idx[3];
	int64_t *v[3];
} small;

static void
small_init(bgv_fix *f, small *sm)
{
	static const int k[3] = { 0, 1, 5 };
	for (size_t j = 0; j < 3; j++) {
		sm->idx[j] = k[j];
		sm->v[j] = malloc(f->slots * sizeof(int64_t));
		for (size_t i = 0; i < f->slots; i++)
			sm->v[j][i] = (int64_t)test_rand(&f->g, f->t);
	}
}

static void
small_apply(bgv_fix *f, const small *sm, uint64_t *y, const uint64_t *x)
{
	const size_t n = f->slots / 2;
	for (size_t r = 0; r < 2; r++)
		for (size_t i = 0; i < n; i++) {
			u128 acc = 0;
			for (size_t j = 0; j < 3; j++)
				acc += (u128)sm->v[j][r * n + i] * x[r * n + (i + (size_t)sm->idx[j]) % n];
			y[r * n + i] = (uint64_t)(acc % f->t);
		}
}

static void
small_clear(small *sm)
{
	for (size_t j = 0; j < 3; j++)
		free(sm->v[j]);
}

#define VALS(sm) ((const int64_t *const *)(sm).v)

Test(lintrans_api, every_status)
{
	bgv_fix f, o, w;
	bgv_fix_init(&f, &LA_MAIN, BGV_KEYS_NONE, NULL, 0, 9950);
	bgv_fix_init(&o, &LA_OTHER, BGV_KEYS_NONE, NULL, 0, 9951);
	bgv_fix_init(&w, &LA_WIDE, BGV_KEYS_NONE, NULL, 0, 9952);
	const size_t n = f.slots / 2;
	const int ni = (int)n;
	small sm;
	small_init(&f, &sm);
	lathe_lintrans *lt = (lathe_lintrans *)&sm, *ok = NULL;
	const unsigned L = f.max_level;

	/* lathe_lintrans_new(_full): LATHE_EINVAL, LATHE_EPARAM, LATHE_ELEVEL; *out is NULL after each */
#define NEW_FAILS(want, call)                                                                                    \
	do {                                                                                                   \
		lt = (lathe_lintrans *)&sm;                                                                    \
		BGV_FAILS(&f, want, call);                                                                     \
		cr_assert_null(lt, "%s left *out set", #call);                                                \
	} while (0)
	const int dup[3] = { 0, 1, 1 + ni }, dupneg[3] = { 0, ni - 1, -1 }, dupfull[3] = { 0, 1, 1 + 2 * ni };
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(NULL, sm.idx, VALS(sm), 3, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, NULL, VALS(sm), 3, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, sm.idx, NULL, 3, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, sm.idx, VALS(sm), 0, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, dup, VALS(sm), 3, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, dupneg, VALS(sm), 3, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new_full(f.ctx, dupfull, VALS(sm), 3, L, 0, &lt));
	NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, sm.idx, VALS(sm), 3, L, n + 1, &lt));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_new(f.ctx, sm.idx, VALS(sm), 3, L, 0, NULL));
	{
		const int64_t *holes[3] = { sm.v[0], NULL, sm.v[2] };
		NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, sm.idx, holes, 3, L, 0, &lt));
		int64_t *bad = malloc(f.slots * sizeof(int64_t));
		memcpy(bad, sm.v[1], f.slots * sizeof(int64_t));
		holes[1] = bad;
		bad[f.slots - 1] = (int64_t)f.t;
		NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new(f.ctx, sm.idx, holes, 3, L, 0, &lt));
		bad[f.slots - 1] = -(int64_t)f.t;
		NEW_FAILS(LATHE_EINVAL, lathe_lintrans_new_full(f.ctx, sm.idx, holes, 3, L, 0, &lt));
		bad[f.slots - 1] = -(int64_t)f.t + 1; /* the extremes of (-t, t) are accepted */
		bad[0] = (int64_t)f.t - 1;
		BGV_OK(&f, lathe_lintrans_new(f.ctx, sm.idx, holes, 3, L, 0, &ok));
		lathe_lintrans_free(ok);
		free(bad);
	}
	NEW_FAILS(LATHE_ELEVEL, lathe_lintrans_new(f.ctx, sm.idx, VALS(sm), 3, L + 1, 0, &lt));
	{
		lathe_ctx *nb = NULL;
		cr_assert_eq(bgv_ctx_build(&BGV_INSECURE_COEFF[2], LATHE_SECURITY_NONE, &nb), LATHE_OK); /* t = 2^16: no slots */
		NEW_FAILS(LATHE_EPARAM, lathe_lintrans_new(nb, sm.idx, VALS(sm), 3, 0, 0, &lt));
		NEW_FAILS(LATHE_EPARAM, lathe_lintrans_new_full(nb, sm.idx, VALS(sm), 3, 0, 0, &lt));
		lathe_ctx_free(nb);
	}

	/* lathe_lintrans_cost(_full): LATHE_EINVAL; *stats untouched */
	lathe_lintrans_stats st, st0;
	memset(&st, 0x5a, sizeof(st));
	st0 = st;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(n, sm.idx, 3, 0, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(n, NULL, 3, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(0, sm.idx, 3, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(((size_t)1 << 16) + 1, sm.idx, 3, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(n, sm.idx, 0, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(n, sm.idx, 3, n + 1, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(n, dup, 3, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost(4, sm.idx, 5, 0, &st)); /* more diagonals than exist */
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost_full(n, dupfull, 3, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_cost_full(n, sm.idx, 3, 0, NULL));
	cr_assert(memcmp(&st, &st0, sizeof(st)) == 0, "a failed cost touched *stats");
	BGV_OK(&f, lathe_lintrans_cost_full(n, dup, 3, 0, &st)); /* 1 and 1 + n differ in a full transform */

	/* a good transform; steps and plan */
	BGV_OK(&f, lathe_lintrans_new(f.ctx, sm.idx, VALS(sm), 3, L, 0, &ok));
	size_t ns = 77;
	int steps[8] = { -9, -9, -9, -9, -9, -9, -9, -9 }, steps0[8];
	memcpy(steps0, steps, sizeof(steps));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_steps(NULL, steps, 8, &ns));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_steps(ok, steps, 8, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_steps(ok, NULL, 8, &ns));
	BGV_OK(&f, lathe_lintrans_steps(ok, NULL, 0, &ns));
	cr_assert(ns >= 2);
	size_t ns2 = 0;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_steps(ok, steps, ns - 1, &ns2));
	cr_assert_eq(ns2, ns, "a short buffer does not report the number needed");
	cr_assert(memcmp(steps, steps0, sizeof(steps)) == 0, "a failed lathe_lintrans_steps wrote steps");
	BGV_OK(&f, lathe_lintrans_steps(ok, steps, 8, &ns));
	st = st0;
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_plan(NULL, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_plan(ok, NULL));
	cr_assert(memcmp(&st, &st0, sizeof(st)) == 0, "a failed lathe_lintrans_plan touched *stats");
	BGV_OK(&f, lathe_lintrans_plan(ok, &st));
	cr_assert(st.pt_muls == 3 && st.galois_keys == ns);
	cr_assert_eq(lathe_lintrans_level(NULL), 0);
	lathe_lintrans_free(NULL);

	/* lathe_lintrans_apply; out keeps its content after every failure */
	lathe_evalkeys *ek = NULL;
	BGV_OK(&f, lathe_evalkeys_new(f.ctx, f.sk, steps, ns, &ek));
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_eval_new(f.ctx, ek, &ev));
	uint64_t *x = bgv_vec(&f), *y = bgv_vec(&f), *ov = bgv_vec(&f);
	bgv_rand(&f, x);
	bgv_rand(&f, ov);
	small_apply(&f, &sm, y, x);
	lathe_ct *a = bgv_ct(&f), *out = bgv_ct(&f), *a3 = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, x, 1);
	bgv_encrypt_vec(&f, out, ov, 0);
	BGV_OK(&f, lathe_ct_mul_raw(ev, a3, a, a));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_apply(NULL, out, a, ok));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_apply(ev, NULL, a, ok));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_apply(ev, out, NULL, ok));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_apply(ev, out, a, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_lintrans_apply(ev, out, a3, ok));
	{
		/* a transform of a context with other slots, and of one with the same slots but another t */
		small sw, so;
		small_init(&w, &sw);
		small_init(&o, &so);
		lathe_lintrans *ltw = NULL, *lto = NULL;
		BGV_OK(&w, lathe_lintrans_new(w.ctx, sw.idx, VALS(sw), 3, 0, 0, &ltw));
		BGV_OK(&o, lathe_lintrans_new(o.ctx, so.idx, VALS(so), 3, 0, 0, &lto));
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_lintrans_apply(ev, out, a, ltw));
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_lintrans_apply(ev, out, a, lto));
		lathe_ct *xo = bgv_ct(&o);
		uint64_t *vo = bgv_vec(&o);
		bgv_rand(&o, vo);
		bgv_encrypt_vec(&o, xo, vo, 1);
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_lintrans_apply(ev, out, xo, ok)); /* a of another context */
		lathe_ct_free(xo);
		free(vo);
		lathe_lintrans_free(ltw);
		lathe_lintrans_free(lto);
		small_clear(&sw);
		small_clear(&so);
		/* a of another key pair */
		lathe_sk *sk2 = NULL;
		lathe_pk *pk2 = NULL;
		BGV_OK(&f, lathe_keygen(f.ctx, &sk2, &pk2));
		lathe_pt *pt = bgv_pt(&f);
		bgv_encode_vec(&f, pt, x);
		lathe_ct *x2 = bgv_ct(&f);
		BGV_OK(&f, lathe_encrypt(pk2, x2, pt));
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_lintrans_apply(ev, out, x2, ok));
		lathe_ct_free(x2);
		lathe_pt_free(pt);
		lathe_sk_free(sk2);
		lathe_pk_free(pk2);
	}
	{
		/* LATHE_ENOKEY: an evaluator without keys */
		lathe_eval *ev0 = NULL;
		BGV_OK(&f, lathe_eval_new(f.ctx, NULL, &ev0));
		BGV_FAILS(&f, LATHE_ENOKEY, lathe_lintrans_apply(ev0, out, a, ok));
		cr_assert(strstr(lathe_last_error(), "lathe_lintrans_apply") != NULL, "detail '%s'", lathe_last_error());
		lathe_eval_free(ev0);
	}
	{
		/* LATHE_ENOISE: at level 0 (a 34-bit prime) products by random diagonals cannot decrypt */
		lathe_ct *a0 = bgv_ct(&f);
		BGV_OK(&f, lathe_ct_mod_switch_to(ev, a0, a, 0));
		lathe_status s = lathe_lintrans_apply(ev, out, a0, ok);
		cr_assert(s == LATHE_ENOISE, "a transform at level 0: %s (%s) [%s]", lathe_strerror(s), lathe_last_error(),
		          f.desc);
		/* out == a is left alone as well */
		BGV_FAILS(&f, LATHE_ENOISE, lathe_lintrans_apply(ev, a0, a0, ok));
		cr_assert_eq(lathe_ct_level(a0), 0);
		bgv_check(&f, a0, x, "a after a failed aliased transform");
		lathe_ct_free(a0);
	}
	cr_assert_eq(lathe_ct_level(out), L, "out's level changed [%s]", f.desc);
	bgv_check(&f, out, ov, "out after every failure");
	BGV_OK(&f, lathe_lintrans_apply(ev, out, a, ok));
	bgv_check(&f, out, y, "the small transform");

	lathe_ct_free(a);
	lathe_ct_free(out);
	lathe_ct_free(a3);
	free(x);
	free(y);
	free(ov);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_lintrans_free(ok);
	small_clear(&sm);
	bgv_fix_clear(&f);
	bgv_fix_clear(&o);
	bgv_fix_clear(&w);
}

/* runs op with the k-th allocation failing, k = 0, 1, ... until it succeeds; each failure must be ENOMEM */
#define EVERY_ALLOCATION(what, on_fail, op)                                                                  \
	do {                                                                                                 \
		long k_ = 0;                                                                                 \
		for (;; k_++) {                                                                              \
			lt_mem_fail_after(k_);                                                               \
			lathe_status s_ = (op);                                                              \
			lt_mem_fail_after(-1);                                                               \
			if (s_ == LATHE_OK)                                                                  \
				break;                                                                       \
			cr_assert_eq(s_, LATHE_ENOMEM, "%s, allocation %ld failing: %s (%s)", what, k_,     \
			             lathe_strerror(s_), lathe_last_error());                                \
			on_fail;                                                                             \
			cr_assert_lt(k_, 100000, "%s never succeeds", what);                                 \
		}                                                                                            \
		cr_log_info("%s: %ld allocations, each failure answered LATHE_ENOMEM", what, k_);           \
	} while (0)

Test(lintrans_api, enomem_on_every_allocation)
{
	bgv_fix f;
	bgv_fix_init(&f, &LA_MAIN, BGV_KEYS_NONE, NULL, 0, 9960);
	const size_t n = f.slots / 2;
	small sm;
	small_init(&f, &sm);
	lathe_lintrans_stats st;
	EVERY_ALLOCATION("lathe_lintrans_cost", (void)0, lathe_lintrans_cost(n, sm.idx, 3, 0, &st));
	lathe_lintrans *lt = NULL;
	EVERY_ALLOCATION("lathe_lintrans_new", cr_assert_null(lt),
	                 lathe_lintrans_new(f.ctx, sm.idx, VALS(sm), 3, f.max_level, 2, &lt));
	int steps[8];
	size_t ns;
	BGV_OK(&f, lathe_lintrans_steps(lt, steps, 8, &ns));
	lathe_evalkeys *ek = NULL;
	BGV_OK(&f, lathe_evalkeys_new(f.ctx, f.sk, steps, ns, &ek));
	lathe_eval *ev = NULL;
	BGV_OK(&f, lathe_eval_new(f.ctx, ek, &ev));
	uint64_t *x = bgv_vec(&f), *y = bgv_vec(&f), *ov = bgv_vec(&f);
	bgv_rand(&f, x);
	bgv_rand(&f, ov);
	small_apply(&f, &sm, y, x);
	lathe_ct *a = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, x, 1);
	bgv_encrypt_vec(&f, out, ov, 0);
	EVERY_ALLOCATION("lathe_lintrans_apply", bgv_check(&f, out, ov, "out after a failed allocation"),
	                 lathe_lintrans_apply(ev, out, a, lt));
	bgv_check(&f, out, y, "the transform after the retries");
	lathe_ct_free(a);
	lathe_ct_free(out);
	free(x);
	free(y);
	free(ov);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_lintrans_free(lt);
	small_clear(&sm);
	bgv_fix_clear(&f);
}
