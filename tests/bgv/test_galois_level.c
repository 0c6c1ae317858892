/*
 * Galois keys limited to low levels (lathe_evalkeys_new_at): rotations,
 * composed rotations, the row swap, automorphisms, hoisted rotations and
 * rotation sets with such keys, checked slot by slot against the plaintext
 * model; a ciphertext above the keys' level is switched down first with
 * automatic modulus switching and refused (LATHE_ELEVEL) without; the
 * bundle is smaller than a full-level one and saves (format version 3),
 * loads and still rotates; a forged level is refused.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "bgv_util.h"

/* recomputes the BLAKE2b-256 trailer of a saved object (its last 32 bytes) */
static void
test_reseal(uint8_t *b, size_t l)
{
	crypto_generichash(b + l - 32, 32, b, l - 32, NULL, 0);
}

static const bgv_pset SET = { "insecure-n2048-t65537-d5-k2", 11, 65537, 1, 5, 2, NULL, 0, NULL, 0 };
static const int STEPS[] = { 1, 2, 0 };
#define NSTEPS (sizeof(STEPS) / sizeof(STEPS[0]))

/* a fixture whose bundle is the relinearization key and Galois keys of STEPS at level kl */
static lathe_evalkeys *
limited_keys(bgv_fix *f, unsigned kl)
{
	lathe_evalkeys *ek = NULL;
	BGV_OK(f, lathe_evalkeys_new_at(f->ctx, f->sk, STEPS, NSTEPS, kl, &ek));
	return ek;
}

Test(galois_level, rotations_with_keys_at_level_one)
{
	bgv_fix f;
	bgv_fix_init(&f, &SET, BGV_KEYS_NONE, NULL, 0, 1);
	lathe_evalkeys *ek = limited_keys(&f, 1);
	lathe_eval *ev;
	BGV_OK(&f, lathe_eval_new(f.ctx, ek, &ev));
	uint64_t *a = bgv_vec(&f), *ref = bgv_vec(&f), *sq = bgv_vec(&f);
	bgv_rand(&f, a);
	lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, a, 1);
	cr_assert_eq(lathe_ct_level(x), f.max_level);

	/* own keys, composed (3 = 1 + 2, 5 = 1 + 2 + 2), row swap, automorphism by the row-swap element */
	const int rots[] = { 1, 2, 3, 5 };
	for (size_t i = 0; i < sizeof(rots) / sizeof(rots[0]); i++) {
		BGV_OK(&f, lathe_ct_rotate(ev, y, x, rots[i]));
		cr_assert_leq(lathe_ct_level(y), 1, "rotation by %d at level %u", rots[i], lathe_ct_level(y));
		pm_rotate(ref, a, rots[i], f.slots);
		bgv_check(&f, y, ref, "rotation with a level-1 key");
	}
	BGV_OK(&f, lathe_ct_swap_rows(ev, y, x));
	pm_swap_rows(ref, a, f.slots);
	bgv_check(&f, y, ref, "row swap with a level-1 key");
	uint64_t g;
	BGV_OK(&f, lathe_galois_elt_row_swap(f.ctx, &g));
	BGV_OK(&f, lathe_ct_automorph(ev, y, x, g));
	bgv_check(&f, y, ref, "automorphism with a level-1 key");
	/* in place, and on a product (relinearized at the top, then switched down) */
	BGV_OK(&f, lathe_ct_copy(y, x));
	BGV_OK(&f, lathe_ct_rotate(ev, y, y, 1));
	pm_rotate(ref, a, 1, f.slots);
	bgv_check(&f, y, ref, "in-place rotation with a level-1 key");
	BGV_OK(&f, lathe_ct_mul(ev, y, x, x));
	BGV_OK(&f, lathe_ct_rotate(ev, y, y, 2));
	pm_mul(sq, a, a, f.slots, f.t);
	pm_rotate(ref, sq, 2, f.slots);
	bgv_check(&f, y, ref, "rotation of a product with a level-1 key");
	bgv_check_estimate(&f, y, "rotation of a product with a level-1 key");

	/* at level 0 too */
	BGV_OK(&f, lathe_ct_mod_switch_to(ev, y, x, 0));
	BGV_OK(&f, lathe_ct_rotate(ev, y, y, 1));
	cr_assert_eq(lathe_ct_level(y), 0);
	pm_rotate(ref, a, 1, f.slots);
	bgv_check(&f, y, ref, "rotation at level 0 with a level-1 key");

	/* hoisted rotations */
	lathe_ct *outs[2] = { bgv_ct(&f), bgv_ct(&f) };
	const int hs[2] = { 1, 2 };
	BGV_OK(&f, lathe_ct_rotate_many(ev, outs, x, hs, 2));
	for (int i = 0; i < 2; i++) {
		pm_rotate(ref, a, hs[i], f.slots);
		bgv_check(&f, outs[i], ref, "hoisted rotation with a level-1 key");
	}
	/* a rotation set: 1 * rot_0(x) + 1 * rot_1(x) + 1 * rot_2(x) */
	lathe_rotset *rs = NULL;
	const int ss[3] = { 0, 1, 2 };
	BGV_OK(&f, lathe_rotset_new(ev, x, ss, 3, &rs));
	cr_assert_leq(lathe_rotset_level(rs), 1);
	lathe_pt *one = bgv_pt(&f);
	uint64_t *ones = bgv_vec(&f);
	for (size_t i = 0; i < f.slots; i++)
		ones[i] = 1;
	bgv_encode_vec(&f, one, ones);
	lathe_prepared_pt *w = NULL;
	BGV_OK(&f, lathe_prepared_pt_new(one, lathe_rotset_level(rs), &w));
	const lathe_prepared_pt *ws[3] = { w, w, w };
	BGV_OK(&f, lathe_rotset_dot(ev, y, rs, ws));
	memset(ref, 0, f.n * 8);
	for (int i = 0; i < 3; i++) {
		pm_rotate(sq, a, ss[i], f.slots);
		pm_add(ref, ref, sq, f.slots, f.t);
	}
	bgv_check(&f, y, ref, "rotation set with level-1 keys");
	lathe_rotset_free(rs);
	lathe_prepared_pt_free(w);
	lathe_pt_free(one);
	free(ones);
	lathe_ct_free(outs[0]);
	lathe_ct_free(outs[1]);

	lathe_ct_free(x);
	lathe_ct_free(y);
	free(a);
	free(ref);
	free(sq);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	bgv_fix_clear(&f);
}

Test(galois_level, above_the_key_level_without_automatic_switching_is_refused)
{
	bgv_fix f;
	bgv_fix_init(&f, &SET, BGV_KEYS_NONE, NULL, 0, 2);
	lathe_evalkeys *ek = limited_keys(&f, 2);
	lathe_eval *ev;
	BGV_OK(&f, lathe_eval_new(f.ctx, ek, &ev));
	BGV_OK(&f, lathe_eval_set_auto_modswitch(ev, 0));
	uint64_t *a = bgv_vec(&f), *ref = bgv_vec(&f);
	bgv_rand(&f, a);
	lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f), *z = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, a, 0);
	BGV_OK(&f, lathe_ct_copy(y, x));
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_rotate(ev, y, x, 1));
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_swap_rows(ev, y, x));
	lathe_ct *outs[1] = { z };
	const int one = 1;
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_rotate_many(ev, outs, x, &one, 1));
	lathe_rotset *rs = NULL;
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_rotset_new(ev, x, &one, 1, &rs));
	cr_assert_null(rs);
	/* out unchanged by the refusals */
	bgv_check(&f, y, a, "out after a refused rotation");
	/* switched down by the caller: works */
	BGV_OK(&f, lathe_ct_mod_switch_to(ev, y, x, 2));
	BGV_OK(&f, lathe_ct_rotate(ev, y, y, 1));
	pm_rotate(ref, a, 1, f.slots);
	bgv_check(&f, y, ref, "rotation at the key's level");
	/* above the top level */
	lathe_evalkeys *bad = NULL;
	BGV_FAILS(&f, LATHE_ELEVEL, lathe_evalkeys_new_at(f.ctx, f.sk, STEPS, NSTEPS, f.max_level + 1, &bad));
	cr_assert_null(bad);
	lathe_ct_free(x);
	lathe_ct_free(y);
	lathe_ct_free(z);
	free(a);
	free(ref);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	bgv_fix_clear(&f);
}

Test(galois_level, smaller_bundles_that_save_and_load)
{
	bgv_fix f;
	bgv_fix_init(&f, &SET, BGV_KEYS_NONE, NULL, 0, 3);
	lathe_evalkeys *lim = limited_keys(&f, 1), *full = NULL;
	BGV_OK(&f, lathe_evalkeys_new(f.ctx, f.sk, STEPS, NSTEPS, &full));
	uint8_t *bl, *bf;
	size_t ll, lf;
	BGV_OK(&f, lathe_evalkeys_to_buffer(lim, &bl, &ll));
	BGV_OK(&f, lathe_evalkeys_to_buffer(full, &bf, &lf));
	cr_log_info("bundles of the relinearization key and 3 Galois keys: %zu bytes at level 1, %zu at the top (%u)",
	            ll, lf, f.max_level);
	cr_assert_lt(ll, lf, "a level-limited bundle is smaller");
	lathe_object_info in;
	BGV_OK(&f, lathe_object_info_from_buffer(bl, ll, &in));
	cr_assert_eq(in.version, 3, "level-limited Galois keys are written in format version 3");
	BGV_OK(&f, lathe_object_info_from_buffer(bf, lf, &in));
	cr_assert_eq(in.version, 2, "full-level bundles stay in version 2");
	/* full-level keys round-trip through version 2 as before */
	lathe_evalkeys *back = NULL;
	BGV_OK(&f, lathe_evalkeys_from_buffer(f.ctx, bf, lf, &back));
	lathe_evalkeys_free(back);
	back = NULL;
	BGV_OK(&f, lathe_evalkeys_from_buffer(f.ctx, bl, ll, &back));
	/* the loaded bundle rotates, at level 1 */
	lathe_eval *ev;
	BGV_OK(&f, lathe_eval_new(f.ctx, back, &ev));
	uint64_t *a = bgv_vec(&f), *ref = bgv_vec(&f);
	bgv_rand(&f, a);
	lathe_ct *x = bgv_ct(&f), *y = bgv_ct(&f);
	bgv_encrypt_vec(&f, x, a, 1);
	BGV_OK(&f, lathe_ct_rotate(ev, y, x, 3));
	cr_assert_leq(lathe_ct_level(y), 1);
	pm_rotate(ref, a, 3, f.slots);
	bgv_check(&f, y, ref, "rotation with a loaded level-limited bundle");
	/* the same bytes again */
	uint8_t *b2;
	size_t l2;
	BGV_OK(&f, lathe_evalkeys_to_buffer(back, &b2, &l2));
	cr_assert(l2 == ll && memcmp(b2, bl, ll) == 0, "a loaded bundle saves to the same bytes");
	lathe_buffer_free(b2);
	lathe_eval_free(ev);
	lathe_evalkeys_free(back);

	/*
	 * A forged level (above the top, or another level than the words
	 * written) is refused. The levels follow the key id, the two flags and
	 * the count: body offset 32 + 1 + 1 + 4. The checksum is recomputed so
	 * that the loader's field checks are what answers.
	 */
	const size_t lev0 = 52 + 32 + 6;
	const uint16_t forged[] = { (uint16_t)(f.max_level + 1), 0, 2 };
	for (size_t k = 0; k < sizeof(forged) / sizeof(forged[0]); k++) {
		uint8_t *c = malloc(ll);
		memcpy(c, bl, ll);
		c[lev0] = (uint8_t)forged[k];
		c[lev0 + 1] = (uint8_t)(forged[k] >> 8);
		test_reseal(c, ll);
		lathe_evalkeys *e = NULL;
		lathe_status s = lathe_evalkeys_from_buffer(f.ctx, c, ll, &e);
		cr_assert_eq(s, LATHE_ECORRUPT, "forged level %u: status %d (%s)", forged[k], (int)s, lathe_last_error());
		cr_assert_null(e);
		free(c);
	}
	/*
	 * Version 3 on anything else is not a file lathe writes (it would load
	 * and re-save as version 2): a full-level bundle or a plaintext
	 * relabelled 3 is refused.
	 */
	uint8_t *c = malloc(lf);
	memcpy(c, bf, lf);
	c[6] = 3;
	test_reseal(c, lf);
	lathe_evalkeys *e3 = NULL;
	BGV_FAILS(&f, LATHE_ECORRUPT, lathe_evalkeys_from_buffer(f.ctx, c, lf, &e3));
	cr_assert_null(e3);
	free(c);
	lathe_pt *pt = bgv_pt(&f);
	bgv_encode_vec(&f, pt, a);
	uint8_t *bp;
	size_t lp;
	BGV_OK(&f, lathe_pt_to_buffer(pt, &bp, &lp));
	bp[6] = 3;
	test_reseal(bp, lp);
	lathe_pt *p3 = NULL;
	BGV_FAILS(&f, LATHE_EFORMAT, lathe_pt_from_buffer(f.ctx, bp, lp, &p3));
	cr_assert_null(p3);
	lathe_buffer_free(bp);
	lathe_pt_free(pt);

	lathe_ct_free(x);
	lathe_ct_free(y);
	free(a);
	free(ref);
	lathe_buffer_free(bl);
	lathe_buffer_free(bf);
	lathe_evalkeys_free(lim);
	lathe_evalkeys_free(full);
	bgv_fix_clear(&f);
}
