/*
 * A party at rest (docs/format.md, kind 9): what it publishes in the
 * clear (index, parties, common seed, threshold, the collective key it is
 * bound to) as the body's fixed fields, then its secret (the 32-byte
 * seed, and its point of the shared secret once a threshold is set)
 * sealed as the secret key is: passphrase -> key with Argon2id, then
 * XChaCha20-Poly1305 with the header and the fixed fields as associated
 * data, so changing any of them is tampering. Every plaintext copy and
 * the derived key are zeroized.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <lathe/io.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../io/format.h"
#include "../io/objects.h"
#include "mp.h"

#define PARTY_VERSION 6
#define SALT_LEN crypto_pwhash_SALTBYTES
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEY_LEN crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define AD_LEN (LT_HEADER_LEN + LT_PARTY_FIXED)

_Static_assert(LT_PARTY_FIXED == LT_KEYID_BYTES + 4 + LATHE_MP_SEED_BYTES + 16 + SALT_LEN + NONCE_LEN,
               "sealed party body layout");
_Static_assert(KEY_LEN == 32 && SALT_LEN == 16, "the key derivation's sizes");

/* bytes of the sealed plaintext: the seed, and the point's limbs under a threshold */
static size_t
plain_len(const lathe_ctx *c, unsigned threshold)
{
	return LATHE_MP_SEED_BYTES + (threshold ? lt_limbs_len(c, 0, c->nq) : 0);
}

lathe_status
lathe_party_to_buffer(const lathe_party *p, const char *passphrase, lathe_pwhash_level level, uint8_t **buf,
                      size_t *len)
{
	const char *fn = "lathe_party_to_buffer";
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(passphrase);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(len);
	if (!*passphrase)
		return lt_fail(LATHE_EINVAL, "%s: the passphrase is empty", fn);
	unsigned long long ops;
	size_t mem;
	if (lt_pwhash_costs((int)level, &ops, &mem))
		return lt_fail(LATHE_EINVAL, "%s: unknown Argon2id level %d (use a lathe_pwhash_level)", fn, (int)level);
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: libsodium failed to initialise", fn);
	const lathe_ctx *c = p->ctx;
	const unsigned thr = p->tpoint ? p->threshold : 0;
	const size_t plen = plain_len(c, thr);
	uint8_t salt[SALT_LEN], nonce[NONCE_LEN], key[KEY_LEN];
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(nonce, sizeof nonce);
	lathe_status st = lt_pwhash_derive(fn, key, passphrase, salt, ops, mem);
	if (st)
		return st;
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	static const uint8_t zero[LT_KEYID_BYTES];
	lt_w_bytes(&w, p->has_pk ? p->keyid : zero, LT_KEYID_BYTES);
	lt_w_u8(&w, (uint8_t)p->index);
	lt_w_u8(&w, (uint8_t)p->nparties);
	lt_w_u8(&w, (uint8_t)thr);
	lt_w_u8(&w, p->has_pk ? 1 : 0);
	lt_w_bytes(&w, p->crs, LATHE_MP_SEED_BYTES);
	lt_w_u64(&w, ops);
	lt_w_u64(&w, mem);
	lt_w_bytes(&w, salt, sizeof salt);
	lt_w_bytes(&w, nonce, sizeof nonce);
	/* the plaintext in a writer of its own: it is wiped, never grown into the file */
	lt_writer pw;
	lt_w_init(&pw);
	lt_w_bytes(&pw, p->seed, LATHE_MP_SEED_BYTES);
	if (thr)
		lt_w_limbs(&pw, c, p->tpoint, 0, c->nq);
	uint8_t *ctext = lt_alloc(plen + TAG_LEN);
	if (pw.failed || w.failed || !ctext || pw.len != plen) {
		if (pw.buf)
			sodium_memzero(pw.buf, pw.len);
		lt_w_clear(&pw);
		lt_w_clear(&w);
		lt_free(ctext);
		sodium_memzero(key, sizeof key);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	lt_header_encode_v(w.buf, LT_KIND_PARTY, c->hash, LT_PARTY_FIXED + plen + TAG_LEN, PARTY_VERSION);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(ctext, &clen, pw.buf, plen, w.buf, AD_LEN, NULL, nonce, key);
	sodium_memzero(key, sizeof key);
	sodium_memzero(pw.buf, pw.len);
	lt_w_clear(&pw);
	lt_w_bytes(&w, ctext, (size_t)clen);
	lt_free(ctext);
	lt_w_finish_v(&w, LT_KIND_PARTY, c->hash, PARTY_VERSION);
	return lt_w_take(&w, fn, buf, len);
}

/* the largest body of a sealed party of ctx */
static uint64_t
max_body(const lathe_ctx *c)
{
	return LT_PARTY_FIXED + plain_len(c, 2) + TAG_LEN;
}

lathe_status
lathe_party_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, const char *passphrase,
                        lathe_party **out)
{
	const char *fn = "lathe_party_from_buffer";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(passphrase);
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: libsodium failed to initialise", fn);
	lt_header h;
	/* the fields are authenticated: a checksum failure is reported as tampering */
	lathe_status st = lt_parse(fn, buf, len, LT_KIND_PARTY, &h, LATHE_EAUTH);
	if (st)
		return st;
	if (memcmp(h.hash, ctx->hash, LT_HASH_LEN) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the party was made under other parameters than this context", fn);
	if (h.body_len < LT_PARTY_FIXED)
		return lt_corrupt(fn, "body shorter than its fixed fields");
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	uint8_t keyid[LT_KEYID_BYTES], crs[LATHE_MP_SEED_BYTES], salt[SALT_LEN], nonce[NONCE_LEN];
	lt_r_bytes(&r, keyid, sizeof keyid);
	const unsigned index = lt_r_u8(&r), np = lt_r_u8(&r), thr = lt_r_u8(&r), flags = lt_r_u8(&r);
	lt_r_bytes(&r, crs, sizeof crs);
	const uint64_t ops = lt_r_u64(&r), mem = lt_r_u64(&r);
	lt_r_bytes(&r, salt, sizeof salt);
	lt_r_bytes(&r, nonce, sizeof nonce);
	if (np != ctx->par.parties || index >= np)
		return lt_corrupt(fn, "party index or number of parties out of range for this context");
	if (flags > 1 || (thr != 0 && (thr < 2 || thr > np)))
		return lt_corrupt(fn, "flags or threshold out of range");
	const size_t plen = plain_len(ctx, thr);
	if (h.body_len != LT_PARTY_FIXED + plen + TAG_LEN)
		return lt_corrupt(fn, "body length does not match the party's threshold");
	/* only the three cost pairs this library writes: a file must not choose what Argon2id spends */
	if (lt_pwhash_level_of(ops, mem) < 0)
		return lt_corrupt(fn, "Argon2id costs are not one of the three levels this library writes");
	uint8_t key[KEY_LEN];
	if ((st = lt_pwhash_derive(fn, key, passphrase, salt, (unsigned long long)ops, (size_t)mem)))
		return st;
	uint8_t *pt = lt_alloc(plen);
	if (!pt) {
		sodium_memzero(key, sizeof key);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	unsigned long long mlen;
	const int bad = crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &mlen, NULL, r.p, plen + TAG_LEN, buf, AD_LEN,
	                                                           nonce, key);
	sodium_memzero(key, sizeof key);
	if (bad) {
		lt_free_secret(pt, plen);
		return lt_fail(LATHE_EAUTH, "%s: wrong passphrase or tampered party file", fn);
	}
	lathe_party *p;
	st = lathe_party_from_seed(ctx, crs, index, np, pt, &p);
	if (st) {
		lt_free_secret(pt, plen);
		return st;
	}
	if (thr) {
		const size_t words = lt_comp_words(ctx);
		p->tpoint = lt_alloc(words * 8);
		lt_reader pr;
		lt_r_init(&pr, pt + LATHE_MP_SEED_BYTES, plen - LATHE_MP_SEED_BYTES);
		if (!p->tpoint || !lt_r_limbs(&pr, ctx, p->tpoint, 0, ctx->nq)) {
			const int oom = !p->tpoint;
			lt_free_secret(pt, plen);
			lathe_party_free(p);
			return oom ? lt_fail(LATHE_ENOMEM, "%s: out of memory", fn)
			           : lt_corrupt(fn, "a word of the shared secret's point is not below its prime");
		}
		p->threshold = thr;
	}
	lt_free_secret(pt, plen);
	if (flags & 1) {
		memcpy(p->keyid, keyid, LT_KEYID_BYTES); /* authenticated above */
		p->has_pk = 1;
	}
	*out = p;
	return LATHE_OK;
}

lathe_status
lathe_party_save(const lathe_party *p, const char *path, const char *passphrase, lathe_pwhash_level level)
{
	const char *fn = "lathe_party_save";
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(path);
	uint8_t *b;
	size_t l;
	lathe_status st = lathe_party_to_buffer(p, passphrase, level, &b, &l);
	if (st)
		return st;
	st = lt_write_file(fn, path, b, l, 1);
	lathe_buffer_free(b);
	return st;
}

lathe_status
lathe_party_load(const lathe_ctx *ctx, const char *path, const char *passphrase, lathe_party **out)
{
	const char *fn = "lathe_party_load";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(path);
	LT_CHECK_NULL(passphrase);
	uint8_t *b;
	size_t l;
	lathe_status st = lt_read_file(fn, path, LT_KIND_PARTY, max_body(ctx), &b, &l, NULL);
	if (st)
		return st;
	st = lathe_party_from_buffer(ctx, b, l, passphrase, out);
	if (st) {
		char inner[512];
		snprintf(inner, sizeof inner, "%s", lathe_last_error());
		st = lt_fail(st, "%s: '%s': %s", fn, path, inner);
	}
	free(b);
	return st;
}

lathe_status
lathe_party_info(const lathe_party *p, unsigned *index, unsigned *nparties, unsigned *threshold, int *has_pk)
{
	LT_CHECK_NULL(p);
	if (index)
		*index = p->index;
	if (nparties)
		*nparties = p->nparties;
	if (threshold)
		*threshold = p->tpoint ? p->threshold : 0;
	if (has_pk)
		*has_pk = p->has_pk;
	return LATHE_OK;
}
