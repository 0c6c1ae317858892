/*
 * Shares as files (docs/format.md, kind 8): the io layer's envelope
 * around the share's header fields and its limbs packed at the widths of
 * their primes. The loader checks each field against the context and the
 * share's kind before it allocates the words.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe/io.h>
#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../io/format.h"
#include "../io/objects.h"
#include "mp.h"

#define SHARE_VERSION 6

/* the shape of a share of kind k at level lv: polynomials and limbs; 0 when k is no kind */
static int
shape(const lathe_ctx *c, lathe_share_kind k, unsigned lv, unsigned *npoly, unsigned *limbs)
{
	const unsigned qp = c->nq + c->np;
	switch (k) {
	case LATHE_SHARE_PK:
		*npoly = 1;
		*limbs = c->nq;
		return 1;
	case LATHE_SHARE_RELIN1:
	case LATHE_SHARE_RELIN1_SUM:
		*npoly = 2 * c->dnum;
		*limbs = qp;
		return 1;
	case LATHE_SHARE_RELIN2:
		*npoly = c->dnum;
		*limbs = qp;
		return 1;
	case LATHE_SHARE_GALOIS:
		if (lv >= c->nq) /* refused by the level's own check */
			lv = c->nq - 1;
		*npoly = lt_ks_digits(c, lv);
		*limbs = lv + 1 + c->np;
		return 1;
	case LATHE_SHARE_DECRYPT:
	case LATHE_SHARE_DECRYPT_T:
	case LATHE_SHARE_DECRYPT_DP:
		*npoly = 1;
		*limbs = lv + 1;
		return 1;
	case LATHE_SHARE_DEAL:
		*npoly = 1;
		*limbs = c->nq;
		return 1;
	case LATHE_SHARE_PK_SWITCH:
		*npoly = 2;
		*limbs = lv + 1;
		return 1;
	}
	return 0;
}

static int
is_ct_share(lathe_share_kind k)
{
	return k == LATHE_SHARE_DECRYPT || k == LATHE_SHARE_PK_SWITCH || k == LATHE_SHARE_DECRYPT_T ||
	       k == LATHE_SHARE_DECRYPT_DP;
}

/* a share of a key-switching key: its limbs are q_0..q_k, then the special primes */
static int
is_key_share(lathe_share_kind k)
{
	return k == LATHE_SHARE_RELIN1 || k == LATHE_SHARE_RELIN1_SUM || k == LATHE_SHARE_RELIN2 ||
	       k == LATHE_SHARE_GALOIS;
}

/* the chain primes among a share's limbs (the rest are the special primes) */
static unsigned
chain_limbs(const lathe_ctx *c, lathe_share_kind k, unsigned limbs)
{
	return is_key_share(k) ? limbs - c->np : limbs;
}

/* bytes of one of the share's polynomials */
static size_t
poly_len(const lathe_ctx *c, lathe_share_kind k, unsigned limbs)
{
	const unsigned q = chain_limbs(c, k, limbs);
	return lt_limbs_len(c, 0, q) + (q < limbs ? lt_limbs_len(c, c->nq, limbs - q) : 0);
}

static unsigned
popcount64(uint64_t x)
{
	unsigned k = 0;
	for (; x; x &= x - 1)
		k++;
	return k;
}

lathe_status
lathe_share_to_buffer(const lathe_share *s, uint8_t **buf, size_t *len)
{
	LT_CHECK_NULL(s);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	*buf = NULL;
	*len = 0;
	if (s->kind == LATHE_SHARE_DEAL)
		return lt_fail(LATHE_EINVAL, "lathe_share_to_buffer: a deal is a party's secret share for one other party, "
		               "for a private channel: lathe writes it to no file");
	const lathe_ctx *c = s->ctx;
	lt_writer w;
	lt_w_init(&w);
	/* the whole file at once (the privacy parameters of kind 10 are 40 bytes more) */
	lt_w_expect(&w, LT_ENVELOPE_LEN + LT_SHARE_FIXED + 40 + (size_t)s->npoly * poly_len(c, s->kind, s->limbs));
	lt_w_begin(&w);
	lt_w_bytes(&w, s->keyid, LT_KEYID_BYTES);
	lt_w_u8(&w, (uint8_t)s->kind);
	lt_w_u8(&w, (uint8_t)s->party);
	lt_w_u8(&w, (uint8_t)s->nparties);
	lt_w_u8(&w, (uint8_t)s->threshold);
	lt_w_bytes(&w, s->crs, LATHE_MP_SEED_BYTES);
	lt_w_u64(&w, s->g);
	/* a Galois-key share: the chain primes its key stops below the top (0: the whole chain) */
	lt_w_u32(&w, s->kind == LATHE_SHARE_GALOIS ? c->nq - 1 - s->level : s->level);
	uint64_t nb;
	memcpy(&nb, &s->noise, sizeof(nb));
	lt_w_u64(&w, nb);
	/* round 1's combination is bound by this file's checksum: its own field is zero */
	static const uint8_t zero[32];
	lt_w_bytes(&w, s->kind == LATHE_SHARE_RELIN1_SUM ? zero : s->bind, sizeof(s->bind));
	lt_w_u16(&w, (uint16_t)s->npoly);
	lt_w_u16(&w, (uint16_t)s->limbs);
	/* kind 10: the privacy parameters, IEEE-754 doubles */
	if (s->kind == LATHE_SHARE_DECRYPT_DP) {
		const double d[4] = { s->dp.epsilon, s->dp.delta, s->dp.rho, s->dp.sensitivity };
		for (int i = 0; i < 4; i++) {
			uint64_t x;
			memcpy(&x, &d[i], sizeof(x));
			lt_w_u64(&w, x);
		}
		lt_w_u64(&w, s->dp.one_value ? 1 : 0);
	}
	/* limbs at the widths of their primes: q_0.., then (a key's share) the special primes */
	const unsigned q = chain_limbs(c, s->kind, s->limbs);
	for (unsigned i = 0; i < s->npoly; i++) {
		lt_w_limbs(&w, c, lt_mp_share_poly(s, i), 0, q);
		if (q < s->limbs)
			lt_w_limbs(&w, c, lt_mp_share_poly(s, i) + (size_t)q * c->n, c->nq, s->limbs - q);
	}
	lt_w_finish_v(&w, LT_KIND_SHARE, c->hash, SHARE_VERSION);
	return lt_w_take(&w, "lathe_share_to_buffer", buf, len);
}

/* the largest share body ctx allows: round 1 of the relinearization key */
static uint64_t
max_body(const lathe_ctx *c)
{
	return LT_SHARE_FIXED + (uint64_t)2 * c->dnum * lt_limbs_len(c, 0, c->nq + c->np);
}

lathe_status
lathe_share_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_share **out)
{
	const char *fn = "lathe_share_from_buffer";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	lt_header h;
	lathe_status st = lt_open_object(fn, ctx, buf, len, LT_KIND_SHARE, &h);
	if (st)
		return st;
	if (h.version < SHARE_VERSION)
		return lt_fail(LATHE_EFORMAT, "%s: a share in format version %u (shares are version %d on)", fn, h.version,
		               SHARE_VERSION);
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	uint8_t keyid[LT_KEYID_BYTES], crs[LATHE_MP_SEED_BYTES], bind[32];
	lt_r_bytes(&r, keyid, sizeof(keyid));
	const unsigned kind = lt_r_u8(&r), party = lt_r_u8(&r), np = lt_r_u8(&r), thr = lt_r_u8(&r);
	lt_r_bytes(&r, crs, sizeof(crs));
	const uint64_t g = lt_r_u64(&r);
	/* a Galois-key share's field is the chain primes its key stops below the top (0: the whole chain) */
	const unsigned lfield = lt_r_u32(&r);
	const unsigned level = kind == LATHE_SHARE_GALOIS ? (lfield < ctx->nq ? ctx->nq - 1 - lfield : ctx->nq) : lfield;
	const uint64_t nb = lt_r_u64(&r);
	lt_r_bytes(&r, bind, sizeof(bind));
	const unsigned npoly = lt_r_u16(&r), limbs = lt_r_u16(&r);
	lathe_dp dp = { 0, 0, 0, 0, 0 };
	if (kind == LATHE_SHARE_DECRYPT_DP) {
		double d[4];
		for (int i = 0; i < 4; i++) {
			uint64_t x = lt_r_u64(&r);
			memcpy(&d[i], &x, sizeof(x));
		}
		dp.epsilon = d[0];
		dp.delta = d[1];
		dp.rho = d[2];
		dp.sensitivity = d[3];
		const uint64_t one = lt_r_u64(&r);
		if (one > 1)
			return lt_corrupt(fn, "the one-value flag of the privacy parameters is neither 0 nor 1");
		dp.one_value = (int)one;
	}
	if (r.failed)
		return lt_corrupt(fn, "truncated share fields");
	double noise;
	memcpy(&noise, &nb, sizeof(noise));
	unsigned wp = 0, wl = 0;
	const lathe_share_kind k = (lathe_share_kind)kind;
	if (k == LATHE_SHARE_DEAL || !shape(ctx, k, level, &wp, &wl))
		return lt_corrupt(fn, "unknown share kind");
	if (np != ctx->par.parties)
		return lt_corrupt(fn, "a share of another number of parties than the context's");
	if (k == LATHE_SHARE_RELIN1_SUM ? party != np : party >= np)
		return lt_corrupt(fn, "party index out of range");
	if (is_ct_share(k) || k == LATHE_SHARE_GALOIS ? level >= ctx->nq : level != 0)
		return lt_corrupt(fn, "level out of range");
	if (k == LATHE_SHARE_DECRYPT_T ? thr < 2 || thr > np : thr != 0)
		return lt_corrupt(fn, "threshold out of range");
	uint64_t s2 = 0;
	if (k == LATHE_SHARE_DECRYPT_DP) {
		if (lathe_dp_sigma2(&dp, &s2, NULL) || s2 != g)
			return lt_corrupt(fn, "privacy parameters out of range, or a sigma^2 that does not follow from them");
	} else if (k == LATHE_SHARE_DECRYPT_T) {
		const uint64_t all = np >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << np) - 1;
		if ((g & ~all) || popcount64(g) < thr || !(g >> party & 1))
			return lt_corrupt(fn, "online set out of range");
	} else if (k == LATHE_SHARE_GALOIS ? !lt_galois_elt_valid(ctx, g) : g != 0) {
		return lt_corrupt(fn, "Galois element out of range");
	}
	if (is_ct_share(k) ? !(isfinite(noise) && noise >= 0 && noise <= 1e5) : nb != 0)
		return lt_corrupt(fn, "noise estimate out of range");
	if (k == LATHE_SHARE_RELIN1_SUM && sodium_is_zero(bind, sizeof(bind)) != 1)
		return lt_corrupt(fn, "a binding field in round 1's combination (its file's checksum binds it)");
	if (npoly != wp || limbs != wl)
		return lt_corrupt(fn, "the share's size does not match its kind");
	if (r.left != (size_t)npoly * poly_len(ctx, k, limbs))
		return lt_corrupt(fn, "body length does not match the share's size");
	lathe_share *s;
	if ((st = lt_mp_share_alloc(fn, ctx, npoly, limbs, &s)))
		return st;
	s->kind = k;
	s->party = party;
	s->nparties = np;
	memcpy(s->crs, crs, sizeof(crs));
	s->g = g;
	s->threshold = thr;
	s->dp = dp;
	s->level = level;
	s->noise = noise;
	memcpy(s->bind, bind, sizeof(bind));
	/* round 1's combination: its binding is the checksum lt_open_object verified (the field is zero) */
	if (k == LATHE_SHARE_RELIN1_SUM)
		memcpy(s->bind, buf + len - sizeof(s->bind), sizeof(s->bind));
	memcpy(s->keyid, keyid, sizeof(keyid));
	const unsigned q = chain_limbs(ctx, k, limbs);
	for (unsigned i = 0; i < npoly; i++)
		if (!lt_r_limbs(&r, ctx, lt_mp_share_poly(s, i), 0, q) ||
		    (q < limbs && !lt_r_limbs(&r, ctx, lt_mp_share_poly(s, i) + (size_t)q * ctx->n, ctx->nq, limbs - q))) {
			lathe_share_free(s);
			return lt_corrupt(fn, "a word not below its prime");
		}
	*out = s;
	return LATHE_OK;
}

lathe_status
lathe_share_save(const lathe_share *s, const char *path)
{
	LT_CHECK_NULL(s);
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lathe_status st = lathe_share_to_buffer(s, &b, &l);
	if (st)
		return st;
	st = lt_write_file("lathe_share_save", path, b, l, 0);
	lathe_buffer_free(b);
	return st;
}

lathe_status
lathe_share_load(const lathe_ctx *ctx, const char *path, lathe_share **out)
{
	const char *fn = "lathe_share_load";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lathe_status st = lt_read_file(fn, path, LT_KIND_SHARE, max_body(ctx), &b, &l, NULL);
	if (st)
		return st;
	st = lathe_share_from_buffer(ctx, b, l, out);
	free(b);
	if (st) {
		char inner[512];
		snprintf(inner, sizeof inner, "%s", lathe_last_error());
		return lt_fail(st, "%s: '%s': %s", fn, path, inner);
	}
	return LATHE_OK;
}
