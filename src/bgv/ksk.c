/*
 * Key-switching keys (hybrid: Han-Ki, CT-RSA 2020; KPZ21 §4): generation
 * from any secret to any secret of the context, at the full level or
 * limited to the digits over q_0..q_k (Lattigo's EvaluationKeyParameters
 * LevelQ), expansion of the uniform parts from their seed, release.
 */
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/sample.h"
#include "../ring/vec.h"
#include "internal.h"
#include "keyswitch.h"

/* the key's basis q_0..q_k, P, as a polynomial view of one digit's words */
static lt_poly
key_view(const lathe_ctx *c, unsigned k, uint64_t *w)
{
	lt_poly p = lt_poly_view(c->n, c->qp[k], k + 1 + c->np, w, 1);
	return p;
}

size_t
lt_ksk_words(const lathe_ctx *c, const lt_ksk *k)
{
	const unsigned kl = lt_ksk_level(c, k);
	return (size_t)lt_ks_digits(c, kl) * (kl + 1 + c->np) * c->n;
}

void
lt_ksk_expand(const lathe_ctx *c, lt_ksk *k)
{
	const unsigned kl = lt_ksk_level(c, k);
	const size_t words = (size_t)(kl + 1 + c->np) * c->n;
	for (unsigned j = 0; j < lt_ks_digits(c, kl); j++) {
		lt_poly a = key_view(c, kl, k->a + j * words);
		lt_sample_uniform(&a, k->seed, LT_STREAM_KSK + j);
	}
}

lathe_status
lt_ksk_gen(const lathe_sk *sk, const uint64_t *s_from, lt_ksk *k, lathe_rng *rng)
{
	return lt_ksk_gen_at(sk, s_from, sk->ctx->nq - 1, k, rng);
}

/*
 *   b_j = -a_j s + t e_j + P g_j s_from  over q_0..q_level, P,
 * one limb at a time: a limb x of the key's basis is the ring's prime x
 * for x <= level and p_{x - level - 1} above.
 */
lathe_status
lt_ksk_alloc(const char *fn, const lathe_ctx *c, unsigned level, lt_ksk *k)
{
	memset(k, 0, sizeof(*k));
	k->drop = c->nq - 1 - level;
	const size_t total = lt_ksk_words(c, k);
	k->a = lt_alloc(total * 8);
	k->b = lt_alloc(total * 8);
	if (!k->a || !k->b) {
		lt_ksk_clear(c, k);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	return LATHE_OK;
}

lathe_status
lt_ksk_gen_at(const lathe_sk *sk, const uint64_t *s_from, unsigned level, lt_ksk *k, lathe_rng *rng)
{
	uint8_t aseed[LT_SEED_BYTES], eseed[LT_SEED_BYTES];
	lt_seed_from(rng, aseed);
	lt_seed_from(rng, eseed);
	lt_prng g;
	lt_prng_init(&g, eseed, LT_DOMAIN_KSK_ERROR, 0);
	lathe_status st = lt_ksk_gen_seeded(sk, s_from, level, aseed, &g, k);
	lt_prng_clear(&g);
	lt_memzero(eseed, sizeof(eseed));
	return st;
}

lathe_status
lt_ksk_gen_seeded(const lathe_sk *sk, const uint64_t *s_from, unsigned level, const uint8_t a_seed[LT_SEED_BYTES],
                  lt_prng *g, lt_ksk *k)
{
	const lathe_ctx *c = sk->ctx;
	memset(k, 0, sizeof(*k));
	if (level >= c->nq)
		return lt_fail(LATHE_ELEVEL, "key-switching key: level %u above the top level %u", level, c->nq - 1);
	lathe_status ast = lt_ksk_alloc("key-switching key", c, level, k);
	if (ast)
		return ast;
	const size_t n = c->n;
	const unsigned nb = level + 1 + c->np, nd = lt_ks_digits(c, level);
	const size_t words = (size_t)nb * n;
	uint64_t *tmp = lt_alloc(n * 8);
	if (!tmp) {
		lt_ksk_clear(c, k);
		return lt_fail(LATHE_ENOMEM, "key-switching key: out of memory");
	}
	memcpy(k->seed, a_seed, LT_SEED_BYTES);
	lt_ksk_expand(c, k);
	const lt_modulus *const *mods = (const lt_modulus *const *)c->qp[level];
	lathe_status st = LATHE_OK;
	for (unsigned j = 0; j < nd && !st; j++) {
		uint64_t *a = k->a + j * words, *b = k->b + j * words;
		if ((st = lt_error_times_t(c, g, b, mods, nb)))
			break;
		for (unsigned x = 0; x < nb; x++) {
			const unsigned i = x <= level ? x : c->nq + (x - level - 1);
			const lt_modulus *m = c->ring.modp[i];
			uint64_t *bx = b + (size_t)x * n;
			lt_vec_mul(tmp, a + (size_t)x * n, sk->s_ntt + (size_t)i * n, n, m);
			lt_vec_sub(bx, bx, tmp, n, m->q);
		}
		unsigned lo, hi;
		lt_ks_digit_range(c, j, level, &lo, &hi);
		for (unsigned i = lo; i < hi; i++) {
			const lt_modulus *m = c->ring.modp[i];
			uint64_t *bi = b + (size_t)i * n;
			lt_vec_mul_scalar(tmp, s_from + (size_t)i * n, c->p_mod_q[i], n, m);
			lt_vec_add(bi, bi, tmp, n, m->q);
		}
	}
	lt_free_secret(tmp, n * 8);
	if (st) {
		lt_ksk_clear(c, k);
		return lt_fail(LATHE_ENOMEM, "key-switching key: out of memory");
	}
	return LATHE_OK;
}

void
lt_ksk_clear(const lathe_ctx *ctx, lt_ksk *k)
{
	(void)ctx;
	lt_free(k->a);
	lt_free(k->b);
	memset(k, 0, sizeof(*k));
}
