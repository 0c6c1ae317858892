#define _POSIX_C_SOURCE 200809L
/*
 * N-out-of-N multiparty BGV (lathe/multiparty.h) at insecure sizes: the
 * collective keys of 2, 3 and 5 parties against the plaintext model
 * (encryption, product with the collective relinearization key, rotation
 * with a collective Galois key, collective decryption and switching to a
 * recipient), the smudging noise, and every refusal of a bad share.
 */
#include <math.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <criterion/criterion.h>
#include <gmp.h>
#include <sodium.h>

#include <lathe.h>

#include "common/util.h"
#include "io/format.h"
#include "multiparty/mp.h"
#include "ring/modarith.h"

#define MAXP 5

#define OK(call)                                                                                           \
	do {                                                                                               \
		lathe_status s_ = (call);                                                                  \
		cr_assert_eq(s_, LATHE_OK, "%s:%d: %s -> %s (%s) [seed %llu]", __FILE__, __LINE__, #call,     \
		             lathe_strerror(s_), lathe_last_error(), (unsigned long long)test_seed());      \
	} while (0)
#define FAILS(want, call)                                                                                  \
	do {                                                                                               \
		lathe_status s_ = (call);                                                                  \
		cr_assert_eq(s_, (want), "%s:%d: %s -> %s (%s), want %s", __FILE__, __LINE__, #call,           \
		             lathe_strerror(s_), lathe_last_error(), lathe_strerror(want));                 \
		cr_assert(lathe_last_error()[0] != '\0', "%s:%d: empty lathe_last_error()", __FILE__, __LINE__); \
	} while (0)

/* N = 2^12, plaintext modulus t, five chain primes: the context of `parties` parties (insecure test sizes) */
/* ... with chain primes of qbits bits and special primes of pbits (0: chosen by lathe) */
static lathe_ctx *
mp_ctx_qp(unsigned parties, uint64_t t, unsigned qbits, unsigned pbits)
{
	lathe_params *p;
	OK(lathe_params_new(&p));
	OK(lathe_params_set_ring(p, 12));
	OK(lathe_params_set_plain_modulus(p, t, 1));
	const unsigned chain[] = { qbits, qbits, qbits, qbits, qbits }, special[] = { pbits, pbits };
	OK(lathe_params_set_chain(p, chain, 5));
	OK(lathe_params_set_keyswitch(p, 2, pbits ? special : NULL, pbits ? 2 : 0));
	OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
	OK(lathe_params_set_parties(p, parties));
	lathe_ctx *c;
	OK(lathe_ctx_new(p, &c));
	lathe_params_free(p);
	return c;
}

static lathe_ctx *
mp_ctx_t(unsigned parties, uint64_t t)
{
	return mp_ctx_qp(parties, t, 50, 0);
}

static lathe_ctx *
mp_ctx(unsigned parties)
{
	return mp_ctx_t(parties, 65537);
}

/* a run of `np` parties: their objects and the collective keys */
typedef struct mp_run {
	lathe_ctx *ctx;
	unsigned np;
	uint8_t crs[LATHE_MP_SEED_BYTES];
	lathe_party *party[MAXP];
	lathe_pk *pk;
	lathe_evalkeys *ek;
	lathe_eval *ev;
	size_t slots;
	uint64_t t;
	lt_prng g;
} mp_run;

static void
shares_free(lathe_share **s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		lathe_share_free(s[i]);
}

/* CKG, RKG (two rounds) and RTG for rotation by 1 */
static void
mp_setup_ctx(mp_run *r, unsigned np, uint32_t stream, lathe_ctx *ctx)
{
	memset(r, 0, sizeof(*r));
	r->np = np;
	r->ctx = ctx;
	test_prng(&r->g, stream);
	lt_prng_bytes(&r->g, r->crs, sizeof(r->crs));
	r->slots = lathe_ctx_slots(r->ctx);
	r->t = lathe_ctx_plain_modulus(r->ctx);
	for (unsigned i = 0; i < np; i++)
		OK(lathe_party_new(r->ctx, r->crs, i, np, NULL, &r->party[i]));
	lathe_share *sh[MAXP];
	/* CKG: shares combined in reverse order (any order works) */
	for (unsigned i = 0; i < np; i++)
		OK(lathe_mp_pk_share(r->party[np - 1 - i], &sh[i]));
	OK(lathe_mp_pk_combine((const lathe_share *const *)sh, np, &r->pk));
	shares_free(sh, np);
	for (unsigned i = 0; i < np; i++)
		OK(lathe_party_set_pk(r->party[i], r->pk));
	OK(lathe_mp_evalkeys_new(r->pk, &r->ek));
	/* RKG */
	for (unsigned i = 0; i < np; i++)
		OK(lathe_mp_relin_share1(r->party[i], &sh[i]));
	lathe_share *sum1;
	OK(lathe_mp_relin_combine1((const lathe_share *const *)sh, np, &sum1));
	shares_free(sh, np);
	for (unsigned i = 0; i < np; i++)
		OK(lathe_mp_relin_share2(r->party[i], sum1, &sh[i]));
	OK(lathe_mp_relin_combine2(r->ek, sum1, (const lathe_share *const *)sh, np));
	shares_free(sh, np);
	lathe_share_free(sum1);
	/* RTG: rotation by one */
	uint64_t g1;
	OK(lathe_galois_elt_rotation(r->ctx, 1, &g1));
	for (unsigned i = 0; i < np; i++)
		OK(lathe_mp_galois_share(r->party[i], g1, &sh[i]));
	OK(lathe_mp_galois_combine(r->ek, (const lathe_share *const *)sh, np));
	shares_free(sh, np);
	OK(lathe_eval_new(r->ctx, r->ek, &r->ev));
}

static void
mp_setup_full(mp_run *r, unsigned np, uint32_t stream, uint64_t t)
{
	mp_setup_ctx(r, np, stream, mp_ctx_t(np, t));
}

static void
mp_setup_seeded(mp_run *r, unsigned np, uint32_t stream)
{
	mp_setup_full(r, np, stream, 65537);
}

/* a run whose common seed comes from the test's stream for np parties */
static void
mp_setup(mp_run *r, unsigned np)
{
	mp_setup_seeded(r, np, 40 + np);
}

static void
mp_teardown(mp_run *r)
{
	lathe_eval_free(r->ev);
	lathe_evalkeys_free(r->ek);
	lathe_pk_free(r->pk);
	for (unsigned i = 0; i < r->np; i++)
		lathe_party_free(r->party[i]);
	lathe_ctx_free(r->ctx);
}

static void
rand_vec(mp_run *r, uint64_t *v)
{
	for (size_t i = 0; i < r->slots; i++)
		v[i] = test_rand(&r->g, r->t);
}

static lathe_ct *
encrypt_vec(mp_run *r, const uint64_t *v)
{
	lathe_pt *pt;
	lathe_ct *ct;
	OK(lathe_pt_new(r->ctx, &pt));
	OK(lathe_encode_u64(pt, v, r->slots));
	OK(lathe_ct_new(r->ctx, &ct));
	OK(lathe_encrypt(r->pk, ct, pt));
	lathe_pt_free(pt);
	return ct;
}

/* the decryption shares of every party for ct, in the order of perm (NULL: 0..np-1) */
static void
decrypt_shares(mp_run *r, const lathe_ct *ct, lathe_share **sh)
{
	for (unsigned i = 0; i < r->np; i++)
		OK(lathe_mp_decrypt_share(r->party[i], ct, &sh[i]));
}

static void
decrypt_vec(mp_run *r, const lathe_ct *ct, uint64_t *out)
{
	lathe_share *sh[MAXP];
	decrypt_shares(r, ct, sh);
	lathe_pt *pt;
	OK(lathe_pt_new(r->ctx, &pt));
	OK(lathe_mp_decrypt_combine(ct, (const lathe_share *const *)sh, r->np, pt));
	OK(lathe_decode_u64(out, r->slots, pt));
	lathe_pt_free(pt);
	shares_free(sh, r->np);
}

/* (a * b) rotated left by one in both rows, mod t */
static void
model(const mp_run *r, const uint64_t *a, const uint64_t *b, uint64_t *out)
{
	const size_t h = r->slots / 2;
	for (size_t row = 0; row < 2; row++)
		for (size_t i = 0; i < h; i++) {
			const size_t j = row * h + (i + 1) % h;
			out[row * h + i] = a[j] * b[j] % r->t /* t < 2^32 */;
		}
}

static void
round_trip(unsigned np)
{
	mp_run r;
	mp_setup(&r, np);
	uint64_t *a = malloc(r.slots * 8), *b = malloc(r.slots * 8), *want = malloc(r.slots * 8),
	         *got = malloc(r.slots * 8);
	for (int trial = 0; trial < 2; trial++) {
		rand_vec(&r, a);
		rand_vec(&r, b);
		lathe_ct *ca = encrypt_vec(&r, a), *cb = encrypt_vec(&r, b), *cp;
		/* a fresh encryption decrypts */
		decrypt_vec(&r, ca, got);
		cr_assert(memcmp(got, a, r.slots * 8) == 0, "%u parties: a fresh encryption decrypts wrong", np);
		/* product (collective relinearization key) and rotation (collective Galois key) */
		OK(lathe_ct_new(r.ctx, &cp));
		OK(lathe_ct_mul(r.ev, cp, ca, cb));
		OK(lathe_ct_rotate(r.ev, cp, cp, 1));
		decrypt_vec(&r, cp, got);
		model(&r, a, b, want);
		for (size_t i = 0; i < r.slots; i++)
			cr_assert_eq(got[i], want[i], "%u parties, trial %d: slot %zu = %llu, want %llu", np, trial, i,
			             (unsigned long long)got[i], (unsigned long long)want[i]);
		/* PCKS: to a recipient's own key; only it decrypts */
		lathe_sk *rsk;
		lathe_pk *rpk;
		OK(lathe_keygen(r.ctx, &rsk, &rpk));
		lathe_share *sh[MAXP];
		for (unsigned i = 0; i < np; i++)
			OK(lathe_mp_pk_switch_share(r.party[i], cp, rpk, &sh[i]));
		lathe_ct *cr;
		OK(lathe_ct_new(r.ctx, &cr));
		OK(lathe_mp_pk_switch_combine(cp, rpk, (const lathe_share *const *)sh, np, cr));
		shares_free(sh, np);
		lathe_pt *pt;
		OK(lathe_pt_new(r.ctx, &pt));
		OK(lathe_decrypt(rsk, pt, cr));
		OK(lathe_decode_u64(got, r.slots, pt));
		cr_assert(memcmp(got, want, r.slots * 8) == 0, "%u parties: the switched ciphertext decrypts wrong", np);
		/* the collective key's shares do not open it */
		decrypt_shares(&r, cp, sh);
		FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_combine(cr, (const lathe_share *const *)sh, np, pt));
		shares_free(sh, np);
		lathe_pt_free(pt);
		lathe_ct_free(cr);
		lathe_sk_free(rsk);
		lathe_pk_free(rpk);
		lathe_ct_free(ca);
		lathe_ct_free(cb);
		lathe_ct_free(cp);
	}
	free(a);
	free(b);
	free(want);
	free(got);
	mp_teardown(&r);
}

Test(multiparty, two_parties)
{
	round_trip(2);
}

Test(multiparty, three_parties)
{
	round_trip(3);
}

Test(multiparty, five_parties)
{
	round_trip(5);
}

/* the collective bundle saves and loads (its relinearization key's a parts with it) and still relinearizes */
Test(multiparty, bundle_round_trip_through_a_buffer)
{
	mp_run r;
	mp_setup(&r, 3);
	uint8_t *buf, *cbuf;
	size_t len, clen;
	OK(lathe_ctx_to_buffer(r.ctx, &cbuf, &clen));
	lathe_ctx *c2;
	OK(lathe_ctx_from_buffer(cbuf, clen, &c2));
	lathe_context_info info;
	OK(lathe_ctx_info(c2, &info));
	cr_assert_eq(info.parties, 3);
	OK(lathe_evalkeys_to_buffer(r.ek, &buf, &len));
	lathe_evalkeys *ek2;
	OK(lathe_evalkeys_from_buffer(r.ctx, buf, len, &ek2));
	lathe_eval *ev2;
	OK(lathe_eval_new(r.ctx, ek2, &ev2));
	uint64_t *a = malloc(r.slots * 8), *b = malloc(r.slots * 8), *want = malloc(r.slots * 8),
	         *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	rand_vec(&r, b);
	lathe_ct *ca = encrypt_vec(&r, a), *cb = encrypt_vec(&r, b), *cp;
	OK(lathe_ct_new(r.ctx, &cp));
	OK(lathe_ct_mul(ev2, cp, ca, cb));
	OK(lathe_ct_rotate(ev2, cp, cp, 1));
	decrypt_vec(&r, cp, got);
	model(&r, a, b, want);
	cr_assert(memcmp(got, want, r.slots * 8) == 0, "the loaded bundle evaluates wrong");
	/* a one-party context of the same chain is another context */
	lathe_ctx *one = NULL;
	{
		lathe_params *p;
		OK(lathe_params_new(&p));
		OK(lathe_params_set_ring(p, 12));
		OK(lathe_params_set_plain_modulus(p, 65537, 1));
		const unsigned chain[] = { 50, 50, 50, 50, 50 };
		OK(lathe_params_set_chain(p, chain, 5));
		OK(lathe_params_set_keyswitch(p, 2, NULL, 0));
		OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
		OK(lathe_ctx_new(p, &one));
		lathe_params_free(p);
	}
	lathe_evalkeys *ek3 = NULL;
	FAILS(LATHE_EMISMATCH, lathe_evalkeys_from_buffer(one, buf, len, &ek3));
	cr_assert_null(ek3);
	lathe_ctx_free(one);
	lathe_buffer_free(buf);
	lathe_buffer_free(cbuf);
	lathe_eval_free(ev2);
	lathe_evalkeys_free(ek2);
	lathe_ctx_free(c2);
	lathe_ct_free(ca);
	lathe_ct_free(cb);
	lathe_ct_free(cp);
	free(a);
	free(b);
	free(want);
	free(got);
	mp_teardown(&r);
}

/* two decryption shares of one ciphertext by one party differ (fresh smudging), and both decrypt */
Test(multiparty, decryption_shares_differ_every_time)
{
	mp_run r;
	mp_setup(&r, 2);
	uint64_t *a = malloc(r.slots * 8), *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a);
	lathe_share *s1[MAXP], *s2[MAXP];
	decrypt_shares(&r, ca, s1);
	decrypt_shares(&r, ca, s2);
	for (unsigned i = 0; i < r.np; i++) {
		const size_t words = (size_t)s1[i]->npoly * s1[i]->limbs * r.slots;
		cr_assert(memcmp(s1[i]->w, s2[i]->w, words * 8) != 0, "party %u made the same decryption share twice", i);
	}
	lathe_pt *p1, *p2;
	OK(lathe_pt_new(r.ctx, &p1));
	OK(lathe_pt_new(r.ctx, &p2));
	OK(lathe_mp_decrypt_combine(ca, (const lathe_share *const *)s1, r.np, p1));
	OK(lathe_mp_decrypt_combine(ca, (const lathe_share *const *)s2, r.np, p2));
	OK(lathe_decode_u64(got, r.slots, p1));
	cr_assert(memcmp(got, a, r.slots * 8) == 0);
	OK(lathe_decode_u64(got, r.slots, p2));
	cr_assert(memcmp(got, a, r.slots * 8) == 0);
	/* mixing the two runs' shares still decrypts: each is a valid share */
	lathe_share *mix[MAXP] = { s1[0], s2[1] };
	OK(lathe_mp_decrypt_combine(ca, (const lathe_share *const *)mix, r.np, p1));
	OK(lathe_decode_u64(got, r.slots, p1));
	cr_assert(memcmp(got, a, r.slots * 8) == 0);
	shares_free(s1, r.np);
	shares_free(s2, r.np);
	lathe_pt_free(p1);
	lathe_pt_free(p2);
	lathe_ct_free(ca);
	free(a);
	free(got);
	mp_teardown(&r);
}

/* every refusal of a combination: nothing is written */
Test(multiparty, bad_shares_are_refused)
{
	mp_run r;
	mp_setup(&r, 3);
	uint64_t *a = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a), *cb = encrypt_vec(&r, a);
	lathe_share *sh[MAXP], *other[MAXP];
	decrypt_shares(&r, ca, sh);
	decrypt_shares(&r, cb, other);
	lathe_pt *pt;
	OK(lathe_pt_new(r.ctx, &pt));
	const lathe_share *set[MAXP];
	/* a party missing */
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(ca, (const lathe_share *const *)sh, 2, pt));
	/* a party repeated */
	set[0] = sh[0];
	set[1] = sh[1];
	set[2] = sh[1];
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(ca, set, 3, pt));
	/* a share of another ciphertext */
	set[2] = other[2];
	FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_combine(ca, set, 3, pt));
	/* all shares of another ciphertext */
	FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_combine(ca, (const lathe_share *const *)other, 3, pt));
	/* a share of the wrong kind (round) */
	lathe_share *pks;
	OK(lathe_mp_pk_share(r.party[2], &pks));
	set[2] = pks;
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(ca, set, 3, pt));
	lathe_pk *pk2 = NULL;
	set[0] = pks;
	set[1] = sh[1];
	FAILS(LATHE_EINVAL, lathe_mp_pk_combine(set, 3, &pk2));
	cr_assert_null(pk2);
	/* NULL shares */
	set[0] = sh[0];
	set[2] = NULL;
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(ca, set, 3, pt));
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(ca, NULL, 3, pt));
	/* round 2 on another round 1's combination: round 1 of other parties (another seed) */
	mp_run r2;
	mp_setup_seeded(&r2, 3, 99);
	lathe_share *s1[MAXP], *sum1, *sum1b;
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share1(r.party[i], &s1[i]));
	OK(lathe_mp_relin_combine1((const lathe_share *const *)s1, 3, &sum1));
	shares_free(s1, 3);
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share1(r2.party[i], &s1[i]));
	OK(lathe_mp_relin_combine1((const lathe_share *const *)s1, 3, &sum1b));
	lathe_share *s2 = NULL;
	FAILS(LATHE_EMISMATCH, lathe_mp_relin_share2(r.party[0], sum1b, &s2));
	cr_assert_null(s2);
	/* round-1 shares of two common seeds */
	const lathe_share *mixed[3] = { s1[0], s1[1], NULL };
	lathe_share *own;
	OK(lathe_mp_relin_share1(r.party[2], &own));
	mixed[2] = own;
	lathe_share *bad = NULL;
	FAILS(LATHE_EMISMATCH, lathe_mp_relin_combine1(mixed, 3, &bad));
	cr_assert_null(bad);
	lathe_share_free(own);
	shares_free(s1, 3);
	/* a bundle of another collective key, and a second relinearization key */
	lathe_share *s2s[MAXP];
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share2(r.party[i], sum1, &s2s[i]));
	FAILS(LATHE_EMISMATCH, lathe_mp_relin_combine2(r2.ek, sum1, (const lathe_share *const *)s2s, 3));
	FAILS(LATHE_EINVAL, lathe_mp_relin_combine2(r.ek, sum1, (const lathe_share *const *)s2s, 3));
	shares_free(s2s, 3);
	/* a party of the other run cannot decrypt this run's ciphertexts */
	lathe_share *x = NULL;
	FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_share(r2.party[0], ca, &x));
	cr_assert_null(x);
	/* a party must not be bound to another run's key */
	FAILS(LATHE_EMISMATCH, lathe_party_set_pk(r.party[0], r2.pk));
	/* a context for another number of parties, and an index out of range */
	lathe_party *p = NULL;
	FAILS(LATHE_EINVAL, lathe_party_new(r.ctx, r.crs, 0, 2, NULL, &p));
	FAILS(LATHE_EINVAL, lathe_party_new(r.ctx, r.crs, 3, 3, NULL, &p));
	cr_assert_null(p);
	/* the plaintext is untouched by every refusal */
	lathe_pt *fresh;
	OK(lathe_pt_new(r.ctx, &fresh));
	uint64_t *z1 = malloc(r.slots * 8), *z2 = malloc(r.slots * 8);
	OK(lathe_decode_u64(z1, r.slots, pt));
	OK(lathe_decode_u64(z2, r.slots, fresh));
	cr_assert(memcmp(z1, z2, r.slots * 8) == 0, "a refused combination wrote into the plaintext");
	free(z1);
	free(z2);
	lathe_pt_free(fresh);
	lathe_share_free(sum1);
	lathe_share_free(sum1b);
	lathe_share_free(pks);
	mp_teardown(&r2);
	shares_free(sh, 3);
	shares_free(other, 3);
	lathe_pt_free(pt);
	lathe_ct_free(ca);
	lathe_ct_free(cb);
	free(a);
	mp_teardown(&r);
}

/* a ciphertext without room for the smudging noise is refused, never decrypted into garbage */
Test(multiparty, too_little_budget_for_smudging_is_refused)
{
	mp_run r;
	mp_setup(&r, 2);
	uint64_t *a = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a);
	OK(lathe_ct_mod_switch_to(r.ev, ca, ca, 0));
	lathe_share *s = NULL;
	FAILS(LATHE_ENOISE, lathe_mp_decrypt_share(r.party[0], ca, &s));
	cr_assert_null(s);
	lathe_ct_free(ca);
	free(a);
	mp_teardown(&r);
}

/* a party rebuilt from its seed makes the same key shares */
Test(multiparty, party_from_its_seed_makes_the_same_shares)
{
	lathe_ctx *c = mp_ctx(2);
	uint8_t crs[LATHE_MP_SEED_BYTES] = { 7 }, seed[LATHE_MP_SEED_BYTES];
	lathe_party *p, *q;
	OK(lathe_party_new(c, crs, 1, 2, NULL, &p));
	OK(lathe_party_seed(p, seed));
	OK(lathe_party_from_seed(c, crs, 1, 2, seed, &q));
	lathe_share *a, *b, *x;
	OK(lathe_mp_pk_share(p, &a));
	OK(lathe_mp_pk_share(q, &b));
	/* equal shares: combining them with a third gives one key twice; compare through the public key */
	lathe_party *o;
	OK(lathe_party_new(c, crs, 0, 2, NULL, &o));
	OK(lathe_mp_pk_share(o, &x));
	const lathe_share *s1[2] = { x, a }, *s2[2] = { x, b };
	lathe_pk *k1, *k2;
	OK(lathe_mp_pk_combine(s1, 2, &k1));
	OK(lathe_mp_pk_combine(s2, 2, &k2));
	uint8_t i1[LATHE_KEY_ID_BYTES], i2[LATHE_KEY_ID_BYTES];
	OK(lathe_pk_key_id(k1, i1));
	OK(lathe_pk_key_id(k2, i2));
	cr_assert(memcmp(i1, i2, sizeof(i1)) == 0, "a party rebuilt from its seed made another share");
	lathe_pk_free(k1);
	lathe_pk_free(k2);
	lathe_share_free(a);
	lathe_share_free(b);
	lathe_share_free(x);
	lathe_party_free(o);
	lathe_party_free(p);
	lathe_party_free(q);
	lathe_ctx_free(c);
}

/*
 * The smudging noise has the width the header states: h_i - s_i c1 = t E_i
 * with |E_i| < 2^bits, and the largest of N coefficients above 2^(bits-1)
 * (probability 1 - 2^-N otherwise).
 */
Test(multiparty, smudging_noise_has_the_stated_width)
{
	mp_run r;
	mp_setup(&r, 2);
	uint64_t *a = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a);
	lathe_share *s;
	OK(lathe_mp_decrypt_share(r.party[1], ca, &s));
	const lathe_ctx *c = r.ctx;
	const unsigned bits = lt_mp_smudge_bits(c, ca->noise, r.t), l = ca->level;
	cr_assert(bits > LATHE_MP_SMUDGE_BITS + c->logn, "smudging of %u bits", bits);
	const size_t n = c->n;
	/* d = h - s_i c1 in coefficient form, mod q_0 and q_1: t E centered */
	uint64_t *d = malloc((size_t)(l + 1) * n * 8);
	lt_poly dp = lt_poly_view(n, c->ring.modp, l + 1, d, 1);
	lt_poly h = lt_poly_view(n, c->ring.modp, l + 1, s->w, 1);
	lt_poly c1 = lt_ct_poly(ca, 1);
	lt_poly si = lt_poly_view(n, c->ring.modp, l + 1, r.party[1]->sk->s_ntt, 1);
	lt_poly_mul(&dp, &c1, &si);
	lt_poly_sub(&dp, &h, &dp);
	lt_poly_to_coeff(&dp);
	/* t E fits in q_0 q_1 (100 bits): reconstruct it from two residues by CRT */
	const uint64_t q0 = c->ring.mod[0].q, q1 = c->ring.mod[1].q;
	cr_assert(bits + 18 < 99, "the test's CRT holds 99 bits");
	const uint64_t q0inv = lt_invmod_any(q0 % q1, q1);
	lt_u128 Q = (lt_u128)q0 * q1, maxabs = 0;
	for (size_t j = 0; j < n; j++) {
		uint64_t x0 = d[j], x1 = d[n + j];
		/* x = x0 + q0 ((x1 - x0) q0^-1 mod q1) */
		uint64_t k = (uint64_t)(((lt_u128)((x1 + q1 - x0 % q1) % q1) * q0inv) % q1);
		lt_u128 x = x0 + (lt_u128)q0 * k, ax = x > Q / 2 ? Q - x : x;
		cr_assert(ax % r.t == 0, "coefficient %zu of h - s_i c1 is not a multiple of t", j);
		ax /= r.t;
		if (ax > maxabs)
			maxabs = ax;
	}
	cr_assert(maxabs <= ((lt_u128)1 << bits), "flooding above 2^%u", bits);
	cr_assert(maxabs >= ((lt_u128)1 << (bits - 1)), "flooding of %u bits never reaches 2^%u", bits,
	          bits - 1);
	free(d);
	lathe_share_free(s);
	lathe_ct_free(ca);
	free(a);
	mp_teardown(&r);
}

/* the public noise estimate bounds the noise measured with the sum of the parties' secrets */
Test(multiparty, estimate_bounds_the_measured_noise)
{
	mp_run r;
	mp_setup(&r, 5);
	const lathe_ctx *c = r.ctx;
	int8_t *s = calloc(c->n, 1);
	for (unsigned i = 0; i < r.np; i++)
		for (size_t j = 0; j < c->n; j++)
			s[j] = (int8_t)(s[j] + r.party[i]->sk->s[j]);
	lathe_sk *sum;
	OK(lt_sk_from_coeffs(c, s, &sum));
	uint64_t *a = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a), *cp;
	OK(lathe_ct_new(c, &cp));
	int est, meas;
	OK(lathe_ct_budget_estimate(ca, &est));
	OK(lathe_noise_budget(sum, ca, &meas));
	cr_assert(est <= meas, "fresh: estimated budget %d above the measured %d", est, meas);
	OK(lathe_ct_mul(r.ev, cp, ca, ca));
	OK(lathe_ct_rotate(r.ev, cp, cp, 1));
	OK(lathe_ct_budget_estimate(cp, &est));
	OK(lathe_noise_budget(sum, cp, &meas));
	cr_assert(est <= meas, "product and rotation: estimated budget %d above the measured %d", est, meas);
	OK(lathe_ct_mul(r.ev, cp, cp, cp));
	OK(lathe_ct_budget_estimate(cp, &est));
	OK(lathe_noise_budget(sum, cp, &meas));
	cr_assert(est <= meas, "second product: estimated budget %d above the measured %d", est, meas);
	lathe_sk_free(sum);
	free(s);
	lathe_ct_free(ca);
	lathe_ct_free(cp);
	free(a);
	mp_teardown(&r);
}

/* every share through a file: the protocol run from loaded shares gives the same keys and plaintexts */
Test(multiparty, shares_through_files)
{
	mp_run r;
	mp_setup(&r, 3);
	char dir[] = "/tmp/lathe-mp-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[MAXP][64];
	for (unsigned i = 0; i < 3; i++)
		snprintf(path[i], sizeof path[i], "%s/share%u", dir, i);
	lathe_share *sh[MAXP], *ld[MAXP];
	/* CKG shares: the combined key from loaded shares is the same key */
	for (unsigned i = 0; i < 3; i++) {
		OK(lathe_mp_pk_share(r.party[i], &sh[i]));
		OK(lathe_share_save(sh[i], path[i]));
		OK(lathe_share_load(r.ctx, path[i], &ld[i]));
	}
	lathe_pk *pk2;
	OK(lathe_mp_pk_combine((const lathe_share *const *)ld, 3, &pk2));
	uint8_t i1[LATHE_KEY_ID_BYTES], i2[LATHE_KEY_ID_BYTES];
	OK(lathe_pk_key_id(r.pk, i1));
	OK(lathe_pk_key_id(pk2, i2));
	cr_assert(memcmp(i1, i2, sizeof(i1)) == 0, "the key from loaded shares differs");
	lathe_pk_free(pk2);
	shares_free(sh, 3);
	shares_free(ld, 3);
	/* decryption shares */
	uint64_t *a = malloc(r.slots * 8), *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a);
	decrypt_shares(&r, ca, sh);
	for (unsigned i = 0; i < 3; i++) {
		OK(lathe_share_save(sh[i], path[i]));
		OK(lathe_share_load(r.ctx, path[i], &ld[i]));
		lathe_share_kind k;
		unsigned party, np;
		OK(lathe_share_info(ld[i], &k, &party, &np));
		cr_assert(k == LATHE_SHARE_DECRYPT && party == i && np == 3);
	}
	lathe_pt *pt;
	OK(lathe_pt_new(r.ctx, &pt));
	OK(lathe_mp_decrypt_combine(ca, (const lathe_share *const *)ld, 3, pt));
	OK(lathe_decode_u64(got, r.slots, pt));
	cr_assert(memcmp(got, a, r.slots * 8) == 0, "loaded decryption shares decrypt wrong");
	shares_free(ld, 3);
	/* a corrupted byte, a truncated buffer, another context, another kind of object */
	uint8_t *buf;
	size_t len;
	OK(lathe_share_to_buffer(sh[0], &buf, &len));
	lathe_share *x = NULL;
	buf[len / 2] ^= 1;
	FAILS(LATHE_ECORRUPT, lathe_share_from_buffer(r.ctx, buf, len, &x));
	buf[len / 2] ^= 1;
	FAILS(LATHE_ECORRUPT, lathe_share_from_buffer(r.ctx, buf, len - 40, &x));
	lathe_ctx *c2 = mp_ctx(2);
	FAILS(LATHE_EMISMATCH, lathe_share_from_buffer(c2, buf, len, &x));
	lathe_ctx_free(c2);
	OK(lathe_share_from_buffer(r.ctx, buf, len, &x));
	lathe_share_free(x);
	x = NULL;
	lathe_buffer_free(buf);
	OK(lathe_ct_to_buffer(ca, &buf, &len));
	FAILS(LATHE_EFORMAT, lathe_share_from_buffer(r.ctx, buf, len, &x));
	lathe_buffer_free(buf);
	cr_assert_null(x);
	/* a file that cannot be read leaves nothing */
	char missing[96];
	snprintf(missing, sizeof missing, "%s/none", dir);
	FAILS(LATHE_EIO, lathe_share_load(r.ctx, missing, &x));
	cr_assert_null(x);
	shares_free(sh, 3);
	for (unsigned i = 0; i < 3; i++)
		remove(path[i]);
	rmdir(dir);
	lathe_pt_free(pt);
	lathe_ct_free(ca);
	free(a);
	free(got);
	mp_teardown(&r);
}

/* rotation left by `step` in both rows, mod t */
static void
rotate_model(const mp_run *r, const uint64_t *a, int step, uint64_t *out)
{
	const size_t h = r->slots / 2;
	for (size_t row = 0; row < 2; row++)
		for (size_t i = 0; i < h; i++)
			out[row * h + i] = a[row * h + (i + (size_t)step) % h];
}

/*
 * Galois keys that reach only level 2 (lathe_mp_galois_share_at): smaller
 * shares that save and load with their level, a key that rotates a
 * ciphertext at level 2 and one from the top (switched down first, or
 * refused without automatic switching), the bundle through a buffer, and
 * the refusals: shares of two levels, a level above the top. A party's
 * shares of one element at two levels are drawn independently.
 */
Test(multiparty, galois_keys_at_a_level)
{
	/* special primes wider than the chain's: a share's P limbs are not the limbs of q_3, q_4 */
	mp_run r;
	mp_setup_ctx(&r, 3, 60, mp_ctx_qp(3, 65537, 40, 50));
	const unsigned top = lathe_ctx_max_level(r.ctx);
	uint64_t g1, g2;
	OK(lathe_galois_elt_rotation(r.ctx, 1, &g1));
	OK(lathe_galois_elt_rotation(r.ctx, 2, &g2));
	lathe_share *sh[MAXP], *ld[MAXP], *full;
	OK(lathe_mp_galois_share(r.party[0], g2, &full));
	unsigned lv;
	OK(lathe_share_level(full, &lv));
	cr_assert_eq(lv, top);
	uint8_t *fb, *buf;
	size_t flen, len;
	OK(lathe_share_to_buffer(full, &fb, &flen));
	for (unsigned i = 0; i < 3; i++) {
		OK(lathe_mp_galois_share_at(r.party[i], g2, 2, &sh[i]));
		OK(lathe_share_level(sh[i], &lv));
		cr_assert_eq(lv, 2);
		OK(lathe_share_to_buffer(sh[i], &buf, &len));
		/* one digit over q_0..q_2 and P: less than half of the five-prime chain's share */
		cr_assert_lt(len, flen / 2 + 200, "a level-2 share of %zu bytes, a full one of %zu", len, flen);
		OK(lathe_share_from_buffer(r.ctx, buf, len, &ld[i]));
		lathe_buffer_free(buf);
		OK(lathe_share_level(ld[i], &lv));
		cr_assert_eq(lv, 2, "a loaded share at level %u", lv);
		uint64_t g;
		OK(lathe_share_galois_element(ld[i], &g));
		cr_assert_eq(g, g2);
	}
	/* a full share loads at the top: the field of version 6 reads as before */
	lathe_share *fl;
	OK(lathe_share_from_buffer(r.ctx, fb, flen, &fl));
	OK(lathe_share_level(fl, &lv));
	cr_assert_eq(lv, top);
	lathe_buffer_free(fb);
	/* independence: the level-2 and the top share of one element and party differ in every limb's start */
	cr_assert(memcmp(lt_mp_share_poly(sh[0], 0), lt_mp_share_poly(full, 0), 64) != 0);
	lathe_evalkeys *ek;
	OK(lathe_mp_evalkeys_new(r.pk, &ek));
	/* shares of two levels, and a level above the top */
	lathe_share *mixed[3] = { sh[0], fl, sh[2] }, *bad = NULL;
	FAILS(LATHE_EMISMATCH, lathe_mp_galois_combine(ek, (const lathe_share *const *)mixed, 3));
	FAILS(LATHE_ELEVEL, lathe_mp_galois_share_at(r.party[0], g2, top + 1, &bad));
	cr_assert_null(bad);
	lathe_share_free(fl);
	lathe_share_free(full);
	OK(lathe_mp_galois_combine(ek, (const lathe_share *const *)ld, 3));
	shares_free(ld, 3);
	shares_free(sh, 3);
	/* the same element at level 2 and at the top: two keys with two uniform parts */
	lathe_evalkeys *ek1;
	OK(lathe_mp_evalkeys_new(r.pk, &ek1));
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_galois_share_at(r.party[i], g1, 2, &sh[i]));
	OK(lathe_mp_galois_combine(ek1, (const lathe_share *const *)sh, 3));
	shares_free(sh, 3);
	cr_assert(memcmp(ek1->gal[0].k.seed, r.ek->gal[0].k.seed, LT_SEED_BYTES) != 0,
	          "a level-2 key with the uniform part of the top key");
	cr_assert_eq(lt_ksk_level(r.ctx, &ek1->gal[0].k), 2);
	lathe_evalkeys_free(ek1);
	/* through a buffer, then rotations */
	OK(lathe_evalkeys_to_buffer(ek, &buf, &len));
	lathe_evalkeys *ek2;
	OK(lathe_evalkeys_from_buffer(r.ctx, buf, len, &ek2));
	lathe_buffer_free(buf);
	lathe_evalkeys_free(ek);
	lathe_eval *ev;
	OK(lathe_eval_new(r.ctx, ek2, &ev));
	uint64_t *a = malloc(r.slots * 8), *want = malloc(r.slots * 8), *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	rotate_model(&r, a, 2, want);
	lathe_ct *ca = encrypt_vec(&r, a), *cl, *cr;
	OK(lathe_ct_new(r.ctx, &cl));
	OK(lathe_ct_new(r.ctx, &cr));
	OK(lathe_ct_mod_switch_to(r.ev, cl, ca, 2));
	OK(lathe_ct_rotate(ev, cr, cl, 2));
	decrypt_vec(&r, cr, got);
	cr_assert(memcmp(got, want, r.slots * 8) == 0, "rotation at level 2 with a level-2 collective key");
	OK(lathe_ct_rotate(ev, cr, ca, 2));
	cr_assert_leq(lathe_ct_level(cr), 2);
	decrypt_vec(&r, cr, got);
	cr_assert(memcmp(got, want, r.slots * 8) == 0, "rotation from the top with a level-2 collective key");
	OK(lathe_eval_set_auto_modswitch(ev, 0));
	FAILS(LATHE_ELEVEL, lathe_ct_rotate(ev, cr, ca, 2));
	lathe_ct_free(ca);
	lathe_ct_free(cl);
	lathe_ct_free(cr);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek2);
	free(a);
	free(want);
	free(got);
	mp_teardown(&r);
}

/* every party deals to every party and sets its point of the shared secret */
static void
threshold_setup(mp_run *r, unsigned T)
{
	lathe_share *deals[MAXP][MAXP]; /* deals[from][to] */
	for (unsigned i = 0; i < r->np; i++)
		for (unsigned j = 0; j < r->np; j++)
			OK(lathe_mp_deal(r->party[i], T, j, &deals[i][j]));
	for (unsigned j = 0; j < r->np; j++) {
		const lathe_share *mine[MAXP];
		for (unsigned i = 0; i < r->np; i++)
			mine[i] = deals[(i + j) % r->np][j]; /* any order */
		OK(lathe_party_set_threshold(r->party[j], mine, r->np));
	}
	/* a deal is never written out */
	uint8_t *b = NULL;
	size_t l = 0;
	FAILS(LATHE_EINVAL, lathe_share_to_buffer(deals[0][1], &b, &l));
	cr_assert_null(b);
	/* deals for another party, or a missing one */
	const lathe_share *wrong[MAXP];
	for (unsigned i = 0; i < r->np; i++)
		wrong[i] = deals[i][1];
	FAILS(LATHE_EMISMATCH, lathe_party_set_threshold(r->party[0], wrong, r->np));
	for (unsigned i = 0; i < r->np; i++)
		wrong[i] = deals[i][0];
	FAILS(LATHE_EINVAL, lathe_party_set_threshold(r->party[0], wrong, r->np - 1));
	for (unsigned i = 0; i < r->np; i++)
		for (unsigned j = 0; j < r->np; j++)
			lathe_share_free(deals[i][j]);
}

/* the plaintext from the threshold shares of the online parties online[0..k) */
static lathe_status
decrypt_t(mp_run *r, const lathe_ct *ct, const unsigned *online, size_t k, uint64_t *out)
{
	lathe_share *sh[MAXP];
	for (size_t i = 0; i < k; i++)
		OK(lathe_mp_decrypt_share_t(r->party[online[i]], ct, online, k, &sh[i]));
	lathe_pt *pt;
	OK(lathe_pt_new(r->ctx, &pt));
	lathe_status s = lathe_mp_decrypt_combine_t(ct, (const lathe_share *const *)sh, k, pt);
	if (!s)
		OK(lathe_decode_u64(out, r->slots, pt));
	lathe_pt_free(pt);
	shares_free(sh, (unsigned)k);
	return s;
}

static void
threshold_round_trip(unsigned T, unsigned np)
{
	mp_run r;
	mp_setup(&r, np);
	threshold_setup(&r, T);
	uint64_t *a = malloc(r.slots * 8), *b = malloc(r.slots * 8), *want = malloc(r.slots * 8),
	         *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	rand_vec(&r, b);
	lathe_ct *ca = encrypt_vec(&r, a), *cb = encrypt_vec(&r, b), *cp;
	OK(lathe_ct_new(r.ctx, &cp));
	OK(lathe_ct_mul(r.ev, cp, ca, cb));
	OK(lathe_ct_rotate(r.ev, cp, cp, 1));
	model(&r, a, b, want);
	/* every set of T parties, and all of them, decrypts */
	unsigned sets = 0;
	for (uint64_t m = 1; m < (UINT64_C(1) << np); m++) {
		unsigned k = 0, on[MAXP];
		for (unsigned i = 0; i < np; i++)
			if (m >> i & 1)
				on[k++] = i;
		if (k != T && k != np)
			continue;
		memset(got, 0, r.slots * 8);
		OK(decrypt_t(&r, cp, on, k, got));
		cr_assert(memcmp(got, want, r.slots * 8) == 0, "(%u, %u): the online set %#llx decrypts wrong", T, np,
		          (unsigned long long)m);
		sets++;
	}
	cr_assert(sets >= 2);
	/* fewer than T: no share is made, and T - 1 shares of a T-set never combine */
	unsigned on[MAXP];
	for (unsigned i = 0; i < T; i++)
		on[i] = i;
	lathe_share *x = NULL;
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_share_t(r.party[0], cp, on, T - 1, &x));
	cr_assert_null(x);
	lathe_share *sh[MAXP];
	for (unsigned i = 0; i < T; i++)
		OK(lathe_mp_decrypt_share_t(r.party[i], cp, on, T, &sh[i]));
	lathe_pt *pt;
	OK(lathe_pt_new(r.ctx, &pt));
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine_t(cp, (const lathe_share *const *)sh, T - 1, pt));
	/* N-out-of-N shares do not mix with threshold ones */
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(cp, (const lathe_share *const *)sh, T, pt));
	/* a share made for another online set */
	unsigned on2[MAXP];
	for (unsigned i = 0; i < T; i++)
		on2[i] = np - 1 - i;
	lathe_share *other;
	OK(lathe_mp_decrypt_share_t(r.party[np - 1], cp, on2, T, &other));
	lathe_share *keep = sh[0];
	sh[0] = other;
	FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_combine_t(cp, (const lathe_share *const *)sh, T, pt));
	sh[0] = keep;
	lathe_share_free(other);
	/* threshold shares through a buffer */
	lathe_share *ld[MAXP];
	for (unsigned i = 0; i < T; i++) {
		uint8_t *buf;
		size_t len;
		OK(lathe_share_to_buffer(sh[i], &buf, &len));
		OK(lathe_share_from_buffer(r.ctx, buf, len, &ld[i]));
		lathe_buffer_free(buf);
	}
	OK(lathe_mp_decrypt_combine_t(cp, (const lathe_share *const *)ld, T, pt));
	OK(lathe_decode_u64(got, r.slots, pt));
	cr_assert(memcmp(got, want, r.slots * 8) == 0, "loaded threshold shares decrypt wrong");
	shares_free(ld, T);
	shares_free(sh, T);
	lathe_pt_free(pt);
	lathe_ct_free(ca);
	lathe_ct_free(cb);
	lathe_ct_free(cp);
	free(a);
	free(b);
	free(want);
	free(got);
	mp_teardown(&r);
}

Test(multiparty, threshold_two_of_three)
{
	threshold_round_trip(2, 3);
}

Test(multiparty, threshold_three_of_five)
{
	threshold_round_trip(3, 5);
}

/* the sampler's variance over 10^4 samples within 5% of the discrete Gaussian's (about sigma^2) */
Test(multiparty, dp_sampler_variance)
{
	lt_prng g;
	test_prng(&g, 7);
	/* up to 2^40, the largest sigma^2: t = 2^20 + 1, the widest integers of the sampler */
	const uint64_t s2[] = { 16, 400, 100000, UINT64_C(1) << 40 };
	for (unsigned k = 0; k < 4; k++) {
		double sum = 0, sq = 0;
		const int n = 10000;
		for (int i = 0; i < n; i++) {
			const double x = (double)lt_dgauss(&g, s2[k]);
			sum += x;
			sq += x * x;
		}
		const double mean = sum / n, var = sq / n - mean * mean;
		/* the variance of N_Z(0, s2) is within 10^-9 of s2 for s2 >= 16 (CKS Corollary 9 and Poisson summation) */
		cr_assert(fabs(var - (double)s2[k]) <= 0.05 * (double)s2[k], "sigma^2 = %llu: variance %.2f",
		          (unsigned long long)s2[k], var);
		cr_assert(fabs(mean) <= 5 * sqrt((double)s2[k] / n), "sigma^2 = %llu: mean %.3f", (unsigned long long)s2[k],
		          mean);
	}
}

/* the sampler against the exact probabilities exp(-x^2 / (2 sigma^2)) / Z: chi-square over the bins */
Test(multiparty, dp_sampler_chi_square)
{
	lt_prng g;
	test_prng(&g, 8);
	const double s2 = 5;
	enum { R = 9, BINS = 2 * R + 1 };
	double p[BINS + 1], zsum = 0;
	for (int x = -60; x <= 60; x++)
		zsum += exp(-(double)x * x / (2.0 * s2));
	double tail = 1;
	for (int b = 0; b < BINS; b++) {
		const int x = b - R;
		p[b] = exp(-(double)x * x / (2.0 * s2)) / zsum;
		tail -= p[b];
	}
	p[BINS] = tail; /* |x| > R */
	long cnt[BINS + 1] = { 0 };
	const long n = 100000;
	for (long i = 0; i < n; i++) {
		const int64_t x = lt_dgauss(&g, (uint64_t)s2);
		cnt[x < -R || x > R ? BINS : x + R]++;
	}
	double chi = 0;
	for (int b = 0; b <= BINS; b++) {
		const double e = p[b] * (double)n;
		chi += ((double)cnt[b] - e) * ((double)cnt[b] - e) / e;
	}
	/* 19 degrees of freedom: P(chi^2 > 60) < 10^-5; a sampler off by 1% in one central bin gives about 100 */
	cr_assert(chi < 60, "chi-square %.1f over %d bins", chi, BINS + 1);
}

/*
 * The sampler's table E_k = floor(2^256 exp(-k)) against exp(-k) summed
 * exactly as a rational, sum over j <= 900 of (-k)^j / j! (remainder below
 * 128^901 / 901! < 2^-1000): within one unit.
 */
Test(multiparty, dp_sampler_exp_table)
{
	uint64_t tab[129][4];
	lt_dgauss_exp_table(tab, 129);
	const unsigned ks[] = { 1, 2, 3, 7, 40, 64, 100, 127, 128 };
	enum { J = 900 };
	mpz_t fact, sum, term, want, got, d;
	mpz_inits(fact, sum, term, want, got, d, NULL);
	mpz_fac_ui(fact, J);
	for (unsigned i = 0; i < sizeof ks / sizeof ks[0]; i++) {
		const unsigned k = ks[i];
		/* sum = J! sum_j (-k)^j / j!, term_j = (-k)^j J! / j! built from j = J down */
		mpz_set_ui(sum, 0);
		mpz_set_ui(term, 1); /* j = J: J!/J! = 1, times (-k)^J below */
		for (int j = J; j >= 0; j--) {
			/* (-k)^j J!/j! = k^j (J!/j!) (-1)^j; J!/j! = prod (j+1 .. J) */
			mpz_t pw;
			mpz_init(pw);
			mpz_ui_pow_ui(pw, k, (unsigned long)j);
			mpz_mul(pw, pw, term);
			if (j & 1)
				mpz_sub(sum, sum, pw);
			else
				mpz_add(sum, sum, pw);
			mpz_clear(pw);
			if (j > 0)
				mpz_mul_ui(term, term, (unsigned long)j);
		}
		mpz_mul_2exp(sum, sum, 256);
		mpz_fdiv_q(want, sum, fact);
		mpz_import(got, 4, -1, 8, 0, 0, tab[k]);
		mpz_sub(d, got, want);
		cr_assert(mpz_cmpabs_ui(d, 1) <= 0, "E_%u differs from floor(2^256 exp(-%u)) by more than one unit", k, k);
	}
	/* E_0 stands for 2^256: all ones */
	for (int w = 0; w < 4; w++)
		cr_assert_eq(tab[0][w], ~UINT64_C(0));
	mpz_clears(fact, sum, term, want, got, d, NULL);
}

/* calibration: sigma^2 from (epsilon, delta) and from rho */
Test(multiparty, dp_calibration)
{
	uint64_t s2;
	double rho;
	lathe_dp z = { .rho = 0.5, .sensitivity = 10 };
	OK(lathe_dp_sigma2(&z, &s2, &rho));
	cr_assert_eq(s2, 100); /* 10^2 / (2 * 0.5) */
	lathe_dp e = { .epsilon = 1, .delta = 1e-6, .sensitivity = 1 };
	OK(lathe_dp_sigma2(&e, &s2, &rho));
	/* rho = (sqrt(ln 10^6 + 1) - sqrt(ln 10^6))^2 gives epsilon 1; the integer sigma^2 meets a rho at most that */
	const double L = log(1e6), r0 = (sqrt(L + 1) - sqrt(L)) * (sqrt(L + 1) - sqrt(L));
	cr_assert(fabs(r0 + 2 * sqrt(r0 * L) - 1) < 1e-12);
	cr_assert(s2 == (uint64_t)ceil(1 / (2 * r0)), "sigma^2 %llu for rho %.6f", (unsigned long long)s2, r0);
	cr_assert(rho <= r0 && rho >= r0 * (double)(s2 - 1) / (double)s2, "met rho %.6f, asked %.6f", rho, r0);
	lathe_dp none = { .sensitivity = 1 }, both = { .epsilon = 1, .delta = 1e-6, .rho = 1, .sensitivity = 1 },
	         nos = { .rho = 1 }, huge = { .rho = 1e-12, .sensitivity = 1e6 };
	FAILS(LATHE_EINVAL, lathe_dp_sigma2(&none, &s2, &rho));
	FAILS(LATHE_EINVAL, lathe_dp_sigma2(&both, &s2, &rho));
	FAILS(LATHE_EINVAL, lathe_dp_sigma2(&nos, &s2, &rho));
	FAILS(LATHE_EINVAL, lathe_dp_sigma2(&huge, &s2, &rho));
}

/* a DP release: each slot is the value plus noise of the stated variance; the parameters travel with it */
Test(multiparty, dp_release)
{
	mp_run r;
	mp_setup(&r, 3);
	uint64_t *a = malloc(r.slots * 8), *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a), *cp;
	/*
	 * a product, then the same message under factor 3 (3 c with factor 3
	 * decrypts to m): the noise must be scaled by the factor
	 */
	OK(lathe_ct_new(r.ctx, &cp));
	OK(lathe_ct_mul(r.ev, cp, ca, ca));
	OK(lathe_ct_mul_scalar(r.ev, cp, cp, 3));
	cp->fac = cp->fac * 3 % r.t;
	const lathe_dp dp = { .rho = 0.005, .sensitivity = 1 }; /* sigma^2 = 100 */
	lathe_share *sh[MAXP];
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_decrypt_share_dp(r.party[i], cp, &dp, &sh[i]));
	/* through a buffer: the parameters come along */
	uint8_t *buf;
	size_t len;
	OK(lathe_share_to_buffer(sh[2], &buf, &len));
	lathe_share_free(sh[2]);
	OK(lathe_share_from_buffer(r.ctx, buf, len, &sh[2]));
	lathe_buffer_free(buf);
	lathe_pt *pt;
	OK(lathe_pt_new(r.ctx, &pt));
	lathe_dp_release rel;
	OK(lathe_mp_decrypt_combine_dp(cp, (const lathe_share *const *)sh, 3, pt, &rel));
	cr_assert(rel.sigma2 == 100 && rel.parties == 3 && rel.variance == 300 && rel.dp.rho == 0.005 &&
	          fabs(rel.rho - 0.005) < 1e-15, "release: sigma^2 %llu, parties %u, variance %g, rho %g",
	          (unsigned long long)rel.sigma2, rel.parties, rel.variance, rel.rho);
	OK(lathe_decode_u64(got, r.slots, pt));
	double sq = 0;
	for (size_t i = 0; i < r.slots; i++) {
		const uint64_t want = a[i] * a[i] % r.t;
		int64_t d = (int64_t)((got[i] + r.t - want) % r.t);
		if (d > (int64_t)(r.t / 2))
			d -= (int64_t)r.t;
		cr_assert(d >= -120 && d <= 120, "slot %zu: noise %lld, beyond 7 sigma (sigma^2 = 300)", i, (long long)d);
		sq += (double)d * (double)d;
	}
	const double var = sq / (double)r.slots;
	/* 4096 slots: the empirical variance within 15% of 300 */
	cr_assert(var > 255 && var < 345, "released noise variance %.1f, want about 300", var);
	/* no release without parameters, and no mixing of DP and plain shares */
	lathe_share *x = NULL;
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_share_dp(r.party[0], cp, NULL, &x));
	const lathe_dp bad = { .sensitivity = 1 };
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_share_dp(r.party[0], cp, &bad, &x));
	cr_assert_null(x);
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_combine(cp, (const lathe_share *const *)sh, 3, pt));
	lathe_share *other;
	const lathe_dp dp2 = { .rho = 0.01, .sensitivity = 1 };
	OK(lathe_mp_decrypt_share_dp(r.party[0], cp, &dp2, &other));
	lathe_share *keep = sh[0];
	sh[0] = other;
	FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_combine_dp(cp, (const lathe_share *const *)sh, 3, pt, &rel));
	sh[0] = keep;
	lathe_share_free(other);
	shares_free(sh, 3);
	lathe_pt_free(pt);
	lathe_ct_free(ca);
	lathe_ct_free(cp);
	free(a);
	free(got);
	mp_teardown(&r);
}

/* recomputes an object's trailing BLAKE2b checksum after a test changed a byte of it */
static void
reseal_checksum(uint8_t *buf, size_t len)
{
	crypto_generichash(buf + len - 32, 32, buf, len - 32, NULL, 0);
}

/*
 * A sealed party is the same party: after a threshold is set, the loaded
 * party's threshold shares decrypt with the others'; a wrong passphrase,
 * a changed clear field (checksum recomputed: the AEAD catches it),
 * another context, a truncated buffer and another kind are refused.
 */
Test(multiparty, sealed_party_round_trip)
{
	mp_run r;
	mp_setup(&r, 3);
	threshold_setup(&r, 2);
	uint8_t *buf;
	size_t len;
	FAILS(LATHE_EINVAL, lathe_party_to_buffer(r.party[1], "", LATHE_PWHASH_INTERACTIVE, &buf, &len));
	FAILS(LATHE_EINVAL, lathe_party_to_buffer(r.party[1], "pw", (lathe_pwhash_level)7, &buf, &len));
	OK(lathe_party_to_buffer(r.party[1], "correct horse", LATHE_PWHASH_INTERACTIVE, &buf, &len));
	lathe_object_info info;
	OK(lathe_object_info_from_buffer(buf, len, &info));
	cr_assert(info.kind == LATHE_OBJECT_PARTY && info.version == 6 && info.pwhash_level == LATHE_PWHASH_INTERACTIVE);
	cr_assert(info.has_key_id, "a party bound to the collective key names it");
	lathe_party *q = NULL;
	FAILS(LATHE_EAUTH, lathe_party_from_buffer(r.ctx, buf, len, "wrong horse", &q));
	cr_assert_null(q);
	/* the index byte (after the key id) changed to another party's, the checksum made to match */
	buf[LT_HEADER_LEN + LT_KEYID_BYTES] ^= 3;
	reseal_checksum(buf, len);
	FAILS(LATHE_EAUTH, lathe_party_from_buffer(r.ctx, buf, len, "correct horse", &q));
	buf[LT_HEADER_LEN + LT_KEYID_BYTES] ^= 3;
	reseal_checksum(buf, len);
	buf[len / 2] ^= 1;
	FAILS(LATHE_EAUTH, lathe_party_from_buffer(r.ctx, buf, len, "correct horse", &q));
	buf[len / 2] ^= 1;
	FAILS(LATHE_ECORRUPT, lathe_party_from_buffer(r.ctx, buf, len - 40, "correct horse", &q));
	lathe_ctx *c2 = mp_ctx(2);
	FAILS(LATHE_EMISMATCH, lathe_party_from_buffer(c2, buf, len, "correct horse", &q));
	lathe_ctx_free(c2);
	cr_assert_null(q);
	OK(lathe_party_from_buffer(r.ctx, buf, len, "correct horse", &q));
	lathe_buffer_free(buf);
	unsigned idx, np, thr;
	int bound;
	OK(lathe_party_info(q, &idx, &np, &thr, &bound));
	cr_assert(idx == 1 && np == 3 && thr == 2 && bound == 1, "party %u of %u, threshold %u, bound %d", idx, np, thr,
	          bound);
	/* parties 0 and 1 online, party 1 from its file */
	uint64_t *a = malloc(r.slots * 8), *got = malloc(r.slots * 8);
	rand_vec(&r, a);
	lathe_ct *ca = encrypt_vec(&r, a);
	const unsigned on[2] = { 0, 1 };
	lathe_share *sh[2];
	OK(lathe_mp_decrypt_share_t(r.party[0], ca, on, 2, &sh[0]));
	OK(lathe_mp_decrypt_share_t(q, ca, on, 2, &sh[1]));
	lathe_pt *pt;
	OK(lathe_pt_new(r.ctx, &pt));
	OK(lathe_mp_decrypt_combine_t(ca, (const lathe_share *const *)sh, 2, pt));
	OK(lathe_decode_u64(got, r.slots, pt));
	cr_assert(memcmp(got, a, r.slots * 8) == 0, "the loaded party's threshold share decrypts wrong");
	shares_free(sh, 2);
	lathe_party_free(q);
	/* through a file, without a threshold: the same public-key share, mode 0600 */
	char dir[] = "/tmp/lathe-mp-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/party", dir);
	lathe_party *fresh;
	OK(lathe_party_new(r.ctx, r.crs, 2, 3, NULL, &fresh));
	OK(lathe_party_save(fresh, path, "pw", LATHE_PWHASH_INTERACTIVE));
	struct stat stt;
	cr_assert(stat(path, &stt) == 0 && (stt.st_mode & 077) == 0, "a sealed party is readable by others");
	OK(lathe_party_load(r.ctx, path, "pw", &q));
	OK(lathe_party_info(q, &idx, &np, &thr, &bound));
	cr_assert(idx == 2 && np == 3 && thr == 0 && bound == 0);
	lathe_share *s1, *s2;
	OK(lathe_mp_pk_share(fresh, &s1));
	OK(lathe_mp_pk_share(q, &s2));
	uint8_t *b1, *b2;
	size_t l1, l2;
	OK(lathe_share_to_buffer(s1, &b1, &l1));
	OK(lathe_share_to_buffer(s2, &b2, &l2));
	cr_assert(l1 == l2 && memcmp(b1, b2, l1) == 0, "the loaded party makes another public-key share");
	lathe_buffer_free(b1);
	lathe_buffer_free(b2);
	lathe_share_free(s1);
	lathe_share_free(s2);
	lathe_party_free(q);
	q = NULL;
	/* a share file is not a party */
	OK(lathe_mp_pk_share(fresh, &s1));
	OK(lathe_share_save(s1, path));
	FAILS(LATHE_EFORMAT, lathe_party_load(r.ctx, path, "pw", &q));
	cr_assert_null(q);
	lathe_share_free(s1);
	lathe_party_free(fresh);
	remove(path);
	rmdir(dir);
	lathe_pt_free(pt);
	lathe_ct_free(ca);
	free(a);
	free(got);
	mp_teardown(&r);
}

/*
 * One value in every slot (lathe_dp.one_value): a sum over all slots
 * released with one sample per party, the same in every slot; across 400
 * releases that one value's noise has the declared variance (3 sigma^2).
 * Noise per slot would have shown different values in the slots.
 */
Test(multiparty, dp_release_of_one_value)
{
	mp_run r;
	mp_setup(&r, 3);
	uint64_t *a = malloc(r.slots * 8), *got = malloc(r.slots * 8);
	for (size_t i = 0; i < r.slots; i++)
		a[i] = 12345;
	lathe_ct *ca = encrypt_vec(&r, a);
	const lathe_dp dp = { .rho = 0.005, .sensitivity = 1, .one_value = 1 }; /* sigma^2 = 100 */
	const lathe_dp bad = { .rho = 0.005, .sensitivity = 1, .one_value = 2 };
	lathe_share *sh[MAXP];
	FAILS(LATHE_EINVAL, lathe_mp_decrypt_share_dp(r.party[0], ca, &bad, &sh[0]));
	lathe_pt *pt;
	OK(lathe_pt_new(r.ctx, &pt));
	double sq = 0;
	const int trials = 400;
	for (int k = 0; k < trials; k++) {
		for (unsigned i = 0; i < 3; i++)
			OK(lathe_mp_decrypt_share_dp(r.party[i], ca, &dp, &sh[i]));
		if (k == 0) {
			/* the flag travels with the share, and a share without it does not combine with these */
			uint8_t *buf;
			size_t len;
			OK(lathe_share_to_buffer(sh[1], &buf, &len));
			lathe_share_free(sh[1]);
			OK(lathe_share_from_buffer(r.ctx, buf, len, &sh[1]));
			lathe_buffer_free(buf);
			const lathe_dp per_slot = { .rho = 0.005, .sensitivity = 1 };
			lathe_share *other, *keep = sh[0];
			lathe_dp_release rel0;
			OK(lathe_mp_decrypt_share_dp(r.party[0], ca, &per_slot, &other));
			sh[0] = other;
			FAILS(LATHE_EMISMATCH, lathe_mp_decrypt_combine_dp(ca, (const lathe_share *const *)sh, 3, pt, &rel0));
			sh[0] = keep;
			lathe_share_free(other);
		}
		lathe_dp_release rel;
		OK(lathe_mp_decrypt_combine_dp(ca, (const lathe_share *const *)sh, 3, pt, &rel));
		cr_assert(rel.dp.one_value == 1 && rel.variance == 300);
		shares_free(sh, 3);
		OK(lathe_decode_u64(got, r.slots, pt));
		for (size_t i = 1; i < r.slots; i++)
			cr_assert_eq(got[i], got[0], "release %d: slot %zu holds %llu, slot 0 %llu", k, i,
			             (unsigned long long)got[i], (unsigned long long)got[0]);
		const double d = (double)(int64_t)got[0] - 12345.0;
		cr_assert(fabs(d) <= 140, "release %d: noise %g beyond 8 sigma", k, d);
		sq += d * d;
	}
	/* 400 samples of variance 300: the sample variance within 30%, 4.2 of its standard errors (300 sqrt(2/400)) */
	const double var = sq / trials;
	cr_assert(var > 210 && var < 390, "one value's released noise variance %.1f, want about 300", var);
	lathe_pt_free(pt);
	lathe_ct_free(ca);
	free(a);
	free(got);
	mp_teardown(&r);
}

/*
 * Round 1's combination through a buffer keeps its binding (the file's
 * checksum): a party's round-2 share on the loaded combination is the
 * same as on the one in memory, and its key combines. A forged binding
 * field is refused, and a combination changed in one word (checksum made
 * to match) binds round-2 shares that the original combination refuses.
 */
Test(multiparty, round_one_combination_through_a_buffer)
{
	mp_run r;
	mp_setup(&r, 3);
	lathe_share *s1[MAXP], *sum1, *ld = NULL;
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share1(r.party[i], &s1[i]));
	OK(lathe_mp_relin_combine1((const lathe_share *const *)s1, 3, &sum1));
	shares_free(s1, 3);
	uint8_t *buf;
	size_t len;
	OK(lathe_share_to_buffer(sum1, &buf, &len));
	OK(lathe_share_from_buffer(r.ctx, buf, len, &ld));
	lathe_share *a[MAXP], *b[MAXP];
	for (unsigned i = 0; i < 3; i++) {
		OK(lathe_mp_relin_share2(r.party[i], sum1, &a[i]));
		OK(lathe_mp_relin_share2(r.party[i], ld, &b[i]));
		uint8_t *ba, *bb;
		size_t la, lb;
		OK(lathe_share_to_buffer(a[i], &ba, &la));
		OK(lathe_share_to_buffer(b[i], &bb, &lb));
		cr_assert(la == lb && memcmp(ba, bb, la) == 0, "round 2 on the loaded combination differs");
		lathe_buffer_free(ba);
		lathe_buffer_free(bb);
	}
	lathe_evalkeys *ek;
	OK(lathe_mp_evalkeys_new(r.pk, &ek));
	OK(lathe_mp_relin_combine2(ek, sum1, (const lathe_share *const *)b, 3));
	lathe_evalkeys_free(ek);
	shares_free(b, 3);
	lathe_share_free(ld);
	ld = NULL;
	/* the binding field: after the key id, the 4 index bytes, the seed, g, the level and the noise */
	const size_t bind_at = LT_HEADER_LEN + LT_KEY_ID_LEN + 4 + LATHE_MP_SEED_BYTES + 8 + 4 + 8;
	buf[bind_at] ^= 1;
	reseal_checksum(buf, len);
	FAILS(LATHE_ECORRUPT, lathe_share_from_buffer(r.ctx, buf, len, &ld));
	cr_assert_null(ld);
	buf[bind_at] ^= 1;
	/*
	 * one bit of the last polynomial changed: another combination, bound to
	 * round-2 shares of its own (a bit that would put a packed word at or
	 * above its prime is put back and the next byte tried)
	 */
	lathe_status ls = LATHE_ECORRUPT;
	for (size_t at = len - 40; ls != LATHE_OK && at > len - 200; at--) {
		buf[at] ^= 1;
		reseal_checksum(buf, len);
		if ((ls = lathe_share_from_buffer(r.ctx, buf, len, &ld)) != LATHE_OK)
			buf[at] ^= 1;
	}
	OK(ls);
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share2(r.party[i], ld, &b[i]));
	OK(lathe_mp_evalkeys_new(r.pk, &ek));
	FAILS(LATHE_EMISMATCH, lathe_mp_relin_combine2(ek, sum1, (const lathe_share *const *)b, 3));
	OK(lathe_mp_relin_combine2(ek, sum1, (const lathe_share *const *)a, 3));
	lathe_evalkeys_free(ek);
	shares_free(a, 3);
	shares_free(b, 3);
	lathe_share_free(ld);
	lathe_share_free(sum1);
	lathe_buffer_free(buf);
	mp_teardown(&r);
}

static void
assert_same_share(const lathe_share *a, const lathe_share *b, const char *what)
{
	uint8_t *ba, *bb;
	size_t la, lb;
	OK(lathe_share_to_buffer(a, &ba, &la));
	OK(lathe_share_to_buffer(b, &bb, &lb));
	cr_assert(la == lb && memcmp(ba, bb, la) == 0, "%s", what);
	lathe_buffer_free(ba);
	lathe_buffer_free(bb);
}

/*
 * A party keeps what round 1 of the relinearization key made for round 2
 * (u_i): a party resumed from its seed that makes round 2 without having
 * made round 1, and one that makes round 2 before round 1, make the same
 * shares as the party that made them in order, and those combine.
 */
Test(multiparty, relinearization_rounds_do_not_depend_on_what_the_party_kept)
{
	mp_run r;
	mp_setup(&r, 3);
	lathe_share *s1[MAXP], *s2[MAXP], *sum1;
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share1(r.party[i], &s1[i]));
	OK(lathe_mp_relin_combine1((const lathe_share *const *)s1, 3, &sum1));
	for (unsigned i = 0; i < 3; i++)
		OK(lathe_mp_relin_share2(r.party[i], sum1, &s2[i]));
	uint8_t seed[LATHE_MP_SEED_BYTES];
	for (unsigned i = 0; i < 3; i++) {
		lathe_party *q, *w;
		OK(lathe_party_seed(r.party[i], seed));
		OK(lathe_party_from_seed(r.ctx, r.crs, i, 3, seed, &q));
		OK(lathe_party_from_seed(r.ctx, r.crs, i, 3, seed, &w));
		OK(lathe_party_set_pk(q, r.pk));
		OK(lathe_party_set_pk(w, r.pk));
		lathe_share *a, *b;
		OK(lathe_mp_relin_share2(q, sum1, &a));
		assert_same_share(a, s2[i], "round 2 of a resumed party differs");
		lathe_share_free(a);
		OK(lathe_mp_relin_share2(w, sum1, &a));
		OK(lathe_mp_relin_share1(w, &b));
		assert_same_share(a, s2[i], "round 2 made first differs");
		assert_same_share(b, s1[i], "round 1 made after round 2 differs");
		lathe_share_free(a);
		lathe_share_free(b);
		lathe_party_free(q);
		lathe_party_free(w);
	}
	memset(seed, 0, sizeof(seed));
	lathe_evalkeys *ek;
	OK(lathe_mp_evalkeys_new(r.pk, &ek));
	OK(lathe_mp_relin_combine2(ek, sum1, (const lathe_share *const *)s2, 3));
	lathe_evalkeys_free(ek);
	shares_free(s1, 3);
	shares_free(s2, 3);
	lathe_share_free(sum1);
	mp_teardown(&r);
}
