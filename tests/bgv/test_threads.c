/*
 * 1 and 2 threads give the same results. Ciphertext bytes are not public
 * API (and encryption draws fresh randomness), so the same input
 * ciphertexts are evaluated under lathe_set_threads(1) and (2) and the
 * results compared through what is public: decrypted values, measured
 * noise budgets and public estimates - and the difference of the two
 * results, which decrypts to 0 and, for bit-identical ciphertexts, carries
 * no noise at all (its budget is then far above either result's). A
 * difference hidden below all of these would go unseen: that is the
 * limit of this test.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>

#include <pthread.h>

#include "bgv/bgv_util.h"

enum { NRES = 6 };

static void
evaluate(bgv_fix *f, lathe_ct *const in[3], lathe_ct *res[NRES], const lathe_pt *pt)
{
	BGV_OK(f, lathe_ct_mul(f->ev, res[0], in[0], in[1]));
	BGV_OK(f, lathe_ct_mul(f->ev, res[0], res[0], in[2]));
	BGV_OK(f, lathe_ct_rotate(f->ev, res[1], in[0], 3)); /* composed */
	BGV_OK(f, lathe_ct_swap_rows(f->ev, res[2], in[1]));
	BGV_OK(f, lathe_ct_rotate_many(f->ev, (lathe_ct *[]){ res[3], res[4] }, in[2], (const int[]){ 1, -4 }, 2));
	BGV_OK(f, lathe_ct_mul_plain(f->ev, res[5], in[0], pt));
	BGV_OK(f, lathe_ct_mod_switch(f->ev, res[5], res[5]));
	BGV_OK(f, lathe_ct_add(f->ev, res[5], res[5], res[0]));
}

static void
compare(const bgv_pset *ps, uint32_t stream)
{
	bgv_fix f;
	bgv_fix_init(&f, ps, BGV_KEYS_DEFAULT, NULL, 0, stream);
	size_t n = f.slots;
	lathe_ct *in[3], *r1[NRES], *r2[NRES], *d = bgv_ct(&f);
	uint64_t *m[3], *z = bgv_vec(&f), *got1 = bgv_vec(&f), *got2 = bgv_vec(&f);
	lathe_pt *pt = bgv_pt(&f), *dec = bgv_pt(&f);
	for (int i = 0; i < 3; i++) {
		in[i] = bgv_ct(&f);
		m[i] = bgv_vec(&f);
		bgv_rand(&f, m[i]);
		bgv_encrypt_vec(&f, in[i], m[i], 1);
	}
	bgv_encode_vec(&f, pt, m[1]);
	for (int i = 0; i < NRES; i++) {
		r1[i] = bgv_ct(&f);
		r2[i] = bgv_ct(&f);
	}
	BGV_OK(&f, lathe_set_threads(1));
	cr_assert_eq(lathe_get_threads(), 1);
	evaluate(&f, in, r1, pt);
	BGV_OK(&f, lathe_set_threads(2));
	cr_assert_eq(lathe_get_threads(), 2);
	evaluate(&f, in, r2, pt);
	BGV_OK(&f, lathe_set_threads(1));
	for (int i = 0; i < NRES; i++) {
		char what[64];
		snprintf(what, sizeof(what), "result %d, 1 vs 2 threads", i);
		cr_assert_eq(lathe_ct_level(r1[i]), lathe_ct_level(r2[i]), "%s: levels %u and %u [%s]", what,
		             lathe_ct_level(r1[i]), lathe_ct_level(r2[i]), f.desc);
		BGV_OK(&f, lathe_decrypt(f.sk, dec, r1[i]));
		BGV_OK(&f, lathe_decode_u64(got1, n, dec));
		BGV_OK(&f, lathe_decrypt(f.sk, dec, r2[i]));
		BGV_OK(&f, lathe_decode_u64(got2, n, dec));
		cr_assert_arr_eq(got1, got2, n * 8, "%s: decryptions differ [%s]", what, f.desc);
		int b1 = bgv_budget(&f, r1[i]), b2 = bgv_budget(&f, r2[i]);
		cr_assert_eq(b1, b2, "%s: budgets %d and %d [%s]", what, b1, b2, f.desc);
		int e1 = bgv_estimate(&f, r1[i]), e2 = bgv_estimate(&f, r2[i]);
		cr_assert_eq(e1, e2, "%s: estimates %d and %d [%s]", what, e1, e2, f.desc);
		BGV_OK(&f, lathe_ct_sub(f.ev, d, r1[i], r2[i]));
		bgv_check(&f, d, z, what);
		int bd = bgv_budget(&f, d);
		cr_assert_gt(bd, b1 + 8, "%s: the difference of the two results has budget %d, a result %d: "
		             "not the same ciphertext [%s]", what, bd, b1, f.desc);
	}
	/* and the values are right */
	uint64_t *r = bgv_vec(&f);
	pm_mul(r, m[0], m[1], n, f.t);
	pm_mul(r, r, m[2], n, f.t);
	bgv_check(&f, r1[0], r, "threads: a*b*c");
	pm_rotate(r, m[0], 3, n);
	bgv_check(&f, r1[1], r, "threads: rotate 3");
	free(r);
	for (int i = 0; i < 3; i++) {
		lathe_ct_free(in[i]);
		free(m[i]);
	}
	for (int i = 0; i < NRES; i++) {
		lathe_ct_free(r1[i]);
		lathe_ct_free(r2[i]);
	}
	lathe_ct_free(d);
	lathe_pt_free(pt);
	lathe_pt_free(dec);
	free(z);
	free(got1);
	free(got2);
	bgv_fix_clear(&f);
}

Test(threads, one_and_two_threads_agree)
{
	compare(&BGV_INSECURE_ARITH[2], 1100);            /* N = 2^12, dnum 3 */
	compare(&BGV_INSECURE_KEYSWITCH[2], 1101);        /* unequal digits */
}

Test(threads, keys_made_on_two_threads_work_on_one)
{
	BGV_OK(&(bgv_fix){ .desc = "threads" }, lathe_set_threads(2));
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_ARITH[1], BGV_KEYS_DEFAULT, NULL, 0, 1110);
	size_t n = f.slots;
	uint64_t *v = bgv_vec(&f), *r = bgv_vec(&f);
	lathe_ct *a = bgv_ct(&f), *c = bgv_ct(&f);
	bgv_rand(&f, v);
	bgv_encrypt_vec(&f, a, v, 1);
	BGV_OK(&f, lathe_set_threads(1));
	BGV_OK(&f, lathe_ct_square(f.ev, c, a));
	BGV_OK(&f, lathe_ct_rotate(f.ev, c, c, -1));
	pm_mul(r, v, v, n, f.t);
	pm_rotate(r, r, -1, n);
	bgv_check(&f, c, r, "keys and encryption on 2 threads, evaluation on 1");
	lathe_ct_free(a);
	lathe_ct_free(c);
	free(v);
	free(r);
	bgv_fix_clear(&f);
}

/*
 * One context and one key bundle shared by two application threads, one
 * evaluator each (params.h: a context may be shared by any number of
 * threads; bgv.h: one evaluator per thread). Statuses and decryptions are
 * checked on the main thread (Criterion asserts belong there).
 */
typedef struct {
	bgv_fix *f;
	lathe_eval *ev;
	lathe_ct *a, *b, *out;
	int step;
	lathe_status st;
} job;

static void *
worker(void *arg)
{
	job *j = arg;
	lathe_status s = LATHE_OK;
	for (int rep = 0; rep < 4 && !s; rep++) {
		s = lathe_ct_mul(j->ev, j->out, j->a, j->b);
		if (!s)
			s = lathe_ct_rotate(j->ev, j->out, j->out, j->step);
		if (!s)
			s = lathe_ct_add(j->ev, j->out, j->out, j->a);
	}
	j->st = s;
	return NULL;
}

Test(threads, shared_context_and_keys_two_evaluators)
{
	bgv_fix f;
	bgv_fix_init(&f, &BGV_INSECURE_ARITH[1], BGV_KEYS_DEFAULT, NULL, 0, 1120);
	size_t n = f.slots;
	job jobs[2];
	uint64_t *m[2][2], *r = bgv_vec(&f);
	for (int i = 0; i < 2; i++) {
		jobs[i].f = &f;
		BGV_OK(&f, lathe_eval_new(f.ctx, f.ek, &jobs[i].ev));
		jobs[i].a = bgv_ct(&f);
		jobs[i].b = bgv_ct(&f);
		jobs[i].out = bgv_ct(&f);
		jobs[i].step = i ? -3 : 5;
		for (int k = 0; k < 2; k++) {
			m[i][k] = bgv_vec(&f);
			bgv_rand(&f, m[i][k]);
		}
		bgv_encrypt_vec(&f, jobs[i].a, m[i][0], 1);
		bgv_encrypt_vec(&f, jobs[i].b, m[i][1], 1);
	}
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(jobs[i].st, LATHE_OK, "thread %d: %s [%s]", i, lathe_strerror(jobs[i].st), f.desc);
		pm_mul(r, m[i][0], m[i][1], n, f.t);
		pm_rotate(r, r, jobs[i].step, n);
		pm_add(r, r, m[i][0], n, f.t);
		char what[48];
		snprintf(what, sizeof(what), "thread %d of 2, shared context", i);
		bgv_check(&f, jobs[i].out, r, what);
		lathe_eval_free(jobs[i].ev);
		lathe_ct_free(jobs[i].a);
		lathe_ct_free(jobs[i].b);
		lathe_ct_free(jobs[i].out);
		free(m[i][0]);
		free(m[i][1]);
	}
	free(r);
	bgv_fix_clear(&f);
}
