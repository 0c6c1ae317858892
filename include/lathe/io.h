/*
 * lathe — serialization and key management.
 *
 * Every object saves to a memory buffer or a file in one versioned binary
 * format (docs/format.md): magic "LATHE\0", format version, object kind,
 * the BLAKE2b hash of the context parameters, a body, and a BLAKE2b
 * checksum of everything before it. Loaders validate every field before
 * allocating and never trust the input:
 *   LATHE_EFORMAT    not a lathe object, or an unknown version or kind;
 *   LATHE_EMISMATCH  an object made under other parameters than ctx;
 *   LATHE_ECORRUPT   truncated, bad checksum, lengths or levels out of
 *                    range, words not below their prime;
 *   LATHE_EAUTH      (secret key) wrong passphrase or tampered file;
 *   LATHE_EIO        the file cannot be read or written.
 * Uniform parts are stored as their 32-byte seed where the object was made
 * with one (public key, key-switching keys, secret-key ciphertexts); words
 * are packed to their prime's bit size; ciphertexts keep only the limbs of
 * their level.
 *
 * Buffers returned through `uint8_t **buf` are allocated by lathe and
 * released with lathe_buffer_free.
 */
#ifndef LATHE_IO_H
#define LATHE_IO_H

#include <stddef.h>
#include <stdint.h>

#include "bgv.h"
#include "common.h"
#include "error.h"
#include "params.h"

LATHE_BEGIN_DECLS

/* Current format version written by this library. */
#define LATHE_FORMAT_VERSION 1

LATHE_API void lathe_buffer_free(uint8_t *buf);

/* ---- context (its parameters and primes) ---- */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_to_buffer(const lathe_ctx *ctx, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_from_buffer(const uint8_t *buf, size_t len, lathe_ctx **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_save(const lathe_ctx *ctx, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_load(const char *path, lathe_ctx **out);

/* ---- public key ---- */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_to_buffer(const lathe_pk *pk, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_pk **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_save(const lathe_pk *pk, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_load(const lathe_ctx *ctx, const char *path, lathe_pk **out);

/* ---- evaluation keys (relinearization and Galois keys) ---- */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_to_buffer(const lathe_evalkeys *ek, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_evalkeys **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_save(const lathe_evalkeys *ek, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_load(const lathe_ctx *ctx, const char *path, lathe_evalkeys **out);

/* ---- plaintexts and ciphertexts ---- */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pt_to_buffer(const lathe_pt *pt, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pt_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_pt **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_to_buffer(const lathe_ct *ct, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_ct **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_save(const lathe_ct *ct, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_load(const lathe_ctx *ctx, const char *path, lathe_ct **out);

/* A batch of ciphertexts in one object (one file, many records). */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_ct_batch_to_buffer(const lathe_ct *const *cts, size_t n, uint8_t **buf, size_t *len);
/* *out gets n_out freshly allocated ciphertexts (free each, then the array with lathe_buffer_free). */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_ct_batch_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_ct ***out, size_t *n_out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ct_batch_save(const lathe_ct *const *cts, size_t n, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_ct_batch_load(const lathe_ctx *ctx, const char *path, lathe_ct ***out, size_t *n_out);

/* ---- secret key, encrypted at rest ---- */

/*
 * Argon2id cost of the passphrase key derivation (libsodium crypto_pwhash).
 * LATHE_PWHASH_INTERACTIVE is the default; MODERATE and SENSITIVE are
 * slower and stronger.
 */
typedef enum lathe_pwhash_level {
	LATHE_PWHASH_INTERACTIVE = 0,
	LATHE_PWHASH_MODERATE = 1,
	LATHE_PWHASH_SENSITIVE = 2
} lathe_pwhash_level;

/*
 * The secret key is written only encrypted: Argon2id(passphrase, salt) ->
 * key, XChaCha20-Poly1305 over the key's coefficients with the header as
 * associated data. The passphrase must be non-empty.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_to_buffer(const lathe_sk *sk, const char *passphrase, lathe_pwhash_level level, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, const char *passphrase, lathe_sk **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_sk_save(const lathe_sk *sk, const char *path, const char *passphrase);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_load(const lathe_ctx *ctx, const char *path, const char *passphrase, lathe_sk **out);

LATHE_END_DECLS

#endif
