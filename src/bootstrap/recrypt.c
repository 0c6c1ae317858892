/*
 * Step 4 of thin bootstrapping (BOOTSTRAP.md §2 Step 4; Gentry 2009's
 * recryption, in the form of Halevi, Shoup, "Bootstrapping for HElib",
 * Eurocrypt 2015, §3, and Geelen, Vercauteren 2023, §4): the bootstrapping
 * key BK encrypts the sparse secret s' under the main secret s with the
 * plaintext modulus p^e, at the top of the chain; from the a0, a1 of Step
 * 3 (a0 + a1 s' = z mod p^e), u = a0 + a1 BK is a ciphertext under s of
 * z = p^(e-r) kappa m + J, at the top: one product by a plaintext and one
 * addition, no key switch.
 */
#include <string.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

/* pt = the coefficients v (centred mod p^e) as a plaintext under the context's p^e */
static void
set_coeffs(lathe_pt *pt, const lt_plainmod *pm, unsigned pmi, const int64_t *v, size_t n)
{
	const uint64_t q = pm->t;
	for (size_t i = 0; i < n; i++) {
		/* v in (-q/2, q/2]: add q where negative, constant-time */
		const uint64_t neg = (uint64_t)0 - ((uint64_t)v[i] >> 63);
		pt->m[i] = (uint64_t)v[i] + (q & neg);
	}
	pt->pm = pmi;
	memset(pt->keyid, 0, sizeof(pt->keyid));
}

lathe_status
lt_boot_key_gen(const lathe_sk *sk, const lathe_sk *sparse, lathe_ct **bk)
{
	const char *fn = "lt_boot_key_gen";
	if (!sk || !sparse || !bk)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	*bk = NULL;
	const lathe_ctx *c = sk->ctx;
	if (sparse->ctx != c)
		return lt_fail(LATHE_EMISMATCH, "%s: the two secrets belong to different contexts", fn);
	if (c->npm < 2)
		return lt_fail(LATHE_EPARAM, "%s: the context has no bootstrapping plaintext modulus p^e", fn);
	const unsigned pmi = c->npm - 1;
	lathe_pt *pt = NULL;
	lathe_ct *ct = NULL;
	lathe_status s = lathe_pt_new(c, &pt);
	if (!s)
		s = lathe_ct_new(c, &ct);
	if (!s) {
		int64_t *v = lt_alloc(c->n * sizeof(int64_t));
		if (!v) {
			s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		} else {
			for (size_t i = 0; i < c->n; i++)
				v[i] = sparse->s[i];
			set_coeffs(pt, &c->pm[pmi], pmi, v, c->n);
			lt_free_secret(v, c->n * sizeof(int64_t));
			s = lathe_encrypt_sk(sk, ct, pt);
		}
	}
	/* the plaintext is the sparse secret */
	if (pt)
		lt_memzero(pt->m, c->n * sizeof(uint64_t));
	lathe_pt_free(pt);
	if (s) {
		lathe_ct_free(ct);
		return s;
	}
	*bk = ct;
	return LATHE_OK;
}

lathe_status
lt_boot_inner_product(lathe_eval *ev, lathe_ct *out, const lathe_ct *bk, const int64_t *a0, const int64_t *a1)
{
	const char *fn = "lt_boot_inner_product";
	if (!ev || !out || !bk || !a0 || !a1)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lathe_ctx *c = bk->ctx;
	if (bk->pm != c->npm - 1 || c->npm < 2)
		return lt_fail(LATHE_EINVAL, "%s: the bootstrapping key is not under the context's p^e", fn);
	lathe_pt *p0 = NULL, *p1 = NULL;
	lathe_status s = lathe_pt_new(c, &p0);
	if (!s)
		s = lathe_pt_new(c, &p1);
	if (!s) {
		set_coeffs(p0, &c->pm[bk->pm], bk->pm, a0, c->n);
		set_coeffs(p1, &c->pm[bk->pm], bk->pm, a1, c->n);
		s = lathe_ct_mul_plain(ev, out, bk, p1);
	}
	if (!s)
		s = lathe_ct_add_plain(ev, out, out, p0);
	lathe_pt_free(p0);
	lathe_pt_free(p1);
	return s;
}
