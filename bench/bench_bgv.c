/*
 * BGV cases at the presets' full level: key generation, encoding,
 * encryption, decryption, arithmetic, relinearization, modulus switching,
 * rotations (single and hoisted); and mul_relin_auto, the product of two
 * fresh ciphertexts under automatic modulus switching (the operands first
 * go down to the level the evaluator picks for them, as in a user's
 * circuit). Key and ciphertext sizes go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>

#include "cases.h"

typedef struct {
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
	lathe_eval *ev_auto; /* automatic modulus switching on */
	lathe_pt *pt;
	lathe_prepared_pt *prep;
	lathe_ct *a, *b, *c, *three;
	lathe_ct *outs[16];
	int steps[16];
	int64_t *vals;
} bgv_case;

#define OK(x) \
	do { \
		if ((x) != LATHE_OK) { \
			fprintf(stderr, "lathe-bench: %s: %s\n", #x, lathe_last_error()); \
			exit(1); \
		} \
	} while (0)

static void
setup(bgv_case *b, const char *preset)
{
	memset(b, 0, sizeof(*b));
	OK(lathe_ctx_new_preset(preset, &b->ctx));
	OK(lathe_keygen(b->ctx, &b->sk, &b->pk));
	int steps[17];
	steps[0] = 1;
	for (int i = 0; i < 16; i++) {
		b->steps[i] = i + 1;
		steps[i + 1] = i + 1;
	}
	OK(lathe_evalkeys_new(b->ctx, b->sk, steps, 17, &b->ek));
	OK(lathe_eval_new(b->ctx, b->ek, &b->ev));
	OK(lathe_eval_set_auto_modswitch(b->ev, 0)); /* measure at the full level */
	OK(lathe_eval_new(b->ctx, b->ek, &b->ev_auto));
	OK(lathe_pt_new(b->ctx, &b->pt));
	size_t n = lathe_ctx_slots(b->ctx);
	b->vals = malloc(n * sizeof(int64_t));
	for (size_t i = 0; i < n; i++)
		b->vals[i] = (int64_t)(i % 1000);
	OK(lathe_encode(b->pt, b->vals, n));
	OK(lathe_prepared_pt_new(b->pt, lathe_ctx_max_level(b->ctx), &b->prep));
	OK(lathe_ct_new(b->ctx, &b->a));
	OK(lathe_ct_new(b->ctx, &b->b));
	OK(lathe_ct_new(b->ctx, &b->c));
	OK(lathe_ct_new(b->ctx, &b->three));
	for (int i = 0; i < 16; i++)
		OK(lathe_ct_new(b->ctx, &b->outs[i]));
	OK(lathe_encrypt(b->pk, b->a, b->pt));
	OK(lathe_encrypt(b->pk, b->b, b->pt));
	OK(lathe_ct_mul_raw(b->ev, b->three, b->a, b->b));
}

static void
teardown(bgv_case *b)
{
	for (int i = 0; i < 16; i++)
		lathe_ct_free(b->outs[i]);
	lathe_ct_free(b->a);
	lathe_ct_free(b->b);
	lathe_ct_free(b->c);
	lathe_ct_free(b->three);
	lathe_pt_free(b->pt);
	lathe_prepared_pt_free(b->prep);
	free(b->vals);
	lathe_eval_free(b->ev);
	lathe_eval_free(b->ev_auto);
	lathe_evalkeys_free(b->ek);
	lathe_pk_free(b->pk);
	lathe_sk_free(b->sk);
	lathe_ctx_free(b->ctx);
}

static void
r_keygen(void *p)
{
	bgv_case *b = p;
	lathe_sk *sk;
	lathe_pk *pk;
	OK(lathe_keygen(b->ctx, &sk, &pk));
	lathe_sk_free(sk);
	lathe_pk_free(pk);
}

static void
r_relin_keygen(void *p)
{
	bgv_case *b = p;
	lathe_evalkeys *ek;
	int none = 0;
	OK(lathe_evalkeys_new(b->ctx, b->sk, &none, 0, &ek)); /* an empty step list: relinearization key only */
	lathe_evalkeys_free(ek);
}

static void
r_encode(void *p)
{
	bgv_case *b = p;
	OK(lathe_encode(b->pt, b->vals, lathe_ctx_slots(b->ctx)));
}

static void
r_mul_plain(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_mul_plain(b->ev, b->c, b->a, b->pt));
}

static void
r_mul_prepared(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_mul_prepared(b->ev, b->c, b->a, b->prep));
}

static void
r_encrypt_pk(void *p)
{
	bgv_case *b = p;
	OK(lathe_encrypt(b->pk, b->c, b->pt));
}

static void
r_encrypt_sk(void *p)
{
	bgv_case *b = p;
	OK(lathe_encrypt_sk(b->sk, b->c, b->pt));
}

static void
r_decrypt(void *p)
{
	bgv_case *b = p;
	OK(lathe_decrypt(b->sk, b->pt, b->a));
}

static void
r_add(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_add(b->ev, b->c, b->a, b->b));
}

static void
r_mul(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_mul_raw(b->ev, b->c, b->a, b->b));
}

static void
r_relin(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_relin(b->ev, b->c, b->three));
}

static void
r_mul_relin(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_mul(b->ev, b->c, b->a, b->b));
}

static void
r_mul_relin_auto(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_mul(b->ev_auto, b->c, b->a, b->b));
}

static void
r_mod_switch(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_mod_switch(b->ev, b->c, b->a));
}

static void
r_rotate(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_rotate(b->ev, b->c, b->a, 1));
}

static void
r_rotate_hoisted(void *p)
{
	bgv_case *b = p;
	OK(lathe_ct_rotate_many(b->ev, b->outs, b->a, b->steps, 16));
}

void
bench_bgv(const bench_opts *o)
{
	static const struct {
		const char *preset;
		unsigned logn;
	} ps[] = {
		{ "bgv-128-n8192-t65537", 13 },
		{ "bgv-128-n16384-t65537", 14 },
		{ "bgv-128-n32768-t65537", 15 },
	};
	static const struct {
		const char *name;
		bench_fn fn;
		int threads; /* 0: the thread list, 1: one thread only */
	} cs[] = {
		{ "keygen", r_keygen, 1 },
		{ "relin_keygen", r_relin_keygen, 1 },
		{ "encode", r_encode, 1 },
		{ "encrypt_pk", r_encrypt_pk, 0 },
		{ "encrypt_sk", r_encrypt_sk, 0 },
		{ "decrypt", r_decrypt, 0 },
		{ "add", r_add, 0 },
		{ "mul", r_mul, 0 },
		{ "mul_plain", r_mul_plain, 0 },
		{ "mul_prepared", r_mul_prepared, 0 },
		{ "relin", r_relin, 0 },
		{ "mul_relin", r_mul_relin, 0 },
		{ "mul_relin_auto", r_mul_relin_auto, 0 },
		{ "mod_switch", r_mod_switch, 0 },
		{ "rotate", r_rotate, 0 },
		{ "rotate_hoisted/k=16", r_rotate_hoisted, 0 },
	};
	char name[160];
	int th[2];
	int nth = bench_thread_list(o, th, 2);
	for (size_t pi = 0; pi < sizeof ps / sizeof ps[0]; pi++) {
		int any = 0;
		for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++) {
			snprintf(name, sizeof name, "%s/N=%u", cs[ci].name, 1u << ps[pi].logn);
			any |= bench_may_select(o, name);
		}
		if (!any)
			continue;
		bgv_case b;
		setup(&b, ps[pi].preset);
		lathe_context_info ci_;
		OK(lathe_ctx_info(b.ctx, &ci_));
		unsigned L = ci_.chain_primes - 1;
		if (!o->list)
			fprintf(stderr,
			        "# %s: L=%u limbs, dnum=%u, special=%u; in-memory bytes: ciphertext %zu, "
			        "public key %zu, relinearization key %zu, one Galois key %zu\n",
			        ps[pi].preset, ci_.chain_primes, ci_.dnum, ci_.special_primes, ci_.ct_bytes, ci_.pk_bytes,
			        ci_.ksk_bytes, ci_.ksk_bytes);
		for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++) {
			snprintf(name, sizeof name, "%s/N=%u/L=%u", cs[ci].name, 1u << ps[pi].logn, L + 1);
			if (!bench_selected(o, name))
				continue;
			int k = cs[ci].threads ? 1 : nth;
			for (int i = 0; i < k; i++)
				bench_case(o, name, ci_.n, L + 1, cs[ci].threads ? (o->threads ? o->threads : 1) : th[i],
				           cs[ci].fn, &b, 0);
		}
		teardown(&b);
	}
}
