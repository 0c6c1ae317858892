/*
 * Serialization of plaintexts, ciphertexts and batches of ciphertexts
 * (docs/format.md). Every body starts with the id of the key the object
 * was made under (version 1: none, the object is unbound). A ciphertext is
 * checked whole before it is allocated: level, shape, plaintext factor,
 * noise estimate and exact length; a seeded one has its second component
 * expanded from the stored seed. A batch is a count and length-prefixed
 * ciphertext bodies under one header.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include <lathe/io.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/sample.h"
#include "objects.h"

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
	if (pt->pm != LT_PM_USER)
		return lt_fail(LATHE_EINVAL, "lathe_pt_to_buffer: the plaintext is under bootstrapping's plaintext modulus, "
		                             "which the format does not carry");
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
	lathe_status s = lt_open_object(fn, ctx, buf, len, LT_KIND_PT, &h);
	if (s)
		return s;
	if (h.body_len != pt_body_len(ctx) - LT_KEYID_BYTES + lt_id_len(h.version))
		return lt_corrupt(fn, "body length does not match the context");
	lathe_pt *pt;
	if ((s = lathe_pt_new(ctx, &pt)))
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	if (h.version >= 2)
		lt_r_bytes(&r, pt->keyid, LT_KEYID_BYTES); /* version 1: unbound */
	if (!lt_r_packed(&r, pt->m, ctx->n, t_bits(ctx), ctx->t)) {
		lathe_pt_free(pt);
		return lt_corrupt(fn, "coefficient not below t");
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
		lt_w_limbs(w, c, lt_ct_comp(ct, 0), 0, ct->level + 1);
	} else {
		for (unsigned k = 0; k < ct->size; k++)
			lt_w_limbs(w, c, lt_ct_comp(ct, k), 0, ct->level + 1);
	}
}

/* key id, u32 level, u8 components, u8 seeded, u16 zero, u64 factor, u64 noise */
#define CT_FIXED LT_CT_FIXED

static size_t
ct_body_len_v(const lathe_ctx *c, unsigned level, unsigned size, int seeded, unsigned ver)
{
	size_t limbs = lt_limbs_len(c, 0, level + 1);
	return CT_FIXED - LT_KEYID_BYTES + lt_id_len(ver) + (seeded ? LT_SEED_BYTES + limbs : size * limbs);
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

size_t
lt_ct_max_body_len(const lathe_ctx *c)
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
		return lt_corrupt(fn, "ciphertext header truncated");
	if (level >= ctx->nq)
		return lt_corrupt(fn, "level out of range");
	if ((size != 2 && size != 3) || seeded > 1 || res != 0 || (seeded && (size != 2 || level != ctx->nq - 1)))
		return lt_corrupt(fn, "bad ciphertext shape");
	if (fac == 0 || fac >= ctx->t || n_gcd(fac, ctx->t) != 1)
		return lt_corrupt(fn, "plaintext factor not a unit mod t");
	if (!isfinite(noise) || noise < -1e9 || noise > 1e5)
		return lt_corrupt(fn, "noise estimate not a finite number in range");
	if (len != ct_body_len_v(ctx, level, size, (int)seeded, ver))
		return lt_corrupt(fn, "ciphertext length does not match its level and size");
	/* allocated once at its final number of components */
	lathe_ct *ct = NULL;
	lathe_status s = lt_ct_alloc(fn, ctx, size, level, &ct);
	if (s || !ct)
		return s ? s : LATHE_ENOMEM;
	ct->fac = fac;
	ct->noise = noise;
	ct->seeded = (int)seeded;
	memcpy(ct->keyid, id, LT_KEYID_BYTES);
	int ok;
	if (seeded) {
		lt_r_bytes(&r, ct->seed, LT_SEED_BYTES);
		ok = lt_r_limbs(&r, ctx, lt_ct_comp(ct, 0), 0, level + 1);
		lt_poly c1 = lt_ct_poly(ct, 1);
		lt_sample_uniform(&c1, ct->seed, LT_STREAM_CT);
	} else {
		ok = 1;
		for (unsigned k = 0; k < size && ok; k++)
			ok = lt_r_limbs(&r, ctx, lt_ct_comp(ct, k), 0, level + 1);
	}
	if (!ok) {
		lathe_ct_free(ct);
		return lt_corrupt(fn, "ciphertext word not below its prime");
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
	if (ct->pm != LT_PM_USER)
		return lt_fail(LATHE_EINVAL, "lathe_ct_to_buffer: the ciphertext is under bootstrapping's plaintext "
		                             "modulus, which the format does not carry");
	lt_writer w;
	lt_w_init(&w);
	lt_w_expect(&w, LT_ENVELOPE_LEN + ct_body_len(ct->ctx, ct->level, ct->size, ct->seeded));
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
	lathe_status s = lt_open_object(fn, ctx, buf, len, LT_KIND_CT, &h);
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
		if (cts[i]->pm != LT_PM_USER)
			return lt_fail(LATHE_EINVAL, "lathe_ct_batch_to_buffer: cts[%zu] is under bootstrapping's plaintext "
			                             "modulus, which the format does not carry", i);
	}
	size_t total = LT_ENVELOPE_LEN + 8;
	for (size_t i = 0; i < n; i++)
		total += 8 + ct_body_len(cts[i]->ctx, cts[i]->level, cts[i]->size, cts[i]->seeded);
	lt_writer w;
	lt_w_init(&w);
	lt_w_expect(&w, total);
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
	lathe_status s = lt_open_object(fn, ctx, buf, len, LT_KIND_CT_BATCH, &h);
	if (s)
		return s;
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	uint64_t n = lt_r_u64(&r);
	/* every record takes at least its length field and the smallest ciphertext: the count must fit */
	if (r.failed || n == 0 || n > r.left / (8 + ct_min_body_len(ctx, h.version)))
		return lt_corrupt(fn, "record count out of range");
	lathe_ct **cts = lt_malloc((size_t)n * sizeof(*cts));
	if (cts)
		memset(cts, 0, (size_t)n * sizeof(*cts));
	if (!cts)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	for (size_t i = 0; i < n; i++) {
		uint64_t l = lt_r_u64(&r);
		if (r.failed || l > r.left) {
			s = lt_corrupt(fn, "record length out of range");
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
		return lt_corrupt(fn, "trailing bytes after the last record");
	}
	*out = cts;
	*n_out = (size_t)n;
	return LATHE_OK;
}
