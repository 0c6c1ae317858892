/*
 * lathe eval: a built-in circuit on an encrypted table, with the
 * evaluation-key bundle alone (the cloud's side: a secret key is refused).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static const char help[] =
	"usage: lathe eval --eval-keys FILE --circuit NAME [--model model.csv]\n"
	"                  [--target COL] --in data.lct --out result.lct\n"
	"\n"
	"Runs a circuit on an encrypted table with the evaluation keys alone (the\n"
	"cloud's side; a secret key is refused). Nothing is decrypted here.\n"
	"\n"
	"options:\n"
	"  --eval-keys FILE   the evaluation-key bundle (DIR/eval.keys from keygen)\n"
	"  --circuit NAME     linear, logistic, stats or regression\n"
	"  --model FILE       linear, logistic: a CSV file whose header names columns of\n"
	"                     the table and `intercept`, then one row of decimal weights\n"
	"  --target COL       regression: the column regressed on all the others\n"
	"  --in FILE          the encrypted table (from lathe encrypt)\n"
	"  --out FILE         the encrypted result (required)\n"
	"\n"
	"circuits:\n"
	"  linear      score = intercept + sum of weight * value, per patient\n"
	"  logistic    the score and the decision score >= 0 (0 or 1), per patient\n"
	"  stats       count, sum, mean and variance of every column\n"
	"  regression  least squares of --target on the other columns (coefficients,\n"
	"              intercept, R^2 after decryption)\n"
	"\n"
	"The score's fixed-point output scale is the largest power of two 2^k\n"
	"(-20 <= k <= 40) for which the score's bound over the declared ranges stays\n"
	"within (t - 1)/2 and, for logistic, at most 1023 (the exact comparison is a\n"
	"lookup table over [-bound, bound]) with a depth the chain holds\n"
	"(lathe_logistic_cost). A model one of whose weights would round to 0 at that\n"
	"scale is refused.\n";

/*
 * The largest bound on logistic's integer score: its decision is a lookup
 * table of 2 bound + 1 points (a polynomial of that degree, depth
 * ceil(log2(2 bound + 1))), whose cost grows with the bound; 1023 keeps it
 * at 2047 points, depth 11, and a score resolution of 1/1023 of its range.
 */
#define LOGISTIC_MAX_BOUND 1023

/* A model file: names and weights (without the intercept), and the intercept. */
struct model {
	char **names;
	double *weights;
	size_t n;
	double intercept;
};

static void
model_free(struct model *m)
{
	if (m->names)
		for (size_t i = 0; i < m->n; i++)
			free(m->names[i]);
	free(m->names);
	free(m->weights);
	memset(m, 0, sizeof *m);
}

static int
model_read(const char *path, const lathe_table *t, const char *tpath, struct model *m)
{
	memset(m, 0, sizeof *m);
	cli_csv c;
	int rc = cli_csv_open(&c, path);
	if (rc != CLI_OK)
		return rc;
	int r = cli_csv_next(&c);
	if (r <= 0) {
		cli_csv_close(&c);
		return r < 0 ? CLI_EDATA : cli_fail(CLI_EDATA, "%s: empty model file (no header row)", path);
	}
	size_t nf = c.n_fields;
	char **hdr = calloc(nf, sizeof *hdr);
	m->names = calloc(nf, sizeof *m->names);
	m->weights = calloc(nf, sizeof *m->weights);
	if (!hdr || !m->names || !m->weights) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	long icol = -1;
	for (size_t k = 0; k < nf; k++) {
		hdr[k] = cli_trim(c.fields[k]);
		for (size_t i = 0; i < k; i++)
			if (strcmp(hdr[i], hdr[k]) == 0) {
				rc = cli_fail(CLI_EDATA, "%s: column '%s' appears twice in the header", path, hdr[k]);
				goto done;
			}
		if (strcmp(hdr[k], "intercept") == 0) {
			icol = (long)k;
			continue;
		}
		if (lathe_table_find(t, hdr[k]) < 0) {
			rc = cli_fail(CLI_EDATA, "%s: unknown column '%s' (not a column of the table %s)", path, hdr[k], tpath);
			goto done;
		}
	}
	if (icol < 0) {
		rc = cli_fail(CLI_EDATA, "%s: no 'intercept' column in the header (write intercept,0 for none)", path);
		goto done;
	}
	if (nf < 2) {
		rc = cli_fail(CLI_EDATA, "%s: no weights (the header names no column of the table besides intercept)",
		              path);
		goto done;
	}
	/* the header's strings live in the file buffer: copy them before the next record */
	for (size_t k = 0; k < nf; k++) {
		if ((long)k == icol)
			continue;
		m->names[m->n] = strdup(hdr[k]);
		if (!m->names[m->n]) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		m->n++;
	}
	r = cli_csv_next(&c);
	if (r < 0) {
		rc = CLI_EDATA;
		goto done;
	}
	if (r == 0) {
		rc = cli_fail(CLI_EDATA, "%s: no row of weights after the header", path);
		goto done;
	}
	if (c.n_fields != nf) {
		rc = cli_fail(CLI_EDATA, "%s: row 1 (line %zu): %zu fields, the header has %zu", path, c.rec_line,
		              c.n_fields, nf);
		goto done;
	}
	size_t w = 0;
	for (size_t k = 0; k < nf; k++) {
		char *f = cli_trim(c.fields[k]);
		double v;
		const char *why;
		const char *col = (long)k == icol ? "intercept" : m->names[w];
		if (!*f) {
			rc = cli_fail(CLI_EDATA, "%s: row 1 (line %zu), column '%s': missing weight", path, c.rec_line, col);
			goto done;
		}
		if (!cli_parse_decimal(f, &v, &why)) {
			rc = cli_fail(CLI_EDATA, "%s: row 1 (line %zu), column '%s': '%.40s' is %s", path, c.rec_line, col, f,
			              why);
			goto done;
		}
		if ((long)k == icol)
			m->intercept = v;
		else
			m->weights[w++] = v;
	}
	r = cli_csv_next(&c);
	if (r < 0) {
		rc = CLI_EDATA;
		goto done;
	}
	if (r > 0) {
		rc = cli_fail(CLI_EDATA, "%s: line %zu: more than one row of weights (a model is one row)", path,
		              c.rec_line);
		goto done;
	}
	rc = CLI_OK;
done:
	free(hdr);
	cli_csv_close(&c);
	if (rc != CLI_OK)
		model_free(m);
	return rc;
}

/* The columns of a table, as an array (owned by the table) for lathe_linear_fixed. */
static lathe_column *
table_columns(const lathe_table *t)
{
	size_t n = lathe_table_cols(t);
	lathe_column *c = calloc(n ? n : 1, sizeof *c);
	if (!c)
		return NULL;
	for (size_t j = 0; j < n; j++)
		c[j] = *lathe_table_column(t, j);
	return c;
}

/*
 * The largest output scale 2^k for which the score fits: bound <= (t-1)/2,
 * and for logistic a comparison the chain can hold. 0 when none.
 */
static int
choose_out_scale(const lathe_ctx *ctx, lathe_linear_model *lm, const lathe_table *t, int logistic, double *scale,
                 uint64_t *bound_out)
{
	lathe_column *cols = table_columns(t);
	int64_t *W = malloc((lm->n ? lm->n : 1) * sizeof *W);
	if (!cols || !W) {
		free(cols);
		free(W);
		return cli_fail(CLI_EOTHER, "out of memory");
	}
	uint64_t half = (lathe_ctx_plain_modulus(ctx) - 1) / 2;
	unsigned top = lathe_ctx_max_level(ctx);
	*scale = 0;
	for (int k = 40; k >= -20; k--) {
		lm->out_scale = ldexp(1.0, k);
		int64_t b;
		uint64_t bound;
		if (lathe_linear_fixed(lm, cols, lathe_table_cols(t), W, &b, &bound) != LATHE_OK)
			continue;
		if (bound > half)
			continue;
		if (logistic) {
			unsigned depth, levels;
			if (bound > LOGISTIC_MAX_BOUND || lathe_logistic_cost(bound, &depth, &levels) != LATHE_OK ||
			    levels > top)
				continue;
		}
		*scale = lm->out_scale;
		*bound_out = bound;
		break;
	}
	free(cols);
	free(W);
	return CLI_OK;
}

/* The exit code and advice for a circuit's failure. */
static int
circuit_fail(lathe_status s, const char *circuit, const char *in, const char *ekpath)
{
	switch (s) {
	case LATHE_ERANGE:
		return cli_fail(CLI_EFIT, "%s: the %s circuit does not fit the plaintext modulus: %s (re-encrypt with "
		                "smaller scales, fewer rows or fewer columns)", in, circuit, cli_detail(s));
	case LATHE_ELEVEL:
	case LATHE_ENOISE:
		return cli_fail(CLI_EFIT, "%s: the %s circuit needs more levels than the parameters have: %s (use keys of "
		                "a preset with more levels, or a smaller score range)", in, circuit, cli_detail(s));
	case LATHE_EMISMATCH:
		return cli_fail(CLI_EFILE, "%s: does not belong to the key pair of %s: %s", in, ekpath, cli_detail(s));
	case LATHE_ENOKEY:
		return cli_fail(CLI_EKEY, "%s: lacks a key the %s circuit needs: %s", ekpath, circuit, cli_detail(s));
	case LATHE_EINVAL:
		return cli_fail(CLI_EDATA, "%s: the %s circuit refused its input: %s", in, circuit, cli_detail(s));
	default:
		return cli_fail(cli_code_of(s), "%s: the %s circuit failed: %s", in, circuit, cli_detail(s));
	}
}

int
cli_cmd_eval(int argc, char **argv)
{
	const char *ekpath = NULL, *circuit = NULL, *model_path = NULL, *target = NULL, *in = NULL, *out = NULL;
	const cli_opt opts[] = {
		{ "eval-keys", 1, &ekpath }, { "circuit", 1, &circuit }, { "model", 1, &model_path },
		{ "target", 1, &target },    { "in", 1, &in },           { "out", 1, &out },
		{ NULL, 0, NULL },
	};
	size_t npos;
	int help_asked;
	int rc = cli_parse("eval", argc, argv, opts, NULL, 0, &npos, &help_asked);
	if (rc != CLI_OK)
		return rc;
	if (help_asked) {
		fputs(help, stdout);
		return CLI_OK;
	}
	if (!ekpath)
		return cli_fail(CLI_EUSAGE, "eval: missing --eval-keys FILE (the evaluation-key bundle, DIR/eval.keys)");
	if (!circuit)
		return cli_fail(CLI_EUSAGE, "eval: missing --circuit NAME (linear, logistic, stats or regression)");
	if (!in)
		return cli_fail(CLI_EUSAGE, "eval: missing --in FILE (the encrypted table)");
	if (!out)
		return cli_fail(CLI_EUSAGE, "eval: missing --out FILE (the output file must be given)");
	int linear = strcmp(circuit, "linear") == 0, logistic = strcmp(circuit, "logistic") == 0;
	int stats = strcmp(circuit, "stats") == 0, regression = strcmp(circuit, "regression") == 0;
	if (!linear && !logistic && !stats && !regression)
		return cli_fail(CLI_EUSAGE, "eval: unknown circuit '%s' (linear, logistic, stats or regression)", circuit);
	if ((linear || logistic) && !model_path)
		return cli_fail(CLI_EUSAGE, "eval: --circuit %s needs --model FILE", circuit);
	if (!(linear || logistic) && model_path)
		return cli_fail(CLI_EUSAGE, "eval: --model is for the linear and logistic circuits, not %s", circuit);
	if (regression && !target)
		return cli_fail(CLI_EUSAGE, "eval: --circuit regression needs --target COL");
	if (!regression && target)
		return cli_fail(CLI_EUSAGE, "eval: --target is for the regression circuit, not %s", circuit);
	struct stat st;
	if (stat(ekpath, &st) == 0 && S_ISDIR(st.st_mode))
		return cli_fail(CLI_EKEY, "%s: a key directory; refusing it (it holds the secret key): give its eval.keys "
		                "file alone", ekpath);

	cli_container kc, tc;
	memset(&kc, 0, sizeof kc);
	memset(&tc, 0, sizeof tc);
	lathe_ctx *ctx = NULL;
	lathe_evalkeys *ek = NULL;
	lathe_table *table = NULL;
	lathe_eval *ev = NULL;
	lathe_result *res = NULL;
	uint8_t *rbuf = NULL;
	size_t rlen = 0;
	struct model m;
	memset(&m, 0, sizeof m);
	const char **others = NULL;
	lathe_status s;

	cli_progress_begin("lathe eval", 4);
	cli_progress_step("loading the keys");
	if ((rc = cli_container_open(ekpath, CLI_FILE_EVAL_KEYS, &kc, &ctx)) != CLI_OK)
		goto done;
	if ((s = lathe_evalkeys_from_buffer(ctx, kc.obj_buf, kc.obj_len, &ek)) != LATHE_OK) {
		rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", ekpath, cli_detail(s));
		goto done;
	}
	cli_progress_step("loading the table");
	if ((rc = cli_container_open(in, CLI_FILE_TABLE, &tc, NULL)) != CLI_OK)
		goto done;
	if (!cli_container_same_params(&tc, ctx)) {
		rc = cli_fail(CLI_EFILE, "%s: made under other parameters than %s (preset %s, not %s)", in, ekpath,
		              tc.preset[0] ? tc.preset : "unknown", kc.preset[0] ? kc.preset : "unknown");
		goto done;
	}
	if (memcmp(tc.key_id, kc.key_id, LATHE_KEY_ID_BYTES) != 0) {
		char a[2 * LATHE_KEY_ID_BYTES + 1], b[2 * LATHE_KEY_ID_BYTES + 1];
		lathe_key_id_hex(tc.key_id, a);
		lathe_key_id_hex(kc.key_id, b);
		rc = cli_fail(CLI_EFILE, "%s: encrypted under another key pair than %s (key ids %.16s... and %.16s...)", in,
		              ekpath, a, b);
		goto done;
	}
	if ((s = lathe_table_from_buffer(ctx, tc.obj_buf, tc.obj_len, &table)) != LATHE_OK) {
		rc = cli_fail(s == LATHE_ENOMEM ? CLI_EOTHER : CLI_EFILE, "%s: %s", in, cli_detail(s));
		goto done;
	}
	if ((s = lathe_eval_new(ctx, ek, &ev)) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "%s: %s", ekpath, cli_detail(s));
		goto done;
	}

	if (linear || logistic) {
		if ((rc = model_read(model_path, table, in, &m)) != CLI_OK)
			goto done;
		lathe_linear_model lm = {
			.n = m.n,
			.names = (const char *const *)m.names,
			.weights = m.weights,
			.intercept = m.intercept,
			.out_scale = 1,
		};
		double S = 0;
		uint64_t bound = 0;
		if ((rc = choose_out_scale(ctx, &lm, table, logistic, &S, &bound)) != CLI_OK)
			goto done;
		if (!(S > 0)) {
			rc = cli_fail(CLI_EFIT, "%s: the model's score over the table's declared ranges does not fit the "
			              "plaintext modulus at any output scale%s (smaller weights, scales or ranges)", model_path,
			              logistic ? " with a comparison the chain can hold" : "");
			goto done;
		}
		lm.out_scale = S;
		/* a weight that rounds to 0 at the largest scale that fits would vanish from the model: refused */
		lathe_column *tcols = table_columns(table);
		int64_t *W = malloc((m.n ? m.n : 1) * sizeof *W);
		int64_t B;
		uint64_t bnd;
		if (!tcols || !W || lathe_linear_fixed(&lm, tcols, lathe_table_cols(table), W, &B, &bnd) != LATHE_OK) {
			free(tcols);
			free(W);
			rc = cli_fail(CLI_EOTHER, "%s: %s", model_path, tcols && W ? cli_detail(LATHE_EINVAL) : "out of memory");
			goto done;
		}
		size_t lost = m.n;
		for (size_t i = 0; i < m.n && lost == m.n; i++)
			if (m.weights[i] != 0 && W[i] == 0)
				lost = i;
		free(tcols);
		free(W);
		if (lost < m.n) {
			char a[32], b[32];
			rc = cli_fail(CLI_EFIT, "%s: column '%s': weight %s vanishes at output scale %s, the largest the "
			              "parameters allow for this %s model (%s: use keys of a preset with more levels, or "
			              "smaller ranges)", model_path, m.names[lost], cli_fmt_double(a, m.weights[lost]),
			              cli_fmt_double(b, S), circuit,
			              logistic ? "the comparison's depth limits the score's range" : "t limits the score");
			goto done;
		}
		cli_progress_step("evaluating");
		if (linear)
			s = lathe_circuit_linear(ev, table, &lm, &res);
		else
			s = lathe_circuit_logistic(ev, table, &lm, 0.0, 0, &res);
	} else if (stats) {
		size_t n = lathe_table_cols(table);
		others = calloc(n ? n : 1, sizeof *others);
		if (!others) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		for (size_t j = 0; j < n; j++)
			others[j] = lathe_table_column(table, j)->name;
		cli_progress_step("evaluating");
		s = lathe_circuit_stats(ev, table, others, n, NULL, 0, &res);
	} else {
		long tj = lathe_table_find(table, target);
		if (tj < 0) {
			rc = cli_fail(CLI_EDATA, "%s: unknown column '%s' (--target is not a column of the table)", in, target);
			goto done;
		}
		size_t n = lathe_table_cols(table);
		if (n < 2) {
			rc = cli_fail(CLI_EDATA, "%s: regression needs a column besides the target '%s'", in, target);
			goto done;
		}
		others = calloc(n, sizeof *others);
		if (!others) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
		size_t k = 0;
		for (size_t j = 0; j < n; j++)
			if ((long)j != tj)
				others[k++] = lathe_table_column(table, j)->name;
		cli_progress_step("evaluating");
		s = lathe_circuit_regression(ev, table, others, k, target, &res);
	}
	if (s != LATHE_OK) {
		rc = circuit_fail(s, circuit, in, ekpath);
		goto done;
	}
	cli_progress_step("writing");
	if ((s = lathe_result_to_buffer(res, &rbuf, &rlen)) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "%s: %s", out, cli_detail(s));
		goto done;
	}
	rc = cli_container_write(out, CLI_FILE_RESULT, kc.key_id, kc.preset, ctx, rbuf, rlen, 0666);

done:
	cli_progress_end();
	lathe_buffer_free(rbuf);
	lathe_result_free(res);
	free(others);
	model_free(&m);
	lathe_eval_free(ev);
	lathe_table_free(table);
	lathe_evalkeys_free(ek);
	lathe_ctx_free(ctx);
	cli_container_free(&tc);
	cli_container_free(&kc);
	return rc;
}
