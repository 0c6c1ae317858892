/*
 * Thin bootstrapping on power-of-two rings, Steps 1 to 7 of BOOTSTRAP.md
 * §2 in order (Geelen, Vercauteren, "Bootstrapping for BGV and BFV
 * revisited", J. Cryptology 36, 2023; Halevi, Shoup, Eurocrypt 2015):
 * SlotToCoeff at the input's level, the switch to q_0 and to the sparse
 * secret, the raw switch to q' with the scaling by p^(e-r), the inner
 * product with Enc_s(s') at the top, the trace, CoeffToSlot (with d^-1
 * folded in), the removal of the lowest digit and the division by p^(e-r),
 * and the message's factor kappa undone. The slot maps are dense
 * (slotmap.c) up to LT_BOOT_DENSE_SLOTS slots and in the cyclic slots,
 * factored (fftmap.c) above; the keys are made by lt_boot_keys_new.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include <math.h>
#include <string.h>
#include <time.h>

#include <lathe/polyeval.h>

#include "../bgv/internal.h"
#include "../bgv/evalcore.h"
#include "../bgv/keyswitch.h"
#include "../bgv/slots.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

void
lt_boot_keys_free(lt_boot_keys *k)
{
	if (!k)
		return;
	lt_boot_encaps_clear(&k->encaps);
	lathe_ct_free(k->bk);
	lathe_sk_free(k->sparse);
	lt_free(k->stc);
	lt_free(k->cts);
	lt_boot_fft_free(k->stc_f);
	lt_boot_fft_free(k->cts_f);
	lt_free(k->F);
	lt_free(k);
}

lathe_status
lt_boot_slots_bound(const lathe_ctx *c, unsigned h, unsigned fail_bits, unsigned *B, double *tail_log2)
{
	if (!c || !B)
		return lt_fail(LATHE_EINVAL, "lt_boot_slots_bound: NULL argument");
	const lt_slots *sl = &c->pm[LT_PM_USER].slots;
	unsigned lg = 0;
	while (((size_t)1 << lg) < sl->ell)
		lg++;
	/* p = 1 mod 4: one coefficient per slot; cyclic: a pair sharing terms (overflow.c) */
	if (sl->kind == LT_SLOTS_CYCLIC)
		return lt_boot_pair_bound(c->logn, h, lg, fail_bits, B, NULL, tail_log2);
	return lt_boot_overflow_bound(h, lg, fail_bits, B, tail_log2);
}

void
lt_boot_map_groups(const lathe_ctx *c, unsigned *stc, unsigned *cts)
{
	const lt_slots *sl = &c->pm[LT_PM_USER].slots;
	*stc = *cts = 0;
	if (sl->kind == LT_SLOTS_CYCLIC || sl->rows != 2 || sl->ell <= LT_BOOT_DENSE_SLOTS)
		return;
	unsigned nl = 1; /* the row mixing and log2(cols) butterfly layers, four to a group */
	while (((size_t)1 << (nl - 1)) < sl->cols)
		nl++;
	*stc = *cts = (nl + 3) / 4;
}

unsigned
lt_boot_level_in(const lathe_ctx *c)
{
	unsigned stc, cts;
	lt_boot_map_groups(c, &stc, &cts);
	return stc ? stc : 1;
}

/* the factored maps of c: SlotToCoeff mod p^r, CoeffToSlot mod p^e with d^-1 folded in */
static lathe_status
fft_maps(const lathe_ctx *c, lt_boot_fft **stc, lt_boot_fft **cts)
{
	unsigned gs, gc;
	lt_boot_map_groups(c, &gs, &gc);
	const lt_plainmod *pr = &c->pm[LT_PM_USER], *pe = &c->pm[c->npm - 1];
	const uint64_t dinv = lt_invmod_any(pr->slots.d % pe->t, pe->t);
	lathe_status s = lt_boot_fft_new(c, LT_PM_USER, 0, gs, 1, stc);
	if (!s && (s = lt_boot_fft_new(c, c->npm - 1, 1, gc, dinv, cts))) {
		lt_boot_fft_free(*stc);
		*stc = NULL;
	}
	return s;
}

/* what follows from the public parameters: B, F, the two maps, q' */
static lathe_status
keys_derive(const lathe_ctx *c, unsigned h, unsigned fail_bits, lt_boot_keys *k, const char *fn)
{
	const lt_plainmod *pr = &c->pm[LT_PM_USER], *pe = &c->pm[c->npm - 1];
	if (pe->r != pr->r + 1)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: digit removal is for e = r + 1 (here r = %u, e = %u)", fn, pr->r, pe->r);
	k->ctx = c;
	k->h = h;
	const size_t l = pr->slots.ell;
	lathe_status s = LATHE_OK;
	/* the overflow bound over the ell slots, and the digit polynomial for it */
	if ((s = lt_boot_slots_bound(c, h, fail_bits, &k->B, NULL)))
		return s;
	if (2 * (uint64_t)k->B + 1 > pr->p)
		return lt_fail(LATHE_EPARAM, "%s: the overflow bound %u for h = %u is not below p / 2 (p = %llu)", fn, k->B, h,
		               (unsigned long long)pr->p);
	const size_t D = (size_t)pe->r * (2 * k->B + 1);
	k->F = lt_calloc(D, 8);
	if (!k->F)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if ((s = lt_boot_digit_poly(pr->p, pe->r, k->B, k->F, D, &k->deg)))
		return s;
	unsigned gs, gc;
	lt_boot_map_groups(c, &gs, &gc);
	if (gs) {
		if ((s = fft_maps(c, &k->stc_f, &k->cts_f)))
			return s;
		return lt_boot_qprime(pe->t, 16, c->ring.modp[0]->q, &k->qprime);
	}
	k->stc = lt_alloc(l * l * 8);
	k->cts = lt_alloc(l * l * 8);
	if (!k->stc || !k->cts)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if ((s = lt_boot_stc_matrix(c, LT_PM_USER, k->stc)) || (s = lt_boot_cts_matrix(c, c->npm - 1, k->cts)))
		return s;
	/* d^-1 mod p^e folded into CoeffToSlot: the trace multiplied by d */
	const uint64_t dinv = lt_invmod_any(pr->slots.d % pe->t, pe->t);
	for (size_t i = 0; i < l * l; i++)
		k->cts[i] = lt_mulmod(k->cts[i], dinv, pe->t, pe->br);
	return lt_boot_qprime(pe->t, 16, c->ring.modp[0]->q, &k->qprime);
}

lathe_status
lt_boot_keys_new(const lathe_sk *sk, unsigned h, unsigned fail_bits, lathe_rng *rng, lt_boot_keys **out)
{
	const char *fn = "lt_boot_keys_new";
	if (!sk || !out)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	*out = NULL;
	const lathe_ctx *c = sk->ctx;
	if (c->npm < 2)
		return lt_fail(LATHE_EPARAM, "%s: the context has no bootstrapping plaintext modulus p^e", fn);
	lt_boot_keys *k = lt_calloc(1, sizeof(*k));
	if (!k)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	lathe_status s;
	if ((s = keys_derive(c, h, fail_bits, k, fn)) || (s = lt_sk_new_hwt(c, h, rng, &k->sparse)) ||
	    (s = lt_boot_encaps_gen(sk, k->sparse, &k->encaps, rng)) || (s = lt_boot_key_gen(sk, k->sparse, &k->bk))) {
		lt_boot_keys_free(k);
		return s;
	}
	*out = k;
	return LATHE_OK;
}

lathe_status
lt_boot_keys_from(const lathe_ctx *c, const lt_boot_raw *raw, unsigned fail_bits, lt_boot_keys **out)
{
	const char *fn = "lt_boot_keys_from";
	if (!c || !raw || !out)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	*out = NULL;
	if (c->npm < 2)
		return lt_fail(LATHE_EPARAM, "%s: the context has no bootstrapping plaintext modulus p^e", fn);
	lt_boot_keys *k = lt_calloc(1, sizeof(*k));
	if (!k)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	lathe_status s;
	if ((s = keys_derive(c, c->par.boot_h, fail_bits, k, fn)) ||
	    (s = lt_boot_encaps_load(c, raw->seed, raw->b, &k->encaps)) || (s = lathe_ct_new(c, &k->bk)) ||
	    (s = lathe_ct_copy(k->bk, raw->bk))) {
		lt_boot_keys_free(k);
		return s;
	}
	*out = k;
	return LATHE_OK;
}

/* the factored maps' Galois elements, each once: *n of them into g (cap words) */
static lathe_status
fft_elts(const lathe_ctx *c, uint64_t *g, size_t cap, size_t *n)
{
	lt_boot_fft *stc = NULL, *cts = NULL;
	lathe_status s = fft_maps(c, &stc, &cts);
	size_t a = 0, b = 0;
	if (!s)
		s = lt_boot_fft_elts(stc, g, cap, &a);
	if (!s)
		s = lt_boot_fft_elts(cts, g + a, cap - a, &b);
	/* an element both maps use, once */
	size_t k = a;
	for (size_t i = a; !s && i < a + b; i++) {
		int seen = 0;
		for (size_t j = 0; j < a && !seen; j++)
			seen = g[j] == g[i];
		if (!seen)
			g[k++] = g[i];
	}
	*n = k;
	lt_boot_fft_free(stc);
	lt_boot_fft_free(cts);
	return s;
}

lathe_status
lt_boot_elts(const lathe_ctx *c, uint64_t *g, size_t cap, size_t *n)
{
	const char *fn = "lt_boot_elts";
	if (!c || !n)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	size_t a = 0, b = 0;
	lathe_status s = lt_boot_trace_elts(c, NULL, 0, &a);
	if (s)
		return s;
	unsigned gs, gc;
	lt_boot_map_groups(c, &gs, &gc);
	uint64_t *tmp = NULL;
	if (gs) {
		/* a few dozen elements at most: four groups of fewer than 2 (8 + 4) + 1 */
		const size_t room = 256;
		if (!(tmp = lt_alloc(room * 8)))
			return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		s = fft_elts(c, tmp, room, &b);
	} else {
		s = lt_boot_slot_map_elts(c, NULL, 0, &b);
	}
	if (!s) {
		*n = a + b;
		if (g && a + b > cap)
			s = lt_fail(LATHE_EINVAL, "%s: room for %zu elements, bootstrapping needs %zu", fn, cap, a + b);
	}
	if (!s && g && !(s = lt_boot_trace_elts(c, g, cap, &a))) {
		if (tmp)
			memcpy(g + a, tmp, b * 8);
		else
			s = lt_boot_slot_map_elts(c, g + a, cap - a, &b);
	}
	lt_free(tmp);
	return s;
}

lathe_status
lt_boot_elt_levels(const lathe_ctx *c, const uint64_t *g, size_t n, unsigned *lv)
{
	const char *fn = "lt_boot_elt_levels";
	if (!c || (n && (!g || !lv)))
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const unsigned top = c->nq - 1, lin = lt_boot_level_in(c);
	for (size_t i = 0; i < n; i++)
		lv[i] = top;
	unsigned gs, gc;
	lt_boot_map_groups(c, &gs, &gc);
	if (!gs)
		return LATHE_OK;
	/* SlotToCoeff runs at levels lin .. 1 only: its own elements need no key above lin */
	lt_boot_fft *stc = NULL, *cts = NULL;
	const size_t room = 256;
	uint64_t *es = lt_alloc(room * 8), *ec = lt_alloc((room + 64) * 8);
	size_t ns = 0, nc = 0, nt = 0;
	lathe_status s = es && ec ? fft_maps(c, &stc, &cts) : lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (!s)
		s = lt_boot_fft_elts(stc, es, room, &ns);
	if (!s)
		s = lt_boot_fft_elts(cts, ec, room, &nc);
	if (!s)
		s = lt_boot_trace_elts(c, ec + nc, 64, &nt);
	for (size_t i = 0; i < n && !s; i++) {
		int in_stc = 0, elsewhere = 0;
		for (size_t j = 0; j < ns; j++)
			in_stc |= es[j] == g[i];
		for (size_t j = 0; j < nc + nt; j++)
			elsewhere |= ec[j] == g[i];
		if (in_stc && !elsewhere)
			lv[i] = lin;
	}
	lt_free(es);
	lt_free(ec);
	lt_boot_fft_free(stc);
	lt_boot_fft_free(cts);
	return s;
}

static uint64_t
now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* the time since *t0 into st->ns[i], and *t0 moved to now */
static void
mark(lt_boot_stats *st, unsigned i, uint64_t *t0)
{
	if (!st)
		return;
	const uint64_t t = now_ns();
	st->ns[i] = t - *t0;
	*t0 = t;
}

lathe_status
lt_boot_thin(lathe_eval *ev, const lt_boot_keys *k, lathe_ct *out, const lathe_ct *in, lt_boot_stats *stats)
{
	const char *fn = "lt_boot_thin";
	if (!ev || !k || !out || !in)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	const lathe_ctx *c = in->ctx;
	if (k->ctx != c || ev->ctx != c)
		return lt_fail(LATHE_EMISMATCH, "%s: the keys, the evaluator and the ciphertext belong to different contexts",
		               fn);
	if (in->pm != LT_PM_USER)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext is not under the context's t = p^r", fn);
	if (in->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext has %u components (relinearize first)", fn, in->size);
	const unsigned lin = lt_boot_level_in(c);
	if (in->level < lin)
		return lt_fail(LATHE_ELEVEL, "%s: SlotToCoeff needs level %u or above (the ciphertext is at level %u)", fn,
		               lin, in->level);
	const size_t n = c->n;
	const lt_plainmod *pr = &c->pm[LT_PM_USER];
	lathe_status s = LATHE_OK;
	uint64_t t0 = stats ? now_ns() : 0;
	const uint64_t start = t0;
	if (stats) {
		memset(stats, 0, sizeof(*stats));
		stats->level_in = in->level;
	}
	lathe_ct *x = NULL, *u = NULL, *v = NULL;
	/* the evaluator's kept ciphertexts (across bootstraps), else the call's own */
	lt_boot_ws *ws = lt_boot_ws_of(ev);
	lt_pe_pool own = { 0 }, *keep = ws ? &ws->keep : &own;
	int64_t *a0 = lt_alloc(n * 8), *a1 = lt_alloc(n * 8);
	if (!a0 || !a1) {
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		goto done;
	}
	if ((s = lt_pe_pool_get(keep, c, in->level, &x)) || (s = lt_pe_pool_get(keep, c, c->nq - 1, &u)) ||
	    (s = lt_pe_pool_get(keep, c, c->nq - 1, &v)))
		goto done;
	/*
	 * Step 1: the slots to the coefficients at X^(d k), from level lin
	 * (above it, the input is switched down first: the maps' keys need
	 * reach no higher, and the switch only lowers the noise)
	 */
	const lathe_ct *src = in;
	if (in->level > lin) {
		if ((s = lathe_ct_mod_switch_to(ev, u, in, lin)))
			goto done;
		src = u;
	}
	if ((s = k->stc_f ? lt_boot_fft_apply(ev, x, src, k->stc_f) : lt_boot_slot_map(ev, x, src, k->stc)))
		goto done;
	mark(stats, 1, &t0);
	/* Step 2: down to q_0, then to the sparse secret */
	if ((s = lathe_ct_mod_switch_to(ev, x, x, 0)) || (s = lt_boot_encaps(x, &k->encaps)))
		goto done;
	/*
	 * The guard of Step 3: J differs from the sum S of the bound B by
	 * delta <= p^(e-r) ||m + t E|| / q_0 + p^e (h + 1) / (2 q'), and
	 * P(|J| > B) <= P(|S| >= B + 1/2) needs |delta| < 1/2. q' >= p^e 2^16
	 * keeps the second term below 2^-10 for h < 64 000; the first is held
	 * below 1/4 on the public estimate of ||m + t E|| (a bound on it): a
	 * noisier input is refused, never bootstrapped into garbage.
	 */
	const double room = log2((double)c->ring.modp[0]->q) - 2.0 - log2((double)(c->pm[c->npm - 1].t / pr->t));
	if (stats) {
		stats->noise_q0 = x->noise;
		stats->room_q0 = room;
	}
	if (x->noise > room) {
		s = lt_fail(LATHE_ENOISE, "%s: the input's noise at q_0 (2^%.1f) is above the 2^%.1f bootstrapping "
		            "tolerates; bootstrap at a level with more budget left", fn, x->noise, room);
		goto done;
	}
	mark(stats, 2, &t0);
	/* Steps 3 and 4 */
	uint64_t kappa = 1;
	if ((s = lt_boot_raw_switch(x, k->qprime, c->pm[c->npm - 1].r, a0, a1, &kappa)))
		goto done;
	mark(stats, 3, &t0);
	if ((s = lt_boot_inner_product(ev, u, k->bk, a0, a1)))
		goto done;
	mark(stats, 4, &t0);
	/* Step 5, Step 6 (d^-1 folded in) */
	if ((s = lt_boot_trace(ev, u, v)))
		goto done;
	mark(stats, 5, &t0);
	if ((s = k->cts_f ? lt_boot_fft_apply(ev, v, u, k->cts_f) : lt_boot_slot_map(ev, v, u, k->cts)))
		goto done;
	mark(stats, 6, &t0);
	/* Step 7: v - F(v) = p^(e-r) kappa m, divided by p^(e-r) */
	if ((s = lt_pe_poly_eval_keep("lathe_poly_eval", ev, c, u, v, k->F, k->deg + 1, NULL, keep)) ||
	    (s = lathe_ct_sub(ev, v, v, u)))
		goto done;
	if ((s = lt_ct_divide_plainmod(v, LT_PM_USER)))
		goto done;
	/* kappa^-1: a public scalar */
	const uint64_t kinv = lt_invmod_any(kappa, pr->t);
	if ((s = lathe_ct_mul_scalar(ev, v, v, lt_centered_mod(kinv, pr->t))))
		goto done;
	s = lathe_ct_copy(out, v);
	mark(stats, 7, &t0);
	if (stats && !s) {
		stats->ns[0] = t0 - start;
		stats->level_out = out->level;
	}
done:
	lt_pe_pool_put(keep, x);
	lt_pe_pool_put(keep, u);
	lt_pe_pool_put(keep, v);
	lt_pe_pool_clear(&own);
	lt_free(a0);
	lt_free(a1);
	return s;
}
