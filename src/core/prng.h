/*
 * Deterministic expansion of a 32-byte seed with ChaCha20 (IETF variant,
 * libsodium's crypto_stream_chacha20_ietf). A stream is named by
 * (seed, domain, index): independent streams for different domains (what
 * is being sampled) and indices (which limb), so limbs can be sampled in
 * parallel and in any order with identical results.
 */
#ifndef LT_PRNG_H
#define LT_PRNG_H

#include <stddef.h>
#include <stdint.h>

#define LT_SEED_BYTES 32
#define LT_PRNG_BUF 512

typedef struct lt_prng {
	uint8_t key[LT_SEED_BYTES];
	uint8_t nonce[12];
	uint32_t block;      /* next ChaCha20 block counter */
	size_t pos;          /* read position in buf */
	uint8_t buf[LT_PRNG_BUF];
} lt_prng;

/*
 * Every stream domain in one place (domain separation is a security
 * property: two uses of one seed must never read the same stream). The
 * value is the first word of the ChaCha20 nonce; the index is the second.
 */
enum lt_domain {
	LT_DOMAIN_SECRET = 0x736b,       /* key generation: s, then the public key's error */
	LT_DOMAIN_KSK_ERROR = 0x6b736b,  /* key-switching keys' errors */
	LT_DOMAIN_ENCRYPT = 0x656e63,    /* encryption: index 0 public key (u, e0, e1, flooding), 1 secret key (e) */
	LT_DOMAIN_USER = 0x75736572,     /* lathe_rng, the public generator */
	LT_DOMAIN_UNIFORM = 0x756e6966,  /* uniform polynomials from a stored seed, plus a stream id: */
	LT_DOMAIN_PARTY = 0x6d7061,      /* multiparty: a party's secret and its shares' randomness, index: the use */
};

/* Stream ids added to LT_DOMAIN_UNIFORM. */
enum lt_stream {
	LT_STREAM_PK = 1,                /* a of the public key */
	LT_STREAM_CT = 2,                /* c1 of secret-key encryptions */
	LT_STREAM_KSK = 0x100,           /* + digit: a parts of key-switching keys */
};

struct lathe_rng;
/*
 * A fresh 32-byte seed: from rng when it is not NULL (reproducible runs,
 * known-answer tests), else from the operating system. CT: yes.
 */
void lt_seed_from(struct lathe_rng *rng, uint8_t seed[LT_SEED_BYTES]);

/* Starts the stream (seed, domain, index). CT: yes. */
void lt_prng_init(lt_prng *g, const uint8_t seed[LT_SEED_BYTES], uint32_t domain, uint64_t index);

/* Next n bytes of the stream. CT: yes (timing depends on n only). */
void lt_prng_bytes(lt_prng *g, void *out, size_t n);

/* Next 64-bit little-endian word of the stream. */
uint64_t lt_prng_u64(lt_prng *g);

/* Zeroizes the state. */
void lt_prng_clear(lt_prng *g);

/* Fills seed from the operating system (libsodium randombytes_buf). */
void lt_seed_os(uint8_t seed[LT_SEED_BYTES]);

/* Initialises libsodium once; returns 0, or -1 if it cannot start. */
int lt_sodium_init(void);

#endif
