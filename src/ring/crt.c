#include "crt.h"

#include <flint/fmpz_vec.h>
#include <flint/ulong_extras.h>

void
lt_crt_modulus(fmpz_t Q, const lt_modulus *const *mod, unsigned k)
{
	fmpz_one(Q);
	for (unsigned i = 0; i < k; i++)
		fmpz_mul_ui(Q, Q, mod[i]->q);
}

void
lt_crt_decompose(uint64_t *limbs, const fmpz *x, size_t n, const lt_modulus *const *mod,
                 unsigned k)
{
	fmpz_t r;
	fmpz_init(r);
	for (unsigned i = 0; i < k; i++)
		for (size_t j = 0; j < n; j++) {
			fmpz_mod_ui(r, x + j, mod[i]->q);
			limbs[(size_t)i * n + j] = fmpz_get_ui(r);
		}
	fmpz_clear(r);
}

void
lt_crt_compose(fmpz *x, const uint64_t *limbs, size_t n, const lt_modulus *const *mod,
               unsigned k, int centered)
{
	/* X = sum_i [x_i * (Q/q_i)^-1]_{q_i} * (Q/q_i) mod Q */
	fmpz_t Q, qi, qhat, inv, t, half;
	fmpz_init(Q);
	fmpz_init(qi);
	fmpz_init(qhat);
	fmpz_init(inv);
	fmpz_init(t);
	fmpz_init(half);
	lt_crt_modulus(Q, mod, k);
	fmpz_fdiv_q_2exp(half, Q, 1);
	fmpz *hats = _fmpz_vec_init((slong)k);
	ulong *invs = flint_malloc(k * sizeof(ulong));
	for (unsigned i = 0; i < k; i++) {
		fmpz_set_ui(qi, mod[i]->q);
		fmpz_divexact(hats + i, Q, qi);
		fmpz_invmod(inv, hats + i, qi);
		invs[i] = fmpz_get_ui(inv);
	}
	for (size_t j = 0; j < n; j++) {
		fmpz_zero(x + j);
		for (unsigned i = 0; i < k; i++) {
			ulong y = n_mulmod2_preinv(limbs[(size_t)i * n + j], invs[i], mod[i]->q,
			                           n_preinvert_limb(mod[i]->q));
			fmpz_addmul_ui(x + j, hats + i, y);
		}
		fmpz_mod(x + j, x + j, Q);
		if (centered && fmpz_cmp(x + j, half) > 0)
			fmpz_sub(x + j, x + j, Q);
	}
	_fmpz_vec_clear(hats, (slong)k);
	flint_free(invs);
	fmpz_clear(Q);
	fmpz_clear(qi);
	fmpz_clear(qhat);
	fmpz_clear(inv);
	fmpz_clear(t);
	fmpz_clear(half);
}
