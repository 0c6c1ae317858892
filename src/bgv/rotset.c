/*
 * Rotation sets: hoisted rotations kept before their ModDown (Halevi-Shoup
 * 2018 §4; Bossuat, Mouchet, Troncoso-Pastoriza, Hubaux 2021 §4.2, double
 * hoisting), and their weighted sums with one ModDown.
 *
 * For a step k with Galois element g, the set keeps sigma_g(c0) (mod Q_l)
 * and the accumulators (a0, a1) of the key-switch inner product of
 * sigma_g(c1) (mod Q_l P): a0 + a1 s = P sigma_g(c1) sigma_g(s) + t E.
 * Then sum_i w_i rotate(a, k_i) is
 *     out0 = sum_i w_i sigma_i(c0) + ModDown(sum_i w_i a0_i),
 *     out1 = ModDown(sum_i w_i a1_i),
 * (step 0: w c0 and w c1 added after the ModDown), and the products by
 * the weights modulo Q_l P need the weights over P as well: prepared
 * plaintexts carry their P limbs.
 */
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "../ring/vec.h"
#include "evalcore.h"
#include "internal.h"
#include "keyswitch.h"

struct lathe_rotset {
	const lathe_ctx *ctx;
	uint8_t keyid[LT_KEYID_BYTES];   /* the input's */
	uint8_t ekid[LT_KEYID_BYTES];    /* the evaluation keys' (all zero: none) */
	unsigned level;
	unsigned pm;                     /* the input's plaintext modulus */
	uint64_t fac;                    /* the input's factor at that level */
	double noise;                    /* the input's estimate at that level */
	size_t count;
	unsigned *step;                  /* count steps, in [0, N/2) */
	size_t blk;                      /* words of one step's block */
	/*
	 * count blocks: sigma(c0) (l + 1 limbs), then an accumulator pair at
	 * level l (2 (l + 1 + np) limbs; for step 0, c1 in its first l + 1).
	 */
	uint64_t *data;
	size_t cap_steps, cap_words;     /* what step and data hold */
};

static uint64_t *
blk_c0(const lathe_rotset *rs, size_t i)
{
	return rs->data + i * rs->blk;
}

static uint64_t *
blk_acc(const lathe_rotset *rs, size_t i)
{
	return rs->data + i * rs->blk + (size_t)(rs->level + 1) * rs->ctx->n;
}

size_t
lathe_rotset_count(const lathe_rotset *rs)
{
	return rs ? rs->count : 0;
}

unsigned
lathe_rotset_level(const lathe_rotset *rs)
{
	return rs ? rs->level : 0;
}

void
lathe_rotset_free(lathe_rotset *rs)
{
	if (!rs)
		return;
	lt_free(rs->step);
	lt_free(rs->data);
	lt_free(rs);
}

static lathe_status rotset_build(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **reuse,
                                 lathe_rotset **out);

lathe_status
lt_ev_rotset_new(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **out)
{
	return rotset_build(ev, a, steps, n, NULL, out);
}

lathe_status
lt_ev_rotset_renew(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **rs)
{
	if (!rs)
		return lt_fail(LATHE_EINVAL, "lathe_rotset_new: argument 'out' is NULL");
	lathe_rotset *old = *rs;
	lathe_status s = rotset_build(ev, a, steps, n, &old, rs);
	lathe_rotset_free(old); /* NULL when its memory was taken over */
	return s;
}

/*
 * The set, into *out (NULL on error); *reuse (reuse non-NULL) a set whose
 * memory is taken over (then *reuse becomes NULL) when it is large enough.
 */
static lathe_status
rotset_build(lathe_eval *ev, const lathe_ct *a, const int *steps, size_t n, lathe_rotset **reuse,
             lathe_rotset **out)
{
	const char *fn = "lathe_rotset_new";
	CHECK_EV(fn);
	if (!out)
		return lt_fail(LATHE_EINVAL, "%s: argument 'out' is NULL", fn);
	*out = NULL;
	CHECK_IN(fn, a);
	if (n == 0 || !steps)
		return lt_fail(LATHE_EINVAL, "%s: no steps (steps %s, n = %zu)", fn, steps ? "given" : "NULL", n);
	const lathe_ctx *c = ev->ctx;
	if (!lt_rot_cols(c))
		return lt_fail(LATHE_EPARAM, "%s: t = %llu = 2^r has no slots to rotate", fn, (unsigned long long)c->t);
	if (a->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: the input has %u components (relinearize it first)", fn, a->size);
	const long half = (long)lt_rot_cols(c);
	int keyed = 0;
	unsigned kl = c->nq - 1;
	for (size_t i = 0; i < n; i++) {
		long k = steps[i] % half;
		if (k < 0)
			k += half;
		for (size_t j = 0; j < i; j++) {
			long kj = steps[j] % half;
			if ((kj < 0 ? kj + half : kj) == k)
				return lt_fail(LATHE_EINVAL, "%s: steps[%zu] = %d and steps[%zu] = %d are the same rotation", fn,
				               j, steps[j], i, steps[i]);
		}
		const lt_galois_key *gk = k != 0 ? lt_ev_find_key(ev, lt_galois_elt(c, (int)k)) : NULL;
		if (k != 0 && !gk)
			return lt_fail(LATHE_ENOKEY, "%s: no Galois key of its own for step %d", fn, steps[i]);
		if (gk && lt_ksk_level(c, &gk->k) < kl)
			kl = lt_ksk_level(c, &gk->k);
		keyed |= k != 0;
	}
	/*
	 * The level the products by the weights are formed at, as for
	 * lathe_ct_mul_plain. No noise refusal here: nothing decryptable is
	 * made, and lathe_rotset_dot bounds every term with its key switch.
	 */
	unsigned l = ev->auto_ms ? lt_ev_mul_level(c, a) : a->level;
	if (l > kl) {
		if (!ev->auto_ms)
			return lt_fail(LATHE_ELEVEL,
			               "%s: the ciphertext is at level %u and a Galois key used reaches level %u only "
			               "(switch it down, or turn automatic modulus switching on)",
			               fn, l, kl);
		l = kl;
	}
	const size_t nn = c->n, blk = (3 * ((size_t)l + 1) + 2 * (size_t)c->np) * nn;
	/* a set given back (lt_ev_rotset_renew) lends its memory when it holds this one */
	lathe_rotset *rs = NULL;
	if (reuse && *reuse && (*reuse)->ctx == c && (*reuse)->cap_steps >= n && (*reuse)->cap_words >= n * blk) {
		rs = *reuse;
		*reuse = NULL;
	}
	if (!rs) {
		rs = lt_calloc(1, sizeof(*rs));
		if (rs) {
			rs->step = lt_alloc(n * sizeof(*rs->step));
			rs->data = lt_alloc(n * blk * 8);
			rs->cap_steps = n;
			rs->cap_words = n * blk;
		}
		if (!rs || !rs->step || !rs->data) {
			lathe_rotset_free(rs);
			return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		}
	}
	rs->ctx = c;
	rs->level = l;
	rs->count = n;
	rs->blk = blk;
	lathe_status s;
	if ((s = lt_ev_switch_to(ev, ev->t1, a, l))) {
		lathe_rotset_free(rs);
		return s;
	}
	const lathe_ct *x = ev->t1;
	const uint64_t *x0 = lt_ct_comp(x, 0), *x1 = lt_ct_comp(x, 1);
	/* one decomposition of c1 (t1 stays unchanged to the end); each step permutes its digits */
	if (keyed)
		lt_ks_decompose(&ev->ks, x1, l);
	for (size_t i = 0; i < n; i++) {
		long k = steps[i] % half;
		if (k < 0)
			k += half;
		rs->step[i] = (unsigned)k;
		uint64_t *c0 = blk_c0(rs, i), *acc = blk_acc(rs, i);
		if (k == 0) {
			lt_limbs_copy(c0, x0, l + 1, nn);
			lt_limbs_copy(acc, x1, l + 1, nn);
			continue;
		}
		const lt_galois_key *gk = lt_ev_find_key(ev, lt_galois_elt(c, (int)k));
		lt_ks_inner(&ev->ks, &gk->k, gk->perm, l, acc);
		/* each limb in two halves (a permutation word by word): an even number of pieces */
		const size_t hn = nn / 2;
#pragma omp parallel for schedule(static) if (lt_par(l + 1, nn))
		for (unsigned y = 0; y < 2 * (l + 1); y++) {
			const size_t j = y / 2, h = (y % 2) * hn;
			const uint64_t *xj = x0 + j * nn;
			uint64_t *cj = c0 + j * nn;
			for (size_t e = h; e < h + hn; e++)
				cj[e] = xj[gk->perm[e]];
		}
	}
	rs->pm = x->pm;
	rs->fac = x->fac;
	rs->noise = x->noise;
	memcpy(rs->keyid, x->keyid, LT_KEYID_BYTES);
	if (ev->ek)
		memcpy(rs->ekid, ev->ek->keyid, LT_KEYID_BYTES);
	else
		memset(rs->ekid, 0, LT_KEYID_BYTES);
	*out = rs;
	return LATHE_OK;
}

/* limb x of Q_l P (x > l: p_{x - l - 1}) of a weight prepared at a level >= l */
static const uint64_t *
weight_limb(const lathe_prepared_pt *w, unsigned l, unsigned x, size_t n)
{
	const unsigned at = x <= l ? x : w->level + 1 + (x - l - 1);
	return w->m + (size_t)at * n;
}

/*
 * The estimate of the dot (the canonical norm is sub-multiplicative, and
 * the l1 norm of a plaintext bounds its canonical norm): each term is
 * bounded by |w_i|_1 times the noise of rotate(a, k_i) on its own, a's
 * noise plus one whole key switch (for step 0, a's noise). The
 * accumulators are divided by P once, after the weighted sum, so one
 * ModDown rounding, t (tau0 + tau1 s) with a factor 2 margin as in the
 * model of one key switch, comes on top (the key switch of each term
 * already counts a rounding of its own, so the bound is conservative).
 */
static double
dot_noise(const lathe_ctx *c, const lathe_rotset *rs, const lathe_prepared_pt *const *w, int *keyed)
{
	double sum = -1e9;
	int any = 0;
	*keyed = 0;
	for (size_t i = 0; i < rs->count; i++) {
		if (!w[i])
			continue;
		*keyed |= rs->step[i] != 0;
		if (w[i]->log2_norm < -1e8)
			continue; /* a zero plaintext */
		double term = rs->step[i] ? lt_log2_add(rs->noise, lt_noise_ks(&c->pm[rs->pm])) : rs->noise;
		sum = any ? lt_log2_add(sum, term + w[i]->log2_norm) : term + w[i]->log2_norm;
		any = 1;
	}
	if (*keyed) {
		const double down = 1 + lt_noise_ms(&c->pm[rs->pm], 2);
		sum = any ? lt_log2_add(sum, down) : down;
		any = 1;
	}
	return any ? sum : 0;
}

lathe_status
lt_ev_rotset_dot(lathe_eval *ev, lathe_ct *out, const lathe_rotset *rs, const lathe_prepared_pt *const *w)
{
	const char *fn = "lathe_rotset_dot";
	CHECK_EV(fn);
	CHECK_CT(fn, out);
	if (!rs || !w)
		return lt_fail(LATHE_EINVAL, "%s: %s is NULL", fn, rs ? "the weight array" : "the rotation set");
	const lathe_ctx *c = ev->ctx;
	if (!lt_ctx_same(c, rs->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: the rotation set belongs to another context", fn);
	const uint8_t *rid = lt_keyid_pick(rs->keyid, rs->ekid);
	lathe_status s;
	if (ev->ek && (s = lt_keyid_check(fn, "the rotation set", rid, "the evaluation keys", ev->ek->keyid)))
		return s;
	const unsigned l = rs->level;
	const uint8_t *id = rs->keyid;
	size_t given = 0;
	for (size_t i = 0; i < rs->count; i++) {
		if (!w[i])
			continue;
		given++;
		if ((s = lt_ev_check_prepared(fn, ev, w[i])) ||
		    (s = lt_keyid_check(fn, "the rotation set", rid, "a weight", w[i]->keyid)))
			return s;
		if (w[i]->pm != rs->pm)
			return lt_fail(LATHE_EMISMATCH, "%s: w[%zu] and the rotation set are under different plaintext moduli",
			               fn, i);
		if (w[i]->level < l)
			return lt_fail(LATHE_ELEVEL, "%s: w[%zu] is prepared up to level %u, the set is at level %u", fn, i,
			               w[i]->level, l);
		id = lt_keyid_pick(id, w[i]->keyid);
	}
	if (given == 0)
		return lt_fail(LATHE_EINVAL, "%s: every weight is NULL", fn);
	int keyed;
	const double noise = dot_noise(c, rs, w, &keyed);
	if (lt_ev_too_noisy(c, noise, l))
		return lt_ev_refuse_noise(fn, c, noise, l);
	if ((s = lt_ct_reserve(out, 2, l)))
		return s;
	uint8_t keyid[LT_KEYID_BYTES];
	memcpy(keyid, id, LT_KEYID_BYTES);
	const size_t n = c->n, nl = lt_ks_acc_limbs(c, l);
	uint64_t *o0 = lt_ct_comp(out, 0), *o1 = lt_ct_comp(out, 1);
	if (keyed) {
		/* acc = sum_i w_i acc_i over Q_l P, then one ModDown */
		uint64_t *acc = ev->ks.acc, *acc1 = lt_ks_acc_comp(c, acc, l, 1);
		/*
		 * each limb in two halves of its coefficients (word by word): an
		 * even number of pieces, handed out one at a time, since limbs of
		 * primes above the vector kernels' bound cost more
		 */
		const size_t hn = n / 2;
#pragma omp parallel for schedule(dynamic, 1) if (lt_par((unsigned)nl, n))
		for (unsigned y = 0; y < 2 * (unsigned)nl; y++) {
			const unsigned x = y / 2;
			const size_t h = (y % 2) * hn, off = (size_t)x * n + h;
			const lt_modulus *m = c->ring.modp[x <= l ? x : c->nq + (x - l - 1)];
			int first = 1;
			for (size_t i = 0; i < rs->count; i++) {
				if (!w[i] || rs->step[i] == 0)
					continue;
				const uint64_t *a0 = blk_acc(rs, i) + off, *a1 = a0 + nl * n;
				lt_vec_mac2(acc + off, acc1 + off, weight_limb(w[i], l, x, n) + h, a0, a1, hn, m, first);
				first = 0;
			}
		}
		lt_ks_moddown(&ev->ks, &c->pm[rs->pm], acc, l, o0, o1);
	} else {
		memset(o0, 0, ((size_t)l + 1) * n * 8);
		memset(o1, 0, ((size_t)l + 1) * n * 8);
	}
	/* the terms mod Q_l: w_i sigma_i(c0), and w c1 of step 0 (halves of limbs, as above) */
	const size_t hn = n / 2;
#pragma omp parallel for schedule(dynamic, 1) if (lt_par(2 * (l + 1), hn))
	for (unsigned y = 0; y < 2 * (l + 1); y++) {
		const unsigned x = y / 2;
		const size_t h = (y % 2) * hn, off = (size_t)x * n + h;
		const lt_modulus *m = c->ring.modp[x];
		for (size_t i = 0; i < rs->count; i++) {
			if (!w[i])
				continue;
			const uint64_t *wl = weight_limb(w[i], l, x, n) + h;
			lt_vec_mac(o0 + off, blk_c0(rs, i) + off, wl, hn, m);
			if (rs->step[i] == 0)
				lt_vec_mac(o1 + off, blk_acc(rs, i) + off, wl, hn, m);
		}
	}
	out->size = 2;
	out->level = l;
	out->pm = rs->pm;
	out->fac = rs->fac;
	out->noise = noise;
	out->seeded = 0;
	memcpy(out->keyid, keyid, LT_KEYID_BYTES);
	return LATHE_OK;
}
