/*
 * Homomorphic arithmetic against the plaintext model mod t: ciphertext
 * add/sub/neg/mul/square/mul_raw+relin, plaintext and scalar operations,
 * and every aliasing of outputs and inputs, at three insecure sets
 * (N = 2^10..2^12, t = 40961 / 65537 / 786433, dnum 1..3).
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "bgv/bgv_util.h"
#include "bgv/evalcore.h"
#include "bgv/internal.h"
#include "core/mem.h"

typedef lathe_status (*ct_binop)(lathe_eval *, lathe_ct *, const lathe_ct *, const lathe_ct *);
typedef void (*pm_binop)(uint64_t *, const uint64_t *, const uint64_t *, size_t, uint64_t);

static lathe_status
mul_raw_relin(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lathe_ct *b)
{
	lathe_status s = lathe_ct_mul_raw(ev, out, a, b);
	if (s)
		return s;
	if (lathe_ct_size(out) != 3)
		return LATHE_STATUS_COUNT; /* flagged by the caller's assertion */
	return lathe_ct_relin(ev, out, out);
}

static const struct {
	const char *name;
	ct_binop op;
	pm_binop model;
} BINOPS[] = {
	{ "add", lathe_ct_add, pm_add },
	{ "sub", lathe_ct_sub, pm_sub },
	{ "mul", lathe_ct_mul, pm_mul },
	{ "mul_raw+relin", mul_raw_relin, pm_mul },
};

static const char *const ALIAS[] = { "out distinct", "out == a", "out == b", "a == b", "out == a == b" };

Test(arith, binary_ops_with_every_aliasing, .timeout = 120)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 300 + (uint32_t)si);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a0 = bgv_ct(&f), *b0 = bgv_ct(&f), *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(1); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a0, v, 1);
			bgv_encrypt_vec(&f, b0, w, 0);
			for (size_t oi = 0; oi < sizeof(BINOPS) / sizeof(BINOPS[0]); oi++) {
				for (int al = 0; al < 5; al++) {
					char what[96];
					snprintf(what, sizeof(what), "%s, %s, trial %u", BINOPS[oi].name, ALIAS[al], trial);
					BGV_OK(&f, lathe_ct_copy(a, a0));
					BGV_OK(&f, lathe_ct_copy(b, b0));
					lathe_ct *out;
					switch (al) {
					case 0: out = c; BGV_OK(&f, BINOPS[oi].op(f.ev, c, a, b)); BINOPS[oi].model(r, v, w, n, f.t); break;
					case 1: out = a; BGV_OK(&f, BINOPS[oi].op(f.ev, a, a, b)); BINOPS[oi].model(r, v, w, n, f.t); break;
					case 2: out = b; BGV_OK(&f, BINOPS[oi].op(f.ev, b, a, b)); BINOPS[oi].model(r, v, w, n, f.t); break;
					case 3: out = c; BGV_OK(&f, BINOPS[oi].op(f.ev, c, a, a)); BINOPS[oi].model(r, v, v, n, f.t); break;
					default: out = a; BGV_OK(&f, BINOPS[oi].op(f.ev, a, a, a)); BINOPS[oi].model(r, v, v, n, f.t); break;
					}
					cr_assert_eq(lathe_ct_size(out), 2, "%s: result of size %u [%s]", what, lathe_ct_size(out), f.desc);
					bgv_check(&f, out, r, what);
					bgv_check_estimate(&f, out, what);
					/* the inputs that were not outputs are untouched */
					if (al != 1 && al != 4)
						bgv_check(&f, a, v, "input a after the op");
					if (al != 2 && al != 4 && al != 3)
						bgv_check(&f, b, w, "input b after the op");
				}
			}
		}
		lathe_ct_free(a0);
		lathe_ct_free(b0);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}

/*
 * Sums of two ciphertexts at one level whose correction factors differ
 * (a product against a fresh ciphertext switched down to its level): b is
 * brought to a's factor inside the sum. Both orders, add and sub, every
 * aliasing, and a 3-component operand against a 2-component one.
 */
Test(arith, sums_across_correction_factors, .timeout = 120)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 330 + (uint32_t)si);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *vv = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *x = bgv_ct(&f), *p = bgv_ct(&f), *p3 = bgv_ct(&f), *y = bgv_ct(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		unsigned differ = 0;
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, x, v, 1);
			pm_mul(vv, v, v, n, f.t);
			BGV_OK(&f, lathe_ct_mul(f.ev, p, x, x));
			BGV_OK(&f, lathe_ct_mul_raw(f.ev, p3, p, p));
			for (int three = 0; three < 2; three++) {
				const lathe_ct *pa = three ? p3 : p;
				uint64_t *ref = bgv_vec(&f);
				if (three)
					pm_mul(ref, vv, vv, n, f.t);
				else
					pm_copy(ref, vv, n);
				bgv_encrypt_vec(&f, y, w, 1);
				BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, y, y, lathe_ct_level(pa)));
				/*
				 * chains of primes 1 mod t keep every factor 1: y's words are
				 * scaled by k and its factor with them (the same message)
				 */
				const int64_t k = 2 + (int64_t)trial;
				BGV_OK(&f, lathe_ct_mul_scalar(f.ev, y, y, k));
				y->fac = lt_mulmod(y->fac, (uint64_t)k, f.t, lt_barrett_prep(f.t));
				differ += pa->fac != y->fac;
				for (int sub = 0; sub < 2; sub++)
					for (int order = 0; order < 2; order++)
						for (int al = 0; al < 3; al++) {
							char what[96];
							snprintf(what, sizeof(what), "%s, %s first, %s, %s, trial %u", sub ? "sub" : "add",
							         order ? "fresh" : "product", three ? "3 components" : "2 components",
							         ALIAS[al], trial);
							BGV_OK(&f, lathe_ct_copy(a, order ? y : pa));
							BGV_OK(&f, lathe_ct_copy(b, order ? pa : y));
							const uint64_t *ma = order ? w : ref, *mb = order ? ref : w;
							ct_binop op = sub ? lathe_ct_sub : lathe_ct_add;
							lathe_ct *out = al == 0 ? c : al == 1 ? a : b;
							BGV_OK(&f, op(f.ev, out, a, b));
							(sub ? pm_sub : pm_add)(r, ma, mb, n, f.t);
							cr_assert_eq(lathe_ct_size(out), lathe_ct_size(pa), "%s: size %u [%s]", what,
							             lathe_ct_size(out), f.desc);
							bgv_check(&f, out, r, what);
							bgv_check_estimate(&f, out, what);
							if (al != 1)
								bgv_check(&f, a, ma, "input a after the op");
							if (al != 2)
								bgv_check(&f, b, mb, "input b after the op");
						}
				free(ref);
			}
		}
		/* the factors did differ, so the sums above took the scaled path */
		cr_assert(differ > 0, "no pair with different factors [%s]", f.desc);
		lathe_ct_free(x);
		lathe_ct_free(p);
		lathe_ct_free(p3);
		lathe_ct_free(y);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(vv);
		free(r);
		bgv_fix_clear(&f);
	}
}

Test(arith, neg_square_and_raw_product)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 310 + (uint32_t)si);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, 1);
			bgv_encrypt_vec(&f, b, w, 1);
			BGV_OK(&f, lathe_ct_neg(f.ev, c, a));
			pm_neg(r, v, n, f.t);
			bgv_check(&f, c, r, "neg");
			bgv_check_estimate(&f, c, "neg");
			BGV_OK(&f, lathe_ct_neg(f.ev, c, c));
			bgv_check(&f, c, v, "neg in place (twice)");
			BGV_OK(&f, lathe_ct_square(f.ev, c, a));
			pm_mul(r, v, v, n, f.t);
			bgv_check(&f, c, r, "square");
			bgv_check_estimate(&f, c, "square");
			BGV_OK(&f, lathe_ct_copy(c, b));
			BGV_OK(&f, lathe_ct_square(f.ev, c, c));
			pm_mul(r, w, w, n, f.t);
			bgv_check(&f, c, r, "square in place");
			/* the raw product decrypts as it is (c0 + c1 s + c2 s^2) */
			BGV_OK(&f, lathe_ct_mul_raw(f.ev, c, a, b));
			cr_assert_eq(lathe_ct_size(c), 3, "mul_raw gives %u components [%s]", lathe_ct_size(c), f.desc);
			pm_mul(r, v, w, n, f.t);
			bgv_check(&f, c, r, "raw product, before relin");
			bgv_check_estimate(&f, c, "raw product");
			lathe_ct *d = bgv_ct(&f);
			BGV_OK(&f, lathe_ct_relin(f.ev, d, c));
			cr_assert_eq(lathe_ct_size(d), 2, "relin gives %u components [%s]", lathe_ct_size(d), f.desc);
			cr_assert_eq(lathe_ct_size(c), 3, "relin changed its input [%s]", f.desc);
			bgv_check(&f, d, r, "relin");
			bgv_check_estimate(&f, d, "relin");
			/* relin of a 2-component ciphertext is a copy */
			BGV_OK(&f, lathe_ct_relin(f.ev, d, a));
			bgv_check(&f, d, v, "relin of size 2");
			lathe_ct_free(d);
		}
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}

Test(arith, plaintext_and_scalar_ops)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_NONE, NULL, 0, 320 + (uint32_t)si);
		size_t n = f.slots;
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
		lathe_pt *pt = bgv_pt(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, trial & 1);
			bgv_encode_vec(&f, pt, w);
			BGV_OK(&f, lathe_ct_add_plain(f.ev, c, a, pt));
			pm_add(r, v, w, n, f.t);
			bgv_check(&f, c, r, "add_plain");
			bgv_check_estimate(&f, c, "add_plain");
			BGV_OK(&f, lathe_ct_sub_plain(f.ev, c, a, pt));
			pm_sub(r, v, w, n, f.t);
			bgv_check(&f, c, r, "sub_plain");
			bgv_check_estimate(&f, c, "sub_plain");
			BGV_OK(&f, lathe_ct_mul_plain(f.ev, c, a, pt));
			pm_mul(r, v, w, n, f.t);
			bgv_check(&f, c, r, "mul_plain");
			bgv_check_estimate(&f, c, "mul_plain");
			/* in place */
			BGV_OK(&f, lathe_ct_copy(c, a));
			BGV_OK(&f, lathe_ct_mul_plain(f.ev, c, c, pt));
			BGV_OK(&f, lathe_ct_add_plain(f.ev, c, c, pt));
			BGV_OK(&f, lathe_ct_sub_plain(f.ev, c, c, pt));
			pm_mul(r, v, w, n, f.t);
			bgv_check(&f, c, r, "mul_plain, add_plain, sub_plain in place");
			for (int k = 0; k < 6; k++) {
				int64_t s = bgv_rand_scalar(&f);
				if (k == 0)
					s = -2;
				char what[64];
				if (k <= 2) {
					/*
					 * "an integer c": outside [-(t-1)/2, (t-1)/2] the header does not say whether c
					 * is reduced mod t or refused; either is accepted, a wrong product is not.
					 */
					int64_t big = k == 1 ? (int64_t)f.t + 3 : -(int64_t)f.t * 5 - 1;
					lathe_status st = lathe_ct_mul_scalar(f.ev, c, a, big);
					cr_assert(st == LATHE_OK || st == LATHE_EINVAL, "mul_scalar(%lld) -> %s [%s]", (long long)big,
					          lathe_strerror(st), f.desc);
					if (st == LATHE_OK) {
						pm_mul_scalar(r, v, big, n, f.t);
						snprintf(what, sizeof(what), "mul_scalar(%lld)", (long long)big);
						bgv_check(&f, c, r, what);
					}
					st = lathe_ct_add_scalar(f.ev, c, a, big);
					cr_assert(st == LATHE_OK || st == LATHE_EINVAL, "add_scalar(%lld) -> %s [%s]", (long long)big,
					          lathe_strerror(st), f.desc);
					if (st == LATHE_OK) {
						pm_add_scalar(r, v, big, n, f.t);
						snprintf(what, sizeof(what), "add_scalar(%lld)", (long long)big);
						bgv_check(&f, c, r, what);
					}
				}
				BGV_OK(&f, lathe_ct_mul_scalar(f.ev, c, a, s));
				pm_mul_scalar(r, v, s, n, f.t);
				snprintf(what, sizeof(what), "mul_scalar(%lld)", (long long)s);
				bgv_check(&f, c, r, what);
				bgv_check_estimate(&f, c, what);
				BGV_OK(&f, lathe_ct_add_scalar(f.ev, c, a, s));
				pm_add_scalar(r, v, s, n, f.t);
				snprintf(what, sizeof(what), "add_scalar(%lld)", (long long)s);
				bgv_check(&f, c, r, what);
				bgv_check_estimate(&f, c, what);
				BGV_OK(&f, lathe_ct_add_scalar(f.ev, c, c, s));
				BGV_OK(&f, lathe_ct_mul_scalar(f.ev, c, c, s));
				pm_add_scalar(r, r, s, n, f.t);
				pm_mul_scalar(r, r, s, n, f.t);
				snprintf(what, sizeof(what), "(a + 2*%lld) * %lld in place", (long long)s, (long long)s);
				bgv_check(&f, c, r, what);
			}
			/* plaintext ops on a product (3 components and after relin would need keys: raw only) */
			BGV_OK(&f, lathe_ct_mul_raw(f.ev, c, a, a));
			BGV_OK(&f, lathe_ct_mul_scalar(f.ev, c, c, -1));
			pm_mul(r, v, v, n, f.t);
			pm_neg(r, r, n, f.t);
			bgv_check(&f, c, r, "-(a*a) raw, mul_scalar(-1)");
		}
		lathe_pt_free(pt);
		lathe_ct_free(a);
		lathe_ct_free(c);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}

Test(arith, longer_random_circuit_tracks_the_model)
{
	/* x <- x*y + z - x, etc.: a few multiplications deep at the deepest arith set */
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_ARITH[2], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 330);
	size_t n = f.slots;
	uint64_t *x = bgv_vec(&f), *y = bgv_vec(&f), *z = bgv_vec(&f), *t1 = bgv_vec(&f);
	lathe_ct *X = bgv_ct(&f), *Y = bgv_ct(&f), *Z = bgv_ct(&f), *T = bgv_ct(&f);
	bgv_rand(&f, x);
	bgv_rand(&f, y);
	bgv_rand(&f, z);
	bgv_encrypt_vec(&f, X, x, 1);
	bgv_encrypt_vec(&f, Y, y, 1);
	bgv_encrypt_vec(&f, Z, z, 0);
	for (unsigned round = 0; round < f.ps->depth; round++) {
		/* T = X*Y + Z - X ; X = T ; Y = Y + Z */
		BGV_OK(&f, lathe_ct_mul(f.ev, T, X, Y));
		BGV_OK(&f, lathe_ct_add(f.ev, T, T, Z));
		BGV_OK(&f, lathe_ct_sub(f.ev, T, T, X));
		BGV_OK(&f, lathe_ct_copy(X, T));
		BGV_OK(&f, lathe_ct_add(f.ev, Y, Y, Z));
		pm_mul(t1, x, y, n, f.t);
		pm_add(t1, t1, z, n, f.t);
		pm_sub(x, t1, x, n, f.t);
		pm_add(y, y, z, n, f.t);
		char what[48];
		snprintf(what, sizeof(what), "circuit round %u", round);
		bgv_check(&f, X, x, what);
		bgv_check(&f, Y, y, what);
		bgv_check_estimate(&f, X, what);
	}
	lathe_ct_free(X);
	lathe_ct_free(Y);
	lathe_ct_free(Z);
	lathe_ct_free(T);
	free(x);
	free(y);
	free(z);
	free(t1);
	bgv_fix_clear(&f);
}

Test(arith, prepared_plaintext_products_equal_mul_plain)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_DEFAULT, NULL, 0, 700 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *r = bgv_vec(&f);
		bgv_rand(&f, v);
		bgv_rand(&f, w);
		pm_mul(r, v, w, f.slots, f.t);
		lathe_pt *pw = bgv_pt(&f);
		bgv_encode_vec(&f, pw, w);
		lathe_prepared_pt *top, *low;
		BGV_OK(&f, lathe_prepared_pt_new(pw, f.max_level, &top));
		BGV_OK(&f, lathe_prepared_pt_new(pw, 0, &low));
		cr_assert_eq(lathe_prepared_pt_level(top), f.max_level);
		lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f), *z = bgv_ct(&f);
		bgv_encrypt_vec(&f, x, v, 1);
		/* at every level, with and without automatic switching: the same slots and estimate as mul_plain */
		for (int automs = 0; automs < 2; automs++) {
			BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, automs));
			for (unsigned l = f.max_level + 1; l-- > 0;) {
				BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, y, x, l));
				/* both refuse where the product would not decrypt (a random plaintext at the bottom) */
				lathe_status s1 = lathe_ct_mul_plain(f.ev, z, y, pw);
				lathe_status s2 = lathe_ct_mul_prepared(f.ev, y, y, top);
				cr_assert_eq(s2, s1, "level %u: mul_prepared %s, mul_plain %s [%s]", l, lathe_strerror(s2),
				             lathe_strerror(s1), f.desc);
				if (s1 != LATHE_OK) {
					cr_assert_eq(s1, LATHE_ENOISE);
					continue;
				}
				bgv_check(&f, y, r, "mul_prepared");
				bgv_check_estimate(&f, y, "mul_prepared");
				cr_assert_eq(lathe_ct_level(y), lathe_ct_level(z), "level %u: %u vs mul_plain's %u [%s]", l,
				             lathe_ct_level(y), lathe_ct_level(z), f.desc);
			}
		}
		/* a plaintext prepared at level 0 takes a top-level ciphertext down with automatic switching ... */
		BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 1));
		lathe_prepared_pt *one;
		lathe_pt *pone = bgv_pt(&f);
		uint64_t *ones = bgv_vec(&f);
		for (size_t i = 0; i < f.slots; i++)
			ones[i] = 1;
		bgv_encode_vec(&f, pone, ones);
		BGV_OK(&f, lathe_prepared_pt_new(pone, 0, &one));
		BGV_OK(&f, lathe_ct_mul_prepared(f.ev, y, x, one));
		cr_assert_eq(lathe_ct_level(y), 0);
		bgv_check(&f, y, v, "mul_prepared by 1 at level 0");
		lathe_prepared_pt_free(one);
		lathe_pt_free(pone);
		free(ones);
		/* ... and is refused without it, leaving out unchanged */
		BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
		BGV_OK(&f, lathe_ct_copy(z, x));
		BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_mul_prepared(f.ev, z, z, low));
		bgv_check(&f, z, v, "unchanged after ELEVEL");
		BGV_FAILS(&f, LATHE_EINVAL, lathe_ct_mul_prepared(f.ev, z, x, NULL));
		lathe_prepared_pt *bad = NULL;
		BGV_FAILS(&f, LATHE_ELEVEL, lathe_prepared_pt_new(pw, f.max_level + 1, &bad));
		cr_assert_null(bad);
		BGV_FAILS(&f, LATHE_EINVAL, lathe_prepared_pt_new(NULL, 0, &bad));
		lathe_prepared_pt_free(top);
		lathe_prepared_pt_free(low);
		lathe_prepared_pt_free(NULL);
		lathe_pt_free(pw);
		lathe_ct_free(x);
		lathe_ct_free(y);
		lathe_ct_free(z);
		free(v);
		free(w);
		free(r);
		bgv_fix_clear(&f);
	}
}

/*
 * Plaintexts prepared together (the slot maps' diagonals) give the words
 * and fields lathe_prepared_pt_new gives each alone, at every level, in
 * memory made for the top level; bad arguments change none of them.
 */
Test(arith, plaintexts_prepared_together_equal_one_at_a_time)
{
	enum { K = 5 };
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_DEFAULT, NULL, 0, 760 + (uint32_t)si);
		const lathe_ctx *c = f.ctx;
		const size_t n = c->n;
		lathe_pt *pt[K];
		lathe_prepared_pt *many[K];
		uint64_t *v = bgv_vec(&f);
		for (unsigned j = 0; j < K; j++) {
			bgv_rand(&f, v);
			if (j == 1)
				memset(v, 0, f.slots * sizeof(*v)); /* a zero plaintext: norm -inf in the log */
			pt[j] = bgv_pt(&f);
			bgv_encode_vec(&f, pt[j], v);
			BGV_OK(&f, lt_prepared_pt_alloc(c, f.max_level, &many[j]));
		}
		for (unsigned l = 0; l <= f.max_level; l++) {
			BGV_OK(&f, lt_prepared_pt_refill_many(many, (const lathe_pt *const *)pt, K, l));
			for (unsigned j = 0; j < K; j++) {
				lathe_prepared_pt *one;
				BGV_OK(&f, lathe_prepared_pt_new(pt[j], l, &one));
				cr_assert_eq(many[j]->level, l);
				cr_assert_eq(many[j]->pm, one->pm);
				cr_assert_eq(many[j]->log2_norm, one->log2_norm, "plaintext %u at level %u: norm", j, l);
				cr_assert_arr_eq(many[j]->keyid, one->keyid, LT_KEYID_BYTES);
				cr_assert_arr_eq(many[j]->m, one->m, ((size_t)l + 1 + c->np) * n * 8,
				                 "plaintext %u at level %u: words differ [%s]", j, l, f.desc);
				lathe_prepared_pt_free(one);
			}
		}
		/* refusals leave every prepared plaintext as it was */
		const unsigned l0 = f.max_level > 0 ? f.max_level - 1 : 0;
		BGV_OK(&f, lt_prepared_pt_refill_many(many, (const lathe_pt *const *)pt, K, l0));
		lathe_prepared_pt *small;
		BGV_OK(&f, lt_prepared_pt_alloc(c, 0, &small));
		lathe_prepared_pt *mixed[K] = { many[0], many[1], small, many[3], many[4] };
		const size_t words = ((size_t)l0 + 1 + c->np) * n;
		uint64_t *keep = lt_alloc(words * 8);
		memcpy(keep, many[0]->m, words * 8);
		if (f.max_level > 0)
			BGV_FAILS(&f, LATHE_EINVAL, lt_prepared_pt_refill_many(mixed, (const lathe_pt *const *)pt, K, f.max_level));
		const lathe_pt *withnull[K] = { pt[0], pt[1], NULL, pt[3], pt[4] };
		BGV_FAILS(&f, LATHE_EINVAL, lt_prepared_pt_refill_many(many, withnull, K, 0));
		BGV_FAILS(&f, LATHE_EINVAL, lt_prepared_pt_refill_many(many, (const lathe_pt *const *)pt, K, c->nq));
		cr_assert_eq(many[0]->level, l0);
		cr_assert_arr_eq(many[0]->m, keep, words * 8, "a refused refill changed the words [%s]", f.desc);
		BGV_OK(&f, lt_prepared_pt_refill_many(NULL, NULL, 0, 0));
		lt_free(keep);
		lathe_prepared_pt_free(small);
		for (unsigned j = 0; j < K; j++) {
			lathe_prepared_pt_free(many[j]);
			lathe_pt_free(pt[j]);
		}
		free(v);
		bgv_fix_clear(&f);
	}
}
