/*
 * The presets the program offers (the names lathe_ctx_new_preset knows,
 * with the multiplicative depth each was built for, as lathe/params.h
 * lists them), and one-line summaries of contexts.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_preset cli_presets[] = {
	{ "bgv-128-n8192-t65537", 2, 0 },
	{ "bgv-128-n16384-t65537", 6, 0 },
	{ "bgv-128-n32768-t65537", 14, 0 },
	{ "bgv-128-n32768-t268042241", 13, 0 },
	{ "bgv-128-n65536-t786433", 30, 0 },
	{ "insecure-test-n4096-t268042241", 13, 1 },
};
const size_t cli_n_presets = sizeof cli_presets / sizeof cli_presets[0];

void
cli_ctx_summary(const lathe_ctx *ctx, char *buf, size_t size)
{
	lathe_context_info in;
	if (lathe_ctx_info(ctx, &in) != LATHE_OK) {
		snprintf(buf, size, "(parameters unavailable)");
		return;
	}
	char sec[64];
	if (in.security)
		snprintf(sec, sizeof sec, "%d-bit security", in.security);
	else
		snprintf(sec, sizeof sec, "INSECURE test parameters");
	snprintf(buf, size, "N=%zu, t=%llu, slots=%zu, levels 0..%u, log2(QP)=%.1f, %s", in.n,
	         (unsigned long long)in.t, in.slots, in.chain_primes ? in.chain_primes - 1 : 0, in.log2_qp, sec);
}
