/*
 * Step 3 of thin bootstrapping (src/bootstrap/rawswitch.c) by a decrypt
 * oracle: after the switch to q' and the scaling, a0 + a1 s computed in
 * the clear (schoolbook negacyclic product mod p^e with the secret key)
 * is p^(e-r) kappa m + J with J within the exact overflow bound for the
 * key's Hamming weight (2^-40 over all coefficients), on bootstrappable
 * contexts with p = 257 (r = 1, e = 2) and p = 17 (r = 2, e = 3), fresh
 * and after products; and the refusals.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "bootstrap/boot_util.h"
#include "bootstrap/internal.h"

typedef struct rs_case {
	const char *name;
	unsigned logn;
	uint64_t p;
	unsigned r, e, depth;
} rs_case;

static const rs_case CASES[] = {
	{ "insecure-n1024-t257-e2-d3", 10, 257, 1, 2, 3 },
	{ "insecure-n2048-t17^2-e3-d3", 11, 17, 2, 3, 3 },
};

__extension__ typedef __int128 i128;

/* checks a0 + a1 s = k kappa m + J (mod pe), |J| <= B, for the plaintext of ct (level 0) */
static void
check_switch(bgv_fix *f, const rs_case *c, const lathe_ct *ct, unsigned B, const char *what)
{
	const size_t n = f->n;
	const uint64_t pe = boot_pow(c->p, c->e), tr = boot_pow(c->p, c->r), k = boot_pow(c->p, c->e - c->r);
	uint64_t qp = 0;
	BGV_OK(f, lt_boot_qprime(pe, 16, f->ctx->ring.modp[0]->q, &qp));
	int64_t *a0 = calloc(n, 8), *a1 = calloc(n, 8), *m = calloc(n, 8);
	cr_assert(a0 && a1 && m);
	uint64_t kappa = 0;
	BGV_OK(f, lt_boot_raw_switch(ct, qp, c->e, a0, a1, &kappa));
	/* the plaintext's coefficients */
	lathe_pt *pt = bgv_pt(f);
	BGV_OK(f, lathe_decrypt(f->sk, pt, ct));
	BGV_OK(f, lathe_decode_coeffs(m, n, pt));
	const int8_t *s = f->sk->s;
	int64_t worst = 0;
	for (size_t i = 0; i < n; i++) {
		cr_assert(a0[i] > -(int64_t)(pe / 2) - 1 && a0[i] <= (int64_t)(pe / 2), "%s: a0[%zu] = %lld not centred",
		          what, i, (long long)a0[i]);
		/* coefficient i of a1 s in Z[X]/(X^N + 1), mod pe */
		int64_t acc = a0[i];
		for (size_t j = 0; j < n; j++) {
			if (!s[j])
				continue;
			const size_t d = i >= j ? i - j : i + n - j;
			const int64_t term = a1[d] * s[j];
			acc = boot_centred(i >= j ? acc + term : acc - term, pe);
		}
		const int64_t mk = boot_centred((int64_t)(((i128)boot_centred(m[i], tr) * (int64_t)kappa) % (int64_t)tr), tr);
		const int64_t J = boot_centred(acc - (int64_t)k * mk, pe);
		if (J > worst || -J > worst)
			worst = J < 0 ? -J : J;
	}
	cr_assert_leq(worst, (int64_t)B, "%s [%s]: the overflow reaches %lld, the 2^-40 bound is %u", what, f->desc,
	              (long long)worst, B);
	/* the overflow is there (the test would see a wrong scaling): J is not identically 0 */
	cr_assert_gt(worst, 0, "%s [%s]: no overflow at all", what, f->desc);
	lathe_pt_free(pt);
	free(a0);
	free(a1);
	free(m);
}

Test(rawswitch, overflow_within_bound_by_decrypt_oracle, .timeout = 300)
{
	for (size_t ci = 0; ci < sizeof(CASES) / sizeof(CASES[0]); ci++) {
		const rs_case *c = &CASES[ci];
		bgv_fix f;
		bgv_fix_init_ctx(&f, boot_ctx(c->logn, c->p, c->r, c->e, NULL, c->depth, 2), c->name, BGV_KEYS_DEFAULT, NULL, 0, 3300 + (uint32_t)ci);
		unsigned h = 0;
		for (size_t i = 0; i < f.n; i++)
			h += f.sk->s[i] != 0;
		unsigned B = 0;
		BGV_OK(&f, lt_boot_overflow_bound(h, c->logn, 40, &B, NULL));
		/* J is read back centred mod p^e: the bound must stay below p^e / 2 */
		cr_assert_lt(2 * (uint64_t)B, boot_pow(c->p, c->e), "[%s] B = %u too large for the test", f.desc, B);
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f), *vw = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *x = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(3); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, trial & 1);
			bgv_encrypt_vec(&f, b, w, 1);
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, 0));
			check_switch(&f, c, x, B, "fresh, switched to level 0");
			/* a product (its factor fac is not 1) */
			BGV_OK(&f, lathe_ct_mul(f.ev, x, a, b));
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, x, 0));
			check_switch(&f, c, x, B, "a product at level 0");
		}
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(x);
		free(v);
		free(w);
		free(vw);
		bgv_fix_clear(&f);
	}
}

Test(rawswitch, refusals)
{
	const rs_case *c = &CASES[0];
	bgv_fix f;
	bgv_fix_init_ctx(&f, boot_ctx(c->logn, c->p, c->r, c->e, NULL, c->depth, 2), c->name, BGV_KEYS_NONE, NULL, 0, 3310);
	uint64_t *v = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f);
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	const uint64_t pe = 257 * 257, q0 = f.ctx->ring.modp[0]->q;
	uint64_t qp = 0, kappa;
	BGV_OK(&f, lt_boot_qprime(pe, 16, q0, &qp));
	cr_assert_eq(qp % pe, 1);
	cr_assert_eq(qp & 1, 1);
	int64_t *a0 = calloc(f.n, 8), *a1 = calloc(f.n, 8);
	BGV_FAILS(&f, LATHE_ELEVEL, lt_boot_raw_switch(a, qp, 2, a0, a1, &kappa));
	BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, a, a, 0));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_raw_switch(a, qp, 1, a0, a1, &kappa));
	BGV_FAILS(&f, LATHE_EPARAM, lt_boot_raw_switch(a, qp + 2, 2, a0, a1, &kappa));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_raw_switch(a, qp, 2, NULL, a1, &kappa));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_raw_switch(NULL, qp, 2, a0, a1, &kappa));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_qprime(pe, 16, q0, NULL));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_qprime(pe + 1, 16, q0, &qp));
	BGV_FAILS(&f, LATHE_EINVAL, lt_boot_qprime(pe, 41, q0, &qp));
	/* k p^e + 1 beyond 2^62 */
	BGV_FAILS(&f, LATHE_EPARAM, lt_boot_qprime((uint64_t)1 << 41 | 1, 30, q0, &qp));
	BGV_OK(&f, lt_boot_qprime(pe, 16, q0, &qp));
	BGV_OK(&f, lt_boot_raw_switch(a, qp, 2, a0, a1, &kappa));
	free(a0);
	free(a1);
	free(v);
	lathe_ct_free(a);
	bgv_fix_clear(&f);
}
