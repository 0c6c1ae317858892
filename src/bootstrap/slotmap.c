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
 * It is evaluated with baby and giant steps (below): about 3 sqrt(cols)
 * automorphisms for ell = 2 cols slots.
 *
 * In the cyclic kind of p = 3 mod 4 (one row of cols = ell, no row swap:
 * M x = sum_k diag_k (.) sigma_{5^k}(x), diag_k[c] = M[c][c + k mod ell])
 * the thin plaintexts are the elements of Z_t[Y]/(Y^(2l) + 1), Y =
 * X^(d/2), fixed by sigma_p, which maps Y^k to +-Y^(2l-k) for 0 < k < l
 * (p = -1 or 2l - 1 mod 4l) and Y^l to -Y^l. Their coordinates are those
 * of b_k = (Y^k + sigma_p(Y^k)) / 2 (b_0 = 1), k < l: column k of V is
 * the slot vector of b_k, and W reads w_0 = the coefficient of Y^0 and
 * w_k = 2 times that of Y^k. The halves keep Step 7's overflow integral:
 * the trace turns the overflow J (J_k its coefficient at Y^k) into
 * (d/2)(J_k +- J_(2l-k)) at Y^k, 0 < k < l, and d J_0 at Y^0, so CtS with
 * d^-1 folded in leaves J_0 in slot 0 and J_k +- J_(2l-k) in slot k, an
 * integer; the digit removal's range B has to cover that sum of two
 * coefficients.
 */
#include <string.h>

#include "../bgv/evalcore.h"
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
	if (sl->ell == 0) {
		*s = lt_fail(LATHE_EUNSUPPORTED, "%s: plaintext modulus %u has no slots", fn, pmi);
		return NULL;
	}
	return sl;
}

/*
 * V (inverse = 0): column k the slots of X^(d k); W = V^-1 (inverse = 1):
 * column i the coefficients at X^(d k) of the plaintext with 1 in slot i.
 * CYCLIC: column k of V the slots of b_k, and W's column i the
 * coordinates w_k of that plaintext (see above).
 */
static lathe_status
thin_matrix(const lathe_ctx *c, unsigned pmi, uint64_t *out, int inverse, const char *fn)
{
	lathe_status s;
	if (!c || !out)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lt_slots *sl = thin_slots(c, pmi, fn, &s);
	if (!sl)
		return s;
	const size_t n = c->n, l = sl->ell;
	const int cyc = sl->kind == LT_SLOTS_CYCLIC;
	const uint64_t t = sl->z.q, N2 = 2 * (uint64_t)n, half = (t + 1) / 2, pm = sl->z.p % N2;
	uint64_t *m = lt_calloc(n, 8), *v = lt_calloc(l, 8);
	if (!m || !v) {
		lt_free(m);
		lt_free(v);
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	}
	for (size_t a = 0; a < l && !s; a++) {
		if (inverse) {
			memset(v, 0, l * 8);
			v[a] = 1;
			if (!(s = lt_slots_encode(sl, m, v)))
				for (size_t k = 0; k < l; k++) {
					/* b_k (k > 0) has 1/2 at Y^k and no other b_j reaches Y^k */
					const uint64_t x = m[k * sl->stride];
					out[k * l + a] = cyc && k > 0 ? (x + x) % t : x;
				}
		} else {
			memset(m, 0, n * 8);
			if (cyc) {
				/* b_a = (Y^a + sigma_p(Y^a)) / 2, sigma_p(X^j) = X^(j p mod 2N), X^N = -1 */
				const uint64_t j = (uint64_t)a * sl->stride, e = j * pm % N2;
				m[j] = half;
				m[e % n] = (m[e % n] + (e >= n ? t - half : half)) % t;
			} else {
				m[a * sl->stride] = 1;
			}
			/* the decoder refuses a non-thin b_a, so a wrong pairing fails here */
			if (!(s = lt_slots_decode(sl, v, m)))
				for (size_t i = 0; i < l; i++)
					out[i * l + a] = v[i];
		}
	}
	lt_free(m);
	lt_free(v);
	return s;
}

lathe_status
lt_boot_stc_matrix(const lathe_ctx *c, unsigned pmi, uint64_t *V)
{
	return thin_matrix(c, pmi, V, 0, "lt_boot_stc_matrix");
}

lathe_status
lt_boot_cts_matrix(const lathe_ctx *c, unsigned pmi, uint64_t *W)
{
	return thin_matrix(c, pmi, W, 1, "lt_boot_cts_matrix");
}

/* baby steps of the map: about sqrt(cols), a power of two dividing cols */
static size_t
baby_steps(size_t cols)
{
	size_t b = 1;
	while (b * b < cols)
		b <<= 1;
	return b > cols ? cols : b;
}

static uint64_t
pow5(size_t k, uint64_t M)
{
	uint64_t x = 1;
	while (k--)
		x = x * 5 % M;
	return x;
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
	const size_t B = baby_steps(sl->cols), G = sl->cols / B;
	size_t k = 0;
	/* baby steps 5^b, giant steps 5^(gB), the row swap (none in the cyclic kind) */
	for (size_t b = 1; b < B; b++, k++)
		if (g && k < cap)
			g[k] = pow5(b, M);
	for (size_t j = 1; j < G; j++, k++)
		if (g && k < cap)
			g[k] = pow5(j * B, M);
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

/*
 * Baby-step/giant-step (Halevi, Shoup, Crypto 2014 and 2018): with cols =
 * G B and diagonal k = g B + b,
 *     diag_k (.) sigma_{5^k}(x) = sigma_{5^(gB)}(sigma_{5^(-gB)}(diag_k) (.) sigma_{5^b}(x)),
 * so M x = sum_g sigma_{5^(gB)}(sum_{s, b} diag'_{s,g,b} (.) sigma_{5^b}(x_s)),
 * x_1 the rows swapped and diag' the diagonal rotated in the clear. The
 * baby steps are hoisted (lathe_rotset_new: one decomposition of each x_s,
 * the rotations kept before their ModDown) and each giant step's inner sum
 * is one lathe_rotset_dot per x_s: 2 (B - 1) key-switch inner products,
 * 2 decompositions and 2 G ModDowns, G - 1 + 1 automorphisms.
 */
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
	const size_t l = sl->ell, rows = sl->rows, cols = sl->cols, B = baby_steps(cols), G = cols / B;
	const uint64_t t = c->pm[in->pm].t, N2 = 2 * (uint64_t)c->n;
	/* the maps' working memory: the evaluator's kept one, else one for this call */
	lt_boot_ws local, *x = lt_boot_ws_of(ev);
	memset(&local, 0, sizeof(local));
	if (!x)
		x = &local;
	int *steps = lt_calloc(B, sizeof(int));
	if (!steps)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	s = lt_boot_ws_reserve(x, c, in->level, rows * B, rows * B * l);
	for (size_t b = 0; b < B; b++)
		steps[b] = (int)b;
	lathe_prepared_pt **w = x->store;
	uint64_t *diag = x->diag;
	lathe_ct *swapped = x->swapped, *inner = x->inner, *term = x->term;
	if (!s)
		s = lt_rotset_renew(ev, in, steps, B, &x->rs[0]);
	if (!s && rows == 2 && !(s = lathe_ct_automorph(ev, swapped, in, N2 - 1)))
		s = lt_rotset_renew(ev, swapped, steps, B, &x->rs[1]);
	const unsigned lv = s ? 0 : lathe_rotset_level(x->rs[0]);
	for (size_t g = 0; g < G && !s; g++) {
		/* the giant step's diagonals, each taken from M and encoded on a thread of its own */
		int bad = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : bad) if (lt_par((unsigned)(rows * B), c->n))
		for (size_t y = 0; y < rows * B; y++) {
			const size_t sw = y / B, b = y % B, k = g * B + b;
			uint64_t *dg = diag + y * l;
			/* diag'[(r, c)] = diag_k[(r, c - gB)] = M[(r, c - gB)][(r xor s, c - gB + k)] */
			for (size_t row = 0; row < rows; row++)
				for (size_t col = 0; col < cols; col++) {
					const size_t c0 = (col + cols - (g * B) % cols) % cols;
					dg[row * cols + col] = M[(row * cols + c0) * l + ((row ^ sw) * cols + (c0 + k) % cols)] % t;
				}
			bad |= lt_boot_ws_encode(x, sl, in->pm, y);
		}
		if (bad)
			s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		/* all together, in the memory of the previous giant step's (or bootstrap's) diagonals */
		if (!s)
			s = lt_boot_ws_prepare(x, NULL, rows * B, lv);
		for (size_t sw = 0; sw < rows && !s; sw++) {
			s = lathe_rotset_dot(ev, sw ? term : inner, x->rs[sw], (const lathe_prepared_pt *const *)&w[sw * B]);
			if (!s && sw)
				s = lathe_ct_add(ev, inner, inner, term);
		}
		if (s)
			break;
		if (g == 0)
			s = lathe_ct_copy(out, inner);
		else if (!(s = lathe_ct_automorph(ev, term, inner, pow5(g * B, N2))))
			s = lathe_ct_add(ev, out, out, term);
	}
	lt_free(steps);
	lt_boot_ws_clear(&local);
	return s;
}
