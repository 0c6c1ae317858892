/*
 * lathe encrypt: columns of a CSV file into an encrypted table, with the
 * public key alone. Each column gets a declared range (its minimum and
 * maximum in the file, widened outward to a round value) and a
 * fixed-point scale (given, or chosen so that every built-in circuit's
 * sums over the table fit the plaintext modulus).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli.h"

static const char help[] =
	"usage: lathe encrypt --keys DIR --in data.csv --columns a,b,c\n"
	"                     [--scale S | --scales a=S,b=S] [--missing error|skip|zero]\n"
	"                     --out data.lct\n"
	"\n"
	"Encrypts the named columns of a CSV file (a header row, then one patient per\n"
	"row; RFC 4180 quoting, CRLF or LF, a UTF-8 byte-order mark allowed) with\n"
	"DIR/public.key (the secret key is never opened). Only the named columns are\n"
	"read; their values are decimals (sign, digits, point, exponent).\n"
	"\n"
	"options:\n"
	"  --keys DIR        the key directory (DIR/public.key is read)\n"
	"  --in FILE         the CSV file\n"
	"  --columns LIST    the columns to encrypt, comma-separated, as in the header\n"
	"  --scale S         fixed-point scale of every column: a value v is encrypted as\n"
	"                    round(v * S)\n"
	"  --scales a=S,...  scales of some columns (the others are chosen)\n"
	"  --missing MODE    an empty value: error (default: refused, naming the row and\n"
	"                    column), skip (the patient's row is left out), zero (0)\n"
	"  --out FILE        the encrypted table (required)\n"
	"\n"
	"Declared ranges: each column's minimum and maximum in the file, each end moved\n"
	"outward to a multiple of 10^e, 10^e the leading decimal place of the larger\n"
	"magnitude (e.g. 18.2..42.7 -> 10..50); the evaluator sees these ranges.\n"
	"Scales, unless given: the largest power of ten that keeps the column's\n"
	"integers within b bits, b the largest with rows * (2^b - 1)^2 <= (t - 1)/2, so\n"
	"that the sums of squares and products of `stats` and `regression` fit t.\n"
	"Rows are numbered from 1 after the header (row 1 is the file's line 2 unless\n"
	"quoted fields hold line breaks; messages name both).\n";

#define MISSING_ERROR 0
#define MISSING_SKIP 1
#define MISSING_ZERO 2

/* Splits a comma-separated list into trimmed words (a new array of strings in one allocation). */
static int
split_list(const char *s, char ***words, size_t *n, char **store)
{
	*words = NULL;
	*n = 0;
	*store = strdup(s);
	if (!*store)
		return -1;
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	char **w = malloc(cap * sizeof *w);
	if (!w) {
		free(*store);
		*store = NULL;
		return -1;
	}
	char *p = *store;
	size_t k = 0;
	for (;;) {
		char *c = strchr(p, ',');
		if (c)
			*c = '\0';
		w[k++] = cli_trim(p);
		if (!c)
			break;
		p = c + 1;
	}
	*words = w;
	*n = k;
	return 0;
}

/* Widens [lo, hi] outward to multiples of 10^e, 10^e <= max(|lo|, |hi|) < 10^(e+1). */
static void
widen(double lo, double hi, double *wlo, double *whi)
{
	double m = fmax(fabs(lo), fabs(hi));
	*wlo = lo;
	*whi = hi;
	if (!(m > 0) || !isfinite(m))
		return;
	int e = (int)floor(log10(m));
	if (e < -300 || e > 300)
		return;
	double p = pow(10.0, fabs((double)e));
	/* p = 10^|e| is exact up to 10^22; dividing by it gives the nearest double of a decimal step */
	double a, b;
	if (e >= 0) {
		a = floor(lo / p) * p;
		b = ceil(hi / p) * p;
	} else {
		a = floor(lo * p) / p;
		b = ceil(hi * p) / p;
	}
	while (a > lo)
		a = nextafter(a, -INFINITY);
	while (b < hi)
		b = nextafter(b, INFINITY);
	if (isfinite(a) && isfinite(b)) {
		*wlo = a;
		*whi = b;
	}
}

static int
parse_scale(const char *s, const char *what, double *v)
{
	const char *why;
	if (!cli_parse_decimal(s, v, &why))
		return cli_fail(CLI_EUSAGE, "encrypt: %s '%s': %s", what, s, why);
	if (!(*v > 0) || *v > 1099511627776.0)
		return cli_fail(CLI_EUSAGE, "encrypt: %s '%s': a scale must be > 0 and at most 2^40", what, s);
	return CLI_OK;
}

struct col_acc {
	const char *name;
	size_t field;             /* index in the header */
	double scale;             /* 0: to choose */
	double lo, hi;            /* over the rows kept */
	size_t lo_row, hi_row;    /* data rows (1-based) holding them */
	size_t lo_line, hi_line;
};

int
cli_cmd_encrypt(int argc, char **argv)
{
	const char *keys = NULL, *in = NULL, *columns = NULL, *scale_s = NULL, *scales_s = NULL, *missing_s = NULL,
	           *out = NULL;
	const cli_opt opts[] = {
		{ "keys", 1, &keys },       { "in", 1, &in },         { "columns", 1, &columns },
		{ "scale", 1, &scale_s },   { "scales", 1, &scales_s }, { "missing", 1, &missing_s },
		{ "out", 1, &out },         { NULL, 0, NULL },
	};
	size_t npos;
	int help_asked;
	int rc = cli_parse("encrypt", argc, argv, opts, NULL, 0, &npos, &help_asked);
	if (rc != CLI_OK)
		return rc;
	if (help_asked) {
		fputs(help, stdout);
		return CLI_OK;
	}
	if (!keys)
		return cli_fail(CLI_EUSAGE, "encrypt: missing --keys DIR (the key directory with public.key)");
	if (!in)
		return cli_fail(CLI_EUSAGE, "encrypt: missing --in FILE (the CSV file)");
	if (!columns)
		return cli_fail(CLI_EUSAGE, "encrypt: missing --columns a,b,c (the columns to encrypt)");
	if (!out)
		return cli_fail(CLI_EUSAGE, "encrypt: missing --out FILE (the output file must be given)");
	if (scale_s && scales_s)
		return cli_fail(CLI_EUSAGE, "encrypt: give --scale or --scales, not both");
	int missing = MISSING_ERROR;
	if (missing_s) {
		if (strcmp(missing_s, "error") == 0)
			missing = MISSING_ERROR;
		else if (strcmp(missing_s, "skip") == 0)
			missing = MISSING_SKIP;
		else if (strcmp(missing_s, "zero") == 0)
			missing = MISSING_ZERO;
		else
			return cli_fail(CLI_EUSAGE, "encrypt: --missing '%s': one of error, skip, zero", missing_s);
	}
	struct stat st;
	if (stat(keys, &st) == 0 && !S_ISDIR(st.st_mode))
		return cli_fail(CLI_EUSAGE, "encrypt: --keys %s: not a directory (give the key directory; its public.key "
		                "is read)", keys);

	char **names = NULL, *names_store = NULL, **sc_words = NULL, *sc_store = NULL;
	size_t n_cols = 0, n_sc = 0;
	struct col_acc *acc = NULL;
	cli_container kc;
	memset(&kc, 0, sizeof kc);
	lathe_ctx *ctx = NULL;
	lathe_pk *pk = NULL;
	cli_csv csv;
	memset(&csv, 0, sizeof csv);
	double *vals = NULL;
	size_t rows = 0, cap_rows = 0, skipped = 0, first_skipped = 0;
	lathe_column *cols = NULL;
	lathe_table *table = NULL;
	uint8_t *tbuf = NULL;
	size_t tlen = 0;
	char *pk_path = NULL;
	lathe_status s;

	if (split_list(columns, &names, &n_cols, &names_store) != 0) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	acc = calloc(n_cols, sizeof *acc);
	if (!acc) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	for (size_t j = 0; j < n_cols; j++) {
		if (!*names[j]) {
			rc = cli_fail(CLI_EUSAGE, "encrypt: --columns '%s': an empty column name", columns);
			goto done;
		}
		for (size_t i = 0; i < j; i++)
			if (strcmp(names[i], names[j]) == 0) {
				rc = cli_fail(CLI_EUSAGE, "encrypt: --columns: '%s' named twice", names[j]);
				goto done;
			}
		acc[j].name = names[j];
	}
	if (scale_s) {
		double v;
		if ((rc = parse_scale(scale_s, "--scale", &v)) != CLI_OK)
			goto done;
		for (size_t j = 0; j < n_cols; j++)
			acc[j].scale = v;
	}
	if (scales_s) {
		if (split_list(scales_s, &sc_words, &n_sc, &sc_store) != 0) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		for (size_t k = 0; k < n_sc; k++) {
			char *eq = strchr(sc_words[k], '=');
			if (!eq) {
				rc = cli_fail(CLI_EUSAGE, "encrypt: --scales: '%s' is not NAME=SCALE", sc_words[k]);
				goto done;
			}
			*eq = '\0';
			const char *nm = cli_trim(sc_words[k]);
			char *val = cli_trim(eq + 1);
			size_t j = 0;
			while (j < n_cols && strcmp(acc[j].name, nm) != 0)
				j++;
			if (j == n_cols) {
				rc = cli_fail(CLI_EUSAGE, "encrypt: --scales: column '%s' is not in --columns", nm);
				goto done;
			}
			if (acc[j].scale > 0) {
				rc = cli_fail(CLI_EUSAGE, "encrypt: --scales: column '%s' given twice", nm);
				goto done;
			}
			if ((rc = parse_scale(val, "--scales", &acc[j].scale)) != CLI_OK)
				goto done;
		}
	}

	/* the public key (and its parameters) */
	pk_path = cli_path_join(keys, "public.key");
	if (!pk_path) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	if ((rc = cli_container_open(pk_path, CLI_FILE_PUBLIC_KEY, &kc, &ctx)) != CLI_OK)
		goto done;
	if ((s = lathe_pk_from_buffer(ctx, kc.obj_buf, kc.obj_len, &pk)) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s) == CLI_EOTHER ? CLI_EOTHER : CLI_EFILE, "%s: %s", pk_path, cli_detail(s));
		goto done;
	}

	/* the CSV file */
	if ((rc = cli_csv_open(&csv, in)) != CLI_OK)
		goto done;
	int r = cli_csv_next(&csv);
	if (r < 0) {
		rc = CLI_EDATA;
		goto done;
	}
	if (r == 0) {
		rc = cli_fail(CLI_EDATA, "%s: empty file (no header row)", in);
		goto done;
	}
	size_t n_header = csv.n_fields;
	for (size_t k = 0; k < n_header; k++)
		cli_trim(csv.fields[k]);
	for (size_t j = 0; j < n_cols; j++) {
		size_t found = n_header;
		for (size_t k = 0; k < n_header; k++) {
			if (strcmp(csv.fields[k], acc[j].name) != 0)
				continue;
			if (found != n_header) {
				rc = cli_fail(CLI_EDATA, "%s: column '%s' appears twice in the header (fields %zu and %zu)", in,
				              acc[j].name, found + 1, k + 1);
				goto done;
			}
			found = k;
		}
		if (found == n_header) {
			rc = cli_fail(CLI_EDATA, "%s: unknown column '%s' (not in the header row)", in, acc[j].name);
			goto done;
		}
		if (!cli_valid_name(acc[j].name)) {
			rc = cli_fail(CLI_EDATA, "%s: column '%s': a table column's name is 1 to %d bytes of letters, digits, "
			              "'_', '.' and '-'", in, acc[j].name, LATHE_NAME_MAX - 1);
			goto done;
		}
		acc[j].field = found;
	}

	double *row_vals = malloc(n_cols * sizeof *row_vals);
	if (!row_vals) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	size_t data_row = 0;
	while ((r = cli_csv_next(&csv)) == 1) {
		data_row++;
		if (csv.n_fields != n_header) {
			rc = cli_fail(CLI_EDATA, "%s: row %zu (line %zu): %zu fields, the header has %zu", in, data_row,
			              csv.rec_line, csv.n_fields, n_header);
			break;
		}
		int skip = 0;
		for (size_t j = 0; j < n_cols && rc == CLI_OK; j++) {
			char *f = cli_trim(csv.fields[acc[j].field]);
			if (!*f) {
				if (missing == MISSING_ERROR)
					rc = cli_fail(CLI_EDATA, "%s: row %zu (line %zu), column '%s': missing value (empty field; "
					              "--missing skip leaves the row out, --missing zero reads 0)", in, data_row,
					              csv.rec_line, acc[j].name);
				else if (missing == MISSING_SKIP)
					skip = 1;
				row_vals[j] = 0.0;
				continue;
			}
			const char *why;
			if (!cli_parse_decimal(f, &row_vals[j], &why))
				rc = cli_fail(CLI_EDATA, "%s: row %zu (line %zu), column '%s': '%.40s%s' is %s", in, data_row,
				              csv.rec_line, acc[j].name, f, strlen(f) > 40 ? "..." : "", why);
		}
		if (rc != CLI_OK)
			break;
		if (skip) {
			if (!skipped)
				first_skipped = data_row;
			skipped++;
			continue;
		}
		if (rows == cap_rows) {
			size_t nc = cap_rows ? 2 * cap_rows : 1024;
			double *nv = realloc(vals, nc * n_cols * sizeof *nv);
			if (!nv) {
				rc = cli_fail(CLI_EOTHER, "out of memory (%zu rows)", rows);
				break;
			}
			vals = nv;
			cap_rows = nc;
		}
		for (size_t j = 0; j < n_cols; j++) {
			double v = row_vals[j];
			vals[rows * n_cols + j] = v;
			if (rows == 0 || v < acc[j].lo) {
				acc[j].lo = v;
				acc[j].lo_row = data_row;
				acc[j].lo_line = csv.rec_line;
			}
			if (rows == 0 || v > acc[j].hi) {
				acc[j].hi = v;
				acc[j].hi_row = data_row;
				acc[j].hi_line = csv.rec_line;
			}
		}
		rows++;
	}
	sodium_memzero(row_vals, n_cols * sizeof *row_vals);
	free(row_vals);
	if (rc != CLI_OK)
		goto done;
	if (r < 0) {
		rc = CLI_EDATA;
		goto done;
	}
	if (rows == 0) {
		rc = cli_fail(CLI_EDATA, "%s: no data rows%s", in, skipped ? " left (every row had a missing value)" : "");
		goto done;
	}

	/* ranges and scales */
	uint64_t t = lathe_ctx_plain_modulus(ctx);
	double half = (double)((t - 1) / 2);
	unsigned bits = 1;
	for (unsigned b = 1; b <= 40; b++) {
		double m = ldexp(1.0, (int)b) - 1;
		if ((double)rows * m * m <= half)
			bits = b;
	}
	cols = calloc(n_cols, sizeof *cols);
	if (!cols) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	for (size_t j = 0; j < n_cols; j++) {
		struct col_acc *a = &acc[j];
		double wlo, whi;
		widen(a->lo, a->hi, &wlo, &whi);
		double sc = a->scale;
		if (!(sc > 0)) {
			s = lathe_column_choose_scale(wlo, whi, bits, &sc);
			if (s != LATHE_OK) {
				rc = cli_fail(CLI_EDATA, "%s: column '%s': no scale for the range [%g, %g]: %s", in, a->name, wlo,
				              whi, cli_detail(s));
				goto done;
			}
		}
		/* every value's integer must lie in the plaintext space, |round(v * scale)| <= (t - 1) / 2 */
		if (fabs(round(a->lo * sc)) > half || fabs(round(a->hi * sc)) > half) {
			int low = fabs(round(a->lo * sc)) > fabs(round(a->hi * sc));
			double v = low ? a->lo : a->hi;
			rc = cli_fail(CLI_EDATA, "%s: row %zu (line %zu), column '%s': %g at scale %g is %.0f, beyond the "
			              "plaintext space (|value * scale| <= %.0f); give a smaller --scale", in,
			              low ? a->lo_row : a->hi_row, low ? a->lo_line : a->hi_line, a->name, v, sc, round(v * sc),
			              half);
			goto done;
		}
		/* a widened end that would leave the plaintext space stays at the data's end */
		if (fabs(round(wlo * sc)) > half)
			wlo = a->lo;
		if (fabs(round(whi * sc)) > half)
			whi = a->hi;
		snprintf(cols[j].name, sizeof cols[j].name, "%s", a->name);
		cols[j].scale = sc;
		cols[j].lo = wlo;
		cols[j].hi = whi;
	}

	cli_progress_begin("lathe encrypt", 2);
	cli_progress_step("encrypting");
	s = lathe_table_encrypt(pk, cols, n_cols, vals, rows, &table);
	if (s != LATHE_OK) {
		rc = cli_fail(s == LATHE_ERANGE || s == LATHE_EINVAL ? CLI_EDATA : cli_code_of(s), "%s: %s", in,
		              cli_detail(s));
		goto done;
	}
	cli_progress_step("writing");
	if ((s = lathe_table_to_buffer(table, &tbuf, &tlen)) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "%s: %s", out, cli_detail(s));
		goto done;
	}
	if ((rc = cli_container_write(out, CLI_FILE_TABLE, kc.key_id, kc.preset, ctx, tbuf, tlen, 0666)) != CLI_OK)
		goto done;
	cli_progress_end();
	if (skipped)
		cli_warn("%s: left out %zu row%s with missing values (--missing skip; the first is data row %zu)", in,
		         skipped, skipped == 1 ? "" : "s", first_skipped);
	printf("%s: %zu rows, %zu column%s\n", out, rows, n_cols, n_cols == 1 ? "" : "s");
	for (size_t j = 0; j < n_cols; j++) {
		char a[32], b[32], c[32];
		printf("  %s: scale %s, range [%s, %s]\n", cols[j].name, cli_fmt_double(a, cols[j].scale),
		       cli_fmt_double(b, cols[j].lo), cli_fmt_double(c, cols[j].hi));
	}
	rc = CLI_OK;

done:
	cli_progress_end();
	lathe_buffer_free(tbuf);
	lathe_table_free(table);
	free(cols);
	if (vals) {
		/* patients' values: wiped before they are freed */
		sodium_memzero(vals, cap_rows * n_cols * sizeof *vals);
		free(vals);
	}
	if (csv.buf)
		sodium_memzero(csv.buf, csv.len);
	cli_csv_close(&csv);
	lathe_pk_free(pk);
	lathe_ctx_free(ctx);
	cli_container_free(&kc);
	free(pk_path);
	free(acc);
	free(names);
	free(names_store);
	free(sc_words);
	free(sc_store);
	return rc;
}
