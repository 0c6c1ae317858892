/*
 * Parameters and contexts: presets load and describe themselves; literals
 * are checked (security table of DESIGN §4, ring range, batching
 * condition, key-switching digits) and refused with the documented status
 * and a lathe_last_error() sentence.
 */
#define _GNU_SOURCE /* strcasestr */
#include <criterion/criterion.h>
#include <flint/ulong_extras.h>
#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgv/bgv_util.h"

static const bgv_fix NOFIX = { .desc = "params test" };
#define P_OK(call) BGV_OK(&NOFIX, call)

static void
expect_last_error(const char *what)
{
	const char *e = lathe_last_error();
	cr_assert(e && e[0], "%s: empty lathe_last_error() [seed=%llu]", what, SEED);
}

/* Builds N=2^logn, t, explicit chain + special at security sec; returns ctx_new's status. */
static lathe_status
build_chain(unsigned logn, uint64_t t, const unsigned *chain, size_t nc, const unsigned *sp, size_t ns,
            unsigned dnum, lathe_security sec, lathe_ctx **out)
{
	lathe_params *p;
	*out = NULL;
	P_OK(lathe_params_new(&p));
	P_OK(lathe_params_set_ring(p, logn));
	P_OK(lathe_params_set_plain_modulus(p, t, 1));
	P_OK(lathe_params_set_chain(p, chain, nc));
	P_OK(lathe_params_set_keyswitch(p, dnum, sp, ns));
	P_OK(lathe_params_set_security(p, sec));
	lathe_status s = lathe_ctx_new(p, out);
	lathe_params_free(p);
	return s;
}

static lathe_status
build_depth(unsigned logn, uint64_t t, unsigned depth, lathe_security sec, lathe_ctx **out)
{
	lathe_params *p;
	*out = NULL;
	P_OK(lathe_params_new(&p));
	P_OK(lathe_params_set_ring(p, logn));
	P_OK(lathe_params_set_plain_modulus(p, t, 1));
	P_OK(lathe_params_set_depth(p, depth));
	P_OK(lathe_params_set_security(p, sec));
	lathe_status s = lathe_ctx_new(p, out);
	lathe_params_free(p);
	return s;
}

static char *
describe(const lathe_ctx *ctx)
{
	size_t need = 0;
	P_OK(lathe_ctx_describe(ctx, NULL, 0, &need));
	cr_assert_gt(need, 10, "description of %zu characters", need);
	char *buf = malloc(need + 1);
	size_t need2 = 0;
	memset(buf, 'x', need + 1);
	P_OK(lathe_ctx_describe(ctx, buf, need + 1, &need2));
	cr_assert_eq(need2, need, "needed %zu then %zu", need, need2);
	cr_assert_eq(strlen(buf), need, "written %zu, needed %zu: '%s'", strlen(buf), need, buf);
	return buf;
}

static const struct {
	const char *name;
	size_t n;
	uint64_t t;
	unsigned depth;
} PRESETS[] = {
	{ "bgv-128-n8192-t65537", 8192, 65537, 2 },
	{ "bgv-128-n16384-t65537", 16384, 65537, 6 },
	{ "bgv-128-n32768-t65537", 32768, 65537, 14 },
	{ "bgv-128-n65536-t786433", 65536, 786433, 30 },
};

Test(params, presets_load_with_their_documented_shape, .timeout = 120)
{
	for (size_t i = 0; i < sizeof(PRESETS) / sizeof(PRESETS[0]); i++) {
		lathe_ctx *ctx = NULL;
		lathe_status s = lathe_ctx_new_preset(PRESETS[i].name, &ctx);
		cr_assert_eq(s, LATHE_OK, "preset %s -> %s (%s)", PRESETS[i].name, lathe_strerror(s), lathe_last_error());
		cr_assert_eq(lathe_ctx_degree(ctx), PRESETS[i].n, "%s: N=%zu", PRESETS[i].name, lathe_ctx_degree(ctx));
		cr_assert_eq(lathe_ctx_plain_modulus(ctx), PRESETS[i].t, "%s", PRESETS[i].name);
		cr_assert_eq(lathe_ctx_slots(ctx), PRESETS[i].n, "%s: %zu slots", PRESETS[i].name, lathe_ctx_slots(ctx));
		cr_assert_geq(lathe_ctx_max_level(ctx), PRESETS[i].depth, "%s: max level %u, documented depth %u",
		              PRESETS[i].name, lathe_ctx_max_level(ctx), PRESETS[i].depth);
		char *d = describe(ctx);
		char num[32];
		snprintf(num, sizeof(num), "%zu", PRESETS[i].n);
		cr_assert(strstr(d, num), "%s: description lacks N=%s:\n%s", PRESETS[i].name, num, d);
		snprintf(num, sizeof(num), "%llu", (unsigned long long)PRESETS[i].t);
		cr_assert(strstr(d, num), "%s: description lacks t=%s:\n%s", PRESETS[i].name, num, d);
		cr_assert(strcasestr(d, "slot"), "%s: description lacks slots:\n%s", PRESETS[i].name, d);
		cr_assert(strstr(d, "128"), "%s: description lacks the security level:\n%s", PRESETS[i].name, d);
		cr_assert(!strcasestr(d, "insecure"), "%s: a 128-bit preset described as insecure:\n%s",
		          PRESETS[i].name, d);
		free(d);
		lathe_ctx_free(ctx);
	}
}

Test(params, unknown_preset_is_einval)
{
	lathe_ctx *ctx = NULL;
	cr_assert_eq(lathe_ctx_new_preset("bgv-128-n8192-t65538", &ctx), LATHE_EINVAL);
	expect_last_error("unknown preset");
	cr_assert_eq(lathe_ctx_new_preset("", &ctx), LATHE_EINVAL);
	cr_assert_eq(lathe_ctx_new_preset(NULL, &ctx), LATHE_EINVAL);
	cr_assert_eq(lathe_ctx_new_preset(BGV_PRESET_128, NULL), LATHE_EINVAL);
	expect_last_error("NULL out");
}

Test(params, insecure_context_says_so)
{
	lathe_ctx *ctx;
	P_OK(bgv_ctx_build(&BGV_INSECURE_N1024, LATHE_SECURITY_NONE, &ctx));
	char *d = describe(ctx);
	cr_assert(strcasestr(d, "insecure") || strcasestr(d, "none") || strcasestr(d, "not secure"),
	          "a LATHE_SECURITY_NONE context must say so:\n%s", d);
	cr_assert(strstr(d, "1024"), "N missing:\n%s", d);
	cr_assert(strstr(d, "65537"), "t missing:\n%s", d);
	/* truncation: always NUL-terminated, needed unchanged */
	char small[8];
	size_t need = 0;
	memset(small, 'x', sizeof(small));
	P_OK(lathe_ctx_describe(ctx, small, sizeof(small), &need));
	cr_assert_eq(small[7], '\0', "truncated description not NUL-terminated");
	cr_assert_eq(strncmp(small, d, 7), 0, "truncated description differs from the full one");
	cr_assert_eq(need, strlen(d));
	P_OK(lathe_ctx_describe(ctx, small, sizeof(small), NULL));
	cr_assert_eq(lathe_ctx_describe(NULL, small, sizeof(small), &need), LATHE_EINVAL);
	free(d);
	lathe_ctx_free(ctx);
}

Test(params, defaults_are_documented)
{
	/* A new literal: N = 2^13, t = 65537, depth 2, 128-bit, dnum 2 -> a valid secure context. */
	lathe_params *p;
	lathe_ctx *ctx;
	P_OK(lathe_params_new(&p));
	lathe_status s = lathe_ctx_new(p, &ctx);
	cr_assert_eq(s, LATHE_OK, "default literal refused: %s (%s)", lathe_strerror(s), lathe_last_error());
	cr_assert_eq(lathe_ctx_degree(ctx), 8192);
	cr_assert_eq(lathe_ctx_plain_modulus(ctx), 65537);
	cr_assert_geq(lathe_ctx_max_level(ctx), 2);
	cr_assert_eq(lathe_ctx_slots(ctx), 8192);
	lathe_ctx_free(ctx);
	lathe_params_free(p);
	lathe_params_free(NULL);
}

Test(params, depth_d_gives_d_plus_1_chain_primes)
{
	/* params.h: "the chain gets depth + 1 primes" (t = 65537: the top prime takes the first product) */
	for (unsigned d = 1; d <= 6; d++) {
		lathe_ctx *ctx;
		lathe_status s = build_depth(11, 65537, d, LATHE_SECURITY_NONE, &ctx);
		cr_assert_eq(s, LATHE_OK, "depth %d -> %s (%s)", d, lathe_strerror(s), lathe_last_error());
		cr_assert_eq(lathe_ctx_max_level(ctx), d, "depth %u: max level %u, header says depth + 1 primes (max level %u)",
		             d, lathe_ctx_max_level(ctx), d);
		lathe_ctx_free(ctx);
	}
	/* the presets: depth + 1 primes, depth + 2 for t = 786433 at N = 2^16 (a first-product prime above 50 bits) */
	static const unsigned primes[] = { 3, 7, 15, 32 };
	for (size_t i = 0; i < sizeof(PRESETS) / sizeof(PRESETS[0]); i++) {
		lathe_ctx *ctx = NULL;
		P_OK(lathe_ctx_new_preset(PRESETS[i].name, &ctx));
		cr_assert_eq(lathe_ctx_max_level(ctx) + 1, primes[i], "%s: %u chain primes, want %u (documented depth %u)",
		             PRESETS[i].name, lathe_ctx_max_level(ctx) + 1, primes[i], PRESETS[i].depth);
		lathe_ctx_free(ctx);
	}
}

Test(params, chain_above_the_128_bit_bound_is_einsecure)
{
	lathe_ctx *ctx;
	/* N = 2^10: the 128-bit bound is 27 bits, depth 10 cannot fit. */
	cr_assert_eq(build_depth(10, 65537, 10, LATHE_SECURITY_128, &ctx), LATHE_EINSECURE);
	expect_last_error("N=2^10 depth 10 at 128 bits");
	cr_assert_null(ctx);
	/* ... but is accepted when the test asks for no security. */
	lathe_status s = build_depth(10, 65537, 10, LATHE_SECURITY_NONE, &ctx);
	cr_assert_eq(s, LATHE_OK, "N=2^10 depth 10 insecure -> %s (%s)", lathe_strerror(s), lathe_last_error());
	cr_assert_geq(lathe_ctx_max_level(ctx), 10);
	lathe_ctx_free(ctx);
	/* A fixed ring of 2^13 (bound 218 bits) cannot hold depth 20. */
	cr_assert_eq(build_depth(13, 65537, 20, LATHE_SECURITY_128, &ctx), LATHE_EINSECURE);
	expect_last_error("N=2^13 depth 20 at 128 bits");
	/* 2^14 (bound 438) cannot hold depth 40 */
	cr_assert_eq(build_depth(14, 65537, 40, LATHE_SECURITY_128, &ctx), LATHE_EINSECURE);
}

Test(params, explicit_chain_is_checked_against_each_level_of_the_table)
{
	/* N = 2^12: chain 35+35, special 36 -> log2(QP) < 106: under 109 (128-bit), over 75 (192) and 58 (256). */
	static const unsigned chain[] = { 35, 35 }, sp[] = { 36 };
	lathe_ctx *ctx;
	lathe_status s = build_chain(12, 65537, chain, 2, sp, 1, 2, LATHE_SECURITY_128, &ctx);
	cr_assert_eq(s, LATHE_OK, "106 bits at N=2^12, 128-bit -> %s (%s)", lathe_strerror(s), lathe_last_error());
	char *d = describe(ctx);
	cr_assert(strstr(d, "109"), "description lacks the bound 109 it was checked against:\n%s", d);
	free(d);
	lathe_ctx_free(ctx);
	cr_assert_eq(build_chain(12, 65537, chain, 2, sp, 1, 2, LATHE_SECURITY_192, &ctx), LATHE_EINSECURE);
	expect_last_error("192-bit");
	cr_assert_eq(build_chain(12, 65537, chain, 2, sp, 1, 2, LATHE_SECURITY_256, &ctx), LATHE_EINSECURE);
	/* special primes count: chain 35+35 and special 50 -> > 115 > 109 */
	static const unsigned sp50[] = { 50 };
	cr_assert_eq(build_chain(12, 65537, chain, 2, sp50, 1, 2, LATHE_SECURITY_128, &ctx), LATHE_EINSECURE);
	expect_last_error("P counted in log2(QP)");
	/* N = 2^10 (bound 27): one 40-bit prime and a 41-bit special prime are far too much */
	static const unsigned c20[] = { 40 }, s20[] = { 41 };
	cr_assert_eq(build_chain(10, 65537, c20, 1, s20, 1, 1, LATHE_SECURITY_128, &ctx), LATHE_EINSECURE);
}

Test(params, ring_degree_out_of_range_is_refused)
{
	for (unsigned logn = 0; logn < 20; logn++) {
		if (logn >= 10 && logn <= 17)
			continue;
		lathe_params *p;
		P_OK(lathe_params_new(&p));
		lathe_status s = lathe_params_set_ring(p, logn);
		if (s == LATHE_OK) {
			P_OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
			lathe_ctx *ctx = NULL;
			s = lathe_ctx_new(p, &ctx);
			lathe_ctx_free(ctx);
		}
		cr_assert(s == LATHE_EINVAL || s == LATHE_EPARAM, "log_n=%u accepted or wrong status %s", logn,
		          lathe_strerror(s));
		expect_last_error("ring out of range");
		lathe_params_free(p);
	}
	/* and the documented range is accepted by the setter */
	lathe_params *p;
	P_OK(lathe_params_new(&p));
	for (unsigned logn = 10; logn <= 17; logn++)
		P_OK(lathe_params_set_ring(p, logn));
	lathe_params_free(p);
}

/* Applies a plaintext modulus then builds at N=2^10 insecure; returns the first failing status. */
static lathe_status
try_plain(uint64_t prime, unsigned r)
{
	lathe_params *p;
	P_OK(lathe_params_new(&p));
	P_OK(lathe_params_set_ring(p, 10));
	P_OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
	lathe_status s = lathe_params_set_plain_modulus(p, prime, r);
	if (s == LATHE_OK) {
		lathe_ctx *ctx = NULL;
		s = lathe_ctx_new(p, &ctx);
		lathe_ctx_free(ctx);
	}
	lathe_params_free(p);
	return s;
}

Test(params, plain_modulus_must_be_a_prime_power)
{
	static const struct { uint64_t prime; unsigned r; } bad[] = {
		{ 6, 1 }, { 0, 1 }, { 1, 1 }, { 65537, 0 }, { 65535, 1 }, { 1ull << 61, 1 }, { 65537, 4 } /* 2^64 */,
		{ 15, 2 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lathe_status s = try_plain(bad[i].prime, bad[i].r);
		cr_assert(s == LATHE_EINVAL || s == LATHE_EPARAM, "t = %llu^%u accepted or wrong status %s",
		          (unsigned long long)bad[i].prime, bad[i].r, lathe_strerror(s));
		expect_last_error("bad t");
	}
	static const struct { uint64_t prime; unsigned r; } good[] = {
		{ 2, 1 }, { 3, 5 }, { 257, 1 }, { 65537, 1 }, { 786433, 1 }, { 2, 16 },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		lathe_status s = try_plain(good[i].prime, good[i].r);
		cr_assert_eq(s, LATHE_OK, "t = %llu^%u refused: %s (%s)", (unsigned long long)good[i].prime,
		             good[i].r, lathe_strerror(s), lathe_last_error());
	}
}

Test(params, slots_follow_the_order_of_p)
{
	/* (N, p, r, slots = N / ord(p mod 2N), 0 for p = 2) */
	static const struct { unsigned logn; uint64_t prime; unsigned r; size_t slots; } cases[] = {
		{ 10, 257, 1, 128 },    { 10, 12289, 1, 1024 }, { 12, 12289, 1, 2048 }, { 12, 40961, 1, 4096 },
		{ 10, 786433, 1, 1024 }, { 10, 3, 5, 2 },       { 10, 257, 2, 128 },    { 11, 2, 16, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bgv_pset ps = { "slots-case", cases[i].logn, cases[i].prime, cases[i].r, 1, 1, NULL, 0, NULL, 0 };
		bgv_fix f;
		memset(&f, 0, sizeof(f));
		snprintf(f.desc, sizeof(f.desc), "N=2^%u t=%llu^%u", cases[i].logn, (unsigned long long)cases[i].prime,
		         cases[i].r);
		BGV_OK(&f, bgv_ctx_build(&ps, LATHE_SECURITY_NONE, &f.ctx));
		size_t n = lathe_ctx_degree(f.ctx), slots = lathe_ctx_slots(f.ctx);
		cr_assert_eq(slots, cases[i].slots, "%s: %zu slots", f.desc, slots);
		lathe_context_info info;
		BGV_OK(&f, lathe_ctx_info(f.ctx, &info));
		cr_assert_eq(info.slots, slots, "%s", f.desc);
		cr_assert_eq(info.batching, slots > 0, "%s", f.desc);
		if (slots) {
			cr_assert_eq(info.slot_degree * slots, n, "%s: d = %zu", f.desc, info.slot_degree);
			cr_assert_eq(info.slot_rows * info.slot_cols, slots, "%s: %zu x %zu", f.desc, info.slot_rows,
			             info.slot_cols);
			cr_assert_eq(info.slot_rows, cases[i].prime % 4 == 1 ? 2u : 1u, "%s", f.desc);
		}
		lathe_pt *pt = bgv_pt(&f);
		int64_t v[4] = { 1, 0, -1, 2 };
		int64_t back[4] = { 9, 9, 9, 9 };
		const size_t k = slots < 4 ? slots : 4;
		if (slots) {
			BGV_OK(&f, lathe_encode(pt, v, k));
			BGV_OK(&f, lathe_decode(back, k, pt));
			cr_assert_arr_eq(back, v, k * sizeof(v[0]), "%s", f.desc);
			if (slots < 4) /* more values than slots */
				BGV_FAILS(&f, LATHE_EINVAL, lathe_encode(pt, v, slots + 1));
		} else {
			BGV_FAILS(&f, LATHE_EPARAM, lathe_encode(pt, v, 4));
			uint64_t u[2] = { 1, 2 };
			BGV_FAILS(&f, LATHE_EPARAM, lathe_encode_u64(pt, u, 2));
			BGV_FAILS(&f, LATHE_EPARAM, lathe_decode(back, 4, pt));
			uint64_t ub[2];
			BGV_FAILS(&f, LATHE_EPARAM, lathe_decode_u64(ub, 2, pt));
		}
		/* coefficient encoding works either way */
		BGV_OK(&f, lathe_encode_coeffs(pt, v, 4));
		memset(back, 9, sizeof(back));
		BGV_OK(&f, lathe_decode_coeffs(back, 4, pt));
		cr_assert_arr_eq(back, v, sizeof(v), "%s: coefficient round trip", f.desc);
		/* with thin slots (d > 1), a plaintext off the subring Z_t[X^d] is no batch encoding: refused */
		if (slots && slots < n)
			BGV_FAILS(&f, LATHE_EINVAL, lathe_decode(back, k, pt));
		lathe_pt_free(pt);
		lathe_ctx_free(f.ctx);
	}
}

Test(params, keyswitch_digits_are_checked)
{
	lathe_params *p;
	P_OK(lathe_params_new(&p));
	P_OK(lathe_params_set_ring(p, 10));
	P_OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
	P_OK(lathe_params_set_depth(p, 2)); /* 3 chain primes */
	lathe_status s = lathe_params_set_keyswitch(p, 0, NULL, 0);
	lathe_ctx *ctx = NULL;
	if (s == LATHE_OK)
		s = lathe_ctx_new(p, &ctx);
	cr_assert(s == LATHE_EINVAL || s == LATHE_EPARAM, "dnum 0 -> %s", lathe_strerror(s));
	lathe_params_free(p);

	/* the number of chain primes of this literal */
	P_OK(lathe_params_new(&p));
	P_OK(lathe_params_set_ring(p, 10));
	P_OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
	P_OK(lathe_params_set_depth(p, 2));
	P_OK(lathe_params_set_keyswitch(p, 1, NULL, 0));
	P_OK(lathe_ctx_new(p, &ctx));
	unsigned nprimes = lathe_ctx_max_level(ctx) + 1;
	lathe_ctx_free(ctx);
	s = lathe_params_set_keyswitch(p, nprimes + 1, NULL, 0); /* more digits than chain primes */
	ctx = NULL;
	if (s == LATHE_OK)
		s = lathe_ctx_new(p, &ctx);
	cr_assert(s == LATHE_EINVAL || s == LATHE_EPARAM, "dnum %u with %u chain primes -> %s", nprimes + 1, nprimes,
	          lathe_strerror(s));
	expect_last_error("dnum too large");
	/* exactly as many digits as primes is fine */
	P_OK(lathe_params_set_keyswitch(p, nprimes, NULL, 0));
	P_OK(lathe_ctx_new(p, &ctx));
	lathe_ctx_free(ctx);
	lathe_params_free(p);
}

Test(params, chain_prime_sizes_are_checked)
{
	static const unsigned too_small[] = { 40, 19 }, too_big[] = { 40, 62 }, ok[] = { 50, 40 };
	lathe_params *p;
	lathe_ctx *ctx = NULL;
	P_OK(lathe_params_new(&p));
	P_OK(lathe_params_set_ring(p, 11));
	P_OK(lathe_params_set_security(p, LATHE_SECURITY_NONE));
	lathe_status s = lathe_params_set_chain(p, too_small, 2);
	if (s == LATHE_OK)
		s = lathe_ctx_new(p, &ctx);
	cr_assert(s == LATHE_EINVAL || s == LATHE_EPARAM, "19-bit chain prime -> %s", lathe_strerror(s));
	s = lathe_params_set_chain(p, too_big, 2);
	if (s == LATHE_OK)
		s = lathe_ctx_new(p, &ctx);
	cr_assert(s == LATHE_EINVAL || s == LATHE_EPARAM, "62-bit chain prime -> %s", lathe_strerror(s));
	cr_assert_eq(lathe_params_set_chain(p, NULL, 2), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_chain(p, ok, 0), LATHE_EINVAL);
	P_OK(lathe_params_set_chain(p, ok, 2));
	P_OK(lathe_params_set_keyswitch(p, 1, NULL, 0));
	s = lathe_ctx_new(p, &ctx);
	cr_assert_eq(s, LATHE_OK, "chain 50,40 -> %s (%s)", lathe_strerror(s), lathe_last_error());
	cr_assert_eq(lathe_ctx_max_level(ctx), 1);
	lathe_ctx_free(ctx);
	lathe_params_free(p);
}

Test(params, null_arguments_are_einval)
{
	lathe_params *p;
	P_OK(lathe_params_new(&p));
	cr_assert_eq(lathe_params_new(NULL), LATHE_EINVAL);
	expect_last_error("params_new(NULL)");
	cr_assert_eq(lathe_params_set_ring(NULL, 10), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_plain_modulus(NULL, 65537, 1), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_depth(NULL, 2), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_chain(NULL, BGV_CHAIN_4, 4), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_keyswitch(NULL, 2, NULL, 0), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_security(NULL, LATHE_SECURITY_NONE), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_secret(NULL, LATHE_SECRET_TERNARY), LATHE_EINVAL);
	cr_assert_eq(lathe_params_set_security(p, (lathe_security)100), LATHE_EINVAL);
	expect_last_error("security 100");
	cr_assert_eq(lathe_params_set_secret(p, (lathe_secret_dist)7), LATHE_EINVAL);
	P_OK(lathe_params_set_secret(p, LATHE_SECRET_TERNARY));
	lathe_ctx *ctx;
	cr_assert_eq(lathe_ctx_new(NULL, &ctx), LATHE_EINVAL);
	cr_assert_eq(lathe_ctx_new(p, NULL), LATHE_EINVAL);
	expect_last_error("ctx_new(p, NULL)");
	lathe_params_free(p);
	lathe_ctx_free(NULL);
}

/*
 * Splits `total` bits into primes of 36..55 bits: np special primes first
 * (they take the remainder, so P covers every digit), then the chain.
 * Returns 0 when total is too small for two such primes.
 */
static int
split_bits(unsigned total, unsigned *chain, size_t *nc, unsigned *sp, size_t *ns, unsigned *dnum)
{
	if (total < 72)
		return 0;
	unsigned m = (total + 54) / 55;
	unsigned np = (m + 7) / 8;
	if (m - np > 64 || np > 16)
		return 0;
	unsigned each = total / m, rem = total % m;
	for (unsigned i = 0; i < m; i++) {
		unsigned b = each + (i < rem);
		if (i < np)
			sp[i] = b;
		else
			chain[i - np] = b;
	}
	*ns = np;
	*nc = m - np;
	*dnum = (unsigned)((*nc + np - 1) / np);
	return 1;
}

Test(params, security_table_rows_at_their_bound_and_one_bit_above)
{
	/* DESIGN §4: 2^10..2^15 from the standard, 2^16 and 2^17 from OpenFHE 1.2 (ternary) */
	static const int table[3][8] = {
		{ 27, 54, 109, 218, 438, 881, 1747, 3523 },
		{ 19, 37, 75, 152, 305, 611, 1199, 2411 },
		{ 14, 29, 58, 118, 237, 476, 929, 1866 },
	};
	static const lathe_security lev[3] = { LATHE_SECURITY_128, LATHE_SECURITY_192, LATHE_SECURITY_256 };
	for (unsigned logn = 10; logn <= 17; logn++) {
		/* t = 65537 is 1 mod 2N up to 2^15; above, coefficient encoding with t = 257 */
		uint64_t t = logn <= 15 ? 65537 : 257;
		for (int r = 0; r < 3; r++) {
			unsigned bound = (unsigned)table[r][logn - 10];
			unsigned chain[64], sp[16], dnum;
			size_t nc, ns;
			for (unsigned above = 0; above <= 1; above++) {
				if (!split_bits(bound + above, chain, &nc, sp, &ns, &dnum))
					continue;
				lathe_ctx *ctx = NULL;
				lathe_status s = build_chain(logn, t, chain, nc, sp, ns, dnum, lev[r], &ctx);
				if (above) {
					cr_assert_eq(s, LATHE_EINSECURE, "N=2^%u, %d-bit: %u bits (bound + 1) -> %s", logn,
					             (int)lev[r], bound + 1, lathe_strerror(s));
					cr_assert_null(ctx);
				} else {
					cr_assert_eq(s, LATHE_OK, "N=2^%u, %d-bit: %u bits (the bound) -> %s (%s)", logn,
					             (int)lev[r], bound, lathe_strerror(s), lathe_last_error());
					lathe_ctx_free(ctx);
				}
			}
		}
	}
	/* the review's literal: log2(Q*P) ~ 1758.8 at N = 2^16 is no longer 128-bit */
	unsigned chain[64], sp[16], dnum;
	size_t nc, ns;
	cr_assert(split_bits(1759, chain, &nc, sp, &ns, &dnum));
	lathe_ctx *ctx = NULL;
	cr_assert_eq(build_chain(16, 257, chain, nc, sp, ns, dnum, LATHE_SECURITY_128, &ctx), LATHE_EINSECURE);
	cr_assert(strstr(lathe_last_error(), "1747"), "message lacks the bound: %s", lathe_last_error());
}

Test(params, ctx_info_reports_the_parameters)
{
	for (size_t i = 0; i < sizeof(PRESETS) / sizeof(PRESETS[0]); i++) {
		lathe_ctx *ctx;
		P_OK(lathe_ctx_new_preset(PRESETS[i].name, &ctx));
		lathe_context_info in;
		P_OK(lathe_ctx_info(ctx, &in));
		cr_assert_eq(in.n, lathe_ctx_degree(ctx));
		cr_assert_eq((size_t)1 << in.log_n, in.n);
		cr_assert_eq(in.t, lathe_ctx_plain_modulus(ctx));
		cr_assert_eq(in.slots, lathe_ctx_slots(ctx));
		cr_assert_eq(in.chain_primes, lathe_ctx_max_level(ctx) + 1);
		cr_assert_eq(in.security, 128);
		cr_assert(in.log2_qp <= in.security_bound, "%s: %.1f above %d", PRESETS[i].name, in.log2_qp,
		          in.security_bound);
		double lq = 0, lp = 0;
		for (unsigned k = 0; k < in.chain_primes; k++) {
			cr_assert(n_is_prime(in.chain[k]) && in.chain[k] % (2 * in.n) == 1, "q_%u = %llu", k,
			          (unsigned long long)in.chain[k]);
			lq += log2((double)in.chain[k]);
			cr_assert(fabs(in.log2_q[k] - lq) < 1e-9, "log2 Q_%u: %f vs %f", k, in.log2_q[k], lq);
		}
		for (unsigned k = 0; k < in.special_primes; k++)
			lp += log2((double)in.special[k]);
		cr_assert(fabs(in.log2_p - lp) < 1e-9);
		cr_assert(fabs(in.log2_qp - lq - lp) < 1e-6);
		cr_assert_eq(in.alpha, (in.chain_primes + in.dnum - 1) / in.dnum);
		cr_assert_eq(in.ct_bytes, 2 * (size_t)in.chain_primes * in.n * 8);
		/* the hash is the one saved objects carry */
		uint8_t *b;
		size_t l;
		P_OK(lathe_ctx_to_buffer(ctx, &b, &l));
		lathe_object_info oi;
		P_OK(lathe_object_info_from_buffer(b, l, &oi));
		cr_assert(memcmp(oi.param_hash, in.param_hash, 32) == 0);
		lathe_buffer_free(b);
		lathe_ctx_free(ctx);
	}
	lathe_context_info in;
	cr_assert_eq(lathe_ctx_info(NULL, &in), LATHE_EINVAL);
	cr_assert_eq(in.n, 0, "info zeroed on error");
}
