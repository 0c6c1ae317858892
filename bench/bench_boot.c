/*
 * Thin bootstrapping (src/bootstrap) on the parameters of preset A as it
 * stands in docs/bootstrapping.md: N = 2^15, p = 257 (r = 1, e = 2), 128
 * thin slots, sparse secret of weight 64, overflow bound at 2^-128; q_0
 * of 50 bits, 16 primes of 40 bits, 6 key-switching digits (log2 QP
 * within the 128-bit table). Case boot/thin/N=32768/p=257/slots=128 times
 * one bootstrap from level 1; stderr gets the key set-up time and sizes,
 * the step breakdown of the last run, the levels and the time per slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>

#include "bgv/internal.h"
#include "bgv/keyswitch.h"
#include "bgv/slots.h"
#include "bootstrap/internal.h"
#include "cases.h"

#define OK(x) \
	do { \
		if ((x) != LATHE_OK) { \
			fprintf(stderr, "lathe-bench: %s: %s\n", #x, lathe_last_error()); \
			exit(1); \
		} \
	} while (0)

typedef struct boot_case {
	lathe_eval *ev;
	lt_boot_keys *bk;
	lathe_ct *in, *out;
	lt_boot_stats st;
} boot_case;

static void
run_boot(void *arg)
{
	boot_case *b = arg;
	OK(lt_boot_thin(b->ev, b->bk, b->out, b->in, &b->st));
}

void
bench_boot(const bench_opts *o)
{
	const char *name = "boot/thin/N=32768/p=257/slots=128";
	if (!bench_may_select(o, "boot/"))
		return;
	if (o->list) {
		int th[2];
		int nt = bench_thread_list(o, th, 2);
		for (int i = 0; i < nt; i++)
			bench_case(o, name, 32768, 16, th[i], run_boot, NULL, 0);
		return;
	}
	unsigned bits[17];
	bits[0] = 50;
	for (unsigned i = 1; i <= 16; i++)
		bits[i] = 40;
	lathe_params *par = NULL;
	OK(lathe_params_new(&par));
	OK(lathe_params_set_ring(par, 15));
	OK(lathe_params_set_plain_modulus(par, 257, 1));
	OK(lathe_params_set_chain(par, bits, 17));
	OK(lathe_params_set_keyswitch(par, 6, NULL, 0));
	OK(lathe_params_set_security(par, LATHE_SECURITY_128));
	par->boot_exp = 2;
	lathe_ctx *ctx = NULL;
	OK(lathe_ctx_new(par, &ctx));
	lathe_params_free(par);
	lathe_sk *sk = NULL;
	lathe_pk *pk = NULL;
	OK(lathe_keygen(ctx, &sk, &pk));
	boot_case b;
	memset(&b, 0, sizeof(b));
	uint64_t t0 = bench_now_ns();
	OK(lt_boot_keys_new(sk, 64, 128, NULL, &b.bk));
	uint64_t g[256];
	size_t ng = 0;
	OK(lt_boot_elts(ctx, g, 256, &ng));
	lathe_evalkeys *ek = NULL;
	OK(lathe_evalkeys_new_galois(ctx, sk, g, ng, LATHE_EVALKEYS_RELIN | LATHE_EVALKEYS_GALOIS, &ek));
	const double tk = (double)(bench_now_ns() - t0) / 1e9;
	OK(lathe_eval_new(ctx, ek, &b.ev));
	const size_t n = ctx->n, l = ctx->pm[0].slots.ell;
	/* key sizes: Enc_s(s'), the encapsulation key's two limbs, the Galois keys */
	const double bk_bytes = 2.0 * (double)ctx->nq * (double)n * 8;
	const double enc_bytes = 2.0 * 2 * (double)n * 8;
	const double gal_bytes = 2.0 * (double)ng * (double)lt_ksk_words(ctx, &ek->gal[0].k) * 8;
	fprintf(stderr, "# boot: N = 2^15, p = 257, %zu slots, h = 64, B = %u, deg F = %zu, log2 QP = %.1f; keys %.2f s "
	        "(Enc(s') %.1f MB, encapsulation %.1f MB, %zu Galois keys %.1f MB)\n", l, b.bk->B, b.bk->deg, ctx->logqp, tk,
	        bk_bytes / 1e6, enc_bytes / 1e6, ng, gal_bytes / 1e6);
	uint64_t *m = calloc(l, 8);
	for (size_t i = 0; i < l; i++)
		m[i] = (i * 31 + 7) % 257;
	lathe_pt *pt = NULL;
	OK(lathe_pt_new(ctx, &pt));
	OK(lt_slots_encode(&ctx->pm[0].slots, pt->m, m));
	pt->pm = 0;
	OK(lathe_ct_new(ctx, &b.in));
	OK(lathe_ct_new(ctx, &b.out));
	OK(lathe_encrypt(pk, b.in, pt));
	OK(lathe_ct_mod_switch_to(b.ev, b.in, b.in, 1));
	int th[2];
	int nt = bench_thread_list(o, th, 2);
	for (int i = 0; i < nt; i++) {
		bench_case(o, name, n, 16, th[i], run_boot, &b, 0);
		if (!bench_selected(o, name))
			continue;
		/* the result is checked: a benchmark of a wrong answer is worth nothing */
		uint64_t *got = calloc(l, 8);
		OK(lathe_decrypt(sk, pt, b.out));
		OK(lt_slots_decode(&ctx->pm[0].slots, got, pt->m));
		size_t bad = 0;
		for (size_t j = 0; j < l; j++)
			bad += got[j] != m[j];
		free(got);
		const uint64_t *ns = b.st.ns;
		fprintf(stderr, "# %s threads=%d: last run %.2f s (StC %.3f, q_0 + encapsulation %.3f, raw switch %.3f, "
		        "inner product %.3f, trace %.3f, CtS %.3f, digit removal %.3f), level %u -> %u, %.1f ms per slot, "
		        "%zu wrong slots; aim <= 5 s with >= 7 user levels\n", name, th[i], (double)ns[0] / 1e9,
		        (double)ns[1] / 1e9, (double)ns[2] / 1e9, (double)ns[3] / 1e9, (double)ns[4] / 1e9,
		        (double)ns[5] / 1e9, (double)ns[6] / 1e9, (double)ns[7] / 1e9, b.st.level_in, b.st.level_out,
		        (double)ns[0] / 1e6 / (double)l, bad);
	}
	free(m);
	lathe_pt_free(pt);
	lathe_ct_free(b.in);
	lathe_ct_free(b.out);
	lathe_eval_free(b.ev);
	lathe_evalkeys_free(ek);
	lt_boot_keys_free(b.bk);
	lathe_sk_free(sk);
	lathe_pk_free(pk);
	lathe_ctx_free(ctx);
}
