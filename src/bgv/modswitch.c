/*
 * BGV modulus switching (Gentry-Halevi-Smart 2012; KPZ21 §3): drop the top
 * prime q_l keeping the plaintext congruence mod t,
 *     c' = (c - delta) / q_l,  delta = t [t^-1 c]_{q_l} (centered),
 * so delta = c mod q_l and delta = 0 mod t; the message is multiplied by
 * q_l^-1 mod t, which the ciphertext's correction factor records. The
 * division is the ring's t-preserving kernel (ring/tdiv.h) with the
 * ciphertext's plaintext modulus.
 */
#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

lathe_status
lt_ct_drop_prime(lathe_ct *ct, uint64_t *scratch)
{
	const lathe_ctx *c = ct->ctx;
	const lt_plainmod *pm = lt_ct_pm(ct);
	const unsigned l = ct->level;
	const lt_tdiv *plan = &pm->ms[l];
	const unsigned flags = LT_TDIV_B_NTT | LT_TDIV_C_NTT;
	uint64_t *buf = scratch;
	if (!buf) {
		buf = lt_alloc(lt_tdiv_scratch_words(plan, c->n, flags) * 8 + 8);
		if (!buf)
			return lt_fail(LATHE_ENOMEM, "modulus switching: out of memory");
	}
	for (unsigned k = 0; k < ct->size; k++)
		lt_rns_tdivide(plan, lt_ct_comp(ct, k), c->n, flags, buf);
	if (!scratch)
		lt_free(buf);
	ct->level = l - 1;
	ct->seeded = 0;
	ct->fac = lt_mulmod(ct->fac, plan->cinv_t, pm->t, pm->br);
	ct->noise = lt_noise_after_switch(c, pm, ct->noise, l, ct->size);
	return LATHE_OK;
}
