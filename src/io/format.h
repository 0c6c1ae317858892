/*
 * The binary format shared by every saved object (docs/format.md):
 *
 *   header  magic "LATHE\0" (6) | version u16 | kind u16 | flags u16 |
 *           parameter hash (32) | body length u64          = 52 bytes
 *   body    kind-specific, little-endian, fixed-width fields; every
 *           object made under a key starts with its 32-byte key id
 *   trailer BLAKE2b-256 of header and body (32)
 *
 * A writer grows a buffer; a reader walks a body and fails, without
 * reading past its end, on the first field that does not fit.
 *
 * Defined in codec.c (writer and reader), format.c (header, checksum,
 * parsing), file.c (object files) and secret.c (Argon2id costs).
 */
#ifndef LT_FORMAT_H
#define LT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include <lathe/error.h>

#define LT_MAGIC "LATHE\0"
#define LT_MAGIC_LEN 6
#define LT_HEADER_LEN 52
#define LT_CHECKSUM_LEN 32
#define LT_HASH_LEN 32
#define LT_KEY_ID_LEN 32
/* The oldest format version the loaders read (version 1: no key ids, Galois keys by step). */
#define LT_FORMAT_OLDEST 1
/*
 * The version objects are written in: the oldest that holds them. Version
 * 3 differs only for evaluation-key bundles with Galois keys below the top
 * level, and only those are written in it; version 4 (LATHE_FORMAT_VERSION)
 * only for bootstrappable contexts and bundles with bootstrapping keys.
 */
#define LT_FORMAT_BASE 2
/* header + trailer */
#define LT_ENVELOPE_LEN (LT_HEADER_LEN + LT_CHECKSUM_LEN)

/* Fixed fields at the start of a ciphertext body: key id, u32 level, u8 components, u8 seeded, u16 zero,
 * u64 plaintext factor, u64 noise estimate. */
#define LT_CT_FIXED (LT_KEY_ID_LEN + 24)
/* Fixed fields of a secret-key body before its AEAD ciphertext: key id, u64 opslimit, u64 memlimit,
 * 16-byte salt, 24-byte nonce. The header and these bytes are the AEAD's associated data. */
#define LT_SK_FIXED (LT_KEY_ID_LEN + 16 + 16 + 24)

enum lt_kind {
	LT_KIND_CTX = 1,
	LT_KIND_PK = 2,
	LT_KIND_EVALKEYS = 3,
	LT_KIND_PT = 4,
	LT_KIND_CT = 5,
	LT_KIND_CT_BATCH = 6,
	LT_KIND_SK = 7,
	LT_KIND_SHARE = 8,   /* a multiparty share (lathe/multiparty.h), version 6 on */
	LT_KIND_PARTY = 9,   /* a party's sealed secret (lathe/multiparty.h), version 6 on */
};
/* Fixed fields of a share body: key id, u8 kind, u8 party, u8 parties, u8 zero, common seed, u64 Galois
 * element, u32 level, u64 noise, binding (32), u16 polynomials, u16 limbs. */
#define LT_SHARE_FIXED (LT_KEY_ID_LEN + 4 + 32 + 8 + 4 + 8 + 32 + 4)
/* Fixed fields of a sealed party body before its AEAD ciphertext: collective key id (zero when unset), u8
 * index, u8 parties, u8 threshold, u8 flags (1: key id set), common seed, u64 opslimit, u64 memlimit, 16-byte
 * salt, 24-byte nonce. The header and these bytes are the AEAD's associated data. */
#define LT_PARTY_FIXED (LT_KEY_ID_LEN + 4 + 32 + 16 + 16 + 24)

typedef struct lt_writer {
	uint8_t *buf;
	size_t len, cap;
	int failed;        /* allocation failed: every later write is ignored */
} lt_writer;

typedef struct lt_reader {
	const uint8_t *p;
	size_t left;
	int failed;        /* a field did not fit: every later read yields 0 */
} lt_reader;

void lt_w_init(lt_writer *w);
/* Makes room for n more bytes at once (the rest of an object of known size): no regrowth, no copies */
void lt_w_expect(lt_writer *w, size_t n);
void lt_w_bytes(lt_writer *w, const void *src, size_t n);
void lt_w_u8(lt_writer *w, uint8_t v);
void lt_w_u16(lt_writer *w, uint16_t v);
void lt_w_u32(lt_writer *w, uint32_t v);
void lt_w_u64(lt_writer *w, uint64_t v);
/* n words, each < 2^bits, packed little-endian at `bits` bits each */
void lt_w_packed(lt_writer *w, const uint64_t *words, size_t n, unsigned bits);
/* Frees the buffer (zeroizing it: writers may hold secrets). */
void lt_w_clear(lt_writer *w);

void lt_r_init(lt_reader *r, const uint8_t *p, size_t n);
int lt_r_bytes(lt_reader *r, void *dst, size_t n);
uint8_t lt_r_u8(lt_reader *r);
uint16_t lt_r_u16(lt_reader *r);
uint32_t lt_r_u32(lt_reader *r);
uint64_t lt_r_u64(lt_reader *r);
/*
 * Reads n packed words of `bits` bits; each must be < q (else r->failed
 * and returns 0). Returns 1 on success.
 */
int lt_r_packed(lt_reader *r, uint64_t *words, size_t n, unsigned bits, uint64_t q);

/* Bytes that n words of `bits` bits occupy. */
size_t lt_packed_len(size_t n, unsigned bits);

/*
 * Wraps body (already in w, after lt_w_begin) with its header fields and
 * trailer checksum: call lt_w_begin first to reserve the header, then
 * write the body, then lt_w_finish.
 */
void lt_w_begin(lt_writer *w);
void lt_w_finish(lt_writer *w, uint16_t kind, const uint8_t hash[LT_HASH_LEN]);
/* lt_w_finish writing format version `version` (LT_FORMAT_BASE for lt_w_finish) */
void lt_w_finish_v(lt_writer *w, uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint16_t version);
/* Writes the 52 header bytes of an object of this kind, hash and body length (version LT_FORMAT_BASE) into out. */
void lt_header_encode(uint8_t out[LT_HEADER_LEN], uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint64_t body_len);
/* The same in a given format version (objects no earlier version holds). */
void lt_header_encode_v(uint8_t out[LT_HEADER_LEN], uint16_t kind, const uint8_t hash[LT_HASH_LEN], uint64_t body_len,
                        uint16_t version);

/* Parsed header. */
typedef struct lt_header {
	uint16_t version, kind, flags;
	uint8_t hash[LT_HASH_LEN];
	uint64_t body_len;
	const uint8_t *body;
} lt_header;

/*
 * Decodes the first LT_HEADER_LEN bytes of buf (len of them available):
 * LATHE_EFORMAT for a wrong magic or version (h->version is then set when
 * the magic was right), LATHE_ECORRUPT when fewer than the header's bytes
 * are given. Checks neither the kind, the body length nor the checksum.
 * fn names the caller in the error sentence.
 */
lathe_status lt_header_decode(const char *fn, const uint8_t *buf, size_t len, lt_header *h);

/*
 * Checks a decoded header's kind: LATHE_EFORMAT unless it is `kind`, or,
 * for kind 0, any known kind. fn names the caller in the error sentence.
 */
lathe_status lt_check_kind(const char *fn, const lt_header *h, uint16_t kind);

/*
 * Checks buf as an object of `kind` (0: any known kind): LATHE_EFORMAT
 * (magic, version, kind), LATHE_ECORRUPT (short, body length, flags,
 * checksum: checksum_status instead for a checksum mismatch). Fills h.
 */
lathe_status lt_parse(const char *fn, const uint8_t *buf, size_t len, uint16_t kind, lt_header *h,
                      lathe_status checksum_status);

/*
 * Reads a whole object file. Refuses, before allocating anything beyond
 * the header: a path that is not a regular file (LATHE_EIO; FIFOs and
 * devices are never read, and opening one does not block), a wrong magic,
 * version or kind (LATHE_EFORMAT; kind 0 accepts any), a body length that
 * does not add up to the file's size or exceeds max_body (LATHE_ECORRUPT).
 * Reads at most the size fstat reported. *buf is allocated with malloc
 * (free it with free); fn names the caller in the error sentence. hdr, if
 * not NULL, gets the header as lt_header_decode leaves it (also on error).
 */
lathe_status lt_read_file(const char *fn, const char *path, uint16_t kind, uint64_t max_body, uint8_t **buf,
                          size_t *len, lt_header *hdr);
/*
 * Replaces path atomically: a temporary file with a random name beside it
 * (created with mode 0666, or 0600 when secret, under the process umask,
 * which is never changed), fsync, rename, fsync of the directory. On
 * failure the temporary file is removed and the old file is untouched.
 */
lathe_status lt_write_file(const char *fn, const char *path, const uint8_t *buf, size_t len, int secret);

/*
 * The Argon2id (opslimit, memlimit) pair of a level (secret.c): 0, or -1 for
 * an unknown level. lt_pwhash_level_of is the inverse: the level whose pair
 * this is, or -1 when the pair is none of the three.
 */
int lt_pwhash_costs(int level, unsigned long long *ops, size_t *mem);
int lt_pwhash_level_of(uint64_t ops, uint64_t mem);
/* key = Argon2id(pass, salt) at (ops, mem): the key of a sealed object; LATHE_ENOMEM when Argon2id fails. */
lathe_status lt_pwhash_derive(const char *fn, uint8_t key[32], const char *pass, const uint8_t salt[16],
                              unsigned long long ops, size_t mem);

/* Hands the writer's buffer to the caller (exact length). */
lathe_status lt_w_take(lt_writer *w, const char *fn, uint8_t **buf, size_t *len);

#endif
