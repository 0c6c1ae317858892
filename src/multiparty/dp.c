/*
 * The calibration of differentially private releases (lathe/multiparty.h,
 * docs/multiparty.md): each party's sigma^2 from (epsilon, delta) or rho
 * and the sensitivity.
 */
#include <math.h>

#include "../core/error.h"
#include "mp.h"

lathe_status
lathe_dp_sigma2(const lathe_dp *dp, uint64_t *sigma2, double *rho)
{
	const char *fn = "lathe_dp_sigma2";
	LT_CHECK_NULL(dp);
	LT_CHECK_NULL(sigma2);
	*sigma2 = 0;
	const double s = dp->sensitivity;
	if (dp->one_value != 0 && dp->one_value != 1)
		return lt_fail(LATHE_EINVAL, "%s: one_value is 0 or 1 (got %d)", fn, dp->one_value);
	if (!isfinite(s) || s <= 0)
		return lt_fail(LATHE_EINVAL, "%s: the sensitivity must be a finite positive number (got %g)", fn, s);
	double r;
	if (dp->epsilon != 0 || dp->delta != 0) {
		if (dp->rho != 0)
			return lt_fail(LATHE_EINVAL, "%s: give (epsilon, delta) or rho, not both", fn);
		if (!isfinite(dp->epsilon) || dp->epsilon <= 0 || !(dp->delta > 0 && dp->delta < 1))
			return lt_fail(LATHE_EINVAL, "%s: epsilon > 0 and 0 < delta < 1 are needed (got %g, %g)", fn,
			               dp->epsilon, dp->delta);
		/* the rho whose zCDP implies (epsilon, delta)-DP: rho + 2 sqrt(rho ln(1/delta)) = epsilon */
		const double L = log(1 / dp->delta);
		r = sqrt(L + dp->epsilon) - sqrt(L);
		r *= r;
	} else {
		if (!isfinite(dp->rho) || dp->rho <= 0)
			return lt_fail(LATHE_EINVAL, "%s: no privacy parameters: (epsilon, delta) or rho > 0 is needed", fn);
		r = dp->rho;
	}
	/*
	 * sigma^2 = Delta^2 / (2 rho), rounded up to an integer (an integer
	 * within 10^-9 stays: the floating-point error of the quotient); *rho
	 * is then what sigma^2 meets, Delta^2 / (2 sigma^2)
	 */
	const double v = ceil(s * s / (2 * r) - 1e-9);
	if (!(v <= 1099511627776.0))
		return lt_fail(LATHE_EINVAL, "%s: sigma^2 = %g is above 2^40, the sampler's range (a larger epsilon or "
		               "rho, or a smaller sensitivity)", fn, v);
	*sigma2 = v < 1 ? 1 : (uint64_t)v;
	if (rho)
		*rho = s * s / (2 * (double)*sigma2);
	return LATHE_OK;
}
