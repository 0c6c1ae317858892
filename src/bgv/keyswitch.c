/*
 * Hybrid key switching (Han-Ki, CT-RSA 2020; KPZ21 §4): decomposition
 * (ModUp), lazy inner product modulo Q_l * P, ModDown. The contracts are
 * on the declarations in keyswitch.h.
 */
#include <assert.h>
#include <string.h>

#include <omp.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/kernels.h"
#include "../ring/vec.h"
#include "internal.h"
#include "keyswitch.h"

lathe_status
lt_ks_ws_init(lt_ks_ws *ws, const lathe_ctx *c)
{
	memset(ws, 0, sizeof(*ws));
	ws->ctx = c;
	const size_t n = c->n, all = (size_t)(c->nq + c->np) * n;
	int th = omp_get_max_threads();
	if (th < omp_get_num_procs())
		th = omp_get_num_procs();
	if (th < 1)
		th = 1;
	ws->coef = lt_alloc((size_t)c->nq * n * 8);
	ws->dig = lt_alloc(c->dnum * all * 8);
	ws->dptr = lt_calloc((size_t)c->dnum * (c->nq + c->np), sizeof(*ws->dptr));
	/* the base conversions of ModUp, and ModDown of both components at once (ring/tdiv.h) */
	ws->conv = lt_alloc(((size_t)2 * c->nq + c->np + 1) * n * 8);
	ws->tmp = lt_alloc((size_t)(th + 1) * n * 8);
	ws->tmp_threads = th;
	ws->acc = lt_alloc(2 * all * 8);
	if (!ws->coef || !ws->dig || !ws->dptr || !ws->conv || !ws->tmp || !ws->acc) {
		lt_ks_ws_clear(ws);
		return lt_fail(LATHE_ENOMEM, "key switching: out of memory for the workspace");
	}
	return LATHE_OK;
}

void
lt_ks_ws_clear(lt_ks_ws *ws)
{
	lt_free(ws->coef);
	lt_free(ws->dig);
	lt_free((void *)ws->dptr);
	lt_free(ws->conv);
	lt_free(ws->tmp);
	lt_free(ws->acc);
	memset(ws, 0, sizeof(*ws));
}

size_t
lt_ks_acc_limbs(const lathe_ctx *c, unsigned l)
{
	return (size_t)l + 1 + c->np;
}

uint64_t *
lt_ks_acc_comp(const lathe_ctx *c, uint64_t *acc, unsigned l, unsigned w)
{
	return acc + w * lt_ks_acc_limbs(c, l) * c->n;
}

unsigned
lt_ksk_level(const lathe_ctx *c, const lt_ksk *k)
{
	return c->nq - 1 - k->drop;
}

unsigned
lt_ks_digits(const lathe_ctx *c, unsigned l)
{
	return l / c->alpha + 1;
}

void
lt_ks_digit_range(const lathe_ctx *c, unsigned j, unsigned l, unsigned *lo, unsigned *hi)
{
	unsigned e = (j + 1) * c->alpha;
	if (e > l + 1)
		e = l + 1;
	*lo = j * c->alpha;
	*hi = e;
}

void
lt_ks_decompose(lt_ks_ws *ws, const uint64_t *cin, unsigned l)
{
	const lathe_ctx *c = ws->ctx;
	assert(l < c->nq);
	const size_t n = c->n, all = (size_t)(c->nq + c->np) * n;
	const unsigned np = c->np;
	ws->level = l;
	lt_limbs_copy(ws->coef, cin, l + 1, n);
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(l + 1, n))
	for (unsigned i = 0; i <= l; i++)
		lt_ntt_inv(ws->coef + (size_t)i * n, &c->ring.mod[i].ntt);
	const unsigned nd = lt_ks_digits(c, l), nl = l + 1 + np;
	/*
	 * The extension of each digit to the other primes of Q_l and P, in the
	 * extension's output order: first the base conversions of the digits of
	 * several primes (each parallel over coefficients), then one loop over
	 * the output limbs of all digits (the centered lifts of one-prime
	 * digits, and every NTT), so that the threads share the limbs of all
	 * digits rather than of one at a time.
	 */
	assert(nd <= LT_MAX_MODULI);
	unsigned first[LT_MAX_MODULI + 1];
	first[0] = 0;
	for (unsigned j = 0; j < nd; j++) {
		unsigned s, e;
		lt_ks_digit_range(c, j, l, &s, &e);
		const lt_baseconv *bc = &c->modup[l * c->dnum + j];
		if (e - s > 1)
			lt_baseconv_apply_centered(bc, ws->dig + j * all, ws->coef + (size_t)s * n, n, ws->conv);
		first[j + 1] = first[j] + bc->nout;
	}
	const unsigned tot = first[nd];
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(tot, n))
	for (unsigned x = 0; x < tot; x++) {
		unsigned j = 0;
		while (x >= first[j + 1])
			j++;
		const unsigned k = x - first[j];
		unsigned s, e;
		lt_ks_digit_range(c, j, l, &s, &e);
		const lt_baseconv *bc = &c->modup[l * c->dnum + j];
		const lt_modulus *m = bc->out[k];
		uint64_t *dk = ws->dig + j * all + (size_t)k * n;
		if (e - s == 1) {
			/*
			 * one prime: the centered extension is the centered lift of each
			 * word (tdiv.h), on the output prime's kernels when the digit's
			 * prime has the same ones (as lt_tdiv_init chooses)
			 */
			const lt_modulus *ms = &c->ring.mod[s];
			const lt_kernels *kn = m->ntt.kern == ms->ntt.kern ? m->ntt.kern : lt_kernels_scalar();
			kn->tdiv_lift(dk, ws->coef + (size_t)s * n, n, ms->q, m);
		}
		lt_ntt_fwd(dk, &m->ntt);
	}
	for (unsigned j = 0; j < nd; j++) {
		unsigned s, e;
		lt_ks_digit_range(c, j, l, &s, &e);
		const uint64_t *d = ws->dig + j * all;
		/* where the inner product finds each limb: the digit's own primes are the input */
		const uint64_t **ptr = ws->dptr + (size_t)j * nl;
		unsigned k = 0;
		for (unsigned x = 0; x < nl; x++) {
			if (x >= s && x < e)
				ptr[x] = cin + (size_t)x * n;
			else
				ptr[x] = d + (size_t)(k++) * n;
		}
	}
}

/* the inner product of lt_ks_inner; `add`: into acc's current contents */
static void
inner(lt_ks_ws *ws, const lt_ksk *key, const uint32_t *perm, unsigned l, uint64_t *acc, int add)
{
	const lathe_ctx *c = ws->ctx;
	const unsigned kl = lt_ksk_level(c, key);
	assert(l == ws->level && l <= kl);
	const size_t n = c->n;
	const unsigned nq = c->nq, np = c->np, nd = lt_ks_digits(c, l);
	const unsigned nl = l + 1 + np;
	/* one digit of the key: its basis q_0..q_kl, P */
	const size_t kwords = (size_t)(kl + 1 + np) * n;
	uint64_t *acc1 = acc + (size_t)nl * n;
	/* one scratch limb per thread for the permuted digit limb */
	int nt = omp_get_max_threads();
	if (nt > ws->tmp_threads)
		nt = ws->tmp_threads;
	/*
	 * each limb in two halves of its coefficients (the products are
	 * word by word): an even number of equal pieces for the threads
	 */
	const size_t hn = n / 2;
#pragma omp parallel for schedule(static) if (lt_par(nl, n)) num_threads(nt)
	for (unsigned y = 0; y < 2 * nl; y++) {
		/* x: limb of Q_l P; i: its prime in the ring; kx: its limb in the key; h: the half */
		const unsigned x = y / 2;
		const size_t h = (y % 2) * hn;
		const unsigned i = x <= l ? x : nq + (x - l - 1);
		const unsigned kx = x <= l ? x : kl + 1 + (x - l - 1);
		const lt_modulus *m = c->ring.modp[i];
		uint64_t *a0 = acc + (size_t)x * n + h, *a1 = acc1 + (size_t)x * n + h;
		uint64_t *tmp = ws->tmp + (size_t)omp_get_thread_num() * n;
		for (unsigned j = 0; j < nd; j++) {
			const uint64_t *d = ws->dptr[(size_t)j * nl + x];
			if (perm) {
				for (size_t k = 0; k < hn; k++)
					tmp[k] = d[perm[h + k]];
				d = tmp;
			} else {
				d += h;
			}
			const uint64_t *kb = key->b + j * kwords + (size_t)kx * n + h;
			const uint64_t *ka = key->a + j * kwords + (size_t)kx * n + h;
			lt_vec_mac2(a0, a1, d, kb, ka, hn, m, !add && j == 0);
		}
	}
}

void
lt_ks_inner(lt_ks_ws *ws, const lt_ksk *key, const uint32_t *perm, unsigned l, uint64_t *acc)
{
	inner(ws, key, perm, l, acc, 0);
}

void
lt_ks_inner_acc(lt_ks_ws *ws, const lt_ksk *key, const uint32_t *perm, unsigned l, uint64_t *acc)
{
	inner(ws, key, perm, l, acc, 1);
}

void
lt_ks_moddown(lt_ks_ws *ws, const lt_plainmod *pm, uint64_t *acc, unsigned l, uint64_t *out0, uint64_t *out1)
{
	const lathe_ctx *c = ws->ctx;
	const size_t n = c->n;
	uint64_t *outs[2] = { out0, out1 };
	/* x' = (x - t [t^-1 x]_P) / P, centered, for both components together (ring/tdiv.h) */
	const uint64_t *xb[2];
	uint64_t *xc[2];
	for (unsigned w = 0; w < 2; w++) {
		uint64_t *x = lt_ks_acc_comp(c, acc, l, w);
		xb[w] = x;
		xc[w] = x + (size_t)(l + 1) * n;
	}
	lt_rns_tdivide_many_to(&pm->md[l], 2, outs, xb, xc, n, LT_TDIV_B_NTT | LT_TDIV_C_NTT, ws->conv);
}

lathe_status
lt_ct_switch_key(lt_ks_ws *ws, lathe_ct *out, const lathe_ct *a, const lt_ksk *k)
{
	const char *fn = "lt_ct_switch_key";
	const lathe_ctx *c = ws->ctx;
	if (a->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext has %u components (relinearize first)", fn, a->size);
	const unsigned l = a->level;
	if (l > lt_ksk_level(c, k))
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level %u, the key reaches level %u", fn, l,
		               lt_ksk_level(c, k));
	lathe_status s = lt_ct_reserve(out, 2, l);
	if (s)
		return s;
	/* (d0, d1) = switch of c1; out = (c0 + d0, d1). a's c1 is last read by the inner product. */
	const size_t n = c->n;
	uint64_t *acc = ws->acc;
	uint64_t *d0 = lt_ks_acc_comp(c, acc, l, 0), *d1 = lt_ks_acc_comp(c, acc, l, 1);
	lt_ks_decompose(ws, lt_ct_comp(a, 1), l);
	lt_ks_inner(ws, k, NULL, l, acc);
	lt_ks_moddown(ws, lt_ct_pm(a), acc, l, d0, d1);
	const uint64_t *a0 = lt_ct_comp(a, 0);
	uint64_t *o0 = lt_ct_comp(out, 0), *o1 = lt_ct_comp(out, 1);
	for (unsigned i = 0; i <= l; i++) {
		const size_t off = (size_t)i * n;
		lt_vec_add(o0 + off, a0 + off, d0 + off, n, c->ring.modp[i]->q);
	}
	lt_limbs_copy(o1, d1, l + 1, n);
	out->size = 2;
	out->level = l;
	out->pm = a->pm;
	out->fac = a->fac;
	out->noise = lt_log2_add(a->noise, lt_noise_ks(lt_ct_pm(a)));
	out->seeded = 0;
	memset(out->keyid, 0, sizeof(out->keyid));
	return LATHE_OK;
}
