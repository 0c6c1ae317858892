/*
 * Contexts: construction from a literal (chain.c designs the chain,
 * tables.c builds the tables), the parameter hash, accessors, and the
 * description and information reports.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "context.h"

#include <flint/ulong_extras.h>

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

void
lathe_ctx_free(lathe_ctx *ctx)
{
	if (!ctx)
		return;
	lt_ctx_free_tables(ctx);
	lt_free(ctx);
}

static void
hash_u64(crypto_generichash_state *st, uint64_t v)
{
	unsigned char b[8];
	for (unsigned i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	crypto_generichash_update(st, b, sizeof(b));
}

/* The largest plaintext modulus of a literal: p^e when bootstrappable, else the user's t. */
static uint64_t
key_t(const lathe_params *p)
{
	const unsigned e = p->boot_exp ? p->boot_exp : p->t_exp;
	uint64_t t = 1;
	for (unsigned i = 0; i < e; i++)
		t *= p->t_prime;
	return t;
}

static void
hash_params(lathe_ctx *c)
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof(c->hash));
	const char tag[] = "lathe-bgv-params-v1";
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
	/* u64 fields, little-endian (docs/format.md) */
	const uint64_t hdr[7] = { c->n, c->t, c->nq, c->np, c->dnum, c->alpha, (uint64_t)c->par.security };
	for (unsigned i = 0; i < 7; i++)
		hash_u64(&st, hdr[i]);
	for (unsigned i = 0; i < c->ring.nmod; i++)
		hash_u64(&st, c->ring.mod[i].q);
	/* the further plaintext moduli, which the keys are made under (none: the hash of a plain context) */
	for (unsigned i = 1; i < c->npm; i++)
		hash_u64(&st, c->pm[i].t);
	if (c->npm > 1)
		hash_u64(&st, c->par.boot_h);
	/* the parties (none: the hash of a one-key context) */
	if (c->par.parties > 1) {
		static const char mp[] = "parties";
		crypto_generichash_update(&st, (const unsigned char *)mp, sizeof(mp));
		hash_u64(&st, c->par.parties);
	}
	crypto_generichash_final(&st, c->hash, sizeof(c->hash));
}

/*
 * A bootstrappable context's own checks, once its primes are known. The
 * sparse secret of weight h lives only in the encapsulation key, an LWE
 * instance of modulus q_0 p_0: BOOTSTRAP.md Correction 4 estimates it
 * (lattice estimator, hybrid meet-in-the-middle) at about 2^228 for h = 64,
 * N = 2^15, log2 q = 120, and rules out h < 64; a larger N only adds
 * security at the same modulus, a smaller one was not estimated. p_0 >=
 * q_0 2^6 (Correction 5) keeps the encapsulation's noise below the switch
 * to q_0's.
 */
static lathe_status
check_boot(lathe_ctx *c)
{
	lathe_params *p = &c->par;
	if (!p->boot_exp)
		return LATHE_OK;
	if (p->boot_h == 0)
		p->boot_h = 64;
	if (p->boot_h > c->n)
		return lt_fail(LATHE_EPARAM, "context: a sparse secret of weight %u in a ring of degree %zu", p->boot_h,
		               c->n);
	if (p->security == LATHE_SECURITY_NONE)
		return LATHE_OK;
	if (p->boot_h < 64)
		return lt_fail(LATHE_EINSECURE, "context: bootstrapping's sparse secret of weight %u: at least 64 is needed "
		               "for %d-bit security (only test parameters may go lower)", p->boot_h, (int)p->security);
	if (c->logn < 15)
		return lt_fail(LATHE_EINSECURE, "context: no security estimate of bootstrapping's sparse secret for N = %zu "
		               "(N = 2^15 and above are estimated)", c->n);
	const double lq0 = log2((double)c->ring.mod[0].q), lp0 = log2((double)c->ring.mod[c->nq].q);
	if (lq0 + lp0 > 120.0)
		return lt_fail(LATHE_EINSECURE, "context: the encapsulation key's modulus q_0 p_0 has %.1f bits, above the "
		               "120 its security estimate covers", lq0 + lp0);
	if (lp0 < lq0 + 6.0)
		return lt_fail(LATHE_EPARAM, "context: the first special prime p_0 (%.1f bits) must be at least q_0 2^6 "
		               "(q_0: %.1f bits) for bootstrapping's encapsulation", lp0, lq0);
	return LATHE_OK;
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
	if ((st = check_boot(c))) {
		lathe_ctx_free(c);
		return st;
	}
	lt_noise_model nm;
	lt_noise_model_compute(c, c->t, key_t(p), &nm);
	if (c->logq[0] < nm.ms + 2) {
		st = lt_fail(LATHE_EPARAM, "lathe_ctx_new: q_0 of %.1f bits is below the modulus-switching noise (%.1f bits) + 2",
		             c->logq[0], nm.ms);
		lathe_ctx_free(c);
		return st;
	}
	st = lt_ctx_build_tables(c);
	/* the plaintext moduli: the user's, then p^e for bootstrapping */
	const unsigned exps[LT_MAX_PLAINMOD] = { p->t_exp, p->boot_exp };
	for (unsigned i = 0; st == LATHE_OK && i < (p->boot_exp ? 2u : 1u); i++) {
		st = lt_plainmod_init(c, &c->pm[i], p->t_prime, exps[i]);
		if (st == LATHE_OK) {
			c->npm = i + 1;
			lt_noise_model_compute(c, c->pm[i].t, key_t(p), &c->pm[i].nm);
		}
	}
	if (st) {
		lathe_ctx_free(c);
		return st;
	}
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
	if (p->parties > LATHE_MAX_PARTIES)
		return lt_fail(LATHE_EPARAM, "context: %u parties (at most %d)", p->parties, LATHE_MAX_PARTIES);
	if (p->parties > 1 && p->boot_exp)
		return lt_fail(LATHE_EUNSUPPORTED, "context: bootstrapping is for one-key contexts, not for keys shared by "
		               "%u parties", p->parties);
	c->par = *p;
	if (c->par.parties < 1)
		c->par.parties = 1;
	c->logn = p->logn;
	c->n = (size_t)1 << p->logn;
	c->t = 1;
	for (unsigned i = 0; i < p->t_exp; i++) {
		if (c->t > (UINT64_C(1) << 60) / p->t_prime)
			return lt_fail(LATHE_EPARAM, "context: plaintext modulus above 2^60");
		c->t *= p->t_prime;
	}
	if (p->boot_exp) {
		if (p->boot_exp <= p->t_exp)
			return lt_fail(LATHE_EPARAM, "context: bootstrapping exponent e = %u is not above r = %u", p->boot_exp,
			               p->t_exp);
		uint64_t te = 1;
		for (unsigned i = 0; i < p->boot_exp; i++) {
			if (te > (UINT64_C(1) << 60) / p->t_prime)
				return lt_fail(LATHE_EPARAM, "context: p^e for bootstrapping above 2^60");
			te *= p->t_prime;
		}
	}
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
	lathe_status st = init_common(c, p);
	if (st) {
		lathe_ctx_free(c);
		return st;
	}
	int bound = p->security == LATHE_SECURITY_NONE ? 0 : lt_security_bound(p->security, p->logn);
	if (bound < 0) {
		CTX_FAIL(LATHE_EINSECURE, "lathe_ctx_new: no cited security estimate for N = %zu at %d bits", c->n,
		         (int)p->security);
	}
	lt_noise_model nm;
	lt_noise_model_compute(c, c->t, key_t(p), &nm);
	lt_chain_spec spec = {
		.logn = c->logn, .t = c->t, .ms = nm.ms, .fresh = nm.fresh_pk,
		.depth = p->depth, .chain_bits = p->chain_bits, .nchain = p->nchain,
		.dnum = p->dnum, .special_bits = p->special_bits, .nspecial = p->nspecial,
		.bound = bound, .security = (int)p->security,
	};
	lt_chain ch;
	st = lt_chain_design("lathe_ctx_new", &spec, &ch);
	uint64_t q[LT_MAX_CHAIN + LT_MAX_SPECIAL];
	if (st == LATHE_OK)
		st = lt_chain_primes(&ch, c->logn, p->t_prime, c->t, q);
	if (st) {
		lathe_ctx_free(c);
		return st;
	}
	c->nq = ch.nq;
	c->np = ch.np;
	c->dnum = ch.dnum;
	c->alpha = ch.alpha;
	return finish(c, q, bound, out);
}
size_t
lathe_ctx_slots(const lathe_ctx *ctx)
{
	return ctx ? ctx->pm[LT_PM_USER].slots.ell : 0;
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
	const lt_slots *sl = &ctx->pm[LT_PM_USER].slots;
	info->batching = sl->ell > 0;
	if (sl->ell) {
		info->slot_degree = sl->d;
		info->slot_rows = sl->rows;
		info->slot_cols = sl->cols;
	}
	const size_t words = (size_t)ctx->n * 8;
	info->ksk_bytes = 2 * (size_t)ctx->dnum * (ctx->nq + ctx->np) * words;
	info->pk_bytes = 2 * (size_t)ctx->nq * words;
	info->ct_bytes = 2 * (size_t)ctx->nq * words;
	memcpy(info->param_hash, ctx->hash, sizeof(info->param_hash));
	if (ctx->npm > 1) {
		info->boot_exp = ctx->par.boot_exp;
		info->boot_t = ctx->pm[ctx->npm - 1].t;
		info->boot_h = ctx->par.boot_h;
	}
	info->parties = ctx->par.parties > 1 ? ctx->par.parties : 1;
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
	const lt_slots *sl = &ctx->pm[LT_PM_USER].slots;
	if (sl->ell)
		PUT("  slots = %zu (%zu x %zu, d = %zu%s)\n", sl->ell, sl->rows, sl->cols, sl->d,
		    sl->d == 1 ? ": full splitting" : ": thin slots, one value mod t each");
	else
		PUT("  slots = 0 (t = 2^r: coefficient encoding only)\n");
	PUT("  levels = %u (max level %u); log2 q_i bottom to top:", ctx->nq, ctx->nq - 1);
	for (unsigned i = 0; i < ctx->nq; i++)
		PUT(" %.1f", ctx->logq[i]);
	PUT("\n  log2 Q per level:");
	for (unsigned l = 0; l < ctx->nq; l++)
		PUT(" %.0f", lt_ctx_logq_half(ctx, l) + 1);
	PUT("\n  special primes = %u, log2 P = %.1f, dnum = %u (digits of %u primes)\n", ctx->np, ctx->logp,
	    ctx->dnum, ctx->alpha);
	PUT("  log2(Q*P) = %.1f\n", ctx->logqp);
	if (ctx->npm > 1)
		PUT("  bootstrappable: keys under p^%u = %llu, sparse secret of weight %u\n", ctx->par.boot_exp,
		    (unsigned long long)ctx->pm[ctx->npm - 1].t, ctx->par.boot_h);
	if (ctx->par.parties > 1)
		PUT("  multiparty: the secret is shared by %u parties\n", ctx->par.parties);
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
