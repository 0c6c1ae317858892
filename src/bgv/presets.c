/*
 * Named parameter sets, as data: each is a literal that lathe_ctx_new turns
 * into a context (dense ternary secret; 128-bit as DESIGN §4 estimates,
 * except the insecure- test preset).
 */
#include <string.h>

#include "../core/error.h"
#include "internal.h"

static const struct {
	const char *name;
	unsigned logn;
	uint64_t t;
	unsigned depth;
	lathe_security security;
} presets[] = {
	{ "bgv-128-n8192-t65537", 13, 65537, 2, LATHE_SECURITY_128 },
	{ "bgv-128-n16384-t65537", 14, 65537, 6, LATHE_SECURITY_128 },
	{ "bgv-128-n32768-t65537", 15, 65537, 14, LATHE_SECURITY_128 },
	/* the medical circuits: sums of products of patients' values up to 2^27, comparisons of depth 12 */
	{ "bgv-128-n32768-t268042241", 15, 268042241, 13, LATHE_SECURITY_128 },
	{ "bgv-128-n65536-t786433", 16, 786433, 30, LATHE_SECURITY_128 },
	/*
	 * Insecure, for tests of programs that take a preset name (N = 2^12:
	 * far below 128 bits for this chain; lathe_ctx_info reports security 0).
	 * The circuits' parameters on a small ring.
	 */
	{ "insecure-test-n4096-t268042241", 12, 268042241, 13, LATHE_SECURITY_NONE },
};

lathe_status
lathe_ctx_new_preset(const char *name, lathe_ctx **out)
{
	LT_CHECK_NULL(name);
	LT_CHECK_NULL(out);
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(name, presets[i].name) != 0)
			continue;
		lathe_params p;
		memset(&p, 0, sizeof(p));
		p.logn = presets[i].logn;
		p.t_prime = presets[i].t;
		p.t_exp = 1;
		p.depth = presets[i].depth;
		p.security = presets[i].security;
		return lathe_ctx_new(&p, out);
	}
	return lt_fail(LATHE_EINVAL, "lathe_ctx_new_preset: unknown preset '%s'", name);
}
