/*
 * Polynomial evaluation (lathe/polyeval.h): random polynomials of degrees
 * 1..255 on random encrypted slot vectors against the same polynomials on
 * the plaintext slots mod t; the stated costs (depth, products, levels)
 * against the plan and against a chain of repeated squarings; the
 * interpolating polynomial against FLINT's and against its table; lookup
 * tables on ciphertexts; aliasing; every status.
 */
#include <math.h>

#include <criterion/criterion.h>
#include <flint/nmod_poly.h>

#include "bgv/bgv_util.h"

__extension__ typedef unsigned __int128 u128;

/* Evaluations up to degree 255: depth 8, and one more level for the scalars. */
static const bgv_pset PE_MAIN = { "insecure-n2048-t65537-d9", 11, 65537, 1, 9, 0, NULL, 0, NULL, 0 };
/* Small chains for the error paths and the chain-length checks. */
static const bgv_pset PE_SMALL = { "insecure-n1024-t65537-d3", 10, 65537, 1, 3, 0, NULL, 0, NULL, 0 };
static const bgv_pset PE_OTHER = { "insecure-n1024-t40961-d2", 10, 40961, 1, 2, 0, NULL, 0, NULL, 0 };

static unsigned
ceil_log2(size_t n)
{
	unsigned r = 0;
	while (((size_t)1 << r) < n)
		r++;
	return r;
}

/* the stated bound on products for degree d */
static double
mul_bound(size_t d)
{
	return 3.0 * sqrt((double)d / 2.0) + log2((double)d) / 2.0;
}

/* gives the fixture a bundle of the relinearization key alone, and an evaluator for it */
static void
fix_relin_only(bgv_fix *f)
{
	BGV_OK(f, lathe_evalkeys_new_ex(f->ctx, f->sk, NULL, 0, LATHE_EVALKEYS_RELIN, &f->ek));
	lathe_eval_free(f->ev);
	f->ev = NULL;
	BGV_OK(f, lathe_eval_new(f->ctx, f->ek, &f->ev));
}

static void
fix_init_relin(bgv_fix *f, const bgv_pset *ps, uint32_t stream)
{
	bgv_fix_init(f, ps, BGV_KEYS_NONE, NULL, 0, stream);
	fix_relin_only(f);
}

/* N = 2^10, t = 65537, a chain from lathe_params_set_depth(depth) (0 allowed) */
static void
fix_init_depth(bgv_fix *f, unsigned depth, uint32_t stream)
{
	lathe_params *p = NULL;
	lathe_ctx *ctx = NULL;
	char name[48];
	snprintf(name, sizeof(name), "insecure-n1024-t65537-d%u", depth);
	cr_assert_eq(lathe_params_new(&p), LATHE_OK);
	cr_assert_eq(lathe_params_set_ring(p, 10), LATHE_OK);
	cr_assert_eq(lathe_params_set_plain_modulus(p, 65537, 1), LATHE_OK);
	cr_assert_eq(lathe_params_set_depth(p, depth), LATHE_OK, "set_depth(%u): %s", depth, lathe_last_error());
	cr_assert_eq(lathe_params_set_security(p, LATHE_SECURITY_NONE), LATHE_OK);
	cr_assert_eq(lathe_ctx_new(p, &ctx), LATHE_OK, "%s: %s", name, lathe_last_error());
	lathe_params_free(p);
	bgv_fix_init_ctx(f, ctx, name, BGV_KEYS_NONE, NULL, 0, stream);
	fix_relin_only(f);
}

/* p(v) mod t by Horner */
static uint64_t
horner(const uint64_t *c, size_t n, uint64_t v, uint64_t t)
{
	uint64_t r = 0;
	for (size_t i = n; i-- > 0;)
		r = (uint64_t)(((u128)r * v + c[i]) % t);
	return r;
}

static void
pm_poly(uint64_t *o, const uint64_t *x, size_t slots, const uint64_t *c, size_t n, uint64_t t)
{
	for (size_t i = 0; i < slots; i++)
		o[i] = horner(c, n, x[i], t);
}

typedef enum { COEF_DENSE, COEF_SPARSE, COEF_SIGNS, COEF_LARGE } coef_kind;

/*
 * n = d + 1 coefficients of a degree-d polynomial: uniform in Z_t (dense),
 * a third of them nonzero (sparse), in {-1, 0, 1} (signs: no scalar
 * multiplication), or of centered size at least t/4 (large).
 */
static void
rand_poly(lt_prng *g, uint64_t *c, size_t d, uint64_t t, coef_kind kind)
{
	for (size_t i = 0; i <= d; i++) {
		uint64_t v;
		switch (kind) {
		case COEF_DENSE: v = test_rand(g, t); break;
		case COEF_SPARSE: v = test_rand(g, 3) == 0 ? test_rand(g, t) : 0; break;
		case COEF_SIGNS: v = (uint64_t[]){ 0, 1, t - 1 }[test_rand(g, 3)]; break;
		default: {
			uint64_t h = t / 4 + test_rand(g, t / 4);
			v = test_rand(g, 2) ? h : t - h;
		}
		}
		c[i] = v;
	}
	while (c[d] == 0)
		c[d] = kind == COEF_SIGNS ? (test_rand(g, 2) ? 1 : t - 1) : test_rand(g, t);
}

static const char *
kind_name(coef_kind k)
{
	return (const char *[]){ "dense", "sparse", "signs", "large" }[k];
}

/*
 * levels[j] = the level of x^(2^j), made by j squarings of a fresh
 * encryption: what j sequential products cost on this chain.
 */
static unsigned
squaring_levels(bgv_fix *f, unsigned *levels, unsigned max)
{
	uint64_t *v = bgv_vec(f);
	bgv_rand(f, v);
	lathe_ct *y = bgv_ct(f);
	bgv_encrypt_vec(f, y, v, 1);
	unsigned j = 0;
	levels[0] = lathe_ct_level(y);
	while (j < max && lathe_ct_square(f->ev, y, y) == LATHE_OK)
		levels[++j] = lathe_ct_level(y);
	lathe_ct_free(y);
	free(v);
	return j;
}

/* decryption and level of ct, to check that a failing call left it alone */
typedef struct snap {
	uint64_t *v;
	unsigned level;
} snap;

static snap
snap_take(bgv_fix *f, const lathe_ct *ct)
{
	snap s = { bgv_vec(f), lathe_ct_level(ct) };
	lathe_pt *pt = bgv_pt(f);
	BGV_OK(f, lathe_decrypt(f->sk, pt, ct));
	BGV_OK(f, lathe_decode_u64(s.v, f->slots, pt));
	lathe_pt_free(pt);
	return s;
}

static void
snap_check(bgv_fix *f, snap *s, const lathe_ct *ct, const char *what)
{
	cr_assert_eq(lathe_ct_level(ct), s->level, "%s: out's level changed [%s]", what, f->desc);
	bgv_check(f, ct, s->v, what);
	free(s->v);
	s->v = NULL;
}

static void
check_stats(bgv_fix *f, const lathe_polyeval_stats *st, const uint64_t *c, size_t n, const char *what)
{
	size_t d = n - 1;
	lathe_polyeval_stats plan;
	BGV_OK(f, lathe_poly_eval_cost(f->t, c, n, &plan));
	cr_assert(st->depth == plan.depth && st->levels == plan.levels && st->nonscalar_muls == plan.nonscalar_muls &&
	              st->scalar_muls == plan.scalar_muls,
	          "%s: evaluation (depth %u, levels %u, %zu products, %zu scalars) differs from its plan "
	          "(%u, %u, %zu, %zu) [%s]",
	          what, st->depth, st->levels, st->nonscalar_muls, st->scalar_muls, plan.depth, plan.levels,
	          plan.nonscalar_muls, plan.scalar_muls, f->desc);
	cr_assert_eq(st->depth, ceil_log2(d), "%s: depth %u, want ceil(log2 %zu) = %u [%s]", what, st->depth, d,
	             ceil_log2(d), f->desc);
	cr_assert(st->levels == st->depth || st->levels == st->depth + 1, "%s: levels %u with depth %u [%s]", what,
	          st->levels, st->depth, f->desc);
	cr_assert((double)st->nonscalar_muls <= mul_bound(d), "%s: %zu products above 3 sqrt(d/2) + log2(d)/2 = %.1f [%s]",
	          what, st->nonscalar_muls, mul_bound(d), f->desc);
	size_t big = 0;
	for (size_t i = 1; i < n; i++)
		big += c[i] != 0 && c[i] != 1 && c[i] != f->t - 1;
	cr_assert_leq(st->scalar_muls, big, "%s: %zu scalar multiplications for %zu coefficients outside {-1, 0, 1} [%s]",
	              what, st->scalar_muls, big, f->desc);
}

/* evaluates one random polynomial of degree d on x (slots xv) and checks everything */
static void
eval_one(bgv_fix *f, const lathe_ct *x, const uint64_t *xv, size_t d, coef_kind kind, const unsigned *sq_levels,
         unsigned n_sq)
{
	char what[120];
	snprintf(what, sizeof(what), "degree %zu, %s coefficients", d, kind_name(kind));
	uint64_t *c = malloc((d + 1) * sizeof(uint64_t));
	uint64_t *ref = bgv_vec(f);
	rand_poly(&f->g, c, d, f->t, kind);
	pm_poly(ref, xv, f->slots, c, d + 1, f->t);
	lathe_ct *out = bgv_ct(f);
	lathe_polyeval_stats st;
	memset(&st, 0xff, sizeof(st));
	BGV_OK(f, lathe_poly_eval(f->ev, out, x, c, d + 1, &st));
	bgv_check(f, out, ref, what);
	check_stats(f, &st, c, d + 1, what);
	/* the level cost: the result is as low as `depth` squarings at most, and `levels` at least */
	unsigned lv = lathe_ct_level(out);
	cr_assert(st.levels <= n_sq, "%s: chain of %u squarings too short for %u levels [%s]", what, n_sq, st.levels,
	          f->desc);
	cr_assert(lv <= sq_levels[st.depth], "%s: result at level %u above that of %u squarings (%u) [%s]", what, lv,
	          st.depth, sq_levels[st.depth], f->desc);
	cr_assert(lv >= sq_levels[st.levels], "%s: result at level %u below that of %u squarings (%u) [%s]", what, lv,
	          st.levels, sq_levels[st.levels], f->desc);
	if (st.levels == st.depth)
		cr_assert_eq(lv, sq_levels[st.depth], "%s: levels %u but result at level %u, %u squarings at %u [%s]", what,
		             st.levels, lv, st.depth, sq_levels[st.depth], f->desc);
	lathe_ct_free(out);
	free(ref);
	free(c);
}

Test(polyeval, random_polynomials_degrees_1_to_255)
{
	bgv_fix f;
	fix_init_relin(&f, &PE_MAIN, 9100);
	unsigned sq[16];
	unsigned n_sq = squaring_levels(&f, sq, 15);
	cr_assert_geq(n_sq, 9, "the chain gives only %u squarings [%s]", n_sq, f.desc);
	uint64_t *xv = bgv_vec(&f);
	lathe_ct *x = bgv_ct(&f);
	bgv_rand(&f, xv);
	bgv_encrypt_vec(&f, x, xv, 1);
	for (size_t d = 1; d <= 16; d++)
		eval_one(&f, x, xv, d, (coef_kind)(d % 4), sq, n_sq);
	static const struct {
		size_t d;
		coef_kind kind;
	} spread[] = { { 17, COEF_DENSE }, { 24, COEF_SPARSE }, { 31, COEF_SIGNS }, { 32, COEF_LARGE },
		       { 33, COEF_DENSE }, { 47, COEF_SPARSE }, { 63, COEF_LARGE }, { 64, COEF_SIGNS },
		       { 65, COEF_DENSE }, { 100, COEF_SPARSE }, { 127, COEF_DENSE }, { 128, COEF_LARGE },
		       { 129, COEF_SIGNS }, { 200, COEF_SPARSE }, { 255, COEF_DENSE }, { 255, COEF_SIGNS } };
	for (size_t i = 0; i < sizeof(spread) / sizeof(spread[0]); i++)
		eval_one(&f, x, xv, spread[i].d, spread[i].kind, sq, n_sq);
	lathe_ct_free(x);
	free(xv);
	bgv_fix_clear(&f);
}

Test(polyeval, plans_meet_the_stated_costs)
{
	/* in the clear: every degree to 1024 and a spread to 2^14, each kind of coefficients */
	bgv_fix f;
	memset(&f, 0, sizeof(f));
	snprintf(f.desc, sizeof(f.desc), "plans t=65537 seed=%llu", SEED);
	f.t = 65537;
	test_prng(&f.g, 9200);
	size_t maxd = 1 << 14;
	uint64_t *c = malloc((maxd + 1) * sizeof(uint64_t));
	for (size_t d = 1; d <= maxd; d = d < 1024 ? d + 1 : d + 509 + test_rand(&f.g, 64)) {
		coef_kind kind = (coef_kind)(d % 4);
		rand_poly(&f.g, c, d, f.t, kind);
		char what[80];
		snprintf(what, sizeof(what), "plan for degree %zu, %s", d, kind_name(kind));
		lathe_polyeval_stats st;
		BGV_OK(&f, lathe_poly_eval_cost(f.t, c, d + 1, &st));
		check_stats(&f, &st, c, d + 1, what);
		if (d <= 255)
			cr_assert((double)st.nonscalar_muls <= 2 * sqrt((double)d) + log2((double)d) - 2,
			          "%s: %zu products above 2 sqrt(d) + log2(d) - 2 [%s]", what, st.nonscalar_muls, f.desc);
		/* trailing zeros change nothing */
		lathe_polyeval_stats st2;
		if (d + 1 <= maxd) {
			c[d + 1] = 0;
			BGV_OK(&f, lathe_poly_eval_cost(f.t, c, d + 2, &st2));
			cr_assert(memcmp(&st, &st2, sizeof(st)) == 0, "%s: a trailing zero changed the plan [%s]", what,
			          f.desc);
		}
	}
	/* x^d needs depth ceil(log2 d) and, for d a power of two, exactly log2 d squarings */
	for (unsigned a = 0; a <= 12; a++) {
		size_t d = (size_t)1 << a;
		memset(c, 0, (d + 1) * sizeof(uint64_t));
		c[d] = 1;
		lathe_polyeval_stats st;
		BGV_OK(&f, lathe_poly_eval_cost(f.t, c, d + 1, &st));
		cr_assert(st.depth == a && st.levels == a && st.nonscalar_muls == a && st.scalar_muls == 0,
		          "x^%zu: depth %u levels %u products %zu scalars %zu [%s]", d, st.depth, st.levels,
		          st.nonscalar_muls, st.scalar_muls, f.desc);
		c[d] = 2;
		BGV_OK(&f, lathe_poly_eval_cost(f.t, c, d + 1, &st));
		cr_assert(st.depth == a && st.levels == a + 1 && st.scalar_muls == 1,
		          "2 x^%zu: depth %u levels %u scalars %zu [%s]", d, st.depth, st.levels, st.scalar_muls, f.desc);
	}
	/* constants cost one multiplication by 0 */
	c[0] = 5;
	c[1] = 0;
	lathe_polyeval_stats st;
	BGV_OK(&f, lathe_poly_eval_cost(f.t, c, 2, &st));
	cr_assert(st.depth == 0 && st.levels == 0 && st.nonscalar_muls == 0 && st.scalar_muls == 1);
	free(c);
}

/*
 * The chain the stats ask for suffices: a context from
 * lathe_params_set_depth(levels) evaluates the polynomial, and one too
 * short for it answers ELEVEL or ENOISE, leaves out alone and still
 * reports the plan.
 */
Test(polyeval, chain_of_the_stated_levels_suffices)
{
	static const size_t degs[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64 };
	bgv_fix fx[9];
	int made[9] = { 0 };
	lt_prng g;
	test_prng(&g, 9300);
	for (size_t i = 0; i < sizeof(degs) / sizeof(degs[0]); i++) {
		for (coef_kind kind = COEF_SIGNS; kind <= COEF_LARGE; kind++) {
			size_t d = degs[i];
			uint64_t *c = malloc((d + 1) * sizeof(uint64_t));
			rand_poly(&g, c, d, 65537, kind);
			lathe_polyeval_stats plan;
			cr_assert_eq(lathe_poly_eval_cost(65537, c, d + 1, &plan), LATHE_OK);
			/* depth - 1 is too short (each product on the longest path costs a level); levels suffice */
			for (unsigned D = plan.depth > 0 ? plan.depth - 1 : 0; D <= plan.levels; D++) {
				if (!made[D]) {
					fix_init_depth(&fx[D], D, 9310 + D);
					made[D] = 1;
				}
				bgv_fix *f = &fx[D];
				char what[120];
				snprintf(what, sizeof(what), "degree %zu, %s, levels %u, chain depth %u", d, kind_name(kind),
				         plan.levels, D);
				uint64_t *xv = bgv_vec(f), *ref = bgv_vec(f);
				bgv_rand(f, xv);
				pm_poly(ref, xv, f->slots, c, d + 1, f->t);
				lathe_ct *x = bgv_ct(f), *out = bgv_ct(f);
				bgv_encrypt_vec(f, x, xv, 1);
				bgv_encrypt_vec(f, out, xv, 0);
				lathe_polyeval_stats st;
				memset(&st, 0, sizeof(st));
				lathe_status s = lathe_poly_eval(f->ev, out, x, c, d + 1, &st);
				cr_assert(memcmp(&st, &plan, sizeof(st)) == 0, "%s: stats differ from the plan [%s]", what,
				          f->desc);
				if (D < plan.depth)
					cr_assert_neq(s, LATHE_OK, "%s: a chain shorter than the depth sufficed [%s]", what,
					              f->desc);
				if (D == plan.levels || s == LATHE_OK) {
					cr_assert_eq(s, LATHE_OK, "%s: %s (%s) [%s]", what, lathe_strerror(s), lathe_last_error(),
					             f->desc);
					bgv_check(f, out, ref, what);
				} else {
					cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE, "%s: %s, want ELEVEL or ENOISE [%s]",
					          what, lathe_strerror(s), f->desc);
					cr_assert(lathe_last_error()[0] != '\0');
					bgv_check(f, out, xv, what); /* unchanged */
				}
				lathe_ct_free(x);
				lathe_ct_free(out);
				free(xv);
				free(ref);
			}
			free(c);
		}
	}
	for (unsigned D = 0; D < 9; D++)
		if (made[D])
			bgv_fix_clear(&fx[D]);
}

/* the interpolating polynomial against FLINT's, and against its table */
static void
interp_check(bgv_fix *f, int64_t lo, int64_t hi, const int64_t *vals)
{
	size_t n = (size_t)(hi - lo) + 1;
	uint64_t *c = malloc(n * sizeof(uint64_t));
	BGV_OK(f, lathe_poly_interpolate(f->ctx, lo, hi, vals, c));
	nmod_poly_t p;
	nmod_poly_init(p, f->t);
	mp_limb_t *xs = malloc(n * sizeof(mp_limb_t)), *ys = malloc(n * sizeof(mp_limb_t));
	for (size_t i = 0; i < n; i++) {
		xs[i] = pm_reduce(lo + (int64_t)i, f->t);
		ys[i] = pm_reduce(vals[i], f->t);
	}
	nmod_poly_interpolate_nmod_vec(p, xs, ys, (slong)n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(c[i], nmod_poly_get_coeff_ui(p, (slong)i),
		             "[%lld, %lld]: coefficient %zu is %llu, FLINT's %llu [%s]", (long long)lo, (long long)hi, i,
		             (unsigned long long)c[i], (unsigned long long)nmod_poly_get_coeff_ui(p, (slong)i), f->desc);
		cr_assert_lt(c[i], f->t);
	}
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(horner(c, n, xs[i], f->t), ys[i], "[%lld, %lld]: p(%lld) != table [%s]", (long long)lo,
		             (long long)hi, (long long)(lo + (int64_t)i), f->desc);
	nmod_poly_clear(p);
	free(xs);
	free(ys);
	free(c);
}

Test(polyeval, interpolation_in_the_clear)
{
	bgv_fix f;
	fix_init_relin(&f, &PE_SMALL, 9400);
	int64_t h = (int64_t)(f.t - 1) / 2;
	int64_t *vals = malloc(600 * sizeof(int64_t));
	for (unsigned trial = 0; trial < test_mult(40); trial++) {
		size_t n = 1 + test_rand(&f.g, trial < 20 ? 20 : 400);
		int64_t lo = (int64_t)test_rand(&f.g, (uint64_t)(2 * h)) - h;
		if (lo + (int64_t)n - 1 > h)
			lo = h - (int64_t)n + 1;
		for (size_t i = 0; i < n; i++) {
			/* signed centered values, and residues in [0, t) */
			vals[i] = trial % 2 ? (int64_t)test_rand(&f.g, f.t) : (int64_t)test_rand(&f.g, f.t) - h;
		}
		interp_check(&f, lo, lo + (int64_t)n - 1, vals);
	}
	/* points that wrap around t: [t - 3, t + ...) is not allowed, but (-t, 0] with values near +-t is */
	for (size_t i = 0; i < 10; i++)
		vals[i] = i % 2 ? (int64_t)f.t - 1 : -(int64_t)f.t + 1;
	interp_check(&f, -(int64_t)f.t + 1, -(int64_t)f.t + 10, vals);
	interp_check(&f, (int64_t)f.t - 10, (int64_t)f.t - 1, vals);
	free(vals);
	bgv_fix_clear(&f);

	/* the whole field: t = 257 (a context without batching still interpolates) */
	lathe_ctx *ctx = NULL;
	cr_assert_eq(bgv_ctx_build(&BGV_INSECURE_COEFF[0], LATHE_SECURITY_NONE, &ctx), LATHE_OK);
	bgv_fix g;
	memset(&g, 0, sizeof(g));
	g.ctx = ctx;
	g.t = lathe_ctx_plain_modulus(ctx);
	snprintf(g.desc, sizeof(g.desc), "t=257 seed=%llu", SEED);
	test_prng(&g.g, 9401);
	int64_t all[257];
	for (size_t i = 0; i < 257; i++)
		all[i] = (int64_t)test_rand(&g.g, 257) - 128;
	interp_check(&g, -128, 128, all);
	interp_check(&g, 0, 256, all);
	uint64_t c[258];
	BGV_FAILS(&g, LATHE_EINVAL, lathe_poly_interpolate(ctx, -128, 129, all, c));
	lathe_ctx_free(ctx);
}

/* f(v) for v in [lo, hi] on encrypted slots holding values of the range */
static void
table_check(bgv_fix *f, int64_t lo, int64_t hi, int64_t (*fn)(int64_t), const char *name)
{
	size_t n = (size_t)(hi - lo) + 1;
	int64_t *vals = malloc(n * sizeof(int64_t));
	for (size_t i = 0; i < n; i++)
		vals[i] = fn(lo + (int64_t)i);
	uint64_t *xv = bgv_vec(f), *ref = bgv_vec(f);
	for (size_t i = 0; i < f->slots; i++) {
		int64_t v = lo + (int64_t)(i < n ? i : test_rand(&f->g, n)); /* every point at least once */
		xv[i] = pm_reduce(v, f->t);
		ref[i] = pm_reduce(fn(v), f->t);
	}
	lathe_ct *x = bgv_ct(f), *out = bgv_ct(f);
	bgv_encrypt_vec(f, x, xv, 1);
	lathe_polyeval_stats st;
	BGV_OK(f, lathe_poly_eval_table(f->ev, out, x, lo, hi, vals, &st));
	char what[80];
	snprintf(what, sizeof(what), "table %s on [%lld, %lld]", name, (long long)lo, (long long)hi);
	bgv_check(f, out, ref, what);
	cr_assert_leq(st.depth, ceil_log2(n - 1), "%s: depth %u [%s]", what, st.depth, f->desc);
	if (n > 1)
		cr_assert((double)st.nonscalar_muls <= mul_bound(n - 1), "%s: %zu products [%s]", what,
		          st.nonscalar_muls, f->desc);
	/* aliasing: out == x */
	BGV_OK(f, lathe_poly_eval_table(f->ev, x, x, lo, hi, vals, NULL));
	bgv_check(f, x, ref, what);
	lathe_ct_free(x);
	lathe_ct_free(out);
	free(xv);
	free(ref);
	free(vals);
}

static int64_t
f_sign(int64_t v)
{
	return (v > 0) - (v < 0);
}
static int64_t
f_ge3(int64_t v)
{
	return v >= 3;
}
static int64_t
f_square(int64_t v)
{
	return v * v % 65537;
}
static int64_t
f_relu(int64_t v)
{
	return v > 0 ? v : 0;
}

Test(polyeval, lookup_tables_on_ciphertexts)
{
	/* degree 63 at most: depth 6, and one level for the scalars */
	bgv_fix f;
	fix_init_depth(&f, 7, 9500);
	table_check(&f, -8, 8, f_sign, "sign");
	table_check(&f, -10, 10, f_ge3, "x >= 3");
	table_check(&f, 0, 15, f_square, "x^2 mod t");
	table_check(&f, 250, 260, f_square, "x^2 mod t");
	table_check(&f, -32, 31, f_relu, "relu");
	table_check(&f, 7, 7, f_relu, "a single point");
	bgv_fix_clear(&f);
}

Test(polyeval, out_may_alias_x)
{
	bgv_fix f;
	fix_init_relin(&f, &PE_SMALL, 9600);
	uint64_t *xv = bgv_vec(&f), *ref = bgv_vec(&f);
	bgv_rand(&f, xv);
	for (size_t d = 0; d <= 4; d++) {
		uint64_t c[5];
		rand_poly(&f.g, c, d, f.t, COEF_DENSE);
		pm_poly(ref, xv, f.slots, c, d + 1, f.t);
		lathe_ct *x = bgv_ct(&f);
		bgv_encrypt_vec(&f, x, xv, 1);
		lathe_polyeval_stats st;
		BGV_OK(&f, lathe_poly_eval(f.ev, x, x, c, d + 1, &st));
		char what[40];
		snprintf(what, sizeof(what), "out == x, degree %zu", d);
		bgv_check(&f, x, ref, what);
		lathe_ct_free(x);
	}
	free(xv);
	free(ref);
	bgv_fix_clear(&f);
}

Test(polyeval, constants_and_trailing_zeros)
{
	bgv_fix f;
	bgv_fix_init(&f, &PE_SMALL, BGV_KEYS_NONE, NULL, 0, 9700); /* no key: degree <= 1 needs no product */
	uint64_t *xv = bgv_vec(&f), *ref = bgv_vec(&f);
	bgv_rand(&f, xv);
	lathe_ct *x = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, xv, 1);
	const uint64_t cases[][4] = { { 5, 0, 0, 0 }, { 0, 0, 0, 0 }, { 65536, 0, 0, 0 }, { 3, 65536, 0, 0 },
		                      { 0, 1, 0, 0 }, { 7, 12345, 0, 0 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pm_poly(ref, xv, f.slots, cases[i], 4, f.t);
		lathe_polyeval_stats st, st2;
		BGV_OK(&f, lathe_poly_eval(f.ev, out, x, cases[i], 4, &st));
		bgv_check(&f, out, ref, "constant or linear with trailing zeros");
		size_t n = 4;
		while (n > 1 && cases[i][n - 1] == 0)
			n--;
		BGV_OK(&f, lathe_poly_eval(f.ev, out, x, cases[i], n, &st2));
		bgv_check(&f, out, ref, "constant or linear");
		cr_assert(memcmp(&st, &st2, sizeof(st)) == 0);
		cr_assert_eq(st.nonscalar_muls, 0);
		cr_assert_eq(st.depth, 0);
	}
	lathe_ct_free(x);
	lathe_ct_free(out);
	free(xv);
	free(ref);
	bgv_fix_clear(&f);
}

Test(polyeval, every_status)
{
	bgv_fix f, o;
	fix_init_relin(&f, &PE_SMALL, 9800);
	fix_init_relin(&o, &PE_OTHER, 9801);
	uint64_t *xv = bgv_vec(&f);
	bgv_rand(&f, xv);
	lathe_ct *x = bgv_ct(&f), *out = bgv_ct(&f), *xo = bgv_ct(&o);
	bgv_encrypt_vec(&f, x, xv, 1);
	bgv_encrypt_vec(&f, out, xv, 0);
	uint64_t *ov = bgv_vec(&o);
	bgv_rand(&o, ov);
	bgv_encrypt_vec(&o, xo, ov, 1);
	const uint64_t c[4] = { 1, 2, 3, 4 };
	const uint64_t bad[3] = { 1, 65537, 2 };
	const int64_t vals[5] = { 0, 1, -1, 2, 3 };
	uint64_t cf[5] = { 0 }, cf0[5] = { 0 };
	lathe_polyeval_stats st = { 11, 12, 13, 14 }, st0 = st;
	snap sn = snap_take(&f, out);

	/* LATHE_EINVAL */
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval(NULL, out, x, c, 4, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval(f.ev, NULL, x, c, 4, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval(f.ev, out, NULL, c, 4, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval(f.ev, out, x, NULL, 4, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval(f.ev, out, x, c, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval(f.ev, out, x, bad, 3, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_cost(65537, c, 4, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_cost(1, c, 4, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_cost(65537, NULL, 4, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_cost(65537, c, 0, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_cost(65537, bad, 3, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(NULL, 0, 4, vals, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, 0, 4, NULL, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, 0, 4, vals, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, 4, 0, vals, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, -65537, -65533, vals, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, 65533, 65537, vals, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, INT64_MIN, INT64_MAX, vals, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, -65536, 65536, vals, cf)); /* 2t - 1 points */
	const int64_t badv[5] = { 0, 1, 65537, 2, 3 }, badn[5] = { 0, 1, -65537, 2, 3 };
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, 0, 4, badv, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_interpolate(f.ctx, 0, 4, badn, cf));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_table(NULL, out, x, 0, 4, vals, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_table(f.ev, NULL, x, 0, 4, vals, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_table(f.ev, out, NULL, 0, 4, vals, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_table(f.ev, out, x, 0, 4, NULL, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_table(f.ev, out, x, 4, 0, vals, &st));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_poly_eval_table(f.ev, out, x, 0, 4, badv, &st));
	cr_assert(memcmp(&st, &st0, sizeof(st)) == 0, "argument errors touched stats");
	cr_assert(memcmp(cf, cf0, sizeof(cf)) == 0, "argument errors touched coeffs");

	/* LATHE_EPARAM: no slots (t = 2^16), and t not prime (3^5) */
	{
		bgv_fix nb;
		fix_init_relin(&nb, &BGV_INSECURE_COEFF[2], 9802);
		lathe_ct *y = bgv_ct(&nb);
		uint64_t *yv = bgv_vec(&nb);
		bgv_rand(&nb, yv);
		bgv_encrypt_vec(&nb, y, yv, 1);
		const uint64_t c257[3] = { 1, 2, 3 };
		BGV_FAILS(&nb, LATHE_EPARAM, lathe_poly_eval(nb.ev, y, y, c257, 3, &st));
		BGV_FAILS(&nb, LATHE_EPARAM, lathe_poly_eval_table(nb.ev, y, y, 0, 4, vals, &st));
		lathe_ct_free(y);
		free(yv);
		bgv_fix_clear(&nb);
		lathe_ctx *pr = NULL;
		cr_assert_eq(bgv_ctx_build(&BGV_INSECURE_COEFF[0], LATHE_SECURITY_NONE, &pr), LATHE_OK);
		BGV_OK(&f, lathe_poly_interpolate(pr, 0, 4, vals, cf)); /* t = 257 is prime */
		lathe_ctx_free(pr);
		lathe_ctx *pp = NULL;
		cr_assert_eq(bgv_ctx_build(&BGV_INSECURE_COEFF[1], LATHE_SECURITY_NONE, &pp), LATHE_OK);
		memcpy(cf, cf0, sizeof(cf));
		BGV_FAILS(&f, LATHE_EPARAM, lathe_poly_interpolate(pp, 0, 4, vals, cf));
		cr_assert(memcmp(cf, cf0, sizeof(cf)) == 0);
		lathe_ctx_free(pp);
	}
	cr_assert(memcmp(&st, &st0, sizeof(st)) == 0, "parameter errors touched stats");

	/* LATHE_EMISMATCH: x of another context, a ctx other than ev's, x of another key pair */
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_poly_eval(f.ev, out, xo, c, 4, &st));
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_poly_eval(f.ev, xo, x, c, 4, &st)); /* out of another context */
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_poly_eval_table(f.ev, out, xo, 0, 4, vals, &st));
	{
		lathe_sk *sk2 = NULL;
		lathe_pk *pk2 = NULL;
		BGV_OK(&f, lathe_keygen(f.ctx, &sk2, &pk2));
		lathe_pt *pt = bgv_pt(&f);
		bgv_encode_vec(&f, pt, xv);
		lathe_ct *x2 = bgv_ct(&f);
		BGV_OK(&f, lathe_encrypt(pk2, x2, pt));
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_poly_eval(f.ev, out, x2, c, 4, &st));
		BGV_FAILS(&f, LATHE_EMISMATCH, lathe_poly_eval(f.ev, out, x2, c, 2, &st)); /* linear: a scalar op */
		lathe_ct_free(x2);
		lathe_pt_free(pt);
		lathe_sk_free(sk2);
		lathe_pk_free(pk2);
	}

	/* LATHE_ENOKEY: no relinearization key; a linear polynomial needs none */
	{
		lathe_eval *ev0 = NULL;
		BGV_OK(&f, lathe_eval_new(f.ctx, NULL, &ev0));
		BGV_FAILS(&f, LATHE_ENOKEY, lathe_poly_eval(ev0, out, x, c, 4, &st));
		BGV_FAILS(&f, LATHE_ENOKEY, lathe_poly_eval_table(ev0, out, x, 0, 4, vals, &st));
		lathe_ct *lin = bgv_ct(&f);
		BGV_OK(&f, lathe_poly_eval(ev0, lin, x, c, 2, &st));
		lathe_ct_free(lin);
		lathe_eval_free(ev0);
	}

	/* LATHE_ELEVEL or LATHE_ENOISE: degree 64 needs 6 levels, the chain has 3; stats still get the plan */
	{
		uint64_t *big = malloc(65 * sizeof(uint64_t));
		rand_poly(&f.g, big, 64, f.t, COEF_DENSE);
		lathe_polyeval_stats plan;
		BGV_OK(&f, lathe_poly_eval_cost(f.t, big, 65, &plan));
		memset(&st, 0, sizeof(st));
		lathe_status s = lathe_poly_eval(f.ev, out, x, big, 65, &st);
		cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE, "degree 64 on depth 3: %s [%s]", lathe_strerror(s),
		          f.desc);
		cr_assert(strstr(lathe_last_error(), "lathe_poly_eval") != NULL, "detail '%s'", lathe_last_error());
		cr_assert(memcmp(&st, &plan, sizeof(st)) == 0, "a failed evaluation does not report its plan");
		/* the same at level 0, where even the first product is refused */
		lathe_ct *x0 = bgv_ct(&f);
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x0, x, 0));
		s = lathe_poly_eval(f.ev, out, x0, c, 4, &st);
		cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE, "cubic at level 0: %s [%s]", lathe_strerror(s), f.desc);
		/* out == x is left alone as well */
		snap s0 = snap_take(&f, x0);
		s = lathe_poly_eval(f.ev, x0, x0, big, 65, &st);
		cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE);
		snap_check(&f, &s0, x0, "x0 after a failed aliased evaluation");
		lathe_ct_free(x0);
		free(big);
	}
	snap_check(&f, &sn, out, "out after every failure");

	lathe_ct_free(x);
	lathe_ct_free(out);
	lathe_ct_free(xo);
	free(xv);
	free(ov);
	bgv_fix_clear(&f);
	bgv_fix_clear(&o);
}
