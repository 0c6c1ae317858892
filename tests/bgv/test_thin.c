/*
 * Thin slots end to end over the public API. For t = p^r, p an odd prime
 * and d = ord(p mod 2N), a context has N / d slots of Z_t, arranged as
 * 2 x l/2 for p = 1 mod 4 and as one cyclic row of l for p = 3 mod 4.
 * Checked here against a plaintext model mod t: the slot structure
 * against the order of p computed by the test; encoding and encryption
 * round trips; slot-wise arithmetic and a product chain; rotations by
 * steps of both signs and beyond the row length, the row swap (refused
 * for the single cyclic row), and, for the cyclic row, the automorphism
 * X -> X^-1 as the rotation it is on thin plaintexts; hoisted rotations
 * and rotation sets; and t = 2^r, which has no slots.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "bgv/bgv_util.h"

typedef struct thin_case {
	bgv_pset ps;
	size_t d; /* ord(p mod 2N), worked out by hand; the test also computes it */
} thin_case;

static const thin_case CASES[] = {
	{ { "insecure-n1024-t257-d2-k2", 10, 257, 1, 2, 2, NULL, 0, NULL, 0 }, 8 },        /* 2 x 64 */
	{ { "insecure-n1024-t257^2-d2-k2", 10, 257, 2, 2, 2, NULL, 0, NULL, 0 }, 8 },      /* 2 x 64 mod 66049 */
	{ { "insecure-n1024-t17-d3-k2", 10, 17, 1, 3, 2, NULL, 0, NULL, 0 }, 128 },        /* 2 x 4 */
	{ { "insecure-n1024-t127-d2-k2-cyclic", 10, 127, 1, 2, 2, NULL, 0, NULL, 0 }, 16 }, /* 1 x 64 */
	{ { "insecure-n1024-t12289-d2-k1-full", 10, 12289, 1, 2, 1, NULL, 0, NULL, 0 }, 1 }, /* 2 x 512 */
	{ { "insecure-n4096-t12289-d3-k2", 12, 12289, 1, 3, 2, NULL, 0, NULL, 0 }, 2 },     /* 2 x 1024 */
};
#define NCASES (sizeof(CASES) / sizeof(CASES[0]))

static const bgv_pset NO_SLOTS = { "insecure-n2048-t2^16-d2-k2", 11, 2, 16, 2, 2, NULL, 0, NULL, 0 };

/* the slot layout the test expects: computed from p and N alone */
typedef struct lay {
	size_t d, slots, rows, cols;
} lay;

/* the multiplicative order of p modulo 2N (p odd) */
static size_t
ord_mod_2n(uint64_t p, size_t n)
{
	const uint64_t m = 2 * (uint64_t)n, x0 = p % m;
	size_t d = 1;
	for (uint64_t x = x0; x != 1; x = (x * x0) % m)
		d++;
	return d;
}

static lay
layout_of(uint64_t p, unsigned logn)
{
	const size_t n = (size_t)1 << logn;
	lay L;
	L.d = ord_mod_2n(p, n);
	L.slots = n / L.d;
	L.rows = p % 4 == 1 ? 2 : 1;
	L.cols = L.slots / L.rows;
	return L;
}

/* a fixture for case c, its layout checked against the context */
static lay
thin_init(bgv_fix *f, const thin_case *c, bgv_keys keys, const int *steps, size_t ns, uint32_t stream)
{
	bgv_fix_init(f, &c->ps, keys, steps, ns, stream);
	lay L = layout_of(c->ps.prime, c->ps.logn);
	cr_assert_eq(f->slots, L.slots, "lathe_ctx_slots = %zu, want N/d = %zu [%s]", f->slots, L.slots, f->desc);
	return L;
}

/* slot (row, col) of o receives slot (row, col + k mod cols) of a; o may alias a */
static void
model_rotate(uint64_t *o, const uint64_t *a, long k, const lay *L)
{
	const long c = (long)L->cols;
	const size_t kk = (size_t)(((k % c) + c) % c);
	uint64_t *tmp = malloc(L->slots * sizeof(uint64_t));
	cr_assert_not_null(tmp);
	for (size_t r = 0; r < L->rows; r++)
		for (size_t j = 0; j < L->cols; j++)
			tmp[r * L->cols + j] = a[r * L->cols + (j + kk) % L->cols];
	memcpy(o, tmp, L->slots * sizeof(uint64_t));
	free(tmp);
}

static lathe_pt *
encode(bgv_fix *f, const uint64_t *v)
{
	lathe_pt *pt = bgv_pt(f);
	BGV_OK(f, lathe_encode_u64(pt, v, f->slots));
	return pt;
}

static lathe_prepared_pt *
prepare(bgv_fix *f, const uint64_t *v, unsigned level)
{
	lathe_pt *pt = encode(f, v);
	lathe_prepared_pt *p = NULL;
	BGV_OK(f, lathe_prepared_pt_new(pt, level, &p));
	lathe_pt_free(pt);
	return p;
}

Test(thin, slot_structure_is_the_order_of_p)
{
	for (size_t ci = 0; ci <= NCASES; ci++) {
		const bgv_pset *ps = ci < NCASES ? &CASES[ci].ps : &NO_SLOTS;
		lathe_ctx *ctx = NULL;
		lathe_status s = bgv_ctx_build(ps, LATHE_SECURITY_NONE, &ctx);
		cr_assert_eq(s, LATHE_OK, "%s: context -> %s (%s)", ps->name, lathe_strerror(s), lathe_last_error());
		lathe_context_info info;
		cr_assert_eq(lathe_ctx_info(ctx, &info), LATHE_OK, "%s: lathe_ctx_info", ps->name);
		const size_t n = (size_t)1 << ps->logn;
		uint64_t t = 1;
		for (unsigned i = 0; i < ps->r; i++)
			t *= ps->prime;
		cr_assert(info.n == n && info.t == t && info.t_prime == ps->prime && info.t_exp == ps->r,
		          "%s: info N=%zu t=%llu=%llu^%u", ps->name, info.n, (unsigned long long)info.t,
		          (unsigned long long)info.t_prime, info.t_exp);
		cr_assert_eq(info.slots, lathe_ctx_slots(ctx), "%s: info.slots %zu, lathe_ctx_slots %zu", ps->name,
		             info.slots, lathe_ctx_slots(ctx));
		if (ps->prime == 2) {
			cr_assert(lathe_ctx_slots(ctx) == 0 && info.slot_degree == 0 && info.batching == 0,
			          "%s: slots %zu, d %zu, batching %d: want none", ps->name, lathe_ctx_slots(ctx),
			          info.slot_degree, info.batching);
			cr_assert_eq(info.slot_rows * info.slot_cols, 0, "%s: %zu x %zu slots without slots", ps->name,
			             info.slot_rows, info.slot_cols);
			lathe_ctx_free(ctx);
			continue;
		}
		const lay L = layout_of(ps->prime, ps->logn);
		cr_assert_eq(L.d, CASES[ci].d, "%s: the test's order %zu differs from the hand-worked %zu", ps->name, L.d,
		             CASES[ci].d);
		cr_assert_eq(lathe_ctx_slots(ctx), L.slots, "%s: slots %zu, want N/d = %zu", ps->name,
		             lathe_ctx_slots(ctx), L.slots);
		cr_assert_eq(info.slot_degree, L.d, "%s: slot_degree %zu, want ord(p mod 2N) = %zu", ps->name,
		             info.slot_degree, L.d);
		cr_assert(info.slot_rows == L.rows && info.slot_cols == L.cols, "%s: %zu x %zu, want %zu x %zu", ps->name,
		          info.slot_rows, info.slot_cols, L.rows, L.cols);
		cr_assert(info.slot_degree * info.slots == n && info.slot_rows * info.slot_cols == info.slots,
		          "%s: d %zu * slots %zu != N or rows * cols != slots", ps->name, info.slot_degree, info.slots);
		cr_assert_eq(info.batching, 1, "%s: batching %d with slots", ps->name, info.batching);
		lathe_ctx_free(ctx);
	}
}

Test(thin, encode_encrypt_decrypt_decode_round_trips)
{
	for (size_t ci = 0; ci < NCASES; ci++) {
		bgv_fix f;
		const lay L = thin_init(&f, &CASES[ci], BGV_KEYS_NONE, NULL, 0, 3000 + (uint32_t)ci);
		const size_t n = L.slots;
		const int64_t h = (int64_t)((f.t - 1) / 2);
		uint64_t *u = bgv_vec(&f), *ub = bgv_vec(&f);
		int64_t *sv = calloc(f.n, sizeof(int64_t)), *sb = calloc(f.n, sizeof(int64_t));
		lathe_pt *pt = bgv_pt(&f), *dec = bgv_pt(&f);
		lathe_ct *ct = bgv_ct(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			/* unsigned: plaintext round trip, then through both encryptions */
			bgv_rand(&f, u);
			u[0] = f.t - 1;
			u[n - 1] = 0;
			BGV_OK(&f, lathe_encode_u64(pt, u, n));
			BGV_OK(&f, lathe_decode_u64(ub, n, pt));
			cr_assert_arr_eq(ub, u, n * sizeof(uint64_t), "encode_u64/decode_u64 [%s]", f.desc);
			BGV_OK(&f, lathe_encrypt(f.pk, ct, pt));
			bgv_check(&f, ct, u, "public-key encryption of encode_u64");
			BGV_OK(&f, lathe_encrypt_sk(f.sk, ct, pt));
			bgv_check(&f, ct, u, "secret-key encryption of encode_u64");
			/* signed, with the edges of the range */
			for (size_t i = 0; i < n; i++)
				sv[i] = (int64_t)test_rand(&f.g, f.t) - h;
			sv[0] = h;
			sv[1] = -h;
			sv[n - 1] = -1;
			BGV_OK(&f, lathe_encode(pt, sv, n));
			for (int with_pk = 0; with_pk < 2; with_pk++) {
				if (with_pk)
					BGV_OK(&f, lathe_encrypt(f.pk, ct, pt));
				else
					BGV_OK(&f, lathe_encrypt_sk(f.sk, ct, pt));
				BGV_OK(&f, lathe_decrypt(f.sk, dec, ct));
				BGV_OK(&f, lathe_decode(sb, n, dec));
				BGV_OK(&f, lathe_decode_u64(ub, n, dec));
				for (size_t i = 0; i < n; i++) {
					cr_assert_eq(sb[i], sv[i], "signed slot %zu (%s key): got %lld want %lld [%s]", i,
					             with_pk ? "public" : "secret", (long long)sb[i], (long long)sv[i], f.desc);
					cr_assert_eq(ub[i], pm_reduce(sv[i], f.t), "u64 view of signed slot %zu [%s]", i, f.desc);
				}
			}
		}
		/* a short input leaves the other slots zero */
		bgv_rand(&f, u);
		BGV_OK(&f, lathe_encode_u64(pt, u, n / 2 + 1));
		memset(u + n / 2 + 1, 0, (n - n / 2 - 1) * sizeof(uint64_t));
		BGV_OK(&f, lathe_encrypt(f.pk, ct, pt));
		bgv_check(&f, ct, u, "short encode_u64");
		/* a constant vector is the constant polynomial, whatever the slot structure */
		const int64_t cst = (int64_t)test_rand(&f.g, f.t) - h;
		for (size_t i = 0; i < n; i++)
			sv[i] = cst;
		BGV_OK(&f, lathe_encode(pt, sv, n));
		BGV_OK(&f, lathe_decode_coeffs(sb, f.n, pt));
		for (size_t i = 0; i < f.n; i++)
			cr_assert_eq(sb[i], i ? 0 : cst, "constant %lld: coefficient %zu = %lld [%s]", (long long)cst, i,
			             (long long)sb[i], f.desc);
		/* the lengths and ranges of the contract */
		BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_u64(pt, u, n + 1));
		BGV_FAILS(&f, LATHE_EINVAL, lathe_decode_u64(ub, n + 1, pt));
		u[n / 3] = f.t;
		BGV_FAILS(&f, LATHE_EINVAL, lathe_encode_u64(pt, u, n));
		sv[n / 3] = h + 1;
		BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, sv, n));
		lathe_ct_free(ct);
		lathe_pt_free(pt);
		lathe_pt_free(dec);
		free(u);
		free(ub);
		free(sv);
		free(sb);
		bgv_fix_clear(&f);
	}
}

Test(thin, slotwise_arithmetic_and_a_product_chain)
{
	static const int no_steps[1] = { 0 };
	for (size_t ci = 0; ci < NCASES; ci++) {
		bgv_fix f;
		const lay L = thin_init(&f, &CASES[ci], BGV_KEYS_STEPS, no_steps, 0, 3100 + (uint32_t)ci);
		const size_t n = L.slots;
		const uint64_t t = f.t;
		uint64_t *va = bgv_vec(&f), *vb = bgv_vec(&f), *vc = bgv_vec(&f), *ref = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f), *x = bgv_ct(&f);
		bgv_rand(&f, va);
		bgv_rand(&f, vb);
		bgv_rand(&f, vc);
		bgv_encrypt_vec(&f, a, va, 1);
		bgv_encrypt_vec(&f, b, vb, 0);
		bgv_encrypt_vec(&f, c, vc, 1);
		lathe_pt *pc = encode(&f, vc);

		BGV_OK(&f, lathe_ct_add(f.ev, x, a, b));
		pm_add(ref, va, vb, n, t);
		bgv_check(&f, x, ref, "add");
		BGV_OK(&f, lathe_ct_sub(f.ev, x, a, b));
		pm_sub(ref, va, vb, n, t);
		bgv_check(&f, x, ref, "sub");
		BGV_OK(&f, lathe_ct_neg(f.ev, x, a));
		pm_neg(ref, va, n, t);
		bgv_check(&f, x, ref, "neg");
		BGV_OK(&f, lathe_ct_mul(f.ev, x, a, b));
		pm_mul(ref, va, vb, n, t);
		bgv_check(&f, x, ref, "mul (relinearized)");
		cr_assert_eq(lathe_ct_size(x), 2, "mul left %u components [%s]", lathe_ct_size(x), f.desc);
		bgv_check_estimate(&f, x, "mul");
		BGV_OK(&f, lathe_ct_square(f.ev, x, b));
		pm_mul(ref, vb, vb, n, t);
		bgv_check(&f, x, ref, "square");
		BGV_OK(&f, lathe_ct_mul_plain(f.ev, x, a, pc));
		pm_mul(ref, va, vc, n, t);
		bgv_check(&f, x, ref, "mul_plain");
		BGV_OK(&f, lathe_ct_add_plain(f.ev, x, a, pc));
		pm_add(ref, va, vc, n, t);
		bgv_check(&f, x, ref, "add_plain");
		BGV_OK(&f, lathe_ct_sub_plain(f.ev, x, a, pc));
		pm_sub(ref, va, vc, n, t);
		bgv_check(&f, x, ref, "sub_plain");
		for (unsigned k = 0; k < 4; k++) {
			int64_t s = bgv_rand_scalar(&f);
			char what[64];
			BGV_OK(&f, lathe_ct_mul_scalar(f.ev, x, a, s));
			pm_mul_scalar(ref, va, s, n, t);
			snprintf(what, sizeof(what), "mul_scalar %lld", (long long)s);
			bgv_check(&f, x, ref, what);
			BGV_OK(&f, lathe_ct_add_scalar(f.ev, x, b, s));
			pm_add_scalar(ref, vb, s, n, t);
			snprintf(what, sizeof(what), "add_scalar %lld", (long long)s);
			bgv_check(&f, x, ref, what);
		}
		/* depth-many products in place, alternating ciphertext factors, then a plaintext one */
		BGV_OK(&f, lathe_ct_copy(x, a));
		pm_copy(ref, va, n);
		for (unsigned i = 0; i < CASES[ci].ps.depth; i++) {
			const lathe_ct *y = i % 2 ? c : b;
			BGV_OK(&f, lathe_ct_mul(f.ev, x, x, y));
			pm_mul(ref, ref, i % 2 ? vc : vb, n, t);
			char what[64];
			snprintf(what, sizeof(what), "product chain, %u products", i + 1);
			bgv_check(&f, x, ref, what);
			bgv_check_estimate(&f, x, what);
		}
		BGV_OK(&f, lathe_ct_add(f.ev, x, x, c));
		pm_add(ref, ref, vc, n, t);
		bgv_check(&f, x, ref, "product chain plus a fresh ciphertext");
		lathe_pt_free(pc);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		lathe_ct_free(x);
		free(va);
		free(vb);
		free(vc);
		free(ref);
		bgv_fix_clear(&f);
	}
}

Test(thin, rotations_and_the_row_swap)
{
	for (size_t ci = 0; ci < NCASES; ci++) {
		const lay L0 = layout_of(CASES[ci].ps.prime, CASES[ci].ps.logn);
		const int cols = (int)L0.cols;
		/* own keys of both signs and one beyond the row; 0: the row-swap key */
		const int keys[] = { 1, -1, 3, -5, cols + 2, 0 };
		bgv_fix f;
		const lay L = thin_init(&f, &CASES[ci], BGV_KEYS_STEPS, keys, sizeof(keys) / sizeof(keys[0]),
		                        3200 + (uint32_t)ci);
		const size_t n = L.slots;
		uint64_t *v = bgv_vec(&f), *ref = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *x = bgv_ct(&f);
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, a, v, 1);
		const int steps[] = { 1, -1, 3, -5, cols + 2, 2, -3, cols - 1, -(cols + 1), 2 * cols + 3, cols, 0, 7 };
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			BGV_OK(&f, lathe_ct_rotate(f.ev, x, a, steps[i]));
			model_rotate(ref, v, steps[i], &L);
			char what[80];
			snprintf(what, sizeof(what), "rotate by %d (%zu x %zu)", steps[i], L.rows, L.cols);
			bgv_check(&f, x, ref, what);
		}
		/* in place there and back, and at the lowest level */
		BGV_OK(&f, lathe_ct_copy(x, a));
		BGV_OK(&f, lathe_ct_rotate(f.ev, x, x, 5));
		BGV_OK(&f, lathe_ct_rotate(f.ev, x, x, -5));
		bgv_check(&f, x, v, "rotate by 5 then -5 in place");
		BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, x, a, 0));
		BGV_OK(&f, lathe_ct_rotate(f.ev, x, x, -1));
		model_rotate(ref, v, -1, &L);
		bgv_check(&f, x, ref, "rotate by -1 at level 0");
		if (L.rows == 2) {
			BGV_OK(&f, lathe_ct_swap_rows(f.ev, x, a));
			pm_swap_rows(ref, v, n);
			bgv_check(&f, x, ref, "swap_rows");
			BGV_OK(&f, lathe_ct_rotate(f.ev, x, x, 3));
			model_rotate(ref, ref, 3, &L);
			bgv_check(&f, x, ref, "swap_rows then rotate by 3");
			BGV_OK(&f, lathe_ct_swap_rows(f.ev, x, x));
			model_rotate(ref, v, 3, &L);
			bgv_check(&f, x, ref, "swap, rotate by 3, swap back");
		} else {
			BGV_FAILS(&f, LATHE_EPARAM, lathe_ct_swap_rows(f.ev, x, a));
			/*
			 * p = -5^e mod 2N, so -1 = p 5^-e, and p fixes thin plaintexts:
			 * X -> X^(2N-1) rotates the single row by -e.
			 */
			const uint64_t m = 2 * (uint64_t)f.n;
			uint64_t g = 1, e = 0;
			while ((m - g) % m != CASES[ci].ps.prime % m && e < f.n / 2) {
				g = g * 5 % m;
				e++;
			}
			cr_assert_lt(e, f.n / 2, "p = %llu is not -5^e mod 2N [%s]", (unsigned long long)CASES[ci].ps.prime,
			             f.desc);
			uint64_t swap = 0;
			BGV_OK(&f, lathe_galois_elt_row_swap(f.ctx, &swap));
			BGV_OK(&f, lathe_ct_automorph(f.ev, x, a, swap));
			model_rotate(ref, v, -(long)(e % L.cols), &L);
			bgv_check(&f, x, ref, "X -> X^-1 on the cyclic row");
		}
		bgv_check(&f, a, v, "the input after the rotations");
		lathe_ct_free(a);
		lathe_ct_free(x);
		free(v);
		free(ref);
		bgv_fix_clear(&f);
	}
}

/* outs[i] = rotate(a, steps[i]) by lathe_ct_rotate_many, against the model and lathe_ct_rotate */
static void
check_hoisted(bgv_fix *f, const lay *L, const lathe_ct *a, const uint64_t *v, const int *steps, size_t ns)
{
	lathe_ct **outs = calloc(ns, sizeof(*outs)), *one = bgv_ct(f);
	uint64_t *ref = bgv_vec(f);
	for (size_t i = 0; i < ns; i++)
		outs[i] = bgv_ct(f);
	BGV_OK(f, lathe_ct_rotate_many(f->ev, outs, a, steps, ns));
	for (size_t i = 0; i < ns; i++) {
		char what[80];
		snprintf(what, sizeof(what), "rotate_many[%zu] = step %d (%zu x %zu)", i, steps[i], L->rows, L->cols);
		model_rotate(ref, v, steps[i], L);
		bgv_check(f, outs[i], ref, what);
		bgv_check_estimate(f, outs[i], what);
		BGV_OK(f, lathe_ct_rotate(f->ev, one, a, steps[i]));
		bgv_check(f, one, ref, "lathe_ct_rotate of a hoisted step");
		lathe_ct_free(outs[i]);
	}
	free(outs);
	free(ref);
	lathe_ct_free(one);
}

/* sum_i w_i * rotate(a, steps[i]) by a rotation set, against the model */
static void
check_rotset(bgv_fix *f, const lay *L, const lathe_ct *a, const uint64_t *v, const int *steps, size_t ns)
{
	lathe_rotset *rs = NULL;
	BGV_OK(f, lathe_rotset_new(f->ev, a, steps, ns, &rs));
	cr_assert_eq(lathe_rotset_count(rs), ns, "rotset count [%s]", f->desc);
	uint64_t **wv = calloc(ns, sizeof(*wv));
	lathe_prepared_pt **w = calloc(ns, sizeof(*w));
	uint64_t *ref = bgv_vec(f), *r = bgv_vec(f);
	for (size_t i = 0; i < ns; i++) {
		wv[i] = bgv_vec(f);
		bgv_rand(f, wv[i]);
		w[i] = prepare(f, wv[i], lathe_rotset_level(rs));
		model_rotate(r, v, steps[i], L);
		pm_mul(r, r, wv[i], L->slots, f->t);
		pm_add(ref, ref, r, L->slots, f->t);
	}
	lathe_ct *out = bgv_ct(f);
	BGV_OK(f, lathe_rotset_dot(f->ev, out, rs, (const lathe_prepared_pt *const *)w));
	char what[96];
	snprintf(what, sizeof(what), "rotset_dot over %zu steps from %d (%zu x %zu)", ns, steps[0], L->rows, L->cols);
	cr_assert_eq(lathe_ct_level(out), lathe_rotset_level(rs), "%s: level [%s]", what, f->desc);
	bgv_check(f, out, ref, what);
	bgv_check_estimate(f, out, what);
	/* one weight alone, the others NULL */
	const lathe_prepared_pt *only[8] = { NULL };
	cr_assert_leq(ns, 8);
	only[ns - 1] = w[ns - 1];
	BGV_OK(f, lathe_rotset_dot(f->ev, out, rs, only));
	model_rotate(r, v, steps[ns - 1], L);
	pm_mul(ref, r, wv[ns - 1], L->slots, f->t);
	bgv_check(f, out, ref, "rotset_dot with one weight");
	for (size_t i = 0; i < ns; i++) {
		lathe_prepared_pt_free(w[i]);
		free(wv[i]);
	}
	free(w);
	free(wv);
	free(ref);
	free(r);
	lathe_ct_free(out);
	lathe_rotset_free(rs);
}

/* steps in [0, cols) with keys of their own: what hoisting needs in any reading of its contract */
Test(thin, hoisted_rotations_and_rotation_sets)
{
	for (size_t ci = 0; ci < NCASES; ci++) {
		const lay L0 = layout_of(CASES[ci].ps.prime, CASES[ci].ps.logn);
		const int cols = (int)L0.cols;
		const int keys[] = { 1, 2, 3, cols - 1 };
		bgv_fix f;
		const lay L = thin_init(&f, &CASES[ci], BGV_KEYS_STEPS, keys, sizeof(keys) / sizeof(keys[0]),
		                        3300 + (uint32_t)ci);
		uint64_t *v = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f);
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, a, v, 1);
		check_hoisted(&f, &L, a, v, (const int[]){ 1, 2, 0, 3, cols - 1, 1 }, 6);
		/* distinct modulo cols = 4 as well: 0, 3, 1, 2 */
		check_rotset(&f, &L, a, v, (const int[]){ 0, cols - 1, 1, 2 }, 4);
		BGV_OK(&f, lathe_ct_mod_switch(f.ev, a, a));
		check_hoisted(&f, &L, a, v, (const int[]){ 3, cols - 1 }, 2);
		check_rotset(&f, &L, a, v, (const int[]){ 2, 0 }, 2);
		/* a step with no key of its own is refused, not composed */
		lathe_ct *o = bgv_ct(&f);
		if (cols > 8) {
			BGV_FAILS(&f, LATHE_ENOKEY, lathe_ct_rotate_many(f.ev, &o, a, (const int[]){ 5 }, 1));
			lathe_rotset *rs = NULL;
			BGV_FAILS(&f, LATHE_ENOKEY, lathe_rotset_new(f.ev, a, (const int[]){ 0, 5 }, 2, &rs));
			cr_assert_null(rs);
		}
		/* steps equal modulo cols are one rotation */
		lathe_rotset *rs = NULL;
		BGV_FAILS(&f, LATHE_EINVAL, lathe_rotset_new(f.ev, a, (const int[]){ 1, cols + 1 }, 2, &rs));
		cr_assert_null(rs);
		lathe_ct_free(o);
		lathe_ct_free(a);
		free(v);
		bgv_fix_clear(&f);
	}
}

/*
 * Keys made for negative steps and steps beyond the row, and hoisting by
 * exactly those steps: each has a key of its own (lathe_evalkeys_has_rotation
 * says so), so lathe_ct_rotate_many and lathe_rotset_new must use it.
 */
Test(thin, hoisting_by_negative_and_wide_steps_uses_their_own_keys)
{
	for (size_t ci = 0; ci < NCASES; ci++) {
		const lay L0 = layout_of(CASES[ci].ps.prime, CASES[ci].ps.logn);
		const int cols = (int)L0.cols;
		/* distinct modulo cols (for cols = 4: 3, 2, 1) */
		const int keys[] = { -1, cols + 2, -(cols + 3) };
		const size_t nk = sizeof(keys) / sizeof(keys[0]);
		bgv_fix f;
		const lay L = thin_init(&f, &CASES[ci], BGV_KEYS_STEPS, keys, nk, 3400 + (uint32_t)ci);
		for (size_t i = 0; i < nk; i++)
			cr_assert(lathe_evalkeys_has_rotation(f.ek, keys[i]), "no key of its own for step %d [%s]", keys[i],
			          f.desc);
		uint64_t *v = bgv_vec(&f), *ref = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *x = bgv_ct(&f);
		bgv_rand(&f, v);
		bgv_encrypt_vec(&f, a, v, 0);
		for (size_t i = 0; i < nk; i++) {
			BGV_OK(&f, lathe_ct_rotate(f.ev, x, a, keys[i]));
			model_rotate(ref, v, keys[i], &L);
			bgv_check(&f, x, ref, "rotate by a step with its own key");
		}
		check_hoisted(&f, &L, a, v, keys, nk);
		check_rotset(&f, &L, a, v, (const int[]){ 0, -1, cols + 2, -(cols + 3) }, 4);
		lathe_ct_free(a);
		lathe_ct_free(x);
		free(v);
		free(ref);
		bgv_fix_clear(&f);
	}
}

Test(thin, t_a_power_of_two_has_no_slots)
{
	static const int keys[] = { 1, 0 };
	bgv_fix f;
	bgv_fix_init(&f, &NO_SLOTS, BGV_KEYS_STEPS, keys, 2, 3500);
	cr_assert_eq(lathe_ctx_slots(f.ctx), 0, "t = 2^16: %zu slots [%s]", lathe_ctx_slots(f.ctx), f.desc);
	uint64_t *v = bgv_vec(&f);
	int64_t sv[4] = { 1, -1, 2, 0 };
	uint64_t uv[4] = { 1, 2, 3, 4 };
	lathe_pt *pt = bgv_pt(&f);
	lathe_ct *a = bgv_ct(&f), *x = bgv_ct(&f);
	BGV_FAILS(&f, LATHE_EPARAM, lathe_encode(pt, sv, 4));
	BGV_FAILS(&f, LATHE_EPARAM, lathe_encode_u64(pt, uv, 4));
	BGV_FAILS(&f, LATHE_EPARAM, lathe_decode(sv, 4, pt));
	BGV_FAILS(&f, LATHE_EPARAM, lathe_decode_u64(uv, 4, pt));
	/* coefficient encoding still works, and the ciphertext is a valid input */
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	bgv_check_coeffs(&f, a, v, "coefficient encoding with t = 2^16");
	BGV_FAILS(&f, LATHE_EPARAM, lathe_ct_rotate(f.ev, x, a, 1));
	BGV_FAILS(&f, LATHE_EPARAM, lathe_ct_rotate(f.ev, x, a, -3));
	BGV_FAILS(&f, LATHE_EPARAM, lathe_ct_swap_rows(f.ev, x, a));
	BGV_FAILS(&f, LATHE_EPARAM, lathe_ct_rotate_many(f.ev, &x, a, (const int[]){ 1 }, 1));
	lathe_rotset *rs = NULL;
	BGV_FAILS(&f, LATHE_EPARAM, lathe_rotset_new(f.ev, a, (const int[]){ 0, 1 }, 2, &rs));
	cr_assert_null(rs);
	bgv_check_coeffs(&f, a, v, "the input after refused rotations");
	lathe_ct_free(a);
	lathe_ct_free(x);
	lathe_pt_free(pt);
	free(v);
	bgv_fix_clear(&f);
}
