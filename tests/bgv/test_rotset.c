/*
 * Rotation sets (lathe_rotset_*): out = sum_i w_i * rotate(a, steps_i)
 * with one ModDown, checked slot by slot against the same sum on the
 * plaintext vectors mod t, for several step sets (0, negative, beyond
 * N/2, NULL weights), at the top level, at lower levels and with
 * automatic modulus switching, over digit splits of 1, 2 and 3 digits
 * and two special primes; the estimate never below the measured noise;
 * and every error status of the contract. Everything goes through the
 * public API, except two test hooks: the evaluator's busy flag
 * (bgv/internal.h) and the failing allocator (core/mem.h).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "bgv/internal.h"
#include "core/mem.h"
#include "bgv_util.h"

/* the Galois keys of the fixtures: the sets below use these steps (and 0) */
static const int KEY_STEPS[] = { 1, 2, -3, 5, 100 };
#define NKEY (sizeof(KEY_STEPS) / sizeof(KEY_STEPS[0]))

static lathe_prepared_pt *
prep(bgv_fix *f, const uint64_t *v, unsigned level)
{
	lathe_pt *pt = bgv_pt(f);
	bgv_encode_vec(f, pt, v);
	lathe_prepared_pt *p = NULL;
	BGV_OK(f, lathe_prepared_pt_new(pt, level, &p));
	lathe_pt_free(pt);
	return p;
}

/* ref = sum over the given weights of w_i (.) rot(a, steps_i) mod t */
static void
model_dot(bgv_fix *f, uint64_t *ref, const uint64_t *a, const int *steps, size_t n, uint64_t *const *wv)
{
	uint64_t *r = bgv_vec(f);
	memset(ref, 0, f->n * sizeof(uint64_t));
	for (size_t i = 0; i < n; i++) {
		if (!wv[i])
			continue;
		pm_rotate(r, a, steps[i], f->slots);
		pm_mul(r, r, wv[i], f->slots, f->t);
		pm_add(ref, ref, r, f->slots, f->t);
	}
	free(r);
}

/*
 * One set of a, one dot with weights wv (NULL entries: no weight), the
 * weights prepared at wlevel (or the set's level when wlevel < 0).
 * Returns the dot's status; on LATHE_OK the result is checked.
 */
static lathe_status
check_dot(bgv_fix *f, const lathe_ct *a, const uint64_t *av, const int *steps, size_t n, uint64_t *const *wv,
          int wlevel, const char *what)
{
	lathe_rotset *rs = NULL;
	BGV_OK(f, lathe_rotset_new(f->ev, a, steps, n, &rs));
	cr_assert_not_null(rs);
	cr_assert_eq(lathe_rotset_count(rs), n, "%s: count [%s]", what, f->desc);
	cr_assert_leq(lathe_rotset_level(rs), lathe_ct_level(a), "%s: set above its input [%s]", what, f->desc);
	const unsigned pl = wlevel < 0 ? lathe_rotset_level(rs) : (unsigned)wlevel;
	lathe_prepared_pt **w = calloc(n, sizeof(*w));
	for (size_t i = 0; i < n; i++)
		w[i] = wv[i] ? prep(f, wv[i], pl) : NULL;
	lathe_ct *out = bgv_ct(f);
	lathe_status s = lathe_rotset_dot(f->ev, out, rs, (const lathe_prepared_pt *const *)w);
	if (s == LATHE_OK) {
		uint64_t *ref = bgv_vec(f);
		model_dot(f, ref, av, steps, n, wv);
		cr_assert_eq(lathe_ct_level(out), lathe_rotset_level(rs), "%s: result level [%s]", what, f->desc);
		cr_assert_eq(lathe_ct_size(out), 2, "%s [%s]", what, f->desc);
		bgv_check(f, out, ref, what);
		bgv_check_estimate(f, out, what);
		free(ref);
	}
	for (size_t i = 0; i < n; i++)
		lathe_prepared_pt_free(w[i]);
	free(w);
	lathe_ct_free(out);
	lathe_rotset_free(rs);
	return s;
}

/* the step sets of the tests, with their weight patterns (1: a weight, 0: NULL) */
typedef struct step_set {
	const char *name;
	int steps[6];
	int given[6];
	size_t n;
} step_set;

static void
run_sets(bgv_fix *f, const lathe_ct *a, const uint64_t *av, int wlevel, const char *where, int enoise_ok)
{
	const int half = (int)(f->slots / 2);
	const step_set sets[] = {
		{ "{0}", { 0 }, { 1 }, 1 },
		{ "{1}", { 1 }, { 1 }, 1 },
		{ "{0, 1, -3}", { 0, 1, -3 }, { 1, 1, 1 }, 3 },
		{ "{5, -3, 2, 1, 0, 100}", { 5, -3, 2, 1, 0, 100 }, { 1, 1, 1, 1, 1, 1 }, 6 },
		{ "{5, -3, 2, 1, 0} NULL at 0 and 2", { 5, -3, 2, 1, 0 }, { 0, 1, 0, 1, 1 }, 5 },
		{ "{0, 2, 100} step 0 alone", { 0, 2, 100 }, { 1, 0, 0 }, 3 },
		{ "{0, 2, 100} no step 0", { 0, 2, 100 }, { 0, 1, 1 }, 3 },
		{ "{1 + N/2, -3 - N/2, -N/2}", { 1 + half, -3 - half, -half }, { 1, 1, 1 }, 3 },
	};
	uint64_t *wv[6];
	for (size_t si = 0; si < sizeof(sets) / sizeof(sets[0]); si++) {
		const step_set *st = &sets[si];
		for (size_t i = 0; i < st->n; i++) {
			wv[i] = NULL;
			if (st->given[i]) {
				wv[i] = bgv_vec(f);
				bgv_rand(f, wv[i]);
			}
		}
		char what[160];
		snprintf(what, sizeof(what), "dot over %s %s", st->name, where);
		lathe_status s = check_dot(f, a, av, st->steps, st->n, wv, wlevel, what);
		if (!(enoise_ok && s == LATHE_ENOISE))
			cr_assert_eq(s, LATHE_OK, "%s -> %s (%s) [%s]", what, lathe_strerror(s), lathe_last_error(), f->desc);
		for (size_t i = 0; i < st->n; i++)
			free(wv[i]);
	}
}

Test(rotset, top_level_step_sets)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1200);
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
	uint64_t *v = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *a = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	run_sets(&f, a, v, -1, "at the top level", 0);
	/* weights prepared above the set's level use their first limbs and their P limbs */
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, f.max_level - 1));
	run_sets(&f, a, v, (int)f.max_level, "one level down, weights from the top", 0);
	lathe_ct_free(a);
	free(v);
	bgv_fix_clear(&f);
}

Test(rotset, every_level_and_digit_split)
{
	/* dnum 1, 2 (two special primes), 3 unequal digits */
	const bgv_pset *sets[] = { &BGV_INSECURE_KEYSWITCH[0], &BGV_INSECURE_KEYSWITCH[7], &BGV_INSECURE_KEYSWITCH[4] };
	for (size_t k = 0; k < 3; k++) {
		bgv_fix f;
		bgv_fix_init(&f, sets[k], BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1210 + (uint32_t)k);
		BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
		uint64_t *v = bgv_vec(&f);
		bgv_rand(&f, v);
		lathe_ct *a = bgv_ct(&f), *x = bgv_ct(&f);
		bgv_encrypt_vec(&f, a, v, 1);
		for (unsigned l = f.max_level + 1; l-- > 0;) {
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, l));
			char where[48];
			snprintf(where, sizeof(where), "at level %u", l);
			/* a product by a full-norm weight may not fit at level 0 */
			run_sets(&f, x, v, -1, where, l == 0);
		}
		lathe_ct_free(a);
		lathe_ct_free(x);
		free(v);
		bgv_fix_clear(&f);
	}
}

Test(rotset, automatic_switching_picks_the_product_level)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_ARITH[1], BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1220);
	uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *ref = bgv_vec(&f);
	bgv_rand(&f, v);
	bgv_rand(&f, w);
	lathe_ct *a = bgv_ct(&f), *sep = bgv_ct(&f), *t = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	/* a product's noise is far above the switching floor: the set goes down as a product would */
	BGV_OK(&f, lathe_ct_square(f.ev, a, a));
	pm_mul(v, v, v, f.slots, f.t);
	const int steps[] = { -3, 0, 2 };
	uint64_t *wv[] = { w, w, w };
	cr_assert_eq(check_dot(&f, a, v, steps, 3, wv, (int)f.max_level, "auto: fresh input"), LATHE_OK);
	lathe_rotset *rs = NULL;
	BGV_OK(&f, lathe_rotset_new(f.ev, a, steps, 3, &rs));
	lathe_prepared_pt *p = prep(&f, w, f.max_level);
	BGV_OK(&f, lathe_ct_mul_prepared(f.ev, t, a, p));
	cr_assert_eq(lathe_rotset_level(rs), lathe_ct_level(t), "the set's level is not the product's [%s]", f.desc);
	cr_assert_lt(lathe_rotset_level(rs), f.max_level, "no switching before the set [%s]", f.desc);
	/* the same sum made of separate rotations, products and additions */
	for (size_t i = 0; i < 3; i++) {
		BGV_OK(&f, lathe_ct_rotate(f.ev, t, a, steps[i]));
		BGV_OK(&f, lathe_ct_mul_prepared(f.ev, t, t, p));
		if (i == 0)
			BGV_OK(&f, lathe_ct_copy(sep, t));
		else
			BGV_OK(&f, lathe_ct_add(f.ev, sep, sep, t));
	}
	model_dot(&f, ref, v, steps, 3, wv);
	bgv_check(&f, sep, ref, "separate rotations, products and sums");
	lathe_prepared_pt_free(p);
	lathe_rotset_free(rs);
	lathe_ct_free(a);
	lathe_ct_free(sep);
	lathe_ct_free(t);
	free(v);
	free(w);
	free(ref);
	bgv_fix_clear(&f);
}

/* serialized bytes of ct, to see that a failing call left it unchanged */
static uint8_t *
ct_bytes(bgv_fix *f, const lathe_ct *ct, size_t *len)
{
	uint8_t *b = NULL;
	BGV_OK(f, lathe_ct_to_buffer(ct, &b, len));
	return b;
}

static void
assert_unchanged(bgv_fix *f, const lathe_ct *ct, const uint8_t *before, size_t len, const char *what)
{
	size_t l2;
	uint8_t *now = ct_bytes(f, ct, &l2);
	cr_assert(l2 == len && memcmp(now, before, len) == 0, "%s changed its output [%s]", what, f->desc);
	lathe_buffer_free(now);
}

Test(rotset, errors_of_new)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1230);
	const int half = (int)(f.slots / 2);
	uint64_t *v = bgv_vec(&f);
	bgv_rand(&f, v);
	lathe_ct *a = bgv_ct(&f), *raw = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	lathe_rotset *rs = (lathe_rotset *)&rs; /* must be set to NULL by every failure */
	const int steps[] = { 1, 0 };
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(NULL, a, steps, 2, &rs));
	cr_assert_null(rs);
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, NULL, steps, 2, &rs));
	cr_assert_null(rs);
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, steps, 2, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, NULL, 2, &rs));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, steps, 0, &rs));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, (const int[]){ 1, 1 + half }, 2, &rs));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, (const int[]){ -3, 2, half - 3 }, 3, &rs));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, (const int[]){ 0, half }, 2, &rs));
	BGV_OK(&f, lathe_ct_mul_raw(f.ev, raw, a, a));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, raw, steps, 2, &rs));
	cr_assert_null(rs);
	/* no key of its own for step 4 (1 + 1 + 2 would compose it: sets do not compose) */
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_rotset_new(f.ev, a, (const int[]){ 1, 4 }, 2, &rs));
	lathe_eval *bare = NULL;
	BGV_OK(&f, lathe_eval_new(f.ctx, NULL, &bare));
	BGV_FAILS(&f, LATHE_ENOKEY, lathe_rotset_new(bare, a, steps, 2, &rs));
	BGV_OK(&f, lathe_rotset_new(bare, a, (const int[]){ 0 }, 1, &rs)); /* step 0 needs no key */
	lathe_rotset_free(rs);
	lathe_eval_free(bare);
	/* another key pair of the context, and another context */
	bgv_fix g;
	bgv_fix_init(&g, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1231);
	lathe_ct *b = bgv_ct(&g);
	bgv_encrypt_vec(&g, b, v, 1);
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_new(f.ev, b, steps, 2, &rs));
	bgv_fix h;
	bgv_fix_init(&h, &BGV_INSECURE_ARITH[0], BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1232);
	lathe_ct *c = bgv_ct(&h);
	uint64_t *hv = bgv_vec(&h);
	bgv_rand(&h, hv);
	bgv_encrypt_vec(&h, c, hv, 1);
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_new(f.ev, c, steps, 2, &rs));
	cr_assert_null(rs);
	/* no slots: t = 2^16 */
	bgv_fix k;
	bgv_fix_init(&k, &BGV_INSECURE_COEFF[2], BGV_KEYS_NONE, NULL, 0, 1233);
	lathe_ct *d = bgv_ct(&k);
	uint64_t *kv = bgv_vec(&k);
	bgv_rand(&k, kv);
	bgv_encrypt_vec(&k, d, kv, 1);
	BGV_FAILS(&k, LATHE_EPARAM, lathe_rotset_new(k.ev, d, (const int[]){ 0 }, 1, &rs));
	cr_assert_null(rs);
	/* a call in progress holds the flag */
	cr_assert(!atomic_flag_test_and_set(&f.ev->busy));
	BGV_FAILS(&f, LATHE_EBUSY, lathe_rotset_new(f.ev, a, steps, 2, &rs));
	cr_assert_null(rs);
	atomic_flag_clear(&f.ev->busy);
	/* every allocation failing in turn */
	long fails = 0;
	for (;; fails++) {
		lt_mem_fail_after(fails);
		lathe_status s = lathe_rotset_new(f.ev, a, (const int[]){ 5, 0, -3 }, 3, &rs);
		lt_mem_fail_after(-1);
		if (s == LATHE_OK)
			break;
		cr_assert_eq(s, LATHE_ENOMEM, "allocation %ld failing: %s (%s) [%s]", fails, lathe_strerror(s),
		             lathe_last_error(), f.desc);
		cr_assert_null(rs);
		cr_assert_lt(fails, 1000);
	}
	cr_assert_gt(fails, 0, "lathe_rotset_new allocated nothing [%s]", f.desc);
	lathe_rotset_free(rs);
	lathe_rotset_free(NULL);
	cr_assert_eq(lathe_rotset_count(NULL), 0);
	cr_assert_eq(lathe_rotset_level(NULL), 0);
	lathe_ct_free(a);
	lathe_ct_free(raw);
	lathe_ct_free(b);
	lathe_ct_free(c);
	lathe_ct_free(d);
	free(v);
	free(hv);
	free(kv);
	bgv_fix_clear(&k);
	bgv_fix_clear(&h);
	bgv_fix_clear(&g);
	bgv_fix_clear(&f);
}

Test(rotset, errors_of_dot)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1240);
	BGV_OK(&f, lathe_eval_set_auto_modswitch(f.ev, 0));
	uint64_t *v = bgv_vec(&f), *wv = bgv_vec(&f);
	bgv_rand(&f, v);
	bgv_rand(&f, wv);
	lathe_ct *a = bgv_ct(&f), *out = bgv_ct(&f);
	bgv_encrypt_vec(&f, a, v, 1);
	bgv_encrypt_vec(&f, out, wv, 1); /* what out holds before the failing calls */
	size_t len;
	uint8_t *before = ct_bytes(&f, out, &len);
	const int steps[] = { 1, 0 };
	lathe_rotset *rs = NULL;
	BGV_OK(&f, lathe_rotset_new(f.ev, a, steps, 2, &rs));
	cr_assert_eq(lathe_rotset_level(rs), f.max_level);
	lathe_prepared_pt *p = prep(&f, wv, f.max_level), *low = prep(&f, wv, f.max_level - 1);
	const lathe_prepared_pt *w[2] = { p, p }, *none[2] = { NULL, NULL }, *lw[2] = { p, low };
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_dot(NULL, out, rs, w));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_dot(f.ev, NULL, rs, w));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_dot(f.ev, out, NULL, w));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_dot(f.ev, out, rs, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_dot(f.ev, out, rs, none));
	assert_unchanged(&f, out, before, len, "EINVAL");
	/* a weight prepared below the set's level */
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_rotset_dot(f.ev, out, rs, lw));
	assert_unchanged(&f, out, before, len, "ELEVEL");
	/* out, a weight and the evaluator of another context; a weight and an evaluator of another key pair */
	bgv_fix h;
	bgv_fix_init(&h, &BGV_INSECURE_ARITH[0], BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1241);
	lathe_ct *hout = bgv_ct(&h);
	uint64_t *hv = bgv_vec(&h);
	bgv_rand(&h, hv);
	lathe_prepared_pt *hp = prep(&h, hv, 0);
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_dot(f.ev, hout, rs, w));
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_dot(f.ev, out, rs, (const lathe_prepared_pt *[]){ hp, NULL }));
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_dot(h.ev, hout, rs, w));
	bgv_fix g;
	bgv_fix_init(&g, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, KEY_STEPS, NKEY, 1242);
	lathe_ct *gc = bgv_ct(&g);
	lathe_pt *gpt = bgv_pt(&g);
	bgv_encrypt_vec(&g, gc, wv, 1);
	BGV_OK(&g, lathe_decrypt(g.sk, gpt, gc)); /* a plaintext bound to g's key pair */
	lathe_prepared_pt *gp = NULL;
	BGV_OK(&g, lathe_prepared_pt_new(gpt, g.max_level, &gp));
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_dot(f.ev, out, rs, (const lathe_prepared_pt *[]){ NULL, gp }));
	BGV_FAILS(&f, LATHE_EMISMATCH, lathe_rotset_dot(g.ev, out, rs, w));
	assert_unchanged(&f, out, before, len, "EMISMATCH");
	/* a set shared by a second evaluator of the same key pair works */
	lathe_eval *ev2 = NULL;
	BGV_OK(&f, lathe_eval_new(f.ctx, NULL, &ev2));
	lathe_ct *o2 = bgv_ct(&f);
	BGV_OK(&f, lathe_rotset_dot(ev2, o2, rs, w));
	uint64_t *ref = bgv_vec(&f);
	uint64_t *wvs[2] = { wv, wv };
	model_dot(&f, ref, v, steps, 2, wvs);
	bgv_check(&f, o2, ref, "dot on a second evaluator");
	/* busy */
	cr_assert(!atomic_flag_test_and_set(&f.ev->busy));
	BGV_FAILS(&f, LATHE_EBUSY, lathe_rotset_dot(f.ev, out, rs, w));
	atomic_flag_clear(&f.ev->busy);
	assert_unchanged(&f, out, before, len, "EBUSY");
	/* noise: an input near its budget (scalar products at level 0), then a full-norm weight */
	lathe_ct *x = bgv_ct(&f);
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, 0));
	lathe_status s;
	unsigned done = 0;
	while ((s = lathe_ct_mul_scalar(f.ev, x, x, 2)) == LATHE_OK)
		done++;
	cr_assert_eq(s, LATHE_ENOISE, "doubling stopped with %s after %u [%s]", lathe_strerror(s), done, f.desc);
	lathe_rotset *nrs = NULL;
	BGV_OK(&f, lathe_rotset_new(f.ev, x, steps, 2, &nrs));
	BGV_FAILS(&f, LATHE_ENOISE, lathe_rotset_dot(f.ev, out, nrs, w));
	assert_unchanged(&f, out, before, len, "ENOISE");
	/* out too small for the result (loaded at level 0): every allocation failing, out unchanged */
	lathe_ct *small = NULL, *a0 = bgv_ct(&f);
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a0, out, 0));
	uint8_t *sb = NULL;
	size_t sl;
	BGV_OK(&f, lathe_ct_to_buffer(a0, &sb, &sl));
	BGV_OK(&f, lathe_ct_from_buffer(f.ctx, sb, sl, &small));
	lt_mem_fail_after(0);
	s = lathe_rotset_dot(f.ev, small, rs, w);
	lt_mem_fail_after(-1);
	cr_assert_eq(s, LATHE_ENOMEM, "%s (%s) [%s]", lathe_strerror(s), lathe_last_error(), f.desc);
	assert_unchanged(&f, small, sb, sl, "ENOMEM");
	BGV_OK(&f, lathe_rotset_dot(f.ev, small, rs, w));
	bgv_check(&f, small, ref, "dot into a grown ciphertext");
	lathe_buffer_free(sb);
	lathe_buffer_free(before);
	lathe_rotset_free(nrs);
	lathe_rotset_free(rs);
	lathe_prepared_pt_free(p);
	lathe_prepared_pt_free(low);
	lathe_prepared_pt_free(hp);
	lathe_prepared_pt_free(gp);
	lathe_eval_free(ev2);
	lathe_ct_free(a);
	lathe_ct_free(a0);
	lathe_ct_free(small);
	lathe_ct_free(out);
	lathe_ct_free(o2);
	lathe_ct_free(x);
	lathe_ct_free(hout);
	lathe_ct_free(gc);
	lathe_pt_free(gpt);
	free(v);
	free(wv);
	free(hv);
	free(ref);
	bgv_fix_clear(&g);
	bgv_fix_clear(&h);
	bgv_fix_clear(&f);
}
