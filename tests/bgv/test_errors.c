/*
 * Contracts of bgv.h: every NULL argument of every function is
 * LATHE_EINVAL (never a crash); objects of another context are
 * LATHE_EMISMATCH; missing keys are LATHE_ENOKEY; level 0 cannot be
 * switched down (LATHE_ELEVEL). Every failure leaves a non-empty
 * lathe_last_error().
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

typedef struct {
	bgv_fix f;
	lathe_pt *pt;
	lathe_ct *a, *b, *o;
	uint64_t *v;
} kit;

static void
kit_init(kit *k, const bgv_pset *ps, bgv_keys keys, const int *steps, size_t ns, uint32_t stream)
{
	bgv_fix_init(&k->f, ps, keys, steps, ns, stream);
	k->pt = bgv_pt(&k->f);
	k->a = bgv_ct(&k->f);
	k->b = bgv_ct(&k->f);
	k->o = bgv_ct(&k->f);
	k->v = bgv_vec(&k->f);
	bgv_rand(&k->f, k->v);
	bgv_encode_vec(&k->f, k->pt, k->v);
	BGV_OK(&k->f, lathe_encrypt(k->f.pk, k->a, k->pt));
	BGV_OK(&k->f, lathe_encrypt(k->f.pk, k->b, k->pt));
}

static void
kit_clear(kit *k)
{
	lathe_pt_free(k->pt);
	lathe_ct_free(k->a);
	lathe_ct_free(k->b);
	lathe_ct_free(k->o);
	free(k->v);
	bgv_fix_clear(&k->f);
}

#define NUL(call) BGV_FAILS(f, LATHE_EINVAL, call)

Test(errors, null_arguments_are_einval_everywhere)
{
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 1000);
	bgv_fix *f = &k.f;
	lathe_ctx *ctx = f->ctx;
	lathe_sk *sk = f->sk, *sk2 = NULL;
	lathe_pk *pk = f->pk, *pk2 = NULL;
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = f->ev, *ev2 = NULL;
	lathe_pt *pt = k.pt, *pt2 = NULL;
	lathe_ct *a = k.a, *b = k.b, *o = k.o, *ct2 = NULL;
	int64_t s64[4] = { 0 };
	uint64_t u64[4] = { 0 };
	int bits;
	const int steps[1] = { 1 };

	NUL(lathe_keygen(NULL, &sk2, &pk2));
	NUL(lathe_keygen(ctx, NULL, &pk2));
	/* a NULL public-key output: the header does not say it is optional; refused or a usable sk */
	lathe_status ks = lathe_keygen(ctx, &sk2, NULL);
	cr_assert(ks == LATHE_EINVAL || (ks == LATHE_OK && sk2 != NULL), "keygen(ctx, &sk, NULL) -> %s [%s]",
	          lathe_strerror(ks), f->desc);
	if (ks == LATHE_OK) {
		lathe_ct *t2 = bgv_ct(f);
		BGV_OK(f, lathe_encrypt_sk(sk2, t2, pt));
		lathe_ct_free(t2);
		lathe_sk_free(sk2);
		sk2 = NULL;
	}
	NUL(lathe_evalkeys_new(NULL, sk, steps, 1, &ek));
	NUL(lathe_evalkeys_new(ctx, NULL, steps, 1, &ek));
	NUL(lathe_evalkeys_new(ctx, sk, steps, 1, NULL));
	NUL(lathe_pt_new(NULL, &pt2));
	NUL(lathe_pt_new(ctx, NULL));
	NUL(lathe_ct_new(NULL, &ct2));
	NUL(lathe_ct_new(ctx, NULL));

	NUL(lathe_encode(NULL, s64, 4));
	NUL(lathe_encode(pt, NULL, 4));
	NUL(lathe_encode_u64(NULL, u64, 4));
	NUL(lathe_encode_u64(pt, NULL, 4));
	NUL(lathe_decode(NULL, 4, pt));
	NUL(lathe_decode(s64, 4, NULL));
	NUL(lathe_decode_u64(NULL, 4, pt));
	NUL(lathe_decode_u64(u64, 4, NULL));
	NUL(lathe_encode_coeffs(NULL, s64, 4));
	NUL(lathe_encode_coeffs(pt, NULL, 4));
	NUL(lathe_decode_coeffs(NULL, 4, pt));
	NUL(lathe_decode_coeffs(s64, 4, NULL));

	NUL(lathe_ct_copy(NULL, a));
	NUL(lathe_ct_copy(o, NULL));
	NUL(lathe_encrypt(NULL, o, pt));
	NUL(lathe_encrypt(pk, NULL, pt));
	NUL(lathe_encrypt(pk, o, NULL));
	NUL(lathe_encrypt_sk(NULL, o, pt));
	NUL(lathe_encrypt_sk(sk, NULL, pt));
	NUL(lathe_encrypt_sk(sk, o, NULL));
	NUL(lathe_decrypt(NULL, pt, a));
	NUL(lathe_decrypt(sk, NULL, a));
	NUL(lathe_decrypt(sk, pt, NULL));
	NUL(lathe_decrypt_force(NULL, pt, a));
	NUL(lathe_decrypt_force(sk, NULL, a));
	NUL(lathe_decrypt_force(sk, pt, NULL));
	NUL(lathe_noise_budget(NULL, a, &bits));
	NUL(lathe_noise_budget(sk, NULL, &bits));
	NUL(lathe_noise_budget(sk, a, NULL));
	NUL(lathe_ct_budget_estimate(NULL, &bits));
	NUL(lathe_ct_budget_estimate(a, NULL));

	NUL(lathe_eval_new(NULL, f->ek, &ev2));
	NUL(lathe_eval_new(ctx, f->ek, NULL));
	NUL(lathe_eval_set_auto_modswitch(NULL, 1));

	typedef lathe_status (*binop)(lathe_eval *, lathe_ct *, const lathe_ct *, const lathe_ct *);
	static const binop bins[] = { lathe_ct_add, lathe_ct_sub, lathe_ct_mul, lathe_ct_mul_raw };
	for (size_t i = 0; i < 4; i++) {
		NUL(bins[i](NULL, o, a, b));
		NUL(bins[i](ev, NULL, a, b));
		NUL(bins[i](ev, o, NULL, b));
		NUL(bins[i](ev, o, a, NULL));
	}
	typedef lathe_status (*unop)(lathe_eval *, lathe_ct *, const lathe_ct *);
	static const unop uns[] = { lathe_ct_neg, lathe_ct_square, lathe_ct_relin, lathe_ct_mod_switch, lathe_ct_swap_rows };
	for (size_t i = 0; i < 5; i++) {
		NUL(uns[i](NULL, o, a));
		NUL(uns[i](ev, NULL, a));
		NUL(uns[i](ev, o, NULL));
	}
	typedef lathe_status (*plainop)(lathe_eval *, lathe_ct *, const lathe_ct *, const lathe_pt *);
	static const plainop pls[] = { lathe_ct_add_plain, lathe_ct_sub_plain, lathe_ct_mul_plain };
	for (size_t i = 0; i < 3; i++) {
		NUL(pls[i](NULL, o, a, pt));
		NUL(pls[i](ev, NULL, a, pt));
		NUL(pls[i](ev, o, NULL, pt));
		NUL(pls[i](ev, o, a, NULL));
	}
	NUL(lathe_ct_add_scalar(NULL, o, a, 3));
	NUL(lathe_ct_add_scalar(ev, NULL, a, 3));
	NUL(lathe_ct_add_scalar(ev, o, NULL, 3));
	NUL(lathe_ct_mul_scalar(NULL, o, a, 3));
	NUL(lathe_ct_mul_scalar(ev, NULL, a, 3));
	NUL(lathe_ct_mul_scalar(ev, o, NULL, 3));
	NUL(lathe_ct_mod_switch_to(NULL, o, a, 0));
	NUL(lathe_ct_mod_switch_to(ev, NULL, a, 0));
	NUL(lathe_ct_mod_switch_to(ev, o, NULL, 0));
	NUL(lathe_ct_rotate(NULL, o, a, 1));
	NUL(lathe_ct_rotate(ev, NULL, a, 1));
	NUL(lathe_ct_rotate(ev, o, NULL, 1));
	lathe_ct *outs[2] = { o, NULL };
	NUL(lathe_ct_rotate_many(NULL, outs, a, steps, 1));
	NUL(lathe_ct_rotate_many(ev, NULL, a, steps, 1));
	NUL(lathe_ct_rotate_many(ev, outs, NULL, steps, 1));
	NUL(lathe_ct_rotate_many(ev, outs, a, NULL, 1));
	NUL(lathe_ct_rotate_many(ev, outs, a, (const int[]){ 1, 1 }, 2)); /* outs[1] == NULL */

	/* queries and frees with NULL must not crash */
	(void)lathe_ct_level(NULL);
	(void)lathe_ct_size(NULL);
	cr_assert_eq(lathe_evalkeys_has_rotation(NULL, 1), 0);
	lathe_sk_free(NULL);
	lathe_pk_free(NULL);
	lathe_evalkeys_free(NULL);
	lathe_pt_free(NULL);
	lathe_ct_free(NULL);
	lathe_eval_free(NULL);

	/* after all that, the objects still work */
	bgv_check(f, a, k.v, "ciphertext after the refused calls");
	BGV_OK(f, lathe_ct_rotate(ev, o, a, 1));
	kit_clear(&k);
}

/* Every call mixing an object of context 1 with one of context 2. */
static void
mismatch_all(kit *k1, kit *k2)
{
	bgv_fix *f = &k1->f;
	lathe_evalkeys *ek = NULL;
	lathe_eval *ev = NULL;
	lathe_ct *o1 = k1->o, *a1 = k1->a, *a2 = k2->a, *o2 = k2->o;
	lathe_pt *p1 = k1->pt, *p2 = k2->pt;
	int bits;
#define MIS(call) BGV_FAILS(f, LATHE_EMISMATCH, call)
	MIS(lathe_evalkeys_new(f->ctx, k2->f.sk, (const int[]){ 1 }, 1, &ek));
	MIS(lathe_eval_new(f->ctx, k2->f.ek, &ev));
	MIS(lathe_encrypt(f->pk, o2, p1));
	MIS(lathe_encrypt(f->pk, o1, p2));
	MIS(lathe_encrypt_sk(f->sk, o2, p1));
	MIS(lathe_encrypt_sk(f->sk, o1, p2));
	MIS(lathe_decrypt(f->sk, p1, a2));
	MIS(lathe_decrypt(f->sk, p2, a1));
	MIS(lathe_decrypt_force(f->sk, p1, a2));
	MIS(lathe_noise_budget(f->sk, a2, &bits));
	MIS(lathe_ct_copy(o1, a2));
	typedef lathe_status (*binop)(lathe_eval *, lathe_ct *, const lathe_ct *, const lathe_ct *);
	static const binop bins[] = { lathe_ct_add, lathe_ct_sub, lathe_ct_mul, lathe_ct_mul_raw };
	for (size_t i = 0; i < 4; i++) {
		MIS(bins[i](f->ev, o1, a1, a2));
		MIS(bins[i](f->ev, o1, a2, a1));
		MIS(bins[i](f->ev, o2, a1, a1));
		MIS(bins[i](f->ev, o2, a2, a2)); /* evaluator of context 1 */
	}
	typedef lathe_status (*unop)(lathe_eval *, lathe_ct *, const lathe_ct *);
	static const unop uns[] = { lathe_ct_neg, lathe_ct_square, lathe_ct_relin, lathe_ct_mod_switch, lathe_ct_swap_rows };
	for (size_t i = 0; i < 5; i++) {
		MIS(uns[i](f->ev, o1, a2));
		MIS(uns[i](f->ev, o2, a1));
	}
	typedef lathe_status (*plainop)(lathe_eval *, lathe_ct *, const lathe_ct *, const lathe_pt *);
	static const plainop pls[] = { lathe_ct_add_plain, lathe_ct_sub_plain, lathe_ct_mul_plain };
	for (size_t i = 0; i < 3; i++) {
		MIS(pls[i](f->ev, o1, a1, p2));
		MIS(pls[i](f->ev, o1, a2, p1));
	}
	MIS(lathe_ct_add_scalar(f->ev, o1, a2, 3));
	MIS(lathe_ct_mul_scalar(f->ev, o1, a2, 3));
	MIS(lathe_ct_mod_switch_to(f->ev, o1, a2, 0));
	MIS(lathe_ct_rotate(f->ev, o1, a2, 1));
	MIS(lathe_ct_rotate(f->ev, o2, a1, 1));
	MIS(lathe_ct_rotate_many(f->ev, (lathe_ct *[]){ o1 }, a2, (const int[]){ 1 }, 1));
	MIS(lathe_ct_rotate_many(f->ev, (lathe_ct *[]){ o2 }, a1, (const int[]){ 1 }, 1));
#undef MIS
	bgv_check(f, a1, k1->v, "context 1 ciphertext after refused calls");
	bgv_check(&k2->f, a2, k2->v, "context 2 ciphertext after refused calls");
}

Test(errors, objects_of_another_context_are_emismatch)
{
	kit k1, k2, k3;
	kit_init(&k1, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, (const int[]){ 1, 0 }, 2, 1010);
	kit_init(&k2, &BGV_INSECURE_ARITH[1], BGV_KEYS_STEPS, (const int[]){ 1, 0 }, 2, 1011); /* another N */
	kit_init(&k3, &BGV_INSECURE_ARITH[0], BGV_KEYS_STEPS, (const int[]){ 1, 0 }, 2, 1012); /* same N, another t */
	mismatch_all(&k1, &k2);
	mismatch_all(&k2, &k1);
	mismatch_all(&k1, &k3);
	kit_clear(&k1);
	kit_clear(&k2);
	kit_clear(&k3);
}

Test(errors, evaluator_without_keys_is_enokey)
{
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 1020);
	bgv_fix *f = &k.f;
	cr_assert_null(f->ek);
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_mul(f->ev, k.o, k.a, k.b));
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_square(f->ev, k.o, k.a));
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_rotate(f->ev, k.o, k.a, 1));
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_rotate(f->ev, k.o, k.a, -1));
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_swap_rows(f->ev, k.o, k.a));
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_rotate_many(f->ev, &k.o, k.a, (const int[]){ 1 }, 1));
	/* what needs no key still works */
	BGV_OK(f, lathe_ct_mul_raw(f->ev, k.o, k.a, k.b));
	uint64_t *r = bgv_vec(f);
	pm_mul(r, k.v, k.v, f->slots, f->t);
	bgv_check(f, k.o, r, "mul_raw without keys");
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_relin(f->ev, k.o, k.o));
	BGV_OK(f, lathe_ct_add(f->ev, k.o, k.a, k.b));
	BGV_OK(f, lathe_ct_mul_plain(f->ev, k.o, k.a, k.pt));
	bgv_check(f, k.o, r, "mul_plain without keys");
	free(r);
	kit_clear(&k);
}

Test(errors, bundle_without_rotation_keys_is_enokey_for_rotations)
{
	static const int none[1] = { 0 };
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, none, 0, 1030);
	bgv_fix *f = &k.f;
	cr_assert(!lathe_evalkeys_has_rotation(f->ek, 1) && !lathe_evalkeys_has_rotation(f->ek, 0),
	          "an empty step list made rotation keys [%s]", f->desc);
	BGV_OK(f, lathe_ct_mul(f->ev, k.o, k.a, k.b));
	uint64_t *r = bgv_vec(f);
	pm_mul(r, k.v, k.v, f->slots, f->t);
	bgv_check(f, k.o, r, "mul with a relinearization-only bundle");
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_rotate(f->ev, k.o, k.a, 1));
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_swap_rows(f->ev, k.o, k.a));
	free(r);
	kit_clear(&k);
}

Test(errors, level_zero_cannot_be_switched_down)
{
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 1040);
	bgv_fix *f = &k.f;
	BGV_OK(f, lathe_ct_mod_switch_to(f->ev, k.a, k.a, 0));
	cr_assert_eq(lathe_ct_level(k.a), 0);
	BGV_FAILS(f, LATHE_ELEVEL, lathe_ct_mod_switch(f->ev, k.o, k.a));
	BGV_FAILS(f, LATHE_ELEVEL, lathe_ct_mod_switch(f->ev, k.a, k.a));
	BGV_OK(f, lathe_ct_mod_switch_to(f->ev, k.o, k.a, 0)); /* to the current level: a copy */
	bgv_check(f, k.o, k.v, "mod_switch_to the current level");
	lathe_status s = lathe_ct_mod_switch_to(f->ev, k.o, k.b, f->max_level + 1);
	cr_assert(s == LATHE_ELEVEL || s == LATHE_EINVAL, "mod_switch_to above the top -> %s [%s]", lathe_strerror(s), f->desc);
	cr_assert(lathe_last_error()[0] != '\0');
	s = lathe_ct_mod_switch_to(f->ev, k.o, k.a, 1);
	cr_assert(s == LATHE_ELEVEL || s == LATHE_EINVAL, "mod_switch_to from 0 up to 1 -> %s [%s]", lathe_strerror(s), f->desc);
	kit_clear(&k);
}

Test(errors, last_error_names_the_problem)
{
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_NONE, NULL, 0, 1050);
	bgv_fix *f = &k.f;
	BGV_FAILS(f, LATHE_EINVAL, lathe_ct_add(f->ev, NULL, k.a, k.b));
	char first[256];
	snprintf(first, sizeof(first), "%s", lathe_last_error());
	BGV_FAILS(f, LATHE_ENOKEY, lathe_ct_rotate(f->ev, k.o, k.a, 1));
	cr_assert_str_neq(lathe_last_error(), first, "the same detail for a NULL output and a missing key: '%s'", first);
	kit_clear(&k);
}

Test(errors, never_written_objects_do_not_crash)
{
	/*
	 * A ciphertext from lathe_ct_new that was never written, a plaintext never encoded: the
	 * header does not say what they hold; using them must be refused (LATHE_EINVAL) or act as
	 * zero - never crash, never garbage.
	 */
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 1060);
	bgv_fix *f = &k.f;
	lathe_ct *e = bgv_ct(f);
	lathe_pt *ep = bgv_pt(f);
	uint64_t *got = bgv_vec(f);
	lathe_status s = lathe_decrypt(f->sk, k.pt, e);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "decrypt of an empty ciphertext -> %s [%s]", lathe_strerror(s), f->desc);
	if (s == LATHE_OK) {
		BGV_OK(f, lathe_decode_u64(got, f->slots, k.pt));
		for (size_t i = 0; i < f->slots; i++)
			cr_assert_eq(got[i], 0, "an empty ciphertext decrypts to %llu in slot %zu [%s]",
			             (unsigned long long)got[i], i, f->desc);
	}
	s = lathe_ct_add(f->ev, k.o, k.a, e);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "add with an empty ciphertext -> %s [%s]", lathe_strerror(s), f->desc);
	if (s == LATHE_OK)
		bgv_check(f, k.o, k.v, "a + empty");
	s = lathe_ct_mul(f->ev, k.o, k.a, e);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "mul with an empty ciphertext -> %s [%s]", lathe_strerror(s), f->desc);
	s = lathe_ct_rotate(f->ev, k.o, e, 1);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "rotate of an empty ciphertext -> %s [%s]", lathe_strerror(s), f->desc);
	int bits;
	s = lathe_noise_budget(f->sk, e, &bits);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "noise_budget of an empty ciphertext -> %s [%s]", lathe_strerror(s), f->desc);
	s = lathe_ct_budget_estimate(e, &bits);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "budget_estimate of an empty ciphertext -> %s [%s]", lathe_strerror(s), f->desc);
	s = lathe_encrypt(f->pk, k.o, ep);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "encrypt of an empty plaintext -> %s [%s]", lathe_strerror(s), f->desc);
	if (s == LATHE_OK) {
		uint64_t *z = bgv_vec(f);
		bgv_check(f, k.o, z, "encryption of an empty plaintext");
		free(z);
	}
	s = lathe_ct_mul_plain(f->ev, k.o, k.a, ep);
	cr_assert(s == LATHE_OK || s == LATHE_EINVAL, "mul_plain by an empty plaintext -> %s [%s]", lathe_strerror(s), f->desc);
	free(got);
	lathe_ct_free(e);
	lathe_pt_free(ep);
	kit_clear(&k);
}

/*
 * lathe_ct_new_at: the zero ciphertext at a level, its storage for that
 * level only; it decrypts to 0, adds as 0 to a ciphertext at its level,
 * and any operation may write it at a higher level. Above the top is
 * LATHE_ELEVEL, NULL arguments LATHE_EINVAL.
 */
Test(errors, ciphertexts_made_at_a_level)
{
	kit k;
	kit_init(&k, &BGV_INSECURE_N1024, BGV_KEYS_DEFAULT, NULL, 0, 1070);
	bgv_fix *f = &k.f;
	lathe_ct *z = NULL;
	BGV_FAILS(f, LATHE_EINVAL, lathe_ct_new_at(NULL, 0, &z));
	cr_assert_null(z);
	BGV_FAILS(f, LATHE_EINVAL, lathe_ct_new_at(f->ctx, 0, NULL));
	BGV_FAILS(f, LATHE_ELEVEL, lathe_ct_new_at(f->ctx, f->max_level + 1, &z));
	cr_assert_null(z);
	uint64_t *zero = bgv_vec(f), *sum = bgv_vec(f), *prod = bgv_vec(f);
	/* a and b both encrypt v */
	pm_add(sum, k.v, k.v, f->n, f->t);
	pm_mul(prod, k.v, k.v, f->n, f->t);
	for (unsigned l = 0; l <= f->max_level; l++) {
		BGV_OK(f, lathe_ct_new_at(f->ctx, l, &z));
		cr_assert_eq(lathe_ct_level(z), l, "made at level %u, has level %u [%s]", l, lathe_ct_level(z), f->desc);
		bgv_check(f, z, zero, "the zero ciphertext at a level");
		/* a + 0 at a's level switched down to l */
		BGV_OK(f, lathe_ct_mod_switch_to(f->ev, k.o, k.a, l));
		BGV_OK(f, lathe_ct_add(f->ev, k.o, k.o, z));
		bgv_check(f, k.o, k.v, "a + the zero ciphertext at its level");
		/* written at the top and above its storage: a product, then a sum */
		BGV_OK(f, lathe_ct_mul(f->ev, z, k.a, k.b));
		bgv_check(f, z, prod, "a product into a ciphertext made lower");
		BGV_OK(f, lathe_ct_add(f->ev, z, k.a, k.b));
		cr_assert_eq(lathe_ct_level(z), f->max_level);
		bgv_check(f, z, sum, "a sum at the top into a ciphertext made lower");
		lathe_ct_free(z);
		z = NULL;
	}
	free(zero);
	free(sum);
	free(prod);
	kit_clear(&k);
}
