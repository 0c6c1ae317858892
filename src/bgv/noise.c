/*
 * Public noise model: log2 of high-probability bounds on the canonical
 * embedding norm of v = c0 + c1 s (+ c2 s^2), which bounds its coefficients
 * (||v||_inf <= ||v||_can). Sums add, products multiply (the canonical norm
 * is sub-multiplicative); fresh random terms use the heuristics of
 * Costache and Smart, "Which ring based somewhat homomorphic encryption
 * scheme is best?" (CT-RSA 2016): 6 sqrt(N V) for one random polynomial of
 * coefficient variance V, 16 sqrt(N V1) sqrt(N V2) for a product of two.
 *
 * With keys shared by P parties (lathe/multiparty.h), the secret is the
 * sum of P ternary secrets (variance P V_s), the public key's error and a
 * Galois key's the sum of P errors (P V_e), and the relinearization key's
 * error that of the two-round protocol (Mouchet et al., PETS 2021, §4):
 * s e0 + (u - s) e1 + e2 + e3 with s, u sums of P ternary polynomials and
 * e0 ... e3 sums of P errors; a product of two random polynomials has
 * coefficient variance N V1 V2, so this error's is taken as
 * N P Vs P Ve + N 2P Vs P Ve + 2 P Ve, the largest of the keys' (P = 1:
 * the one-key model, unchanged).
 */
#include <math.h>

#include "internal.h"

#define VAR_S (2.0 / 3.0)  /* uniform ternary */
#define VAR_E (10.5)       /* centered binomial, eta = 21 */

void
lt_noise_model_compute(const lathe_ctx *c, uint64_t t_msg, uint64_t t_key, lt_noise_model *nm)
{
	const double N = (double)c->n, t = (double)t_msg, tk = (double)t_key;
	const double P = c->par.parties > 1 ? (double)c->par.parties : 1.0;
	const double vs = P * VAR_S;                            /* the secret's coefficients */
	const double e1 = 6 * sqrt(N * VAR_E);                  /* one error polynomial */
	/* m + t (e0 + e1 s) + t_key e u: the public key's error e (variance P V_e) is a multiple of t_key */
	const double e1s = 16 * sqrt(N * VAR_E) * sqrt(N * vs);        /* e1 s */
	const double eu = 16 * sqrt(N * P * VAR_E) * sqrt(N * VAR_S);   /* e u, u ternary */
	nm->plain = log2(N * t / 2);
	nm->fresh_sk = log2(N * t / 2 + t * e1);
	nm->fresh_pk = log2(N * t / 2 + t * (e1 + e1s + eu) + (tk - t) * eu);
	/* switching rounding: t * (tau0 + tau1 s), tau uniform in [-1/2, 1/2] */
	const double tau = sqrt(N / 12.0);
	nm->ms = log2(t * (6 * tau + 16 * tau * sqrt(N * vs)));
	/*
	 * tau2 s^2 bounded by sub-multiplicativity, ||tau2 s|| ||s||: a product
	 * of two random polynomials times one more (6 sqrt(N V_s))
	 */
	nm->ms3 = log2(t * (6 * tau + 16 * tau * sqrt(N * vs) * (1 + 6 * sqrt(N * vs))));
	nm->ks = nm->ms;
	if (c->np && c->dnum) {
		/* centered digits: coefficients uniform in [-D/2, D/2), times t e_j, over P */
		double dmax = 0;
		for (unsigned j = 0; j < c->dnum; j++) {
			double s = 0;
			for (unsigned i = j * c->alpha; i < (j + 1) * c->alpha && i < c->nq; i++)
				s += c->logq[i];
			if (s > dmax)
				dmax = s;
		}
		/* the keys' error variance: one key's, or the largest of P parties' keys (above) */
		double ve = VAR_E;
		if (P > 1)
			ve = N * vs * P * VAR_E + N * 2 * vs * P * VAR_E + 2 * P * VAR_E;
		double prod = log2(16 * sqrt(N / 12.0) * sqrt(N * ve)) + dmax;
		double inner = log2((double)c->dnum) + prod + log2(tk) - c->logp; /* the keys' error t_key e_j */
		/* ModDown: centered t y / P on c0 and through s on c1, like a switch (x2 margin) */
		double down = 1 + nm->ms;
		nm->ks = lt_log2_add(inner, down);
	}
}

double
lt_noise_ks(const lt_plainmod *pm)
{
	return pm->nm.ks;
}

double
lt_noise_ms(const lt_plainmod *pm, unsigned size)
{
	return size >= 3 ? pm->nm.ms3 : pm->nm.ms;
}

double
lt_noise_after_switch(const lathe_ctx *ctx, const lt_plainmod *pm, double noise, unsigned l, unsigned size)
{
	return lt_log2_add(noise - ctx->logq[l], lt_noise_ms(pm, size));
}
