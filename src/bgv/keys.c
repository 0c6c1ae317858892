/*
 * Key generation: secret keys (uniform ternary, or of a fixed Hamming
 * weight), public key, key identifiers, Galois elements, and the
 * evaluation-key bundle of relinearization and Galois keys (the
 * key-switching keys themselves: ksk.c).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/sample.h"
#include "internal.h"


static size_t
all_words(const lathe_ctx *c)
{
	return (size_t)(c->nq + c->np) * c->n;
}

/* poly view over all nq + np primes */
static lt_poly
view_all(const lathe_ctx *c, uint64_t *w, int ntt)
{
	lt_poly p = lt_poly_view(c->n, c->ring.modp, c->nq + c->np, w, ntt);
	return p;
}

lathe_status
lt_error_times(const lathe_ctx *c, lt_prng *g, uint64_t *out, const lt_modulus *const *mods, unsigned nlimbs,
               uint64_t t)
{
	int8_t *e = lt_alloc(c->n);
	if (!e)
		return lt_fail(LATHE_ENOMEM, "key generation: out of memory");
	lt_sample_cbd(e, c->n, g);
	lt_poly p = lt_poly_view(c->n, mods, nlimbs, out, 0);
	lt_poly_set_small_ntt(&p, e, (int64_t)t);
	lt_free_secret(e, c->n);
	return LATHE_OK;
}

lathe_status
lt_error_times_t(const lathe_ctx *c, lt_prng *g, uint64_t *out, const lt_modulus *const *mods, unsigned nlimbs)
{
	/* the keys' plaintext modulus: the largest */
	return lt_error_times(c, g, out, mods, nlimbs, lt_key_pm(c)->t);
}

void
lathe_sk_free(lathe_sk *sk)
{
	if (!sk)
		return;
	if (sk->s)
		lt_free_secret(sk->s, sk->ctx->n);
	if (sk->s_ntt)
		lt_free_secret(sk->s_ntt, all_words(sk->ctx) * sizeof(uint64_t));
	lt_free_secret(sk, sizeof(*sk));
}

void
lathe_pk_free(lathe_pk *pk)
{
	if (!pk)
		return;
	lt_free(pk->a);
	lt_free(pk->b);
	lt_free(pk);
}

lathe_status
lt_sk_from_coeffs(const lathe_ctx *ctx, const int8_t *coeffs, lathe_sk **out)
{
	*out = NULL;
	lathe_sk *sk = lt_calloc(1, sizeof(*sk));
	if (!sk)
		return lt_fail(LATHE_ENOMEM, "secret key: out of memory");
	sk->ctx = ctx;
	sk->s = lt_alloc(ctx->n);
	sk->s_ntt = lt_alloc(all_words(ctx) * sizeof(uint64_t));
	if (!sk->s || !sk->s_ntt) {
		lathe_sk_free(sk);
		return lt_fail(LATHE_ENOMEM, "secret key: out of memory");
	}
	memcpy(sk->s, coeffs, ctx->n);
	lt_poly sp = view_all(ctx, sk->s_ntt, 0);
	lt_poly_set_small(&sp, sk->s);
	lt_poly_to_ntt(&sp);
	*out = sk;
	return LATHE_OK;
}

lathe_status
lt_sk_new_hwt(const lathe_ctx *ctx, size_t h, lathe_rng *rng, lathe_sk **out)
{
	*out = NULL;
	if (h > ctx->n)
		return lt_fail(LATHE_EINVAL, "secret key: Hamming weight %zu above N = %zu", h, ctx->n);
	int8_t *s = lt_alloc(ctx->n);
	if (!s)
		return lt_fail(LATHE_ENOMEM, "secret key: out of memory");
	uint8_t seed[LT_SEED_BYTES];
	lt_seed_from(rng, seed);
	lt_prng g;
	lt_prng_init(&g, seed, LT_DOMAIN_SECRET, 1);
	lt_sample_hwt(s, ctx->n, h, &g);
	lathe_status st = lt_sk_from_coeffs(ctx, s, out);
	lt_prng_clear(&g);
	lt_memzero(seed, sizeof(seed));
	lt_free_secret(s, ctx->n);
	return st;
}

void
lt_pk_expand(lathe_pk *pk)
{
	const lathe_ctx *ctx = pk->ctx;
	lt_poly a = lt_poly_view(ctx->n, ctx->ring.modp, ctx->nq, pk->a, 1);
	lt_sample_uniform(&a, pk->seed, LT_STREAM_PK);
}

/* ---- key identifiers ---- */

void
lt_keyid_compute(const lathe_pk *pk, uint8_t id[LT_KEYID_BYTES])
{
	static const char tag[] = "lathe key id v1";
	const lathe_ctx *c = pk->ctx;
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, LT_KEYID_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
	crypto_generichash_update(&st, c->hash, sizeof(c->hash));
	crypto_generichash_update(&st, pk->seed, sizeof(pk->seed));
	/* b as little-endian 64-bit words, whatever the host's byte order */
	uint8_t buf[8 * 256];
	const size_t words = lt_comp_words(c);
	for (size_t i = 0; i < words;) {
		size_t k = 0;
		for (; k < 256 && i < words; k++, i++)
			for (int j = 0; j < 8; j++)
				buf[8 * k + (size_t)j] = (uint8_t)(pk->b[i] >> (8 * j));
		crypto_generichash_update(&st, buf, 8 * k);
	}
	crypto_generichash_final(&st, id, LT_KEYID_BYTES);
	/* all-zero is reserved for "unbound" */
	if (!lt_keyid_set(id))
		id[0] = 1;
}

int
lt_keyid_set(const uint8_t id[LT_KEYID_BYTES])
{
	uint8_t acc = 0;
	for (size_t i = 0; i < LT_KEYID_BYTES; i++)
		acc |= id[i];
	return acc != 0;
}

static void
keyid_hex(char out[17], const uint8_t id[LT_KEYID_BYTES])
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

lathe_status
lt_keyid_check(const char *fn, const char *what_a, const uint8_t a[LT_KEYID_BYTES], const char *what_b,
               const uint8_t b[LT_KEYID_BYTES])
{
	if (!lt_keyid_set(a) || !lt_keyid_set(b) || memcmp(a, b, LT_KEYID_BYTES) == 0)
		return LATHE_OK;
	char ha[17], hb[17];
	keyid_hex(ha, a);
	keyid_hex(hb, b);
	return lt_fail(LATHE_EMISMATCH, "%s: %s belongs to key %s, %s to key %s (another key pair)", fn, what_a, ha,
	               what_b, hb);
}

#define KEY_ID_GETTER(name, type) \
	lathe_status name(const type *x, uint8_t id[LATHE_KEY_ID_BYTES]) \
	{ \
		LT_CHECK_NULL(x); \
		LT_CHECK_NULL(id); \
		memcpy(id, x->keyid, LATHE_KEY_ID_BYTES); \
		return LATHE_OK; \
	}
KEY_ID_GETTER(lathe_sk_key_id, lathe_sk)
KEY_ID_GETTER(lathe_pk_key_id, lathe_pk)
KEY_ID_GETTER(lathe_evalkeys_key_id, lathe_evalkeys)
KEY_ID_GETTER(lathe_ct_key_id, lathe_ct)
KEY_ID_GETTER(lathe_pt_key_id, lathe_pt)

void
lathe_key_id_hex(const uint8_t id[LATHE_KEY_ID_BYTES], char hex[2 * LATHE_KEY_ID_BYTES + 1])
{
	static const char digits[] = "0123456789abcdef";
	if (!hex)
		return;
	for (size_t i = 0; i < LATHE_KEY_ID_BYTES; i++) {
		uint8_t b = id ? id[i] : 0;
		hex[2 * i] = digits[b >> 4];
		hex[2 * i + 1] = digits[b & 15];
	}
	hex[2 * LATHE_KEY_ID_BYTES] = '\0';
}

lathe_status
lathe_keygen(const lathe_ctx *ctx, lathe_sk **skp, lathe_pk **pkp)
{
	return lathe_keygen_rng(ctx, skp, pkp, NULL);
}

lathe_status
lathe_keygen_rng(const lathe_ctx *ctx, lathe_sk **skp, lathe_pk **pkp, lathe_rng *rng)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(skp);
	*skp = NULL;
	if (pkp)
		*pkp = NULL;
	const size_t n = ctx->n;
	lathe_sk *sk = lt_calloc(1, sizeof(*sk));
	if (!sk)
		return lt_fail(LATHE_ENOMEM, "lathe_keygen: out of memory");
	sk->ctx = ctx;
	sk->s = lt_alloc(n);
	sk->s_ntt = lt_alloc(all_words(ctx) * sizeof(uint64_t));
	if (!sk->s || !sk->s_ntt) {
		lathe_sk_free(sk);
		return lt_fail(LATHE_ENOMEM, "lathe_keygen: out of memory");
	}
	uint8_t seed[LT_SEED_BYTES];
	lt_seed_from(rng, seed);
	lt_prng g;
	lt_prng_init(&g, seed, LT_DOMAIN_SECRET, 0);
	lt_sample_ternary(sk->s, n, &g);
	lt_poly sp = view_all(ctx, sk->s_ntt, 0);
	lt_poly_set_small(&sp, sk->s);
	lt_poly_to_ntt(&sp);

	lathe_status st = LATHE_OK;
	lathe_pk *pk = NULL;
	uint64_t *tmp = NULL;
	const size_t w = lt_comp_words(ctx);
	/* the public key is formed even when not asked for: it names the key pair */
	{
		if ((st = lt_pk_alloc("lathe_keygen", ctx, &pk)))
			goto done;
		tmp = lt_alloc(w * 8);
		if (!tmp) {
			st = lt_fail(LATHE_ENOMEM, "lathe_keygen: out of memory");
			goto done;
		}
		lt_seed_from(rng, pk->seed);
		lt_poly a = lt_poly_view(n, ctx->ring.modp, ctx->nq, pk->a, 1);
		lt_poly b = lt_poly_view(n, ctx->ring.modp, ctx->nq, pk->b, 1);
		lt_poly s = lt_poly_view(n, ctx->ring.modp, ctx->nq, sk->s_ntt, 1);
		lt_pk_expand(pk);
		/* b = -a s + t e */
		if ((st = lt_error_times_t(ctx, &g, pk->b, (const lt_modulus *const *)ctx->ring.modp, ctx->nq)))
			goto done;
		lt_poly as = b;
		as.c = tmp;
		lt_poly_mul(&as, &a, &s);
		lt_poly_sub(&b, &b, &as);
		lt_keyid_compute(pk, pk->keyid);
		memcpy(sk->keyid, pk->keyid, LT_KEYID_BYTES);
	}
done:
	/* the seed and the generator's state expand to the secret: never left behind */
	lt_prng_clear(&g);
	lt_memzero(seed, sizeof(seed));
	if (tmp)
		lt_free_secret(tmp, w * 8);
	if (st) {
		lathe_pk_free(pk);
		lathe_sk_free(sk);
		return st;
	}
	if (pkp)
		*pkp = pk;
	else
		lathe_pk_free(pk);
	*skp = sk;
	return LATHE_OK;
}

uint64_t
lt_galois_elt(const lathe_ctx *ctx, int step)
{
	/* steps count columns of the slots (N/2 with full splitting, fewer with thin slots) */
	const uint64_t m = 2 * (uint64_t)ctx->n, half = lt_rot_cols(ctx) ? lt_rot_cols(ctx) : ctx->n / 2;
	if (step == 0)
		return m - 1;
	long long s = step % (long long)half;
	if (s < 0)
		s += (long long)half;
	/* 5 has order N/2 mod 2N; m is a power of two, so products reduce by masking */
	uint64_t g = 1, b = 5;
	for (unsigned long long e = (unsigned long long)s; e; e >>= 1) {
		if (e & 1)
			g = (g * b) & (m - 1);
		b = (b * b) & (m - 1);
	}
	return g;
}

int
lt_galois_elt_valid(const lathe_ctx *ctx, uint64_t g)
{
	return (g & 1) && g > 1 && g < 2 * (uint64_t)ctx->n;
}

lathe_status
lt_galois_key_init(const lathe_ctx *ctx, lt_galois_key *gk, uint64_t g)
{
	const uint64_t m = 2 * (uint64_t)ctx->n;
	gk->g = g;
	gk->rot = 0;
	gk->step = 0;
	/* g = 5^k exactly when g = 1 mod 4 (Z_2N^* = <5> x <-1>); find k by walking the powers */
	if ((g & 3) == 1) {
		uint64_t x = 1;
		for (size_t k = 0; k < ctx->n / 2; k++, x = (x * 5) & (m - 1))
			if (x == g) {
				gk->rot = 1;
				gk->step = (int)k;
				break;
			}
	}
	gk->perm = lt_alloc(ctx->n * sizeof(uint32_t));
	if (!gk->perm)
		return lt_fail(LATHE_ENOMEM, "Galois key: out of memory");
	lt_automorph_perm(gk->perm, ctx->logn, g);
	return LATHE_OK;
}

lathe_status
lathe_galois_elt_rotation(const lathe_ctx *ctx, int step, uint64_t *g)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(g);
	const long long half = (long long)(lt_rot_cols(ctx) ? lt_rot_cols(ctx) : ctx->n / 2);
	long long k = step % half;
	if (k < 0)
		k += half;
	*g = k == 0 ? 1 : lt_galois_elt(ctx, (int)k);
	return LATHE_OK;
}

lathe_status
lathe_galois_elt_row_swap(const lathe_ctx *ctx, uint64_t *g)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(g);
	*g = 2 * (uint64_t)ctx->n - 1;
	return LATHE_OK;
}

void
lathe_evalkeys_free(lathe_evalkeys *ek)
{
	if (!ek)
		return;
	if (ek->has_relin)
		lt_ksk_clear(ek->ctx, &ek->relin);
	for (size_t i = 0; i < ek->ngal; i++) {
		lt_ksk_clear(ek->ctx, &ek->gal[i].k);
		lt_free(ek->gal[i].perm);
	}
	lt_free(ek->gal);
	lathe_pk_free(ek->pk);
	lt_boot_raw_free(ek->boot);
	lt_free(ek);
}

void
lt_boot_raw_free(lt_boot_raw *r)
{
	if (!r)
		return;
	lt_free(r->b);
	lathe_ct_free(r->bk);
	lt_free(r);
}

lathe_status
lt_pk_alloc(const char *fn, const lathe_ctx *ctx, lathe_pk **out)
{
	const size_t w = lt_comp_words(ctx);
	lathe_pk *pk = lt_calloc(1, sizeof(*pk));
	if (pk) {
		pk->ctx = ctx;
		pk->a = lt_alloc(w * 8);
		pk->b = lt_alloc(w * 8);
	}
	if (pk && pk->a && pk->b) {
		*out = pk;
		return LATHE_OK;
	}
	lathe_pk_free(pk);
	*out = NULL;
	return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
}

lathe_status
lt_pk_copy(const lathe_pk *src, lathe_pk **out)
{
	const lathe_ctx *ctx = src->ctx;
	size_t w = lt_comp_words(ctx);
	lathe_pk *pk = NULL;
	lathe_status st = lt_pk_alloc("public key", ctx, &pk);
	if (st || !pk)
		return st ? st : LATHE_ENOMEM;
	memcpy(pk->seed, src->seed, sizeof(pk->seed));
	memcpy(pk->keyid, src->keyid, sizeof(pk->keyid));
	memcpy(pk->a, src->a, w * 8);
	memcpy(pk->b, src->b, w * 8);
	*out = pk;
	return LATHE_OK;
}

lathe_status
lathe_evalkeys_set_pk(lathe_evalkeys *ek, const lathe_pk *pk)
{
	LT_CHECK_NULL(ek);
	LT_CHECK_NULL(pk);
	if (!lt_ctx_same(ek->ctx, pk->ctx))
		return lt_fail(LATHE_EMISMATCH, "lathe_evalkeys_set_pk: public key from another context");
	lathe_status ks = lt_keyid_check("lathe_evalkeys_set_pk", "the bundle", ek->keyid, "the public key", pk->keyid);
	if (ks)
		return ks;
	lathe_pk *copy;
	lathe_status s = lt_pk_copy(pk, &copy);
	if (s)
		return s;
	lathe_pk_free(ek->pk);
	ek->pk = copy;
	return LATHE_OK;
}

const lathe_ctx *
lathe_pk_ctx(const lathe_pk *pk)
{
	return pk ? pk->ctx : NULL;
}

const lathe_ctx *
lathe_sk_ctx(const lathe_sk *sk)
{
	return sk ? sk->ctx : NULL;
}

const lathe_pk *
lathe_evalkeys_pk(const lathe_evalkeys *ek)
{
	return ek ? ek->pk : NULL;
}

int
lathe_evalkeys_has_galois(const lathe_evalkeys *ek, uint64_t g)
{
	if (!ek)
		return 0;
	for (size_t i = 0; i < ek->ngal; i++)
		if (ek->gal[i].g == g)
			return 1;
	return 0;
}

int
lathe_evalkeys_has_rotation(const lathe_evalkeys *ek, int step)
{
	return ek ? lathe_evalkeys_has_galois(ek, lt_galois_elt(ek->ctx, step)) : 0;
}

lathe_status
lathe_evalkeys_new(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                   lathe_evalkeys **out)
{
	return lathe_evalkeys_new_ex(ctx, sk, rot_steps, n_steps, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, out);
}

/*
 * A bundle of the relinearization key (parts) and Galois keys for
 * elts[0..n) (valid, any order, repeats skipped), the key of elts[i]
 * reaching level glevels[i] (glevels NULL: every key glevel).
 */
static lathe_status check_gen_args(const char *fn, const lathe_ctx *ctx, const lathe_sk *sk, unsigned parts,
                                   lathe_evalkeys **out);

static lathe_status
evalkeys_gen_levels(const lathe_ctx *ctx, const lathe_sk *sk, const uint64_t *elts, const unsigned *glevels,
                    size_t n_elts, unsigned parts, unsigned glevel, lathe_evalkeys **out, lathe_rng *rng)
{
	const size_t words = all_words(ctx);
	lathe_evalkeys *ek = lt_calloc(1, sizeof(*ek));
	if (!ek)
		return lt_fail(LATHE_ENOMEM, "lathe_evalkeys_new: out of memory");
	ek->ctx = ctx;
	memcpy(ek->keyid, sk->keyid, LT_KEYID_BYTES);
	ek->gal = lt_calloc(n_elts ? n_elts : 1, sizeof(lt_galois_key));
	uint64_t *sx = lt_alloc(words * 8);
	if (!ek->gal || !sx) {
		lt_free(sx);
		lathe_evalkeys_free(ek);
		return lt_fail(LATHE_ENOMEM, "lathe_evalkeys_new: out of memory");
	}
	lathe_status st;
	/* relinearization: s^2 -> s */
	lt_poly s = view_all(ctx, sk->s_ntt, 1), s2 = view_all(ctx, sx, 1);
	if (parts & LATHE_EVALKEYS_RELIN) {
		lt_poly_mul(&s2, &s, &s);
		st = lt_ksk_gen(sk, sx, &ek->relin, rng);
		if (st)
			goto fail;
		ek->has_relin = 1;
	}
	/* Galois keys: sigma_g(s) -> s */
	for (size_t i = 0; i < n_elts; i++) {
		uint64_t g = elts[i];
		if (lathe_evalkeys_has_galois(ek, g))
			continue;
		lt_galois_key *gk = &ek->gal[ek->ngal];
		if ((st = lt_galois_key_init(ctx, gk, g)))
			goto fail;
		lt_poly sg = view_all(ctx, sx, 1);
		lt_poly_automorph(&sg, &s, g, gk->perm);
		st = lt_ksk_gen_at(sk, sx, glevels ? glevels[i] : glevel, &gk->k, rng);
		if (st) {
			lt_free(gk->perm);
			gk->perm = NULL;
			goto fail;
		}
		ek->ngal++;
	}
	lt_free_secret(sx, words * 8);
	*out = ek;
	return LATHE_OK;
fail:
	lt_free_secret(sx, words * 8);
	lathe_evalkeys_free(ek);
	return st;
}

static lathe_status
evalkeys_gen(const lathe_ctx *ctx, const lathe_sk *sk, const uint64_t *elts, size_t n_elts, unsigned parts,
             unsigned glevel, lathe_evalkeys **out, lathe_rng *rng)
{
	return evalkeys_gen_levels(ctx, sk, elts, NULL, n_elts, parts, glevel, out, rng);
}

lathe_status
lt_evalkeys_new_levels(const lathe_ctx *ctx, const lathe_sk *sk, const uint64_t *elts, const unsigned *levels,
                       size_t n_elts, lathe_evalkeys **out, lathe_rng *rng)
{
	const char *fn = "lt_evalkeys_new_levels";
	lathe_status s = check_gen_args(fn, ctx, sk, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, out);
	if (s)
		return s;
	if (n_elts && (!elts || !levels))
		return lt_fail(LATHE_EINVAL, "%s: NULL elements or levels", fn);
	for (size_t i = 0; i < n_elts; i++) {
		if (!lt_galois_elt_valid(ctx, elts[i]))
			return lt_fail(LATHE_EINVAL, "%s: elts[%zu] = %llu is not an odd residue in (1, 2N)", fn, i,
			               (unsigned long long)elts[i]);
		if (levels[i] >= ctx->nq)
			return lt_fail(LATHE_ELEVEL, "%s: a Galois key at level %u above the top level %u", fn, levels[i],
			               ctx->nq - 1);
	}
	return evalkeys_gen_levels(ctx, sk, elts, levels, n_elts, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS,
	                           ctx->nq - 1, out, rng);
}

static lathe_status
check_gen_args(const char *fn, const lathe_ctx *ctx, const lathe_sk *sk, unsigned parts, lathe_evalkeys **out)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(sk);
	LT_CHECK_NULL(out);
	*out = NULL;
	if (parts == 0 || (parts & ~(LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS)) != 0)
		return lt_fail(LATHE_EINVAL, "%s: parts = %#x", fn, parts);
	if (!lt_ctx_same(ctx, sk->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: secret key from another context", fn);
	return LATHE_OK;
}

lathe_status
lathe_evalkeys_new_ex(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                      unsigned parts, lathe_evalkeys **out)
{
	return lathe_evalkeys_new_rng(ctx, sk, rot_steps, n_steps, parts, out, NULL);
}

/* the Galois keys of rot_steps (NULL: the default set) reaching level glevel, and the parts asked for */
static lathe_status
evalkeys_new_steps(const char *fn, const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                   unsigned parts, unsigned glevel, lathe_evalkeys **out, lathe_rng *rng)
{
	lathe_status s = check_gen_args(fn, ctx, sk, parts, out);
	if (s)
		return s;
	if (glevel >= ctx->nq)
		return lt_fail(LATHE_ELEVEL, "%s: Galois keys at level %u above the top level %u", fn, glevel,
		               ctx->nq - 1);
	if (n_steps && !rot_steps)
		return lt_fail(LATHE_EINVAL, "lathe_evalkeys_new: rot_steps is NULL with n_steps = %zu", n_steps);
	const size_t n = ctx->n;
	/* the steps: given, or +-2^i and the row swap */
	int def[80];
	size_t nd = 0;
	if (!(parts & LATHE_EVALKEYS_GALOIS)) {
		rot_steps = def;
		n_steps = 0;
	} else if (!rot_steps) {
		def[nd++] = 0;
		for (size_t k = 1; k < n / 2; k <<= 1) {
			def[nd++] = (int)k;
			def[nd++] = -(int)k;
		}
		rot_steps = def;
		n_steps = nd;
	}
	uint64_t *elts = lt_alloc((n_steps ? n_steps : 1) * sizeof(uint64_t));
	if (!elts)
		return lt_fail(LATHE_ENOMEM, "lathe_evalkeys_new: out of memory");
	size_t ne = 0;
	for (size_t i = 0; i < n_steps; i++) {
		uint64_t g = lt_galois_elt(ctx, rot_steps[i]);
		if (g != 1) /* a step of a multiple of N/2 is the identity: no key */
			elts[ne++] = g;
	}
	s = evalkeys_gen(ctx, sk, elts, ne, parts, glevel, out, rng);
	lt_free(elts);
	return s;
}

lathe_status
lathe_evalkeys_new_rng(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                       unsigned parts, lathe_evalkeys **out, lathe_rng *rng)
{
	return evalkeys_new_steps("lathe_evalkeys_new_ex", ctx, sk, rot_steps, n_steps, parts,
	                          ctx ? ctx->nq - 1 : 0, out, rng);
}

lathe_status
lathe_evalkeys_new_at(const lathe_ctx *ctx, const lathe_sk *sk, const int *rot_steps, size_t n_steps,
                      unsigned galois_level, lathe_evalkeys **out)
{
	return evalkeys_new_steps("lathe_evalkeys_new_at", ctx, sk, rot_steps, n_steps,
	                          LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, galois_level, out, NULL);
}

lathe_status
lathe_evalkeys_new_galois(const lathe_ctx *ctx, const lathe_sk *sk, const uint64_t *elts, size_t n_elts,
                          unsigned parts, lathe_evalkeys **out)
{
	const char *fn = "lathe_evalkeys_new_galois";
	lathe_status s = check_gen_args(fn, ctx, sk, parts, out);
	if (s)
		return s;
	if (n_elts && !elts)
		return lt_fail(LATHE_EINVAL, "%s: elts is NULL with n_elts = %zu", fn, n_elts);
	if (!(parts & LATHE_EVALKEYS_GALOIS))
		n_elts = 0;
	for (size_t i = 0; i < n_elts; i++)
		if (!lt_galois_elt_valid(ctx, elts[i]))
			return lt_fail(LATHE_EINVAL, "%s: elts[%zu] = %llu is not an odd residue in (1, 2N = %llu)", fn, i,
			               (unsigned long long)elts[i], (unsigned long long)(2 * ctx->n));
	return evalkeys_gen(ctx, sk, elts, n_elts, parts, ctx->nq - 1, out, NULL);
}
