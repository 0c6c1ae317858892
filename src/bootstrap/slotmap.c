/*
 * Linear maps on thin slots for Steps 1 and 6 (BOOTSTRAP.md §2 Steps 1
 * and 6): SlotToCoeff takes the slot vector m to the thin plaintext whose
 * coefficients at X^(d k) are m_k, CoeffToSlot back. On the slot vector
 * they are the matrix V of the evaluation map, V[i][k] = slot i of
 * X^(d k), and its inverse. Both are built from the thin encoder itself
 * (slots.h), so they agree with it by construction. The map is evaluated
 * by the diagonal method on the hypercube 2 x cols of p = 1 mod 4
 * (Halevi, Shoup, "Algorithms in HElib", Crypto 2014): with
 * sigma_{5^k} moving slot (r, c + k) to (r, c) and sigma_{2N-1} swapping
 * the rows,
 *     M x = sum_{s, k} diag_{s,k} (.) sigma_{5^k}(sigma_{2N-1}^s(x)),
 *     diag_{s,k}[(r, c)] = M[(r, c)][(r xor s, c + k mod cols)].
 * This direct form, ell automorphisms, serves small ell; the factored
 * baby-step/giant-step maps of preset sizes come on top of it.
 */
#include <string.h>

#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

static const lt_slots *
thin_slots(const lathe_ctx *c, unsigned pmi, const char *fn, lathe_status *s)
{
	*s = LATHE_OK;
	if (pmi >= c->npm) {
		*s = lt_fail(LATHE_EINVAL, "%s: plaintext modulus %u of %u", fn, pmi, c->npm);
		return NULL;
	}
	const lt_slots *sl = &c->pm[pmi].slots;
	if (sl->ell == 0 || sl->kind == LT_SLOTS_CYCLIC) {
		*s = lt_fail(LATHE_EUNSUPPORTED, "%s: thin slot maps need the hypercube slots of p = 1 mod 4", fn);
		return NULL;
	}
	return sl;
}

lathe_status
lt_boot_stc_matrix(const lathe_ctx *c, unsigned pmi, uint64_t *V)
{
	const char *fn = "lt_boot_stc_matrix";
	lathe_status s;
	if (!c || !V)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lt_slots *sl = thin_slots(c, pmi, fn, &s);
	if (!sl)
		return s;
	const size_t n = c->n, l = sl->ell;
	uint64_t *m = lt_calloc(n, 8), *v = lt_calloc(l, 8);
	if (!m || !v) {
		lt_free(m);
		lt_free(v);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	/* column k: the slots of X^(d k) */
	for (size_t k = 0; k < l && !s; k++) {
		memset(m, 0, n * 8);
		m[k * sl->stride] = 1;
		if (!(s = lt_slots_decode(sl, v, m)))
			for (size_t i = 0; i < l; i++)
				V[i * l + k] = v[i];
	}
	lt_free(m);
	lt_free(v);
	return s;
}

lathe_status
lt_boot_cts_matrix(const lathe_ctx *c, unsigned pmi, uint64_t *W)
{
	const char *fn = "lt_boot_cts_matrix";
	lathe_status s;
	if (!c || !W)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lt_slots *sl = thin_slots(c, pmi, fn, &s);
	if (!sl)
		return s;
	const size_t n = c->n, l = sl->ell;
	uint64_t *m = lt_calloc(n, 8), *v = lt_calloc(l, 8);
	if (!m || !v) {
		lt_free(m);
		lt_free(v);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	/* column i: the coefficients at X^(d k) of the thin plaintext with 1 in slot i */
	for (size_t i = 0; i < l && !s; i++) {
		memset(v, 0, l * 8);
		v[i] = 1;
		if (!(s = lt_slots_encode(sl, m, v)))
			for (size_t k = 0; k < l; k++)
				W[k * l + i] = m[k * sl->stride];
	}
	lt_free(m);
	lt_free(v);
	return s;
}

lathe_status
lt_boot_slot_map_elts(const lathe_ctx *c, uint64_t *g, size_t cap, size_t *n)
{
	const char *fn = "lt_boot_slot_map_elts";
	lathe_status s;
	if (!c || !n)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lt_slots *sl = thin_slots(c, LT_PM_USER, fn, &s);
	if (!sl)
		return s;
	const uint64_t M = 2 * (uint64_t)c->n;
	size_t k = 0;
	uint64_t x = 1;
	for (size_t j = 1; j < sl->cols; j++) {
		x = x * 5 % M;
		if (g && k < cap)
			g[k] = x;
		k++;
	}
	if (sl->rows == 2) {
		if (g && k < cap)
			g[k] = M - 1;
		k++;
	}
	*n = k;
	if (g && k > cap)
		return lt_fail(LATHE_EINVAL, "%s: room for %zu elements, the map needs %zu", fn, cap, k);
	return LATHE_OK;
}

lathe_status
lt_boot_slot_map(lathe_eval *ev, lathe_ct *out, const lathe_ct *in, const uint64_t *M)
{
	const char *fn = "lt_boot_slot_map";
	if (!ev || !out || !in || !M || out == in)
		return lt_fail(LATHE_EINVAL, "%s: NULL or aliased argument", fn);
	const lathe_ctx *c = in->ctx;
	lathe_status s;
	const lt_slots *sl = thin_slots(c, in->pm, fn, &s);
	if (!sl)
		return s;
	const size_t l = sl->ell, rows = sl->rows, cols = sl->cols;
	const uint64_t t = c->pm[in->pm].t, N2 = 2 * (uint64_t)c->n;
	lathe_ct *x[2] = { NULL, NULL }, *r = NULL, *term = NULL;
	lathe_pt *pt = NULL;
	uint64_t *diag = lt_alloc(l * 8);
	if (!diag)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (!(s = lathe_ct_new_at(c, in->level, &r)) && !(s = lathe_ct_new_at(c, in->level, &term)) &&
	    !(s = lathe_pt_new(c, &pt)) && !(s = lathe_ct_new_at(c, in->level, &x[0])))
		s = lathe_ct_copy(x[0], in);
	if (!s && rows == 2 && !(s = lathe_ct_new_at(c, in->level, &x[1])))
		s = lathe_ct_automorph(ev, x[1], in, N2 - 1);
	int first = 1;
	for (size_t sw = 0; sw < rows && !s; sw++) {
		uint64_t g = 1;
		for (size_t k = 0; k < cols && !s; k++, g = g * 5 % N2) {
			for (size_t row = 0; row < rows; row++)
				for (size_t col = 0; col < cols; col++)
					diag[row * cols + col] = M[(row * cols + col) * l + ((row ^ sw) * cols + (col + k) % cols)] % t;
			if ((s = lt_slots_encode(sl, pt->m, diag)))
				break;
			pt->pm = in->pm;
			memset(pt->keyid, 0, sizeof(pt->keyid));
			if (k == 0)
				s = lathe_ct_copy(r, x[sw]);
			else
				s = lathe_ct_automorph(ev, r, x[sw], g);
			if (!s)
				s = lathe_ct_mul_plain(ev, first ? out : term, r, pt);
			if (!s && !first)
				s = lathe_ct_add(ev, out, out, term);
			first = 0;
		}
	}
	lt_free(diag);
	lathe_ct_free(x[0]);
	lathe_ct_free(x[1]);
	lathe_ct_free(r);
	lathe_ct_free(term);
	lathe_pt_free(pt);
	return s;
}
