/*
 * What the files of polynomial evaluation (lathe/polyeval.h) share, never
 * installed: the values and the state of a walk over the coefficients, the
 * operations on values (polyeval_ops.c), the Paterson-Stockmeyer walk and
 * the evaluation (polyeval.c), and the plan (polyeval_cost.c); the lookup
 * tables (polyeval_table.c) use the evaluation.
 */
#ifndef LT_ALGO_POLYEVAL_H
#define LT_ALGO_POLYEVAL_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/polyeval.h>

/*
 * How much a ciphertext's noise exceeds that of a clean product at its
 * level: MILD (a bit or two) costs a level before the next product but
 * still decrypts; DIRTY (up to log2 t bits: a scalar multiple, or a sum of
 * two terms at one level, one of them multiplied by a ratio of correction
 * factors) costs a level before a product or before decryption.
 */
enum { CLEAN = 0, MILD = 1, DIRTY = 2 };

/*
 * Ciphertexts of one context kept for reuse: an evaluation's temporaries,
 * and a caller's between evaluations (the bootstrap keeps one across
 * bootstraps, so that each does not map, fault in and zero tens of MB
 * anew at N = 2^16). lt_pe_pool_get: one from the pool (any level; it
 * grows when needed), or a new one with room for `level`; LATHE_ENOMEM.
 * The pool's ciphertexts of another context are freed first.
 * lt_pe_pool_put: ct (NULL: nothing) back, freed when the pool cannot
 * grow. lt_pe_pool_clear frees all of them and leaves the pool empty.
 */
typedef struct lt_pe_pool {
	const lathe_ctx *ctx;
	lathe_ct **ct;
	size_t n, cap;
} lt_pe_pool;
lathe_status lt_pe_pool_get(lt_pe_pool *p, const lathe_ctx *ctx, unsigned level, lathe_ct **out);
void lt_pe_pool_put(lt_pe_pool *p, lathe_ct *ct);
void lt_pe_pool_clear(lt_pe_pool *p);

/* a value of the walk: a public constant, or a ciphertext with its costs */
typedef struct pe_val {
	int is_ct;
	uint64_t c;         /* the constant, in [0, t) (when !is_ct) */
	lathe_ct *ct;       /* owned, or borrowed when `borrowed` (NULL in a dry run) */
	int borrowed;
	unsigned depth;     /* sequential products on the longest path */
	unsigned lv;        /* levels used on the way here (see lt_pe_mul) */
	int dirty;          /* CLEAN, MILD or DIRTY */
} pe_val;

/*
 * The state of one walk. One walk over the coefficients serves as the
 * planner and as the evaluation: with run.dry set it only counts the
 * products, scalar multiplications, depth and levels it would make;
 * without, it makes them. The plan and the evaluation therefore agree by
 * construction, and the stats an evaluation returns are counted at the
 * calls it made. Only public data (the coefficients, the plan, levels)
 * steers branches; the ciphertexts go through lathe_ct_* calls alone.
 */
typedef struct pe_run {
	int dry;
	lathe_eval *ev;
	const lathe_ctx *ctx;
	const lathe_ct *x;
	uint64_t t;
	const uint64_t *coeffs;
	unsigned l;         /* baby steps x^1 .. x^k, k = 2^l */
	size_t k;
	pe_val *baby;       /* baby[i] = x^i, 1 <= i <= k (computed on demand) */
	lathe_ct **low;     /* low[i]: baby[i] switched down to a leaf's level (or NULL) */
	pe_val *giant;      /* giant[j] = x^(k 2^j) (giant[0] is baby[k]) */
	unsigned ngiant;
	unsigned have_giant; /* giant[0 .. have_giant) are computed */
	lt_pe_pool *pool;   /* released temporaries, reused: the caller's, or own */
	lt_pe_pool own;
	lathe_polyeval_stats st;
	lathe_status err;
	char what[64];      /* which step failed, for lathe_last_error() */
} pe_run;

/* ceil(log2 n) for n >= 1 */
static inline unsigned
lt_pe_ceil_log2(size_t n)
{
	unsigned r = 0;
	while (((size_t)1 << r) < n)
		r++;
	return r;
}

/* c in [0, t) centred: c - t when c > (t - 1) / 2, else c */
static inline int64_t
lt_pe_centered(uint64_t c, uint64_t t)
{
	return c > (t - 1) / 2 ? (int64_t)c - (int64_t)t : (int64_t)c;
}

/* ---- values and their operations (polyeval_ops.c) ---- */

/* Records the first failure of r (status s) with the step that made it; returns s. */
lathe_status lt_pe_fail(pe_run *r, lathe_status s, const char *step);
/* *ct gets a temporary ciphertext of r->ctx: from the pool, or new (LATHE_ENOMEM). */
lathe_status lt_pe_tmp_get(pe_run *r, lathe_ct **ct);
/* Gives ct (NULL: nothing) back to the pool; frees it when the pool cannot grow. */
void lt_pe_tmp_put(pe_run *r, lathe_ct *ct);
/* Releases v's ciphertext to the pool unless borrowed, and zeroes v. */
void lt_pe_val_release(pe_run *r, pe_val *v);
/* dst = a * b (relinearized), a new value; a and b ciphertext values. */
lathe_status lt_pe_mul(pe_run *r, pe_val *dst, const pe_val *a, const pe_val *b, const char *step);
/*
 * acc (+)= c * a, c in [0, t) nonzero; acc is made when it is no
 * ciphertext yet. a_ct: a's ciphertext, possibly switched down to acc's
 * level already (used for c = 1 and -1).
 */
lathe_status lt_pe_axpy(pe_run *r, pe_val *acc, const pe_val *a, const lathe_ct *a_ct, uint64_t c);
/* acc += b (both ciphertexts). */
lathe_status lt_pe_add(pe_run *r, pe_val *acc, const pe_val *b);
/* acc += c, c in [0, t) (acc a ciphertext). */
lathe_status lt_pe_add_const(pe_run *r, pe_val *acc, uint64_t c);

/* ---- the walk (polyeval.c) ---- */

/*
 * One walk with baby steps 2^l over c[0..n) = r->coeffs (trimmed, n >= 2):
 * counts into r->st; *res gets the result, a ciphertext the caller owns
 * (live) or its costs (dry). On a failed operation r->err and r->what say
 * which; LATHE_ENOMEM for the walk's own tables.
 */
lathe_status lt_pe_run_walk(pe_run *r, unsigned l, size_t n, pe_val *res);
/*
 * lathe_poly_eval with fn naming the public caller in error sentences:
 * checks its arguments, plans, walks, and writes the result to out.
 */
lathe_status lt_pe_poly_eval(const char *fn, lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out, const lathe_ct *x,
                             const uint64_t *coeffs, size_t n, lathe_polyeval_stats *stats);
/* The same with the temporaries taken from and given back to keep (NULL: a pool of the call's own). */
lathe_status lt_pe_poly_eval_keep(const char *fn, lathe_eval *ev, const lathe_ctx *ctx, lathe_ct *out,
                                  const lathe_ct *x, const uint64_t *coeffs, size_t n, lathe_polyeval_stats *stats,
                                  lt_pe_pool *keep);

/* ---- the plan (polyeval_cost.c) ---- */

/* LATHE_EINVAL unless coeffs is not NULL, n >= 1 and every coefficient is below t. */
lathe_status lt_pe_check_coeffs(const char *fn, uint64_t t, const uint64_t *coeffs, size_t n);
/*
 * The baby-step exponent *best_l with the fewest products, then levels,
 * then scalar multiplications, for c[0..n) (trimmed), and its costs.
 * LATHE_ENOMEM from a dry walk.
 */
lathe_status lt_pe_plan(uint64_t t, const uint64_t *coeffs, size_t n, unsigned *best_l, lathe_polyeval_stats *best);
/* n without the trailing zero coefficients (at least 1). */
size_t lt_pe_trimmed(const uint64_t *coeffs, size_t n);

#endif
