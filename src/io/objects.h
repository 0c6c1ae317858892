/*
 * What the serializers of the object kinds share (never installed): limbs
 * packed at the widths of their primes, the envelope check against a
 * context, key-id helpers, and the largest body each kind of object can
 * have under a context, which the file loaders check before reading a body.
 * Defined in objects.c (shared pieces), keys.c (context and key lengths)
 * and ciphertexts.c (ciphertext lengths).
 */
#ifndef LT_IO_OBJECTS_H
#define LT_IO_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "../bgv/internal.h"
#include "format.h"

/*
 * context body: u8 log2 N, u8 r, u16 security, u64 p, u16 L+1, u16 k, u16
 * alpha, then the primes; version 4 (bootstrappable): then u8 e, u16 h
 */
#define LT_CTX_FIXED 18
#define LT_CTX_BOOT 3
#define LT_CTX_MAX_BODY (LT_CTX_FIXED + 8 * (LT_MAX_CHAIN + LT_MAX_SPECIAL) + LT_CTX_BOOT + 1)

/* Writes limbs first .. first+count-1 of words (c->n words each), each packed at its prime's width. */
void lt_w_limbs(lt_writer *w, const lathe_ctx *c, const uint64_t *words, unsigned first, unsigned count);
/* Reads what lt_w_limbs writes; 0 (and r->failed) when a word is not below its prime, else 1. */
int lt_r_limbs(lt_reader *r, const lathe_ctx *c, uint64_t *words, unsigned first, unsigned count);
/* Bytes that lt_w_limbs writes for these limbs. */
size_t lt_limbs_len(const lathe_ctx *c, unsigned first, unsigned count);

/*
 * Checks buf as an object of `kind` made under ctx's parameters: the
 * statuses of lt_parse (checksum mismatch: LATHE_ECORRUPT), then
 * LATHE_EMISMATCH for another parameter hash. Fills h.
 */
lathe_status lt_open_object(const char *fn, const lathe_ctx *ctx, const uint8_t *buf, size_t len, uint16_t kind,
                            lt_header *h);
/* Returns LATHE_ECORRUPT with the sentence "fn: what". */
lathe_status lt_corrupt(const char *fn, const char *what);

/* Bytes of the key id in a body of format version ver (none before version 2). */
size_t lt_id_len(unsigned ver);
/* The first 16 hex digits of a key id, NUL-terminated, for error sentences. */
void lt_id_hex16(char out[17], const uint8_t id[LT_KEYID_BYTES]);

/* Body length of a public key under c (current format version). */
size_t lt_pk_body_len(const lathe_ctx *c);
/* The largest evaluation-key body c allows: one key per Galois element. */
uint64_t lt_evalkeys_max_body_len(const lathe_ctx *c);
/* The largest ciphertext body c allows: 3 components at the top level. */
size_t lt_ct_max_body_len(const lathe_ctx *c);

#endif
