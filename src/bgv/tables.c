/*
 * The precomputed tables of a context that do not depend on the plaintext
 * modulus: the bases of each level, the key-switching base extensions
 * (ModUp per level and digit), P mod q_i, and the noise meters. The
 * t-dependent tables (divisions, slots, noise model) are in plainmod.c.
 */
#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/noisemeter.h"
#include "context.h"

void
lt_ctx_free_tables(lathe_ctx *c)
{
	for (unsigned i = 0; i < c->npm; i++)
		lt_plainmod_clear(c, &c->pm[i]);
	c->npm = 0;
	if (c->qp)
		for (unsigned l = 0; l < c->nq; l++)
			lt_free((void *)c->qp[l]);
	lt_free(c->qp);
	for (unsigned i = 0; i < c->nq * c->dnum; i++) {
		if (c->modup)
			lt_baseconv_clear(&c->modup[i]);
		if (c->modup_out)
			lt_free((void *)c->modup_out[i]);
	}
	lt_free(c->modup);
	lt_free(c->modup_out);
	if (c->meter)
		for (unsigned l = 0; l < c->nq; l++)
			lt_noisemeter_clear(&c->meter[l]);
	lt_free(c->meter);
	lt_free(c->p_mod_q);
	lt_ring_clear(&c->ring);
}

/* Primes of digit j: [j * alpha, min((j + 1) * alpha, nq)). */
static unsigned
digit_end(const lathe_ctx *c, unsigned j)
{
	unsigned e = (j + 1) * c->alpha;
	return e < c->nq ? e : c->nq;
}

lathe_status
lt_ctx_build_tables(lathe_ctx *c)
{
	const unsigned nq = c->nq, np = c->np;
	const lt_modulus *const *mp = (const lt_modulus *const *)c->ring.modp;
	c->qp = lt_calloc(nq, sizeof(*c->qp));
	c->modup = lt_calloc((size_t)nq * c->dnum, sizeof(lt_baseconv));
	c->modup_out = lt_calloc((size_t)nq * c->dnum, sizeof(*c->modup_out));
	c->p_mod_q = lt_calloc(nq, sizeof(uint64_t));
	c->meter = lt_calloc(nq, sizeof(lt_noisemeter));
	if (!c->qp || !c->modup || !c->modup_out || !c->p_mod_q || !c->meter)
		return lt_fail(LATHE_ENOMEM, "context: out of memory");
	for (unsigned l = 0; l < nq; l++) {
		const lt_modulus **b = lt_calloc(l + 1 + np, sizeof(*b));
		if (!b)
			return lt_fail(LATHE_ENOMEM, "context: out of memory");
		for (unsigned i = 0; i <= l; i++)
			b[i] = mp[i];
		for (unsigned j = 0; j < np; j++)
			b[l + 1 + j] = mp[nq + j];
		c->qp[l] = b;
	}
	/* P mod q_i (key generation: the key carries P s') */
	for (unsigned i = 0; i < nq; i++) {
		const lt_modulus *m = mp[i];
		uint64_t pm = 1;
		for (unsigned j = 0; j < np; j++)
			pm = lt_mulmod(pm, mp[nq + j]->q % m->q, m->q, m->br);
		c->p_mod_q[i] = pm;
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
	}
	/* decryption's noise check and the noise budget: one meter per level */
	for (unsigned l = 0; l < nq; l++) {
		lathe_status st = lt_noisemeter_init(&c->meter[l], mp, l + 1, 0);
		if (st)
			return st;
	}
	return LATHE_OK;
}
