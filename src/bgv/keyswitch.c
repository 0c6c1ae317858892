/*
 * The key-switching kernel shared by relinearization, rotations and
 * bootstrapping: hybrid key switching (Han-Ki, CT-RSA 2020; KPZ21 §4).
 * The input is split into dnum digits over the chain primes, each digit is
 * extended to Q_l * P (ModUp, centered fast base extension), multiplied by
 * the key in NTT form, and the sum is divided by P keeping the plaintext
 * congruence mod t (ModDown). Decomposition and key application are
 * separate so that rotations can be hoisted (Halevi-Shoup 2018): one
 * decomposition, many automorphisms applied to the extended digits.
 */
#include <string.h>

#include <omp.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/vec.h"
#include "internal.h"

lathe_status
lt_eval_scratch(lathe_eval *ev)
{
	if (ev->dig)
		return LATHE_OK;
	const lathe_ctx *c = ev->ctx;
	const size_t n = c->n, all = (size_t)(c->nq + c->np) * n;
	int th = omp_get_max_threads();
	if (th < omp_get_num_procs())
		th = omp_get_num_procs();
	if (th < 1)
		th = 1;
	ev->coef = lt_alloc((size_t)c->nq * n * 8);
	ev->dig = lt_alloc(c->dnum * all * 8);
	ev->dptr = lt_calloc((size_t)c->dnum * (c->nq + c->np), sizeof(*ev->dptr));
	ev->rot = lt_alloc((size_t)c->nq * n * 8);
	ev->acc0 = lt_alloc(all * 8);
	ev->acc1 = lt_alloc(all * 8);
	ev->conv = lt_alloc(all * 8 + n * 8);
	ev->tmp = lt_alloc((size_t)(th + 1) * n * 8);
	ev->tmp_threads = th;
	if (!ev->coef || !ev->dig || !ev->dptr || !ev->rot || !ev->acc0 || !ev->acc1 || !ev->conv || !ev->tmp)
		return lt_fail(LATHE_ENOMEM, "evaluator: out of memory for key-switching scratch");
	return LATHE_OK;
}

static unsigned
digit_lo(const lathe_ctx *c, unsigned j)
{
	return j * c->alpha;
}

static unsigned
digit_hi(const lathe_ctx *c, unsigned j, unsigned l)
{
	unsigned e = (j + 1) * c->alpha;
	if (e > c->nq)
		e = c->nq;
	return e > l + 1 ? l + 1 : e;
}

/* number of digits that meet Q_l */
static unsigned
digits_at(const lathe_ctx *c, unsigned l)
{
	return l / c->alpha + 1;
}

void
lt_ks_decompose(lathe_eval *ev, const uint64_t *cin, unsigned l)
{
	const lathe_ctx *c = ev->ctx;
	const size_t n = c->n, all = (size_t)(c->nq + c->np) * n;
	const unsigned np = c->np;
	memcpy(ev->coef, cin, (size_t)(l + 1) * n * 8);
#pragma omp parallel for schedule(static) if (lt_par(l + 1, n))
	for (unsigned i = 0; i <= l; i++)
		lt_ntt_inv(ev->coef + (size_t)i * n, &c->ring.mod[i].ntt);
	const unsigned nd = digits_at(c, l), nl = l + 1 + np;
	for (unsigned j = 0; j < nd; j++) {
		const unsigned s = digit_lo(c, j), e = digit_hi(c, j, l);
		/* the other primes of Q_l and P, in the extension's output order, then NTT */
		const lt_baseconv *bc = &c->modup[l * c->dnum + j];
		uint64_t *d = ev->dig + j * all;
		lt_baseconv_apply_centered(bc, d, ev->coef + (size_t)s * n, n, ev->conv);
		const unsigned nout = bc->nout;
#pragma omp parallel for schedule(static) if (lt_par(nout, n))
		for (unsigned k = 0; k < nout; k++)
			lt_ntt_fwd(d + (size_t)k * n, &bc->out[k]->ntt);
		/* where the inner product finds each limb: the digit's own primes are the input */
		const uint64_t **ptr = ev->dptr + (size_t)j * nl;
		unsigned k = 0;
		for (unsigned x = 0; x < nl; x++) {
			if (x >= s && x < e)
				ptr[x] = cin + (size_t)x * n;
			else
				ptr[x] = d + (size_t)(k++) * n;
		}
	}
}

void
lt_ks_apply(lathe_eval *ev, const lt_ksk *key, const uint32_t *perm, unsigned l, uint64_t *out0,
            uint64_t *out1)
{
	const lathe_ctx *c = ev->ctx;
	const size_t n = c->n, all = (size_t)(c->nq + c->np) * n;
	const unsigned nq = c->nq, np = c->np, nd = digits_at(c, l);
	const unsigned nl = l + 1 + np;
	/* inner product over Q_l and P, NTT form (one scratch limb per thread) */
	int nt = omp_get_max_threads();
	if (nt > ev->tmp_threads)
		nt = ev->tmp_threads;
#pragma omp parallel for schedule(static) if (lt_par(nl, n)) num_threads(nt)
	for (unsigned x = 0; x < nl; x++) {
		const unsigned i = x <= l ? x : nq + (x - l - 1);
		const lt_modulus *m = c->ring.modp[i];
		uint64_t *a0 = ev->acc0 + (size_t)i * n, *a1 = ev->acc1 + (size_t)i * n;
		int tid = omp_get_thread_num();
		uint64_t *tmp = ev->tmp + (size_t)tid * n;
		for (unsigned j = 0; j < nd; j++) {
			const uint64_t *d = ev->dptr[(size_t)j * nl + x];
			if (perm) {
				for (size_t k = 0; k < n; k++)
					tmp[k] = d[perm[k]];
				d = tmp;
			}
			const uint64_t *kb = key->b + j * all + (size_t)i * n;
			const uint64_t *ka = key->a + j * all + (size_t)i * n;
			lt_vec_mac2(a0, a1, d, kb, ka, n, m, j == 0);
		}
	}
	/* ModDown: x' = (x - t [t^-1 x]_P) / P, centered, for both accumulators */
	uint64_t *accs[2] = { ev->acc0, ev->acc1 };
	uint64_t *outs[2] = { out0, out1 };
	for (int w = 0; w < 2; w++) {
		uint64_t *acc = accs[w];
		uint64_t *xp = acc + (size_t)nq * n;
#pragma omp parallel for schedule(static) if (lt_par(np, n))
		for (unsigned j = 0; j < np; j++) {
			const lt_modulus *m = c->ring.modp[nq + j];
			uint64_t *pj = xp + (size_t)j * n;
			lt_ntt_inv(pj, &m->ntt);
			lt_vec_mul_scalar(pj, pj, c->t_inv_p[j], n, m);
		}
		uint64_t *ext = ev->coef;
		lt_baseconv_apply_centered(&c->moddown[l], ext, xp, n, ev->conv);
#pragma omp parallel for schedule(static) if (lt_par(l + 1, n))
		for (unsigned i = 0; i <= l; i++) {
			const lt_modulus *m = c->ring.modp[i];
			uint64_t *ei = ext + (size_t)i * n, *oi = outs[w] + (size_t)i * n;
			lt_ntt_fwd(ei, &m->ntt);
			lt_vec_mulsub2(oi, acc + (size_t)i * n, c->pinv_q[i], ei, c->tpinv_q[i], n, m);
		}
	}
}
