/*
 * Thin bootstrapping step by step under a decrypt oracle (debug: the test
 * holds the main and the sparse secret), on the insecure twin of preset A
 * (N = 2^12, p = 257, 128 slots, its chain). After each step the plaintext
 * is checked against that step's invariant (BOOTSTRAP.md §2), and the
 * noise budget measured with the secret key against the public estimate
 * the library acts on (never above the measured one). The steps run in
 * lt_boot_thin's order with the same keys; the final result equals
 * lt_boot_thin's. A table of the budgets goes to stderr
 * (docs/bootstrapping.md quotes it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include <lathe.h>

#include "bgv/evalcore.h"
#include "bgv/internal.h"
#include "bgv/slots.h"
#include "bootstrap/internal.h"

static void
ok(lathe_status s, const char *what)
{
	cr_assert_eq(s, LATHE_OK, "%s: %s (%s)", what, lathe_strerror(s), lathe_last_error());
}

static int64_t
centred(uint64_t v, uint64_t q)
{
	return v > q / 2 ? (int64_t)v - (int64_t)q : (int64_t)v;
}

/* the measured and the estimated budget of x under sk, printed and compared */
static int
budget(const char *step, const lathe_sk *sk, const lathe_ct *x)
{
	int meas = 0, est = 0;
	ok(lathe_noise_budget(sk, x, &meas), "measured budget");
	ok(lathe_ct_budget_estimate(x, &est), "estimated budget");
	fprintf(stderr, "# %-34s level %2u  mod %-9llu  budget measured %3d bits, estimated %3d bits\n", step, x->level,
	        (unsigned long long)lt_ct_pm(x)->t, meas, est);
	cr_assert_geq(meas, est, "%s: the estimate (%d bits) is above the measured budget (%d bits)", step, est, meas);
	cr_assert_gt(meas, 0, "%s: no budget left", step);
	return meas;
}

/* x's plaintext coefficients (mod its plaintext modulus) under sk */
static void
coeffs(const lathe_sk *sk, const lathe_ct *x, uint64_t *out)
{
	lathe_pt *pt = NULL;
	ok(lathe_pt_new(x->ctx, &pt), "pt");
	ok(lathe_decrypt(sk, pt, x), "decrypt");
	cr_assert_eq(pt->pm, x->pm);
	memcpy(out, pt->m, x->ctx->n * 8);
	lathe_pt_free(pt);
}

Test(oracle, every_step, .timeout = 600)
{
	lathe_ctx *ctx = NULL;
	ok(lathe_ctx_new_preset("insecure-test-boot-n4096-p257", &ctx), "preset");
	lathe_sk *sk = NULL;
	lathe_pk *pk = NULL;
	ok(lathe_keygen(ctx, &sk, &pk), "keygen");
	lt_boot_keys *k = NULL;
	ok(lt_boot_keys_new(sk, 64, 128, NULL, &k), "boot keys");
	uint64_t g[256];
	size_t ng = 0;
	ok(lt_boot_elts(ctx, g, 256, &ng), "elements");
	lathe_evalkeys *ek = NULL;
	ok(lathe_evalkeys_new_galois(ctx, sk, g, ng, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, &ek), "evalkeys");
	lathe_eval *ev = NULL;
	ok(lathe_eval_new(ctx, ek, &ev), "eval");
	const size_t n = ctx->n;
	const lt_plainmod *pr = &ctx->pm[0], *pe = &ctx->pm[ctx->npm - 1];
	const lt_slots *sl = &pr->slots;
	const size_t l = sl->ell, d = sl->d;
	const uint64_t p = pr->p, tr = pr->t, te = pe->t, scale = te / tr;
	uint64_t *m = calloc(l, 8), *c = calloc(n, 8), *sv = calloc(l, 8);
	srand(77);
	for (size_t i = 0; i < l; i++)
		m[i] = (uint64_t)rand() % p;
	/* the input: a fresh encryption at level 1 */
	lathe_pt *pt = NULL;
	lathe_ct *in = NULL, *x = NULL, *u = NULL, *v = NULL, *w = NULL;
	ok(lathe_pt_new(ctx, &pt), "pt");
	ok(lathe_encode_u64(pt, m, l), "encode");
	ok(lathe_ct_new(ctx, &in), "ct");
	ok(lathe_encrypt(pk, in, pt), "encrypt");
	ok(lathe_ct_mod_switch_to(ev, in, in, 1), "to level 1");
	budget("input", sk, in);
	ok(lathe_ct_new_at(ctx, 1, &x), "ct");
	ok(lathe_ct_new(ctx, &u), "ct");
	ok(lathe_ct_new(ctx, &v), "ct");
	ok(lathe_ct_new(ctx, &w), "ct");
	/* Step 1: coefficient d k holds m_k, every other coefficient is 0 */
	ok(lt_boot_slot_map(ev, x, in, k->stc), "StC");
	budget("1 SlotToCoeff", sk, x);
	coeffs(sk, x, c);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(c[i], i % d == 0 ? m[i / d] : 0, "StC: coefficient %zu", i);
	/* Step 2: the same plaintext at q_0, then under the sparse secret */
	ok(lathe_ct_mod_switch_to(ev, x, x, 0), "to q_0");
	budget("2a switched to q_0", sk, x);
	ok(lt_boot_encaps(x, &k->encaps), "encapsulation");
	budget("2b under the sparse secret", k->sparse, x);
	coeffs(k->sparse, x, c);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(c[i], i % d == 0 ? m[i / d] : 0, "encapsulation: coefficient %zu", i);
	/* Steps 3 and 4: u decrypts (mod p^e) to p^(e-r) kappa m + J with |J| <= B on every coefficient */
	int64_t *a0 = calloc(n, 8), *a1 = calloc(n, 8);
	uint64_t kappa = 0;
	ok(lt_boot_raw_switch(x, k->qprime, pe->r, a0, a1, &kappa), "raw switch");
	ok(lt_boot_inner_product(ev, u, k->bk, a0, a1), "inner product");
	budget("4 inner product (under p^e)", sk, u);
	coeffs(sk, u, c);
	int64_t jmax = 0;
	for (size_t i = 0; i < n; i++) {
		const uint64_t want = i % d == 0 ? scale * (kappa * m[i / d] % tr) % te : 0;
		const int64_t J = centred((c[i] + te - want) % te, te);
		jmax = J > jmax ? J : -J > jmax ? -J : jmax;
		cr_assert_leq(J < 0 ? -J : J, (int64_t)k->B, "Step 3: the overflow at coefficient %zu is %lld", i,
		              (long long)J);
	}
	fprintf(stderr, "# 3 raw switch: largest |J| %lld, bound B = %u\n", (long long)jmax, k->B);
	/* Step 5: d times the coefficients at multiples of d, 0 elsewhere */
	uint64_t *cu = calloc(n, 8);
	memcpy(cu, c, n * 8);
	ok(lt_boot_trace(ev, u, v), "trace");
	budget("5 trace", sk, u);
	coeffs(sk, u, c);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(c[i], i % d == 0 ? d % te * cu[i] % te : 0, "trace: coefficient %zu", i);
	/* Step 6: slot k holds p^(e-r) kappa m_k + J_(d k) (d^-1 folded in) */
	ok(lt_boot_slot_map(ev, v, u, k->cts), "CtS");
	budget("6 CoeffToSlot", sk, v);
	coeffs(sk, v, c);
	ok(lt_slots_decode(&pe->slots, sv, c), "decode mod p^e");
	for (size_t i = 0; i < l; i++)
		cr_assert_eq(sv[i], cu[i * d], "CtS: slot %zu", i);
	/* Step 7: F removes J; v - F(v) divided by p^(e-r) and kappa^-1: m */
	ok(lathe_poly_eval(ev, w, v, k->F, k->deg + 1, NULL), "digit removal");
	budget("7a F(v)", sk, w);
	coeffs(sk, w, c);
	ok(lt_slots_decode(&pe->slots, sv, c), "decode mod p^e");
	for (size_t i = 0; i < l; i++) {
		const int64_t J = centred((cu[i * d] + te - scale * (kappa * m[i] % tr) % te) % te, te);
		cr_assert_eq(sv[i], (uint64_t)((J % (int64_t)te + (int64_t)te) % (int64_t)te), "F: slot %zu", i);
	}
	ok(lathe_ct_sub(ev, v, v, w), "v - F(v)");
	ok(lt_ct_divide_plainmod(v, LT_PM_USER), "divide by p^(e-r)");
	ok(lathe_ct_mul_scalar(ev, v, v, lt_centered_mod(lt_invmod_any(kappa, tr), tr)), "kappa^-1");
	const int last = budget("7b result (under t)", sk, v);
	coeffs(sk, v, c);
	ok(lt_slots_decode(sl, sv, c), "decode");
	for (size_t i = 0; i < l; i++)
		cr_assert_eq(sv[i], m[i], "result: slot %zu", i);
	/* the same as the library's pipeline, at the same level */
	lt_boot_stats st;
	ok(lt_boot_thin(ev, k, w, in, &st), "lt_boot_thin");
	cr_assert_eq(w->level, v->level);
	fprintf(stderr, "# level %u -> %u, %d bits of budget left; noise estimate at q_0 2^%.1f of 2^%.1f\n",
	        st.level_in, st.level_out, last, st.noise_q0, st.room_q0);
	free(a0);
	free(a1);
	free(cu);
	free(m);
	free(c);
	free(sv);
	lathe_pt_free(pt);
	lathe_ct_free(in);
	lathe_ct_free(x);
	lathe_ct_free(u);
	lathe_ct_free(v);
	lathe_ct_free(w);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lt_boot_keys_free(k);
	lathe_sk_free(sk);
	lathe_pk_free(pk);
	lathe_ctx_free(ctx);
}
