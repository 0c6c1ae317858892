/*
 * The kernel tables (kernels.h). The AVX2 table exists only in builds with
 * the AVX2 kernels (LT_HAVE_AVX2, set by meson.build on x86 hosts).
 */
#include "kernels.h"

#include "ntt.h"
#include "rns.h"
#include "tdiv.h"
#include "vec.h"
#ifdef LT_HAVE_AVX2
#include "ntt_avx2.h"
#include "rns_avx2.h"
#include "vec_avx2.h"
#endif

static const lt_kernels scalar_kernels = {
	.name = "scalar",
	.path = LT_KERNEL_SCALAR,
	.qmax = UINT64_C(1) << 62,
	.ntt_prep = NULL,
	.ntt_fwd = lt_ntt_fwd_scalar,
	.ntt_inv = lt_ntt_inv_scalar,
	.vec_mul = lt_vec_mul_port,
	.vec_mac = lt_vec_mac_port,
	.vec_mul_scalar = lt_vec_mul_scalar_port,
	.vec_mac2 = lt_vec_mac2_port,
	.vec_mulsub2 = lt_vec_mulsub2_port,
	.baseconv_prep = NULL,
	.baseconv = lt_baseconv_apply_scalar,
	.baseconv_mulsub = lt_baseconv_mulsub_scalar,
	.tdiv_lift = lt_tdiv_lift_scalar,
	.tdiv_lift_mulsub = lt_tdiv_lift_mulsub_scalar,
};

#ifdef LT_HAVE_AVX2
static const lt_kernels avx2_kernels = {
	.name = "avx2",
	.path = LT_KERNEL_AVX2,
	.qmax = LT_VEC_QMAX,
	.ntt_prep = lt_ntt_avx2_init,
	.ntt_fwd = lt_ntt_fwd_avx2,
	.ntt_inv = lt_ntt_inv_avx2,
	.vec_mul = lt_vec_mul_avx2,
	.vec_mac = lt_vec_mac_avx2,
	.vec_mul_scalar = lt_vec_mul_scalar_avx2,
	.vec_mac2 = lt_vec_mac2_avx2,
	.vec_mulsub2 = lt_vec_mulsub2_avx2,
	.baseconv_prep = lt_baseconv_avx2_init,
	.baseconv = lt_baseconv_apply_avx2,
	.baseconv_mulsub = lt_baseconv_mulsub_avx2,
	.tdiv_lift = lt_tdiv_lift_avx2,
	.tdiv_lift_mulsub = lt_tdiv_lift_mulsub_avx2,
};
#endif

const lt_kernels *
lt_kernels_scalar(void)
{
	return &scalar_kernels;
}

const lt_kernels *
lt_kernels_get(lt_kernel path)
{
	switch (path) {
	case LT_KERNEL_SCALAR:
		return &scalar_kernels;
	case LT_KERNEL_AVX2:
#ifdef LT_HAVE_AVX2
		if (lt_cpu_has_avx2fma())
			return &avx2_kernels;
#endif
		return NULL;
	}
	return NULL;
}

const lt_kernels *
lt_kernels_default(void)
{
	const lt_kernels *k = lt_kernels_get(lt_cpu_kernel_default());
	return k ? k : &scalar_kernels;
}
