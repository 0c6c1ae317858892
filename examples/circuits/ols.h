/*
 * Ordinary least squares in double precision, the plaintext reference of
 * the regression examples: Householder QR of the design matrix, so the
 * normal equations (whose condition number is the square of the data's)
 * are never formed (Golub, Van Loan, "Matrix Computations", 4th ed.,
 * Alg. 5.2.1 and §5.3.3).
 */
#ifndef LATHE_EXAMPLES_CIRCUITS_OLS_H
#define LATHE_EXAMPLES_CIRCUITS_OLS_H

#include "util.h"

/*
 * coef[0..k) minimizing ||A coef - y||_2, A rows x k row-major (rows >= k).
 * Returns 0, or -1 when a column is (numerically) dependent on the others.
 */
static inline int
ex_lstsq(const double *A, const double *y, size_t rows, size_t k, double *coef)
{
	if (rows < k || k == 0)
		return -1;
	double *R = ex_alloc(rows * k, sizeof(double)); /* column-major: R[j * rows + i] */
	double *b = ex_alloc(rows, sizeof(double));
	double *v = ex_alloc(rows, sizeof(double));
	double *norm0 = ex_alloc(k, sizeof(double));
	for (size_t i = 0; i < rows; i++) {
		for (size_t j = 0; j < k; j++)
			R[j * rows + i] = A[i * k + j];
		b[i] = y[i];
	}
	for (size_t j = 0; j < k; j++) {
		double s = 0;
		for (size_t i = 0; i < rows; i++)
			s += R[j * rows + i] * R[j * rows + i];
		norm0[j] = ex_sqrt(s);
	}
	int status = 0;
	for (size_t j = 0; j < k; j++) {
		/* v = x - alpha e_1 with alpha = -sign(x_0) ||x||, so that H x = alpha e_1 without cancellation */
		double *x = R + j * rows;
		double s = 0;
		for (size_t i = j; i < rows; i++)
			s += x[i] * x[i];
		double nx = ex_sqrt(s);
		if (!(nx > 1e-12 * norm0[j])) {
			status = -1;
			break;
		}
		double alpha = x[j] > 0 ? -nx : nx;
		double vv = 0;
		for (size_t i = j; i < rows; i++) {
			v[i] = x[i] - (i == j ? alpha : 0.0);
			vv += v[i] * v[i];
		}
		/* H = I - 2 v v^T / (v^T v) on the remaining columns and on b */
		for (size_t c = j; c < k; c++) {
			double *col = R + c * rows;
			double dot = 0;
			for (size_t i = j; i < rows; i++)
				dot += v[i] * col[i];
			double f = 2.0 * dot / vv;
			for (size_t i = j; i < rows; i++)
				col[i] -= f * v[i];
		}
		double dot = 0;
		for (size_t i = j; i < rows; i++)
			dot += v[i] * b[i];
		double f = 2.0 * dot / vv;
		for (size_t i = j; i < rows; i++)
			b[i] -= f * v[i];
	}
	if (status == 0) {
		/* back substitution: R[0..k, 0..k] coef = b[0..k] */
		for (size_t jj = k; jj-- > 0;) {
			double s = b[jj];
			for (size_t c = jj + 1; c < k; c++)
				s -= R[c * rows + jj] * coef[c];
			coef[jj] = s / R[jj * rows + jj];
		}
	}
	free(R);
	free(b);
	free(v);
	free(norm0);
	return status;
}

/* R^2 = 1 - RSS / TSS of coefficients coef on A (rows x k) and y. */
static inline double
ex_r2(const double *A, const double *y, size_t rows, size_t k, const double *coef)
{
	double mean = 0;
	for (size_t i = 0; i < rows; i++)
		mean += y[i];
	mean /= (double)rows;
	double rss = 0, tss = 0;
	for (size_t i = 0; i < rows; i++) {
		double f = 0;
		for (size_t j = 0; j < k; j++)
			f += A[i * k + j] * coef[j];
		rss += (y[i] - f) * (y[i] - f);
		tss += (y[i] - mean) * (y[i] - mean);
	}
	return 1.0 - rss / tss;
}

#endif
