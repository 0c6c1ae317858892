/*
 * Multiparty cases (lathe/multiparty.h) for 3 parties at N = 2^14 and
 * 2^15, 128-bit: each protocol step's time for one party (its share) and
 * for the combiner, with the bytes each party sends per step and the
 * rounds on stderr; and, in the same run, the one-party relinearization
 * key, the baseline of a party's two RKG shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>

#include "cases.h"

#define NP 3

#define OK(x) \
	do { \
		if ((x) != LATHE_OK) { \
			fprintf(stderr, "lathe-bench: %s: %s\n", #x, lathe_last_error()); \
			exit(1); \
		} \
	} while (0)

typedef struct {
	lathe_ctx *ctx;
	lathe_party *party[NP];
	lathe_party *fresh;      /* party 0 again, made from its seed before each run: it has no round done */
	uint8_t crs[LATHE_MP_SEED_BYTES], seed0[LATHE_MP_SEED_BYTES];
	lathe_pk *pk;
	lathe_sk *sk1;           /* a one-party key of the same context: the baseline */
	lathe_share *pk_sh[NP], *r1[NP], *sum1, *r2[NP], *gal[NP], *dec[NP];
	lathe_ct *ct;
	lathe_pt *pt;
	uint64_t g;
} mp_case;

static void
drop(lathe_share *s)
{
	lathe_share_free(s);
}

static void
r_pk_share(void *p)
{
	mp_case *c = p;
	lathe_share *s;
	OK(lathe_mp_pk_share(c->party[0], &s));
	drop(s);
}

static void
r_pk_combine(void *p)
{
	mp_case *c = p;
	lathe_pk *pk;
	OK(lathe_mp_pk_combine((const lathe_share *const *)c->pk_sh, NP, &pk));
	lathe_pk_free(pk);
}

/*
 * A party keeps u_i from round 1 for round 2: the cases of a party's
 * relinearization-key work start from a party that has done neither
 * (made untimed before each run), as in a real run of the protocol.
 */
static void
p_fresh(void *p)
{
	mp_case *c = p;
	lathe_party_free(c->fresh);
	OK(lathe_party_from_seed(c->ctx, c->crs, 0, NP, c->seed0, &c->fresh));
	OK(lathe_party_set_pk(c->fresh, c->pk));
}

static void
r_relin1(void *p)
{
	mp_case *c = p;
	lathe_share *s;
	OK(lathe_mp_relin_share1(c->fresh, &s));
	drop(s);
}

static void
r_relin_combine1(void *p)
{
	mp_case *c = p;
	lathe_share *s;
	OK(lathe_mp_relin_combine1((const lathe_share *const *)c->r1, NP, &s));
	drop(s);
}

static void
r_relin2(void *p)
{
	mp_case *c = p;
	lathe_share *s;
	OK(lathe_mp_relin_share2(c->fresh, c->sum1, &s));
	drop(s);
}

/* one party's whole share of the relinearization key: both rounds */
static void
r_relin_party(void *p)
{
	r_relin1(p);
	r_relin2(p);
}

static void
r_relin_combine2(void *p)
{
	mp_case *c = p;
	lathe_evalkeys *ek;
	OK(lathe_mp_evalkeys_new(c->pk, &ek));
	OK(lathe_mp_relin_combine2(ek, c->sum1, (const lathe_share *const *)c->r2, NP));
	lathe_evalkeys_free(ek);
}

static void
r_relin_one_party(void *p)
{
	mp_case *c = p;
	lathe_evalkeys *ek;
	int none = 0;
	OK(lathe_evalkeys_new(c->ctx, c->sk1, &none, 0, &ek));
	lathe_evalkeys_free(ek);
}

static void
r_galois(void *p)
{
	mp_case *c = p;
	lathe_share *s;
	OK(lathe_mp_galois_share(c->party[0], c->g, &s));
	drop(s);
}

static void
r_galois_combine(void *p)
{
	mp_case *c = p;
	lathe_evalkeys *ek;
	OK(lathe_mp_evalkeys_new(c->pk, &ek));
	OK(lathe_mp_galois_combine(ek, (const lathe_share *const *)c->gal, NP));
	lathe_evalkeys_free(ek);
}

static void
r_decrypt_share(void *p)
{
	mp_case *c = p;
	lathe_share *s;
	OK(lathe_mp_decrypt_share(c->party[0], c->ct, &s));
	drop(s);
}

static void
r_decrypt_combine(void *p)
{
	mp_case *c = p;
	OK(lathe_mp_decrypt_combine(c->ct, (const lathe_share *const *)c->dec, NP, c->pt));
}

/* the whole collective decryption of one ciphertext by 3 parties, one after the other */
static void
r_decrypt_all(void *p)
{
	mp_case *c = p;
	lathe_share *s[NP];
	for (unsigned i = 0; i < NP; i++)
		OK(lathe_mp_decrypt_share(c->party[i], c->ct, &s[i]));
	OK(lathe_mp_decrypt_combine(c->ct, (const lathe_share *const *)s, NP, c->pt));
	for (unsigned i = 0; i < NP; i++)
		drop(s[i]);
}

static size_t
bytes(const lathe_share *s)
{
	uint8_t *b;
	size_t l;
	OK(lathe_share_to_buffer(s, &b, &l));
	lathe_buffer_free(b);
	return l;
}

static void
bench_set(const bench_opts *o, unsigned logn, unsigned depth)
{
	char base[64];
	snprintf(base, sizeof base, "mp/N=%u/parties=%d/", 1u << logn, NP);
	if (!bench_may_select(o, base))
		return;
	mp_case c;
	memset(&c, 0, sizeof(c));
	lathe_params *par;
	OK(lathe_params_new(&par));
	OK(lathe_params_set_ring(par, logn));
	OK(lathe_params_set_plain_modulus(par, 65537, 1));
	OK(lathe_params_set_depth(par, depth));
	OK(lathe_params_set_parties(par, NP));
	OK(lathe_ctx_new(par, &c.ctx));
	lathe_params_free(par);
	OK(lathe_seed_random(c.crs));
	for (unsigned i = 0; i < NP; i++)
		OK(lathe_party_new(c.ctx, c.crs, i, NP, NULL, &c.party[i]));
	OK(lathe_party_seed(c.party[0], c.seed0));
	for (unsigned i = 0; i < NP; i++)
		OK(lathe_mp_pk_share(c.party[i], &c.pk_sh[i]));
	OK(lathe_mp_pk_combine((const lathe_share *const *)c.pk_sh, NP, &c.pk));
	for (unsigned i = 0; i < NP; i++) {
		OK(lathe_party_set_pk(c.party[i], c.pk));
		OK(lathe_mp_relin_share1(c.party[i], &c.r1[i]));
	}
	OK(lathe_mp_relin_combine1((const lathe_share *const *)c.r1, NP, &c.sum1));
	OK(lathe_galois_elt_rotation(c.ctx, 1, &c.g));
	for (unsigned i = 0; i < NP; i++) {
		OK(lathe_mp_relin_share2(c.party[i], c.sum1, &c.r2[i]));
		OK(lathe_mp_galois_share(c.party[i], c.g, &c.gal[i]));
	}
	OK(lathe_keygen(c.ctx, &c.sk1, NULL));
	OK(lathe_pt_new(c.ctx, &c.pt));
	OK(lathe_ct_new(c.ctx, &c.ct));
	uint64_t v[4] = { 1, 2, 3, 4 };
	OK(lathe_encode_u64(c.pt, v, 4));
	OK(lathe_encrypt(c.pk, c.ct, c.pt));
	for (unsigned i = 0; i < NP; i++)
		OK(lathe_mp_decrypt_share(c.party[i], c.ct, &c.dec[i]));
	if (!o->list)
		fprintf(stderr,
		        "# %s bytes each party sends: public key %zu (1 round), relinearization key %zu + %zu (2 rounds), "
		        "one Galois key %zu (1 round), decryption %zu (1 round, fresh ciphertext at level %u)\n",
		        base, bytes(c.pk_sh[0]), bytes(c.r1[0]), bytes(c.r2[0]), bytes(c.gal[0]), bytes(c.dec[0]),
		        lathe_ctx_max_level(c.ctx));
	const struct {
		const char *name;
		bench_fn fn, prep;
	} cases[] = {
		{ "pk_share", r_pk_share, NULL },
		{ "pk_combine", r_pk_combine, NULL },
		{ "relin_share1", r_relin1, p_fresh },
		{ "relin_combine1", r_relin_combine1, NULL },
		{ "relin_share2", r_relin2, p_fresh },
		{ "relin_combine2", r_relin_combine2, NULL },
		{ "relin_party_both_rounds", r_relin_party, p_fresh },
		{ "relin_keygen_one_party", r_relin_one_party, NULL },
		{ "galois_share", r_galois, NULL },
		{ "galois_combine", r_galois_combine, NULL },
		{ "decrypt_share", r_decrypt_share, NULL },
		{ "decrypt_combine", r_decrypt_combine, NULL },
		{ "decrypt_all_3_parties", r_decrypt_all, NULL },
	};
	int th[4];
	const int nth = bench_thread_list(o, th, 4);
	const size_t n = (size_t)1 << logn;
	const unsigned top = lathe_ctx_max_level(c.ctx);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char name[128];
		snprintf(name, sizeof name, "%s%s", base, cases[k].name);
		if (!bench_selected(o, name))
			continue;
		for (int t = 0; t < nth; t++)
			if (cases[k].prep)
				bench_case_prep(o, name, n, top, th[t], cases[k].prep, cases[k].fn, &c);
			else
				bench_case(o, name, n, top, th[t], cases[k].fn, &c, 0);
	}
	for (unsigned i = 0; i < NP; i++) {
		drop(c.pk_sh[i]);
		drop(c.r1[i]);
		drop(c.r2[i]);
		drop(c.gal[i]);
		drop(c.dec[i]);
		lathe_party_free(c.party[i]);
	}
	drop(c.sum1);
	lathe_party_free(c.fresh);
	lathe_ct_free(c.ct);
	lathe_pt_free(c.pt);
	lathe_sk_free(c.sk1);
	lathe_pk_free(c.pk);
	lathe_ctx_free(c.ctx);
}

void
bench_mp(const bench_opts *o)
{
	if (!bench_may_select(o, "mp/"))
		return;
	bench_set(o, 14, 6);
	bench_set(o, 15, 14);
}
