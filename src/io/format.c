/*
 * The envelope of every saved object (format.h, docs/format.md): the
 * 52-byte header (magic, version, kind, flags, parameter hash, body
 * length) and the BLAKE2b-256 trailer over header and body. lt_parse
 * checks, in order, the magic, version, kind, length, checksum and flags
 * of a buffer before any body field is read.
 */
#include <string.h>

#include <sodium.h>

#include <lathe/io.h>

#include "../core/error.h"
#include "format.h"

void
lt_w_begin(lt_writer *w)
{
	uint8_t zero[LT_HEADER_LEN] = { 0 };
	lt_w_bytes(w, zero, sizeof zero);
}

static void
header_encode(uint8_t h[LT_HEADER_LEN], uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint64_t body_len,
              uint16_t version)
{
	memcpy(h, LT_MAGIC, LT_MAGIC_LEN);
	h[6] = (uint8_t)version;
	h[7] = (uint8_t)(version >> 8);
	h[8] = (uint8_t)kind;
	h[9] = (uint8_t)(kind >> 8);
	h[10] = h[11] = 0;
	memcpy(h + 12, hash, LT_HASH_LEN);
	for (int i = 0; i < 8; i++)
		h[44 + i] = (uint8_t)(body_len >> (8 * i));
}

void
lt_header_encode(uint8_t h[LT_HEADER_LEN], uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint64_t body_len)
{
	header_encode(h, kind, hash, body_len, LT_FORMAT_BASE);
}

void
lt_header_encode_v(uint8_t h[LT_HEADER_LEN], uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint64_t body_len,
                   uint16_t version)
{
	header_encode(h, kind, hash, body_len, version);
}

void
lt_w_finish(lt_writer *w, uint16_t kind, const uint8_t hash[LT_HASH_LEN])
{
	lt_w_finish_v(w, kind, hash, LT_FORMAT_BASE);
}

void
lt_w_finish_v(lt_writer *w, uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint16_t version)
{
	if (w->failed || w->len < LT_HEADER_LEN)
		return;
	header_encode(w->buf, kind, hash, w->len - LT_HEADER_LEN, version);
	uint8_t sum[LT_CHECKSUM_LEN];
	crypto_generichash(sum, sizeof sum, w->buf, w->len, NULL, 0);
	lt_w_bytes(w, sum, sizeof sum);
}

lathe_status
lt_header_decode(const char *fn, const uint8_t *buf, size_t len, lt_header *h)
{
	memset(h, 0, sizeof(*h));
	if (len < LT_MAGIC_LEN || memcmp(buf, LT_MAGIC, LT_MAGIC_LEN) != 0)
		return lt_fail(LATHE_EFORMAT, "%s: not a lathe object (bad magic)", fn);
	if (len < LT_HEADER_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: truncated (%zu bytes, the header alone needs %d)", fn, len,
		               LT_HEADER_LEN);
	h->version = (uint16_t)(buf[6] | (buf[7] << 8));
	h->kind = (uint16_t)(buf[8] | (buf[9] << 8));
	h->flags = (uint16_t)(buf[10] | (buf[11] << 8));
	memcpy(h->hash, buf + 12, LT_HASH_LEN);
	for (int i = 7; i >= 0; i--)
		h->body_len = (h->body_len << 8) | buf[44 + i];
	if (h->version < LT_FORMAT_OLDEST || h->version > LATHE_FORMAT_VERSION)
		return lt_fail(LATHE_EFORMAT, "%s: file format version %u, but this library reads versions %d to %d%s", fn,
		               h->version, LT_FORMAT_OLDEST, LATHE_FORMAT_VERSION,
		               h->version > LATHE_FORMAT_VERSION ? " (a newer lathe wrote it)" : "");
	/*
	 * objects are written in the oldest version that holds them: version 3
	 * only for evaluation keys, version 4 for them and contexts, version 5
	 * for evaluation keys, version 6 for contexts and evaluation keys of
	 * keys shared by parties
	 */
	if (((h->version == 3 || h->version == 5) && h->kind != LT_KIND_EVALKEYS) ||
	    (h->version == 4 && h->kind != LT_KIND_EVALKEYS && h->kind != LT_KIND_CTX) ||
	    (h->version == 6 && h->kind != LT_KIND_EVALKEYS && h->kind != LT_KIND_CTX && h->kind != LT_KIND_SHARE &&
	     h->kind != LT_KIND_PARTY) ||
	    ((h->kind == LT_KIND_SHARE || h->kind == LT_KIND_PARTY) && h->version < 6))
		return lt_fail(LATHE_EFORMAT, "%s: file format version %u for an object of kind %u (versions 3 and 5 are "
		               "written for evaluation keys only, version 4 for them and contexts, version 6 for them, "
		               "contexts, multiparty shares and sealed parties, which no earlier version holds)", fn, h->version,
		               h->kind);
	return LATHE_OK;
}

lathe_status
lt_check_kind(const char *fn, const lt_header *h, uint16_t kind)
{
	if (kind == 0 ? (h->kind < LT_KIND_CTX || h->kind > LT_KIND_PARTY) : h->kind != kind) {
		if (kind == 0)
			return lt_fail(LATHE_EFORMAT, "%s: unknown object kind %u", fn, h->kind);
		return lt_fail(LATHE_EFORMAT, "%s: object kind %u where kind %u was expected", fn, h->kind, kind);
	}
	return LATHE_OK;
}

lathe_status
lt_parse(const char *fn, const uint8_t *buf, size_t len, uint16_t kind, lt_header *h, lathe_status checksum_status)
{
	if (!buf)
		return lt_fail(LATHE_EINVAL, "%s: buffer is NULL", fn);
	lathe_status s = lt_header_decode(fn, buf, len, h);
	if (s)
		return s;
	if ((s = lt_check_kind(fn, h, kind)))
		return s;
	if (len < LT_ENVELOPE_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: truncated (%zu bytes, the header and checksum need %d)", fn, len,
		               LT_ENVELOPE_LEN);
	if (h->body_len != len - LT_ENVELOPE_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: body length %llu does not match the %zu bytes given", fn,
		               (unsigned long long)h->body_len, len);
	uint8_t sum[LT_CHECKSUM_LEN];
	crypto_generichash(sum, sizeof sum, buf, len - LT_CHECKSUM_LEN, NULL, 0);
	if (sodium_memcmp(sum, buf + len - LT_CHECKSUM_LEN, LT_CHECKSUM_LEN) != 0)
		return lt_fail(checksum_status, "%s: checksum mismatch (corrupted or tampered data)", fn);
	if (h->flags != 0)
		return lt_fail(LATHE_ECORRUPT, "%s: unknown header flags %#x", fn, h->flags);
	h->body = buf + LT_HEADER_LEN;
	return LATHE_OK;
}
