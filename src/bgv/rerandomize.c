/*
 * Circuit privacy: rerandomization by noise flooding.
 */
#include <math.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/vec.h"
#include "evalcore.h"
#include "internal.h"

/* ---- circuit privacy ---- */

/*
 * Rerandomization parameters, all from public parameters only (never from
 * the input's estimate): the largest input noise accepted, the flooding
 * width, and the level the result lands on.
 */
typedef struct rr_plan {
	double in_max;     /* log2 bound on the input's noise at the target level */
	unsigned flood;    /* E uniform in [-2^flood, 2^flood) */
	double out_noise;  /* the result's public estimate */
	unsigned level;    /* the result's level; nq when the chain is too short */
} rr_plan;

static rr_plan
rr_plan_for(const lathe_ctx *c)
{
	rr_plan p;
	const lt_plainmod *pm = &c->pm[LT_PM_USER];
	const double logn = (double)c->logn, logt = log2((double)c->t);
	/* a switched-down input sits near the switching floor; scaling its factor to 1 adds up to log2 t */
	p.in_max = lt_noise_ms(pm, 2) + logt + 4;
	/*
	 * Statistical distance between t (e + E) and t E for |e_j| <= 2^in_max / t,
	 * summed over N coefficients: <= N 2^in_max / (t 2^(flood+1)) <= 2^-LATHE_RERANDOMIZE_STAT_BITS.
	 */
	p.flood = (unsigned)ceil(p.in_max - logt + logn + LATHE_RERANDOMIZE_STAT_BITS);
	/* canonical norm of t E: 6 sqrt(N Var E) t with Var E = 2^(2 flood) / 3 */
	double fl = logt + p.flood + log2(6 * sqrt((double)c->n / 3));
	p.out_noise = lt_log2_add(fl, lt_log2_add(p.in_max, pm->nm.fresh_pk));
	p.level = c->nq;
	for (unsigned l = 0; l < c->nq; l++)
		if (p.out_noise + 1 < lt_ctx_logq_half(c, l)) {
			p.level = l;
			break;
		}
	return p;
}

lathe_status
lt_ev_ct_rerandomize(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_rerandomize";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	if (a->pm != LT_PM_USER)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext is under bootstrapping's plaintext modulus", fn);
	const lt_plainmod *pm = &c->pm[LT_PM_USER];
	if (!ev->ek || !ev->ek->pk)
		return lt_fail(LATHE_ENOKEY, "%s: the evaluation keys carry no public key (lathe_evalkeys_set_pk)", fn);
	const rr_plan p = rr_plan_for(c);
	if (p.level >= c->nq)
		return lt_fail(LATHE_EPARAM, "%s: the chain (log2 Q = %.0f) is too short for noise flooding (needs %.0f bits)",
		               fn, lt_ctx_logq_half(c, c->nq - 1) + 1, p.out_noise + 2);
	lathe_status s = lt_ev_as_two(ev, &a, fn);
	if (s)
		return s;
	if (a->level < p.level)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level %u, rerandomization needs level %u or above", fn,
		               a->level, p.level);
	/* in t1: switched to the target level, its factor scaled to 1 */
	if (a != ev->t1) {
		if ((s = lt_ev_to_temp(ev->t1, a)))
			return s;
	}
	lathe_ct *x = ev->t1;
	double noise = x->noise;
	uint64_t fac = x->fac;
	for (unsigned l = x->level; l > p.level; l--) {
		noise = lt_noise_after_switch(c, pm, noise, l, 2);
		fac = lt_mulmod(fac, pm->ms[l].cinv_t, pm->t, pm->br); /* what lt_ct_drop_prime records */
	}
	uint64_t r = lt_invmod_any(fac, pm->t);
	int64_t k = lt_centered_mod(r, pm->t);
	noise += lt_log2_abs(k);
	if (noise > p.in_max)
		return lt_fail(LATHE_ENOISE,
		               "%s: the input's noise (2^%.1f at level %u) is above the 2^%.1f that flooding hides", fn, noise,
		               p.level, p.in_max);
	if ((s = lt_ev_drop_to(ev, x, p.level)))
		return s;
	lt_ev_scale(x, k);
	x->fac = 1;
	if ((s = lt_pk_encrypt_into(ev->ek->pk, x, NULL, (int)p.flood, NULL)))
		return s;
	if ((s = lathe_ct_copy(out, x)))
		return s;
	out->noise = p.out_noise;
	out->seeded = 0;
	return LATHE_OK;
}

lathe_status
lt_rerandomize_plan(const lathe_ctx *c, unsigned *level, unsigned *flood_bits, double *out_noise)
{
	rr_plan p = rr_plan_for(c);
	*level = p.level;
	*flood_bits = p.flood;
	*out_noise = p.out_noise;
	return p.level < c->nq ? LATHE_OK : LATHE_EPARAM;
}

