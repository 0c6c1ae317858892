/*
 * lathe — serialization and key management.
 *
 * Every object saves to a memory buffer or a file in one versioned binary
 * format (docs/format.md): magic "LATHE\0", format version, object kind,
 * the BLAKE2b hash of the context parameters, a body, and a BLAKE2b
 * checksum of everything before it. Keys, plaintexts and ciphertexts carry
 * their 32-byte key identifier (lathe_pk_key_id ...) in the body, and
 * loaders give it back to the loaded object. Loaders validate every field
 * before allocating and never trust the input:
 *   LATHE_EINVAL     a NULL argument (ctx, buffer, path, passphrase, out);
 *   LATHE_EFORMAT    not a lathe object, or an unknown version or kind
 *                    (this library reads format versions 1 and 2; objects
 *                    of version 1 carry no key identifier: ciphertexts,
 *                    plaintexts and secret keys load unbound, public keys
 *                    and bundles that carry one get the computed id);
 *   LATHE_EMISMATCH  an object made under other parameters than ctx;
 *   LATHE_ECORRUPT   truncated, bad checksum, lengths or levels out of
 *                    range, words not below their prime, a public key
 *                    whose stored identifier is not the one it hashes to;
 *   LATHE_EAUTH      (secret key) wrong passphrase or tampered file;
 *   LATHE_EIO        the file cannot be read or written, or the path is
 *                    not a regular file (a FIFO, a device, a directory:
 *                    refused without reading or blocking);
 *   LATHE_ENOMEM     an allocation failed.
 * On any error the output pointer is set to NULL (count to 0) and nothing
 * is allocated. A file load reads the header first and checks that its
 * body length adds up to the file's size, and is within what the context
 * allows for the kind, before allocating the body; it never reads more
 * than the file's size.
 *
 * Saves (*_save) replace the file atomically: a temporary file with a
 * random name beside it, created with mode 0666 (0600 for a secret key)
 * under the process umask, which is never changed; written, flushed,
 * renamed over the target, and the directory flushed. On any error
 * (LATHE_EINVAL for a NULL or empty path, LATHE_EIO) the old file, if any,
 * is untouched and no temporary file is left behind, except when only the
 * final flush of the directory fails: LATHE_EIO, the new file in place.
 * Saves from several threads at once are safe.
 *
 * Uniform parts are stored as their 32-byte seed where the object was made
 * with one (public key, key-switching keys, secret-key ciphertexts); words
 * are packed to their prime's bit size; ciphertexts keep only the limbs of
 * their level.
 *
 * Buffers returned through `uint8_t **buf` are allocated by lathe and
 * released with lathe_buffer_free, or lathe_buffer_free_secret for those
 * that hold secrets in the clear (plaintexts).
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

/*
 * The newest format version this library reads and writes; the loaders
 * read versions 1 to this one. Objects are written in the oldest version
 * that holds them: version 2, except evaluation-key bundles with Galois
 * keys below the top level (lathe_evalkeys_new_at), which need version 3,
 * bootstrappable contexts (lathe/boot.h), which need version 4, and
 * bundles with bootstrapping keys, version 5 (version 4's, whose
 * encapsulation key was made under p^e, are refused: make them again),
 * and contexts and bundles of keys shared by parties (lathe/multiparty.h),
 * version 6.
 */
#define LATHE_FORMAT_VERSION 6

/* Frees a buffer returned by a *_to_buffer call. NULL-safe. */
LATHE_API void lathe_buffer_free(uint8_t *buf);

/*
 * Zeroizes len bytes of buf (sodium_memzero: not optimized away), then
 * frees it. Use it for buffers that hold secrets in the clear: plaintexts
 * from lathe_pt_to_buffer (len: the length that call returned). NULL-safe
 * (then len is ignored).
 */
LATHE_API void lathe_buffer_free_secret(uint8_t *buf, size_t len);

/* ---- inspecting an object without its context ---- */

/* Object kinds (the kind field of the file header, docs/format.md). */
typedef enum lathe_object_kind {
	LATHE_OBJECT_CONTEXT = 1,
	LATHE_OBJECT_PUBLIC_KEY = 2,
	LATHE_OBJECT_EVALKEYS = 3,
	LATHE_OBJECT_PLAINTEXT = 4,
	LATHE_OBJECT_CIPHERTEXT = 5,
	LATHE_OBJECT_CIPHERTEXT_BATCH = 6,
	LATHE_OBJECT_SECRET_KEY = 7,
	LATHE_OBJECT_SHARE = 8,         /* a multiparty share (lathe/multiparty.h) */
	LATHE_OBJECT_PARTY = 9          /* a party's secret, sealed with a passphrase (lathe/multiparty.h) */
} lathe_object_kind;

/* What an object's header and fixed fields say (lathe_object_info_from_buffer). */
typedef struct lathe_object_info {
	unsigned version;     /* format version of the object */
	unsigned kind;        /* a lathe_object_kind */
	/* BLAKE2b-256 of the parameters it was made under: objects that can work together share it */
	uint8_t param_hash[32];
	/*
	 * 1 when the object names a key pair, and key_id is its identifier:
	 * keys always; plaintexts and ciphertexts once bound to a key (0 for a
	 * fresh encoding); a batch when all its records name the same key.
	 * 0 (key_id all zero) for contexts and unbound objects. A secret key's
	 * identifier is only authenticated when it is loaded with its passphrase.
	 */
	int has_key_id;
	uint8_t key_id[LATHE_KEY_ID_BYTES];
	uint64_t body_len;    /* bytes of the body (file size = body_len + 84) */
	unsigned level;       /* ciphertext: its level; batch: the highest level of its records; else 0 */
	unsigned count;       /* batch: number of ciphertexts; 1 for every other kind */
	/* ciphertext: 2 or 3 components; batch: the most of any record; else 0 */
	unsigned components;
	/* secret key, sealed party: the lathe_pwhash_level of its Argon2id costs; -1 for other kinds */
	int pwhash_level;
} lathe_object_info;

/*
 * Fills info from an object in buf without a context (for tools such as a
 * `lathe info` command): checks the magic, the version, the kind, the body
 * length and the checksum, and the fixed fields it reports; not the body
 * against any parameters (a loader does that).
 * Errors: LATHE_EINVAL (NULL), LATHE_EFORMAT (not a lathe object, unknown
 * kind, other format version: then info->version alone holds the file's
 * version, so a tool can name it), LATHE_ECORRUPT (truncated, checksum,
 * lengths, a batch whose records do not fit, a secret key naming unknown
 * Argon2id costs; no field is checked against a secret, so a secret key's
 * checksum mismatch is ECORRUPT here). On any error every field of info is
 * zero except as said.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_object_info_from_buffer(const uint8_t *buf, size_t len, lathe_object_info *info);
/* The same for a file (read as the loaders read it; LATHE_EIO as they give it). */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_object_info_load(const char *path, lathe_object_info *info);

/* ---- context (its parameters and primes) ---- */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_to_buffer(const lathe_ctx *ctx, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_from_buffer(const uint8_t *buf, size_t len, lathe_ctx **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_save(const lathe_ctx *ctx, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_ctx_load(const char *path, lathe_ctx **out);

/* ---- public key ---- */
/* The loader recomputes the key identifier from the key and refuses (LATHE_ECORRUPT) a file naming another. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_to_buffer(const lathe_pk *pk, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_pk **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_save(const lathe_pk *pk, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_pk_load(const lathe_ctx *ctx, const char *path, lathe_pk **out);

/*
 * ---- evaluation keys (relinearization and Galois keys) ----
 * A bundle that carries its public key must name that key's identifier
 * (LATHE_ECORRUPT otherwise).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_to_buffer(const lathe_evalkeys *ek, uint8_t **buf, size_t *len);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, lathe_evalkeys **out);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_save(const lathe_evalkeys *ek, const char *path);
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_evalkeys_load(const lathe_ctx *ctx, const char *path, lathe_evalkeys **out);

/* ---- plaintexts and ciphertexts ---- */

/*
 * A plaintext's buffer holds its coefficients in the clear: release it with
 * lathe_buffer_free_secret(buf, len), not lathe_buffer_free.
 */
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
 * key, XChaCha20-Poly1305 over the key's coefficients with the header, the
 * key identifier, the Argon2id costs, the salt and the nonce as associated
 * data. The passphrase must be non-empty (LATHE_EINVAL). level: a
 * lathe_pwhash_level (LATHE_EINVAL otherwise); Argon2id takes about 64 MiB
 * (INTERACTIVE), 256 MiB (MODERATE) or 1 GiB (SENSITIVE) while it runs
 * (LATHE_ENOMEM when it cannot get them).
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_to_buffer(const lathe_sk *sk, const char *passphrase, lathe_pwhash_level level, uint8_t **buf, size_t *len);
/*
 * Decrypts a secret key. The file must name one of the three Argon2id cost
 * pairs (anything else is LATHE_ECORRUPT, answered before Argon2id runs:
 * a crafted file cannot make the loader spend more than SENSITIVE costs).
 * The loaded key takes its identifier from the authenticated file.
 * Errors: as at the top, LATHE_EAUTH for a wrong passphrase or any change
 * to the file.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_from_buffer(const lathe_ctx *ctx, const uint8_t *buf, size_t len, const char *passphrase, lathe_sk **out);
/* lathe_sk_save_ex at LATHE_PWHASH_INTERACTIVE. */
LATHE_API LATHE_WARN_UNUSED lathe_status lathe_sk_save(const lathe_sk *sk, const char *path, const char *passphrase);
/*
 * Saves the encrypted secret key to path (mode 0600 whatever the umask),
 * with the Argon2id cost `level`. Errors: LATHE_EINVAL (NULL, empty
 * passphrase or path, unknown level: then no file is touched), LATHE_EIO,
 * LATHE_ENOMEM.
 */
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_save_ex(const lathe_sk *sk, const char *path, const char *passphrase, lathe_pwhash_level level);
LATHE_API LATHE_WARN_UNUSED lathe_status
lathe_sk_load(const lathe_ctx *ctx, const char *path, const char *passphrase, lathe_sk **out);

LATHE_END_DECLS

#endif
