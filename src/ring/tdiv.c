/*
 * t-preserving RNS division (tdiv.h).
 *
 * One divisor prime (nc = 1, modulus switching): y = [t^-1 x_C]_{c_0} is
 * computed once on the C limb; for each B limb the centered lift of y is
 * reduced mod b_i and combined, x'_i = x_i C^-1 - lift(y) t C^-1, in one
 * pass when B is in coefficient form, or lift, NTT, combine when it is in
 * NTT form (the NTT of the lift is what the combination needs there).
 * Several (nc > 1): the centered extension of [t^-1 x]_C to B, with t^-1
 * folded into the extension's tables, fused with the same combination in
 * coefficient form, or extension, NTT, combination in NTT form.
 */
#include "tdiv.h"

#include <assert.h>
#include <string.h>

#include <omp.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "kernels.h"
#include "modarith.h"
#include "ntt.h"
#include "poly.h"
#include "rns.h"
#include "vec.h"

/* a * b mod m for any modulus m >= 1 (set-up only) */
static uint64_t
mul_any(uint64_t a, uint64_t b, uint64_t m)
{
	return (uint64_t)(((lt_u128)a * b) % m);
}

/* prod of the moduli mod m (set-up only) */
static uint64_t
prod_any(const lt_modulus *const *a, unsigned na, uint64_t m)
{
	uint64_t r = 1 % m;
	for (unsigned k = 0; k < na; k++)
		r = mul_any(r, a[k]->q % m, m);
	return r;
}

/* the plan for any t >= 1 (t = 1: divide-and-round); contract in tdiv.h */
static lathe_status
plan_init(lt_tdiv *p, const lt_modulus *const *b, unsigned nb, const lt_modulus *const *c, unsigned nc,
          uint64_t t)
{
	memset(p, 0, sizeof(*p));
	if (!b || !c || nb == 0 || nc == 0)
		return lt_fail(LATHE_EINVAL, "t-preserving division: empty or NULL basis");
	if (nb > LT_MAX_MODULI || nc > LT_MAX_MODULI)
		return lt_fail(LATHE_EINVAL, "t-preserving division: %u and %u moduli (at most %d each)", nb, nc,
		               LT_MAX_MODULI);
	const unsigned nm = nb + nc;
	for (unsigned i = 0; i < nm; i++) {
		const lt_modulus *m = i < nb ? b[i] : c[i - nb];
		if (!m)
			return lt_fail(LATHE_EINVAL, "t-preserving division: NULL modulus");
		if ((m->q & 1) == 0 || m->q < 3)
			return lt_fail(LATHE_EPARAM, "t-preserving division: modulus %llu is not odd",
			               (unsigned long long)m->q);
		if (lt_gcd(m->q, t) != 1)
			return lt_fail(LATHE_EPARAM, "t-preserving division: t = %llu and modulus %llu share a factor",
			               (unsigned long long)t, (unsigned long long)m->q);
		for (unsigned j = 0; j < i; j++) {
			const lt_modulus *o = j < nb ? b[j] : c[j - nb];
			if (lt_gcd(m->q, o->q) != 1)
				return lt_fail(LATHE_EPARAM, "t-preserving division: moduli %llu and %llu are equal or "
				               "share a factor", (unsigned long long)o->q, (unsigned long long)m->q);
		}
	}
	p->nb = nb;
	p->nc = nc;
	p->t = t;
	p->mod = lt_calloc(nm, sizeof(*p->mod));
	p->cinv_b = lt_alloc(nb * sizeof(uint64_t));
	p->tcinv_b = lt_alloc(nb * sizeof(uint64_t));
	if (!p->mod || !p->cinv_b || !p->tcinv_b) {
		lt_tdiv_clear(p);
		return lt_fail(LATHE_ENOMEM, "t-preserving division: out of memory");
	}
	for (unsigned i = 0; i < nm; i++)
		p->mod[i] = i < nb ? b[i] : c[i - nb];
	p->b = p->mod;
	p->c = p->mod + nb;
	/* C^-1 mod t; the moduli are coprime to t, so it exists (t = 1: 0) */
	p->cinv_t = t > 1 ? lt_invmod_any(prod_any(p->c, nc, t), t) : 0;
	for (unsigned i = 0; i < nb; i++) {
		const lt_modulus *m = p->b[i];
		p->cinv_b[i] = lt_invmod_any(prod_any(p->c, nc, m->q), m->q);
		p->tcinv_b[i] = lt_mulmod(t % m->q, p->cinv_b[i], m->q, m->br);
	}
	p->b_ntt = p->c_ntt = 1;
	for (unsigned i = 0; i < nm; i++)
		if (!lt_modulus_has_ntt(p->mod[i])) {
			if (i < nb)
				p->b_ntt = 0;
			else
				p->c_ntt = 0;
		}
	const lt_kernels *k = p->mod[0]->ntt.kern;
	for (unsigned i = 0; i < nm; i++)
		if (p->mod[i]->ntt.kern != k)
			k = lt_kernels_scalar();
	p->kern = k;
	if (nc == 1) {
		p->tinv_c0 = lt_invmod_any(t % p->c[0]->q, p->c[0]->q);
		return LATHE_OK;
	}
	uint64_t scale[LT_MAX_MODULI];
	for (unsigned j = 0; j < nc; j++)
		scale[j] = lt_invmod_any(t % p->c[j]->q, p->c[j]->q);
	p->conv = lt_alloc(sizeof(lt_baseconv));
	if (!p->conv) {
		lt_tdiv_clear(p);
		return lt_fail(LATHE_ENOMEM, "t-preserving division: out of memory");
	}
	lathe_status s = lt_baseconv_init_scaled(p->conv, p->c, nc, p->b, nb, scale);
	if (s) {
		lt_tdiv_clear(p); /* the extension was zeroed: clearing it again is safe */
		return s;
	}
	return LATHE_OK;
}

lathe_status
lt_tdiv_init(lt_tdiv *plan, const lt_modulus *const *b, unsigned nb, const lt_modulus *const *c, unsigned nc,
             uint64_t t)
{
	if (!plan)
		return lt_fail(LATHE_EINVAL, "t-preserving division: NULL plan");
	if (t < 2) {
		memset(plan, 0, sizeof(*plan));
		return lt_fail(LATHE_EPARAM, "t-preserving division: plaintext modulus t = %llu (need t >= 2)",
		               (unsigned long long)t);
	}
	return plan_init(plan, b, nb, c, nc, t);
}

void
lt_tdiv_clear(lt_tdiv *plan)
{
	if (!plan)
		return;
	if (plan->conv) {
		lt_baseconv_clear(plan->conv);
		lt_free(plan->conv);
	}
	lt_free(plan->mod);
	lt_free(plan->cinv_b);
	lt_free(plan->tcinv_b);
	memset(plan, 0, sizeof(*plan));
}

size_t
lt_tdiv_scratch_words(const lt_tdiv *plan, size_t n, unsigned flags)
{
	if (!(flags & LT_TDIV_B_NTT))
		return 0;
	return plan->nc == 1 ? (size_t)plan->nb * n : ((size_t)plan->nb + plan->nc + 1) * n;
}

/* centered lift of y in [0, c) mod q: y mod q, or (y - c) mod q when y > (c-1)/2 */
static inline uint64_t
lift1(uint64_t y, uint64_t half, uint64_t cq, uint64_t q, lt_barrett br)
{
	uint64_t yq = lt_reduce64(y, q, br);
	uint64_t big = (uint64_t)0 - ((half - y) >> 63); /* all ones when y > half (y, half < 2^62) */
	uint64_t alt = lt_submod(yq, cq, q);
	return (yq & ~big) | (alt & big);
}

void
lt_tdiv_lift_scalar(uint64_t *r, const uint64_t *y, size_t n, uint64_t c, const lt_modulus *m)
{
	const uint64_t q = m->q, half = c / 2, cq = c % q;
	for (size_t k = 0; k < n; k++)
		r[k] = lift1(y[k], half, cq, q, m->br);
}

void
lt_tdiv_lift_mulsub_scalar(uint64_t *r, const uint64_t *x, uint64_t cx, const uint64_t *y, uint64_t cy,
                           size_t n, uint64_t c, const lt_modulus *m)
{
	const uint64_t q = m->q, half = c / 2, cq = c % q;
	const uint64_t cxs = lt_shoup_prep(cx, q), cys = lt_shoup_prep(cy, q);
	for (size_t k = 0; k < n; k++) {
		uint64_t e = lift1(y[k], half, cq, q, m->br);
		r[k] = lt_submod(lt_mulmod_shoup(x[k], cx, cxs, q), lt_mulmod_shoup(e, cy, cys, q), q);
	}
}

size_t
lt_tdiv_many_scratch_words(const lt_tdiv *plan, size_t n, unsigned flags, unsigned k)
{
	if (!(flags & LT_TDIV_B_NTT))
		return 0;
	return plan->nc == 1 ? (size_t)k * plan->nb * n : ((size_t)k * plan->nb + plan->nc + 1) * n;
}

void
lt_rns_tdivide_to(const lt_tdiv *p, uint64_t *out, const uint64_t *xb, uint64_t *xc, size_t n, unsigned flags,
                  uint64_t *scratch)
{
	lt_rns_tdivide_many_to(p, 1, &out, &xb, &xc, n, flags, scratch);
}

/*
 * Each step runs over the limbs of all k inputs in one parallel loop: with
 * two threads and an odd nb or nc, k = 2 keeps both busy where one input
 * at a time leaves one idle for the last limb.
 */
void
lt_rns_tdivide_many_to(const lt_tdiv *p, unsigned k, uint64_t *const *out, const uint64_t *const *xb,
                       uint64_t *const *xc, size_t n, unsigned flags, uint64_t *scratch)
{
	const unsigned nb = p->nb, nc = p->nc;
	const int bntt = (flags & LT_TDIV_B_NTT) != 0;
	assert(p->mod && out && xb && xc && k >= 1 && k <= LT_TDIV_MAX_MANY);
	assert(!bntt || (p->b_ntt && scratch && p->b[0]->ntt.n == n));
	assert(!(flags & LT_TDIV_C_NTT) || (p->c_ntt && p->c[0]->ntt.n == n));
	if (flags & LT_TDIV_C_NTT) {
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(k * nc, n))
		for (unsigned x = 0; x < k * nc; x++)
			lt_ntt_inv(xc[x / nc] + (size_t)(x % nc) * n, &p->c[x % nc]->ntt);
	}
	if (nc == 1) {
		const lt_modulus *mc = p->c[0];
		/* y = [t^-1 x_C]_{c_0}, once for all B limbs; each input in two halves for the threads */
		const size_t hn = n / 2;
#pragma omp parallel for schedule(static) if (lt_par(2 * k, hn))
		for (unsigned y = 0; y < 2 * k; y++)
			lt_vec_mul_scalar(xc[y / 2] + (y % 2) * hn, xc[y / 2] + (y % 2) * hn, p->tinv_c0,
			                  y % 2 ? n - hn : hn, mc);
		const uint64_t c0 = mc->q;
		const lt_kernels *kn = p->kern;
		if (!bntt) {
#pragma omp parallel for schedule(static) if (lt_par(k * nb, n))
			for (unsigned x = 0; x < k * nb; x++) {
				const unsigned w = x / nb, i = x % nb;
				kn->tdiv_lift_mulsub(out[w] + (size_t)i * n, xb[w] + (size_t)i * n, p->cinv_b[i], xc[w],
				                     p->tcinv_b[i], n, c0, p->b[i]);
			}
			return;
		}
		/* lift, NTT, combine; one lift buffer per thread (at most k nb threads), reused while in cache */
		int nt = omp_get_max_threads();
		if (nt > (int)(k * nb))
			nt = (int)(k * nb);
#pragma omp parallel num_threads(nt) if (lt_par(k * nb, n))
		{
			const unsigned tid = (unsigned)omp_get_thread_num(), step = (unsigned)omp_get_num_threads();
			uint64_t *e = scratch + (size_t)tid * n;
			for (unsigned x = tid; x < k * nb; x += step) {
				const unsigned w = x / nb, i = x % nb;
				const lt_modulus *m = p->b[i];
				kn->tdiv_lift(e, xc[w], n, c0, m);
				lt_ntt_fwd(e, &m->ntt);
				lt_vec_mulsub2(out[w] + (size_t)i * n, xb[w] + (size_t)i * n, p->cinv_b[i], e, p->tcinv_b[i], n,
				               m);
			}
		}
		return;
	}
	if (!bntt) {
		for (unsigned w = 0; w < k; w++)
			lt_baseconv_apply_centered_mulsub(p->conv, out[w], xb[w], xc[w], n, p->cinv_b, p->tcinv_b);
		return;
	}
	/* the extensions of all k inputs (each parallel over coefficients), then their NTTs together */
	uint64_t *ext = scratch, *cs = scratch + (size_t)k * nb * n;
	for (unsigned w = 0; w < k; w++)
		lt_baseconv_apply_centered(p->conv, ext + (size_t)w * nb * n, xc[w], n, cs);
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(k * nb, n))
	for (unsigned x = 0; x < k * nb; x++) {
		const unsigned w = x / nb, i = x % nb;
		const lt_modulus *m = p->b[i];
		uint64_t *ei = ext + (size_t)x * n;
		lt_ntt_fwd(ei, &m->ntt);
		lt_vec_mulsub2(out[w] + (size_t)i * n, xb[w] + (size_t)i * n, p->cinv_b[i], ei, p->tcinv_b[i], n, m);
	}
}

void
lt_rns_tdivide(const lt_tdiv *plan, uint64_t *x, size_t n, unsigned flags, uint64_t *scratch)
{
	lt_rns_tdivide_to(plan, x, x, x + (size_t)plan->nb * n, n, flags, scratch);
}

lathe_status
lt_divround_init(lt_divround *dr, const lt_modulus *const *b, unsigned nb, const lt_modulus *const *c,
                 unsigned nc)
{
	if (!dr)
		return lt_fail(LATHE_EINVAL, "divide-and-round: NULL argument");
	return plan_init(&dr->plan, b, nb, c, nc, 1);
}

void
lt_divround_clear(lt_divround *dr)
{
	if (dr)
		lt_tdiv_clear(&dr->plan);
}

void
lt_divround_apply(const lt_divround *dr, uint64_t *x, size_t n, uint64_t *scratch)
{
	(void)scratch;
	lt_rns_tdivide(&dr->plan, x, n, 0, NULL);
}
