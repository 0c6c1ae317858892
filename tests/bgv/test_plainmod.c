/*
 * Plaintext moduli of a bootstrappable context (boot_exp = e > r): t = p^r
 * and p^e over one chain, keys made under p^e. Checked against plaintext
 * models (negacyclic products by schoolbook, automorphisms in the clear):
 * the context's set and hash, p^r with keys under p^e, arithmetic under p^e
 * and the refusal to mix moduli, the internal lift (times p^(e-r)) and
 * division (Gentry-Halevi-Smart 2012) with the estimate against the
 * measured budget, and io, which stores pm 0 only.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "bgv/bgv_util.h"
#include "bgv/internal.h"
#include "ring/ntt.h"
#include "ring/vec.h"

typedef struct pm_case {
	const char *name;
	unsigned logn;
	uint64_t p;
	unsigned r, e, depth, dnum;
} pm_case;

static const pm_case CASES[] = {
	{ "insecure-n1024-t257-e2-d3", 10, 257, 1, 2, 3, 2 },  /* 128 thin slots, 2 x 64 */
	{ "insecure-n2048-t17^2-e3-d3", 11, 17, 2, 3, 3, 2 },  /* 8 thin slots, 2 x 4 */
	{ "insecure-n2048-t257-e2-d4", 11, 257, 1, 2, 4, 2 },
};
#define NCASES (sizeof(CASES) / sizeof(CASES[0]))

static uint64_t
ipow(uint64_t p, unsigned k)
{
	uint64_t x = 1;
	while (k--)
		x *= p;
	return x;
}

/* the case's literal with boot_exp = e (0: none), over its depth or an explicit chain */
static lathe_status
make_ctx(const pm_case *c, unsigned e, const unsigned *chain, size_t nchain, lathe_ctx **out)
{
	lathe_params *p = NULL;
	cr_assert(lathe_params_new(&p) == LATHE_OK && lathe_params_set_ring(p, c->logn) == LATHE_OK &&
	          lathe_params_set_plain_modulus(p, c->p, c->r) == LATHE_OK &&
	          (chain ? lathe_params_set_chain(p, chain, nchain) : lathe_params_set_depth(p, c->depth)) == LATHE_OK &&
	          lathe_params_set_keyswitch(p, c->dnum, NULL, 0) == LATHE_OK &&
	          lathe_params_set_security(p, LATHE_SECURITY_NONE) == LATHE_OK, "%s: %s", c->name, lathe_last_error());
	p->boot_exp = e;
	lathe_status s = lathe_ctx_new(p, out);
	lathe_params_free(p);
	return s;
}

/* the context of c with boot_exp e, asserted built */
static lathe_ctx *
ctx_ok(const pm_case *c, unsigned e, const unsigned *chain)
{
	lathe_ctx *ctx = NULL;
	lathe_status s = make_ctx(c, e, chain, chain ? 4 : 0, &ctx);
	cr_assert_eq(s, LATHE_OK, "%s, boot_exp %u: %s (%s)", c->name, e, lathe_strerror(s), lathe_last_error());
	return ctx;
}

/* a fixture over a bootstrappable context: keys for rotations 1, -2 and the row swap; a bundle for X -> X^3 */
typedef struct pmfix {
	bgv_fix f;
	const pm_case *c;
	uint64_t tr, te, k, g5;      /* p^r, p^e, p^(e-r); the element of rotation 1 */
	lathe_evalkeys *ek3;
	lathe_eval *ev3;
} pmfix;

static void
pmfix_init(pmfix *x, const pm_case *c, uint32_t stream)
{
	static const int steps[] = { 1, -2, 0 };
	lathe_ctx *ctx = ctx_ok(c, c->e, NULL);
	x->c = c;
	bgv_fix_init_ctx(&x->f, ctx, c->name, BGV_KEYS_STEPS, steps, 3, 1200 + 8 * stream + (uint32_t)(c - CASES));
	x->tr = ipow(c->p, c->r);
	x->te = ipow(c->p, c->e);
	x->k = ipow(c->p, c->e - c->r);
	cr_assert_eq(x->f.t, x->tr, "[%s]", x->f.desc);
	BGV_OK(&x->f, lathe_galois_elt_rotation(ctx, 1, &x->g5));
	BGV_OK(&x->f, lathe_evalkeys_new_galois(ctx, x->f.sk, (const uint64_t[]){ 3 }, 1, LATHE_EVALKEYS_GALOIS, &x->ek3));
	BGV_OK(&x->f, lathe_eval_new(ctx, x->ek3, &x->ev3));
}

static void
pmfix_clear(pmfix *x)
{
	lathe_eval_free(x->ev3);
	lathe_evalkeys_free(x->ek3);
	bgv_fix_clear(&x->f);
}

/* runs fn on a fixture of every case */
static void
each_case(void (*fn)(pmfix *), uint32_t stream)
{
	for (size_t ci = 0; ci < NCASES; ci++) {
		pmfix x;
		pmfix_init(&x, &CASES[ci], stream);
		fn(&x);
		pmfix_clear(&x);
	}
}

static void
release(lathe_ct *const *cts, size_t nc, lathe_pt *const *pts, size_t np, uint64_t *const *vs, size_t nv)
{
	for (size_t i = 0; i < nc; i++)
		lathe_ct_free(cts[i]);
	for (size_t i = 0; i < np; i++)
		lathe_pt_free(pts[i]);
	for (size_t i = 0; i < nv; i++)
		free(vs[i]);
}

/* ---- plaintext model mod T (T < 2^24: sums of N products fit a word) ---- */

static void
negacyclic(uint64_t *o, const uint64_t *a, const uint64_t *b, size_t n, uint64_t T)
{
	cr_assert_lt(T, UINT64_C(1) << 24);
	uint64_t *acc = calloc(2 * n, 8);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			acc[i + j] += (a[i] % T) * (b[j] % T);
	for (size_t i = 0; i < n; i++)
		o[i] = (acc[i] % T + T - acc[i + n] % T) % T;
	free(acc);
}

/* o(X) = a(X^g) mod (X^N + 1, T), g odd; o may alias a */
static void
automorph(uint64_t *o, const uint64_t *a, uint64_t g, size_t n, uint64_t T)
{
	uint64_t *x = calloc(n, 8);
	for (size_t i = 0; i < n; i++) {
		const uint64_t e = ((uint64_t)i * g) % (2 * n), v = a[i] % T; /* X^i -> X^e = -X^(e - N) */
		x[e % n] = (x[e % n] + (e < n ? v : T - v)) % T;
	}
	memcpy(o, x, n * 8);
	free(x);
}

/* o = c a mod T */
static void
scaled(uint64_t *o, const uint64_t *a, uint64_t c, size_t n, uint64_t T)
{
	for (size_t i = 0; i < n; i++)
		o[i] = ((a[i] % T) * (c % T)) % T;
}

/* pt = the coefficients v (in [0, pm's t)) under pm: the encoder for pm 0, the field itself for pm 1 */
static void
set_pt(pmfix *x, lathe_pt *pt, const uint64_t *v, unsigned pm)
{
	const size_t n = x->f.n;
	if (pm == LT_PM_USER) {
		int64_t *s = malloc(n * 8);
		for (size_t i = 0; i < n; i++)
			s[i] = v[i] > x->tr / 2 ? (int64_t)v[i] - (int64_t)x->tr : (int64_t)v[i];
		BGV_OK(&x->f, lathe_encode_coeffs(pt, s, n));
		free(s);
	} else {
		pt->pm = pm;
		memcpy(pt->m, v, n * 8);
		memset(pt->keyid, 0, sizeof(pt->keyid));
	}
}

static void
enc(pmfix *x, lathe_ct *ct, const uint64_t *v, unsigned pm, int with_pk)
{
	lathe_pt *pt = bgv_pt(&x->f);
	set_pt(x, pt, v, pm);
	if (with_pk)
		BGV_OK(&x->f, lathe_encrypt(x->f.pk, ct, pt));
	else
		BGV_OK(&x->f, lathe_encrypt_sk(x->f.sk, ct, pt));
	cr_assert_eq(ct->pm, pm, "encryption under pm %u gave pm %u [%s]", pm, ct->pm, x->f.desc);
	lathe_pt_free(pt);
}

static uint64_t *
rand_mod(pmfix *x, uint64_t T)
{
	uint64_t *v = bgv_vec(&x->f);
	test_rand_vec(&x->f.g, v, x->f.n, T);
	return v;
}

/* ct must be under pm; bgv_util's coefficient check (it reads the modulus from f.t) mod pm's t; the estimate a bound */
static void
check_(pmfix *x, const lathe_ct *ct, unsigned pm, const uint64_t *ref, const char *what, int line)
{
	cr_assert_eq(ct->pm, pm, "line %d: %s: ciphertext under pm %u, want %u [%s]", line, what, ct->pm, pm, x->f.desc);
	x->f.t = x->f.ctx->pm[pm].t;
	bgv_check_coeffs_(&x->f, ct, ref, what, __FILE__, line);
	x->f.t = x->tr;
	bgv_check_estimate_(&x->f, ct, what, __FILE__, line);
}
#define check(x, ct, pm, ref, what) check_(x, ct, pm, ref, what, __LINE__)

/* ---- 1. the context's set of moduli ---- */

#define SAME_HASH(i, j) (memcmp(in[i].param_hash, in[j].param_hash, 32) == 0)

Test(plainmod, context_holds_the_set_and_hashes_it)
{
	static const unsigned chain[] = { 40, 36, 36, 36 };
	for (size_t ci = 0; ci < NCASES; ci++) {
		const pm_case *c = &CASES[ci];
		/* by depth: with e, without, with e again; over one explicit chain: with e, without, with e + 1 */
		lathe_ctx *v[6] = { ctx_ok(c, c->e, NULL), ctx_ok(c, 0, NULL),  ctx_ok(c, c->e, NULL),
			            ctx_ok(c, c->e, chain), ctx_ok(c, 0, chain), ctx_ok(c, c->e + 1, chain) };
		lathe_context_info in[6];
		for (size_t i = 0; i < 6; i++)
			cr_assert_eq(lathe_ctx_info(v[i], &in[i]), LATHE_OK);
		const lathe_ctx *b = v[0];
		cr_assert(b->npm == 2 && v[1]->npm == 1 && v[4]->npm == 1, "%s: npm %u, %u without boot_exp", c->name,
		          b->npm, v[1]->npm);
		cr_assert(b->pm[LT_PM_USER].t == ipow(c->p, c->r) && b->pm[LT_PM_USER].r == c->r &&
		          lathe_ctx_plain_modulus(b) == ipow(c->p, c->r) && lathe_ctx_slots(b) == lathe_ctx_slots(v[1]),
		          "%s: the user modulus", c->name);
		cr_assert(b->pm[1].t == ipow(c->p, c->e) && b->pm[1].p == c->p && b->pm[1].r == c->e &&
		          v[5]->pm[1].t == ipow(c->p, c->e + 1), "%s: pm[1].t %llu", c->name, (unsigned long long)b->pm[1].t);
		cr_assert_eq(lt_key_pm(b), &b->pm[1], "%s: the keys' modulus is not p^e", c->name);
		cr_assert(!SAME_HASH(0, 1), "%s: boot_exp does not change the hash", c->name);
		cr_assert(SAME_HASH(0, 2), "%s: the same literal gave two hashes", c->name);
		/* the same primes, told apart by the hash alone */
		cr_assert(memcmp(in[3].chain, in[4].chain, sizeof(in[3].chain)) == 0 &&
		          memcmp(in[3].chain, in[5].chain, sizeof(in[3].chain)) == 0 &&
		          memcmp(in[3].special, in[4].special, sizeof(in[3].special)) == 0 && in[3].chain_primes == 4,
		          "%s: the explicit chain gave other primes", c->name);
		cr_assert(!SAME_HASH(3, 4) && !SAME_HASH(3, 5) && !SAME_HASH(4, 5), "%s: equal hashes", c->name);
		for (size_t i = 0; i < 6; i++)
			lathe_ctx_free(v[i]);
	}
}

Test(plainmod, invalid_boot_exp_is_refused)
{
	const pm_case c17 = { "t17^2", 10, 17, 2, 0, 2, 2 }, c257 = { "t257", 10, 257, 1, 0, 2, 2 };
	/* e <= r; p^e >= 2^60 (257^8 = 2^64.04, 17^15 = 2^61.3) */
	const struct { const pm_case *c; unsigned e; } bad[] = { { &c17, 1 }, { &c17, 2 }, { &c257, 1 }, { &c257, 8 },
		                                                 { &c257, 20 }, { &c17, 15 }, { &c17, 100 } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lathe_ctx *ctx = (lathe_ctx *)&ctx;
		lathe_status s = make_ctx(bad[i].c, bad[i].e, NULL, 0, &ctx);
		cr_assert_eq(s, LATHE_EPARAM, "%s with boot_exp %u -> %s (%s)", bad[i].c->name, bad[i].e, lathe_strerror(s),
		             lathe_last_error());
		cr_assert(strstr(lathe_last_error(), "bootstrapping"), "%s with boot_exp %u refused for another reason: %s",
		          bad[i].c->name, bad[i].e, lathe_last_error());
		cr_assert_null(ctx);
	}
	/* the largest exponents below the bounds are taken: 257^7 = 2^56.04, 17^14 = 2^57.2 */
	lathe_ctx_free(ctx_ok(&c257, 7, NULL));
	lathe_ctx_free(ctx_ok(&c17, 14, NULL));
}

/* ---- 2. the user modulus p^r with keys made under p^e ---- */

/* b + a s modulo ring prime `limb` (words in NTT form) is p^e e with |e| <= 21, e != 0 */
static void
check_key_error(pmfix *x, const uint64_t *b, const uint64_t *a, unsigned limb, const char *what)
{
	const lathe_ctx *c = x->f.ctx;
	const lt_modulus *m = c->ring.modp[limb];
	uint64_t *r = malloc(c->n * 8);
	lt_vec_mul(r, a, x->f.sk->s_ntt + (size_t)limb * c->n, c->n, m);
	lt_vec_add(r, r, b, c->n, m->q);
	lt_ntt_inv(r, &m->ntt);
	int nonzero = 0;
	for (size_t z = 0; z < c->n; z++) {
		int64_t e = r[z] > m->q / 2 ? (int64_t)r[z] - (int64_t)m->q : (int64_t)r[z];
		cr_assert(e % (int64_t)x->te == 0 && llabs(e / (int64_t)x->te) <= 21,
		          "%s: coefficient %zu of b + a s is %lld, not p^e e [%s]", what, z, (long long)e, x->f.desc);
		nonzero |= e != 0;
	}
	cr_assert(nonzero, "%s: b + a s = 0 [%s]", what, x->f.desc);
	free(r);
}

static void
run_keys(pmfix *x)
{
	const lathe_ctx *c = x->f.ctx;
	check_key_error(x, x->f.pk->b, x->f.pk->a, 0, "public key, q_0");
	/* key-switching keys modulo a special prime: b_j + a_j s = t e_j for every digit (P = 0 there) */
	const size_t nb = c->nq + c->np;
	for (unsigned j = 0; j < c->dnum; j++) {
		const size_t off = ((size_t)j * nb + c->nq) * c->n;
		check_key_error(x, x->f.ek->relin.b + off, x->f.ek->relin.a + off, c->nq, "relinearization key");
		check_key_error(x, x->ek3->gal[0].k.b + off, x->ek3->gal[0].k.a + off, c->nq, "Galois key of 3");
	}
}

static void
run_user(pmfix *x)
{
	bgv_fix *f = &x->f;
	const size_t ns = f->slots, n = f->n;
	cr_assert_gt(ns, 0, "[%s]", f->desc);
	run_keys(x);
	uint64_t *v = bgv_vec(f), *w = bgv_vec(f), *r = bgv_vec(f), *r2 = bgv_vec(f);
	lathe_ct *a = bgv_ct(f), *b = bgv_ct(f), *c = bgv_ct(f), *d = bgv_ct(f);
	/* batch encoding (thin slots) */
	bgv_rand(f, v);
	bgv_rand(f, w);
	bgv_encrypt_vec(f, a, v, 1);
	bgv_encrypt_vec(f, b, w, 0);
	bgv_check(f, a, v, "pk encryption");
	bgv_check(f, b, w, "sk encryption");
	BGV_OK(f, lathe_ct_add(f->ev, c, a, b));
	pm_add(r, v, w, ns, f->t);
	bgv_check(f, c, r, "add");
	BGV_OK(f, lathe_ct_mul_raw(f->ev, d, a, b));
	bgv_check_estimate(f, d, "mul_raw");
	BGV_OK(f, lathe_ct_relin(f->ev, d, d));
	pm_mul(r, v, w, ns, f->t);
	bgv_check(f, d, r, "mul_raw + relin");
	bgv_check_estimate(f, d, "mul_raw + relin");
	const int steps[] = { 1, -2, 3 };
	for (size_t i = 0; i < 3; i++) {
		BGV_OK(f, lathe_ct_rotate(f->ev, c, d, steps[i]));
		pm_rotate(r2, r, steps[i], ns);
		bgv_check(f, c, r2, "rotate the product");
		bgv_check_estimate(f, c, "rotate the product");
	}
	BGV_OK(f, lathe_ct_swap_rows(f->ev, c, d));
	pm_swap_rows(r2, r, ns);
	bgv_check(f, c, r2, "swap rows");
	BGV_OK(f, lathe_ct_mod_switch(f->ev, c, c));
	bgv_check(f, c, r2, "mod switch");
	bgv_check_estimate(f, c, "mod switch");
	/* coefficient encoding: a product, X -> X^3, switching to the bottom */
	test_rand_vec(&f->g, v, n, x->tr);
	test_rand_vec(&f->g, w, n, x->tr);
	enc(x, a, v, 0, 1);
	enc(x, b, w, 0, 0);
	BGV_OK(f, lathe_ct_mul(f->ev, c, a, b));
	negacyclic(r, v, w, n, x->tr);
	check(x, c, 0, r, "coefficients, product");
	BGV_OK(f, lathe_ct_automorph(x->ev3, d, c, 3));
	automorph(r2, r, 3, n, x->tr);
	check(x, d, 0, r2, "coefficients, X -> X^3 of the product");
	BGV_OK(f, lathe_ct_mod_switch_to(f->ev, d, d, 0));
	check(x, d, 0, r2, "coefficients, switched to level 0");
	release((lathe_ct *[]){ a, b, c, d }, 4, NULL, 0, (uint64_t *[]){ v, w, r, r2 }, 4);
}

Test(plainmod, user_modulus_works_with_keys_under_p_to_the_e)
{
	each_case(run_user, 20);
}

/* ---- 3. computing under p^e ---- */

static void
run_big(pmfix *x)
{
	bgv_fix *f = &x->f;
	const size_t n = f->n;
	const uint64_t T = x->te;
	uint64_t *v = rand_mod(x, T), *w = rand_mod(x, T), *u = rand_mod(x, T), *v0 = rand_mod(x, x->tr);
	uint64_t *r = bgv_vec(f), *r2 = bgv_vec(f);
	lathe_ct *a = bgv_ct(f), *b = bgv_ct(f), *c = bgv_ct(f), *d = bgv_ct(f), *a0 = bgv_ct(f);
	lathe_pt *pu = bgv_pt(f), *p0 = bgv_pt(f);
	enc(x, a, v, 1, 1);
	enc(x, b, w, 1, 0);
	check(x, a, 1, v, "pk encryption under p^e");
	check(x, b, 1, w, "sk encryption under p^e");
	BGV_OK(f, lathe_ct_add(f->ev, c, a, b));
	pm_add(r, v, w, n, T);
	check(x, c, 1, r, "add");
	BGV_OK(f, lathe_ct_mul_raw(f->ev, d, a, b));
	negacyclic(r, v, w, n, T);
	check(x, d, 1, r, "mul_raw (3 components)");
	BGV_OK(f, lathe_ct_relin(f->ev, d, d));
	check(x, d, 1, r, "relin");
	BGV_OK(f, lathe_ct_mul(f->ev, c, a, b));
	check(x, c, 1, r, "mul");
	set_pt(x, pu, u, 1);
	BGV_OK(f, lathe_ct_mul_plain(f->ev, c, a, pu));
	negacyclic(r2, v, u, n, T);
	check(x, c, 1, r2, "mul_plain");
	BGV_OK(f, lathe_ct_automorph(f->ev, c, a, x->g5));
	automorph(r2, v, x->g5, n, T);
	check(x, c, 1, r2, "X -> X^5 (rotation key)");
	BGV_OK(f, lathe_ct_automorph(x->ev3, c, d, 3));
	automorph(r2, r, 3, n, T);
	check(x, c, 1, r2, "X -> X^3 of the product (Galois-element key)");
	/* q_0 is sized for p^r (ms + 6 bits): level 1 is the lowest that holds a product mod p^e */
	BGV_OK(f, lathe_ct_mod_switch_to(f->ev, d, d, 1));
	check(x, d, 1, r, "product switched to level 1");
	/* the moduli do not mix; out and the operands are unchanged after each refusal */
	enc(x, a0, v0, 0, 1);
	set_pt(x, p0, v0, 0);
	BGV_OK(f, lathe_ct_copy(c, b));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_add(f->ev, c, a0, a));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_add(f->ev, c, a, a0));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_mul(f->ev, c, a, a0));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_mul_raw(f->ev, c, a0, a));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_mul_plain(f->ev, c, a, p0));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_mul_plain(f->ev, c, a0, pu));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_add_plain(f->ev, c, a0, pu));
	BGV_FAILS(f, LATHE_EMISMATCH, lathe_ct_sub_plain(f->ev, c, a, p0));
	check(x, c, 1, w, "out after the refusals");
	check(x, a, 1, v, "the pm-1 operand after the refusals");
	check(x, a0, 0, v0, "the pm-0 operand after the refusals");
	release((lathe_ct *[]){ a, b, c, d, a0 }, 5, (lathe_pt *[]){ pu, p0 }, 2, (uint64_t *[]){ v, w, u, v0, r, r2 }, 6);
}

Test(plainmod, arithmetic_under_p_to_the_e)
{
	each_case(run_big, 30);
}

/* ---- 4, 5. lifting to p^e and dividing back ---- */

/*
 * Moves y to modulus `to` in place (a lift to 1, a division to 0): level and
 * size kept, the factor reduced; the estimate moves by (e-r) log2 p exactly,
 * and so does the measured noise.
 */
static void
move(pmfix *x, lathe_ct *y, unsigned to)
{
	const double d = (double)(x->c->e - x->c->r) * log2((double)x->c->p), before = y->noise;
	const unsigned l = y->level, size = y->size;
	int b0 = bgv_budget(&x->f, y), b1 = 0;
	BGV_OK(&x->f, to ? lt_ct_lift_plainmod(y, to) : lt_ct_divide_plainmod(y, to));
	cr_assert(y->pm == to && y->level == l && y->size == size && y->fac < x->f.ctx->pm[to].t &&
	                  fabs(y->noise - before - (to ? d : -d)) < 1e-9,
	          "to pm %u: pm %u level %u size %u fac %llu, estimate %.3f -> %.3f [%s]", to, y->pm, y->level, y->size,
	          (unsigned long long)y->fac, before, y->noise, x->f.desc);
	BGV_OK(&x->f, lathe_noise_budget(x->f.sk, y, &b1));
	/* budgets are floors, and stop at 0 */
	const int hi = to ? b0 : b1, lo = to ? b1 : b0;
	cr_assert(hi - lo <= (int)ceil(d) && (lo == 0 || hi - lo >= (int)floor(d)),
	          "to pm %u at level %u: measured budget %d -> %d, not %.2f bits apart [%s]", to, l, b0, b1, d, x->f.desc);
}

static void
run_levels(pmfix *x)
{
	bgv_fix *f = &x->f;
	const size_t n = f->n;
	uint64_t *m = rand_mod(x, x->tr), *r = bgv_vec(f), *sq = bgv_vec(f);
	lathe_ct *a = bgv_ct(f), *y = bgv_ct(f);
	BGV_OK(f, lathe_eval_set_auto_modswitch(f->ev, 0));
	char what[96];
	scaled(r, m, x->k, n, x->te);
	for (unsigned l = f->max_level + 1; l-- > 0;) {
		enc(x, a, m, 0, (int)(l & 1));
		BGV_OK(f, lathe_ct_mod_switch_to(f->ev, y, a, l));
		move(x, y, 1);
		snprintf(what, sizeof(what), "lifted (then divided) at level %u", l);
		if (y->noise < lt_ctx_logq_half(f->ctx, l)) {
			check(x, y, 1, r, what);
		} else {
			/* q_0 is sized for p^r: p^(e-r) m may not fit there, and then decryption refuses it */
			cr_assert_eq(l, 0, "no room for p^(e-r) m at level %u [%s]", l, f->desc);
			lathe_pt *pt = bgv_pt(f);
			BGV_FAILS(f, LATHE_ENOISE, lathe_decrypt(f->sk, pt, y));
			lathe_pt_free(pt);
		}
		move(x, y, 0);
		check(x, y, 0, m, what);
	}
	/* three components (an unrelinearized square) */
	enc(x, a, m, 0, 1);
	BGV_OK(f, lathe_ct_mul_raw(f->ev, y, a, a));
	negacyclic(sq, m, m, n, x->tr);
	move(x, y, 1);
	scaled(r, sq, x->k, n, x->te);
	check(x, y, 1, r, "lifted square, 3 components");
	move(x, y, 0);
	check(x, y, 0, sq, "lifted square divided");
	release((lathe_ct *[]){ a, y }, 2, NULL, 0, (uint64_t *[]){ m, r, sq }, 3);
}

Test(plainmod, lift_and_divide_at_every_level)
{
	each_case(run_levels, 40);
}

static void
run_divide(pmfix *x)
{
	bgv_fix *f = &x->f;
	const size_t n = f->n;
	const uint64_t tr = x->tr;
	uint64_t *m1 = rand_mod(x, tr), *m2 = rand_mod(x, tr), *w = rand_mod(x, x->te), *r = bgv_vec(f), *r2 = bgv_vec(f);
	lathe_ct *a = bgv_ct(f), *b = bgv_ct(f), *c = bgv_ct(f), *fresh = bgv_ct(f), *z = NULL;
	lathe_pt *pw = bgv_pt(f);
	enc(x, a, m1, 0, 1);
	enc(x, b, m2, 0, 0);
	move(x, a, 1);
	move(x, b, 1);
	BGV_OK(f, lathe_ct_add(f->ev, c, a, b));
	move(x, c, 0);
	pm_add(r, m1, m2, n, tr);
	check(x, c, 0, r, "lift(a) + lift(b), divided");
	/* times a fresh ciphertext under p^e: p^(e-r) m1 w, divided: m1 w mod p^r */
	enc(x, fresh, w, 1, 1);
	BGV_OK(f, lathe_ct_mul(f->ev, c, a, fresh));
	negacyclic(r, m1, w, n, tr);
	negacyclic(r2, m1, w, n, x->te);
	scaled(r2, r2, x->k, n, x->te);
	check(x, c, 1, r2, "lift(a) * fresh under p^e");
	move(x, c, 0);
	check(x, c, 0, r, "lift(a) * fresh, divided");
	/* the result is an ordinary ciphertext under p^r */
	BGV_OK(f, lathe_ct_copy(b, c));
	enc(x, fresh, m2, 0, 1);
	BGV_OK(f, lathe_ct_mul(f->ev, c, c, fresh));
	negacyclic(r2, r, m2, n, tr);
	check(x, c, 0, r2, "then times a fresh ciphertext under p^r");
	/* times a plaintext under p^e; X -> X^3 */
	set_pt(x, pw, w, 1);
	BGV_OK(f, lathe_ct_mul_plain(f->ev, c, a, pw));
	move(x, c, 0);
	check(x, c, 0, r, "lift(a) * plaintext under p^e, divided");
	BGV_OK(f, lathe_ct_automorph(x->ev3, c, a, 3));
	move(x, c, 0);
	automorph(r2, m1, 3, n, tr);
	check(x, c, 0, r2, "X -> X^3 of lift(a), divided");
	/* refusals: the wrong direction, an index outside the set; the ciphertext unchanged */
	static const unsigned tos[] = { 0, 1, 2, 1000 };
	for (size_t i = 0; i < 4; i++) {
		const unsigned to = tos[i];
		if (to != 1)
			BGV_FAILS(f, LATHE_EINVAL, lt_ct_lift_plainmod(b, to));
		BGV_FAILS(f, LATHE_EINVAL, lt_ct_divide_plainmod(b, to));
		BGV_FAILS(f, LATHE_EINVAL, lt_ct_lift_plainmod(a, to));
		if (to != 0)
			BGV_FAILS(f, LATHE_EINVAL, lt_ct_divide_plainmod(a, to));
	}
	check(x, b, 0, r, "pm-0 ciphertext after the refusals");
	scaled(r2, m1, x->k, n, x->te);
	check(x, a, 1, r2, "pm-1 ciphertext after the refusals");
	/* a context without boot_exp has no modulus 1 */
	lathe_ctx *uc = ctx_ok(x->c, 0, NULL);
	BGV_OK(f, lathe_ct_new(uc, &z));
	BGV_FAILS(f, LATHE_EINVAL, lt_ct_lift_plainmod(z, 1));
	BGV_FAILS(f, LATHE_EINVAL, lt_ct_divide_plainmod(z, 0));
	release((lathe_ct *[]){ a, b, c, fresh, z }, 5, (lathe_pt *[]){ pw }, 1, (uint64_t *[]){ m1, m2, w, r, r2 }, 5);
	lathe_ctx_free(uc);
}

Test(plainmod, divide_after_operations_under_p_to_the_e)
{
	each_case(run_divide, 50);
}

/* ---- 6. io stores objects under pm 0 only ---- */

Test(plainmod, io_refuses_pm1_objects_and_keeps_pm0)
{
	pmfix x;
	pmfix_init(&x, &CASES[0], 60);
	bgv_fix *f = &x.f;
	uint64_t *m = rand_mod(&x, x.tr), *w = rand_mod(&x, x.te);
	lathe_ct *a = bgv_ct(f), *e1 = bgv_ct(f), *back = NULL;
	lathe_pt *p1 = bgv_pt(f), *p0 = bgv_pt(f), *pback = NULL;
	enc(&x, a, m, 0, 0);
	enc(&x, e1, w, 1, 1);
	set_pt(&x, p1, w, 1);
	set_pt(&x, p0, m, 0);
	uint8_t *buf = NULL;
	size_t len = 12345;
	BGV_FAILS(f, LATHE_EINVAL, lathe_ct_to_buffer(e1, &buf, &len));
	BGV_FAILS(f, LATHE_EINVAL, lathe_pt_to_buffer(p1, &buf, &len));
	BGV_FAILS(f, LATHE_EINVAL, lathe_ct_batch_to_buffer((const lathe_ct *const[]){ a, e1 }, 2, &buf, &len));
	/* a bootstrappable context is saved with its p^e (format version 4) and comes back the same */
	lathe_ctx *cback = NULL;
	BGV_OK(f, lathe_ctx_to_buffer(f->ctx, &buf, &len));
	BGV_OK(f, lathe_ctx_from_buffer(buf, len, &cback));
	lathe_buffer_free(buf);
	buf = NULL;
	len = 12345;
	cr_assert(cback->npm == f->ctx->npm && cback->pm[cback->npm - 1].t == f->ctx->pm[f->ctx->npm - 1].t &&
	          memcmp(cback->hash, f->ctx->hash, sizeof(cback->hash)) == 0, "bootstrappable context round trip [%s]",
	          f->desc);
	lathe_ctx_free(cback);
	/* a lifted ciphertext is refused, the same divided back is stored */
	BGV_OK(f, lt_ct_lift_plainmod(a, 1));
	BGV_FAILS(f, LATHE_EINVAL, lathe_ct_to_buffer(a, &buf, &len));
	BGV_OK(f, lt_ct_divide_plainmod(a, 0));
	BGV_OK(f, lathe_ct_to_buffer(a, &buf, &len));
	BGV_OK(f, lathe_ct_from_buffer(f->ctx, buf, len, &back));
	lathe_buffer_free(buf);
	check(&x, back, 0, m, "pm-0 ciphertext saved and loaded");
	BGV_OK(f, lathe_pt_to_buffer(p0, &buf, &len));
	BGV_OK(f, lathe_pt_from_buffer(f->ctx, buf, len, &pback));
	lathe_buffer_free_secret(buf, len);
	cr_assert(pback->pm == 0 && memcmp(pback->m, p0->m, f->n * 8) == 0, "pm-0 plaintext round trip [%s]", f->desc);
	release((lathe_ct *[]){ a, e1, back }, 3, (lathe_pt *[]){ p0, p1, pback }, 3, (uint64_t *[]){ m, w }, 2);
	pmfix_clear(&x);
}
