/*
 * Evaluator operations: rotations (composed from the keys present, and
 * hoisted: Halevi-Shoup 2018), the row swap and automorphisms by Galois
 * element.
 */
#include <math.h>
#include <string.h>

#include <flint/ulong_extras.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/automorph.h"
#include "../ring/vec.h"
#include "evalcore.h"
#include "internal.h"
#include "keyswitch.h"

/* ---- rotations ---- */

const lt_galois_key *
lt_ev_find_key(const lathe_eval *ev, uint64_t g)
{
	if (!ev->ek)
		return NULL;
	for (size_t i = 0; i < ev->ek->ngal; i++)
		if (ev->ek->gal[i].g == g)
			return &ev->ek->gal[i];
	return NULL;
}

/*
 * Finishes out = sigma_g(x) key-switched back to s, for x with 2
 * components: the evaluator's accumulator pair holds the inner product
 * of the decomposition of sigma_g(x's c1) with gk's key. ModDown writes
 * (d0, d1) into out, then c0 = sigma_g(x c0) + d0. out has room for 2
 * components at x's level and is not x; out's c1 may be the
 * decomposition's input (it is no longer read).
 */
static void
galois_out(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, const lt_galois_key *gk)
{
	const lathe_ctx *c = ev->ctx;
	const unsigned l = x->level;
	const size_t n = c->n;
	uint64_t *o0 = lt_ct_comp(out, 0), *o1 = lt_ct_comp(out, 1);
	lt_ks_moddown(&ev->ks, lt_ct_pm(x), ev->ks.acc, l, o0, o1);
	const uint64_t *x0 = lt_ct_comp(x, 0);
	/* each limb in two halves of its coefficients: an even split for two threads */
	const size_t hn = n / 2;
#pragma omp parallel for schedule(static) if (lt_par(2 * (l + 1), hn))
	for (unsigned y = 0; y < 2 * (l + 1); y++) {
		const unsigned i = y / 2;
		const size_t k0 = (y % 2) * hn, k1 = y % 2 ? n : hn;
		const lt_modulus *m = c->ring.modp[i];
		uint64_t *oi = o0 + (size_t)i * n;
		const uint64_t *xi = x0 + (size_t)i * n;
		for (size_t k = k0; k < k1; k++)
			oi[k] = lt_addmod(xi[gk->perm[k]], oi[k], m->q);
	}
	out->level = l;
	out->size = 2;
	out->pm = x->pm;
	out->fac = x->fac;
	out->noise = lt_log2_add(x->noise, lt_noise_ks(lt_ct_pm(x)));
	out->seeded = 0;
	memmove(out->keyid, x->keyid, LT_KEYID_BYTES);
}

/*
 * One key switch by Galois key gk, x -> out (out may alias x: then x is
 * first copied to t2). One rotation permutes c1 (l + 1 limbs, written
 * into out's c1) before the decomposition, rather than every extended
 * digit in the inner product.
 */
static lathe_status
rotate_once(lathe_eval *ev, lathe_ct *out, const lathe_ct *x, const lt_galois_key *gk)
{
	lathe_status s;
	if (x == out) {
		if ((s = lt_ev_to_temp(ev->t2, x)))
			return s;
		x = ev->t2;
	}
	const unsigned l = x->level;
	if ((s = lt_ct_reserve(out, 2, l)))
		return s;
	const size_t n = ev->ctx->n;
	const uint64_t *c1 = lt_ct_comp(x, 1);
	uint64_t *o1 = lt_ct_comp(out, 1);
	/* each limb in two halves of its outputs: an even split for two threads */
	const size_t hn = n / 2;
#pragma omp parallel for schedule(static) if (lt_par(2 * (l + 1), hn))
	for (unsigned y = 0; y < 2 * (l + 1); y++) {
		const size_t h = (y % 2) * hn, i = y / 2;
		lt_automorph_ntt(o1 + i * n + h, c1 + i * n, y % 2 ? n - hn : hn, gk->perm + h);
	}
	lt_ks_decompose(&ev->ks, o1, l);
	lt_ks_inner(&ev->ks, &gk->k, NULL, l, ev->ks.acc);
	galois_out(ev, out, x, gk);
	return LATHE_OK;
}

/* relinearizes a 3-component input into t1 when needed */
lathe_status
lt_ev_as_two(lathe_eval *ev, const lathe_ct **x, const char *fn)
{
	if ((*x)->size == 2)
		return LATHE_OK;
	lathe_status s = lt_ev_need_relin(fn, ev);
	if (s)
		return s;
	if ((s = lathe_ct_copy(ev->t1, *x)))
		return s;
	if ((s = lt_ev_relin_into(ev, ev->t1)))
		return s;
	*x = ev->t1;
	return LATHE_OK;
}

/*
 * Brings x down to level kl, the lowest level the Galois keys to be used
 * reach (keys limited to low levels: lathe_evalkeys_new_at), into t1
 * (x may already be t1), when it lies above: with automatic modulus
 * switching by dropping primes, otherwise LATHE_ELEVEL.
 */
lathe_status
lt_ev_to_key_level(lathe_eval *ev, const lathe_ct **x, unsigned kl, const char *fn)
{
	if ((*x)->level <= kl)
		return LATHE_OK;
	if (!ev->auto_ms)
		return lt_fail(LATHE_ELEVEL,
		               "%s: the ciphertext is at level %u and a Galois key used reaches level %u only "
		               "(switch it down, or turn automatic modulus switching on)",
		               fn, (*x)->level, kl);
	lathe_status s;
	if ((s = lt_ev_switch_to(ev, ev->t1, *x, kl)))
		return s;
	*x = ev->t1;
	return LATHE_OK;
}

/*
 * Shortest sequence of rotation keys present whose steps sum to k modulo N/2:
 * breadth-first search over Z_{N/2} with the keys' steps as moves. *np = 0
 * when k is out of reach.
 */
static lathe_status
compose_plan(const lathe_eval *ev, long k, const lt_galois_key **plan, size_t *np)
{
	const long half = (long)lt_rot_cols(ev->ctx);
	*np = 0;
	if (!ev->ek || ev->ek->ngal == 0)
		return LATHE_OK;
	int32_t *from = lt_alloc((size_t)half * sizeof(int32_t));
	int32_t *via = lt_alloc((size_t)half * sizeof(int32_t));
	int32_t *queue = lt_alloc((size_t)half * sizeof(int32_t));
	if (!from || !via || !queue) {
		lt_free(from);
		lt_free(via);
		lt_free(queue);
		return lt_fail(LATHE_ENOMEM, "lathe_ct_rotate: out of memory");
	}
	for (long i = 0; i < half; i++)
		from[i] = -1;
	from[0] = 0;
	size_t head = 0, tail = 0;
	queue[tail++] = 0;
	while (head < tail && from[k] < 0) {
		long x = queue[head++];
		for (size_t g = 0; g < ev->ek->ngal; g++) {
			if (!ev->ek->gal[g].rot)
				continue; /* the row swap and -5^k move between rows, not along them */
			int st = ev->ek->gal[g].step;
			long y = (x + st % half + half) % half;
			if (from[y] < 0) {
				from[y] = (int32_t)x;
				via[y] = (int32_t)g;
				queue[tail++] = (int32_t)y;
			}
		}
	}
	if (from[k] >= 0) {
		size_t len = 0;
		for (long y = k; y != 0 && len < 64; y = from[y])
			plan[len++] = &ev->ek->gal[via[y]];
		*np = len < 64 ? len : 0;
	}
	lt_free(from);
	lt_free(via);
	lt_free(queue);
	return LATHE_OK;
}

lathe_status
lt_ev_ct_rotate(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, int steps)
{
	const char *fn = "lathe_ct_rotate";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	const lathe_ctx *c = ev->ctx;
	if (!lt_rot_cols(c))
		return lt_fail(LATHE_EPARAM, "%s: t = %llu = 2^r has no slots to rotate", fn, (unsigned long long)c->t);
	const long half = (long)lt_rot_cols(c);
	long k = steps % half;
	if (k < 0)
		k += half;
	if (k == 0)
		return lathe_ct_copy(out, a);
	/* plan: the step's own key, else the fewest keys present whose steps add up to k */
	const lt_galois_key *plan[64];
	size_t np = 0;
	const lt_galois_key *own = lt_ev_find_key(ev, lt_galois_elt(c, (int)k));
	if (own) {
		plan[np++] = own;
	} else {
		lathe_status ps = compose_plan(ev, k, plan, &np);
		if (ps)
			return ps;
		if (np == 0)
			return lt_fail(LATHE_ENOKEY, "%s: no Galois key for step %d and none of the keys present compose it",
			               fn, steps);
	}
	lathe_status s = lt_ev_as_two(ev, &a, fn);
	if (s)
		return s;
	unsigned kl = a->level;
	for (size_t i = 0; i < np; i++)
		if (lt_ksk_level(c, &plan[i]->k) < kl)
			kl = lt_ksk_level(c, &plan[i]->k);
	if ((s = lt_ev_to_key_level(ev, &a, kl, fn)))
		return s;
	double noise = a->noise;
	for (size_t i = 0; i < np; i++)
		noise = lt_log2_add(noise, lt_noise_ks(lt_ct_pm(a)));
	if (lt_ev_too_noisy(c, noise, a->level))
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	const lathe_ct *x = a;
	for (size_t i = 0; i < np; i++) {
		if ((s = rotate_once(ev, out, x, plan[i])))
			return s;
		x = out;
	}
	return LATHE_OK;
}

/* out = the automorphism of gk applied to a (relinearized first), with the noise checked before */
static lathe_status
switch_with(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *a, const lt_galois_key *gk)
{
	lathe_status s = lt_ev_as_two(ev, &a, fn);
	if (s)
		return s;
	if ((s = lt_ev_to_key_level(ev, &a, lt_ksk_level(ev->ctx, &gk->k), fn)))
		return s;
	double noise = lt_log2_add(a->noise, lt_noise_ks(lt_ct_pm(a)));
	if (lt_ev_too_noisy(ev->ctx, noise, a->level))
		return lt_ev_refuse_noise(fn, ev->ctx, noise, a->level);
	return rotate_once(ev, out, a, gk);
}

lathe_status
lt_ev_ct_swap_rows(lathe_eval *ev, lathe_ct *out, const lathe_ct *a)
{
	const char *fn = "lathe_ct_swap_rows";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (lt_rot_rows(ev->ctx) != 2)
		return lt_fail(LATHE_EPARAM, "%s: the slots of t = %llu form no two rows to swap", fn,
		               (unsigned long long)ev->ctx->t);
	const lt_galois_key *gk = lt_ev_find_key(ev, 2 * (uint64_t)ev->ctx->n - 1);
	if (!gk)
		return lt_fail(LATHE_ENOKEY, "%s: no row-swap key in the evaluation keys", fn);
	return switch_with(fn, ev, out, a, gk);
}

lathe_status
lt_ev_ct_automorph(lathe_eval *ev, lathe_ct *out, const lathe_ct *a, uint64_t g)
{
	const char *fn = "lathe_ct_automorph";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	CHECK_IN(fn, a);
	if (!(g & 1) || g >= 2 * (uint64_t)ev->ctx->n)
		return lt_fail(LATHE_EINVAL, "%s: Galois element %llu is not an odd residue below 2N = %llu", fn,
		               (unsigned long long)g, (unsigned long long)(2 * ev->ctx->n));
	if (g == 1)
		return lathe_ct_copy(out, a);
	const lt_galois_key *gk = lt_ev_find_key(ev, g);
	if (!gk)
		return lt_fail(LATHE_ENOKEY, "%s: no Galois key for element %llu in the evaluation keys", fn,
		               (unsigned long long)g);
	return switch_with(fn, ev, out, a, gk);
}

lathe_status
lt_ev_ct_rotate_many(lathe_eval *ev, lathe_ct **outs, const lathe_ct *a, const int *steps, size_t n)
{
	const char *fn = "lathe_ct_rotate_many";
	CHECK_EV(fn);
	CHECK_IN(fn, a);
	if (n && (!outs || !steps))
		return lt_fail(LATHE_EINVAL, "%s: outs or steps is NULL", fn);
	const lathe_ctx *c = ev->ctx;
	if (!lt_rot_cols(c))
		return lt_fail(LATHE_EPARAM, "%s: t = %llu = 2^r has no slots to rotate", fn, (unsigned long long)c->t);
	const long half = (long)lt_rot_cols(c);
	unsigned kl = c->nq - 1;
	for (size_t i = 0; i < n; i++) {
		lathe_status s = lt_ev_check_ct(fn, ev, outs[i], "outs[i]");
		if (s)
			return s;
		long k = steps[i] % half;
		if (k < 0)
			k += half;
		const lt_galois_key *gk = k != 0 ? lt_ev_find_key(ev, lt_galois_elt(c, (int)k)) : NULL;
		if (k != 0 && !gk)
			return lt_fail(LATHE_ENOKEY, "%s: no Galois key of its own for step %d (hoisting needs one)", fn,
			               steps[i]);
		if (gk && lt_ksk_level(c, &gk->k) < kl)
			kl = lt_ksk_level(c, &gk->k);
		for (size_t j = 0; j < i; j++)
			if (outs[j] == outs[i])
				return lt_fail(LATHE_EINVAL, "%s: outs[%zu] and outs[%zu] are the same ciphertext", fn, j, i);
	}
	lathe_status s = lt_ev_as_two(ev, &a, fn);
	if (s)
		return s;
	if ((s = lt_ev_to_key_level(ev, &a, kl, fn)))
		return s;
	double noise = lt_log2_add(a->noise, lt_noise_ks(lt_ct_pm(a)));
	if (lt_ev_too_noisy(c, noise, a->level))
		return lt_ev_refuse_noise(fn, c, noise, a->level);
	/* keep the input out of reach of the outputs */
	if (a != ev->t1) {
		if ((s = lt_ev_to_temp(ev->t1, a)))
			return s;
		a = ev->t1;
	}
	/* one decomposition of c1 (in t1, unchanged to the end); each output permutes its digits */
	lt_ks_decompose(&ev->ks, lt_ct_comp(a, 1), a->level);
	for (size_t i = 0; i < n; i++) {
		long k = steps[i] % half;
		if (k < 0)
			k += half;
		if (k == 0) {
			if ((s = lathe_ct_copy(outs[i], a)))
				return s;
			continue;
		}
		if ((s = lt_ct_reserve(outs[i], 2, a->level)))
			return s;
		const lt_galois_key *gk = lt_ev_find_key(ev, lt_galois_elt(c, (int)k));
		lt_ks_inner(&ev->ks, &gk->k, gk->perm, a->level, ev->ks.acc);
		galois_out(ev, outs[i], a, gk);
	}
	return LATHE_OK;
}

