/*
 * LATHE_ENOMEM on every allocation: with the failing-allocator hook, the
 * k-th allocation of context creation, key generation, evaluation-key
 * generation, encryption, evaluation and loading fails for every k until
 * the call succeeds. Each failing call must return LATHE_ENOMEM (or, for
 * loaders, a status that says so), leave its outputs NULL, and leak
 * nothing (CI runs this under AddressSanitizer's leak checker).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "bgv/bgv_util.h"
#include "core/mem.h"

/* runs op with the k-th allocation failing, k = 0, 1, ...; returns how many failed before it succeeded */
#define EVERY_ALLOCATION(what, cleanup_fail, cleanup_ok, op) \
	do { \
		long k_ = 0; \
		for (;; k_++) { \
			lt_mem_fail_after(k_); \
			lathe_status s_ = (op); \
			lt_mem_fail_after(-1); \
			if (s_ == LATHE_OK) { \
				cleanup_ok; \
				break; \
			} \
			cr_assert_eq(s_, LATHE_ENOMEM, "%s, allocation %ld failing: %s (%s)", what, k_, lathe_strerror(s_), \
			             lathe_last_error()); \
			cleanup_fail; \
			cr_assert_lt(k_, 100000, "%s never succeeds", what); \
		} \
		cr_log_info("%s: %ld allocations, each failure answered LATHE_ENOMEM", what, k_); \
	} while (0)

Test(enomem, every_allocation_of_setup_keys_and_evaluation)
{
	lathe_params *p;
	cr_assert_eq(lathe_params_new(&p), LATHE_OK);
	cr_assert_eq(lathe_params_set_ring(p, 10), LATHE_OK);
	cr_assert_eq(lathe_params_set_depth(p, 2), LATHE_OK);
	cr_assert_eq(lathe_params_set_security(p, LATHE_SECURITY_NONE), LATHE_OK);
	lathe_ctx *ctx = NULL;
	EVERY_ALLOCATION("lathe_ctx_new", cr_assert_null(ctx), (void)0, lathe_ctx_new(p, &ctx));
	lathe_params_free(p);
	lathe_sk *sk = NULL;
	lathe_pk *pk = NULL;
	EVERY_ALLOCATION("lathe_keygen", { cr_assert_null(sk); cr_assert_null(pk); }, (void)0, lathe_keygen(ctx, &sk, &pk));
	lathe_evalkeys *ek = NULL;
	const int steps[] = { 1, 0 };
	EVERY_ALLOCATION("lathe_evalkeys_new", cr_assert_null(ek), (void)0, lathe_evalkeys_new(ctx, sk, steps, 2, &ek));
	EVERY_ALLOCATION("lathe_evalkeys_set_pk", (void)0, (void)0, lathe_evalkeys_set_pk(ek, pk));
	lathe_eval *ev = NULL;
	EVERY_ALLOCATION("lathe_eval_new", cr_assert_null(ev), (void)0, lathe_eval_new(ctx, ek, &ev));
	lathe_pt *pt = NULL;
	EVERY_ALLOCATION("lathe_pt_new", cr_assert_null(pt), (void)0, lathe_pt_new(ctx, &pt));
	int64_t v[4] = { 1, 2, 3, 4 };
	EVERY_ALLOCATION("lathe_encode", (void)0, (void)0, lathe_encode(pt, v, 4));
	lathe_ct *x = NULL, *y = NULL;
	EVERY_ALLOCATION("lathe_ct_new", cr_assert_null(x), (void)0, lathe_ct_new(ctx, &x));
	cr_assert_eq(lathe_ct_new(ctx, &y), LATHE_OK);
	EVERY_ALLOCATION("lathe_encrypt", (void)0, (void)0, lathe_encrypt(pk, x, pt));
	EVERY_ALLOCATION("lathe_encrypt_sk", (void)0, (void)0, lathe_encrypt_sk(sk, y, pt));
	EVERY_ALLOCATION("lathe_ct_mul", (void)0, (void)0, lathe_ct_mul(ev, y, x, x));
	EVERY_ALLOCATION("lathe_ct_rotate", (void)0, (void)0, lathe_ct_rotate(ev, y, y, 3));
	EVERY_ALLOCATION("lathe_ct_rerandomize", (void)0, (void)0, lathe_ct_rerandomize(ev, y, x));
	EVERY_ALLOCATION("lathe_decrypt", (void)0, (void)0, lathe_decrypt(sk, pt, x));
	int bits;
	EVERY_ALLOCATION("lathe_noise_budget", (void)0, (void)0, lathe_noise_budget(sk, x, &bits));
	int64_t w[4];
	cr_assert_eq(lathe_decode(w, 4, pt), LATHE_OK);
	cr_assert(memcmp(v, w, sizeof v) == 0, "the ciphertext the retried encryption made is wrong");
	/* loading: every object kind from a buffer */
	uint8_t *b = NULL;
	size_t l;
	EVERY_ALLOCATION("lathe_ctx_to_buffer", (void)0, (void)0, lathe_ctx_to_buffer(ctx, &b, &l));
	lathe_ctx *c2 = NULL;
	EVERY_ALLOCATION("lathe_ctx_from_buffer", cr_assert_null(c2), lathe_ctx_free(c2), lathe_ctx_from_buffer(b, l, &c2));
	lathe_buffer_free(b);
	cr_assert_eq(lathe_evalkeys_to_buffer(ek, &b, &l), LATHE_OK);
	lathe_evalkeys *e2 = NULL;
	EVERY_ALLOCATION("lathe_evalkeys_from_buffer", cr_assert_null(e2), lathe_evalkeys_free(e2),
	                 lathe_evalkeys_from_buffer(ctx, b, l, &e2));
	lathe_buffer_free(b);
	const lathe_ct *both[2] = { x, y };
	cr_assert_eq(lathe_ct_batch_to_buffer(both, 2, &b, &l), LATHE_OK);
	lathe_ct **got = NULL;
	size_t ng = 0;
	EVERY_ALLOCATION("lathe_ct_batch_from_buffer", { cr_assert_null(got); cr_assert_eq(ng, 0); },
	                 { lathe_ct_free(got[0]); lathe_ct_free(got[1]); lathe_buffer_free((uint8_t *)got); },
	                 lathe_ct_batch_from_buffer(ctx, b, l, &got, &ng));
	lathe_buffer_free(b);
	cr_assert_eq(lathe_sk_to_buffer(sk, "pw", LATHE_PWHASH_INTERACTIVE, &b, &l), LATHE_OK);
	lathe_sk *s2 = NULL;
	EVERY_ALLOCATION("lathe_sk_from_buffer", cr_assert_null(s2), lathe_sk_free(s2),
	                 lathe_sk_from_buffer(ctx, b, l, "pw", &s2));
	lathe_buffer_free(b);
	lathe_ct_free(x);
	lathe_ct_free(y);
	lathe_pt_free(pt);
	lathe_eval_free(ev);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
}
