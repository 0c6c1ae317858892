#include "boot_util.h"

#include <stdlib.h>

#include <criterion/criterion.h>

#include "bgv/internal.h"
#include "bgv/slots.h"

lathe_ctx *
boot_ctx(unsigned logn, uint64_t p, unsigned r, unsigned e, const unsigned *bits, unsigned n, unsigned dnum)
{
	return boot_ctx_special(logn, p, r, e, bits, n, dnum, NULL, 0);
}

lathe_ctx *
boot_ctx_special(unsigned logn, uint64_t p, unsigned r, unsigned e, const unsigned *bits, unsigned n, unsigned dnum,
                 const unsigned *special, unsigned ns)
{
	lathe_params *par = NULL;
	cr_assert(lathe_params_new(&par) == LATHE_OK && lathe_params_set_ring(par, logn) == LATHE_OK &&
	          lathe_params_set_plain_modulus(par, p, r) == LATHE_OK &&
	          (bits ? lathe_params_set_chain(par, bits, n) : lathe_params_set_depth(par, n)) == LATHE_OK &&
	          lathe_params_set_keyswitch(par, dnum, special, ns) == LATHE_OK &&
	          lathe_params_set_security(par, LATHE_SECURITY_NONE) == LATHE_OK,
	          "N = 2^%u, p = %llu: %s", logn, (unsigned long long)p, lathe_last_error());
	par->boot_exp = e;
	lathe_ctx *ctx = NULL;
	lathe_status s = lathe_ctx_new(par, &ctx);
	lathe_params_free(par);
	cr_assert_eq(s, LATHE_OK, "N = 2^%u, p = %llu, e = %u: %s (%s)", logn, (unsigned long long)p, e,
	             lathe_strerror(s), lathe_last_error());
	return ctx;
}

lathe_ctx *
boot_ctx_wide(unsigned logn, uint64_t p, unsigned r, unsigned e, unsigned levels, unsigned dnum)
{
	unsigned bits[40];
	cr_assert_lt(levels, 40);
	bits[0] = 45;
	for (unsigned i = 1; i <= levels; i++)
		bits[i] = 40;
	return boot_ctx(logn, p, r, e, bits, levels + 1, dnum);
}

int64_t
boot_centred(int64_t v, uint64_t q)
{
	int64_t x = v % (int64_t)q;
	if (x < 0)
		x += (int64_t)q;
	return x > (int64_t)(q / 2) ? x - (int64_t)q : x;
}

uint64_t
boot_pow(uint64_t p, unsigned k)
{
	uint64_t x = 1;
	while (k--)
		x *= p;
	return x;
}

void
boot_enc_thin(const lathe_pk *pk, lathe_ct *ct, const uint64_t *m)
{
	const lathe_ctx *c = pk->ctx;
	lathe_pt *pt = NULL;
	cr_assert_eq(lathe_pt_new(c, &pt), LATHE_OK);
	cr_assert_eq(lt_slots_encode(&c->pm[0].slots, pt->m, m), LATHE_OK, "%s", lathe_last_error());
	pt->pm = 0;
	cr_assert_eq(lathe_encrypt(pk, ct, pt), LATHE_OK, "%s", lathe_last_error());
	lathe_pt_free(pt);
}

void
boot_check_thin(const lathe_sk *sk, const lathe_ct *ct, const uint64_t *m, const char *what, const char *desc)
{
	const lathe_ctx *c = sk->ctx;
	const size_t l = c->pm[0].slots.ell;
	lathe_pt *pt = NULL;
	uint64_t *got = calloc(l, 8);
	cr_assert(got && lathe_pt_new(c, &pt) == LATHE_OK);
	cr_assert_eq(lathe_decrypt(sk, pt, ct), LATHE_OK, "%s: %s [%s]", what, lathe_last_error(), desc);
	cr_assert_eq(lt_slots_decode(&c->pm[0].slots, got, pt->m), LATHE_OK, "%s [%s]", what, desc);
	for (size_t i = 0; i < l; i++)
		cr_assert_eq(got[i], m[i], "%s: slot %zu is %llu, expected %llu [%s]", what, i, (unsigned long long)got[i],
		             (unsigned long long)m[i], desc);
	free(got);
	lathe_pt_free(pt);
}
