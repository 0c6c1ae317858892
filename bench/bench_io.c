/*
 * Serialization cases: save / load of a fresh ciphertext and of the
 * evaluation-key bundle (relinearization key, 1 Galois key, public key)
 * at N = 2^14 and 2^15, to and from memory. Object sizes go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>

#include <lathe.h>

#include "cases.h"

typedef struct {
	lathe_ctx *ctx;
	lathe_sk *sk;
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_ct *ct;
	uint8_t *ctbuf, *ekbuf;
	size_t ctlen, eklen;
} io_case;

#define OK(x) \
	do { \
		if ((x) != LATHE_OK) { \
			fprintf(stderr, "lathe-bench: %s: %s\n", #x, lathe_last_error()); \
			exit(1); \
		} \
	} while (0)

static void
r_ct_save(void *p)
{
	io_case *c = p;
	uint8_t *b;
	size_t l;
	OK(lathe_ct_to_buffer(c->ct, &b, &l));
	lathe_buffer_free(b);
}

static void
r_ct_load(void *p)
{
	io_case *c = p;
	lathe_ct *ct;
	OK(lathe_ct_from_buffer(c->ctx, c->ctbuf, c->ctlen, &ct));
	lathe_ct_free(ct);
}

static void
r_ek_save(void *p)
{
	io_case *c = p;
	uint8_t *b;
	size_t l;
	OK(lathe_evalkeys_to_buffer(c->ek, &b, &l));
	lathe_buffer_free(b);
}

static void
r_ek_load(void *p)
{
	io_case *c = p;
	lathe_evalkeys *ek;
	OK(lathe_evalkeys_from_buffer(c->ctx, c->ekbuf, c->eklen, &ek));
	lathe_evalkeys_free(ek);
}

/* size in bytes of the saved form of x */
#define SIZE_OF(to_buffer, x, out) \
	do { \
		uint8_t *b_; \
		OK(to_buffer(x, &b_, &(out))); \
		lathe_buffer_free(b_); \
	} while (0)

void
bench_io(const bench_opts *o)
{
	static const struct {
		const char *preset;
		unsigned logn;
	} ps[] = { { "bgv-128-n16384-t65537", 14 }, { "bgv-128-n32768-t65537", 15 } };
	static const struct {
		const char *name;
		bench_fn fn;
	} cs[] = {
		{ "ct_save", r_ct_save },
		{ "ct_load", r_ct_load },
		{ "evalkeys_save", r_ek_save },
		{ "evalkeys_load", r_ek_load },
	};
	char name[128];
	for (size_t pi = 0; pi < 2; pi++) {
		int any = 0;
		for (size_t ci = 0; ci < 4; ci++) {
			snprintf(name, sizeof name, "%s/N=%u", cs[ci].name, 1u << ps[pi].logn);
			any |= bench_may_select(o, name);
		}
		if (!any)
			continue;
		io_case c;
		OK(lathe_ctx_new_preset(ps[pi].preset, &c.ctx));
		OK(lathe_keygen(c.ctx, &c.sk, &c.pk));
		int step = 1;
		OK(lathe_evalkeys_new(c.ctx, c.sk, &step, 1, &c.ek));
		OK(lathe_evalkeys_set_pk(c.ek, c.pk));
		lathe_pt *pt;
		OK(lathe_pt_new(c.ctx, &pt));
		int64_t v[4] = { 1, 2, 3, 4 };
		OK(lathe_encode(pt, v, 4));
		OK(lathe_ct_new(c.ctx, &c.ct));
		OK(lathe_encrypt(c.pk, c.ct, pt));
		OK(lathe_ct_to_buffer(c.ct, &c.ctbuf, &c.ctlen));
		OK(lathe_evalkeys_to_buffer(c.ek, &c.ekbuf, &c.eklen));
		if (!o->list) {
			lathe_ct *s;
			OK(lathe_ct_new(c.ctx, &s));
			OK(lathe_encrypt_sk(c.sk, s, pt));
			size_t sk_ct, pkl, rl;
			SIZE_OF(lathe_ct_to_buffer, s, sk_ct);
			SIZE_OF(lathe_pk_to_buffer, c.pk, pkl);
			lathe_evalkeys *relin;
			int none = 0;
			OK(lathe_evalkeys_new(c.ctx, c.sk, &none, 0, &relin));
			SIZE_OF(lathe_evalkeys_to_buffer, relin, rl);
			fprintf(stderr,
			        "# bytes %s: public key %zu, relinearization key %zu, one Galois key %zu, "
			        "fresh ciphertext %zu, secret-key ciphertext (seeded) %zu, bundle (pk + relin + 1 Galois) %zu\n",
			        ps[pi].preset, pkl, rl, c.eklen - rl - pkl, c.ctlen, sk_ct, c.eklen);
			lathe_evalkeys_free(relin);
			lathe_ct_free(s);
		}
		lathe_pt_free(pt);
		for (size_t ci = 0; ci < 4; ci++) {
			snprintf(name, sizeof name, "%s/N=%u", cs[ci].name, 1u << ps[pi].logn);
			bench_case(o, name, (size_t)1 << ps[pi].logn, lathe_ctx_max_level(c.ctx) + 1,
			           o->threads > 0 ? o->threads : 1, cs[ci].fn, &c, 0);
		}
		lathe_buffer_free(c.ctbuf);
		lathe_buffer_free(c.ekbuf);
		lathe_ct_free(c.ct);
		lathe_evalkeys_free(c.ek);
		lathe_pk_free(c.pk);
		lathe_sk_free(c.sk);
		lathe_ctx_free(c.ctx);
	}
}
