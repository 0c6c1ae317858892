/*
 * The tables of one plaintext modulus t = p^r over a context's primes
 * (plainmod.h): the t-preserving divisions of modulus switching, ModDown
 * and decryption at each level, and the slot structure.
 */
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

static void
clear_plans(lt_tdiv *v, unsigned n)
{
	if (!v)
		return;
	for (unsigned i = 0; i < n; i++)
		lt_tdiv_clear(&v[i]);
	lt_free(v);
}

void
lt_plainmod_clear(const lathe_ctx *c, lt_plainmod *pm)
{
	clear_plans(pm->ms, c->nq);
	clear_plans(pm->md, c->nq);
	clear_plans(pm->dec, c->nq);
	clear_plans(pm->msk, c->nq * c->nq);
	lt_slots_clear(&pm->slots);
	memset(pm, 0, sizeof(*pm));
}

static lathe_status
build(const lathe_ctx *c, lt_plainmod *pm)
{
	const unsigned nq = c->nq, np = c->np;
	const lt_modulus *const *mp = (const lt_modulus *const *)c->ring.modp;
	const uint64_t t = pm->t;
	pm->ms = lt_calloc(nq, sizeof(lt_tdiv));
	pm->md = lt_calloc(nq, sizeof(lt_tdiv));
	pm->dec = lt_calloc(nq, sizeof(lt_tdiv));
	pm->msk = lt_calloc((size_t)nq * nq, sizeof(lt_tdiv));
	if (!pm->ms || !pm->md || !pm->dec || !pm->msk)
		return lt_fail(LATHE_ENOMEM, "context: out of memory");
	for (unsigned l = 0; l < nq; l++) {
		lathe_status st = lt_tdiv_init(&pm->md[l], mp, l + 1, mp + nq, np, t);
		if (st == LATHE_OK && l >= 1)
			st = lt_tdiv_init(&pm->ms[l], mp, l, mp + l, 1, t);
		if (st == LATHE_OK && l >= 1)
			st = lt_tdiv_init(&pm->dec[l], mp, 1, mp + 1, l, t);
		if (st)
			return st;
	}
	/* switching down several levels is one division by the product of the primes dropped */
	for (unsigned l = 2; l < nq; l++)
		for (unsigned k = 0; k + 2 <= l; k++) {
			lathe_status st = lt_tdiv_init(&pm->msk[(size_t)l * nq + k], mp, k + 1, mp + k + 1, l - k, t);
			if (st)
				return st;
		}
	if (pm->p != 2) {
		lathe_status st = lt_slots_init(&pm->slots, c->logn, pm->p, pm->r);
		if (st)
			return st;
	}
	return LATHE_OK;
}

lathe_status
lt_plainmod_init(const lathe_ctx *c, lt_plainmod *pm, uint64_t p, unsigned r)
{
	memset(pm, 0, sizeof(*pm));
	pm->p = p;
	pm->r = r;
	pm->t = 1;
	for (unsigned i = 0; i < r; i++)
		pm->t *= p;
	pm->br = lt_barrett_prep(pm->t);
	lathe_status st = build(c, pm);
	if (st)
		lt_plainmod_clear(c, pm);
	return st;
}
