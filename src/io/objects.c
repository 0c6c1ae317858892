/*
 * What the serializers of every object kind share: limbs packed at the
 * widths of their primes, the check that an object was made under a given
 * context, key-id helpers (docs/format.md); and the save and load functions
 * of every kind but the secret key, which wrap the buffer functions of
 * keys.c and ciphertexts.c in the atomic file writes and bounded file reads
 * of file.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe/io.h>

#include "../core/error.h"
#include "objects.h"

/* ---- limbs ---- */

void
lt_w_limbs(lt_writer *w, const lathe_ctx *c, const uint64_t *words, unsigned first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		lt_w_packed(w, words + (size_t)i * c->n, c->n, c->ring.mod[first + i].bits);
}

int
lt_r_limbs(lt_reader *r, const lathe_ctx *c, uint64_t *words, unsigned first, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		if (!lt_r_packed(r, words + (size_t)i * c->n, c->n, c->ring.mod[first + i].bits, c->ring.mod[first + i].q))
			return 0;
	return 1;
}

size_t
lt_limbs_len(const lathe_ctx *c, unsigned first, unsigned count)
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

lathe_status
lt_open_object(const char *fn, const lathe_ctx *ctx, const uint8_t *buf, size_t len, uint16_t kind, lt_header *h)
{
	lathe_status s = lt_parse(fn, buf, len, kind, h, LATHE_ECORRUPT);
	if (s == LATHE_OK)
		s = check_ctx_hash(fn, ctx, h);
	return s;
}

lathe_status
lt_corrupt(const char *fn, const char *what)
{
	return lt_fail(LATHE_ECORRUPT, "%s: %s", fn, what);
}

/* ---- key ids ---- */

/* bytes of the key id in a body of format version ver (none before version 2) */
size_t
lt_id_len(unsigned ver)
{
	return ver >= 2 ? LT_KEYID_BYTES : 0;
}

void
lt_id_hex16(char out[17], const uint8_t id[LT_KEYID_BYTES])
{
	char full[2 * LT_KEYID_BYTES + 1];
	lathe_key_id_hex(id, full);
	memcpy(out, full, 16);
	out[16] = '\0';
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

SAVE(lathe_ctx_save, lathe_ctx, lathe_ctx_to_buffer, ctx)
SAVE(lathe_pk_save, lathe_pk, lathe_pk_to_buffer, pk)
SAVE(lathe_evalkeys_save, lathe_evalkeys, lathe_evalkeys_to_buffer, ek)
SAVE(lathe_ct_save, lathe_ct, lathe_ct_to_buffer, ct)
LOAD(lathe_pk_load, lathe_pk, lathe_pk_from_buffer, LT_KIND_PK, lt_pk_body_len(ctx))
LOAD(lathe_evalkeys_load, lathe_evalkeys, lathe_evalkeys_from_buffer, LT_KIND_EVALKEYS, lt_evalkeys_max_body_len(ctx))
LOAD(lathe_ct_load, lathe_ct, lathe_ct_from_buffer, LT_KIND_CT, lt_ct_max_body_len(ctx))

lathe_status
lathe_ctx_load(const char *path, lathe_ctx **out)
{
	const char *fn = "lathe_ctx_load";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lathe_status s = lt_read_file(fn, path, LT_KIND_CTX, LT_CTX_MAX_BODY, &b, &l, NULL);
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
