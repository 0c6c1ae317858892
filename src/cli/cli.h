/*
 * The lathe command-line program: what its modules share.
 *
 * The program is written on lathe's public API alone (lathe.h and
 * lathe/circuits.h). Each command is a function returning the process's
 * exit status; a failure prints one line on stderr ("lathe: ...") through
 * cli_fail and returns one of the codes below, after freeing what the
 * command made and removing every temporary file it created.
 * docs/cli.md is the reference of the commands, the exit codes and the
 * files.
 */
#ifndef LATHE_CLI_H
#define LATHE_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lathe.h"
#include "lathe/circuits.h"

/* ---- exit codes (docs/cli.md, "Exit codes") ---- */
enum {
	CLI_OK = 0,
	CLI_EOTHER = 1, /* anything else: out of memory, an internal failure */
	CLI_EUSAGE = 2, /* the command line: unknown option, missing argument */
	CLI_EDATA = 3,  /* the input data: CSV or model values, unknown columns */
	CLI_EKEY = 4,   /* keys: wrong passphrase, a secret key where none may go, missing key */
	CLI_EFILE = 5,  /* a lathe file: corrupted, truncated, of another kind or key pair */
	CLI_EFIT = 6,   /* the computation does not fit the parameters (t, levels, noise) */
	CLI_EIO = 7     /* the operating system: cannot read, write or create */
};

/*
 * Prints "lathe: " and the formatted message as one line on stderr (any
 * newline in it becomes a space; a progress bar on the line is cleared
 * first) and returns code.
 */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "lathe: warning: " and the message as one line on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * The exit code of a library status: EMISMATCH, EFORMAT, ECORRUPT -> 5;
 * EAUTH, ENOKEY -> 4; ERANGE, ELEVEL, ENOISE, EPARAM, EINSECURE -> 6;
 * EIO -> 7; the others -> 1. Callers that know better choose themselves.
 */
int cli_code_of(lathe_status s);
/*
 * lathe_last_error() as a one-line detail ("" when empty): the library's
 * sentence for the last failing call, or lathe_strerror(s) when it has none.
 */
const char *cli_detail(lathe_status s);

/* ---- command-line options ---- */

typedef struct cli_opt {
	const char *name;    /* without the leading "--" */
	int takes_value;     /* 1: "--name VALUE" or "--name=VALUE"; 0: a flag */
	const char **value;  /* where the value goes (flags: set to "1") */
} cli_opt;

/*
 * Parses argv[0..argc) (the words after the command name) against opts
 * (terminated by a name NULL). Words that are no option go to positional
 * (at most max_pos of them; *n_pos gets their number). "--help" or "-h"
 * sets *help and stops. Returns CLI_OK, or CLI_EUSAGE after printing why
 * (unknown option, missing value, an option given twice, too many
 * arguments), naming the command `cmd`.
 */
int cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts, const char **positional, size_t max_pos,
              size_t *n_pos, int *help);

/* ---- lathe container files (docs/cli.md, "Files") ---- */

/* What a container holds (its kind field). */
enum {
	CLI_FILE_SECRET_KEY = 1,
	CLI_FILE_PUBLIC_KEY = 2,
	CLI_FILE_EVAL_KEYS = 3,
	CLI_FILE_TABLE = 4,
	CLI_FILE_RESULT = 5,
	CLI_FILE_PARTY = 6,   /* a party of a multiparty key, sealed: a secret like the secret key */
	CLI_FILE_SHARES = 7,  /* multiparty shares of one party or a combination */
	CLI_FILE_STUDY = 8    /* the parameters and common seed parties agree on */
};

#define CLI_CONTAINER_MAGIC "LATHECLI"
#define CLI_CONTAINER_VERSION 1
#define CLI_CONTAINER_HEADER 128
#define CLI_PRESET_MAX 64

/* A container read into memory and checked (magic, version, kind, lengths, checksum). */
typedef struct cli_container {
	unsigned version;
	unsigned kind;
	uint8_t key_id[LATHE_KEY_ID_BYTES];
	char preset[CLI_PRESET_MAX]; /* NUL-terminated, "" when unknown */
	const uint8_t *data;         /* the whole file, mapped read-only */
	size_t size;
	const uint8_t *ctx_buf;      /* the serialized context (lathe_ctx_to_buffer) */
	size_t ctx_len;
	const uint8_t *obj_buf;      /* the object (the bytes its lathe_*_save would write) */
	size_t obj_len;
} cli_container;

/* The kind's name for messages ("secret key", "encrypted table" ...). */
const char *cli_kind_name(unsigned kind);

/*
 * Reads path: a container, checked. Returns CLI_OK; or fails (message
 * printed) with CLI_EIO (cannot read, not a regular file), CLI_EFILE (not a
 * lathe file, other version, truncated, checksum). A plain lathe object
 * (magic "LATHE\0") or a table or result saved by the library (magic
 * "LATHECIR", docs/format.md) is reported as such: *plain set to 1 or 2
 * and CLI_EFILE returned without a message when plain is not NULL (the
 * caller says what it expected); with plain NULL it is an error like any
 * other.
 */
int cli_container_read(const char *path, cli_container *c, int *plain);
/*
 * cli_container_read, then the kind must be `kind` (CLI_EFILE naming both
 * otherwise; CLI_EKEY for a secret key where another kind was expected,
 * since a secret key must never travel), and the context is rebuilt:
 * *ctx gets it (free with lathe_ctx_free; ctx NULL: not rebuilt).
 */
int cli_container_open(const char *path, unsigned kind, cli_container *c, lathe_ctx **ctx);
void cli_container_free(cli_container *c);

/*
 * Whether two contexts have the same parameters (their parameter hashes
 * agree). Objects of one context load into the other only when they do.
 */
int cli_same_params(const lathe_ctx *a, const lathe_ctx *b);
/* Whether the context a container carries has ctx's parameters (without rebuilding it when its bytes agree). */
int cli_container_same_params(const cli_container *c, const lathe_ctx *ctx);

/* ---- atomic output ---- */

/*
 * An output file being written: a temporary file in the target's
 * directory, flushed and renamed over the target on commit, removed on
 * abort, on any exit through cli_out_abort_all and on SIGINT / SIGTERM /
 * SIGHUP. Nothing partial is ever left at the target's name.
 */
typedef struct cli_out {
	char *path;
	char *tmp;
	int fd;
	int slot;
} cli_out;

/*
 * Creates the temporary file for path with permissions mode (masked by the
 * umask; 0600 for secrets). Returns CLI_OK or fails with CLI_EIO (target a
 * directory, cannot create).
 */
int cli_out_open(cli_out *o, const char *path, mode_t mode);
int cli_out_write(cli_out *o, const void *p, size_t n);
/* fsync and close the temporary file (the first half of a commit). */
int cli_out_finish(cli_out *o);
/* rename over the target and fsync the directory (after cli_out_finish). */
int cli_out_rename(cli_out *o);
/* cli_out_finish then cli_out_rename. */
int cli_out_commit(cli_out *o);
/* Removes the temporary file (NULL-safe, idempotent; the target is untouched). */
void cli_out_abort(cli_out *o);

/*
 * Writes a container of kind `kind` to path atomically: the header (key
 * id, preset name), the serialized ctx, the object bytes, the checksum.
 * Returns CLI_OK or an exit code (message printed).
 */
int cli_container_write(const char *path, unsigned kind, const uint8_t key_id[LATHE_KEY_ID_BYTES],
                        const char *preset, const lathe_ctx *ctx, const uint8_t *obj, size_t obj_len, mode_t mode);
/* The same into an open output (for keygen, which commits three files together). */
int cli_container_write_to(cli_out *o, unsigned kind, const uint8_t key_id[LATHE_KEY_ID_BYTES], const char *preset,
                           const lathe_ctx *ctx, const uint8_t *obj, size_t obj_len);

/*
 * Registers a directory this run created (keygen), removed by the signal
 * handler if still empty; cli_dir_forget once it is complete.
 */
void cli_dir_made(const char *path);
void cli_dir_forget(void);

/* Installs the signal handlers that remove temporary files and restore the terminal. */
void cli_signals_init(void);

/* ---- passphrases ---- */

/*
 * Reads a passphrase into a buffer from sodium_malloc (free it with
 * cli_secret_free, which zeroizes it): from the first line of file (its
 * newline, and a CR before it, removed) when file is not NULL, else from
 * /dev/tty with echo off, asked twice and compared when confirm is set.
 * An empty passphrase is refused. Returns CLI_OK or CLI_EKEY / CLI_EIO
 * (message printed); *out is NULL on error.
 */
int cli_passphrase_read(const char *file, int confirm, char **out);
void cli_secret_free(char *s);
/* Restores the terminal if a passphrase prompt turned its echo off (async-signal-safe). */
void cli_tty_restore(void);

/* ---- progress on stderr ---- */

/*
 * A progress bar of `total` phases, shown only when stderr is a terminal
 * and only once the work has taken a second; cli_progress_step names the
 * phase that starts (the one named before it is done); cli_progress_end
 * clears the bar.
 */
void cli_progress_begin(const char *what, unsigned total);
void cli_progress_step(const char *phase);
void cli_progress_end(void);

/* ---- CSV (RFC 4180) ---- */

typedef struct cli_csv {
	const char *path;
	char *buf;           /* the whole file, fields unescaped in place */
	size_t len, pos;
	size_t line;         /* the physical line the next record starts on (1-based) */
	char **fields;       /* the current record's fields (NUL-terminated) */
	size_t n_fields, cap_fields;
	size_t rec_line;     /* the line the current record starts on */
} cli_csv;

/* Reads path (a UTF-8 byte-order mark is skipped). CLI_OK, CLI_EIO or CLI_EDATA (message printed). */
int cli_csv_open(cli_csv *c, const char *path);
/*
 * The next record into c->fields: 1 a record, 0 the end of the file (empty
 * lines at the end are ignored), -1 an error (message printed; exit code
 * CLI_EDATA).
 */
int cli_csv_next(cli_csv *c);
void cli_csv_close(cli_csv *c);

/* ASCII spaces and tabs around s removed in place; returns s. */
char *cli_trim(char *s);
/*
 * Parses a decimal number: optional sign, digits with an optional point,
 * an optional exponent (strtod in the C locale); anything else (inf, nan,
 * hexadecimal, trailing text, empty, beyond the double range) is refused:
 * returns 0 and *why says why.
 */
int cli_parse_decimal(const char *s, double *v, const char **why);
/* v in the fewest decimal digits that read back as v exactly ("0.1", not "0.10000000000000001"); returns buf. */
const char *cli_fmt_double(char buf[32], double v);
/* Whether name is a valid lathe column or item name ([A-Za-z0-9_.-], 1..63 bytes). */
int cli_valid_name(const char *name);

/* ---- results ---- */

/*
 * The CSV text of a decrypted result (docs/cli.md, "lathe decrypt"):
 * vals[i] holds item i's values; raw: aggregates as they are (quantity,
 * value per item, in real units), not finished into means or
 * coefficients. *text from malloc (wipe and free it). Returns CLI_OK or
 * an exit code (message printed, naming `in`).
 */
int cli_result_text(const lathe_result *res, int64_t *const *vals, const char *in, int raw, char **text,
                    size_t *text_len);
/* Writes text to out atomically (mode 0666 under the umask). CLI_OK or an exit code (message printed). */
int cli_write_text(const char *out, const char *text, size_t len);

/* ---- multiparty: lathe party (party.c) ---- */

int cli_cmd_party(int argc, char **argv);

/* ---- presets ---- */

/* The presets the program knows (the library's names), with the depth each was built for. */
typedef struct cli_preset {
	const char *name;
	unsigned depth;
	int insecure;
} cli_preset;

extern const cli_preset cli_presets[];
extern const size_t cli_n_presets;
#define CLI_DEFAULT_PRESET "bgv-128-n32768-t268042241"

/* One line summarizing a context: N, t, slots, levels, log2 QP, security. */
void cli_ctx_summary(const lathe_ctx *ctx, char *buf, size_t size);

/* ---- commands ---- */

int cli_cmd_keygen(int argc, char **argv);
int cli_cmd_encrypt(int argc, char **argv);
int cli_cmd_eval(int argc, char **argv);
int cli_cmd_decrypt(int argc, char **argv);
int cli_cmd_info(int argc, char **argv);

/* Joins dir and name with a '/' into a new string (NULL when out of memory). */
char *cli_path_join(const char *dir, const char *name);
/* Reads a whole regular file into memory (for CSV files). CLI_OK, CLI_EIO (message printed). */
int cli_read_file(const char *path, uint8_t **buf, size_t *len, size_t max);
/*
 * Maps a whole regular file read-only (for lathe files, parsed without a
 * copy); cli_unmap_file releases it. CLI_OK, CLI_EIO (message printed).
 * The file must not be truncated while it is mapped (SIGBUS).
 */
int cli_map_file(const char *path, const uint8_t **buf, size_t *len, size_t max);
void cli_unmap_file(const uint8_t *buf, size_t len);

#endif
