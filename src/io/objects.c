/*
 * Serialization of contexts, public keys, evaluation keys, plaintexts and
 * ciphertexts (docs/format.md). Loaders check every count and length
 * against the context before allocating, and every word against its prime.
 * Every object made under a key starts its body with the key id; the
 * public key's is recomputed from the loaded key and must match.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include <lathe/io.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/sample.h"
#include "format.h"

/* ---- limbs ---- */

static void
w_limbs(lt_writer *w, const lathe_ctx *c, const uint64_t *words, unsigned first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		lt_w_packed(w, words + (size_t)i * c->n, c->n, c->ring.mod[first + i].bits);
}

static int
r_limbs(lt_reader *r, const lathe_ctx *c, uint64_t *words, unsigned first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		if (!lt_r_packed(r, words + (size_t)i * c->n, c->n, c->ring.mod[first + i].bits, c->ring.mod[first + i].q))
			return 0;
	return 1;
}

static size_t
limbs_len(const lathe_ctx *c, unsigned first, unsigned count)
{
	size_t s = 0;
	for (unsigned i = 0; i < count; i++)
		s += lt_packed_len(c->n, c->ring.mod[first + i].bits);
	return s;
}

static lathe_status
check_ctx_hash(const char *fn, const lathe_ctx *ctx, const lt_header *h)
{
	if (memcmp(h->hash, ctx->hash, LT_HASH_LEN) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the object was made under other parameters than this context", fn);
	return LATHE_OK;
}

/* Checks buf as an object of `kind` made under ctx's parameters. */
static lathe_status
open_object(const char *fn, const lathe_ctx *ctx, const uint8_t *buf, size_t len, uint16_t kind, lt_header *h)
{
	lathe_status s = lt_parse(fn, buf, len, kind, h, LATHE_ECORRUPT);
	if (s == LATHE_OK)
		s = check_ctx_hash(fn, ctx, h);
	return s;
}

static lathe_status
corrupt(const char *fn, const char *what)
{
	return lt_fail(LATHE_ECORRUPT, "%s: %s", fn, what);
}

/* ---- context ---- */

/* u8 log2 N, u8 r, u16 security, u64 p, u16 L+1, u16 k, u16 alpha, then the primes */
#define CTX_FIXED 18
#define CTX_MAX_BODY (CTX_FIXED + 8 * (LT_MAX_CHAIN + LT_MAX_SPECIAL))

lathe_status
lathe_ctx_to_buffer(const lathe_ctx *ctx, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	lt_w_u8(&w, (uint8_t)ctx->logn);
	lt_w_u8(&w, (uint8_t)ctx->par.t_exp);
	lt_w_u16(&w, (uint16_t)ctx->par.security);
	lt_w_u64(&w, ctx->par.t_prime);
	lt_w_u16(&w, (uint16_t)ctx->nq);
	lt_w_u16(&w, (uint16_t)ctx->np);
	lt_w_u16(&w, (uint16_t)ctx->alpha);
	for (unsigned i = 0; i < ctx->nq + ctx->np; i++)
		lt_w_u64(&w, ctx->ring.mod[i].q);
	lt_w_finish(&w, LT_KIND_CTX, ctx->hash);
	return lt_w_take(&w, "lathe_ctx_to_buffer", buf, len);
}

lathe_status
lathe_ctx_from_buffer(const uint8_t *buf, size_t len, lathe_ctx **out)
{
	const char *fn = "lathe_ctx_from_buffer";
	LT_CHECK_NULL(out);
	*out = NULL;
	lt_header h;
	lathe_status s = lt_parse(fn, buf, len, LT_KIND_CTX, &h, LATHE_ECORRUPT);
	if (s)
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	lathe_params p;
	memset(&p, 0, sizeof(p));
	p.logn = lt_r_u8(&r);
	p.t_exp = lt_r_u8(&r);
	p.security = (lathe_security)lt_r_u16(&r);
	p.t_prime = lt_r_u64(&r);
	unsigned nq = lt_r_u16(&r), np = lt_r_u16(&r), alpha = lt_r_u16(&r);
	if (r.failed)
		return corrupt(fn, "truncated parameters");
	if (p.logn < 10 || p.logn > 17 || p.t_exp < 1 || p.t_exp > 60 || nq < 1 || nq > LT_MAX_CHAIN || np < 1 ||
	    np > LT_MAX_SPECIAL || alpha < 1 || alpha > nq)
		return corrupt(fn, "parameters out of range");
	if (p.security != LATHE_SECURITY_NONE && p.security != LATHE_SECURITY_128 && p.security != LATHE_SECURITY_192 &&
	    p.security != LATHE_SECURITY_256)
		return corrupt(fn, "unknown security level");
	if (r.left != (size_t)(nq + np) * 8)
		return corrupt(fn, "prime list length does not match the counts");
	uint64_t q[LT_MAX_CHAIN + LT_MAX_SPECIAL];
	for (unsigned i = 0; i < nq + np; i++)
		q[i] = lt_r_u64(&r);
	p.secret = LATHE_SECRET_TERNARY;
	p.nchain = nq;
	for (unsigned i = 0; i < nq; i++)
		p.chain_bits[i] = 64 - (unsigned)__builtin_clzll(q[i] | 1);
	p.dnum = (nq + alpha - 1) / alpha;
	lathe_ctx *c;
	s = lt_ctx_new_primes(&p, q, nq, np, alpha, &c);
	if (s)
		return s;
	if (memcmp(c->hash, h.hash, LT_HASH_LEN) != 0) {
		lathe_ctx_free(c);
		return corrupt(fn, "the parameter hash does not match the parameters");
	}
	*out = c;
	return LATHE_OK;
}

/* ---- public key ---- */

/* key id, seed of a, b */
static void
w_pk_body(lt_writer *w, const lathe_pk *pk)
{
	lt_w_bytes(w, pk->keyid, LT_KEYID_BYTES);
	lt_w_bytes(w, pk->seed, LT_SEED_BYTES);
	w_limbs(w, pk->ctx, pk->b, 0, pk->ctx->nq);
}

/* bytes of the key id in a body of format version ver (none before version 2) */
static size_t
id_len(unsigned ver)
{
	return ver >= 2 ? LT_KEYID_BYTES : 0;
}

static size_t
pk_body_len_v(const lathe_ctx *c, unsigned ver)
{
	return id_len(ver) + LT_SEED_BYTES + limbs_len(c, 0, c->nq);
}

static size_t
pk_body_len(const lathe_ctx *c)
{
	return pk_body_len_v(c, LATHE_FORMAT_VERSION);
}

static void
id_hex16(char out[17], const uint8_t id[LT_KEYID_BYTES])
{
	char full[2 * LT_KEYID_BYTES + 1];
	lathe_key_id_hex(id, full);
	memcpy(out, full, 16);
	out[16] = '\0';
}

/* the key id a public key's file names must be the one its material hashes to */
static lathe_status
check_pk_id(const char *fn, const lathe_pk *pk, const uint8_t stored[LT_KEYID_BYTES])
{
	if (memcmp(pk->keyid, stored, LT_KEYID_BYTES) == 0)
		return LATHE_OK;
	char hs[17], hc[17];
	id_hex16(hs, stored);
	id_hex16(hc, pk->keyid);
	return lt_fail(LATHE_ECORRUPT, "%s: the file names key %s but the public key it holds is key %s", fn, hs, hc);
}

/* a public key body of format version ver; version 1 stored no id: it is computed */
static lathe_status
r_pk_body(const char *fn, lt_reader *r, const lathe_ctx *ctx, unsigned ver, lathe_pk **out)
{
	if (r->left < pk_body_len_v(ctx, ver))
		return corrupt(fn, "public key truncated");
	lathe_pk *pk = lt_calloc(1, sizeof(*pk));
	size_t w = lt_comp_words(ctx);
	if (pk) {
		pk->ctx = ctx;
		pk->a = lt_alloc(w * 8);
		pk->b = lt_alloc(w * 8);
	}
	if (!pk || !pk->a || !pk->b) {
		lathe_pk_free(pk);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	uint8_t stored[LT_KEYID_BYTES];
	if (ver >= 2)
		lt_r_bytes(r, stored, LT_KEYID_BYTES);
	lt_r_bytes(r, pk->seed, LT_SEED_BYTES);
	if (!r_limbs(r, ctx, pk->b, 0, ctx->nq)) {
		lathe_pk_free(pk);
		return corrupt(fn, "public key word not below its prime");
	}
	lt_pk_expand(pk);
	lt_keyid_compute(pk, pk->keyid);
	if (ver < 2)
		memcpy(stored, pk->keyid, LT_KEYID_BYTES);
	lathe_status s = check_pk_id(fn, pk, stored);
	if (s) {
		lathe_pk_free(pk);
		return s;
	}
	*out = pk;
	return LATHE_OK;
}

lathe_status
lathe_pk_to_buffer(const lathe_pk *pk, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(pk);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	w_pk_body(&w, pk);
	lt_w_finish(&w, LT_KIND_PK, pk->ctx->hash);
	return lt_w_take(&w, "lathe_pk_to_buffer", buf, len);
}

lathe_status
lathe_pk_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_pk **out)
{
	const char *fn = "lathe_pk_from_buffer";
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	*out = NULL;
	lt_header h;
	lathe_status s = open_object(fn, ctx, buf, len, LT_KIND_PK, &h);
	if (s)
		return s;
	if (h.body_len != pk_body_len_v(ctx, h.version))
		return corrupt(fn, "body length does not match the context");
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	return r_pk_body(fn, &r, ctx, h.version, out);
}

/* ---- evaluation keys ---- */

static size_t
ksk_len(const lathe_ctx *c)
{
	return LT_SEED_BYTES + c->dnum * limbs_len(c, 0, c->nq + c->np);
}

static void
w_ksk(lt_writer *w, const lathe_ctx *c, const lt_ksk *k)
{
	const size_t words = (size_t)(c->nq + c->np) * c->n;
	lt_w_bytes(w, k->seed, LT_SEED_BYTES);
	for (unsigned j = 0; j < c->dnum; j++)
		w_limbs(w, c, k->b + j * words, 0, c->nq + c->np);
}

static int
r_ksk(lt_reader *r, const lathe_ctx *c, lt_ksk *k)
{
	const size_t words = (size_t)(c->nq + c->np) * c->n;
	memset(k, 0, sizeof(*k));
	k->a = lt_alloc(c->dnum * words * 8);
	k->b = lt_alloc(c->dnum * words * 8);
	if (!k->a || !k->b)
		return -1;
	lt_r_bytes(r, k->seed, LT_SEED_BYTES);
	for (unsigned j = 0; j < c->dnum; j++)
		if (!r_limbs(r, c, k->b + j * words, 0, c->nq + c->np))
			return 0;
	lt_ksk_expand(c, k);
	return 1;
}

lathe_status
lathe_evalkeys_to_buffer(const lathe_evalkeys *ek, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(ek);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	const lathe_ctx *c = ek->ctx;
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	lt_w_bytes(&w, ek->keyid, LT_KEYID_BYTES);
	lt_w_u8(&w, (uint8_t)(ek->has_relin != 0));
	lt_w_u8(&w, (uint8_t)(ek->pk != NULL));
	lt_w_u32(&w, (uint32_t)ek->ngal);
	if (ek->pk)
		w_pk_body(&w, ek->pk);
	if (ek->has_relin)
		w_ksk(&w, c, &ek->relin);
	for (size_t i = 0; i < ek->ngal; i++) {
		lt_w_u64(&w, ek->gal[i].g);
		w_ksk(&w, c, &ek->gal[i].k);
	}
	lt_w_finish(&w, LT_KIND_EVALKEYS, c->hash);
	return lt_w_take(&w, "lathe_evalkeys_to_buffer", buf, len);
}

lathe_status
lathe_evalkeys_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_evalkeys **out)
{
	const char *fn = "lathe_evalkeys_from_buffer";
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	*out = NULL;
	lt_header h;
	lathe_status s = open_object(fn, ctx, buf, len, LT_KIND_EVALKEYS, &h);
	if (s)
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	const unsigned ver = h.version;
	uint8_t id[LT_KEYID_BYTES] = { 0 };
	if (ver >= 2)
		lt_r_bytes(&r, id, LT_KEYID_BYTES);
	unsigned has_relin = lt_r_u8(&r), has_pk = lt_r_u8(&r);
	uint64_t ngal = lt_r_u32(&r);
	if (r.failed || has_relin > 1 || has_pk > 1)
		return corrupt(fn, "bad header fields");
	/* exact length from the counts, before any allocation */
	const size_t kl = ksk_len(ctx);
	if (ngal > ctx->n - 1)
		return corrupt(fn, "more Galois keys than Galois elements");
	/* a Galois key: its element (u64; version 1: the i32 rotation step), then the key */
	const size_t gl = ver >= 2 ? 8 : 4;
	size_t need = (has_pk ? pk_body_len_v(ctx, ver) : 0) + (has_relin ? kl : 0) + (size_t)ngal * (gl + kl);
	if (r.left != need)
		return corrupt(fn, "body length does not match the key counts");
	lathe_evalkeys *ek = lt_calloc(1, sizeof(*ek));
	if (!ek)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	ek->ctx = ctx;
	memcpy(ek->keyid, id, LT_KEYID_BYTES);
	ek->gal = lt_calloc(ngal ? ngal : 1, sizeof(lt_galois_key));
	if (!ek->gal) {
		lathe_evalkeys_free(ek);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	if (has_pk && (s = r_pk_body(fn, &r, ctx, ver, &ek->pk))) {
		lathe_evalkeys_free(ek);
		return s;
	}
	/* version 1 named no key: a bundle carrying its public key takes that key's id, else it stays unbound */
	if (ver < 2 && has_pk)
		memcpy(ek->keyid, ek->pk->keyid, LT_KEYID_BYTES);
	if (ver < 2)
		memcpy(id, ek->keyid, LT_KEYID_BYTES);
	/* the public key the bundle carries must be the bundle's own */
	if (has_pk && memcmp(ek->pk->keyid, id, LT_KEYID_BYTES) != 0) {
		char hb[17], hp[17];
		id_hex16(hb, id);
		id_hex16(hp, ek->pk->keyid);
		lathe_evalkeys_free(ek);
		return lt_fail(LATHE_ECORRUPT, "%s: the bundle names key %s but the public key it carries is key %s", fn,
		               hb, hp);
	}
	if (has_relin) {
		int k = r_ksk(&r, ctx, &ek->relin);
		ek->has_relin = 1;
		if (k <= 0) {
			lathe_evalkeys_free(ek);
			return k < 0 ? lt_fail(LATHE_ENOMEM, "%s: out of memory", fn)
			             : corrupt(fn, "relinearization key word not below its prime");
		}
	}
	const long half = (long)(ctx->n / 2);
	for (size_t i = 0; i < ngal; i++) {
		uint64_t g;
		if (ver >= 2) {
			g = lt_r_u64(&r);
		} else {
			int32_t step = (int32_t)lt_r_u32(&r);
			if (step <= -half || step >= half) {
				lathe_evalkeys_free(ek);
				return corrupt(fn, "rotation step out of range");
			}
			g = lt_galois_elt(ctx, step);
		}
		if (!lt_galois_elt_valid(ctx, g)) {
			lathe_evalkeys_free(ek);
			return corrupt(fn, "Galois element not an odd residue in (1, 2N)");
		}
		if (lathe_evalkeys_has_galois(ek, g)) {
			lathe_evalkeys_free(ek);
			return corrupt(fn, "two keys for one Galois element");
		}
		lt_galois_key *gk = &ek->gal[ek->ngal];
		int k = lt_galois_key_init(ctx, gk, g) == LATHE_OK ? r_ksk(&r, ctx, &gk->k) : -1;
		ek->ngal++;
		if (k <= 0) {
			lathe_evalkeys_free(ek);
			return k < 0 ? lt_fail(LATHE_ENOMEM, "%s: out of memory", fn)
			             : corrupt(fn, "Galois key word not below its prime");
		}
	}
	*out = ek;
	return LATHE_OK;
}

/* ---- plaintexts ---- */

static unsigned
t_bits(const lathe_ctx *c)
{
	return 64 - (unsigned)__builtin_clzll((c->t - 1) | 1);
}

/* key id, then the N coefficients */
static size_t
pt_body_len(const lathe_ctx *c)
{
	return LT_KEYID_BYTES + lt_packed_len(c->n, t_bits(c));
}

lathe_status
lathe_pt_to_buffer(const lathe_pt *pt, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(pt);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	lt_w_bytes(&w, pt->keyid, LT_KEYID_BYTES);
	lt_w_packed(&w, pt->m, pt->ctx->n, t_bits(pt->ctx));
	lt_w_finish(&w, LT_KIND_PT, pt->ctx->hash);
	return lt_w_take(&w, "lathe_pt_to_buffer", buf, len);
}

lathe_status
lathe_pt_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_pt **out)
{
	const char *fn = "lathe_pt_from_buffer";
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	*out = NULL;
	lt_header h;
	lathe_status s = open_object(fn, ctx, buf, len, LT_KIND_PT, &h);
	if (s)
		return s;
	if (h.body_len != pt_body_len(ctx) - LT_KEYID_BYTES + id_len(h.version))
		return corrupt(fn, "body length does not match the context");
	lathe_pt *pt;
	if ((s = lathe_pt_new(ctx, &pt)))
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	if (h.version >= 2)
		lt_r_bytes(&r, pt->keyid, LT_KEYID_BYTES); /* version 1: unbound */
	if (!lt_r_packed(&r, pt->m, ctx->n, t_bits(ctx), ctx->t)) {
		lathe_pt_free(pt);
		return corrupt(fn, "coefficient not below t");
	}
	*out = pt;
	return LATHE_OK;
}

/* ---- ciphertexts ---- */

static void
w_ct_body(lt_writer *w, const lathe_ct *ct)
{
	const lathe_ctx *c = ct->ctx;
	lt_w_bytes(w, ct->keyid, LT_KEYID_BYTES);
	lt_w_u32(w, ct->level);
	lt_w_u8(w, (uint8_t)ct->size);
	lt_w_u8(w, (uint8_t)(ct->seeded != 0));
	lt_w_u16(w, 0);
	lt_w_u64(w, ct->fac);
	uint64_t nb;
	memcpy(&nb, &ct->noise, sizeof nb);
	lt_w_u64(w, nb);
	if (ct->seeded) {
		lt_w_bytes(w, ct->seed, LT_SEED_BYTES);
		w_limbs(w, c, lt_ct_comp(ct, 0), 0, ct->level + 1);
	} else {
		for (unsigned k = 0; k < ct->size; k++)
			w_limbs(w, c, lt_ct_comp(ct, k), 0, ct->level + 1);
	}
}

/* key id, u32 level, u8 components, u8 seeded, u16 zero, u64 factor, u64 noise */
#define CT_FIXED LT_CT_FIXED

static size_t
ct_body_len_v(const lathe_ctx *c, unsigned level, unsigned size, int seeded, unsigned ver)
{
	size_t limbs = limbs_len(c, 0, level + 1);
	return CT_FIXED - LT_KEYID_BYTES + id_len(ver) + (seeded ? LT_SEED_BYTES + limbs : size * limbs);
}

static size_t
ct_body_len(const lathe_ctx *c, unsigned level, unsigned size, int seeded)
{
	return ct_body_len_v(c, level, size, seeded, LATHE_FORMAT_VERSION);
}

/* the shortest ciphertext body ctx allows: 2 components at level 0, or seeded at the top */
static size_t
ct_min_body_len(const lathe_ctx *c, unsigned ver)
{
	size_t a = ct_body_len_v(c, 0, 2, 0, ver), b = ct_body_len_v(c, c->nq - 1, 2, 1, ver);
	return a < b ? a : b;
}

static size_t
ct_max_body_len(const lathe_ctx *c)
{
	return ct_body_len(c, c->nq - 1, 3, 0);
}

/* reads one ciphertext body of exactly `len` bytes, of format version ver (version 1: unbound) */
static lathe_status
r_ct_body(const char *fn, const lathe_ctx *ctx, const uint8_t *p, size_t len, unsigned ver, lathe_ct **out)
{
	lt_reader r;
	lt_r_init(&r, p, len);
	uint8_t id[LT_KEYID_BYTES] = { 0 };
	if (ver >= 2)
		lt_r_bytes(&r, id, LT_KEYID_BYTES);
	uint32_t level = lt_r_u32(&r);
	unsigned size = lt_r_u8(&r), seeded = lt_r_u8(&r), res = lt_r_u16(&r);
	uint64_t fac = lt_r_u64(&r), nb = lt_r_u64(&r);
	double noise;
	memcpy(&noise, &nb, sizeof noise);
	if (r.failed)
		return corrupt(fn, "ciphertext header truncated");
	if (level >= ctx->nq)
		return corrupt(fn, "level out of range");
	if ((size != 2 && size != 3) || seeded > 1 || res != 0 || (seeded && (size != 2 || level != ctx->nq - 1)))
		return corrupt(fn, "bad ciphertext shape");
	if (fac == 0 || fac >= ctx->t || n_gcd(fac, ctx->t) != 1)
		return corrupt(fn, "plaintext factor not a unit mod t");
	if (!isfinite(noise) || noise < -1e9 || noise > 1e5)
		return corrupt(fn, "noise estimate not a finite number in range");
	if (len != ct_body_len_v(ctx, level, size, (int)seeded, ver))
		return corrupt(fn, "ciphertext length does not match its level and size");
	/* allocated once at its final number of components */
	lathe_ct *ct = lt_calloc(1, sizeof(*ct));
	if (!ct)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	ct->ctx = ctx;
	lathe_status s = lt_ct_reserve(ct, size, level);
	if (s) {
		lt_free(ct);
		return s;
	}
	ct->level = level;
	ct->size = size;
	ct->fac = fac;
	ct->noise = noise;
	ct->seeded = (int)seeded;
	memcpy(ct->keyid, id, LT_KEYID_BYTES);
	int ok;
	if (seeded) {
		lt_r_bytes(&r, ct->seed, LT_SEED_BYTES);
		ok = r_limbs(&r, ctx, lt_ct_comp(ct, 0), 0, level + 1);
		lt_poly c1 = lt_ct_poly(ct, 1);
		(void)lt_sample_uniform(&c1, ct->seed, LT_STREAM_CT);
	} else {
		ok = 1;
		for (unsigned k = 0; k < size && ok; k++)
			ok = r_limbs(&r, ctx, lt_ct_comp(ct, k), 0, level + 1);
	}
	if (!ok) {
		lathe_ct_free(ct);
		return corrupt(fn, "ciphertext word not below its prime");
	}
	*out = ct;
	return LATHE_OK;
}

lathe_status
lathe_ct_to_buffer(const lathe_ct *ct, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(ct);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	w_ct_body(&w, ct);
	lt_w_finish(&w, LT_KIND_CT, ct->ctx->hash);
	return lt_w_take(&w, "lathe_ct_to_buffer", buf, len);
}

lathe_status
lathe_ct_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_ct **out)
{
	const char *fn = "lathe_ct_from_buffer";
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	*out = NULL;
	lt_header h;
	lathe_status s = open_object(fn, ctx, buf, len, LT_KIND_CT, &h);
	if (s)
		return s;
	return r_ct_body(fn, ctx, h.body, h.body_len, h.version, out);
}

lathe_status
lathe_ct_batch_to_buffer(const lathe_ct *const *cts, size_t n, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	if (n == 0 || !cts)
		return lt_fail(LATHE_EINVAL, "lathe_ct_batch_to_buffer: empty batch");
	for (size_t i = 0; i < n; i++) {
		if (!cts[i])
			return lt_fail(LATHE_EINVAL, "lathe_ct_batch_to_buffer: cts[%zu] is NULL", i);
		if (!lt_ctx_same(cts[0]->ctx, cts[i]->ctx))
			return lt_fail(LATHE_EMISMATCH, "lathe_ct_batch_to_buffer: cts[%zu] from another context", i);
	}
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	lt_w_u64(&w, n);
	for (size_t i = 0; i < n; i++) {
		const lathe_ct *ct = cts[i];
		lt_w_u64(&w, ct_body_len(ct->ctx, ct->level, ct->size, ct->seeded));
		w_ct_body(&w, ct);
	}
	lt_w_finish(&w, LT_KIND_CT_BATCH, cts[0]->ctx->hash);
	return lt_w_take(&w, "lathe_ct_batch_to_buffer", buf, len);
}

lathe_status
lathe_ct_batch_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_ct ***out, size_t *n_out)
{
	const char *fn = "lathe_ct_batch_from_buffer";
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(out);
	LT_CHECK_NULL(n_out);
	*out = NULL;
	*n_out = 0;
	lt_header h;
	lathe_status s = open_object(fn, ctx, buf, len, LT_KIND_CT_BATCH, &h);
	if (s)
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	uint64_t n = lt_r_u64(&r);
	/* every record takes at least its length field and the smallest ciphertext: the count must fit */
	if (r.failed || n == 0 || n > r.left / (8 + ct_min_body_len(ctx, h.version)))
		return corrupt(fn, "record count out of range");
	lathe_ct **cts = lt_malloc((size_t)n * sizeof(*cts));
	if (cts)
		memset(cts, 0, (size_t)n * sizeof(*cts));
	if (!cts)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t i = 0; i < n; i++) {
		uint64_t l = lt_r_u64(&r);
		if (r.failed || l > r.left) {
			s = corrupt(fn, "record length out of range");
		} else {
			s = r_ct_body(fn, ctx, r.p, (size_t)l, h.version, &cts[i]);
			r.p += l;
			r.left -= (size_t)l;
		}
		if (s) {
			for (size_t j = 0; j < i; j++)
				lathe_ct_free(cts[j]);
			free(cts);
			return s;
		}
	}
	if (r.left != 0) {
		for (size_t j = 0; j < n; j++)
			lathe_ct_free(cts[j]);
		free(cts);
		return corrupt(fn, "trailing bytes after the last record");
	}
	*out = cts;
	*n_out = (size_t)n;
	return LATHE_OK;
}

/* ---- files ---- */

/* After a failing *_from_buffer on a file's bytes: the same sentence, naming the file. */
static lathe_status
name_file(lathe_status s, const char *fn, const char *path)
{
	if (s == LATHE_OK)
		return s;
	char inner[512];
	snprintf(inner, sizeof inner, "%s", lathe_last_error());
	return lt_fail(s, "%s: '%s': %s", fn, path, inner);
}

#define SAVE(fnname, type, tobuf, obj) \
	lathe_status fnname(const type *obj, const char *path) \
	{ \
		LT_CHECK_NULL(obj); \
		LT_CHECK_NULL(path); \
		uint8_t *b; \
		size_t l; \
		lathe_status s = tobuf(obj, &b, &l); \
		if (s) \
			return s; \
		s = lt_write_file(#fnname, path, b, l, 0); \
		lathe_buffer_free(b); \
		return s; \
	}

/* max_body: the largest body ctx allows for this kind, checked before the body is read */
#define LOAD(fnname, type, frombuf, kind, max_body) \
	lathe_status fnname(const lathe_ctx *ctx, const char *path, type **out) \
	{ \
		LT_CHECK_NULL(out); \
		*out = NULL; \
		LT_CHECK_NULL(ctx); \
		LT_CHECK_NULL(path); \
		uint8_t *b; \
		size_t l; \
		lathe_status s = lt_read_file(#fnname, path, kind, max_body, &b, &l, NULL); \
		if (s) \
			return s; \
		s = name_file(frombuf(ctx, b, l, out), #fnname, path); \
		free(b); \
		return s; \
	}

/* a bundle holds at most one key per Galois element (N/2 of them) */
static uint64_t
evalkeys_max_body_len(const lathe_ctx *c)
{
	return 6 + LT_KEYID_BYTES + pk_body_len(c) + ksk_len(c) + (uint64_t)(c->n - 1) * (8 + ksk_len(c));
}

SAVE(lathe_ctx_save, lathe_ctx, lathe_ctx_to_buffer, ctx)
SAVE(lathe_pk_save, lathe_pk, lathe_pk_to_buffer, pk)
SAVE(lathe_evalkeys_save, lathe_evalkeys, lathe_evalkeys_to_buffer, ek)
SAVE(lathe_ct_save, lathe_ct, lathe_ct_to_buffer, ct)
LOAD(lathe_pk_load, lathe_pk, lathe_pk_from_buffer, LT_KIND_PK, pk_body_len(ctx))
LOAD(lathe_evalkeys_load, lathe_evalkeys, lathe_evalkeys_from_buffer, LT_KIND_EVALKEYS, evalkeys_max_body_len(ctx))
LOAD(lathe_ct_load, lathe_ct, lathe_ct_from_buffer, LT_KIND_CT, ct_max_body_len(ctx))

lathe_status
lathe_ctx_load(const char *path, lathe_ctx **out)
{
	const char *fn = "lathe_ctx_load";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lathe_status s = lt_read_file(fn, path, LT_KIND_CTX, CTX_MAX_BODY, &b, &l, NULL);
	if (s)
		return s;
	s = name_file(lathe_ctx_from_buffer(b, l, out), fn, path);
	free(b);
	return s;
}

lathe_status
lathe_ct_batch_save(const lathe_ct *const *cts, size_t n, const char *path)
{
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lathe_status s = lathe_ct_batch_to_buffer(cts, n, &b, &l);
	if (s)
		return s;
	s = lt_write_file("lathe_ct_batch_save", path, b, l, 0);
	lathe_buffer_free(b);
	return s;
}

lathe_status
lathe_ct_batch_load(const lathe_ctx *ctx, const char *path, lathe_ct ***out, size_t *n_out)
{
	const char *fn = "lathe_ct_batch_load";
	LT_CHECK_NULL(out);
	LT_CHECK_NULL(n_out);
	*out = NULL;
	*n_out = 0;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	/* no cheap bound on the count: the file's size bounds it, and the body is checked before any allocation */
	lathe_status s = lt_read_file(fn, path, LT_KIND_CT_BATCH, UINT64_MAX, &b, &l, NULL);
	if (s)
		return s;
	s = name_file(lathe_ct_batch_from_buffer(ctx, b, l, out, n_out), fn, path);
	free(b);
	return s;
}
