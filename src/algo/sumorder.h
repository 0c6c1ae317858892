/*
 * The operand order of a homomorphic sum, shared by the algo modules
 * (public API only). Never installed.
 */
#ifndef LT_ALGO_SUMORDER_H
#define LT_ALGO_SUMORDER_H

#include <lathe/bgv.h>

/*
 * Whether x should be the first operand of a sum with y: the one at the
 * lower level, or at one level the one with the smaller public budget
 * (the noisier). A sum is taken at the first operand's correction factor,
 * so a ratio of factors (up to t/2), if any, multiplies the noise of the
 * second: it must be the quieter one.
 */
static inline int
lt_sum_goes_first(const lathe_ct *x, const lathe_ct *y)
{
	unsigned lx = lathe_ct_level(x), ly = lathe_ct_level(y);
	if (lx != ly)
		return lx < ly;
	int bx = 0, by = 0;
	if (lathe_ct_budget_estimate(x, &bx) || lathe_ct_budget_estimate(y, &by))
		return 0;
	return bx < by;
}

#endif
