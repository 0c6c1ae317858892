/*
 * The public bootstrapping API (lathe/boot.h) on the insecure twin of
 * preset A ("insecure-test-boot-n4096-p257": N = 2^12, p = 257, 128 thin
 * slots, the same chain): one bundle from lathe_boot_keygen, lathe_boot
 * against the plaintext slots, every refusal with its status, the bundle
 * and the context through their file format, automatic bootstrapping
 * through a chain of products far deeper than the modulus chain, and
 * r = 2 on a literal made bootstrappable with lathe_params_set_bootstrap.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <lathe.h>
#include <sodium.h>

#include "bgv/internal.h"

#define P 257u
#define PRESET "insecure-test-boot-n4096-p257"

static void
ok(lathe_status s, const char *what)
{
	cr_assert_eq(s, LATHE_OK, "%s: %s (%s)", what, lathe_strerror(s), lathe_last_error());
}

typedef struct fixture {
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
	size_t l;
} fixture;

static void
fixture_new(fixture *f, const int *steps, size_t n)
{
	memset(f, 0, sizeof(*f));
	ok(lathe_ctx_new_preset(PRESET, &f->ctx), "preset");
	ok(lathe_keygen(f->ctx, &f->sk, &f->pk), "keygen");
	ok(lathe_boot_keygen(f->sk, steps, n, &f->ek), "lathe_boot_keygen");
	ok(lathe_eval_new(f->ctx, f->ek, &f->ev), "eval");
	f->l = lathe_ctx_slots(f->ctx);
}

static void
fixture_free(fixture *f)
{
	lathe_eval_free(f->ev);
	lathe_evalkeys_free(f->ek);
	lathe_sk_free(f->sk);
	lathe_pk_free(f->pk);
	lathe_ctx_free(f->ctx);
}

/* a fresh encryption of m (l slots) at level `level` */
static lathe_ct *
enc_at(const fixture *f, const uint64_t *m, unsigned level)
{
	lathe_pt *pt = NULL;
	lathe_ct *ct = NULL;
	ok(lathe_pt_new(f->ctx, &pt), "pt");
	ok(lathe_encode_u64(pt, m, f->l), "encode");
	ok(lathe_ct_new(f->ctx, &ct), "ct");
	ok(lathe_encrypt(f->pk, ct, pt), "encrypt");
	ok(lathe_ct_mod_switch_to(f->ev, ct, ct, level), "mod switch");
	lathe_pt_free(pt);
	return ct;
}

/* the slots of ct equal m */
static void
expect(const fixture *f, const lathe_ct *ct, const uint64_t *m, const char *what)
{
	lathe_pt *pt = NULL;
	uint64_t *got = calloc(f->l, 8);
	ok(lathe_pt_new(f->ctx, &pt), "pt");
	ok(lathe_decrypt(f->sk, pt, ct), what);
	ok(lathe_decode_u64(got, f->l, pt), "decode");
	for (size_t i = 0; i < f->l; i++)
		cr_assert_eq(got[i], m[i], "%s: slot %zu: %llu, expected %llu", what, i, (unsigned long long)got[i],
		             (unsigned long long)m[i]);
	free(got);
	lathe_pt_free(pt);
}

static void
random_slots(uint64_t *m, size_t l, unsigned seed)
{
	srand(seed);
	for (size_t i = 0; i < l; i++)
		m[i] = (uint64_t)rand() % P;
}

Test(boot, presets_and_info)
{
	size_t n = 0;
	const char *const *names = lathe_boot_presets(&n);
	cr_assert_geq(n, 2);
	int a = 0, t = 0;
	for (size_t i = 0; i < n; i++) {
		a |= strcmp(names[i], "bgv-128-boot-n32768-p257") == 0;
		t |= strcmp(names[i], PRESET) == 0;
	}
	cr_assert(a && t && names[n] == NULL);
	cr_assert_geq(n, 6);
	/* preset A itself: 128-bit, p_0 >= q_0 2^6, q_0 p_0 within the sparse key's estimate */
	lathe_ctx *ctx = NULL;
	ok(lathe_ctx_new_preset("bgv-128-boot-n32768-p257", &ctx), "preset A");
	lathe_context_info ci;
	ok(lathe_ctx_info(ctx, &ci), "info");
	cr_assert_eq(ci.security, 128);
	cr_assert(ci.log2_qp <= ci.security_bound);
	cr_assert_eq(ci.boot_exp, 2);
	cr_assert_eq(ci.boot_t, P * P);
	cr_assert_eq(ci.boot_h, 64);
	const double lq0 = log2((double)ci.chain[0]), lp0 = log2((double)ci.special[0]);
	cr_assert(lp0 >= lq0 + 6 && lq0 + lp0 <= 120, "q_0 %.1f bits, p_0 %.1f bits", lq0, lp0);
	cr_assert(lathe_ctx_bootstrappable(ctx));
	lathe_boot_info bi;
	ok(lathe_boot_info_get(ctx, &bi), "boot info");
	cr_assert_eq(bi.slots, 128);
	cr_assert_eq(bi.overflow_bound, 27);
	cr_assert(bi.fail_log2 <= -128, "failure bound 2^%.1f", bi.fail_log2);
	cr_assert_eq(bi.pe, P * P);
	cr_assert_eq(bi.level_in, 1);
	cr_assert_eq(bi.qprime % (P * P), 1);
	lathe_ctx_free(ctx);
	/* the cyclic preset: 128-bit, one cycle of 64 slots, the pair bound */
	ok(lathe_ctx_new_preset("bgv-128-boot-n32768-p127", &ctx), "cyclic preset");
	ok(lathe_ctx_info(ctx, &ci), "info");
	cr_assert(ci.security == 128 && ci.log2_qp <= ci.security_bound && ci.slot_rows == 1 && ci.slots == 64);
	ok(lathe_boot_info_get(ctx, &bi), "boot info");
	cr_assert_eq(bi.overflow_bound, 49);
	cr_assert(bi.fail_log2 <= -128, "failure bound 2^%.1f", bi.fail_log2);
	lathe_ctx_free(ctx);
	/* a context that is not bootstrappable */
	ok(lathe_ctx_new_preset("bgv-128-n8192-t65537", &ctx), "plain preset");
	cr_assert(!lathe_ctx_bootstrappable(ctx));
	cr_assert_eq(lathe_boot_info_get(ctx, &bi), LATHE_EUNSUPPORTED);
	cr_assert_eq(bi.slots, 0);
	lathe_ctx_free(ctx);
}

/* the literal's checks: what lathe_params_set_bootstrap and lathe_ctx_new refuse */
Test(boot, params_refused)
{
	lathe_params *p = NULL;
	ok(lathe_params_new(&p), "params");
	ok(lathe_params_set_plain_modulus(p, P, 1), "t");
	cr_assert_eq(lathe_params_set_bootstrap(p, 3, 64), LATHE_EUNSUPPORTED); /* e != r + 1 */
	cr_assert_eq(lathe_params_set_bootstrap(p, 2, 0), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_bootstrap(NULL, 2, 64), LATHE_EINVAL);
	ok(lathe_params_set_ring(p, 15), "ring");
	unsigned bits[17] = { 50 };
	for (unsigned i = 1; i < 17; i++)
		bits[i] = 40;
	ok(lathe_params_set_chain(p, bits, 17), "chain");
	ok(lathe_params_set_keyswitch(p, 6, NULL, 0), "keyswitch");
	lathe_ctx *ctx = NULL;
	/* h = 32 at N = 2^15: ruled out by the sparse key's estimate */
	ok(lathe_params_set_bootstrap(p, 2, 32), "bootstrap");
	cr_assert_eq(lathe_ctx_new(p, &ctx), LATHE_EINSECURE, "%s", lathe_last_error());
	/* h = 64, but the chosen special primes make p_0 below q_0 2^6 */
	ok(lathe_params_set_bootstrap(p, 2, 64), "bootstrap");
	cr_assert_eq(lathe_ctx_new(p, &ctx), LATHE_EPARAM, "%s", lathe_last_error());
	/* q_0 of 60 bits, p_0 of 61: q_0 p_0 above the 120 bits estimated */
	bits[0] = 60;
	ok(lathe_params_set_chain(p, bits, 17), "chain");
	unsigned sp[3] = { 61, 50, 45 };
	ok(lathe_params_set_keyswitch(p, 6, sp, 3), "keyswitch");
	lathe_status s = lathe_ctx_new(p, &ctx);
	cr_assert(s == LATHE_EINSECURE && strstr(lathe_last_error(), "120"), "%s", lathe_last_error());
	/* p = 2 */
	ok(lathe_params_set_plain_modulus(p, 2, 1), "t");
	cr_assert_eq(lathe_params_set_bootstrap(p, 2, 64), LATHE_EUNSUPPORTED);
	lathe_params_free(p);
	cr_assert_null(ctx);
}

Test(boot, bootstrap_and_sizes, .timeout = 600)
{
	fixture f;
	const int steps[1] = { 3 };
	fixture_new(&f, steps, 1);
	cr_assert(lathe_evalkeys_has_boot(f.ek));
	cr_assert(lathe_evalkeys_has_rotation(f.ek, 3));
	lathe_boot_info bi;
	ok(lathe_boot_info_get(f.ctx, &bi), "info");
	lathe_boot_key_sizes ks;
	ok(lathe_boot_key_sizes_get(f.ek, &ks), "sizes");
	const size_t n = lathe_ctx_degree(f.ctx), nq = lathe_ctx_max_level(f.ctx) + 1;
	cr_assert_eq(ks.boot_key, 2 * nq * n * 8);
	cr_assert_eq(ks.encaps_key, 4 * n * 8);
	cr_assert_eq(ks.galois_keys, bi.galois_keys);
	cr_assert(ks.galois > 0 && ks.relin > 0 && ks.total > ks.galois + ks.relin + ks.boot_key);
	uint64_t *m = calloc(f.l, 8), *r = calloc(f.l, 8);
	for (unsigned trial = 0; trial < 3; trial++) {
		random_slots(m, f.l, 100 + trial);
		lathe_ct *ct = enc_at(&f, m, 1);
		lathe_boot_stats st;
		ok(lathe_boot_ex(f.ev, ct, ct, &st), "lathe_boot");
		cr_assert_eq(st.level_in, 1);
		cr_assert_geq(st.level_out, 8, "level after a bootstrap: %u", st.level_out);
		cr_assert_eq(lathe_ct_level(ct), st.level_out);
		cr_assert(st.noise_q0 < st.noise_q0_max && st.total > 0);
		expect(&f, ct, m, "bootstrapped");
		/* the refreshed ciphertext is an ordinary one: a rotation of the bundle, a product */
		lathe_ct *x = NULL;
		ok(lathe_ct_new(f.ctx, &x), "ct");
		ok(lathe_ct_rotate(f.ev, x, ct, 3), "rotate");
		const size_t half = f.l / 2;
		for (size_t i = 0; i < f.l; i++) {
			const size_t row = i / half, col = i % half;
			r[i] = m[row * half + (col + 3) % half];
		}
		expect(&f, x, r, "rotated after bootstrapping");
		ok(lathe_ct_mul(f.ev, x, ct, ct), "square");
		for (size_t i = 0; i < f.l; i++)
			r[i] = m[i] * m[i] % P;
		expect(&f, x, r, "squared after bootstrapping");
		lathe_ct_free(x);
		lathe_ct_free(ct);
	}
	/* from a higher level too */
	random_slots(m, f.l, 7);
	lathe_ct *ct = enc_at(&f, m, 5), *out = NULL;
	ok(lathe_ct_new(f.ctx, &out), "ct");
	ok(lathe_boot(f.ev, out, ct), "lathe_boot from level 5");
	expect(&f, out, m, "bootstrapped from level 5");
	lathe_ct_free(out);
	lathe_ct_free(ct);
	free(m);
	free(r);
	fixture_free(&f);
}

Test(boot, refusals, .timeout = 600)
{
	fixture f;
	fixture_new(&f, NULL, 0);
	uint64_t *m = calloc(f.l, 8);
	random_slots(m, f.l, 3);
	lathe_ct *ct = enc_at(&f, m, 1), *out = NULL;
	ok(lathe_ct_new(f.ctx, &out), "ct");
	cr_assert_eq(lathe_boot(NULL, out, ct), LATHE_EINVAL);
	cr_assert_eq(lathe_boot(f.ev, NULL, ct), LATHE_EINVAL);
	cr_assert_eq(lathe_boot(f.ev, out, NULL), LATHE_EINVAL);
	const unsigned out_level = lathe_ct_level(out);
	/* level 0 */
	lathe_ct *z = enc_at(&f, m, 0);
	cr_assert_eq(lathe_boot(f.ev, out, z), LATHE_ELEVEL, "%s", lathe_last_error());
	/* three components */
	lathe_ct *three = NULL;
	ok(lathe_ct_new(f.ctx, &three), "ct");
	ok(lathe_ct_mul_raw(f.ev, three, ct, ct), "mul raw");
	cr_assert_eq(lathe_boot(f.ev, out, three), LATHE_EINVAL, "%s", lathe_last_error());
	/* a ciphertext under bootstrapping's p^e instead of the context's t */
	lathe_ct *pe = NULL;
	ok(lathe_ct_new(f.ctx, &pe), "ct");
	ok(lathe_ct_copy(pe, ct), "copy");
	pe->pm = f.ctx->npm - 1;
	lathe_status s = lathe_boot(f.ev, out, pe);
	cr_assert(s == LATHE_EINVAL && strstr(lathe_last_error(), "plaintext modulus"), "%s", lathe_last_error());
	/* nothing was written to out */
	cr_assert_eq(lathe_ct_level(out), out_level);
	/* an evaluator without bootstrapping keys */
	lathe_evalkeys *plain = NULL;
	lathe_eval *ev2 = NULL;
	ok(lathe_evalkeys_new(f.ctx, f.sk, NULL, 0, &plain), "evalkeys");
	ok(lathe_eval_new(f.ctx, plain, &ev2), "eval");
	cr_assert(!lathe_evalkeys_has_boot(plain));
	cr_assert_eq(lathe_boot(ev2, out, ct), LATHE_ENOKEY, "%s", lathe_last_error());
	cr_assert_eq(lathe_eval_set_auto_bootstrap(ev2, 1), LATHE_ENOKEY);
	lathe_boot_key_sizes ks;
	cr_assert_eq(lathe_boot_key_sizes_get(plain, &ks), LATHE_ENOKEY);
	lathe_eval_free(ev2);
	ok(lathe_eval_new(f.ctx, NULL, &ev2), "eval without keys");
	cr_assert_eq(lathe_boot(ev2, out, ct), LATHE_ENOKEY);
	lathe_eval_free(ev2);
	lathe_evalkeys_free(plain);
	/* a context that is not bootstrappable, and a ciphertext of another context */
	lathe_ctx *c2 = NULL;
	lathe_sk *sk2 = NULL;
	lathe_pk *pk2 = NULL;
	lathe_evalkeys *ek2 = NULL;
	ok(lathe_ctx_new_preset("insecure-test-n4096-t268042241", &c2), "plain preset");
	ok(lathe_keygen(c2, &sk2, &pk2), "keygen");
	cr_assert_eq(lathe_boot_keygen(sk2, NULL, 0, &ek2), LATHE_EUNSUPPORTED, "%s", lathe_last_error());
	cr_assert_null(ek2);
	ok(lathe_evalkeys_new(c2, sk2, NULL, 0, &ek2), "evalkeys");
	ok(lathe_eval_new(c2, ek2, &ev2), "eval");
	lathe_ct *other = NULL, *out2 = NULL;
	ok(lathe_ct_new(c2, &other), "ct");
	ok(lathe_ct_new(c2, &out2), "ct");
	cr_assert_eq(lathe_boot(ev2, out2, other), LATHE_EUNSUPPORTED, "%s", lathe_last_error());
	cr_assert_eq(lathe_eval_set_auto_bootstrap(ev2, 1), LATHE_EUNSUPPORTED);
	cr_assert_eq(lathe_boot(f.ev, out, other), LATHE_EMISMATCH, "%s", lathe_last_error());
	/* rotation steps out of range */
	const int bad[1] = { 1 << 20 };
	lathe_evalkeys *ek3 = NULL;
	cr_assert_eq(lathe_boot_keygen(f.sk, bad, 1, &ek3), LATHE_EINVAL);
	cr_assert_eq(lathe_boot_keygen(f.sk, NULL, 1, &ek3), LATHE_EINVAL);
	cr_assert_null(ek3);
	/* the first refusals left the evaluator usable */
	ok(lathe_boot(f.ev, out, ct), "lathe_boot after the refusals");
	expect(&f, out, m, "bootstrapped after the refusals");
	lathe_ct_free(other);
	lathe_ct_free(out2);
	lathe_eval_free(ev2);
	lathe_evalkeys_free(ek2);
	lathe_sk_free(sk2);
	lathe_pk_free(pk2);
	lathe_ctx_free(c2);
	lathe_ct_free(pe);
	lathe_ct_free(three);
	lathe_ct_free(z);
	lathe_ct_free(ct);
	lathe_ct_free(out);
	free(m);
	fixture_free(&f);
}

Test(boot, file_round_trip, .timeout = 600)
{
	fixture f;
	fixture_new(&f, NULL, 0);
	/* the context: version 4, the same parameters */
	uint8_t *buf = NULL;
	size_t len = 0;
	ok(lathe_ctx_to_buffer(f.ctx, &buf, &len), "ctx to buffer");
	cr_assert_eq(buf[6] | (buf[7] << 8), 4);
	lathe_ctx *c2 = NULL;
	ok(lathe_ctx_from_buffer(buf, len, &c2), "ctx from buffer");
	cr_assert(lathe_ctx_bootstrappable(c2));
	lathe_context_info a, b;
	ok(lathe_ctx_info(f.ctx, &a), "info");
	ok(lathe_ctx_info(c2, &b), "info");
	cr_assert(memcmp(a.param_hash, b.param_hash, 32) == 0 && b.boot_h == 64 && b.boot_exp == 2);
	/* a truncated or altered context file */
	lathe_ctx *cbad = NULL;
	cr_assert_eq(lathe_ctx_from_buffer(buf, len - 1, &cbad), LATHE_ECORRUPT);
	buf[len - 40] ^= 1;
	cr_assert_eq(lathe_ctx_from_buffer(buf, len, &cbad), LATHE_ECORRUPT);
	cr_assert_null(cbad);
	lathe_buffer_free(buf);
	/* the bundle: its bootstrapping keys come back and bootstrap */
	ok(lathe_evalkeys_to_buffer(f.ek, &buf, &len), "evalkeys to buffer");
	cr_assert_eq(buf[6] | (buf[7] << 8), 5);
	/* the same bytes labelled version 4 (an encapsulation key under p^e, by an earlier lathe): refused */
	{
		uint8_t *old = malloc(len);
		memcpy(old, buf, len);
		old[6] = 4;
		crypto_generichash(old + len - 32, 32, old, len - 32, NULL, 0);
		lathe_evalkeys *e4 = NULL;
		cr_assert_eq(lathe_evalkeys_from_buffer(f.ctx, old, len, &e4), LATHE_EFORMAT, "%s", lathe_last_error());
		cr_assert_null(e4);
		free(old);
	}
	lathe_evalkeys *ek2 = NULL;
	ok(lathe_evalkeys_from_buffer(f.ctx, buf, len, &ek2), "evalkeys from buffer");
	cr_assert(lathe_evalkeys_has_boot(ek2));
	lathe_boot_key_sizes s1, s2;
	ok(lathe_boot_key_sizes_get(f.ek, &s1), "sizes");
	ok(lathe_boot_key_sizes_get(ek2, &s2), "sizes");
	cr_assert(memcmp(&s1, &s2, sizeof s1) == 0);
	lathe_eval *ev2 = NULL;
	ok(lathe_eval_new(f.ctx, ek2, &ev2), "eval");
	uint64_t *m = calloc(f.l, 8);
	random_slots(m, f.l, 11);
	lathe_ct *ct = enc_at(&f, m, 1);
	ok(lathe_boot(ev2, ct, ct), "lathe_boot with loaded keys");
	expect(&f, ct, m, "bootstrapped with loaded keys");
	/* every shortened file and a flipped byte in the bootstrapping keys are refused */
	lathe_evalkeys *bad = NULL;
	for (size_t cut = 1; cut < 64; cut += 21)
		cr_assert_eq(lathe_evalkeys_from_buffer(f.ctx, buf, len - cut, &bad), LATHE_ECORRUPT);
	buf[len - 100] ^= 1;
	cr_assert_eq(lathe_evalkeys_from_buffer(f.ctx, buf, len, &bad), LATHE_ECORRUPT);
	cr_assert_null(bad);
	/* the bundle under a context of other parameters */
	lathe_ctx *c3 = NULL;
	ok(lathe_ctx_new_preset("insecure-test-n4096-t268042241", &c3), "plain preset");
	buf[len - 100] ^= 1;
	cr_assert_eq(lathe_evalkeys_from_buffer(c3, buf, len, &bad), LATHE_EMISMATCH);
	lathe_ctx_free(c3);
	lathe_buffer_free(buf);
	lathe_ct_free(ct);
	free(m);
	lathe_eval_free(ev2);
	lathe_evalkeys_free(ek2);
	lathe_ctx_free(c2);
	fixture_free(&f);
}

/* 40 products in a row on a chain of 16 levels: automatic bootstrapping keeps every slot right */
Test(boot, automatic, .timeout = 900)
{
	fixture f;
	fixture_new(&f, NULL, 0);
	uint64_t *m = calloc(f.l, 8), *w = calloc(f.l, 8), *x = calloc(f.l, 8);
	random_slots(m, f.l, 21);
	random_slots(w, f.l, 22);
	lathe_ct *ct = enc_at(&f, m, lathe_ctx_max_level(f.ctx)), *cw = enc_at(&f, w, lathe_ctx_max_level(f.ctx));
	memcpy(x, m, f.l * 8);
	/* without it, the chain ends */
	lathe_ct *y = NULL;
	ok(lathe_ct_new(f.ctx, &y), "ct");
	ok(lathe_ct_copy(y, ct), "copy");
	lathe_status s = LATHE_OK;
	unsigned k = 0;
	for (; k < 40 && !s; k++)
		s = lathe_ct_mul(f.ev, y, y, cw);
	cr_assert(s == LATHE_ELEVEL || s == LATHE_ENOISE, "product %u: %s", k, lathe_strerror(s));
	cr_assert_eq(lathe_eval_bootstraps(f.ev), 0);
	ok(lathe_eval_set_auto_bootstrap(f.ev, 1), "auto on");
	for (unsigned i = 0; i < 40; i++) {
		ok(i % 3 == 2 ? lathe_ct_square(f.ev, ct, ct) : lathe_ct_mul(f.ev, ct, ct, cw), "product");
		for (size_t j = 0; j < f.l; j++)
			x[j] = i % 3 == 2 ? x[j] * x[j] % P : x[j] * w[j] % P;
		cr_assert_geq(lathe_ct_level(ct), 2, "product %u landed at level %u", i, lathe_ct_level(ct));
		if (i % 10 == 9)
			expect(&f, ct, x, "after automatic bootstrapping");
	}
	const uint64_t nb = lathe_eval_bootstraps(f.ev);
	cr_assert_geq(nb, 4, "%llu automatic bootstraps", (unsigned long long)nb);
	/* the caller's second operand was not changed by its refreshes */
	expect(&f, cw, w, "second operand");
	/* off again: the counter stays */
	ok(lathe_eval_set_auto_bootstrap(f.ev, 0), "auto off");
	cr_assert_eq(lathe_eval_bootstraps(f.ev), nb);
	lathe_ct_free(y);
	lathe_ct_free(ct);
	lathe_ct_free(cw);
	free(m);
	free(w);
	free(x);
	fixture_free(&f);
}

/* r = 2 (t = 257^2, keys under 257^3) through the public API, on a literal of its own */
Test(boot, r2_literal, .timeout = 900)
{
	lathe_params *p = NULL;
	ok(lathe_params_new(&p), "params");
	ok(lathe_params_set_ring(p, 11), "ring");
	ok(lathe_params_set_plain_modulus(p, P, 2), "t");
	ok(lathe_params_set_bootstrap(p, 3, 64), "bootstrap");
	/* q_0 of 52 bits; p_0 of 61 >= q_0 2^6 keeps the encapsulation's noise under mod p^3 = 2^24 (Correction 5) */
	unsigned bits[21] = { 52 }, sp[3] = { 61, 60, 45 };
	for (unsigned i = 1; i < 21; i++)
		bits[i] = 50;
	ok(lathe_params_set_chain(p, bits, 21), "chain");
	ok(lathe_params_set_keyswitch(p, 7, sp, 3), "keyswitch");
	ok(lathe_params_set_security(p, LATHE_SECURITY_NONE), "security");
	fixture f;
	memset(&f, 0, sizeof(f));
	ok(lathe_ctx_new(p, &f.ctx), "context");
	lathe_params_free(p);
	ok(lathe_keygen(f.ctx, &f.sk, &f.pk), "keygen");
	ok(lathe_boot_keygen(f.sk, NULL, 0, &f.ek), "lathe_boot_keygen");
	ok(lathe_eval_new(f.ctx, f.ek, &f.ev), "eval");
	f.l = lathe_ctx_slots(f.ctx);
	const uint64_t t = (uint64_t)P * P;
	uint64_t *m = calloc(f.l, 8);
	srand(5);
	for (size_t i = 0; i < f.l; i++)
		m[i] = (uint64_t)rand() % t;
	lathe_ct *ct = enc_at(&f, m, 1);
	lathe_boot_stats st;
	for (unsigned k = 0; k < 3; k++) {
		ok(lathe_boot_ex(f.ev, ct, ct, &st), "lathe_boot, r = 2");
		expect(&f, ct, m, "bootstrapped, r = 2");
		ok(lathe_ct_mul(f.ev, ct, ct, ct), "square");
		for (size_t i = 0; i < f.l; i++)
			m[i] = m[i] * m[i] % t;
		expect(&f, ct, m, "squared after bootstrapping, r = 2");
		ok(lathe_ct_mod_switch_to(f.ev, ct, ct, 1), "down to level 1");
	}
	cr_assert_gt(st.level_out, 2, "level after a bootstrap: %u", st.level_out);
	lathe_ct_free(ct);
	free(m);
	fixture_free(&f);
}

/* the cyclic slots of p = 127 (3 mod 4) on the insecure twin of the cyclic preset: bootstraps in a row */
Test(boot, cyclic_preset, .timeout = 600)
{
	fixture f;
	memset(&f, 0, sizeof(f));
	ok(lathe_ctx_new_preset("insecure-test-boot-n4096-p127", &f.ctx), "preset");
	lathe_boot_info bi;
	ok(lathe_boot_info_get(f.ctx, &bi), "info");
	cr_assert(bi.fail_log2 <= -128 && 2 * bi.overflow_bound + 1 < 127, "B = %u, 2^%.1f", bi.overflow_bound,
	          bi.fail_log2);
	ok(lathe_keygen(f.ctx, &f.sk, &f.pk), "keygen");
	ok(lathe_boot_keygen(f.sk, NULL, 0, &f.ek), "lathe_boot_keygen");
	ok(lathe_eval_new(f.ctx, f.ek, &f.ev), "eval");
	f.l = lathe_ctx_slots(f.ctx);
	cr_assert_eq(f.l, bi.slots);
	uint64_t *m = calloc(f.l, 8), *w = calloc(f.l, 8);
	srand(9);
	for (size_t i = 0; i < f.l; i++) {
		m[i] = (uint64_t)rand() % 127;
		w[i] = (uint64_t)rand() % 127;
	}
	lathe_ct *ct = enc_at(&f, m, 1), *cw = enc_at(&f, w, lathe_ctx_max_level(f.ctx));
	for (unsigned k = 0; k < 4; k++) {
		lathe_boot_stats st;
		ok(lathe_boot_ex(f.ev, ct, ct, &st), "lathe_boot, cyclic");
		cr_assert_gt(st.level_out, 2);
		expect(&f, ct, m, "bootstrapped, cyclic");
		ok(lathe_ct_mul(f.ev, ct, ct, cw), "product");
		for (size_t i = 0; i < f.l; i++)
			m[i] = m[i] * w[i] % 127;
		ok(lathe_ct_mod_switch_to(f.ev, ct, ct, 1), "down to level 1");
		expect(&f, ct, m, "before the next bootstrap, cyclic");
	}
	lathe_ct_free(ct);
	lathe_ct_free(cw);
	free(m);
	free(w);
	fixture_free(&f);
}
