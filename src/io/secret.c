/*
 * The secret key at rest: passphrase -> key with Argon2id (libsodium
 * crypto_pwhash), then XChaCha20-Poly1305 over the packed coefficients.
 * The associated data is the object's header and every body field before
 * the ciphertext (key id, Argon2id costs, salt, nonce), so changing any of
 * them is tampering. The passphrase-derived key and every plaintext copy
 * are zeroized.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include <lathe/io.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "../core/prng.h"
#include "format.h"

#define SALT_LEN crypto_pwhash_SALTBYTES
#define NONCE_LEN crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_LEN crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEY_LEN crypto_aead_xchacha20poly1305_ietf_KEYBYTES
/* associated data: the header and the fixed body fields */
#define AD_LEN (LT_HEADER_LEN + LT_SK_FIXED)

_Static_assert(KEY_LEN == 32 && SALT_LEN == 16, "lt_pwhash_derive sizes");
_Static_assert(LT_SK_FIXED == LT_KEYID_BYTES + 16 + SALT_LEN + NONCE_LEN, "secret-key body layout");

int
lt_pwhash_costs(int level, unsigned long long *ops, size_t *mem)
{
	switch (level) {
	case LATHE_PWHASH_INTERACTIVE:
		*ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		*mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		return 0;
	case LATHE_PWHASH_MODERATE:
		*ops = crypto_pwhash_OPSLIMIT_MODERATE;
		*mem = crypto_pwhash_MEMLIMIT_MODERATE;
		return 0;
	case LATHE_PWHASH_SENSITIVE:
		*ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
		*mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
		return 0;
	}
	return -1;
}

int
lt_pwhash_level_of(uint64_t ops, uint64_t mem)
{
	for (int lv = LATHE_PWHASH_INTERACTIVE; lv <= LATHE_PWHASH_SENSITIVE; lv++) {
		unsigned long long o;
		size_t m;
		(void)lt_pwhash_costs(lv, &o, &m);
		if (ops == o && mem == m)
			return lv;
	}
	return -1;
}

lathe_status
lt_pwhash_derive(const char *fn, uint8_t key[32], const char *pass, const uint8_t salt[16], unsigned long long ops,
                 size_t mem)
{
	if (crypto_pwhash(key, KEY_LEN, pass, strlen(pass), salt, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return lt_fail(LATHE_ENOMEM, "%s: Argon2id could not get its memory (%zu bytes)", fn, mem);
	return LATHE_OK;
}

lathe_status
lathe_sk_to_buffer(const lathe_sk *sk, const char *passphrase, lathe_pwhash_level level, uint8_t **buf,
                   size_t *len)
{
	const char *fn = "lathe_sk_to_buffer";
	LT_CHECK_NULL(sk);
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
	const lathe_ctx *c = sk->ctx;
	const size_t n = c->n, plen = lt_packed_len(n, 2);
	uint8_t salt[SALT_LEN], nonce[NONCE_LEN], key[KEY_LEN];
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(nonce, sizeof nonce);
	lathe_status s = lt_pwhash_derive(fn, key, passphrase, salt, ops, mem);
	if (s)
		return s;
	/* the header and the fixed fields first: they are the associated data */
	lt_writer w;
	lt_w_init(&w);
	lt_w_begin(&w);
	lt_w_bytes(&w, sk->keyid, LT_KEYID_BYTES);
	lt_w_u64(&w, ops);
	lt_w_u64(&w, mem);
	lt_w_bytes(&w, salt, sizeof salt);
	lt_w_bytes(&w, nonce, sizeof nonce);
	/* coefficients s + 1 in {0, 1, 2}, two bits each (CT: table-free packing) */
	uint64_t *digits = lt_alloc(n * 8);
	uint8_t *ctext = lt_alloc(plen + TAG_LEN);
	lt_writer pk;
	lt_w_init(&pk);
	if (digits) {
		for (size_t j = 0; j < n; j++)
			digits[j] = (uint64_t)(int64_t)(sk->s[j] + 1);
		lt_w_packed(&pk, digits, n, 2);
		lt_free_secret(digits, n * 8);
	}
	if (!digits || pk.failed || !ctext || w.failed) {
		lt_w_clear(&pk);
		lt_w_clear(&w);
		lt_free(ctext);
		sodium_memzero(key, sizeof key);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	lt_header_encode(w.buf, LT_KIND_SK, c->hash, LT_SK_FIXED + plen + TAG_LEN);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(ctext, &clen, pk.buf, plen, w.buf, AD_LEN, NULL, nonce, key);
	sodium_memzero(key, sizeof key);
	lt_w_clear(&pk);
	lt_w_bytes(&w, ctext, (size_t)clen);
	lt_free(ctext);
	lt_w_finish(&w, LT_KIND_SK, c->hash);
	return lt_w_take(&w, fn, buf, len);
}

lathe_status
lathe_sk_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, const char *passphrase, lathe_sk **out)
{
	const char *fn = "lathe_sk_from_buffer";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(buf);
	LT_CHECK_NULL(passphrase);
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: libsodium failed to initialise", fn);
	lt_header h;
	/* a checksum failure on an authenticated secret key is reported as tampering */
	lathe_status s = lt_parse(fn, buf, len, LT_KIND_SK, &h, LATHE_EAUTH);
	if (s)
		return s;
	if (memcmp(h.hash, ctx->hash, LT_HASH_LEN) != 0)
		return lt_fail(LATHE_EMISMATCH, "%s: the key was made under other parameters than this context", fn);
	const size_t n = ctx->n, plen = lt_packed_len(n, 2);
	/* version 1 had no key id: the key loads unbound */
	const size_t idl = h.version >= 2 ? LT_KEYID_BYTES : 0;
	if (h.body_len != LT_SK_FIXED - LT_KEYID_BYTES + idl + plen + TAG_LEN)
		return lt_fail(LATHE_ECORRUPT, "%s: body length does not match the context", fn);
	lt_reader r;
	lt_r_init(&r, h.body, h.body_len);
	uint8_t id[LT_KEYID_BYTES] = { 0 };
	lt_r_bytes(&r, id, idl);
	uint64_t ops = lt_r_u64(&r), mem = lt_r_u64(&r);
	uint8_t salt[SALT_LEN], nonce[NONCE_LEN], key[KEY_LEN];
	lt_r_bytes(&r, salt, sizeof salt);
	lt_r_bytes(&r, nonce, sizeof nonce);
	/*
	 * Only the three pairs this library writes: a file must not choose how
	 * much memory and time we spend before the passphrase is checked.
	 */
	if (lt_pwhash_level_of(ops, mem) < 0)
		return lt_fail(LATHE_ECORRUPT,
		               "%s: Argon2id costs (opslimit %llu, memlimit %llu) are not one of the three levels "
		               "this library writes",
		               fn, (unsigned long long)ops, (unsigned long long)mem);
	if ((s = lt_pwhash_derive(fn, key, passphrase, salt, (unsigned long long)ops, (size_t)mem)))
		return s;
	uint8_t *pt = lt_alloc(plen);
	if (!pt) {
		sodium_memzero(key, sizeof key);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	unsigned long long mlen;
	int bad;
	if (h.version >= 2) {
		bad = crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &mlen, NULL, r.p, plen + TAG_LEN, buf, AD_LEN, nonce,
		                                                 key);
	} else {
		/* version 1's associated data: "LATHE-sk", the parameter hash, the costs and the salt */
		uint8_t ad1[8 + LT_HASH_LEN + 16 + SALT_LEN];
		memcpy(ad1, "LATHE-sk", 8);
		memcpy(ad1 + 8, ctx->hash, LT_HASH_LEN);
		for (int i = 0; i < 8; i++) {
			ad1[8 + LT_HASH_LEN + i] = (uint8_t)(ops >> (8 * i));
			ad1[16 + LT_HASH_LEN + i] = (uint8_t)(mem >> (8 * i));
		}
		memcpy(ad1 + 24 + LT_HASH_LEN, salt, SALT_LEN);
		bad = crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &mlen, NULL, r.p, plen + TAG_LEN, ad1, sizeof ad1,
		                                                 nonce, key);
	}
	sodium_memzero(key, sizeof key);
	if (bad) {
		lt_free_secret(pt, plen);
		return lt_fail(LATHE_EAUTH, "%s: wrong passphrase or tampered key file", fn);
	}
	uint64_t *digits = lt_alloc(n * 8);
	int8_t *coef = lt_alloc(n);
	if (!digits || !coef) {
		lt_free(digits);
		lt_free(coef);
		lt_free_secret(pt, plen);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	lt_reader pr;
	lt_r_init(&pr, pt, plen);
	int ok = lt_r_packed(&pr, digits, n, 2, 3);
	for (size_t j = 0; j < n; j++)
		coef[j] = (int8_t)((int)digits[j] - 1);
	lt_free_secret(digits, n * 8);
	lt_free_secret(pt, plen);
	if (!ok) {
		lt_free_secret(coef, n);
		return lt_fail(LATHE_ECORRUPT, "%s: coefficient out of range", fn);
	}
	s = lt_sk_from_coeffs(ctx, coef, out);
	lt_free_secret(coef, n);
	if (s == LATHE_OK)
		memcpy((*out)->keyid, id, LT_KEYID_BYTES); /* authenticated above, with the key */
	return s;
}

lathe_status
lathe_sk_save_ex(const lathe_sk *sk, const char *path, const char *passphrase, lathe_pwhash_level level)
{
	const char *fn = "lathe_sk_save_ex";
	LT_CHECK_NULL(sk);
	LT_CHECK_NULL(path);
	LT_CHECK_NULL(passphrase);
	unsigned long long ops;
	size_t mem;
	if (lt_pwhash_costs((int)level, &ops, &mem))
		return lt_fail(LATHE_EINVAL, "%s: unknown Argon2id level %d (use a lathe_pwhash_level)", fn, (int)level);
	uint8_t *b;
	size_t l;
	lathe_status s = lathe_sk_to_buffer(sk, passphrase, level, &b, &l);
	if (s)
		return s;
	s = lt_write_file(fn, path, b, l, 1);
	lathe_buffer_free(b);
	return s;
}

lathe_status
lathe_sk_save(const lathe_sk *sk, const char *path, const char *passphrase)
{
	return lathe_sk_save_ex(sk, path, passphrase, LATHE_PWHASH_INTERACTIVE);
}

lathe_status
lathe_sk_load(const lathe_ctx *ctx, const char *path, const char *passphrase, lathe_sk **out)
{
	const char *fn = "lathe_sk_load";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(path);
	LT_CHECK_NULL(passphrase);
	uint8_t *b;
	size_t l;
	lathe_status s =
	    lt_read_file(fn, path, LT_KIND_SK, LT_SK_FIXED + lt_packed_len(ctx->n, 2) + TAG_LEN, &b, &l, NULL);
	if (s)
		return s;
	s = lathe_sk_from_buffer(ctx, b, l, passphrase, out);
	if (s) {
		char inner[512];
		snprintf(inner, sizeof inner, "%s", lathe_last_error());
		s = lt_fail(s, "%s: '%s': %s", fn, path, inner);
	}
	free(b);
	return s;
}
