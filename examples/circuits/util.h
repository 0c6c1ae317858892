/*
 * Shared helpers of the circuit examples: checked calls, CSV loading,
 * timing, sizes, fixed-point helpers and the few functions of <math.h> the
 * examples need.
 *
 * Everything is static inline in this one header so that each example
 * builds from its single .c file against an installed lathe:
 *     cc -O2 -o breast_cancer examples/circuits/breast_cancer.c $(pkg-config --cflags --libs lathe)
 * That line links lathe alone, not libm, so exp, sqrt and round are
 * written here (to double precision; the examples compare with tolerances
 * far above their rounding).
 *
 * Exit status of every example: 0 when every check passed, 1 when a
 * lathe call or the input failed, 2 when a check against the plaintext
 * computation failed.
 */
#ifndef LATHE_EXAMPLES_CIRCUITS_UTIL_H
#define LATHE_EXAMPLES_CIRCUITS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lathe.h>
#include <lathe/circuits.h>

/* Where the data sets live: meson passes the source tree's data/; a plain build reads ./data. */
#ifndef LATHE_DATA_DIR
#define LATHE_DATA_DIR "data"
#endif

#define EX_FAIL_CALL 1
#define EX_FAIL_CHECK 2

/* Runs a lathe call; on failure prints the call, the status and lathe_last_error, and exits 1. */
#define EX_CHECK(call) \
	do { \
		lathe_status ex_s_ = (call); \
		if (ex_s_ != LATHE_OK) { \
			fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", __FILE__, __LINE__, #call, lathe_strerror(ex_s_), \
			        lathe_last_error()); \
			exit(EX_FAIL_CALL); \
		} \
	} while (0)

static inline void *
ex_alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(EX_FAIL_CALL);
	}
	return p;
}

/* ---- time ---- */

/* Monotonic clock, seconds. */
static inline double
ex_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Prints one phase's time, "  phase ....... 12.3 ms". */
static inline void
ex_print_time(const char *phase, double seconds)
{
	if (seconds < 1.0)
		printf("  %-44s %9.1f ms\n", phase, seconds * 1e3);
	else
		printf("  %-44s %9.2f s\n", phase, seconds);
}

/* ---- sizes ---- */

static inline void
ex_print_bytes(const char *what, size_t bytes)
{
	double b = (double)bytes;
	if (b >= 1048576.0)
		printf("  %-44s %9.2f MiB (%zu bytes)\n", what, b / 1048576.0, bytes);
	else if (b >= 1024.0)
		printf("  %-44s %9.1f KiB (%zu bytes)\n", what, b / 1024.0, bytes);
	else
		printf("  %-44s %9zu bytes\n", what, bytes);
}

/* Serialized sizes: what travels between the parties. */
static inline size_t
ex_ct_bytes(const lathe_ct *ct)
{
	uint8_t *buf;
	size_t len;
	EX_CHECK(lathe_ct_to_buffer(ct, &buf, &len));
	lathe_buffer_free(buf);
	return len;
}

static inline size_t
ex_pk_bytes(const lathe_pk *pk)
{
	uint8_t *buf;
	size_t len;
	EX_CHECK(lathe_pk_to_buffer(pk, &buf, &len));
	lathe_buffer_free(buf);
	return len;
}

static inline size_t
ex_evalkeys_bytes(const lathe_evalkeys *ek)
{
	uint8_t *buf;
	size_t len;
	EX_CHECK(lathe_evalkeys_to_buffer(ek, &buf, &len));
	lathe_buffer_free(buf);
	return len;
}

static inline size_t
ex_table_bytes(const lathe_table *t)
{
	uint8_t *buf;
	size_t len;
	EX_CHECK(lathe_table_to_buffer(t, &buf, &len));
	lathe_buffer_free(buf);
	return len;
}

static inline size_t
ex_result_bytes(const lathe_result *r)
{
	uint8_t *buf;
	size_t len;
	EX_CHECK(lathe_result_to_buffer(r, &buf, &len));
	lathe_buffer_free(buf);
	return len;
}

/* ---- arithmetic without libm ---- */

static inline double
ex_fabs(double x)
{
	return x < 0 ? -x : x;
}

/* round(x): to the nearest integer, halves away from zero (what lathe's fixed point uses). */
static inline double
ex_round(double x)
{
	if (x < 0)
		return -ex_round(-x);
	if (!(x < 4503599627370496.0)) /* 2^52 and above: already an integer (or NaN) */
		return x;
	double t = (double)(int64_t)x;
	return x - t >= 0.5 ? t + 1.0 : t; /* x - t is exact */
}

static inline int64_t
ex_fixed(double v, double scale)
{
	return (int64_t)ex_round(v * scale);
}

static inline double
ex_floor(double x)
{
	if (!(ex_fabs(x) < 4503599627370496.0))
		return x;
	double t = (double)(int64_t)x;
	return t > x ? t - 1.0 : t;
}

/* 2^k for -1022 <= k <= 1023, from its bits. */
static inline double
ex_pow2i(int k)
{
	union {
		uint64_t u;
		double d;
	} b;
	b.u = (uint64_t)(k + 1023) << 52;
	return b.d;
}

/*
 * e^x: x = k ln 2 + r with |r| <= ln 2 / 2 (ln 2 split in a high part
 * with zero low bits and a low part, so k ln2_hi is exact), e^r by its
 * Taylor series to degree 16 (remainder below 2^-60), times 2^k.
 */
static inline double
ex_exp(double x)
{
	if (x > 709.0)
		x = 709.0;
	if (x < -708.0)
		return 0.0;
	const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
	double kd = ex_floor(x * 1.44269504088896340736 + 0.5);
	double r = (x - kd * ln2_hi) - kd * ln2_lo;
	double s = 1.0;
	for (int i = 16; i >= 1; i--)
		s = 1.0 + s * r / (double)i;
	return s * ex_pow2i((int)kd);
}

/* The logistic function 1 / (1 + e^-z), without overflow for either sign. */
static inline double
ex_sigmoid(double z)
{
	if (z >= 0)
		return 1.0 / (1.0 + ex_exp(-z));
	double e = ex_exp(z);
	return e / (1.0 + e);
}

/* sqrt(x) for x >= 0: x = m 4^e with m in [1, 4), Newton's iteration on m (7 steps from (1 + m) / 2). */
static inline double
ex_sqrt(double x)
{
	if (!(x > 0))
		return 0.0;
	int e = 0;
	while (x >= 4.0) {
		x *= 0.25;
		e++;
	}
	while (x < 1.0) {
		x *= 4.0;
		e--;
	}
	double y = 0.5 * (1.0 + x);
	for (int i = 0; i < 7; i++)
		y = 0.5 * (y + x / y);
	return e >= 0 ? y * ex_pow2i(e) : y / ex_pow2i(-e);
}

/* ---- CSV ---- */

/* A numeric CSV file: a header of column names, then rows of numbers (row-major). */
typedef struct ex_csv {
	size_t rows, cols;
	char **names;
	double *v; /* v[i * cols + j] */
} ex_csv;

static inline void
ex_csv_free(ex_csv *c)
{
	if (c->names)
		for (size_t j = 0; j < c->cols; j++)
			free(c->names[j]);
	free(c->names);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Splits s at commas in place; returns the field count (at most cap pointers stored). */
static inline size_t
ex_csv_split(char *s, char **fields, size_t cap)
{
	size_t n = 0;
	for (;;) {
		if (n < cap)
			fields[n] = s;
		n++;
		char *c = strchr(s, ',');
		if (!c)
			return n;
		*c = '\0';
		s = c + 1;
	}
}

/*
 * Loads path: the first line names the columns, every other non-empty line
 * holds one number per column (LF or CRLF line ends). Returns 0, or -1
 * after printing what is wrong (file, line, column).
 */
static inline int
ex_csv_load(const char *path, ex_csv *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open %s (give the CSV file's path as the first argument)\n", path);
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	char *text = ex_alloc(cap, 1);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			char *bigger = realloc(text, cap);
			if (!bigger) {
				fprintf(stderr, "out of memory reading %s\n", path);
				free(text);
				fclose(f);
				return -1;
			}
			text = bigger;
		}
		size_t got = fread(text + len, 1, cap - 1 - len, f);
		if (got == 0)
			break;
		len += got;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "cannot read %s\n", path);
		free(text);
		return -1;
	}
	text[len] = '\0';

	/* lines: strip the CR of CRLF, skip empty ones */
	size_t n_lines = 0;
	for (size_t i = 0; i < len; i++)
		n_lines += text[i] == '\n';
	char **lines = ex_alloc(n_lines + 1, sizeof(char *));
	size_t nl = 0;
	for (char *s = text; s && *s;) {
		char *e = strchr(s, '\n');
		if (e)
			*e = '\0';
		size_t l = strlen(s);
		if (l && s[l - 1] == '\r')
			s[--l] = '\0';
		if (l)
			lines[nl++] = s;
		s = e ? e + 1 : NULL;
	}
	if (nl < 2) {
		fprintf(stderr, "%s: no header and data rows\n", path);
		free(lines);
		free(text);
		return -1;
	}
	char *hdr[1024];
	size_t cols = ex_csv_split(lines[0], hdr, 1024);
	if (cols > 1024) {
		fprintf(stderr, "%s: more than 1024 columns\n", path);
		free(lines);
		free(text);
		return -1;
	}
	out->cols = cols;
	out->rows = nl - 1;
	out->names = ex_alloc(cols, sizeof(char *));
	for (size_t j = 0; j < cols; j++) {
		out->names[j] = ex_alloc(strlen(hdr[j]) + 1, 1);
		strcpy(out->names[j], hdr[j]);
	}
	out->v = ex_alloc(out->rows * cols, sizeof(double));
	char **fields = ex_alloc(cols, sizeof(char *));
	for (size_t i = 0; i < out->rows; i++) {
		size_t got = ex_csv_split(lines[i + 1], fields, cols);
		if (got != cols) {
			fprintf(stderr, "%s: data row %zu has %zu fields, the header %zu\n", path, i + 1, got, cols);
			free(fields);
			free(lines);
			free(text);
			ex_csv_free(out);
			return -1;
		}
		for (size_t j = 0; j < cols; j++) {
			char *end;
			double x = strtod(fields[j], &end);
			if (end == fields[j] || *end || !(x - x == 0)) {
				fprintf(stderr, "%s: data row %zu, column %s: '%s' is not a finite number\n", path, i + 1,
				        out->names[j], fields[j]);
				free(fields);
				free(lines);
				free(text);
				ex_csv_free(out);
				return -1;
			}
			out->v[i * cols + j] = x;
		}
	}
	free(fields);
	free(lines);
	free(text);
	return 0;
}

/* Index of the column called name, or -1. */
static inline long
ex_csv_col(const ex_csv *c, const char *name)
{
	for (size_t j = 0; j < c->cols; j++)
		if (strcmp(c->names[j], name) == 0)
			return (long)j;
	return -1;
}

/* The data file: argv[1] when given, else LATHE_DATA_DIR/file (written into buf). */
static inline const char *
ex_data_path(int argc, char **argv, const char *file, char *buf, size_t size)
{
	if (argc > 1 && argv[1][0])
		return argv[1];
	snprintf(buf, size, "%s/%s", LATHE_DATA_DIR, file);
	return buf;
}

/* ---- columns ---- */

/* Smallest and largest value of column j. */
static inline void
ex_col_range(const ex_csv *c, size_t j, double *lo, double *hi)
{
	*lo = *hi = c->v[j];
	for (size_t i = 1; i < c->rows; i++) {
		double x = c->v[i * c->cols + j];
		if (x < *lo)
			*lo = x;
		if (x > *hi)
			*hi = x;
	}
}

/* The smallest power of ten 10^k (0 <= k <= 6) at which every value of column j is an integer (10^6 if none). */
static inline double
ex_col_exact_scale(const ex_csv *c, size_t j)
{
	double s = 1.0;
	for (int k = 0; k < 6; k++, s *= 10.0) {
		size_t i = 0;
		for (; i < c->rows; i++) {
			double x = c->v[i * c->cols + j] * s;
			if (ex_fabs(x - ex_round(x)) > 1e-6)
				break;
		}
		if (i == c->rows)
			return s;
	}
	return s;
}

/*
 * The largest scale of the 1-2-5 series (..., 0.5, 1, 2, 5, 10, 20, ...)
 * with round(m * scale) <= limit, m > 0; at least 10^-6.
 */
static inline double
ex_scale_125(double m, double limit)
{
	static const double steps[3] = { 1.0, 2.0, 5.0 };
	double best = 1e-6, dec = 1e-6;
	for (int k = -6; k <= 12; k++, dec *= 10.0)
		for (int i = 0; i < 3; i++) {
			double s = steps[i] * dec;
			if (ex_round(m * s) <= limit)
				best = s;
		}
	return best;
}

/* ---- keys ---- */

/*
 * The evaluation keys the circuits need: the rotation steps and the level
 * lathe_circuits_keys gives, Galois keys made only up to that level
 * (lathe_evalkeys_new_at), and the relinearization key.
 */
static inline lathe_evalkeys *
ex_circuit_keys(const lathe_ctx *ctx, const lathe_sk *sk, size_t *n_steps, unsigned *level)
{
	size_t n;
	unsigned lvl;
	EX_CHECK(lathe_circuits_keys(ctx, NULL, 0, &n, &lvl));
	int *steps = ex_alloc(n, sizeof(int));
	size_t n2;
	EX_CHECK(lathe_circuits_keys(ctx, steps, n, &n2, NULL));
	lathe_evalkeys *ek;
	EX_CHECK(lathe_evalkeys_new_at(ctx, sk, steps, n, lvl, &ek));
	free(steps);
	if (n_steps)
		*n_steps = n;
	if (level)
		*level = lvl;
	return ek;
}

/* One line on the context: N, slots, t, chain primes, log2 Q P, security. */
static inline void
ex_print_ctx(const char *preset, const lathe_ctx *ctx)
{
	lathe_context_info ci;
	EX_CHECK(lathe_ctx_info(ctx, &ci));
	printf("context %s: N = %zu, %zu slots, t = %llu, %u chain primes (top level %u), log2(QP) = %.1f, ",
	       preset, ci.n, ci.slots, (unsigned long long)ci.t, ci.chain_primes, ci.chain_primes - 1, ci.log2_qp);
	if (ci.security)
		printf("%d-bit security\n", ci.security);
	else
		printf("INSECURE (test parameters)\n");
}

/* Index of the result item called name (exits when there is none). */
static inline size_t
ex_item(const lathe_result *r, const char *name)
{
	long i = lathe_result_find(r, name);
	if (i >= 0)
		return (size_t)i;
	fprintf(stderr, "result of circuit %s has no item %s\n", lathe_result_circuit(r), name);
	exit(EX_FAIL_CALL);
}

#endif
