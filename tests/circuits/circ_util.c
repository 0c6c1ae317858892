#define _POSIX_C_SOURCE 200809L
#include "circuits/circ_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
fix_keys(circ_fix *f, uint32_t stream)
{
	f->slots = lathe_ctx_slots(f->ctx);
	f->t = lathe_ctx_plain_modulus(f->ctx);
	test_prng(&f->g, stream);
	CIRC_OK(f, lathe_keygen(f->ctx, &f->sk, &f->pk));
	size_t n = 0;
	unsigned level = 0;
	int steps[64];
	CIRC_OK(f, lathe_circuits_keys(f->ctx, NULL, 0, &n, &level));
	cr_assert(n <= 64);
	CIRC_OK(f, lathe_circuits_keys(f->ctx, steps, 64, &n, &level));
	CIRC_OK(f, lathe_evalkeys_new_at(f->ctx, f->sk, steps, n, level, &f->ek));
	CIRC_OK(f, lathe_eval_new(f->ctx, f->ek, &f->ev));
}

void
circ_fix_preset(circ_fix *f, const char *preset, uint32_t stream)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->desc, sizeof(f->desc), "%s seed=%llu", preset, (unsigned long long)test_seed());
	CIRC_OK(f, lathe_ctx_new_preset(preset, &f->ctx));
	fix_keys(f, stream);
}

void
circ_fix_params(circ_fix *f, unsigned logn, uint64_t t, unsigned depth, uint32_t stream)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->desc, sizeof(f->desc), "insecure N=2^%u t=%llu depth=%u seed=%llu", logn, (unsigned long long)t,
	         depth, (unsigned long long)test_seed());
	lathe_params *p = NULL;
	CIRC_OK(f, lathe_params_new(&p));
	CIRC_OK(f, lathe_params_set_ring(p, logn));
	CIRC_OK(f, lathe_params_set_plain_modulus(p, t, 1));
	CIRC_OK(f, lathe_params_set_depth(p, depth));
	CIRC_OK(f, lathe_params_set_security(p, LATHE_SECURITY_NONE));
	CIRC_OK(f, lathe_ctx_new(p, &f->ctx));
	lathe_params_free(p);
	fix_keys(f, stream);
}

void
circ_fix_clear(circ_fix *f)
{
	lathe_eval_free(f->ev);
	lathe_evalkeys_free(f->ek);
	lathe_pk_free(f->pk);
	lathe_sk_free(f->sk);
	lathe_ctx_free(f->ctx);
	memset(f, 0, sizeof(*f));
}

void
circ_foreign_init(circ_fix *f, circ_foreign *o)
{
	memset(o, 0, sizeof(*o));
	CIRC_OK(f, lathe_keygen(f->ctx, &o->sk, &o->pk));
	CIRC_OK(f, lathe_evalkeys_new_ex(f->ctx, o->sk, NULL, 0, LATHE_EVALKEYS_RELIN, &o->ek));
	CIRC_OK(f, lathe_eval_new(f->ctx, o->ek, &o->ev));
}

void
circ_foreign_free(circ_foreign *o)
{
	lathe_eval_free(o->ev);
	lathe_evalkeys_free(o->ek);
	lathe_pk_free(o->pk);
	lathe_sk_free(o->sk);
	memset(o, 0, sizeof(*o));
}

/* ---- data ---- */

void
csv_load(csv *c, const char *file)
{
	memset(c, 0, sizeof(*c));
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", LATHE_DATA_DIR, file);
	FILE *fp = fopen(path, "r");
	cr_assert_not_null(fp, "cannot open %s", path);
	char line[8192];
	cr_assert_not_null(fgets(line, sizeof(line), fp), "%s: no header", path);
	line[strcspn(line, "\r\n")] = 0;
	size_t cap = 16;
	c->names = calloc(cap, sizeof(char *));
	for (char *tok = strtok(line, ","); tok; tok = strtok(NULL, ",")) {
		if (c->cols == cap)
			c->names = realloc(c->names, (cap *= 2) * sizeof(char *));
		c->names[c->cols++] = strdup(tok);
	}
	size_t vcap = 1024 * c->cols;
	c->v = malloc(vcap * sizeof(double));
	while (fgets(line, sizeof(line), fp)) {
		if (line[0] == '\n' || line[0] == 0)
			continue;
		if ((c->rows + 1) * c->cols > vcap)
			c->v = realloc(c->v, (vcap *= 2) * sizeof(double));
		char *p = line;
		for (size_t j = 0; j < c->cols; j++) {
			char *end = NULL;
			c->v[c->rows * c->cols + j] = strtod(p, &end);
			cr_assert(end != p, "%s: row %zu column %zu not a number", path, c->rows, j);
			p = end + (*end == ',');
		}
		c->rows++;
	}
	fclose(fp);
}

void
csv_free(csv *c)
{
	for (size_t j = 0; j < c->cols; j++)
		free(c->names[j]);
	free(c->names);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

double *
csv_select(const csv *c, const char *const *names, size_t n, size_t first, size_t rows)
{
	cr_assert(first + rows <= c->rows);
	double *out = malloc(rows * n * sizeof(double));
	for (size_t k = 0; k < n; k++) {
		size_t j = 0;
		while (j < c->cols && strcmp(c->names[j], names[k]) != 0)
			j++;
		cr_assert(j < c->cols, "no column %s", names[k]);
		for (size_t i = 0; i < rows; i++)
			out[i * n + k] = c->v[(first + i) * c->cols + j];
	}
	return out;
}

int64_t
fx(double v, double s)
{
	double x = v * s;
	/* half away from zero, by hand */
	double fl = floor(fabs(x));
	double r = fabs(x) - fl >= 0.5 ? fl + 1 : fl;
	return (int64_t)(x < 0 ? -r : r);
}

void
circ_decrypt(circ_fix *f, const lathe_result *r, const char *name, int64_t *out, size_t n)
{
	long i = lathe_result_find(r, name);
	cr_assert(i >= 0, "no item '%s' in the result of '%s' [%s]", name, lathe_result_circuit(r), f->desc);
	CIRC_OK(f, lathe_result_decrypt(f->sk, r, (size_t)i, out, n));
}

lathe_column
circ_col(const char *name, double scale, double lo, double hi)
{
	lathe_column c;
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.scale = scale;
	c.lo = lo;
	c.hi = hi;
	return c;
}

double
circ_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}
