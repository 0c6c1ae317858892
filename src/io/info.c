/*
 * Inspection of a saved object without its context (lathe_object_info_*):
 * the envelope is checked whole (lt_parse), then only the fixed fields of
 * the body that the report needs, without reading any coefficient: key id,
 * level and components of ciphertexts and batches, record count, Argon2id
 * level of a secret key. Every format version the loaders read is reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe/io.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "format.h"

static uint64_t
get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int
id_set(const uint8_t *id)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < LT_KEY_ID_LEN; i++)
		acc |= id[i];
	return acc != 0;
}

/* the fixed fields of one ciphertext body of len bytes */
static lathe_status
info_ct(const char *fn, const uint8_t *p, size_t len, size_t idl, unsigned *level, unsigned *comps)
{
	if (len < LT_CT_FIXED - LT_KEY_ID_LEN + idl)
		return lt_fail(LATHE_ECORRUPT, "%s: ciphertext shorter than its fixed fields", fn);
	uint64_t l = get_le(p + idl, 4);
	unsigned c = p[idl + 4];
	if (l >= LT_MAX_CHAIN)
		return lt_fail(LATHE_ECORRUPT, "%s: ciphertext level %llu out of range", fn, (unsigned long long)l);
	if (c != 2 && c != 3)
		return lt_fail(LATHE_ECORRUPT, "%s: ciphertext with %u components", fn, c);
	*level = (unsigned)l;
	*comps = c;
	return LATHE_OK;
}

static lathe_status
info_body(const char *fn, const lt_header *h, lathe_object_info *info)
{
	const uint8_t *b = h->body;
	const uint64_t bl = h->body_len;
	/* from version 2 on, every kind but the context starts with a key id (version 1: none) */
	const size_t idl = h->version >= 2 && h->kind != LT_KIND_CTX ? LT_KEY_ID_LEN : 0;
	if (idl) {
		if (bl < LT_KEY_ID_LEN)
			return lt_fail(LATHE_ECORRUPT, "%s: body shorter than a key id", fn);
		memcpy(info->key_id, b, LT_KEY_ID_LEN);
	}
	switch (h->kind) {
	case LT_KIND_CTX: {
		if (bl < 18)
			return lt_fail(LATHE_ECORRUPT, "%s: context parameters truncated", fn);
		uint64_t primes = get_le(b + 12, 2) + get_le(b + 14, 2);
		/* version 4: a bootstrappable context, u8 e and u16 h after the primes */
		/* version 6: keys shared by parties, then u8 parties */
		if (bl != 18 + 8 * primes + (h->version >= 4 ? 3 : 0) + (h->version >= 6 ? 1 : 0))
			return lt_fail(LATHE_ECORRUPT, "%s: prime list length does not match the counts", fn);
		break;
	}
	case LT_KIND_PK:
		if (bl < idl + 32)
			return lt_fail(LATHE_ECORRUPT, "%s: public key truncated", fn);
		break;
	case LT_KIND_EVALKEYS:
		if (bl < idl + 6 || b[idl] > 1 || b[idl + 1] > 1)
			return lt_fail(LATHE_ECORRUPT, "%s: bad evaluation-key header fields", fn);
		break;
	case LT_KIND_PT:
		break;
	case LT_KIND_CT: {
		lathe_status s = info_ct(fn, b, (size_t)bl, idl, &info->level, &info->components);
		if (s)
			return s;
		break;
	}
	case LT_KIND_CT_BATCH: {
		memset(info->key_id, 0, LT_KEY_ID_LEN);
		if (bl < 8)
			return lt_fail(LATHE_ECORRUPT, "%s: batch truncated", fn);
		uint64_t n = get_le(b, 8), left = bl - 8;
		if (n == 0 || n > left / (8 + LT_CT_FIXED - LT_KEY_ID_LEN + idl) || n > UINT32_MAX)
			return lt_fail(LATHE_ECORRUPT, "%s: record count out of range", fn);
		const uint8_t *p = b + 8;
		int same = 1;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t l = left >= 8 ? get_le(p, 8) : UINT64_MAX;
			if (left < 8 || l > left - 8)
				return lt_fail(LATHE_ECORRUPT, "%s: record %llu length out of range", fn, (unsigned long long)i);
			unsigned lv = 0, cp = 0;
			lathe_status s = info_ct(fn, p + 8, (size_t)l, idl, &lv, &cp);
			if (s)
				return s;
			if (idl && i == 0)
				memcpy(info->key_id, p + 8, LT_KEY_ID_LEN);
			else if (idl)
				same &= memcmp(info->key_id, p + 8, LT_KEY_ID_LEN) == 0;
			info->level = lv > info->level ? lv : info->level;
			info->components = cp > info->components ? cp : info->components;
			p += 8 + l;
			left -= 8 + l;
		}
		if (left != 0)
			return lt_fail(LATHE_ECORRUPT, "%s: trailing bytes after the last record", fn);
		if (!same)
			memset(info->key_id, 0, LT_KEY_ID_LEN);
		info->count = (unsigned)n;
		break;
	}
	case LT_KIND_SHARE:
		if (bl < LT_SHARE_FIXED)
			return lt_fail(LATHE_ECORRUPT, "%s: share truncated", fn);
		break;
	case LT_KIND_PARTY: {
		if (bl < LT_PARTY_FIXED + 16)
			return lt_fail(LATHE_ECORRUPT, "%s: sealed party truncated", fn);
		const uint8_t *c = b + LT_KEY_ID_LEN + 4 + 32;
		int lv = lt_pwhash_level_of(get_le(c, 8), get_le(c + 8, 8));
		if (lv < 0)
			return lt_fail(LATHE_ECORRUPT, "%s: unknown Argon2id costs", fn);
		info->pwhash_level = lv;
		break;
	}
	case LT_KIND_SK: {
		/* the fixed fields and at least the AEAD tag */
		if (bl < LT_SK_FIXED - LT_KEY_ID_LEN + idl + 16)
			return lt_fail(LATHE_ECORRUPT, "%s: secret key truncated", fn);
		int lv = lt_pwhash_level_of(get_le(b + idl, 8), get_le(b + idl + 8, 8));
		if (lv < 0)
			return lt_fail(LATHE_ECORRUPT, "%s: unknown Argon2id costs", fn);
		info->pwhash_level = lv;
		break;
	}
	}
	info->has_key_id = id_set(info->key_id);
	return LATHE_OK;
}

static lathe_status
info_fill(const char *fn, const uint8_t *buf, size_t len, lathe_object_info *info)
{
	lt_header h;
	lathe_status s = lt_parse(fn, buf, len, 0, &h, LATHE_ECORRUPT);
	if (s) {
		if (s == LATHE_EFORMAT)
			info->version = h.version; /* zero unless the magic was right */
		return s;
	}
	info->version = h.version;
	info->kind = h.kind;
	memcpy(info->param_hash, h.hash, LT_HASH_LEN);
	info->body_len = h.body_len;
	info->count = 1;
	info->pwhash_level = -1;
	s = info_body(fn, &h, info);
	if (s)
		memset(info, 0, sizeof(*info));
	return s;
}

lathe_status
lathe_object_info_from_buffer(const uint8_t *buf, size_t len, lathe_object_info *info)
{
	LT_CHECK_NULL(info);
	memset(info, 0, sizeof(*info));
	LT_CHECK_NULL(buf);
	return info_fill("lathe_object_info_from_buffer", buf, len, info);
}

lathe_status
lathe_object_info_load(const char *path, lathe_object_info *info)
{
	const char *fn = "lathe_object_info_load";
	LT_CHECK_NULL(info);
	memset(info, 0, sizeof(*info));
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lt_header h;
	lathe_status s = lt_read_file(fn, path, 0, UINT64_MAX, &b, &l, &h);
	if (s) {
		if (s == LATHE_EFORMAT)
			info->version = h.version;
		return s;
	}
	char who[320];
	snprintf(who, sizeof who, "%s: '%s'", fn, path);
	s = info_fill(who, b, l, info);
	free(b);
	return s;
}
