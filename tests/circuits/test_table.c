/*
 * Encrypted patient tables: the choice of scales, the fixed-point encoding
 * and slot layout (decrypted and compared with the values encoded here),
 * every refusal of lathe_table_encrypt, and serialization: round trips
 * through buffers and files, every header byte and a sample of the others
 * corrupted, truncations, and forged buffers with valid checksums.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "circuits/circ_util.h"

Test(table, choose_scale)
{
	circ_fix f = { .desc = "choose_scale" };
	static const struct {
		double lo, hi;
		unsigned bits;
	} cases[] = { { 0, 42.2, 10 }, { -0.3, 0.29, 12 }, { 18, 80, 7 }, { 0, 0, 5 }, { -2501, 143.5, 28 },
		      { 0, 1e-9, 40 }, { 0, 123456789, 20 }, { -1, 1, 1 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s = 0;
		CIRC_OK(&f, lathe_column_choose_scale(cases[i].lo, cases[i].hi, cases[i].bits, &s));
		double m = fmax(fabs(cases[i].lo), fabs(cases[i].hi)), cap = ldexp(1, (int)cases[i].bits) - 1;
		int k = (int)lround(log10(s));
		cr_assert(k >= -6 && k <= 12 && fabs(s / pow(10, k) - 1) < 1e-12, "case %zu: scale %g", i, s);
		cr_assert(m * s <= cap, "case %zu: %g * %g > %g", i, m, s, cap);
		/* the next power of ten would not fit (or s is the largest allowed) */
		cr_assert(k == 12 || m * s * 10 > cap, "case %zu: scale %g is not the largest", i, s);
		/* every integer of the range has at most `bits` bits */
		cr_assert(fabs(round(cases[i].lo * s)) <= cap && fabs(round(cases[i].hi * s)) <= cap);
	}
	double s = 7;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_column_choose_scale(0, 1e9, 8, &s));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_column_choose_scale(1, 0, 8, &s));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_column_choose_scale(0, INFINITY, 8, &s));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_column_choose_scale(NAN, 1, 8, &s));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_column_choose_scale(0, 1, 0, &s));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_column_choose_scale(0, 1, 41, &s));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_column_choose_scale(0, 1, 8, NULL));
}

/* decrypts column j of t and compares patient i with round(v * scale); padding must be 0 */
static void
check_layout(circ_fix *f, const lathe_table *t, const double *vals, size_t rows, size_t n_cols)
{
	lathe_pt *pt = NULL;
	CIRC_OK(f, lathe_pt_new(f->ctx, &pt));
	int64_t *slot = malloc(f->slots * sizeof(int64_t));
	for (size_t j = 0; j < n_cols; j++) {
		const lathe_column *c = lathe_table_column(t, j);
		for (size_t k = 0; k < lathe_table_chunks(t); k++) {
			CIRC_OK(f, lathe_decrypt(f->sk, pt, lathe_table_ct(t, j, k)));
			CIRC_OK(f, lathe_decode(slot, f->slots, pt));
			for (size_t s = 0; s < f->slots; s++) {
				size_t i = k * f->slots + s;
				int64_t want = i < rows ? fx(vals[i * n_cols + j], c->scale) : 0;
				cr_assert_eq(slot[s], want, "column %zu chunk %zu slot %zu: %lld, want %lld [%s]", j, k, s,
				             (long long)slot[s], (long long)want, f->desc);
			}
		}
	}
	free(slot);
	lathe_pt_free(pt);
}

Test(table, encoding_layout_and_accessors)
{
	circ_fix f;
	circ_fix_params(&f, 10, 268042241, 1, 1);
	cr_assert_eq(f.slots, 1024);
	const size_t rows = 2 * f.slots + 5;
	lathe_column cols[3] = { circ_col("age", 1, 18, 80), circ_col("bmi", 10, 15, 45), circ_col("ratio", 1000, -1, 1) };
	double *vals = malloc(rows * 3 * sizeof(double));
	for (size_t i = 0; i < rows; i++) {
		vals[3 * i] = 18 + (double)test_rand(&f.g, 63);
		vals[3 * i + 1] = 15 + (double)test_rand(&f.g, 3001) / 100;
		vals[3 * i + 2] = ((double)test_rand(&f.g, 20001) - 10000) / 10000;
	}
	/* halfway cases round away from zero: 0.0125 * 1000 = 12.5 -> 13, -12.5 -> -13 */
	vals[2] = 0.0125;
	vals[5] = -0.0125;
	vals[3] = 18;
	vals[4] = 45;
	lathe_table *t = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 3, vals, rows, &t));
	cr_assert_eq(fx(0.0125, 1000), 13);
	cr_assert_eq(fx(-0.0125, 1000), -13);
	cr_assert_eq(lathe_table_rows(t), rows);
	cr_assert_eq(lathe_table_cols(t), 3);
	cr_assert_eq(lathe_table_chunks(t), 3);
	cr_assert_eq(lathe_table_find(t, "bmi"), 1);
	cr_assert_eq(lathe_table_find(t, "nope"), -1);
	cr_assert_eq(lathe_table_find(t, NULL), -1);
	cr_assert_str_eq(lathe_table_column(t, 2)->name, "ratio");
	cr_assert_null(lathe_table_column(t, 3));
	cr_assert_null(lathe_table_ct(t, 0, 3));
	cr_assert_eq(lathe_table_rows(NULL), 0);
	cr_assert_eq(lathe_table_chunks(NULL), 0);
	check_layout(&f, t, vals, rows, 3);
	free(vals);
	lathe_table_free(t);
	lathe_table_free(NULL);
	circ_fix_clear(&f);
}

Test(table, encrypt_refusals)
{
	circ_fix f;
	circ_fix_params(&f, 10, 268042241, 1, 2);
	lathe_column cols[2] = { circ_col("a", 10, 0, 10), circ_col("b", 1, -3, 3) };
	double vals[6] = { 1, 2, 3, -3, 10, 3 };
	lathe_table *t = (lathe_table *)&f;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(NULL, cols, 2, vals, 3, &t));
	cr_assert_null(t);
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, NULL, 2, vals, 3, &t));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, cols, 2, NULL, 3, &t));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, cols, 2, vals, 3, NULL));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, cols, 0, vals, 3, &t));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, cols, 2, vals, 0, &t));
	/* bad columns */
	lathe_column bad[2];
	static const char *const badnames[] = { "", "a b", "x:y", "\xc3\xa9" };
	for (size_t i = 0; i < 4; i++) {
		memcpy(bad, cols, sizeof(bad));
		snprintf(bad[0].name, sizeof(bad[0].name), "%s", badnames[i]);
		CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	}
	memcpy(bad, cols, sizeof(bad));
	memset(bad[0].name, 'n', sizeof(bad[0].name)); /* no NUL */
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	memcpy(bad, cols, sizeof(bad));
	snprintf(bad[1].name, sizeof(bad[1].name), "a");
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	const double scales[] = { 0, -1, NAN, INFINITY, 2e12 };
	for (size_t i = 0; i < 5; i++) {
		memcpy(bad, cols, sizeof(bad));
		bad[0].scale = scales[i];
		CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	}
	memcpy(bad, cols, sizeof(bad));
	bad[1].lo = 4;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	bad[1].lo = -INFINITY;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	/* a declared range whose integers do not decode: ERANGE */
	memcpy(bad, cols, sizeof(bad));
	bad[1].hi = 134021121;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	bad[1].hi = 134021120; /* (t - 1) / 2 exactly: accepted */
	CIRC_OK(&f, lathe_table_encrypt(f.pk, bad, 2, vals, 3, &t));
	lathe_table_free(t);
	/* values outside their range, or NaN: ERANGE naming row and column */
	vals[5] = 3.0001;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_table_encrypt(f.pk, cols, 2, vals, 3, &t));
	cr_assert(strstr(lathe_last_error(), "row 2") && strstr(lathe_last_error(), "'b'"), "detail '%s'",
	          lathe_last_error());
	cr_assert_null(t);
	vals[5] = 3;
	vals[0] = NAN;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_table_encrypt(f.pk, cols, 2, vals, 3, &t));
	cr_assert(strstr(lathe_last_error(), "row 0") && strstr(lathe_last_error(), "'a'"), "detail '%s'",
	          lathe_last_error());
	vals[0] = -0.01;
	CIRC_EXPECT(&f, LATHE_ERANGE, lathe_table_encrypt(f.pk, cols, 2, vals, 3, &t));
	vals[0] = 1;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 2, vals, 3, &t));
	lathe_table_free(t);
	circ_fix_clear(&f);
}

/* ---- serialization ---- */

static void
resign(uint8_t *b, size_t len)
{
	crypto_generichash(b + len - 32, 32, b, len - 32, NULL, 0);
}

static void
put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void
same_table(circ_fix *f, const lathe_table *a, const lathe_table *b)
{
	cr_assert_eq(lathe_table_rows(a), lathe_table_rows(b));
	cr_assert_eq(lathe_table_cols(a), lathe_table_cols(b));
	cr_assert_eq(lathe_table_chunks(a), lathe_table_chunks(b));
	for (size_t j = 0; j < lathe_table_cols(a); j++)
		cr_assert(memcmp(lathe_table_column(a, j), lathe_table_column(b, j), sizeof(lathe_column)) == 0);
	uint8_t *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0;
	CIRC_OK(f, lathe_table_to_buffer(a, &x, &nx));
	CIRC_OK(f, lathe_table_to_buffer(b, &y, &ny));
	cr_assert(nx == ny && memcmp(x, y, nx) == 0, "a loaded table saves to other bytes");
	lathe_buffer_free(x);
	lathe_buffer_free(y);
}

Test(table, serialization)
{
	circ_fix f;
	circ_fix_params(&f, 10, 268042241, 1, 3);
	const size_t rows = f.slots + 3;
	lathe_column cols[2] = { circ_col("age", 1, 18, 80), circ_col("bp.mean", 10, 60, 140) };
	double *vals = malloc(rows * 2 * sizeof(double));
	for (size_t i = 0; i < rows; i++) {
		vals[2 * i] = 18 + (double)test_rand(&f.g, 63);
		vals[2 * i + 1] = 60 + (double)test_rand(&f.g, 801) / 10;
	}
	lathe_table *t = NULL, *u = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, cols, 2, vals, rows, &t));
	uint8_t *buf = NULL;
	size_t len = 0;
	CIRC_OK(&f, lathe_table_to_buffer(t, &buf, &len));
	CIRC_OK(&f, lathe_table_from_buffer(f.ctx, buf, len, &u));
	same_table(&f, t, u);
	check_layout(&f, u, vals, rows, 2);
	lathe_table_free(u);

	/* every byte of the header and the column records, and a sample of the ciphertexts: refused */
	const size_t fixed = 88 + 16 + 2 * 88 + 8 + 64;
	size_t refused = 0;
	for (size_t i = 0; i < len; i += i < fixed ? 1 : 4099) {
		buf[i] ^= 0x20;
		lathe_status s = lathe_table_from_buffer(f.ctx, buf, len, &u);
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "byte %zu flipped: %s [%s]", i, lathe_strerror(s),
		          f.desc);
		cr_assert_null(u);
		buf[i] ^= 0x20;
		refused++;
	}
	/* the last byte (checksum) too */
	buf[len - 1] ^= 1;
	CIRC_EXPECT(&f, LATHE_ECORRUPT, lathe_table_from_buffer(f.ctx, buf, len, &u));
	buf[len - 1] ^= 1;
	/* truncated anywhere: refused */
	for (size_t n = 0; n < len; n += n < 400 ? 1 : 7919) {
		lathe_status s = lathe_table_from_buffer(f.ctx, buf, n, &u);
		cr_assert(s == LATHE_ECORRUPT || s == LATHE_EFORMAT, "truncated to %zu: %s", n, lathe_strerror(s));
	}
	/* forged with a valid checksum: each field out of range */
	uint8_t *g = malloc(len);
	struct {
		size_t off;
		uint64_t val;
		int width;
		lathe_status want;
	} forged[] = {
		{ 8, 2, 2, LATHE_EFORMAT },                   /* version */
		{ 10, 2, 2, LATHE_EFORMAT },                  /* kind: a result */
		{ 12, 1, 4, LATHE_EFORMAT },                  /* flags */
		{ 88, 0, 8, LATHE_ECORRUPT },                 /* rows 0 */
		{ 88, rows + f.slots, 8, LATHE_ECORRUPT },    /* rows of another chunk count */
		{ 88, UINT64_MAX, 8, LATHE_ECORRUPT },        /* rows */
		{ 96, 0, 4, LATHE_ECORRUPT },                 /* no columns */
		{ 96, 0xffffffff, 4, LATHE_ECORRUPT },        /* columns beyond the buffer */
		{ 96, 1, 4, LATHE_ECORRUPT },                 /* one column: records left over */
		{ 100, 0xffffffff, 4, LATHE_ECORRUPT },       /* chunks */
		{ 104 + 63, 'x', 1, LATHE_ECORRUPT },         /* a name without NUL */
		{ 104 + 10, 'x', 1, LATHE_ECORRUPT },         /* bytes after the NUL */
		{ 104 + 64, 0, 8, LATHE_ECORRUPT },           /* scale 0 */
		{ 104 + 72, 0x7ff8000000000000ULL, 8, LATHE_ECORRUPT }, /* lo NaN */
		{ 104 + 88, 0, 0, LATHE_ECORRUPT },           /* the second column also called "age" */
		{ 104 + 176, (uint64_t)1 << 40, 8, LATHE_ECORRUPT }, /* a record longer than the rest */
		{ 104 + 176, 3, 8, LATHE_ECORRUPT },          /* a record too short to be a ciphertext */
	};
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
		memcpy(g, buf, len);
		if (forged[i].width == 0) {
			memset(g + forged[i].off, 0, 64);
			memcpy(g + forged[i].off, "age", 3);
		} else if (forged[i].width == 8)
			put64(g + forged[i].off, forged[i].val);
		else
			for (int b = 0; b < forged[i].width; b++)
				g[forged[i].off + (size_t)b] = (uint8_t)(forged[i].val >> (8 * b));
		resign(g, len);
		lathe_status s = lathe_table_from_buffer(f.ctx, g, len, &u);
		cr_assert_eq(s, forged[i].want, "forgery %zu (offset %zu): %s, want %s (%s)", i, forged[i].off,
		             lathe_strerror(s), lathe_strerror(forged[i].want), lathe_last_error());
		cr_assert_null(u);
	}
	/* a trailing byte, with a consistent length and checksum */
	uint8_t *h = malloc(len + 1);
	memcpy(h, buf, len - 32);
	h[len - 32] = 0;
	put64(h + 80, len - 120 + 1);
	resign(h, len + 1);
	CIRC_EXPECT(&f, LATHE_ECORRUPT, lathe_table_from_buffer(f.ctx, h, len + 1, &u));
	free(h);
	/* other parameters: EMISMATCH; another key's ciphertexts inside: ECORRUPT */
	circ_fix o;
	circ_fix_params(&o, 10, 268042241, 2, 4);
	CIRC_EXPECT(&f, LATHE_EMISMATCH, lathe_table_from_buffer(o.ctx, buf, len, &u));
	circ_fix_clear(&o);
	memcpy(g, buf, len);
	g[48] ^= 1; /* the container's key id */
	resign(g, len);
	CIRC_EXPECT(&f, LATHE_ECORRUPT, lathe_table_from_buffer(f.ctx, g, len, &u));
	/* arguments */
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_from_buffer(NULL, buf, len, &u));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_from_buffer(f.ctx, NULL, len, &u));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_from_buffer(f.ctx, buf, len, NULL));
	uint8_t *nb = (uint8_t *)&f;
	size_t nl = 1;
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_to_buffer(NULL, &nb, &nl));
	cr_assert(nb == NULL && nl == 0);
	CIRC_EXPECT(&f, LATHE_EFORMAT, lathe_table_from_buffer(f.ctx, (const uint8_t *)"LATHE\0\2\0", 8, &u));
	cr_log_info("table of %zu bytes: %zu corruptions refused", len, refused);
	free(g);
	lathe_buffer_free(buf);
	free(vals);
	lathe_table_free(t);
	circ_fix_clear(&f);
}

/* the names in dir (a test's own directory) */
static size_t
dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

Test(table, files)
{
	circ_fix f;
	circ_fix_params(&f, 10, 268042241, 1, 5);
	lathe_column col = circ_col("x", 100, -1, 1);
	const double xs[] = { 0.5, -0.25, 1 };
	lathe_table *t = NULL, *u = NULL;
	CIRC_OK(&f, lathe_table_encrypt(f.pk, &col, 1, xs, 3, &t));
	char dir[] = "/tmp/lathe-circ-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[128], missing[160];
	snprintf(path, sizeof(path), "%s/t.lct", dir);
	snprintf(missing, sizeof(missing), "%s/no/such/dir/t.lct", dir);
	CIRC_OK(&f, lathe_table_save(t, path));
	CIRC_OK(&f, lathe_table_save(t, path)); /* replaced */
	cr_assert_eq(dir_entries(dir), 1);
	CIRC_OK(&f, lathe_table_load(f.ctx, path, &u));
	same_table(&f, t, u);
	check_layout(&f, u, xs, 3, 1);
	lathe_table_free(u);
	CIRC_EXPECT(&f, LATHE_EIO, lathe_table_save(t, missing));
	CIRC_EXPECT(&f, LATHE_EIO, lathe_table_load(f.ctx, missing, &u));
	CIRC_EXPECT(&f, LATHE_EIO, lathe_table_load(f.ctx, dir, &u));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_save(t, ""));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_save(NULL, path));
	CIRC_EXPECT(&f, LATHE_EINVAL, lathe_table_load(f.ctx, NULL, &u));
	cr_assert_eq(dir_entries(dir), 1, "a failed save left a file behind");
	/* a truncated file */
	FILE *fp = fopen(path, "r+b");
	cr_assert_not_null(fp);
	cr_assert_eq(ftruncate(fileno(fp), 500), 0);
	fclose(fp);
	CIRC_EXPECT(&f, LATHE_ECORRUPT, lathe_table_load(f.ctx, path, &u));
	cr_assert_null(u);
	unlink(path);
	rmdir(dir);
	lathe_table_free(t);
	circ_fix_clear(&f);
}
