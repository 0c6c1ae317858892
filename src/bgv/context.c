/*
 * Parameters checked into contexts: chain design, security check against
 * the HomomorphicEncryption.org table (Albrecht et al. 2018), and every
 * precomputed table of the scheme.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/noisemeter.h"
#include "../ring/primes.h"
#include "internal.h"

#include <flint/ulong_extras.h>

/*
 * Max log2(Q*P) for uniform ternary secrets, sigma ~ 3.2; index log2 N - 10
 * (DESIGN §4). N = 2^10 .. 2^15: the HomomorphicEncryption.org standard
 * (Albrecht et al. 2018). N = 2^16 and 2^17: OpenFHE's lattice-estimator
 * runs as revised in OpenFHE 1.2 (2024), which replaced 1772 / 1228 / 956
 * at 2^16; the only cited estimate for 2^17.
 */
static const int sec_table[3][8] = {
	{ 27, 54, 109, 218, 438, 881, 1747, 3523 },
	{ 19, 37, 75, 152, 305, 611, 1199, 2411 },
	{ 14, 29, 58, 118, 237, 476, 929, 1866 },
};

int
lt_security_bound(lathe_security s, unsigned logn)
{
	int row = s == LATHE_SECURITY_128 ? 0 : s == LATHE_SECURITY_192 ? 1 : 2;
	if (logn < 10 || logn > 17)
		return -1; /* no cited estimate */
	return sec_table[row][logn - 10];
}

lathe_status
lathe_params_new(lathe_params **out)
{
	LT_CHECK_NULL(out);
	lathe_params *p = lt_calloc(1, sizeof(*p));
	if (!p)
		return lt_fail(LATHE_ENOMEM, "lathe_params_new: out of memory");
	p->logn = 13;
	p->t_prime = 65537;
	p->t_exp = 1;
	p->depth = 2;
	p->security = LATHE_SECURITY_128;
	p->secret = LATHE_SECRET_TERNARY;
	*out = p;
	return LATHE_OK;
}

void
lathe_params_free(lathe_params *p)
{
	lt_free(p);
}

lathe_status
lathe_params_set_ring(lathe_params *p, unsigned log_n)
{
	LT_CHECK_NULL(p);
	if (log_n < 10 || log_n > 17)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_ring: log2 N = %u outside [10, 17]", log_n);
	p->logn = log_n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_plain_modulus(lathe_params *p, uint64_t prime, unsigned r)
{
	LT_CHECK_NULL(p);
	if (prime < 2 || r < 1)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_plain_modulus: need prime >= 2 and r >= 1");
	if (!n_is_prime(prime))
		return lt_fail(LATHE_EPARAM, "lathe_params_set_plain_modulus: %llu is not prime",
		               (unsigned long long)prime);
	uint64_t t = 1;
	for (unsigned i = 0; i < r; i++) {
		if (t > (UINT64_C(1) << 60) / prime)
			return lt_fail(LATHE_EPARAM, "lathe_params_set_plain_modulus: %llu^%u is not below 2^60",
			               (unsigned long long)prime, r);
		t *= prime;
	}
	p->t_prime = prime;
	p->t_exp = r;
	return LATHE_OK;
}

lathe_status
lathe_params_set_depth(lathe_params *p, unsigned depth)
{
	LT_CHECK_NULL(p);
	if (depth > LT_MAX_CHAIN - 3)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_depth: depth %u above %d", depth, LT_MAX_CHAIN - 3);
	p->depth = depth;
	p->nchain = 0;
	return LATHE_OK;
}

lathe_status
lathe_params_set_chain(lathe_params *p, const unsigned *bits, size_t n)
{
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(bits);
	if (n < 1 || n > LT_MAX_CHAIN)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_chain: %zu primes (need 1 to %d)", n, LT_MAX_CHAIN);
	for (size_t i = 0; i < n; i++)
		if (bits[i] < LT_PRIME_BITS_MIN || bits[i] > LT_PRIME_BITS_MAX)
			return lt_fail(LATHE_EINVAL, "lathe_params_set_chain: prime %zu of %u bits outside [%d, %d]", i,
			               bits[i], LT_PRIME_BITS_MIN, LT_PRIME_BITS_MAX);
	memcpy(p->chain_bits, bits, n * sizeof(unsigned));
	p->nchain = (unsigned)n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_keyswitch(lathe_params *p, unsigned dnum, const unsigned *special_bits, size_t n)
{
	LT_CHECK_NULL(p);
	if (dnum < 1 || dnum > LT_MAX_CHAIN)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_keyswitch: dnum = %u", dnum);
	if (n > LT_MAX_SPECIAL || (n && !special_bits))
		return lt_fail(LATHE_EINVAL, "lathe_params_set_keyswitch: %zu special primes", n);
	for (size_t i = 0; i < n; i++)
		if (special_bits[i] < LT_PRIME_BITS_MIN || special_bits[i] > LT_PRIME_BITS_MAX)
			return lt_fail(LATHE_EINVAL, "lathe_params_set_keyswitch: special prime of %u bits", special_bits[i]);
	p->dnum = dnum;
	if (n)
		memcpy(p->special_bits, special_bits, n * sizeof(unsigned));
	p->nspecial = (unsigned)n;
	return LATHE_OK;
}

lathe_status
lathe_params_set_security(lathe_params *p, lathe_security s)
{
	LT_CHECK_NULL(p);
	if (s != LATHE_SECURITY_128 && s != LATHE_SECURITY_192 && s != LATHE_SECURITY_256 &&
	    s != LATHE_SECURITY_NONE)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_security: unknown level %d", (int)s);
	p->security = s;
	return LATHE_OK;
}

lathe_status
lathe_params_set_secret(lathe_params *p, lathe_secret_dist d)
{
	LT_CHECK_NULL(p);
	if (d != LATHE_SECRET_TERNARY)
		return lt_fail(LATHE_EINVAL, "lathe_params_set_secret: unknown distribution %d", (int)d);
	p->secret = d;
	return LATHE_OK;
}

/* ---- context ---- */

/* Records the failure (reading c), then frees c and returns the status. */
#define CTX_FAIL(...) \
	do { \
		lathe_status s_ = lt_fail(__VA_ARGS__); \
		lathe_ctx_free(c); \
		return s_; \
	} while (0)

int
lt_ctx_same(const lathe_ctx *a, const lathe_ctx *b)
{
	return a == b || (a && b && memcmp(a->hash, b->hash, sizeof(a->hash)) == 0);
}

double
lt_log2_add(double a, double b)
{
	double m = a > b ? a : b, d = a > b ? b - a : a - b;
	return m + log2(1.0 + exp2(d));
}

double
lt_ctx_logq_half(const lathe_ctx *ctx, unsigned l)
{
	double s = -1;
	for (unsigned i = 0; i <= l; i++)
		s += ctx->logq[i];
	return s;
}

static void
free_tables(lathe_ctx *c)
{
	if (c->qp)
		for (unsigned l = 0; l < c->nq; l++)
			lt_free((void *)c->qp[l]);
	lt_free(c->qp);
	for (unsigned l = 0; l < c->nq; l++) {
		if (c->ms_qinv)
			lt_free(c->ms_qinv[l]);
		if (c->ms_tqinv)
			lt_free(c->ms_tqinv[l]);
	}
	lt_free(c->ms_qinv);
	lt_free(c->ms_tqinv);
	lt_free(c->t_inv_q);
	lt_free(c->qinv_t);
	for (unsigned i = 0; i < c->nq * c->dnum; i++) {
		if (c->modup)
			lt_baseconv_clear(&c->modup[i]);
		if (c->modup_out)
			lt_free((void *)c->modup_out[i]);
	}
	lt_free(c->modup);
	lt_free(c->modup_out);
	if (c->moddown)
		for (unsigned l = 0; l < c->nq; l++)
			lt_baseconv_clear(&c->moddown[l]);
	lt_free(c->moddown);
	if (c->dec_conv)
		for (unsigned l = 0; l < c->nq; l++)
			lt_baseconv_clear(&c->dec_conv[l]);
	lt_free(c->dec_conv);
	lt_free(c->dec_cinv);
	lt_free(c->dec_cinv_t);
	if (c->meter)
		for (unsigned l = 0; l < c->nq; l++)
			lt_noisemeter_clear(&c->meter[l]);
	lt_free(c->meter);
	lt_free(c->pinv_q);
	lt_free(c->tpinv_q);
	lt_free(c->t_inv_p);
	lt_free(c->p_mod_q);
	lt_ntt_tables_clear(&c->tntt);
	lt_free(c->slot_idx);
	lt_ring_clear(&c->ring);
}

void
lathe_ctx_free(lathe_ctx *ctx)
{
	if (!ctx)
		return;
	free_tables(ctx);
	lt_free(ctx);
}

static uint64_t
inv_mod_any(uint64_t a, uint64_t m)
{
	return n_invmod(a % m, m); /* extended Euclid: m need not be prime */
}

static unsigned
bits_up(double x)
{
	return (unsigned)ceil(x);
}

/* Primes of digit j: [j * alpha, min((j + 1) * alpha, nq)). */
static unsigned
digit_end(const lathe_ctx *c, unsigned j)
{
	unsigned e = (j + 1) * c->alpha;
	return e < c->nq ? e : c->nq;
}

static lathe_status
build_tables(lathe_ctx *c)
{
	const unsigned nq = c->nq, np = c->np, nall = nq + np;
	const lt_modulus *const *mp = (const lt_modulus *const *)c->ring.modp;
	c->qp = lt_calloc(nq, sizeof(*c->qp));
	c->ms_qinv = lt_calloc(nq, sizeof(uint64_t *));
	c->ms_tqinv = lt_calloc(nq, sizeof(uint64_t *));
	c->t_inv_q = lt_calloc(nq, sizeof(uint64_t));
	c->qinv_t = lt_calloc(nq, sizeof(uint64_t));
	c->modup = lt_calloc((size_t)nq * c->dnum, sizeof(lt_baseconv));
	c->modup_out = lt_calloc((size_t)nq * c->dnum, sizeof(*c->modup_out));
	c->moddown = lt_calloc(nq, sizeof(lt_baseconv));
	c->pinv_q = lt_calloc(nq, sizeof(uint64_t));
	c->tpinv_q = lt_calloc(nq, sizeof(uint64_t));
	c->t_inv_p = lt_calloc(np, sizeof(uint64_t));
	c->p_mod_q = lt_calloc(nq, sizeof(uint64_t));
	if (!c->qp || !c->ms_qinv || !c->ms_tqinv || !c->t_inv_q || !c->qinv_t || !c->modup ||
	    !c->modup_out || !c->moddown || !c->pinv_q || !c->tpinv_q || !c->t_inv_p || !c->p_mod_q)
		return lt_fail(LATHE_ENOMEM, "context: out of memory");
	for (unsigned l = 0; l < nq; l++) {
		const lt_modulus **b = lt_calloc(l + 1 + np, sizeof(*b));
		c->ms_qinv[l] = lt_calloc(l + 1, sizeof(uint64_t));
		c->ms_tqinv[l] = lt_calloc(l + 1, sizeof(uint64_t));
		if (!b || !c->ms_qinv[l] || !c->ms_tqinv[l]) {
			lt_free(b);
			return lt_fail(LATHE_ENOMEM, "context: out of memory");
		}
		for (unsigned i = 0; i <= l; i++)
			b[i] = mp[i];
		for (unsigned j = 0; j < np; j++)
			b[l + 1 + j] = mp[nq + j];
		c->qp[l] = b;
		const lt_modulus *ql = mp[l];
		for (unsigned i = 0; i < l; i++) {
			const lt_modulus *m = mp[i];
			uint64_t qi = lt_invmod(ql->q % m->q, m->q, m->br);
			c->ms_qinv[l][i] = qi;
			c->ms_tqinv[l][i] = lt_mulmod(c->t % m->q, qi, m->q, m->br);
		}
		c->t_inv_q[l] = lt_invmod(c->t % ql->q, ql->q, ql->br);
		c->qinv_t[l] = inv_mod_any(ql->q, c->t);
	}
	/* P mod q_i, P^-1, t P^-1 */
	for (unsigned i = 0; i < nq; i++) {
		const lt_modulus *m = mp[i];
		uint64_t pm = 1;
		for (unsigned j = 0; j < np; j++)
			pm = lt_mulmod(pm, mp[nq + j]->q % m->q, m->q, m->br);
		c->p_mod_q[i] = pm;
		c->pinv_q[i] = lt_invmod(pm, m->q, m->br);
		c->tpinv_q[i] = lt_mulmod(c->t % m->q, c->pinv_q[i], m->q, m->br);
	}
	for (unsigned j = 0; j < np; j++) {
		const lt_modulus *m = mp[nq + j];
		c->t_inv_p[j] = lt_invmod(c->t % m->q, m->q, m->br);
	}
	/* ModUp: digit j restricted to Q_l -> the rest of Q_l and P */
	for (unsigned l = 0; l < nq; l++) {
		for (unsigned j = 0; j < c->dnum; j++) {
			unsigned s = j * c->alpha;
			if (s > l)
				continue;
			unsigned e = digit_end(c, j);
			if (e > l + 1)
				e = l + 1;
			unsigned nout = (l + 1 - (e - s)) + np;
			const lt_modulus **o = lt_calloc(nout, sizeof(*o));
			if (!o)
				return lt_fail(LATHE_ENOMEM, "context: out of memory");
			unsigned k = 0;
			for (unsigned i = 0; i <= l; i++)
				if (i < s || i >= e)
					o[k++] = mp[i];
			for (unsigned i = 0; i < np; i++)
				o[k++] = mp[nq + i];
			c->modup_out[l * c->dnum + j] = o;
			lathe_status st = lt_baseconv_init(&c->modup[l * c->dnum + j], mp + s, e - s,
			                                   (const lt_modulus *const *)o, nout);
			if (st)
				return st;
		}
		lathe_status st = lt_baseconv_init(&c->moddown[l], mp + nq, np, mp, l + 1);
		if (st)
			return st;
	}
	/* decryption: one division by q_1 ... q_l */
	c->dec_conv = lt_calloc(nq, sizeof(lt_baseconv));
	c->dec_cinv = lt_calloc(nq, sizeof(uint64_t));
	c->dec_cinv_t = lt_calloc(nq, sizeof(uint64_t));
	if (!c->dec_conv || !c->dec_cinv || !c->dec_cinv_t)
		return lt_fail(LATHE_ENOMEM, "context: out of memory");
	{
		const lt_modulus *m0 = mp[0];
		uint64_t cm = 1 % m0->q, ct = 1 % c->t;
		c->dec_cinv[0] = cm;
		c->dec_cinv_t[0] = ct;
		for (unsigned l = 1; l < nq; l++) {
			cm = lt_mulmod(cm, mp[l]->q % m0->q, m0->q, m0->br);
			ct = lt_mulmod(ct, c->qinv_t[l], c->t, c->t_br);
			c->dec_cinv[l] = lt_invmod(cm, m0->q, m0->br);
			c->dec_cinv_t[l] = ct;
			lathe_status st = lt_baseconv_init(&c->dec_conv[l], mp + 1, l, mp, 1);
			if (st)
				return st;
		}
	}
	/* decryption's noise check and the noise budget: one meter per level */
	c->meter = lt_calloc(nq, sizeof(lt_noisemeter));
	if (!c->meter)
		return lt_fail(LATHE_ENOMEM, "context: out of memory");
	for (unsigned l = 0; l < nq; l++) {
		lathe_status st = lt_noisemeter_init(&c->meter[l], mp, l + 1, 0);
		if (st)
			return st;
	}
	/* batch encoder: slot j <-> exponent 5^j (row 0) or -5^j (row 1) */
	if (c->batching) {
		if (lt_ntt_tables_init(&c->tntt, c->t, lt_prime_root_2n(c->t, c->logn), c->logn) != 0)
			return lt_fail(LATHE_ENOMEM, "context: out of memory");
		c->slot_idx = lt_calloc(c->n, sizeof(uint32_t));
		if (!c->slot_idx)
			return lt_fail(LATHE_ENOMEM, "context: out of memory");
		const uint64_t m = 2 * (uint64_t)c->n, half = c->n / 2;
		uint64_t e = 1;
		for (uint64_t j = 0; j < half; j++) {
			uint64_t e1 = m - e;
			uint32_t i0 = 0, i1 = 0;
			uint64_t x0 = (e - 1) / 2, x1 = (e1 - 1) / 2;
			for (unsigned b = 0; b < c->logn; b++) {
				i0 = (i0 << 1) | (uint32_t)((x0 >> b) & 1);
				i1 = (i1 << 1) | (uint32_t)((x1 >> b) & 1);
			}
			c->slot_idx[j] = i0;
			c->slot_idx[half + j] = i1;
			e = (e * 5) & (m - 1);
		}
	}
	(void)nall;
	return LATHE_OK;
}

static void
hash_params(lathe_ctx *c)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof(c->hash));
	const char tag[] = "lathe-bgv-params-v1";
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
	uint64_t hdr[7] = { c->n, c->t, c->nq, c->np, c->dnum, c->alpha, (uint64_t)c->par.security };
	crypto_generichash_update(&st, (const unsigned char *)hdr, sizeof(hdr));
	for (unsigned i = 0; i < c->ring.nmod; i++)
		crypto_generichash_update(&st, (const unsigned char *)&c->ring.mod[i].q, sizeof(uint64_t));
	crypto_generichash_final(&st, c->hash, sizeof(c->hash));
}

/*
 * Completes a context whose literal, N, t, nq, np, dnum and alpha are set:
 * ring over primes[0..nq+np), security check, tables, noise model, hash.
 * Frees c on failure.
 */
static lathe_status
finish(lathe_ctx *c, const uint64_t *primes, int bound, lathe_ctx **out)
{
	const unsigned nq = c->nq, np = c->np;
	const lathe_params *p = &c->par;
	lathe_status st = lt_ring_init(&c->ring, c->n, primes, nq + np);
	if (st) {
		lathe_ctx_free(c);
		return st;
	}
	c->logqp = 0;
	c->logp = 0;
	for (unsigned i = 0; i < nq; i++) {
		c->logq[i] = log2((double)primes[i]);
		c->logqp += c->logq[i];
	}
	for (unsigned j = 0; j < np; j++)
		c->logp += log2((double)primes[nq + j]);
	c->logqp += c->logp;
	c->sec_bound = bound;
	if (bound && c->logqp > bound) {
		st = lt_fail(LATHE_EINSECURE, "lathe_ctx_new: log2(Q*P) = %.1f above the %d-bit bound %d for N = %zu",
		             c->logqp, (int)p->security, bound, c->n);
		lathe_ctx_free(c);
		return st;
	}
	if (c->logq[0] < c->nm.ms + 2) {
		st = lt_fail(LATHE_EPARAM, "lathe_ctx_new: q_0 of %.1f bits is below the modulus-switching noise (%.1f bits) + 2",
		             c->logq[0], c->nm.ms);
		lathe_ctx_free(c);
		return st;
	}
	st = build_tables(c);
	if (st) {
		lathe_ctx_free(c);
		return st;
	}
	lt_noise_model_init(c); /* again, now with the digits and P */
	hash_params(c);
	*out = c;
	return LATHE_OK;
}

/* literal fields every constructor checks and derives from */
static lathe_status
init_common(lathe_ctx *c, const lathe_params *p)
{
	if (p->logn < 10 || p->logn > 17)
		return lt_fail(LATHE_EPARAM, "context: log2 N = %u outside [10, 17]", p->logn);
	if (p->t_prime < 2 || p->t_exp < 1 || !n_is_prime(p->t_prime))
		return lt_fail(LATHE_EPARAM, "context: plaintext modulus %llu^%u is not a prime power",
		               (unsigned long long)p->t_prime, p->t_exp);
	c->par = *p;
	c->logn = p->logn;
	c->n = (size_t)1 << p->logn;
	c->t = 1;
	for (unsigned i = 0; i < p->t_exp; i++) {
		if (c->t > (UINT64_C(1) << 60) / p->t_prime)
			return lt_fail(LATHE_EPARAM, "context: plaintext modulus above 2^60");
		c->t *= p->t_prime;
	}
	c->t_br = lt_barrett_prep(c->t);
	c->batching = p->t_exp == 1 && (p->t_prime - 1) % (2 * (uint64_t)c->n) == 0;
	lt_noise_model_init(c);
	return LATHE_OK;
}

lathe_status
lt_ctx_new_primes(const lathe_params *p, const uint64_t *primes, unsigned nq, unsigned np, unsigned alpha,
                  lathe_ctx **out)
{
	*out = NULL;
	if (nq < 1 || nq > LT_MAX_CHAIN || np < 1 || np > LT_MAX_SPECIAL || alpha < 1 || alpha > nq)
		return lt_fail(LATHE_EPARAM, "context: %u chain primes, %u special primes, digits of %u", nq, np, alpha);
	/* only the digit sizes lathe_ctx_new produces: alpha = ceil(nq / dnum) */
	const unsigned dn = (nq + alpha - 1) / alpha;
	if (alpha != (nq + dn - 1) / dn)
		return lt_fail(LATHE_EPARAM, "context: digits of %u primes are not an even split of %u primes", alpha, nq);
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "context: libsodium failed to initialise");
	lathe_ctx *c = lt_calloc(1, sizeof(*c));
	if (!c)
		return lt_fail(LATHE_ENOMEM, "context: out of memory");
	lathe_status st = init_common(c, p);
	if (st) {
		lathe_ctx_free(c);
		return st;
	}
	for (unsigned i = 0; i < nq + np; i++)
		if (primes[i] == p->t_prime) {
			CTX_FAIL(LATHE_EPARAM, "context: a modulus equals the plaintext prime");
		}
	int bound = p->security == LATHE_SECURITY_NONE ? 0 : lt_security_bound(p->security, p->logn);
	if (bound < 0) {
		CTX_FAIL(LATHE_EINSECURE, "context: no cited security estimate for N = %zu", c->n);
	}
	c->nq = nq;
	c->np = np;
	c->alpha = alpha;
	c->dnum = (nq + alpha - 1) / alpha;
	return finish(c, primes, bound, out);
}

lathe_status
lathe_ctx_new(const lathe_params *p, lathe_ctx **out)
{
	LT_CHECK_NULL(p);
	LT_CHECK_NULL(out);
	*out = NULL;
	if (lt_sodium_init() != 0)
		return lt_fail(LATHE_EUNSUPPORTED, "lathe_ctx_new: libsodium failed to initialise");
	lathe_ctx *c = lt_calloc(1, sizeof(*c));
	if (!c)
		return lt_fail(LATHE_ENOMEM, "lathe_ctx_new: out of memory");
	/* noise model for sizing: needs N and t only (ks later) */
	lathe_status ist = init_common(c, p);
	if (ist) {
		lathe_ctx_free(c);
		return ist;
	}
	const double ms = c->nm.ms;

	unsigned bits[LT_MAX_CHAIN];
	unsigned nq;
	if (p->nchain) {
		nq = p->nchain;
		memcpy(bits, p->chain_bits, nq * sizeof(unsigned));
	} else {
		/* q_0 decrypts after a switch; one prime per multiplication; the top one
		   absorbs the fresh noise (DESIGN §4: KPZ21 chain with automatic switching) */
		nq = p->depth + 2;
		bits[0] = bits_up(ms + 6);
		for (unsigned i = 1; i <= p->depth; i++)
			bits[i] = bits_up(ms + 4);
		/* small primes = 1 mod 2N are rare: keep at least log2 N + 10 bits */
		const unsigned minbits = c->logn + 10 > LT_PRIME_BITS_MIN ? c->logn + 10 : LT_PRIME_BITS_MIN;
		double top = c->nm.fresh_pk - ms + 4;
		bits[nq - 1] = top < minbits ? minbits : bits_up(top);
		for (unsigned i = 0; i < nq; i++) {
			if (bits[i] > 60) {
				CTX_FAIL(LATHE_EPARAM, "lathe_ctx_new: t = %llu at N = %zu needs primes of %u bits (above 60)",
				               (unsigned long long)c->t, c->n, bits[i]);
			}
			if (bits[i] < minbits)
				bits[i] = minbits;
		}
	}
	if ((double)bits[0] < ms + 2) {
		CTX_FAIL(LATHE_EPARAM, "lathe_ctx_new: q_0 of %u bits is below the modulus-switching noise (%.1f bits) + 2",
		               bits[0], ms);
	}
	c->nq = nq;
	double logq_est = 0;
	for (unsigned i = 0; i < nq; i++)
		logq_est += bits[i];

	int bound = p->security == LATHE_SECURITY_NONE ? 0 : lt_security_bound(p->security, p->logn);
	if (bound < 0) {
		CTX_FAIL(LATHE_EINSECURE, "lathe_ctx_new: no cited security estimate for N = %zu at %d bits",
		               c->n, (int)p->security);
	}
	/* digits and special primes: the smallest dnum that fits the bound */
	unsigned sbits[LT_MAX_SPECIAL], np = 0;
	unsigned dlo = p->dnum ? p->dnum : 1, dhi = p->dnum ? p->dnum : nq;
	if (dlo > nq) {
		CTX_FAIL(LATHE_EPARAM, "lathe_ctx_new: dnum = %u is more than the %u chain primes", dlo, nq);
	}
	int fitted = 0;
	for (unsigned d = dlo; d <= dhi && !fitted; d++) {
		unsigned alpha = (nq + d - 1) / d;
		double dmax = 0;
		for (unsigned j = 0; j * alpha < nq; j++) {
			double s = 0;
			for (unsigned i = j * alpha; i < (j + 1) * alpha && i < nq; i++)
				s += bits[i];
			if (s > dmax)
				dmax = s;
		}
		double pbits = 0;
		if (p->nspecial) {
			np = p->nspecial;
			memcpy(sbits, p->special_bits, np * sizeof(unsigned));
			for (unsigned j = 0; j < np; j++)
				pbits += sbits[j];
		} else {
			double need = dmax + 5;
			np = (unsigned)ceil(need / 50);
			if (np > LT_MAX_SPECIAL)
				continue;
			unsigned each = bits_up(need / np);
			if (each < c->logn + 10)
				each = c->logn + 10;
			for (unsigned j = 0; j < np; j++)
				sbits[j] = each;
			pbits = (double)each * np;
		}
		c->dnum = (nq + alpha - 1) / alpha;
		c->alpha = alpha;
		if (bound == 0 || logq_est + pbits <= bound)
			fitted = 1;
	}
	if (!fitted) {
		CTX_FAIL(LATHE_EINSECURE,
		               "lathe_ctx_new: log2(Q*P) ~ %.0f + P does not fit the %d-bit bound of %d for N = %zu "
		               "(depth %u, t = %llu)",
		               logq_est, (int)p->security, bound, c->n, nq - 2, (unsigned long long)c->t);
	}
	c->np = np;

	/* primes: chain then special, all distinct, none equal to t */
	uint64_t q[LT_MAX_CHAIN + LT_MAX_SPECIAL + 1];
	q[0] = p->t_prime;
	/* chain primes = 1 mod t too where enough exist: then modulus switching
	   leaves the plaintext factor at 1 and sums never need rescaling */
	const uint64_t m2n = 2 * (uint64_t)c->n;
	const uint64_t tmul = c->t % m2n == 0 ? 1 : c->t / n_gcd(c->t, m2n);
	const uint64_t mt = tmul < (UINT64_C(1) << 40) / m2n ? m2n * tmul : 0;
	for (unsigned i = 0; i < nq + np; i++) {
		unsigned b = i < nq ? bits[i] : sbits[i - nq];
		lathe_status st = LATHE_EPARAM;
		if (i < nq && mt && b >= 64 - (unsigned)__builtin_clzll(mt) + 6)
			st = lt_primes_gen_mod(&q[1 + i], 1, b, mt, q, 1 + i);
		if (st)
			st = lt_primes_gen(&q[1 + i], 1, b, c->logn, q, 1 + i);
		if (st) {
			lathe_ctx_free(c);
			return st;
		}
	}
	return finish(c, q + 1, bound, out);
}

static const struct {
	const char *name;
	unsigned logn;
	uint64_t t;
	unsigned depth;
} presets[] = {
	{ "bgv-128-n8192-t65537", 13, 65537, 2 },
	{ "bgv-128-n16384-t65537", 14, 65537, 6 },
	{ "bgv-128-n32768-t65537", 15, 65537, 14 },
	{ "bgv-128-n65536-t786433", 16, 786433, 30 },
};

lathe_status
lathe_ctx_new_preset(const char *name, lathe_ctx **out)
{
	LT_CHECK_NULL(name);
	LT_CHECK_NULL(out);
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(name, presets[i].name) != 0)
			continue;
		lathe_params p;
		memset(&p, 0, sizeof(p));
		p.logn = presets[i].logn;
		p.t_prime = presets[i].t;
		p.t_exp = 1;
		p.depth = presets[i].depth;
		p.security = LATHE_SECURITY_128;
		return lathe_ctx_new(&p, out);
	}
	return lt_fail(LATHE_EINVAL, "lathe_ctx_new_preset: unknown preset '%s'", name);
}

size_t
lathe_ctx_slots(const lathe_ctx *ctx)
{
	return ctx && ctx->batching ? ctx->n : 0;
}

size_t
lathe_ctx_degree(const lathe_ctx *ctx)
{
	return ctx ? ctx->n : 0;
}

uint64_t
lathe_ctx_plain_modulus(const lathe_ctx *ctx)
{
	return ctx ? ctx->t : 0;
}

unsigned
lathe_ctx_max_level(const lathe_ctx *ctx)
{
	return ctx ? ctx->nq - 1 : 0;
}

_Static_assert(LATHE_INFO_MAX_CHAIN >= LT_MAX_CHAIN && LATHE_INFO_MAX_SPECIAL >= LT_MAX_SPECIAL,
               "lathe_context_info holds every prime");

lathe_status
lathe_ctx_info(const lathe_ctx *ctx, lathe_context_info *info)
{
	if (info)
		memset(info, 0, sizeof(*info));
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(info);
	info->log_n = ctx->logn;
	info->n = ctx->n;
	info->t = ctx->t;
	info->t_prime = ctx->par.t_prime;
	info->t_exp = ctx->par.t_exp;
	info->slots = lathe_ctx_slots(ctx);
	info->chain_primes = ctx->nq;
	for (unsigned i = 0; i < ctx->nq; i++) {
		info->chain[i] = ctx->ring.mod[i].q;
		info->log2_q[i] = lt_ctx_logq_half(ctx, i) + 1;
	}
	info->special_primes = ctx->np;
	for (unsigned j = 0; j < ctx->np; j++)
		info->special[j] = ctx->ring.mod[ctx->nq + j].q;
	info->log2_p = ctx->logp;
	info->log2_qp = ctx->logqp;
	info->dnum = ctx->dnum;
	info->alpha = ctx->alpha;
	info->security = (int)ctx->par.security;
	info->security_bound = ctx->sec_bound;
	info->batching = ctx->batching;
	const size_t words = (size_t)ctx->n * 8;
	info->ksk_bytes = 2 * (size_t)ctx->dnum * (ctx->nq + ctx->np) * words;
	info->pk_bytes = 2 * (size_t)ctx->nq * words;
	info->ct_bytes = 2 * (size_t)ctx->nq * words;
	memcpy(info->param_hash, ctx->hash, sizeof(info->param_hash));
	return LATHE_OK;
}

lathe_status
lathe_ctx_describe(const lathe_ctx *ctx, char *buf, size_t size, size_t *needed)
{
	LT_CHECK_NULL(ctx);
	if (size && !buf)
		return lt_fail(LATHE_EINVAL, "lathe_ctx_describe: buf is NULL with size %zu", size);
	char tmp[4096];
	size_t k = 0;
#define PUT(...) k += (size_t)snprintf(tmp + k, k < sizeof tmp ? sizeof tmp - k : 0, __VA_ARGS__)
	PUT("lathe BGV context\n");
	PUT("  ring degree N = %zu (2^%u)\n", ctx->n, ctx->logn);
	if (ctx->par.t_exp > 1)
		PUT("  plaintext modulus t = %llu = %llu^%u\n", (unsigned long long)ctx->t,
		    (unsigned long long)ctx->par.t_prime, ctx->par.t_exp);
	else
		PUT("  plaintext modulus t = %llu\n", (unsigned long long)ctx->t);
	PUT("  slots = %zu%s\n", lathe_ctx_slots(ctx), ctx->batching ? " (2 x N/2)" : " (no batching: coefficient encoding)");
	PUT("  levels = %u (max level %u); log2 q_i bottom to top:", ctx->nq, ctx->nq - 1);
	for (unsigned i = 0; i < ctx->nq; i++)
		PUT(" %.1f", ctx->logq[i]);
	PUT("\n  log2 Q per level:");
	for (unsigned l = 0; l < ctx->nq; l++)
		PUT(" %.0f", lt_ctx_logq_half(ctx, l) + 1);
	PUT("\n  special primes = %u, log2 P = %.1f, dnum = %u (digits of %u primes)\n", ctx->np, ctx->logp,
	    ctx->dnum, ctx->alpha);
	PUT("  log2(Q*P) = %.1f\n", ctx->logqp);
	if (ctx->par.security == LATHE_SECURITY_NONE)
		PUT("  security: NONE (insecure test parameters)\n");
	else
		PUT("  security: %d-bit (bound %d for N = %zu, ternary secret: %s)\n", (int)ctx->par.security,
		    ctx->sec_bound, ctx->n,
		    ctx->logn <= 15 ? "HomomorphicEncryption.org standard" : "OpenFHE 1.2 lattice-estimator runs");
#undef PUT
	if (needed)
		*needed = k;
	if (size) {
		size_t c = k < size - 1 ? k : size - 1;
		memcpy(buf, tmp, c);
		buf[c] = '\0';
	}
	return LATHE_OK;
}
