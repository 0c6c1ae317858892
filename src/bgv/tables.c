/*
 * The precomputed tables of a context: the bases of each level, modulus
 * switching constants, the key-switching base extensions (ModUp per level
 * and digit, ModDown per level), decryption's one-step division, the noise
 * meters, and the batch encoder.
 */
#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/noisemeter.h"
#include "../ring/primes.h"
#include "context.h"

#include <flint/ulong_extras.h>

void
lt_ctx_free_tables(lathe_ctx *c)
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

static uint64_t
inv_mod_any(uint64_t a, uint64_t m)
{
	return n_invmod(a % m, m); /* extended Euclid: m need not be prime */
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
	return LATHE_OK;
}
