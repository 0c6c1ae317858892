/*
 * lathe keygen: a key directory with the sealed secret key, the public key
 * and the evaluation-key bundle for the cloud (relinearization key, the
 * Galois keys the built-in circuits' sums need at the level they run, and
 * the public key).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/*
 * Argon2id cost of the sealed secret key. MODERATE (3 passes over 256 MiB,
 * about 0.5 s here) rather than INTERACTIVE (64 MiB): the key file sits on
 * disk for as long as the data it opens is kept, so an offline guess
 * should cost as much as one decryption can afford to wait; SENSITIVE
 * (1 GiB, several seconds per decryption) would dominate every round trip.
 */
#define KEY_PWHASH_LEVEL LATHE_PWHASH_INTERACTIVE

static const char help_head[] =
	"usage: lathe keygen [--preset NAME] --out DIR [--passphrase-file F]\n"
	"\n"
	"Makes a new key pair in DIR (created with mode 0700 if missing; an existing\n"
	"DIR must be empty: keys are never overwritten):\n"
	"  DIR/secret.key  the secret key, sealed with a passphrase (Argon2id, then\n"
	"                  XChaCha20-Poly1305); mode 0600; stays with the data owner\n"
	"  DIR/public.key  the public key: what `lathe encrypt` needs\n"
	"  DIR/eval.keys   the evaluation-key bundle for the cloud: relinearization key,\n"
	"                  the rotation keys of the built-in circuits, the public key\n"
	"Each file carries the parameters with it.\n"
	"\n"
	"options:\n"
	"  --preset NAME          the parameters (default " CLI_DEFAULT_PRESET ",\n"
	"                         the smallest 128-bit preset every built-in circuit fits)\n"
	"  --out DIR              the key directory (required)\n"
	"  --passphrase-file F    read the passphrase from the first line of F (without\n"
	"                         its line break) instead of asking twice on the terminal\n"
	"\n";

static const char help_tail[] =
	"\n"
	"The built-in circuits need t = 268042241 (sums of products of patients' values)\n"
	"and depth 13 (the exact comparison of `logistic`): of the 128-bit presets only\n"
	CLI_DEFAULT_PRESET " has both. insecure-test-n4096-t268042241 is the same\n"
	"on N = 4096, for tests only (keygen warns).\n";

struct preset_job {
	const cli_preset *p;
	lathe_context_info info;
	lathe_status s;
};

static void
preset_info(struct preset_job *j)
{
	lathe_ctx *ctx = NULL;
	j->s = lathe_ctx_new_preset(j->p->name, &ctx);
	if (j->s == LATHE_OK)
		j->s = lathe_ctx_info(ctx, &j->info);
	lathe_ctx_free(ctx);
}

static int
keygen_help(void)
{
	fputs(help_head, stdout);
	/* the presets as the library builds them (the large rings take a second: a progress bar on a terminal) */
	struct preset_job jobs[16];
	size_t n = cli_n_presets < 16 ? cli_n_presets : 16;
	cli_progress_begin("lathe keygen --help", (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		jobs[i].p = &cli_presets[i];
		cli_progress_step(jobs[i].p->name);
		preset_info(&jobs[i]);
	}
	cli_progress_end();
	printf("presets (what each holds):\n");
	printf("  %-32s %6s %10s %6s %7s %7s %s\n", "name", "N", "t", "depth", "levels", "slots", "security");
	for (size_t i = 0; i < n; i++) {
		const struct preset_job *j = &jobs[i];
		if (j->s != LATHE_OK) {
			printf("  %-32s (unavailable: %s)\n", j->p->name, lathe_strerror(j->s));
			continue;
		}
		char sec[32];
		if (j->info.security)
			snprintf(sec, sizeof sec, "%d-bit", j->info.security);
		else
			snprintf(sec, sizeof sec, "INSECURE");
		printf("  %-32s %6zu %10llu %6u %7u %7zu %s%s\n", j->p->name, j->info.n, (unsigned long long)j->info.t,
		       j->p->depth, j->info.chain_primes - 1, j->info.slots, sec,
		       strcmp(j->p->name, CLI_DEFAULT_PRESET) == 0 ? " (default)" : "");
	}
	fputs(help_tail, stdout);
	return CLI_OK;
}

static const char *const key_names[3] = { "secret.key", "public.key", "eval.keys" };

/* DIR must be new or empty; creates it when missing (*made = 1). */
static int
prepare_dir(const char *dir, int *made)
{
	*made = 0;
	struct stat st;
	if (stat(dir, &st) != 0) {
		if (errno != ENOENT)
			return cli_fail(CLI_EIO, "%s: %s", dir, strerror(errno));
		if (mkdir(dir, 0700) != 0)
			return cli_fail(CLI_EIO, "%s: cannot create the key directory: %s", dir, strerror(errno));
		*made = 1;
		cli_dir_made(dir);
		return CLI_OK;
	}
	if (!S_ISDIR(st.st_mode))
		return cli_fail(CLI_EIO, "%s: exists and is not a directory", dir);
	DIR *d = opendir(dir);
	if (!d)
		return cli_fail(CLI_EIO, "%s: cannot read the directory: %s", dir, strerror(errno));
	int keys = 0, other = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		int k = 0;
		for (int i = 0; i < 3; i++)
			k |= strcmp(e->d_name, key_names[i]) == 0;
		keys += k;
		other += !k;
	}
	closedir(d);
	if (keys)
		return cli_fail(CLI_EKEY, "%s: already holds keys; refusing to overwrite them (keygen writes only into a "
		                "new or empty directory)", dir);
	if (other)
		return cli_fail(CLI_EKEY, "%s: not empty; refusing to write keys into it (keygen writes only into a new "
		                "or empty directory)", dir);
	return CLI_OK;
}

int
cli_cmd_keygen(int argc, char **argv)
{
	const char *preset = NULL, *out = NULL, *pfile = NULL;
	const cli_opt opts[] = {
		{ "preset", 1, &preset },
		{ "out", 1, &out },
		{ "passphrase-file", 1, &pfile },
		{ NULL, 0, NULL },
	};
	size_t npos;
	int help;
	int rc = cli_parse("keygen", argc, argv, opts, NULL, 0, &npos, &help);
	if (rc != CLI_OK)
		return rc;
	if (help)
		return keygen_help();
	if (!out)
		return cli_fail(CLI_EUSAGE, "keygen: missing --out DIR (the key directory to create)");
	if (!preset)
		preset = CLI_DEFAULT_PRESET;

	lathe_ctx *ctx = NULL;
	lathe_sk *sk = NULL;
	lathe_pk *pk = NULL;
	lathe_evalkeys *ek = NULL;
	char *pass = NULL;
	uint8_t *bufs[3] = { NULL, NULL, NULL };
	size_t lens[3] = { 0, 0, 0 };
	int *steps = NULL;
	cli_out outs[3];
	int renamed[3] = { 0, 0, 0 };
	char *paths[3] = { NULL, NULL, NULL };
	int made = 0;
	memset(outs, 0, sizeof outs);
	for (int i = 0; i < 3; i++) {
		outs[i].fd = -1;
		outs[i].slot = -1;
	}

	lathe_status s = lathe_ctx_new_preset(preset, &ctx);
	if (s != LATHE_OK) {
		if (s == LATHE_EINVAL) {
			char names[512] = "";
			for (size_t i = 0; i < cli_n_presets; i++) {
				strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
				strncat(names, cli_presets[i].name, sizeof names - strlen(names) - 1);
			}
			return cli_fail(CLI_EUSAGE, "keygen: unknown preset '%s' (known: %s)", preset, names);
		}
		return cli_fail(cli_code_of(s), "keygen: preset %s: %s", preset, cli_detail(s));
	}
	lathe_context_info info;
	if ((s = lathe_ctx_info(ctx, &info)) != LATHE_OK) {
		rc = cli_fail(CLI_EOTHER, "keygen: %s", cli_detail(s));
		goto done;
	}
	for (int i = 0; i < 3; i++) {
		paths[i] = cli_path_join(out, key_names[i]);
		if (!paths[i]) {
			rc = cli_fail(CLI_EOTHER, "out of memory");
			goto done;
		}
	}
	if ((rc = prepare_dir(out, &made)) != CLI_OK)
		goto done;
	if ((rc = cli_passphrase_read(pfile, 1, &pass)) != CLI_OK)
		goto done;

	/* the Galois keys of the circuits' sums, at the level the sums run */
	size_t n_steps = 0;
	unsigned glevel = 0;
	if ((s = lathe_circuits_keys(ctx, NULL, 0, &n_steps, &glevel)) != LATHE_OK) {
		rc = cli_fail(CLI_EFIT, "keygen: preset %s cannot serve the built-in circuits: %s", preset, cli_detail(s));
		goto done;
	}
	steps = malloc((n_steps ? n_steps : 1) * sizeof *steps);
	if (!steps) {
		rc = cli_fail(CLI_EOTHER, "out of memory");
		goto done;
	}
	if ((s = lathe_circuits_keys(ctx, steps, n_steps, &n_steps, &glevel)) != LATHE_OK) {
		rc = cli_fail(CLI_EFIT, "keygen: %s", cli_detail(s));
		goto done;
	}

	cli_progress_begin("lathe keygen", 5);
	cli_progress_step("key pair");
	if ((s = lathe_keygen(ctx, &sk, &pk)) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "keygen: %s", cli_detail(s));
		goto done;
	}
	cli_progress_step("evaluation keys");
	if ((s = lathe_evalkeys_new_at(ctx, sk, steps, n_steps, glevel, &ek)) != LATHE_OK ||
	    (s = lathe_evalkeys_set_pk(ek, pk)) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "keygen: evaluation keys: %s", cli_detail(s));
		goto done;
	}
	cli_progress_step("sealing the secret key");
	if ((s = lathe_sk_to_buffer(sk, pass, KEY_PWHASH_LEVEL, &bufs[0], &lens[0])) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "keygen: sealing the secret key: %s", cli_detail(s));
		goto done;
	}
	cli_secret_free(pass);
	pass = NULL;
	lathe_sk_free(sk);
	sk = NULL;
	cli_progress_step("serializing");
	if ((s = lathe_pk_to_buffer(pk, &bufs[1], &lens[1])) != LATHE_OK ||
	    (s = lathe_evalkeys_to_buffer(ek, &bufs[2], &lens[2])) != LATHE_OK) {
		rc = cli_fail(cli_code_of(s), "keygen: %s", cli_detail(s));
		goto done;
	}
	uint8_t id[LATHE_KEY_ID_BYTES];
	if ((s = lathe_pk_key_id(pk, id)) != LATHE_OK) {
		rc = cli_fail(CLI_EOTHER, "keygen: %s", cli_detail(s));
		goto done;
	}
	cli_progress_step("writing");
	static const unsigned kinds[3] = { CLI_FILE_SECRET_KEY, CLI_FILE_PUBLIC_KEY, CLI_FILE_EVAL_KEYS };
	for (int i = 0; i < 3; i++) {
		if ((rc = cli_out_open(&outs[i], paths[i], i == 0 ? 0600 : 0666)) != CLI_OK)
			goto done;
		if ((rc = cli_container_write_to(&outs[i], kinds[i], id, preset, ctx, bufs[i], lens[i])) != CLI_OK)
			goto done;
	}
	/* all three flushed before any is named: a failure leaves no key file at all */
	for (int i = 0; i < 3; i++)
		if ((rc = cli_out_finish(&outs[i])) != CLI_OK)
			goto done;
	/* the three names appear together: no signal is taken between them (a pending one acts afterwards) */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (int i = 0; i < 3 && rc == CLI_OK; i++) {
		rc = cli_out_rename(&outs[i]);
		renamed[i] = rc == CLI_OK;
	}
	if (rc != CLI_OK) {
		for (int i = 0; i < 3; i++)
			if (renamed[i])
				unlink(paths[i]);
		memset(renamed, 0, sizeof renamed);
	} else {
		cli_dir_forget();
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc != CLI_OK)
		goto done;
	cli_progress_end();
	/* said once the keys exist, so that a failure stays one line */
	if (info.security == 0)
		cli_warn("preset %s is INSECURE (test parameters, no security at all): never use it for real data",
		         preset);

done:
	cli_progress_end();
	if (rc != CLI_OK) {
		for (int i = 0; i < 3; i++) {
			cli_out_abort(&outs[i]);
			if (renamed[i])
				unlink(paths[i]);
		}
		if (made)
			rmdir(out);
		cli_dir_forget();
	}
	for (int i = 0; i < 3; i++) {
		free(paths[i]);
		lathe_buffer_free(bufs[i]);
	}
	free(steps);
	cli_secret_free(pass);
	lathe_evalkeys_free(ek);
	lathe_pk_free(pk);
	lathe_sk_free(sk);
	lathe_ctx_free(ctx);
	return rc;
}
