/*
 * BGV modulus switching (Gentry-Halevi-Smart 2012; KPZ21 §3): drop the top
 * prime q_l keeping the plaintext congruence mod t,
 *     c' = (c - delta) / q_l,  delta = t [t^-1 c]_{q_l} (centered),
 * so delta = c mod q_l and delta = 0 mod t; the message is multiplied by
 * q_l^-1 mod t, which the ciphertext's correction factor records.
 */
#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/vec.h"
#include "internal.h"

lathe_status
lt_ct_drop_prime(lathe_ct *ct, uint64_t *scratch)
{
	const lathe_ctx *c = ct->ctx;
	const unsigned l = ct->level;
	const size_t n = c->n;
	const lt_modulus *ml = c->ring.modp[l];
	const uint64_t ql = ml->q, half = ql / 2;
	/* one lifted copy of y per remaining limb, shared by the components */
	uint64_t *ybuf = scratch ? scratch : lt_alloc((size_t)(l ? l : 1) * n * 8);
	if (!ybuf)
		return lt_fail(LATHE_ENOMEM, "modulus switching: out of memory");
	for (unsigned k = 0; k < ct->size; k++) {
		uint64_t *comp = lt_ct_comp(ct, k);
		uint64_t *last = comp + (size_t)l * n;
		/* y = [t^-1 c]_{q_l}, in coefficient form */
		lt_ntt_inv(last, &ml->ntt);
		lt_vec_mul_scalar(last, last, c->t_inv_q[l], n, ml);
		/* centered y lifted to each q_i, NTT, then c_i = c_i q_l^-1 - y t q_l^-1 */
#pragma omp parallel for schedule(static) if (lt_par(l, n))
		for (unsigned i = 0; i < l; i++) {
			const lt_modulus *m = c->ring.modp[i];
			const uint64_t q = m->q, qlm = ql % q;
			uint64_t *yi = ybuf + (size_t)i * n, *ci = comp + (size_t)i * n;
			for (size_t j = 0; j < n; j++) {
				uint64_t y = last[j];
				uint64_t yq = lt_reduce64(y, q, m->br);
				uint64_t neg = (uint64_t)0 - (uint64_t)(y > half);
				uint64_t alt = lt_submod(yq, qlm, q); /* y - q_l */
				yi[j] = (yq & ~neg) | (alt & neg);
			}
			lt_ntt_fwd(yi, &m->ntt);
			lt_vec_mul_scalar(yi, yi, c->ms_tqinv[l][i], n, m);
			lt_vec_mul_scalar(ci, ci, c->ms_qinv[l][i], n, m);
			lt_vec_sub(ci, ci, yi, n, q);
		}
	}
	if (!scratch)
		lt_free(ybuf);
	ct->level = l - 1;
	ct->seeded = 0;
	ct->fac = lt_mulmod(ct->fac, c->qinv_t[l], c->t, c->t_br);
	ct->noise = lt_noise_after_switch(c, ct->noise, l, ct->size);
	return LATHE_OK;
}
