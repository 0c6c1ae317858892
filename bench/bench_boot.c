/*
 * Thin bootstrapping (lathe/boot.h) on the bootstrappable presets, through
 * the public API: case boot/thin/A/... times one bootstrap of preset A
 * (N = 2^15, p = 257, 128 thin slots) from level 1,
 * boot/thin/cyclic/... the same for the cyclic preset (p = 127, 64 slots),
 * boot/thin/B/... for preset B (N = 2^16, p = 65537, 32768 slots, from
 * level 4: its factored SlotToCoeff takes four); each result checked
 * after each thread count; stderr gets the key generation time and sizes,
 * the step breakdown of the last run, the levels, the noise at q_0 against
 * what Step 3 accepts, the time per slot, and the two-thread speed-up
 * from interleaved pairs of one- and two-thread runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lathe.h>

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
	lathe_ct *in, *out;
	lathe_boot_stats st;
} boot_case;

static void
run_boot(void *arg)
{
	boot_case *b = arg;
	OK(lathe_boot_ex(b->ev, b->out, b->in, &b->st));
}

/* one preset: key generation once, then one bootstrap from the lowest level it takes per run, its result checked */
static void
bench_preset(const bench_opts *o, const char *preset, const char *name, double aim_s, unsigned aim_levels)
{
	if (o->list) {
		int th[2];
		int nt = bench_thread_list(o, th, 2);
		for (int i = 0; i < nt; i++)
			bench_case(o, name, 0, 1, th[i], run_boot, NULL, 0);
		return;
	}
	if (!bench_selected(o, name))
		return;
	lathe_ctx *ctx = NULL;
	OK(lathe_ctx_new_preset(preset, &ctx));
	lathe_boot_info bi;
	OK(lathe_boot_info_get(ctx, &bi));
	lathe_sk *sk = NULL;
	lathe_pk *pk = NULL;
	OK(lathe_keygen(ctx, &sk, &pk));
	boot_case b;
	memset(&b, 0, sizeof(b));
	uint64_t t0 = bench_now_ns();
	lathe_evalkeys *ek = NULL;
	OK(lathe_boot_keygen(sk, NULL, 0, &ek));
	const double tk = (double)(bench_now_ns() - t0) / 1e9;
	lathe_boot_key_sizes ks;
	OK(lathe_boot_key_sizes_get(ek, &ks));
	lathe_context_info ci;
	OK(lathe_ctx_info(ctx, &ci));
	OK(lathe_eval_new(ctx, ek, &b.ev));
	const size_t n = ci.n, l = bi.slots;
	fprintf(stderr, "# %s: N = %zu, p = %llu, r = %u, e = %u, %zu slots, h = %u, B = %u (2^%.1f per bootstrap), "
	        "deg F = %zu, log2 QP = %.1f; keys %.2f s: Enc(s') %.1f MB, encapsulation %.1f MB, relinearization "
	        "%.1f MB, %zu Galois keys %.1f MB, bundle %.1f MB\n", preset, n, (unsigned long long)bi.p, bi.r, bi.e, l,
	        bi.h, bi.overflow_bound, bi.fail_log2, bi.digit_degree, ci.log2_qp, tk, (double)ks.boot_key / 1e6,
	        (double)ks.encaps_key / 1e6, (double)ks.relin / 1e6, ks.galois_keys, (double)ks.galois / 1e6,
	        (double)ks.total / 1e6);
	uint64_t *m = calloc(l, 8), *got = calloc(l, 8);
	for (size_t i = 0; i < l; i++)
		m[i] = (i * 31 + 7) % bi.p;
	lathe_pt *pt = NULL;
	OK(lathe_pt_new(ctx, &pt));
	OK(lathe_encode_u64(pt, m, l));
	OK(lathe_ct_new(ctx, &b.in));
	OK(lathe_ct_new(ctx, &b.out));
	OK(lathe_encrypt(pk, b.in, pt));
	OK(lathe_ct_mod_switch_to(b.ev, b.in, b.in, bi.level_in));
	int th[2];
	int nt = bench_thread_list(o, th, 2);
	for (int i = 0; i < nt; i++) {
		bench_case(o, name, n, 1, th[i], run_boot, &b, 0);
		/* the result is checked: a benchmark of a wrong answer is worth nothing */
		OK(lathe_decrypt(sk, pt, b.out));
		OK(lathe_decode_u64(got, l, pt));
		size_t bad = 0;
		for (size_t j = 0; j < l; j++)
			bad += got[j] != m[j];
		const lathe_boot_stats *st = &b.st;
		fprintf(stderr, "# %s threads=%d: last run %.2f s (StC %.3f, q_0 + encapsulation %.3f, raw switch %.3f, "
		        "inner product %.3f, trace %.3f, CtS %.3f, digit removal %.3f), level %u -> %u, noise at q_0 2^%.1f "
		        "of 2^%.1f, %.2f ms per slot, %zu wrong slots; aim <= %.0f s with >= %u user levels\n", name, th[i],
		        st->total, st->slot_to_coeff, st->encapsulation, st->raw_switch, st->inner_product, st->trace,
		        st->coeff_to_slot, st->digit_removal, st->level_in, st->level_out, st->noise_q0, st->noise_q0_max,
		        st->total * 1e3 / (double)l, bad, aim_s, aim_levels);
		if (bad)
			exit(1);
	}
	if (nt == 2 && !o->quick) {
		/*
		 * The two-thread speed-up from interleaved pairs of runs (one
		 * thread, then two), so that the machine's drift between the
		 * two cases above does not enter the ratio: the median of the
		 * pairs' ratios.
		 */
		enum { MAXP = 15 };
		int pairs = o->reps > 0 ? o->reps : 3;
		if (pairs > MAXP)
			pairs = MAXP;
		double r[MAXP];
		for (int i = 0; i < pairs; i++) {
			double t[2];
			for (int k = 0; k < 2; k++) {
				OK(lathe_set_threads(k + 1));
				uint64_t s = bench_now_ns();
				run_boot(&b);
				t[k] = (double)(bench_now_ns() - s);
			}
			r[i] = t[0] / t[1];
		}
		OK(lathe_decrypt(sk, pt, b.out));
		OK(lathe_decode_u64(got, l, pt));
		for (size_t j = 0; j < l; j++)
			if (got[j] != m[j]) {
				fprintf(stderr, "lathe-bench: %s: slot %zu wrong after the paired runs\n", name, j);
				exit(1);
			}
		for (int i = 1; i < pairs; i++)
			for (int j = i; j > 0 && r[j - 1] > r[j]; j--) {
				double x = r[j];
				r[j] = r[j - 1];
				r[j - 1] = x;
			}
		const double med = pairs % 2 ? r[pairs / 2] : (r[pairs / 2 - 1] + r[pairs / 2]) / 2;
		fprintf(stderr, "# %s: two threads %.2fx one (median of %d interleaved pairs; lowest %.2fx, highest %.2fx)\n",
		        name, med, pairs, r[0], r[pairs - 1]);
	}
	free(m);
	free(got);
	lathe_pt_free(pt);
	lathe_ct_free(b.in);
	lathe_ct_free(b.out);
	lathe_eval_free(b.ev);
	lathe_evalkeys_free(ek);
	lathe_sk_free(sk);
	lathe_pk_free(pk);
	lathe_ctx_free(ctx);
}

void
bench_boot(const bench_opts *o)
{
	if (!bench_may_select(o, "boot/"))
		return;
	bench_preset(o, "bgv-128-boot-n32768-p257", "boot/thin/A/N=32768/p=257/slots=128", 5, 7);
	bench_preset(o, "bgv-128-boot-n32768-p127", "boot/thin/cyclic/N=32768/p=127/slots=64", 5, 6);
	bench_preset(o, "bgv-128-boot-n65536-p65537", "boot/thin/B/N=65536/p=65537/slots=32768", 25, 15);
}
