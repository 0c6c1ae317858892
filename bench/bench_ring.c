/*
 * Ring-layer cases: NTT (vector and scalar paths, one limb and full RNS
 * width), NTT-based product, multiply-accumulate, base extension, and the
 * t-preserving division by one prime (modulus switching) against the loop
 * it replaces.
 */
#include <stdio.h>
#include <string.h>

#include "cases.h"
#include "core/mem.h"
#include "core/cpu.h"
#include "ring/kernels.h"
#include "ring/modarith.h"
#include "ring/primes.h"
#include "ring/rns.h"
#include "ring/sample.h"
#include "ring/tdiv.h"
#include "ring/vec.h"

typedef struct {
	lt_ring ring;
	lt_poly a, b, c;
	lt_baseconv bc;
	uint64_t *scratch, *out;
	unsigned nlimbs;
} ring_case;

static int
setup(ring_case *rc, unsigned logn, unsigned nq, unsigned np, unsigned bits)
{
	memset(rc, 0, sizeof(*rc));
	uint64_t q[LT_MAX_MODULI];
	if (lt_primes_gen(q, nq + np, bits, logn, NULL, 0) != LATHE_OK ||
	    lt_ring_init(&rc->ring, (size_t)1 << logn, q, nq + np) != LATHE_OK) {
		fprintf(stderr, "lathe-bench: ring set-up failed: %s\n", lathe_last_error());
		return -1;
	}
	size_t n = rc->ring.n;
	rc->nlimbs = nq;
	uint8_t seed[32] = { 1 };
	if (lt_poly_init(&rc->a, n, rc->ring.modp, nq) || lt_poly_init(&rc->b, n, rc->ring.modp, nq) ||
	    lt_poly_init(&rc->c, n, rc->ring.modp, nq))
		return -1;
	lt_sample_uniform(&rc->a, seed, 1);
	lt_sample_uniform(&rc->b, seed, 2);
	lt_sample_uniform(&rc->c, seed, 3);
	if (np) {
		if (lt_baseconv_init(&rc->bc, rc->ring.modp, nq, rc->ring.modp + nq, np))
			return -1;
		rc->scratch = lt_alloc((size_t)nq * n * 8);
		rc->out = lt_alloc((size_t)np * n * 8);
	}
	return 0;
}

static void
teardown(ring_case *rc)
{
	lt_poly_clear(&rc->a);
	lt_poly_clear(&rc->b);
	lt_poly_clear(&rc->c);
	if (rc->scratch) {
		lt_baseconv_clear(&rc->bc);
		lt_free(rc->scratch);
		lt_free(rc->out);
	}
	lt_ring_clear(&rc->ring);
}

/* transforms: the data stays in range, so repeating in place is sound */
static void
run_fwd(void *p)
{
	ring_case *rc = p;
	rc->a.ntt = 0;
	lt_poly_to_ntt(&rc->a);
}

static void
run_inv(void *p)
{
	ring_case *rc = p;
	rc->a.ntt = 1;
	lt_poly_to_coeff(&rc->a);
}

static void
run_fwd_scalar(void *p)
{
	ring_case *rc = p;
	for (unsigned i = 0; i < rc->nlimbs; i++)
		lt_ntt_fwd_scalar(lt_poly_limb(&rc->a, i), &rc->a.mod[i]->ntt);
}

static void
run_inv_scalar(void *p)
{
	ring_case *rc = p;
	for (unsigned i = 0; i < rc->nlimbs; i++)
		lt_ntt_inv_scalar(lt_poly_limb(&rc->a, i), &rc->a.mod[i]->ntt);
}

/* c = a * b through the NTT: two forward, one pointwise, one inverse */
static void
run_poly_mul(void *p)
{
	ring_case *rc = p;
	rc->a.ntt = rc->b.ntt = 0;
	lt_poly_to_ntt(&rc->a);
	lt_poly_to_ntt(&rc->b);
	lt_poly_mul(&rc->c, &rc->a, &rc->b);
	lt_poly_to_coeff(&rc->c);
}

static void
run_mac(void *p)
{
	ring_case *rc = p;
	rc->a.ntt = rc->b.ntt = rc->c.ntt = 1;
	lt_poly_mac(&rc->c, &rc->a, &rc->b);
}

static void
run_baseconv(void *p)
{
	ring_case *rc = p;
	lt_baseconv_apply(&rc->bc, rc->out, rc->a.c, rc->ring.n, rc->scratch);
}

/*
 * Modulus switching of one component at L limbs, NTT form, t = 65537:
 * dropping q_{L-1} with lt_rns_tdivide (B = q_0..q_{L-2}, C = q_{L-1}),
 * against a copy of the loop bgv/modswitch.c ran before it (ms_baseline).
 * Repeating in place is sound: the words stay in range.
 */
typedef struct {
	lt_ring ring;
	unsigned l;             /* the dropped limb; B has l limbs */
	uint64_t *x, *scratch;  /* l + 1 limbs; l limbs */
	uint64_t t_inv_q;       /* t^-1 mod q_l */
	uint64_t *qinv, *tqinv; /* q_l^-1 and t q_l^-1 mod q_i */
	lt_tdiv plan;
} ms_case;

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int
ms_setup(ms_case *mc, unsigned logn, unsigned limbs, const lt_kernels *kern)
{
	const uint64_t t = 65537;
	memset(mc, 0, sizeof(*mc));
	uint64_t q[LT_MAX_MODULI];
	if (lt_primes_gen(q, limbs, 50, logn, NULL, 0) != LATHE_OK ||
	    lt_ring_init_kernels(&mc->ring, (size_t)1 << logn, q, limbs, kern) != LATHE_OK) {
		fprintf(stderr, "lathe-bench: ring set-up failed: %s\n", lathe_last_error());
		return -1;
	}
	const size_t n = mc->ring.n;
	const unsigned l = mc->l = limbs - 1;
	const lt_modulus *const *mp = mc->ring.modp;
	mc->x = lt_alloc((size_t)limbs * n * 8);
	mc->scratch = lt_alloc((size_t)l * n * 8);
	mc->qinv = lt_alloc((size_t)l * 8);
	mc->tqinv = lt_alloc((size_t)l * 8);
	if (!mc->x || !mc->scratch || !mc->qinv || !mc->tqinv ||
	    lt_tdiv_init(&mc->plan, mp, l, mp + l, 1, t) != LATHE_OK)
		return -1;
	uint64_t st = 42;
	for (unsigned i = 0; i < limbs; i++)
		for (size_t k = 0; k < n; k++)
			mc->x[(size_t)i * n + k] = splitmix(&st) % mp[i]->q;
	const lt_modulus *ml = mp[l];
	mc->t_inv_q = lt_invmod(t % ml->q, ml->q, ml->br);
	for (unsigned i = 0; i < l; i++) {
		const lt_modulus *m = mp[i];
		mc->qinv[i] = lt_invmod(ml->q % m->q, m->q, m->br);
		mc->tqinv[i] = lt_mulmod(t % m->q, mc->qinv[i], m->q, m->br);
	}
	return 0;
}

static void
ms_teardown(ms_case *mc)
{
	lt_tdiv_clear(&mc->plan);
	lt_free(mc->x);
	lt_free(mc->scratch);
	lt_free(mc->qinv);
	lt_free(mc->tqinv);
	lt_ring_clear(&mc->ring);
}

/* the modulus-switching loop of bgv/modswitch.c before lt_rns_tdivide, one component */
static void
ms_baseline(void *p)
{
	ms_case *mc = p;
	const size_t n = mc->ring.n;
	const unsigned l = mc->l;
	const lt_modulus *ml = mc->ring.modp[l];
	const uint64_t ql = ml->q, half = ql / 2;
	uint64_t *comp = mc->x, *last = comp + (size_t)l * n;
	lt_ntt_inv(last, &ml->ntt);
	lt_vec_mul_scalar(last, last, mc->t_inv_q, n, ml);
#pragma omp parallel for schedule(static) if (lt_par(l, n))
	for (unsigned i = 0; i < l; i++) {
		const lt_modulus *m = mc->ring.modp[i];
		const uint64_t q = m->q, qlm = ql % q;
		uint64_t *yi = mc->scratch + (size_t)i * n, *ci = comp + (size_t)i * n;
		for (size_t j = 0; j < n; j++) {
			uint64_t y = last[j];
			uint64_t yq = lt_reduce64(y, q, m->br);
			uint64_t neg = (uint64_t)0 - (uint64_t)(y > half);
			uint64_t alt = lt_submod(yq, qlm, q);
			yi[j] = (yq & ~neg) | (alt & neg);
		}
		lt_ntt_fwd(yi, &m->ntt);
		lt_vec_mul_scalar(yi, yi, mc->tqinv[i], n, m);
		lt_vec_mul_scalar(ci, ci, mc->qinv[i], n, m);
		lt_vec_sub(ci, ci, yi, n, q);
	}
}

static void
ms_tdivide(void *p)
{
	ms_case *mc = p;
	lt_rns_tdivide(&mc->plan, mc->x, mc->ring.n, LT_TDIV_B_NTT | LT_TDIV_C_NTT, mc->scratch);
}

static double
butterflies(unsigned logn, unsigned limbs)
{
	return (double)((size_t)1 << logn) / 2 * logn * limbs;
}

void
bench_ring(const bench_opts *o)
{
	char name[128];
	int th[2];
	int nth = bench_thread_list(o, th, 2);
	int one = o->threads > 0 ? o->threads : 1;
	static const struct {
		const char *name;
		bench_fn fn;
		int scalar;
	} tr[] = {
		{ "ntt_fwd", run_fwd, 0 },
		{ "ntt_inv", run_inv, 0 },
		{ "ntt_fwd_scalar", run_fwd_scalar, 1 },
		{ "ntt_inv_scalar", run_inv_scalar, 1 },
	};

	/* one ~50-bit limb, N = 2^12 .. 2^17 */
	for (unsigned t = 0; t < 4; t++) {
		for (unsigned logn = 12; logn <= 17; logn++) {
			snprintf(name, sizeof name, "%s/N=%u/L=1", tr[t].name, 1u << logn);
			if (!bench_selected(o, name))
				continue;
			ring_case rc;
			if (setup(&rc, logn, 1, 0, 50) == 0)
				bench_case(o, name, rc.ring.n, 1, one, tr[t].fn, &rc, butterflies(logn, 1));
			teardown(&rc);
		}
	}

	/* full RNS width of N = 2^15 at 128-bit security: 881 bits = ~18 limbs of 49 bits */
	const unsigned wlogn = 15, wl = 18;
	for (unsigned t = 0; t < 2; t++) {
		snprintf(name, sizeof name, "%s/N=%u/L=%u", tr[t].name, 1u << wlogn, wl);
		if (!bench_selected(o, name))
			continue;
		ring_case rc;
		if (setup(&rc, wlogn, wl, 0, 49) == 0)
			for (int i = 0; i < nth; i++)
				bench_case(o, name, rc.ring.n, wl, th[i], tr[t].fn, &rc, butterflies(wlogn, wl));
		teardown(&rc);
	}

	/* NTT-based product and multiply-accumulate */
	static const unsigned pm[][2] = { { 14, 1 }, { 15, 18 } };
	for (unsigned k = 0; k < 2; k++) {
		unsigned logn = pm[k][0], l = pm[k][1];
		ring_case rc;
		int ready = 0;
		snprintf(name, sizeof name, "poly_mul_ntt/N=%u/L=%u", 1u << logn, l);
		if (bench_selected(o, name)) {
			ready = setup(&rc, logn, l, 0, 49) == 0;
			if (ready)
				for (int i = 0; i < nth; i++)
					bench_case(o, name, rc.ring.n, l, th[i], run_poly_mul, &rc, 0);
		}
		snprintf(name, sizeof name, "poly_mac/N=%u/L=%u", 1u << logn, l);
		if (bench_selected(o, name)) {
			if (!ready)
				ready = setup(&rc, logn, l, 0, 49) == 0;
			if (ready)
				for (int i = 0; i < nth; i++)
					bench_case(o, name, rc.ring.n, l, th[i], run_mac, &rc, 0);
		}
		if (ready)
			teardown(&rc);
	}

	/* base extension Q (L limbs) -> P (k limbs), as in ModUp at N = 2^15 */
	snprintf(name, sizeof name, "base_ext/N=%u/L=%u/k=%u", 1u << 15, 12, 6);
	if (bench_selected(o, name)) {
		ring_case rc;
		if (setup(&rc, 15, 12, 6, 49) == 0)
			for (int i = 0; i < nth; i++)
				bench_case(o, name, rc.ring.n, 12, th[i], run_baseconv, &rc, 0);
		teardown(&rc);
	}

	/*
	 * modulus switching, one component: the old loop (default kernels),
	 * lt_rns_tdivide on the default kernels and on the scalar ones
	 */
	static const struct {
		const char *name;
		bench_fn fn;
		int scalar;
	} ms[] = {
		{ "modswitch_base", ms_baseline, 0 },
		{ "modswitch_tdiv", ms_tdivide, 0 },
		{ "modswitch_tdiv_scalar", ms_tdivide, 1 },
	};
	for (unsigned logn = 13; logn <= 15; logn++)
		for (unsigned limbs = 4; limbs <= 20; limbs += 4)
			for (unsigned v = 0; v < 3; v++) {
				snprintf(name, sizeof name, "%s/N=%u/L=%u", ms[v].name, 1u << logn, limbs);
				if (!bench_selected(o, name))
					continue;
				ms_case mc;
				const lt_kernels *k = ms[v].scalar ? lt_kernels_scalar() : lt_kernels_default();
				if (ms_setup(&mc, logn, limbs, k) == 0)
					bench_case(o, name, mc.ring.n, limbs, one, ms[v].fn, &mc, 0);
				ms_teardown(&mc);
			}
}
