/*
 * Serialization of the context, the public key and the evaluation keys
 * (docs/format.md): the objects a key owner makes once and hands to those
 * who encrypt and evaluate. Loaders check every count and length against
 * the context before allocating, and every word against its prime. The
 * public key's id is recomputed from the loaded key and must match the id
 * stored before it; an evaluation-key bundle that carries its public key
 * must name that key.
 */
#include <math.h>
#include <string.h>

#include <lathe/io.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "objects.h"

/* ---- context ---- */

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
	const int boot = ctx->npm > 1, mp = ctx->par.parties > 1;
	if (boot || mp) {
		lt_w_u8(&w, (uint8_t)ctx->par.boot_exp);
		lt_w_u16(&w, (uint16_t)ctx->par.boot_h);
	}
	/* version 6: keys shared by parties (never bootstrappable: e = h = 0 before it) */
	if (mp)
		lt_w_u8(&w, (uint8_t)ctx->par.parties);
	lt_w_finish_v(&w, LT_KIND_CTX, ctx->hash, mp ? 6 : boot ? 4 : LT_FORMAT_BASE);
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
		return lt_corrupt(fn, "truncated parameters");
	if (p.logn < 10 || p.logn > 17 || p.t_exp < 1 || p.t_exp > 60 || nq < 1 || nq > LT_MAX_CHAIN || np < 1 ||
	    np > LT_MAX_SPECIAL || alpha < 1 || alpha > nq)
		return lt_corrupt(fn, "parameters out of range");
	if (p.security != LATHE_SECURITY_NONE && p.security != LATHE_SECURITY_128 && p.security != LATHE_SECURITY_192 &&
	    p.security != LATHE_SECURITY_256)
		return lt_corrupt(fn, "unknown security level");
	const size_t boot_len = h.version >= 4 ? LT_CTX_BOOT : 0, mp_len = h.version >= 6 ? 1 : 0;
	if (r.left != (size_t)(nq + np) * 8 + boot_len + mp_len)
		return lt_corrupt(fn, "prime list length does not match the counts");
	uint64_t q[LT_MAX_CHAIN + LT_MAX_SPECIAL];
	for (unsigned i = 0; i < nq + np; i++)
		q[i] = lt_r_u64(&r);
	if (boot_len) {
		/* version 4 is written only for a bootstrappable context: e = r + 1, 1 <= h <= N */
		p.boot_exp = lt_r_u8(&r);
		p.boot_h = lt_r_u16(&r);
		if (mp_len) {
			/* version 6 only for keys shared by 2 or more parties, which no bootstrapping serves */
			p.parties = lt_r_u8(&r);
			if (p.boot_exp != 0 || p.boot_h != 0)
				return lt_corrupt(fn, "bootstrapping parameters in a context of shared keys");
			if (p.parties < 2 || p.parties > LATHE_MAX_PARTIES)
				return lt_corrupt(fn, "number of parties out of range");
		} else if (p.boot_exp != p.t_exp + 1 || p.boot_h < 1 || p.boot_h > ((size_t)1 << p.logn)) {
			return lt_corrupt(fn, "bootstrapping parameters out of range");
		}
	}
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
		return lt_corrupt(fn, "the parameter hash does not match the parameters");
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
	lt_w_limbs(w, pk->ctx, pk->b, 0, pk->ctx->nq);
}

static size_t
pk_body_len_v(const lathe_ctx *c, unsigned ver)
{
	return lt_id_len(ver) + LT_SEED_BYTES + lt_limbs_len(c, 0, c->nq);
}

size_t
lt_pk_body_len(const lathe_ctx *c)
{
	return pk_body_len_v(c, LATHE_FORMAT_VERSION);
}

/* the key id a public key's file names must be the one its material hashes to */
static lathe_status
check_pk_id(const char *fn, const lathe_pk *pk, const uint8_t stored[LT_KEYID_BYTES])
{
	if (memcmp(pk->keyid, stored, LT_KEYID_BYTES) == 0)
		return LATHE_OK;
	char hs[17], hc[17];
	lt_id_hex16(hs, stored);
	lt_id_hex16(hc, pk->keyid);
	return lt_fail(LATHE_ECORRUPT, "%s: the file names key %s but the public key it holds is key %s", fn, hs, hc);
}

/* a public key body of format version ver; version 1 stored no id: it is computed */
static lathe_status
r_pk_body(const char *fn, lt_reader *r, const lathe_ctx *ctx, unsigned ver, lathe_pk **out)
{
	if (r->left < pk_body_len_v(ctx, ver))
		return lt_corrupt(fn, "public key truncated");
	lathe_pk *pk = NULL;
	lathe_status as = lt_pk_alloc(fn, ctx, &pk);
	if (as || !pk)
		return as ? as : LATHE_ENOMEM;
	uint8_t stored[LT_KEYID_BYTES];
	if (ver >= 2)
		lt_r_bytes(r, stored, LT_KEYID_BYTES);
	lt_r_bytes(r, pk->seed, LT_SEED_BYTES);
	if (!lt_r_limbs(r, ctx, pk->b, 0, ctx->nq)) {
		lathe_pk_free(pk);
		return lt_corrupt(fn, "public key word not below its prime");
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
	lathe_status s = lt_open_object(fn, ctx, buf, len, LT_KIND_PK, &h);
	if (s)
		return s;
	if (h.body_len != pk_body_len_v(ctx, h.version))
		return lt_corrupt(fn, "body length does not match the context");
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	return r_pk_body(fn, &r, ctx, h.version, out);
}

/* ---- evaluation keys ---- */

/* a key reaching level kl: its seed, then lt_ks_digits(kl) digits over q_0..q_kl, P */
static size_t
ksk_len_at(const lathe_ctx *c, unsigned kl)
{
	return LT_SEED_BYTES +
	       lt_ks_digits(c, kl) * (lt_limbs_len(c, 0, kl + 1) + lt_limbs_len(c, c->nq, c->np));
}

static size_t
ksk_len(const lathe_ctx *c)
{
	return ksk_len_at(c, c->nq - 1);
}

/*
 * Bootstrapping's keys (version 5): the encapsulation key's seed and b
 * (mod q_0, mod p_0), then Enc_s(s'): u64 factor, u64 noise, both
 * components over the whole chain.
 */
static size_t
boot_len(const lathe_ctx *c)
{
	return LT_SEED_BYTES + lt_limbs_len(c, 0, 1) + lt_limbs_len(c, c->nq, 1) + 16 + 2 * lt_limbs_len(c, 0, c->nq);
}

/* a bundle holds at most one key per Galois element (N/2 of them), each with its u16 level in version 3 */
uint64_t
lt_evalkeys_max_body_len(const lathe_ctx *c)
{
	/* a bundle of shared keys (version 6) stores its relinearization key's a parts too */
	return 6 + LT_KEYID_BYTES + lt_pk_body_len(c) + 2 * ksk_len(c) + (uint64_t)(c->n - 1) * (10 + ksk_len(c)) +
	       (c->npm > 1 ? boot_len(c) : 0);
}

static void
w_boot(lt_writer *w, const lathe_ctx *c, const lt_boot_raw *b)
{
	lt_w_bytes(w, b->seed, LT_SEED_BYTES);
	lt_w_limbs(w, c, b->b, 0, 1);
	lt_w_limbs(w, c, b->b + c->n, c->nq, 1);
	lt_w_u64(w, b->bk->fac);
	uint64_t nb;
	memcpy(&nb, &b->bk->noise, sizeof nb);
	lt_w_u64(w, nb);
	for (unsigned k = 0; k < 2; k++)
		lt_w_limbs(w, c, lt_ct_comp(b->bk, k), 0, c->nq);
}

/* reads what w_boot writes (exactly boot_len(c) bytes left) into ek->boot */
static lathe_status
r_boot(const char *fn, lt_reader *r, const lathe_ctx *c, lathe_evalkeys *ek)
{
	const size_t n = c->n;
	lt_boot_raw *b = lt_calloc(1, sizeof(*b));
	if (!b)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	ek->boot = b;
	b->b = lt_alloc(2 * n * 8);
	lathe_status s = b->b ? lt_ct_alloc(fn, c, 2, c->nq - 1, &b->bk) : LATHE_ENOMEM;
	if (s || !b->bk)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	lt_r_bytes(r, b->seed, LT_SEED_BYTES);
	if (!lt_r_limbs(r, c, b->b, 0, 1) || !lt_r_limbs(r, c, b->b + n, c->nq, 1))
		return lt_corrupt(fn, "bootstrapping key word not below its prime");
	const lt_plainmod *pe = &c->pm[c->npm - 1];
	uint64_t fac = lt_r_u64(r), nb = lt_r_u64(r);
	double noise;
	memcpy(&noise, &nb, sizeof noise);
	if (fac == 0 || fac >= pe->t || fac % pe->p == 0)
		return lt_corrupt(fn, "bootstrapping key's plaintext factor not a unit mod p^e");
	if (!isfinite(noise) || noise < -1e9 || noise > 1e5)
		return lt_corrupt(fn, "bootstrapping key's noise estimate not a finite number in range");
	for (unsigned k = 0; k < 2; k++)
		if (!lt_r_limbs(r, c, lt_ct_comp(b->bk, k), 0, c->nq))
			return lt_corrupt(fn, "bootstrapping key word not below its prime");
	b->bk->size = 2;
	b->bk->level = c->nq - 1;
	b->bk->pm = c->npm - 1;
	b->bk->fac = fac;
	b->bk->noise = noise;
	b->bk->seeded = 0;
	memcpy(b->bk->keyid, ek->keyid, LT_KEYID_BYTES);
	return LATHE_OK;
}

/* the seed, the b parts, and (a_stored) the a parts after them (version 6) */
static void
w_ksk(lt_writer *w, const lathe_ctx *c, const lt_ksk *k)
{
	const unsigned kl = lt_ksk_level(c, k);
	const size_t words = (size_t)(kl + 1 + c->np) * c->n;
	lt_w_bytes(w, k->seed, LT_SEED_BYTES);
	for (int part = 0; part < (k->a_stored ? 2 : 1); part++) {
		const uint64_t *x = part ? k->a : k->b;
		for (unsigned j = 0; j < lt_ks_digits(c, kl); j++) {
			lt_w_limbs(w, c, x + j * words, 0, kl + 1);
			lt_w_limbs(w, c, x + j * words + (size_t)(kl + 1) * c->n, c->nq, c->np);
		}
	}
}

/* 1: read; 0: a word not below its prime; -1: out of memory. a_stored: the a parts follow (else expanded). */
static int
r_ksk(lt_reader *r, const lathe_ctx *c, unsigned kl, lt_ksk *k, int a_stored)
{
	const size_t words = (size_t)(kl + 1 + c->np) * c->n;
	if (lt_ksk_alloc("evaluation keys", c, kl, k))
		return -1;
	lt_r_bytes(r, k->seed, LT_SEED_BYTES);
	for (int part = 0; part < (a_stored ? 2 : 1); part++) {
		uint64_t *x = part ? k->a : k->b;
		for (unsigned j = 0; j < lt_ks_digits(c, kl); j++)
			if (!lt_r_limbs(r, c, x + j * words, 0, kl + 1) ||
			    !lt_r_limbs(r, c, x + j * words + (size_t)(kl + 1) * c->n, c->nq, c->np))
				return 0;
	}
	k->a_stored = a_stored;
	if (!a_stored)
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
	/* version 3 only when a Galois key stops below the top level: the levels follow the counts */
	int limited = 0;
	for (size_t i = 0; i < ek->ngal; i++)
		limited |= ek->gal[i].k.drop != 0;
	/* version 5 (bootstrapping keys) and 6 (a relinearization key with its a parts) always write the levels */
	const int boot = ek->boot != NULL, a_stored = ek->has_relin && ek->relin.a_stored;
	if (boot && a_stored)
		return lt_fail(LATHE_EINVAL, "lathe_evalkeys_to_buffer: bootstrapping keys in a bundle of shared keys");
	if (limited || boot || a_stored)
		for (size_t i = 0; i < ek->ngal; i++)
			lt_w_u16(&w, (uint16_t)lt_ksk_level(c, &ek->gal[i].k));
	if (ek->pk)
		w_pk_body(&w, ek->pk);
	if (ek->has_relin)
		w_ksk(&w, c, &ek->relin);
	for (size_t i = 0; i < ek->ngal; i++) {
		lt_w_u64(&w, ek->gal[i].g);
		w_ksk(&w, c, &ek->gal[i].k);
	}
	if (boot)
		w_boot(&w, c, ek->boot);
	lt_w_finish_v(&w, LT_KIND_EVALKEYS, c->hash, a_stored ? 6 : boot ? 5 : limited ? 3 : LT_FORMAT_BASE);
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
	lathe_status s = lt_open_object(fn, ctx, buf, len, LT_KIND_EVALKEYS, &h);
	if (s)
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	const unsigned ver = h.version;
	/*
	 * version 4's bootstrapping keys hold an encapsulation key whose error
	 * is a multiple of p^e: p^(e-r) above what Step 3's guard counts on
	 */
	if (ver == 4)
		return lt_fail(LATHE_EFORMAT, "%s: a version-4 bundle of bootstrapping keys, from an earlier lathe whose "
		               "encapsulation key this one does not use; make the keys again with lathe_boot_keygen", fn);
	uint8_t id[LT_KEYID_BYTES] = { 0 };
	if (ver >= 2)
		lt_r_bytes(&r, id, LT_KEYID_BYTES);
	unsigned has_relin = lt_r_u8(&r), has_pk = lt_r_u8(&r);
	uint64_t ngal = lt_r_u32(&r);
	if (r.failed || has_relin > 1 || has_pk > 1)
		return lt_corrupt(fn, "bad header fields");
	/* exact length from the counts (and, version 3, the levels), before any allocation */
	const size_t kl = ksk_len(ctx);
	if (ngal > ctx->n - 1)
		return lt_corrupt(fn, "more Galois keys than Galois elements");
	if (ver >= 3 && r.left < 2 * ngal)
		return lt_corrupt(fn, "truncated Galois key levels");
	const uint8_t *levels = r.p;
	size_t gkeys = 0;
	int limited = 0;
	for (size_t i = 0; i < ngal; i++) {
		unsigned lv = ver >= 3 ? lt_r_u16(&r) : ctx->nq - 1;
		if (lv >= ctx->nq)
			return lt_corrupt(fn, "a Galois key's level is above the top level");
		limited |= lv < ctx->nq - 1;
		gkeys += ksk_len_at(ctx, lv);
	}
	/* version 3 is written only for a bundle with a key below the top: anything else is not a file lathe writes */
	if (ver == 3 && !limited)
		return lt_corrupt(fn, "a version-3 bundle without a Galois key below the top level");
	/* version 5 only for a bundle with bootstrapping keys, which only a bootstrappable context has */
	const int boot = ver == 4 || ver == 5;
	if (boot && ctx->npm < 2)
		return lt_corrupt(fn, "bootstrapping keys for a context that is not bootstrappable");
	/* version 6 only for a collective relinearization key (its a parts stored), which only shared keys have */
	if (ver >= 6 && (!has_relin || ctx->par.parties < 2))
		return lt_corrupt(fn, "a version-6 bundle without a relinearization key of shared keys");
	const size_t relin_a = ver >= 6 ? kl - LT_SEED_BYTES : 0;
	/* a Galois key: its element (u64; version 1: the i32 rotation step), then the key */
	const size_t gl = ver >= 2 ? 8 : 4;
	size_t need = (has_pk ? pk_body_len_v(ctx, ver) : 0) + (has_relin ? kl + relin_a : 0) + (size_t)ngal * gl +
	              gkeys + (boot ? boot_len(ctx) : 0);
	if (r.failed || r.left != need)
		return lt_corrupt(fn, "body length does not match the key counts");
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
		lt_id_hex16(hb, id);
		lt_id_hex16(hp, ek->pk->keyid);
		lathe_evalkeys_free(ek);
		return lt_fail(LATHE_ECORRUPT, "%s: the bundle names key %s but the public key it carries is key %s", fn,
		               hb, hp);
	}
	if (has_relin) {
		int k = r_ksk(&r, ctx, ctx->nq - 1, &ek->relin, ver >= 6);
		ek->has_relin = 1;
		if (k <= 0) {
			lathe_evalkeys_free(ek);
			return k < 0 ? lt_fail(LATHE_ENOMEM, "%s: out of memory", fn)
			             : lt_corrupt(fn, "relinearization key word not below its prime");
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
				return lt_corrupt(fn, "rotation step out of range");
			}
			g = lt_galois_elt(ctx, step);
		}
		if (!lt_galois_elt_valid(ctx, g)) {
			lathe_evalkeys_free(ek);
			return lt_corrupt(fn, "Galois element not an odd residue in (1, 2N)");
		}
		if (lathe_evalkeys_has_galois(ek, g)) {
			lathe_evalkeys_free(ek);
			return lt_corrupt(fn, "two keys for one Galois element");
		}
		lt_galois_key *gk = &ek->gal[ek->ngal];
		const unsigned lv = ver >= 3 ? (unsigned)(levels[2 * i] | (levels[2 * i + 1] << 8)) : ctx->nq - 1;
		int k = lt_galois_key_init(ctx, gk, g) == LATHE_OK ? r_ksk(&r, ctx, lv, &gk->k, 0) : -1;
		ek->ngal++;
		if (k <= 0) {
			lathe_evalkeys_free(ek);
			return k < 0 ? lt_fail(LATHE_ENOMEM, "%s: out of memory", fn)
			             : lt_corrupt(fn, "Galois key word not below its prime");
		}
	}
	if (boot && (s = r_boot(fn, &r, ctx, ek))) {
		lathe_evalkeys_free(ek);
		return s;
	}
	*out = ek;
	return LATHE_OK;
}
