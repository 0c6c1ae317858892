/*
 * Step 3 of thin bootstrapping (BOOTSTRAP.md §2 Step 3 and Correction 6;
 * Geelen, Vercauteren, "Bootstrapping for BGV and BFV revisited",
 * J. Cryptology 36, 2023, §4): a ciphertext at level 0,
 * c0 + c1 s = fac m + t E (mod q_0), t = p^r, is switched to the bare
 * modulus q' = k p^e + 1, so that c0' + c1' s = kappa m + t E' (mod q'),
 * kappa = fac q_0^-1 mod t (q' = 1 mod t), by the t-preserving division
 * of ring/tdiv.h applied to X = q' c (X = 0 mod q', q' c mod q_0):
 *     c' = (q' c - delta) / q_0,  delta = t [t^-1 q' c]_{q_0},
 * an exact integer division computed mod q'. Then a_i = [p^(e-r) c_i']_{q'}
 * (centred) gives a0 + a1 s = p^(e-r) (kappa m + t E') + q' J over
 * Z[X]/(X^N + 1), hence, since q' = 1 and p^(e-r) t = 0 mod p^e,
 *     a0 + a1 s = p^(e-r) kappa m + J  (mod p^e),
 * and the a_i are handed on reduced (centred) mod p^e: the inner product
 * with the bootstrapping key needs them mod p^e only, and its noise
 * scales with them (Correction 6).
 */
#include <string.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/modarith.h"
#include "../ring/ntt.h"
#include "../ring/tdiv.h"
#include "../ring/vec.h"
#include "internal.h"

lathe_status
lt_boot_qprime(uint64_t pe, unsigned extra_bits, uint64_t q0, uint64_t *qp)
{
	const char *fn = "lt_boot_qprime";
	if (!qp)
		return lt_fail(LATHE_EINVAL, "%s: argument 'qp' is NULL", fn);
	if (pe < 3 || (pe & 1) == 0 || extra_bits == 0 || extra_bits > 40)
		return lt_fail(LATHE_EINVAL, "%s: p^e = %llu, %u extra bits", fn, (unsigned long long)pe, extra_bits);
	/* k even makes q' odd (p^e is odd); the smallest k >= 2^extra_bits coprime to q_0 */
	for (uint64_t k = (uint64_t)1 << extra_bits;; k += 2) {
		if (k > (((uint64_t)1 << 62) - 2) / pe)
			return lt_fail(LATHE_EPARAM, "%s: k p^e + 1 for p^e = %llu and 2^%u does not fit below 2^62", fn,
			               (unsigned long long)pe, extra_bits);
		const uint64_t q = k * pe + 1;
		if (q0 == 0 || lt_gcd(q, q0) == 1) {
			*qp = q;
			return LATHE_OK;
		}
	}
}

lathe_status
lt_boot_raw_switch(const lathe_ct *ct, uint64_t qprime, unsigned e, int64_t *a0, int64_t *a1, uint64_t *kappa)
{
	const char *fn = "lt_boot_raw_switch";
	if (!ct || !a0 || !a1 || !kappa)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lathe_ctx *c = ct->ctx;
	const lt_plainmod *pm = lt_ct_pm(ct);
	if (ct->level != 0 || ct->size != 2)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext must be at level 0 with 2 components (level %u, %u)", fn,
		               ct->level, ct->size);
	if (ct->pm != LT_PM_USER)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext is not under the user's plaintext modulus", fn);
	if (e <= pm->r)
		return lt_fail(LATHE_EINVAL, "%s: e = %u is not above r = %u", fn, e, pm->r);
	uint64_t pe = pm->t, ker = 1; /* p^e, p^(e-r) */
	for (unsigned i = pm->r; i < e; i++) {
		if (pe > (((uint64_t)1 << 62) - 1) / pm->p)
			return lt_fail(LATHE_EPARAM, "%s: p^e is not below 2^62", fn);
		pe *= pm->p;
		ker *= pm->p;
	}
	if (qprime % pe != 1 || (qprime & 1) == 0 || qprime >= ((uint64_t)1 << 62))
		return lt_fail(LATHE_EPARAM, "%s: q' = %llu is not an odd k p^e + 1 below 2^62", fn,
		               (unsigned long long)qprime);
	const lt_modulus *m0 = c->ring.modp[0];
	if (lt_gcd(qprime, m0->q) != 1)
		return lt_fail(LATHE_EPARAM, "%s: q' = %llu shares a factor with q_0", fn, (unsigned long long)qprime);
	lt_modulus mq;
	lathe_status s = lt_modulus_init_bare(&mq, qprime, c->ring.kern);
	if (s)
		return s;
	const lt_modulus *b[1] = { &mq }, *cc[1] = { m0 };
	lt_tdiv plan;
	if ((s = lt_tdiv_init(&plan, b, 1, cc, 1, pm->t)))
		return s;
	const size_t n = c->n;
	uint64_t *xb = lt_alloc(n * 8), *xc = lt_alloc(n * 8);
	if (!xb || !xc) {
		lt_free(xb);
		lt_free(xc);
		lt_tdiv_clear(&plan);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	const uint64_t qp_mod_q0 = qprime % m0->q, kq = ker % qprime;
	const uint64_t half_q = qprime / 2, half_pe = pe / 2;
	const lt_barrett brp = lt_barrett_prep(pe);
	for (unsigned k = 0; k < 2; k++) {
		int64_t *a = k ? a1 : a0;
		memcpy(xc, lt_ct_comp(ct, k), n * 8);
		lt_ntt_inv(xc, &m0->ntt);
		/* X = q' c: 0 mod q', q' c mod q_0 */
		lt_vec_mul_scalar(xc, xc, qp_mod_q0, n, m0);
		memset(xb, 0, n * 8);
		lt_rns_tdivide_to(&plan, xb, xb, xc, n, 0, NULL);
		for (size_t j = 0; j < n; j++) {
			/* [p^(e-r) c']_{q'} centred, then centred mod p^e: constant-time selections */
			const uint64_t v = lt_mulmod(xb[j], kq, qprime, mq.br);
			const uint64_t neg = (uint64_t)0 - ((half_q - v) >> 63); /* v > q'/2 */
			/* v - q' (negative) mod p^e is v - 1 mod p^e since q' = 1 mod p^e */
			const uint64_t r = lt_reduce64(v - (neg & 1), pe, brp);
			const uint64_t big = (uint64_t)0 - ((half_pe - r) >> 63); /* r > p^e / 2 */
			a[j] = (int64_t)r - (int64_t)(pe & big);
		}
	}
	lt_free(xb);
	lt_free(xc);
	lt_tdiv_clear(&plan);
	/* kappa = fac q_0^-1 mod t */
	*kappa = lt_mulmod(ct->fac % pm->t, lt_invmod_any(m0->q % pm->t, pm->t), pm->t, pm->br);
	return LATHE_OK;
}
