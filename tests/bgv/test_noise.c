/*
 * Noise: the measured budget (lathe_noise_budget) moves as the operations
 * say it must (exact shifts for +a+a, scalar powers of two and negation;
 * big drops for products), and the public estimate is never above the
 * measured budget, over random circuits of every operation.
 */
#include <criterion/criterion.h>

#include "bgv/bgv_util.h"

Test(noise, budget_moves_as_expected)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_STEPS, (const int[]){ 1 }, 1, 700 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f), *w = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f), *c = bgv_ct(&f);
		lathe_pt *pt = bgv_pt(&f);
		for (unsigned trial = 0; trial < test_mult(2); trial++) {
			bgv_rand(&f, v);
			bgv_rand(&f, w);
			bgv_encrypt_vec(&f, a, v, 1);
			bgv_encrypt_vec(&f, b, w, 1);
			int fa = bgv_budget(&f, a), fb = bgv_budget(&f, b);
			int ea = bgv_estimate(&f, a);
			cr_assert_gt(ea, 0, "fresh estimate %d (measured %d) [%s]", ea, fa, f.desc);
			/* a + a doubles c0 + c1 s exactly: one bit */
			BGV_OK(&f, lathe_ct_add(f.ev, c, a, a));
			int b2 = bgv_budget(&f, c);
			cr_assert(b2 <= fa - 1 && b2 >= fa - 2, "fresh %d, after a + a %d [%s]", fa, b2, f.desc);
			/* negation keeps it */
			BGV_OK(&f, lathe_ct_neg(f.ev, c, a));
			cr_assert_eq(bgv_budget(&f, c), fa, "neg changed the budget from %d to %d [%s]", fa,
			             bgv_budget(&f, c), f.desc);
			/* a + b: at most about one bit below the worse input */
			BGV_OK(&f, lathe_ct_add(f.ev, c, a, b));
			int badd = bgv_budget(&f, c);
			int lo = fa < fb ? fa : fb, hi = fa > fb ? fa : fb;
			cr_assert(badd <= hi + 1 && badd >= lo - 2, "fresh %d and %d, after add %d [%s]", fa, fb, badd, f.desc);
			/* scalar 2^k: k bits */
			for (int k = 1; k <= 8 && ((int64_t)1 << k) < (int64_t)(f.t / 2); k += 3) {
				BGV_OK(&f, lathe_ct_mul_scalar(f.ev, c, a, (int64_t)1 << k));
				int bk = bgv_budget(&f, c);
				cr_assert(bk <= fa - k + 1 && bk >= fa - k - 1, "fresh %d, after * 2^%d: %d [%s]", fa, k, bk, f.desc);
				BGV_OK(&f, lathe_ct_mul_scalar(f.ev, c, a, -((int64_t)1 << k)));
				int bn = bgv_budget(&f, c);
				cr_assert_eq(bn, bk, "* -2^%d: %d, * 2^%d: %d [%s]", k, bn, k, bk, f.desc);
			}
			/* products lose far more than an addition */
			BGV_OK(&f, lathe_ct_mul(f.ev, c, a, b));
			int bmul = bgv_budget(&f, c);
			cr_assert_lt(bmul + 10, badd, "after add %d, after mul %d [%s]", badd, bmul, f.desc);
			bgv_encode_vec(&f, pt, w);
			BGV_OK(&f, lathe_ct_mul_plain(f.ev, c, a, pt));
			int bmp = bgv_budget(&f, c);
			cr_assert_lt(bmp + 5, fa, "fresh %d, after mul_plain by a random plaintext %d [%s]", fa, bmp, f.desc);
			/* add_plain changes the message, not the noise bound much */
			BGV_OK(&f, lathe_ct_add_plain(f.ev, c, a, pt));
			int bap = bgv_budget(&f, c);
			cr_assert(bap >= fa - 2 && bap <= fa + 2, "fresh %d, after add_plain %d [%s]", fa, bap, f.desc);
		}
		lathe_pt_free(pt);
		lathe_ct_free(a);
		lathe_ct_free(b);
		lathe_ct_free(c);
		free(v);
		free(w);
		bgv_fix_clear(&f);
	}
}

enum { OP_ADD, OP_SUB, OP_NEG, OP_MUL, OP_SQUARE, OP_RAW_RELIN, OP_ADD_PLAIN, OP_SUB_PLAIN, OP_MUL_PLAIN,
       OP_MUL_SCALAR, OP_ADD_SCALAR, OP_ROTATE, OP_SWAP, OP_MODSW, OP_COUNT };
static const char *const OPNAME[] = { "add", "sub", "neg", "mul", "square", "mul_raw+relin", "add_plain",
	"sub_plain", "mul_plain", "mul_scalar", "add_scalar", "rotate", "swap_rows", "mod_switch" };

#define POOL 4

static void
fuzz(const bgv_pset *ps, unsigned base_steps, uint32_t stream)
{
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_DEFAULT, NULL, 0, stream);
	size_t n = f.slots;
	uint64_t *m[POOL], *pv = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *ct[POOL];
	lathe_pt *pt = bgv_pt(&f);
	for (int i = 0; i < POOL; i++) {
		m[i] = bgv_vec(&f);
		ct[i] = bgv_ct(&f);
		bgv_rand(&f, m[i]);
		bgv_encrypt_vec(&f, ct[i], m[i], i & 1);
	}
	unsigned steps = test_mult(base_steps), refused = 0, products = 0;
	for (unsigned step = 0; step < steps; step++) {
		int op = (int)test_rand(&f.g, OP_COUNT);
		int o = (int)test_rand(&f.g, POOL), x = (int)test_rand(&f.g, POOL), y = (int)test_rand(&f.g, POOL);
		int64_t k = bgv_rand_scalar(&f);
		int rot = (int)test_rand(&f.g, (uint64_t)n) - (int)(n / 2);
		lathe_status s;
		switch (op) {
		case OP_ADD: s = lathe_ct_add(f.ev, ct[o], ct[x], ct[y]); pm_add(r, m[x], m[y], n, f.t); break;
		case OP_SUB: s = lathe_ct_sub(f.ev, ct[o], ct[x], ct[y]); pm_sub(r, m[x], m[y], n, f.t); break;
		case OP_NEG: s = lathe_ct_neg(f.ev, ct[o], ct[x]); pm_neg(r, m[x], n, f.t); break;
		case OP_MUL: s = lathe_ct_mul(f.ev, ct[o], ct[x], ct[y]); pm_mul(r, m[x], m[y], n, f.t); break;
		case OP_SQUARE: s = lathe_ct_square(f.ev, ct[o], ct[x]); pm_mul(r, m[x], m[x], n, f.t); break;
		case OP_RAW_RELIN:
			s = lathe_ct_mul_raw(f.ev, ct[o], ct[x], ct[y]);
			if (s == LATHE_OK) {
				bgv_check_estimate(&f, ct[o], "mul_raw (3 components)");
				s = lathe_ct_relin(f.ev, ct[o], ct[o]);
			}
			pm_mul(r, m[x], m[y], n, f.t);
			break;
		case OP_ADD_PLAIN:
		case OP_SUB_PLAIN:
		case OP_MUL_PLAIN:
			bgv_rand(&f, pv);
			bgv_encode_vec(&f, pt, pv);
			if (op == OP_ADD_PLAIN) {
				s = lathe_ct_add_plain(f.ev, ct[o], ct[x], pt);
				pm_add(r, m[x], pv, n, f.t);
			} else if (op == OP_SUB_PLAIN) {
				s = lathe_ct_sub_plain(f.ev, ct[o], ct[x], pt);
				pm_sub(r, m[x], pv, n, f.t);
			} else {
				s = lathe_ct_mul_plain(f.ev, ct[o], ct[x], pt);
				pm_mul(r, m[x], pv, n, f.t);
			}
			break;
		case OP_MUL_SCALAR: s = lathe_ct_mul_scalar(f.ev, ct[o], ct[x], k); pm_mul_scalar(r, m[x], k, n, f.t); break;
		case OP_ADD_SCALAR: s = lathe_ct_add_scalar(f.ev, ct[o], ct[x], k); pm_add_scalar(r, m[x], k, n, f.t); break;
		case OP_ROTATE: s = lathe_ct_rotate(f.ev, ct[o], ct[x], rot); pm_rotate(r, m[x], rot, n); break;
		case OP_SWAP: s = lathe_ct_swap_rows(f.ev, ct[o], ct[x]); pm_swap_rows(r, m[x], n); break;
		default:
			if (lathe_ct_level(ct[x]) == 0) {
				BGV_FAILS(&f, LATHE_ELEVEL, lathe_ct_mod_switch(f.ev, ct[o], ct[x]));
				s = LATHE_ELEVEL;
			} else {
				s = lathe_ct_mod_switch(f.ev, ct[o], ct[x]);
			}
			pm_copy(r, m[x], n);
			break;
		}
		char what[160];
		snprintf(what, sizeof(what), "step %u: ct%d = %s(ct%d, ct%d; scalar %lld, step %d)", step, o, OPNAME[op],
		         x, y, (long long)k, rot);
		if (s != LATHE_OK) {
			cr_assert(s == LATHE_ENOISE || s == LATHE_ELEVEL, "%s -> %s (%s) [%s]", what, lathe_strerror(s),
			          lathe_last_error(), f.desc);
			/* refused: start that slot afresh (its content may be undefined now) */
			refused++;
			bgv_rand(&f, m[o]);
			bgv_encrypt_vec(&f, ct[o], m[o], 1);
			continue;
		}
		if (op == OP_MUL || op == OP_SQUARE || op == OP_RAW_RELIN || op == OP_MUL_PLAIN)
			products++;
		pm_copy(m[o], r, n);
		bgv_check(&f, ct[o], m[o], what);
		bgv_check_estimate(&f, ct[o], what);
	}
	cr_assert_gt(products, 0, "no product in %u steps [%s]", steps, f.desc);
	(void)refused;
	for (int i = 0; i < POOL; i++) {
		lathe_ct_free(ct[i]);
		free(m[i]);
	}
	lathe_pt_free(pt);
	free(pv);
	free(r);
	bgv_fix_clear(&f);
}

Test(noise, random_circuits_n1024_dnum1, .timeout = 180)
{
	fuzz(&BGV_INSECURE_ARITH[0], 150, 710);
}

Test(noise, random_circuits_n2048_dnum2, .timeout = 180)
{
	fuzz(&BGV_INSECURE_ARITH[1], 120, 711);
}

Test(noise, random_circuits_n4096_dnum3, .timeout = 180)
{
	fuzz(&BGV_INSECURE_ARITH[2], 60, 712);
}

Test(noise, random_circuits_n2048_depth5, .timeout = 180)
{
	fuzz(&BGV_INSECURE_DEPTH[3], 100, 713);
}

Test(noise, random_circuits_unequal_digits, .timeout = 180)
{
	fuzz(&BGV_INSECURE_KEYSWITCH[4], 100, 714);
}

Test(noise, estimate_holds_for_fresh_and_switched_ciphertexts)
{
	for (size_t si = 0; si < BGV_N_ARITH; si++) {
		bgv_fix f;
		bgv_fix_init(&f, &BGV_INSECURE_ARITH[si], BGV_KEYS_NONE, NULL, 0, 720 + (uint32_t)si);
		uint64_t *v = bgv_vec(&f);
		lathe_ct *a = bgv_ct(&f), *b = bgv_ct(&f);
		bgv_rand(&f, v);
		for (unsigned trial = 0; trial < test_mult(20); trial++) {
			bgv_encrypt_vec(&f, a, v, trial & 1);
			bgv_check_estimate(&f, a, trial & 1 ? "fresh pk" : "fresh sk");
			unsigned l = (unsigned)test_rand(&f.g, f.max_level + 1);
			BGV_OK(&f, lathe_ct_mod_switch_to(f.ev, b, a, l));
			char what[48];
			snprintf(what, sizeof(what), "fresh, switched to level %u", l);
			bgv_check_estimate(&f, b, what);
		}
		bgv_check(&f, b, v, "the last switched ciphertext");
		lathe_ct_free(a);
		lathe_ct_free(b);
		free(v);
		bgv_fix_clear(&f);
	}
}
