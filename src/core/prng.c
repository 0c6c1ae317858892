#include "prng.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "error.h"
#include "mem.h"
#include <lathe/rng.h>

int
lt_sodium_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void
lt_seed_os(uint8_t seed[LT_SEED_BYTES])
{
	randombytes_buf(seed, LT_SEED_BYTES);
}

static void
refill(lt_prng *g)
{
	memset(g->buf, 0, sizeof(g->buf));
	crypto_stream_chacha20_ietf_xor_ic(g->buf, g->buf, sizeof(g->buf), g->nonce,
	                                   g->block, g->key);
	g->block += (uint32_t)(sizeof(g->buf) / 64);
	g->pos = 0;
}

void
lt_prng_init(lt_prng *g, const uint8_t seed[LT_SEED_BYTES], uint32_t domain, uint64_t index)
{
	memcpy(g->key, seed, LT_SEED_BYTES);
	for (int i = 0; i < 4; i++)
		g->nonce[i] = (uint8_t)(domain >> (8 * i));
	for (int i = 0; i < 8; i++)
		g->nonce[4 + i] = (uint8_t)(index >> (8 * i));
	g->block = 0;
	g->pos = sizeof(g->buf);
}

void
lt_prng_bytes(lt_prng *g, void *out, size_t n)
{
	uint8_t *o = out;
	while (n > 0) {
		if (g->pos == sizeof(g->buf))
			refill(g);
		size_t k = sizeof(g->buf) - g->pos;
		if (k > n)
			k = n;
		memcpy(o, g->buf + g->pos, k);
		g->pos += k;
		o += k;
		n -= k;
	}
}

uint64_t
lt_prng_u64(lt_prng *g)
{
	uint8_t b[8];
	lt_prng_bytes(g, b, 8);
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = (x << 8) | b[i];
	return x;
}

void
lt_prng_clear(lt_prng *g)
{
	lt_memzero(g, sizeof(*g));
}

/* ---- public generator ---- */

struct lathe_rng {
	lt_prng g;
};


lathe_status
lathe_seed_random(uint8_t seed[LATHE_SEED_BYTES])
{
	LT_CHECK_NULL(seed);
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "lathe_seed_random: libsodium failed to initialise");
	lt_seed_os(seed);
	return LATHE_OK;
}

lathe_status
lathe_rng_new(lathe_rng **out, const uint8_t *seed)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "lathe_rng_new: libsodium failed to initialise");
	lathe_rng *r = lt_alloc(sizeof(*r));
	if (!r)
		return lt_fail(LATHE_ENOMEM, "lathe_rng_new: out of memory");
	uint8_t s[LT_SEED_BYTES];
	if (seed)
		memcpy(s, seed, sizeof(s));
	else
		lt_seed_os(s);
	lt_prng_init(&r->g, s, LT_DOMAIN_USER, 0);
	lt_memzero(s, sizeof(s));
	*out = r;
	return LATHE_OK;
}

void
lt_seed_from(lathe_rng *rng, uint8_t seed[LT_SEED_BYTES])
{
	if (rng)
		lt_prng_bytes(&rng->g, seed, LT_SEED_BYTES);
	else
		lt_seed_os(seed);
}

lathe_status
lathe_rng_bytes(lathe_rng *rng, void *buf, size_t n)
{
	LT_CHECK_NULL(rng);
	if (n == 0)
		return LATHE_OK;
	LT_CHECK_NULL(buf);
	lt_prng_bytes(&rng->g, buf, n);
	return LATHE_OK;
}

void
lathe_rng_free(lathe_rng *rng)
{
	if (rng)
		lt_free_secret(rng, sizeof(*rng));
}
