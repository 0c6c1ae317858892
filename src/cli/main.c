/*
 * lathe: the command-line program of the lathe FHE library. A hospital
 * makes keys, encrypts a CSV table and decrypts results; a cloud holding
 * only the evaluation keys runs a circuit on the encrypted table.
 * docs/cli.md is the reference.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"

static const char usage[] =
	"usage: lathe COMMAND [OPTIONS]\n"
	"\n"
	"Homomorphic encryption of patient tables (BGV). The data owner makes keys,\n"
	"encrypts a CSV file and decrypts results; the evaluator (the cloud) runs a\n"
	"circuit on the encrypted table with the evaluation keys alone.\n"
	"\n"
	"commands:\n"
	"  keygen   make a key directory: secret.key (sealed), public.key, eval.keys\n"
	"  encrypt  encrypt columns of a CSV file with the public key\n"
	"  eval     run a built-in circuit (linear, logistic, stats, regression)\n"
	"  decrypt  decrypt a result into a CSV file with the secret key\n"
	"  info     describe a lathe file\n"
	"  party    keys shared by several parties: key shares, combination, collective\n"
	"           decryption (lathe party --help)\n"
	"\n"
	"  lathe COMMAND --help   the options of a command\n"
	"  lathe --version        the library's version\n"
	"\n"
	"exit codes: 0 success, 1 other error, 2 usage, 3 input data, 4 keys or\n"
	"passphrase, 5 corrupt, truncated or mismatched file, 6 does not fit the\n"
	"parameters, 7 input/output.\n"
	"\n"
	"a round trip:\n"
	"  lathe keygen --out keys\n"
	"  lathe encrypt --keys keys --in data.csv --columns age,bmi --out data.lct\n"
	"  lathe eval --eval-keys keys/eval.keys --circuit stats --in data.lct --out r.lct\n"
	"  lathe decrypt --keys keys --in r.lct --out r.csv\n";

int
main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "lathe: cannot initialize libsodium\n");
		return CLI_EOTHER;
	}
	cli_signals_init();
	if (argc < 2) {
		fputs(usage, stderr);
		return CLI_EUSAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		fputs(usage, stdout);
		return CLI_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("lathe %s\n", lathe_version_string());
		return CLI_OK;
	}
	int rc;
	if (strcmp(cmd, "keygen") == 0)
		rc = cli_cmd_keygen(argc - 2, argv + 2);
	else if (strcmp(cmd, "encrypt") == 0)
		rc = cli_cmd_encrypt(argc - 2, argv + 2);
	else if (strcmp(cmd, "eval") == 0)
		rc = cli_cmd_eval(argc - 2, argv + 2);
	else if (strcmp(cmd, "decrypt") == 0)
		rc = cli_cmd_decrypt(argc - 2, argv + 2);
	else if (strcmp(cmd, "info") == 0)
		rc = cli_cmd_info(argc - 2, argv + 2);
	else if (strcmp(cmd, "party") == 0)
		rc = cli_cmd_party(argc - 2, argv + 2);
	else
		rc = cli_fail(CLI_EUSAGE, "unknown command '%s' (see lathe --help)", cmd);
	cli_progress_end();
	if (fflush(stdout) != 0 && rc == CLI_OK)
		rc = cli_fail(CLI_EIO, "cannot write to standard output");
	return rc;
}
