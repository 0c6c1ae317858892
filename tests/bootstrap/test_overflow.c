/*
 * The overflow bound of the raw modulus switch (src/bootstrap/overflow.c):
 * the values of BOOTSTRAP.md Correction 3 (computed there independently),
 * never above the Chernoff table of §2, the exact tail against a Monte
 * Carlo estimate where it is large enough to sample, and the refusals.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "bootstrap/internal.h"
#include "common/util.h"

Test(overflow, values_of_the_design_note)
{
	/* h -> B at 2^-128, union over 2^16 coefficients (Correction 3), and the Chernoff B of §2 */
	static const unsigned H[] = { 32, 64, 96, 128 }, EXACT[] = { 16, 27, 35, 42 }, CHERNOFF[] = { 17, 29, 37, 44 };
	for (size_t i = 0; i < 4; i++) {
		unsigned B = 0;
		double tl = 0;
		cr_assert_eq(lt_boot_overflow_bound(H[i], 16, 128, &B, &tl), LATHE_OK);
		cr_assert_eq(B, EXACT[i], "h = %u: B = %u, the design note has %u", H[i], B, EXACT[i]);
		cr_assert_leq(B, CHERNOFF[i]);
		cr_assert_leq(tl, -128.0, "h = %u: the bound reached is 2^%.2f", H[i], tl);
		/* one less does not reach it */
		double below = lt_boot_overflow_tail_log2(H[i], B - 1) + 16;
		cr_assert_gt(below, -128.0, "h = %u: B - 1 already gives 2^%.2f", H[i], below);
		/* the same tail from both entry points; empty (|S| <= (h + 1) / 2 always) when 2B >= h, as for h = 32 */
		const double at = lt_boot_overflow_tail_log2(H[i], B) + 16;
		if (2 * B >= H[i])
			cr_assert(isinf(tl) && tl < 0 && isinf(at) && at < 0, "h = %u, B = %u: the tail is empty", H[i], B);
		else
			cr_assert_lt(fabs(at - tl), 1e-9, "h = %u: 2^%.6f and 2^%.6f", H[i], at, tl);
	}
}

Test(overflow, exact_tail_against_sampling)
{
	lt_prng g;
	test_prng(&g, 3200);
	const unsigned samples = 200000;
	for (unsigned h = 2; h <= 16; h *= 2) {
		unsigned hits[8] = { 0 };
		for (unsigned s = 0; s < samples; s++) {
			double S = 0;
			for (unsigned k = 0; k <= h; k++)
				S += ((double)test_rand(&g, (uint64_t)1 << 52) + 0.5) / 4503599627370496.0 - 0.5;
			for (unsigned B = 0; B < 8; B++)
				if (fabs(S) >= B + 0.5)
					hits[B]++;
		}
		for (unsigned B = 0; B < 8; B++) {
			const double p = exp2(lt_boot_overflow_tail_log2(h, B));
			const double est = (double)hits[B] / samples;
			/* 5 standard deviations of the estimate, and 1e-4 for the smallest tails */
			const double tol = 5 * sqrt(p * (1 - p) / samples) + 1e-4;
			cr_assert_lt(fabs(est - p), tol, "h = %u, B = %u: exact tail %.6f, sampled %.6f", h, B, p, est);
		}
		cr_assert(isinf(lt_boot_overflow_tail_log2(h, h / 2)) && lt_boot_overflow_tail_log2(h, h / 2) < 0,
		          "h = %u: |S| <= (h + 1) / 2 always, the tail at B = h / 2 must be empty", h);
	}
}

Test(overflow, monotone_and_refusals)
{
	unsigned prev = 0;
	for (unsigned h = 16; h <= 192; h += 16) {
		unsigned B = 0;
		cr_assert_eq(lt_boot_overflow_bound(h, 15, 128, &B, NULL), LATHE_OK);
		cr_assert_geq(B, prev, "h = %u: B = %u below that of h - 16 (%u)", h, B, prev);
		prev = B;
		unsigned b40 = 0;
		cr_assert_eq(lt_boot_overflow_bound(h, 15, 40, &b40, NULL), LATHE_OK);
		cr_assert_leq(b40, B);
	}
	unsigned B;
	cr_assert_eq(lt_boot_overflow_bound(64, 16, 128, NULL, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_overflow_bound(0, 16, 128, &B, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_overflow_bound(2049, 16, 128, &B, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_overflow_bound(64, 21, 128, &B, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_overflow_bound(64, 16, 0, &B, NULL), LATHE_EINVAL);
	cr_assert(isnan(lt_boot_overflow_tail_log2(0, 3)));
}

/*
 * The cyclic slots' pair bound (overflow.c): the mixed tail equals the
 * Irwin-Hall tail without weight-2 terms, a hand-computed value with one,
 * it grows as width-1 pairs become width-2 terms (peakedness), and its
 * sampled value agrees; the collision bound falls with M; the bound of
 * the cyclic preset's shape (N = 2^15, h = 64, 64 slots, 2^-128).
 */
Test(overflow, pair_bound)
{
	/* n2 = 0: the Irwin-Hall tail of n1 terms at B, P(|S| >= B) */
	for (unsigned n1 = 8; n1 <= 130; n1 += 61)
		for (unsigned B = 1; B < 12; B += 3) {
			const double a = lt_boot_mixed_tail_log2(n1, 0, B), b = lt_boot_sum_tail_log2(n1 - 1, 2 * B);
			const int both_empty = isinf(a) && isinf(b) && a < 0 && b < 0;
			cr_assert(both_empty || fabs(a - b) < 1e-9, "n1 = %u, B = %u: %.12f against %.12f", n1, B, a, b);
		}
	/* U + V, V uniform on [-1, 1]: P(|U + V| >= 1) = 2 * int_0^(1/2) u / 2 du = 1/8 */
	cr_assert(fabs(lt_boot_mixed_tail_log2(1, 1, 1) + 3.0) < 1e-12, "%.12f", lt_boot_mixed_tail_log2(1, 1, 1));
	/* 2V alone: P(|V| >= 1) = 0 */
	cr_assert(isinf(lt_boot_mixed_tail_log2(0, 1, 1)));
	/* more weight-2 terms at the same total width: a wider tail */
	for (unsigned n2 = 0; n2 < 40; n2 += 3) {
		const double a = lt_boot_mixed_tail_log2(130 - 2 * n2, n2, 20);
		const double b = lt_boot_mixed_tail_log2(128 - 2 * n2, n2 + 1, 20);
		cr_assert_geq(b, a, "n2 = %u: %.3f then %.3f", n2, a, b);
	}
	/* sampled: 60 width-1 and 10 width-2 terms */
	lt_prng g;
	test_prng(&g, 3201);
	const unsigned samples = 200000, n1 = 60, n2 = 10, B = 6;
	unsigned hits = 0;
	for (unsigned i = 0; i < samples; i++) {
		double t = 0;
		for (unsigned k = 0; k < n1 + n2; k++)
			t += (((double)test_rand(&g, (uint64_t)1 << 52) + 0.5) / 4503599627370496.0 - 0.5) * (k < n1 ? 1.0 : 2.0);
		hits += fabs(t) >= (double)B;
	}
	const double p = exp2(lt_boot_mixed_tail_log2(n1, n2, B)), est = (double)hits / samples;
	cr_assert_lt(fabs(est - p), 5 * sqrt(p * (1 - p) / samples) + 1e-4, "exact %.5f, sampled %.5f", p, est);
	/* collisions: rarer for larger M */
	for (unsigned M = 2; M < 60; M += 7)
		cr_assert_lt(lt_boot_collision_log2(15, 64, M + 7), lt_boot_collision_log2(15, 64, M));
	unsigned Bp = 0, M = 0, B1 = 0;
	double tail = 0;
	cr_assert_eq(lt_boot_pair_bound(15, 64, 6, 128, &Bp, &M, &tail), LATHE_OK);
	cr_assert(tail <= -128.0, "2^%.1f", tail);
	cr_assert_eq(lt_boot_overflow_bound(64, 6, 128, &B1, NULL), LATHE_OK);
	cr_assert(Bp > B1 && 2 * Bp + 1 < 127, "pair bound B = %u (one coefficient: %u), M = %u", Bp, B1, M);
	cr_log_info("pair bound at N = 2^15, h = 64, 64 slots, 2^-128: B = %u (D < %u), 2^%.1f", Bp, M, tail);
	cr_assert_eq(lt_boot_pair_bound(15, 64, 6, 128, NULL, NULL, NULL), LATHE_EINVAL);
	cr_assert_eq(lt_boot_pair_bound(15, 0, 6, 128, &Bp, NULL, NULL), LATHE_EINVAL);
}
