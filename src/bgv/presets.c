/*
 * Named parameter sets, as data: each is a literal that lathe_ctx_new turns
 * into a context (dense ternary secret; 128-bit as DESIGN §4 estimates,
 * except the insecure- test preset).
 */
#include <string.h>

#include "../core/error.h"
#include "../core/mem.h"
#include "internal.h"

typedef struct preset {
	const char *name;
	unsigned logn;
	uint64_t t;
	unsigned depth;
	lathe_security security;
	/* bootstrappable presets (boot_exp > 0): t = p^r, an explicit chain and special primes, and h */
	unsigned r, boot_exp, boot_h;
	unsigned q0_bits, levels, level_bits, dnum;
	unsigned special[8], nspecial;
	const unsigned *chain; /* levels + 1 sizes, q_0 first, instead of q0_bits and level_bits */
} preset;

/*
 * B's chain: q_0 of 55 bits (Step 3's guard leaves q_0 / 2^18 to the noise
 * under p^(e-r) = 65537, whose estimate at q_0 is 2^36.0 here), four
 * levels of 46 bits for SlotToCoeff's four groups mod 65537, sixteen of 40
 * for the user's products mod 65537 (the first product after a bootstrap
 * takes two), and twelve of 50 at the top for CoeffToSlot (four groups)
 * and the digit removal (degree 109) mod 65537^2.
 */
static const unsigned chain_b[33] = { 55, 46, 46, 46, 46, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40,
                                      40, 40, 40, 40, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50 };

static const preset presets[] = {
	{ .name = "bgv-128-n8192-t65537", .logn = 13, .t = 65537, .depth = 2, .security = LATHE_SECURITY_128 },
	{ .name = "bgv-128-n16384-t65537", .logn = 14, .t = 65537, .depth = 6, .security = LATHE_SECURITY_128 },
	{ .name = "bgv-128-n32768-t65537", .logn = 15, .t = 65537, .depth = 14, .security = LATHE_SECURITY_128 },
	/* the medical circuits: sums of products of patients' values up to 2^27, comparisons of depth 12 */
	{ .name = "bgv-128-n32768-t268042241", .logn = 15, .t = 268042241, .depth = 13, .security = LATHE_SECURITY_128 },
	{ .name = "bgv-128-n65536-t786433", .logn = 16, .t = 786433, .depth = 30, .security = LATHE_SECURITY_128 },
	/*
	 * Insecure, for tests of programs that take a preset name (N = 2^12:
	 * far below 128 bits for this chain; lathe_ctx_info reports security 0).
	 * The circuits' parameters on a small ring.
	 */
	{ .name = "insecure-test-n4096-t268042241", .logn = 12, .t = 268042241, .depth = 13,
	  .security = LATHE_SECURITY_NONE },
	/*
	 * Bootstrappable (docs/bootstrapping.md says how each was chosen). A:
	 * N = 2^15, p = 257, 128 thin slots; q_0 of 43 bits with p_0 of 50
	 * (p_0 >= q_0 2^6, q_0 p_0 of 93 bits for the sparse key's estimate),
	 * 16 primes of 40 bits for products mod 257^2, 6 digits, log2 QP 828
	 * within the 881 of the 128-bit table.
	 */
	{ .name = "bgv-128-boot-n32768-p257", .logn = 15, .t = 257, .security = LATHE_SECURITY_128, .r = 1,
	  .boot_exp = 2, .boot_h = 64, .q0_bits = 43, .levels = 16, .level_bits = 40, .dnum = 6,
	  .special = { 50, 50, 45 }, .nspecial = 3 },
	/*
	 * The cyclic case: p = 127 = 3 mod 4, 64 thin slots in one cycle, the
	 * same chain; the overflow bound covers the sum of two coefficients
	 * per slot (B = 49 at 2^-128, overflow.c).
	 */
	{ .name = "bgv-128-boot-n32768-p127", .logn = 15, .t = 127, .security = LATHE_SECURITY_128, .r = 1,
	  .boot_exp = 2, .boot_h = 64, .q0_bits = 43, .levels = 16, .level_bits = 40, .dnum = 6,
	  .special = { 50, 50, 45 }, .nspecial = 3 },
	/*
	 * B: N = 2^16, p = 65537, 32768 thin slots of degree 2, factored slot
	 * maps; p_0 of 61 bits (>= q_0 2^6; q_0 p_0 of 116 bits), 7 digits of
	 * at most 5 primes and the other special primes so that P exceeds a
	 * digit (5 primes of 50 bits), log2 QP 1735 within the 1747 of the
	 * 128-bit table.
	 */
	{ .name = "bgv-128-boot-n65536-p65537", .logn = 16, .t = 65537, .security = LATHE_SECURITY_128, .r = 1,
	  .boot_exp = 2, .boot_h = 64, .levels = 32, .chain = chain_b, .dnum = 7,
	  .special = { 61, 50, 50, 50, 45 }, .nspecial = 5 },
	{ .name = "insecure-test-boot-n8192-p65537", .logn = 13, .t = 65537, .security = LATHE_SECURITY_NONE, .r = 1,
	  .boot_exp = 2, .boot_h = 64, .levels = 32, .chain = chain_b, .dnum = 7,
	  .special = { 61, 50, 50, 50, 45 }, .nspecial = 5 },
	/* the same on N = 2^12, insecure: for tests of programs that take a preset name */
	{ .name = "insecure-test-boot-n4096-p257", .logn = 12, .t = 257, .security = LATHE_SECURITY_NONE, .r = 1,
	  .boot_exp = 2, .boot_h = 64, .q0_bits = 43, .levels = 16, .level_bits = 40, .dnum = 6,
	  .special = { 50, 50, 45 }, .nspecial = 3 },
	{ .name = "insecure-test-boot-n4096-p127", .logn = 12, .t = 127, .security = LATHE_SECURITY_NONE, .r = 1,
	  .boot_exp = 2, .boot_h = 64, .q0_bits = 43, .levels = 16, .level_bits = 40, .dnum = 6,
	  .special = { 50, 50, 45 }, .nspecial = 3 },
};

static lathe_status
preset_params(const preset *x, lathe_params *p)
{
	memset(p, 0, sizeof(*p));
	p->logn = x->logn;
	p->t_prime = x->t;
	p->t_exp = x->r ? x->r : 1;
	p->depth = x->depth;
	p->security = x->security;
	if (!x->boot_exp)
		return LATHE_OK;
	p->nchain = x->levels + 1;
	p->chain_bits[0] = x->q0_bits;
	for (unsigned i = 1; i <= x->levels; i++)
		p->chain_bits[i] = x->level_bits;
	if (x->chain)
		memcpy(p->chain_bits, x->chain, (x->levels + 1) * sizeof(unsigned));
	p->dnum = x->dnum;
	p->nspecial = x->nspecial;
	memcpy(p->special_bits, x->special, x->nspecial * sizeof(unsigned));
	p->boot_exp = x->boot_exp;
	p->boot_h = x->boot_h;
	return LATHE_OK;
}

const char *const *
lt_boot_preset_names(size_t *n)
{
	static const char *names[sizeof(presets) / sizeof(presets[0]) + 1];
	size_t k = 0;
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++)
		if (presets[i].boot_exp)
			names[k++] = presets[i].name;
	names[k] = NULL;
	if (n)
		*n = k;
	return names;
}

lathe_status
lathe_ctx_new_preset(const char *name, lathe_ctx **out)
{
	LT_CHECK_NULL(name);
	LT_CHECK_NULL(out);
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(name, presets[i].name) != 0)
			continue;
		lathe_params p;
		preset_params(&presets[i], &p);
		return lathe_ctx_new(&p, out);
	}
	return lt_fail(LATHE_EINVAL, "lathe_ctx_new_preset: unknown preset '%s'", name);
}

lathe_status
lathe_params_new_preset(const char *name, lathe_params **out)
{
	LT_CHECK_NULL(out);
	*out = NULL;
	LT_CHECK_NULL(name);
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(name, presets[i].name) != 0)
			continue;
		lathe_params *p = lt_calloc(1, sizeof(*p));
		if (!p)
			return lt_fail(LATHE_ENOMEM, "lathe_params_new_preset: out of memory");
		preset_params(&presets[i], p);
		*out = p;
		return LATHE_OK;
	}
	return lt_fail(LATHE_EINVAL, "lathe_params_new_preset: unknown preset '%s'", name);
}
