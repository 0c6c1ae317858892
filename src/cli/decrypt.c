/*
 * lathe decrypt: an encrypted result into a CSV file, with the secret key.
 * Per-patient results give one row per patient (row, score[, decision]);
 * aggregates give one row per named quantity (quantity, value), finished
 * into means and variances (stats) or solved into coefficients
 * (regression).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "cli.h"

static const char help[] =
	"usage: lathe decrypt --keys DIR [--passphrase-file F] --in result.lct\n"
	"                     --out result.csv\n"
	"\n"
	"Decrypts a result of lathe eval with DIR/secret.key (the passphrase is asked\n"
	"on the terminal, or read from the first line of F) into a CSV file:\n"
	"  linear, logistic  row,score[,decision]: one row per patient, in the order of\n"
	"                    the encrypted table (row 1 is its first patient)\n"
	"  stats             quantity,value: count, then sum:C, mean:C, variance:C\n"
	"                    (population variance) for every column C\n"
	"  regression        quantity,value: n, intercept, coef:C for every column C,\n"
	"                    r2\n"
	"\n"
	"options:\n"
	"  --keys DIR             the key directory (DIR/secret.key is read)\n"
	"  --passphrase-file F    the passphrase (first line of F)\n"
	"  --in FILE              the encrypted result\n"
	"  --out FILE             the CSV file to write (required)\n";

/* The item called name, or -1. */
static long
find_item(const lathe_result *r, const char *name)
{
	for (size_t i = 0; i < lathe_result_items(r); i++)
		if (strcmp(lathe_result_item_name(r, i), name) == 0)
			return (long)i;
	return -1;
}

static void
put_real(FILE *f, double v)
{
	char b[32];
	fputs(cli_fmt_double(b, v), f);
}

static int
write_per_patient(FILE *f, const lathe_result *r, int64_t **vals)
{
	size_t rows = lathe_result_rows(r), n = lathe_result_items(r);
	fputs("row", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, ",%s", lathe_result_item_name(r, i));
	fputs("\n", f);
	for (size_t p = 0; p < rows; p++) {
		fprintf(f, "%zu", p + 1);
		for (size_t i = 0; i < n; i++) {
			fputc(',', f);
			double d = lathe_result_item_denominator(r, i);
			if (d == 1.0)
				fprintf(f, "%lld", (long long)vals[i][p]);
			else
				put_real(f, (double)vals[i][p] / d);
		}
		fputs("\n", f);
	}
	return CLI_OK;
}

static int
write_stats(FILE *f, const lathe_result *r, const int64_t *agg, const char *in)
{
	fputs("quantity,value\n", f);
	int count_done = 0;
	for (size_t i = 0; i < lathe_result_items(r); i++) {
		const char *nm = lathe_result_item_name(r, i);
		if (strncmp(nm, "sum:", 4) != 0)
			continue;
		const char *col = nm + 4;
		int64_t count;
		double sum, mean, var;
		lathe_status s = lathe_stats_finish(r, agg, col, &count, &sum, &mean, &var);
		if (s != LATHE_OK && s != LATHE_ERANGE)
			return cli_fail(cli_code_of(s) == CLI_EOTHER ? CLI_EFILE : cli_code_of(s), "%s: column '%s': %s", in,
			                col, cli_detail(s));
		if (!count_done) {
			fprintf(f, "count,%lld\n", (long long)count);
			count_done = 1;
		}
		fprintf(f, "sum:%s,", col);
		put_real(f, sum);
		/* no patient: mean and variance are undefined, left empty */
		fprintf(f, "\nmean:%s,", col);
		if (s == LATHE_OK)
			put_real(f, mean);
		fprintf(f, "\nvariance:%s,", col);
		if (s == LATHE_OK)
			put_real(f, var);
		fputs("\n", f);
	}
	if (!count_done) {
		long c = find_item(r, "count");
		if (c < 0)
			return cli_fail(CLI_EFILE, "%s: a stats result without a count", in);
		fprintf(f, "count,%lld\n", (long long)agg[c]);
	}
	return CLI_OK;
}

static int
write_regression(FILE *f, const lathe_result *r, const int64_t *agg, const char *in)
{
	size_t n = lathe_result_items(r), k = 0;
	for (size_t i = 0; i < n; i++)
		k += strncmp(lathe_result_item_name(r, i), "sx:", 3) == 0;
	double *coef = calloc(k + 1, sizeof *coef);
	if (!coef)
		return cli_fail(CLI_EOTHER, "out of memory");
	double r2 = 0;
	lathe_status s = lathe_regression_solve(r, agg, coef, k + 1, &r2);
	if (s != LATHE_OK) {
		free(coef);
		if (s == LATHE_ERANGE)
			return cli_fail(CLI_EDATA, "%s: the regression has no unique solution (%s): a column is constant or a "
			                "combination of the others", in, cli_detail(s));
		return cli_fail(cli_code_of(s) == CLI_EOTHER ? CLI_EFILE : cli_code_of(s), "%s: %s", in, cli_detail(s));
	}
	fputs("quantity,value\n", f);
	long ni = find_item(r, "n");
	if (ni >= 0)
		fprintf(f, "n,%lld\n", (long long)agg[ni]);
	fputs("intercept,", f);
	put_real(f, coef[0]);
	fputs("\n", f);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		const char *nm = lathe_result_item_name(r, i);
		if (strncmp(nm, "sx:", 3) != 0)
			continue;
		fprintf(f, "coef:%s,", nm + 3);
		put_real(f, coef[1 + j++]);
		fputs("\n", f);
	}
	fputs("r2,", f);
	put_real(f, r2);
	fputs("\n", f);
	free(coef);
	return CLI_OK;
}

static int
write_aggregates(FILE *f, const lathe_result *r, const int64_t *agg)
{
	fputs("quantity,value\n", f);
	for (size_t i = 0; i < lathe_result_items(r); i++) {
		fprintf(f, "%s,", lathe_result_item_name(r, i));
		double d = lathe_result_item_denominator(r, i);
		if (d == 1.0)
			fprintf(f, "%lld", (long long)agg[i]);
		else
			put_real(f, (double)agg[i] / d);
		fputs("\n", f);
	}
	return CLI_OK;
}

int
cli_result_text(const lathe_result *res, int64_t *const *vals, const char *in, int raw, char **text,
                size_t *text_len)
{
	*text = NULL;
	*text_len = 0;
	const size_t n_items = lathe_result_items(res);
	int per_patient = n_items > 0, aggregate = n_items > 0;
	for (size_t i = 0; i < n_items; i++) {
		per_patient &= lathe_result_item_kind(res, i) == LATHE_ITEM_PER_PATIENT;
		aggregate &= lathe_result_item_kind(res, i) == LATHE_ITEM_AGGREGATE;
	}
	FILE *mem = open_memstream(text, text_len);
	if (!mem)
		return cli_fail(CLI_EOTHER, "out of memory");
	int rc;
	const char *circuit = lathe_result_circuit(res);
	if (per_patient) {
		rc = write_per_patient(mem, res, (int64_t **)vals);
	} else if (aggregate) {
		int64_t *agg = malloc((n_items ? n_items : 1) * sizeof *agg);
		if (!agg) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
		} else {
			for (size_t i = 0; i < n_items; i++)
				agg[i] = vals[i][0];
			if (raw)
				rc = write_aggregates(mem, res, agg);
			else if (strcmp(circuit, "stats") == 0)
				rc = write_stats(mem, res, agg, in);
			else if (strcmp(circuit, "regression") == 0)
				rc = write_regression(mem, res, agg, in);
			else
				rc = write_aggregates(mem, res, agg);
			sodium_memzero(agg, n_items * sizeof *agg);
			free(agg);
		}
	} else {
		rc = cli_fail(CLI_EFILE, "%s: a result that mixes per-patient and aggregate items", in);
	}
	if (fclose(mem) != 0 && rc == CLI_OK)
		rc = cli_fail(CLI_EOTHER, "out of memory");
	if (rc != CLI_OK && *text) {
		sodium_memzero(*text, *text_len);
		free(*text);
		*text = NULL;
		*text_len = 0;
	}
	return rc;
}

int
cli_write_text(const char *out, const char *text, size_t len)
{
	cli_out o;
	int rc = cli_out_open(&o, out, 0666);
	if (rc != CLI_OK)
		return rc;
	if ((rc = cli_out_write(&o, text, len)) != CLI_OK || (rc = cli_out_commit(&o)) != CLI_OK) {
		cli_out_abort(&o);
		return rc;
	}
	return CLI_OK;
}

int
cli_cmd_decrypt(int argc, char **argv)
{
	const char *keys = NULL, *pfile = NULL, *in = NULL, *out = NULL;
	const cli_opt opts[] = {
		{ "keys", 1, &keys }, { "passphrase-file", 1, &pfile }, { "in", 1, &in }, { "out", 1, &out },
		{ NULL, 0, NULL },
	};
	size_t npos;
	int help_asked;
	int rc = cli_parse("decrypt", argc, argv, opts, NULL, 0, &npos, &help_asked);
	if (rc != CLI_OK)
		return rc;
	if (help_asked) {
		fputs(help, stdout);
		return CLI_OK;
	}
	if (!keys)
		return cli_fail(CLI_EUSAGE, "decrypt: missing --keys DIR (the key directory with secret.key)");
	if (!in)
		return cli_fail(CLI_EUSAGE, "decrypt: missing --in FILE (the encrypted result)");
	if (!out)
		return cli_fail(CLI_EUSAGE, "decrypt: missing --out FILE (the output file must be given)");
	struct stat st;
	if (stat(keys, &st) == 0 && !S_ISDIR(st.st_mode))
		return cli_fail(CLI_EUSAGE, "decrypt: --keys %s: not a directory (give the key directory; its secret.key "
		                "is read)", keys);

	char *sk_path = cli_path_join(keys, "secret.key");
	if (!sk_path)
		return cli_fail(CLI_EOTHER, "out of memory");
	cli_container kc, rcn;
	memset(&kc, 0, sizeof kc);
	memset(&rcn, 0, sizeof rcn);
	lathe_ctx *ctx = NULL;
	lathe_sk *sk = NULL;
	lathe_result *res = NULL;
	char *pass = NULL;
	int64_t **vals = NULL;
	size_t n_items = 0;
	char *text = NULL;
	size_t text_len = 0;
	lathe_status s;

	/* both files checked before the passphrase is asked */
	if ((rc = cli_container_open(sk_path, CLI_FILE_SECRET_KEY, &kc, &ctx)) != CLI_OK)
		goto done;
	if ((rc = cli_container_open(in, CLI_FILE_RESULT, &rcn, NULL)) != CLI_OK)
		goto done;
	if (!cli_container_same_params(&rcn, ctx)) {
		rc = cli_fail(CLI_EFILE, "%s: made under other parameters than %s (preset %s, not %s)", in, sk_path,
		              rcn.preset[0] ? rcn.preset : "unknown", kc.preset[0] ? kc.preset : "unknown");
		goto done;
	}
	if (memcmp(rcn.key_id, kc.key_id, LATHE_KEY_ID_BYTES) != 0) {
		char a[2 * LATHE_KEY_ID_BYTES + 1], b[2 * LATHE_KEY_ID_BYTES + 1];
		lathe_key_id_hex(rcn.key_id, a);
		lathe_key_id_hex(kc.key_id, b);
		rc = cli_fail(CLI_EFILE, "%s: encrypted under another key pair than %s (key ids %.16s... and %.16s...)", in,
		              sk_path, a, b);
		goto done;
	}
	if ((s = lathe_result_from_buffer(ctx, rcn.obj_buf, rcn.obj_len, &res)) != LATHE_OK) {
		rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", in, cli_detail(s));
		goto done;
	}
	if ((rc = cli_passphrase_read(pfile, 0, &pass)) != CLI_OK)
		goto done;
	cli_progress_begin("lathe decrypt", 3);
	cli_progress_step("opening the secret key");
	s = lathe_sk_from_buffer(ctx, kc.obj_buf, kc.obj_len, pass, &sk);
	cli_secret_free(pass);
	pass = NULL;
	if (s == LATHE_EAUTH) {
		rc = cli_fail(CLI_EKEY, "%s: wrong passphrase (or the key file was altered)", sk_path);
		goto done;
	}
	if (s != LATHE_OK) {
		rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", sk_path, cli_detail(s));
		goto done;
	}

	cli_progress_step("decrypting");
	n_items = lathe_result_items(res);
	size_t rows = lathe_result_rows(res);
	int per_patient = n_items > 0, aggregate = n_items > 0;
	vals = calloc(n_items ? n_items : 1, sizeof *vals);
	if (!vals) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n_items; i++) {
		int kind = lathe_result_item_kind(res, i);
		per_patient &= kind == LATHE_ITEM_PER_PATIENT;
		aggregate &= kind == LATHE_ITEM_AGGREGATE;
		size_t nv = kind == LATHE_ITEM_PER_PATIENT ? rows : 1;
		vals[i] = calloc(nv ? nv : 1, sizeof **vals);
		if (!vals[i]) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		s = lathe_result_decrypt(sk, res, i, vals[i], nv);
		if (s != LATHE_OK) {
			int code = s == LATHE_EMISMATCH ? CLI_EFILE : s == LATHE_ENOISE || s == LATHE_ERANGE ? CLI_EFIT
			                                                                                     : cli_code_of(s);
			rc = cli_fail(code, "%s: item '%s': %s", in, lathe_result_item_name(res, i), cli_detail(s));
			goto done;
		}
	}
	lathe_sk_free(sk);
	sk = NULL;

	cli_progress_step("writing");
	if ((rc = cli_result_text(res, vals, in, 0, &text, &text_len)) != CLI_OK)
		goto done;
	rc = cli_write_text(out, text, text_len);

done:
	cli_progress_end();
	if (text) {
		sodium_memzero(text, text_len);
		free(text);
	}
	if (vals) {
		for (size_t i = 0; i < n_items; i++) {
			if (vals[i]) {
				size_t nv = lathe_result_item_kind(res, i) == LATHE_ITEM_PER_PATIENT ? lathe_result_rows(res) : 1;
				sodium_memzero(vals[i], (nv ? nv : 1) * sizeof **vals);
			}
			free(vals[i]);
		}
		free(vals);
	}
	cli_secret_free(pass);
	lathe_sk_free(sk);
	lathe_result_free(res);
	lathe_ctx_free(ctx);
	cli_container_free(&rcn);
	cli_container_free(&kc);
	free(sk_path);
	return rc;
}
