/*
 * The public face of bootstrapping (lathe/boot.h): the bundle that carries
 * its keys, the checks every call makes before the steps of thin.c run,
 * the keys an evaluator derives once from its bundle, and automatic
 * bootstrapping before a product that would otherwise reach level 0.
 */
#include <math.h>
#include <string.h>

#include <lathe/boot.h>

#include "../bgv/evalcore.h"
#include "../bgv/internal.h"
#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

/* the failure target of every bootstrap (BOOTSTRAP.md Correction 2) */
#define FAIL_BITS 128u

const char *const *
lathe_boot_presets(size_t *n)
{
	return lt_boot_preset_names(n);
}

int
lathe_ctx_bootstrappable(const lathe_ctx *ctx)
{
	return ctx && ctx->npm > 1;
}

/* the context's checks shared by every entry point */
static lathe_status
check_ctx(const char *fn, const lathe_ctx *c)
{
	if (!lathe_ctx_bootstrappable(c))
		return lt_fail(LATHE_EUNSUPPORTED, "%s: the context is not bootstrappable (use a bootstrappable preset or "
		               "lathe_params_set_bootstrap)", fn);
	if (c->pm[LT_PM_USER].slots.ell == 0)
		return lt_fail(LATHE_EUNSUPPORTED, "%s: the context has no slots", fn);
	return LATHE_OK;
}

lathe_status
lathe_boot_info_get(const lathe_ctx *ctx, lathe_boot_info *info)
{
	const char *fn = "lathe_boot_info_get";
	if (info)
		memset(info, 0, sizeof(*info));
	LT_CHECK_NULL(ctx);
	LT_CHECK_NULL(info);
	lathe_status s = check_ctx(fn, ctx);
	if (s)
		return s;
	const lt_plainmod *pr = &ctx->pm[LT_PM_USER], *pe = &ctx->pm[ctx->npm - 1];
	const size_t l = pr->slots.ell;
	unsigned B = 0;
	double tail = 0;
	if ((s = lt_boot_slots_bound(ctx, ctx->par.boot_h, FAIL_BITS, &B, &tail)))
		return s;
	if (2 * (uint64_t)B + 1 > pr->p)
		return lt_fail(LATHE_EPARAM, "%s: the overflow bound %u for h = %u is not below p / 2 (p = %llu)", fn, B,
		               ctx->par.boot_h, (unsigned long long)pr->p);
	size_t ng = 0;
	uint64_t qp = 0;
	if ((s = lt_boot_elts(ctx, NULL, 0, &ng)) || (s = lt_boot_qprime(pe->t, 16, ctx->ring.modp[0]->q, &qp)))
		return s;
	info->p = pr->p;
	info->r = pr->r;
	info->e = pe->r;
	info->pe = pe->t;
	info->h = ctx->par.boot_h;
	info->overflow_bound = B;
	info->fail_log2 = tail;
	/* F is odd, of degree at most e (2B + 1) - 1: its exact degree needs the polynomial */
	const size_t D = (size_t)pe->r * (2 * B + 1);
	uint64_t *F = lt_calloc(D, 8);
	if (!F)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	s = lt_boot_digit_poly(pr->p, pe->r, B, F, D, &info->digit_degree);
	lt_free(F);
	if (s) {
		memset(info, 0, sizeof(*info));
		return s;
	}
	info->qprime = qp;
	info->slots = l;
	info->galois_keys = ng;
	info->level_in = lt_boot_level_in(ctx);
	return LATHE_OK;
}

/* ---- keys ---- */

lathe_status
lathe_boot_keygen_rng(const lathe_sk *sk, const int *rot_steps, size_t n_steps, lathe_evalkeys **out, lathe_rng *rng)
{
	const char *fn = "lathe_boot_keygen";
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(sk);
	if (n_steps && !rot_steps)
		return lt_fail(LATHE_EINVAL, "%s: rot_steps is NULL with n_steps = %zu", fn, n_steps);
	const lathe_ctx *c = sk->ctx;
	lathe_status s = check_ctx(fn, c);
	if (s)
		return s;
	const long half = (long)(c->n / 2);
	for (size_t i = 0; i < n_steps; i++)
		if (rot_steps[i] <= -half || rot_steps[i] >= half)
			return lt_fail(LATHE_EINVAL, "%s: rotation step %d outside (-N/2, N/2)", fn, rot_steps[i]);
	/* the Galois elements: bootstrapping's, then the rotations' not among them */
	size_t ng = 0;
	if ((s = lt_boot_elts(c, NULL, 0, &ng)))
		return s;
	uint64_t *g = lt_alloc((ng + n_steps + 1) * 8);
	if (!g)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	size_t n = 0;
	unsigned *lv = NULL;
	lt_boot_keys *k = NULL;
	lathe_evalkeys *ek = NULL;
	lt_boot_raw *raw = NULL;
	if ((s = lt_boot_elts(c, g, ng, &n)))
		goto done;
	for (size_t i = 0; i < n_steps; i++) {
		const uint64_t e = lt_galois_elt(c, rot_steps[i]);
		int seen = e == 1;
		for (size_t j = 0; j < n && !seen; j++)
			seen = g[j] == e;
		if (!seen)
			g[n++] = e;
	}
	if ((s = lt_boot_keys_new(sk, c->par.boot_h, FAIL_BITS, rng, &k)))
		goto done;
	/* SlotToCoeff's own keys only reach the level it runs at (factored maps) */
	lv = lt_alloc((n ? n : 1) * sizeof(*lv));
	if (!lv) {
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		goto done;
	}
	if ((s = lt_boot_elt_levels(c, g, n, lv)))
		goto done;
	/* a rotation the caller asked for reaches the top, whatever bootstrapping needs of it */
	for (size_t i = 0; i < n_steps; i++) {
		const uint64_t e = lt_galois_elt(c, rot_steps[i]);
		for (size_t j = 0; j < n; j++)
			if (g[j] == e)
				lv[j] = c->nq - 1;
	}
	if ((s = lt_evalkeys_new_levels(c, sk, g, lv, n, &ek, rng)))
		goto done;
	raw = lt_calloc(1, sizeof(*raw));
	if (!raw) {
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
		goto done;
	}
	/* the bundle keeps the encapsulation key's seed and b and Enc_s(s'); the sparse secret goes with k */
	memcpy(raw->seed, k->encaps.seed, LT_SEED_BYTES);
	raw->b = k->encaps.b;
	k->encaps.b = NULL;
	raw->bk = k->bk;
	k->bk = NULL;
	ek->boot = raw;
	raw = NULL;
	*out = ek;
	ek = NULL;
done:
	lt_free(g);
	lt_free(lv);
	lt_boot_keys_free(k);
	lt_boot_raw_free(raw);
	lathe_evalkeys_free(ek);
	return s;
}

lathe_status
lathe_boot_keygen(const lathe_sk *sk, const int *rot_steps, size_t n_steps, lathe_evalkeys **out)
{
	return lathe_boot_keygen_rng(sk, rot_steps, n_steps, out, NULL);
}

int
lathe_evalkeys_has_boot(const lathe_evalkeys *ek)
{
	return ek && ek->boot;
}

lathe_status
lathe_boot_key_sizes_get(const lathe_evalkeys *ek, lathe_boot_key_sizes *sz)
{
	const char *fn = "lathe_boot_key_sizes_get";
	if (sz)
		memset(sz, 0, sizeof(*sz));
	LT_CHECK_NULL(ek);
	LT_CHECK_NULL(sz);
	if (!ek->boot)
		return lt_fail(LATHE_ENOKEY, "%s: the bundle has no bootstrapping keys", fn);
	const lathe_ctx *c = ek->ctx;
	const size_t n = c->n;
	sz->boot_key = 2 * (size_t)(ek->boot->bk->level + 1) * n * 8;
	sz->encaps_key = 2 * 2 * n * 8;
	if (ek->has_relin)
		sz->relin = lt_ksk_words(c, &ek->relin) * 2 * 8;
	size_t ng = 0, all = 0;
	uint64_t g[2 * LT_MAX_CHAIN + 64];
	int have = lt_boot_elts(c, NULL, 0, &ng) == LATHE_OK && ng <= sizeof(g) / sizeof(g[0]) &&
	           lt_boot_elts(c, g, sizeof(g) / sizeof(g[0]), &ng) == LATHE_OK;
	for (size_t i = 0; i < ek->ngal; i++) {
		const size_t b = lt_ksk_words(c, &ek->gal[i].k) * 2 * 8;
		all += b;
		for (size_t j = 0; have && j < ng; j++)
			if (g[j] == ek->gal[i].g) {
				sz->galois += b;
				sz->galois_keys++;
				break;
			}
	}
	sz->total = sz->boot_key + sz->encaps_key + sz->relin + all + (ek->pk ? lt_comp_words(c) * 2 * 8 : 0);
	return LATHE_OK;
}

/* ---- what an evaluator derives once ---- */

typedef struct boot_state {
	lt_boot_keys *k;
	lathe_ct *ra, *rb; /* the refreshed operands of automatic bootstrapping */
	int auto_on;
	lt_boot_ws ws; /* the slot maps' working memory, kept between bootstraps */
} boot_state;

static void
state_free(void *p)
{
	boot_state *st = p;
	if (!st)
		return;
	lt_boot_keys_free(st->k);
	lathe_ct_free(st->ra);
	lathe_ct_free(st->rb);
	lt_boot_ws_clear(&st->ws);
	lt_free(st);
}

lt_boot_ws *
lt_boot_ws_of(lathe_eval *ev)
{
	return ev && ev->boot && ev->boot_free == state_free ? &((boot_state *)ev->boot)->ws : NULL;
}

/* the keys and the Galois elements a bundle must hold, checked once */
static lathe_status
check_keys(const char *fn, const lathe_eval *ev)
{
	const lathe_evalkeys *ek = ev->ek;
	if (!ek || !ek->boot)
		return lt_fail(LATHE_ENOKEY, "%s: the evaluator's bundle has no bootstrapping keys (lathe_boot_keygen)", fn);
	if (!ek->has_relin)
		return lt_fail(LATHE_ENOKEY, "%s: the evaluator's bundle has no relinearization key", fn);
	size_t ng = 0;
	lathe_status s = lt_boot_elts(ev->ctx, NULL, 0, &ng);
	if (s)
		return s;
	uint64_t *g = lt_alloc((ng + 1) * 8);
	if (!g)
		return lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (!(s = lt_boot_elts(ev->ctx, g, ng, &ng)))
		for (size_t i = 0; i < ng && !s; i++)
			if (!lathe_evalkeys_has_galois(ek, g[i]))
				s = lt_fail(LATHE_ENOKEY, "%s: the bundle lacks the Galois key of element %llu that bootstrapping "
				            "needs", fn, (unsigned long long)g[i]);
	lt_free(g);
	return s;
}

/* ev's state, made on first use under the busy guard */
static lathe_status
get_state(lathe_eval *ev, const char *fn, boot_state **out)
{
	if (ev->boot) {
		*out = ev->boot;
		return LATHE_OK;
	}
	lathe_status s = check_ctx(fn, ev->ctx);
	if (s)
		return s;
	if ((s = check_keys(fn, ev)))
		return s;
	if ((s = lt_ev_enter(ev, fn)))
		return s;
	boot_state *st = lt_calloc(1, sizeof(*st));
	if (!st)
		s = lt_fail(LATHE_ENOMEM, "%s: out of memory", fn);
	if (!s)
		s = lt_boot_keys_from(ev->ctx, ev->ek->boot, FAIL_BITS, &st->k);
	if (!s)
		s = lathe_ct_new(ev->ctx, &st->ra);
	if (!s)
		s = lathe_ct_new(ev->ctx, &st->rb);
	if (s) {
		state_free(st);
	} else {
		ev->boot = st;
		ev->boot_free = state_free;
		*out = st;
	}
	lt_ev_leave(ev);
	return s;
}

/* ---- bootstrapping ---- */

static lathe_status
boot_checked(const char *fn, lathe_eval *ev, lathe_ct *out, const lathe_ct *in, lathe_boot_stats *stats)
{
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!ev || !out || !in)
		return lt_fail(LATHE_EINVAL, "%s: NULL argument", fn);
	lathe_status s = check_ctx(fn, ev->ctx);
	if (s)
		return s;
	if (!lt_ctx_same(in->ctx, ev->ctx) || !lt_ctx_same(out->ctx, ev->ctx))
		return lt_fail(LATHE_EMISMATCH, "%s: a ciphertext of another context than the evaluator's", fn);
	if (in->pm != LT_PM_USER)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext is under the plaintext modulus %llu, not the context's "
		               "t = %llu", fn, (unsigned long long)lt_ct_pm(in)->t, (unsigned long long)ev->ctx->t);
	if (in->size != 2)
		return lt_fail(LATHE_EINVAL, "%s: the ciphertext has %u components (relinearize first)", fn, in->size);
	const unsigned lin = lt_boot_level_in(ev->ctx);
	if (in->level < lin)
		return lt_fail(LATHE_ELEVEL, "%s: the ciphertext is at level %u; bootstrapping starts from level %u or above",
		               fn, in->level, lin);
	boot_state *st = NULL;
	if ((s = get_state(ev, fn, &st)))
		return s;
	lt_boot_stats bs;
	if ((s = lt_boot_thin(ev, st->k, out, in, &bs)))
		return s;
	if (stats) {
		double *f[8] = { &stats->total, &stats->slot_to_coeff, &stats->encapsulation, &stats->raw_switch,
		                 &stats->inner_product, &stats->trace, &stats->coeff_to_slot, &stats->digit_removal };
		for (unsigned i = 0; i < 8; i++)
			*f[i] = (double)bs.ns[i] / 1e9;
		stats->level_in = bs.level_in;
		stats->level_out = bs.level_out;
		stats->noise_q0 = bs.noise_q0;
		stats->noise_q0_max = bs.room_q0;
	}
	return LATHE_OK;
}

lathe_status
lathe_boot_ex(lathe_eval *ev, lathe_ct *out, const lathe_ct *in, lathe_boot_stats *stats)
{
	return boot_checked("lathe_boot", ev, out, in, stats);
}

lathe_status
lathe_boot(lathe_eval *ev, lathe_ct *out, const lathe_ct *in)
{
	return boot_checked("lathe_boot", ev, out, in, NULL);
}

/* ---- automatic bootstrapping ---- */

/*
 * Before a product: an operand whose product would land at the level
 * bootstrapping starts from (lt_boot_level_in: 1 with dense maps, the
 * groups of a factored SlotToCoeff) or below (lt_ev_mul_level) is
 * bootstrapped into the state's copy, so that every product lands above
 * it and what the user holds can always be bootstrapped again (from the
 * lowest level a product's noise may be too much for Step 3). Operands
 * the product would refuse anyway are left to it.
 */
static lathe_status
auto_hook(lathe_eval *ev, const lathe_ct **pa, const lathe_ct **pb, const char *fn)
{
	boot_state *st = ev->boot;
	const lathe_ct *a = *pa, *b = *pb;
	if (!st || !st->auto_on || !ev->auto_ms || !a || !b || !lt_ctx_same(a->ctx, ev->ctx) ||
	    !lt_ctx_same(b->ctx, ev->ctx) || a->size != 2 || b->size != 2 || a->pm != LT_PM_USER || b->pm != LT_PM_USER)
		return LATHE_OK;
	const lathe_ctx *c = ev->ctx;
	const unsigned lin = lt_boot_level_in(c);
	lathe_status s;
	if (lt_ev_mul_level(c, a) <= lin && a->level >= lin) {
		if ((s = boot_checked(fn, ev, st->ra, a, NULL)))
			return s;
		ev->nboot++;
		if (b == a)
			b = st->ra;
		a = st->ra;
	}
	if (b != a && lt_ev_mul_level(c, b) <= lin && b->level >= lin) {
		if ((s = boot_checked(fn, ev, st->rb, b, NULL)))
			return s;
		ev->nboot++;
		b = st->rb;
	}
	*pa = a;
	*pb = b;
	return LATHE_OK;
}

lathe_status
lathe_eval_set_auto_bootstrap(lathe_eval *ev, int on)
{
	const char *fn = "lathe_eval_set_auto_bootstrap";
	LT_CHECK_NULL(ev);
	if (!on) {
		if (ev->boot)
			((boot_state *)ev->boot)->auto_on = 0;
		ev->boot_auto = NULL;
		return LATHE_OK;
	}
	boot_state *st = NULL;
	lathe_status s = get_state(ev, fn, &st);
	if (s)
		return s;
	st->auto_on = 1;
	ev->boot_auto = auto_hook;
	return LATHE_OK;
}

uint64_t
lathe_eval_bootstraps(const lathe_eval *ev)
{
	return ev ? ev->nboot : 0;
}
