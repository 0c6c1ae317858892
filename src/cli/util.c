/*
 * Messages, exit codes, option parsing and small text helpers of the lathe
 * program.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One line: control characters (a newline in a file name or a detail) become spaces. */
static void
emit_line(const char *prefix, const char *fmt, va_list ap)
{
	char msg[4096];
	vsnprintf(msg, sizeof msg, fmt, ap);
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	cli_progress_end();
	fprintf(stderr, "%s%s\n", prefix, msg);
	fflush(stderr);
}

int
cli_fail(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_line("lathe: ", fmt, ap);
	va_end(ap);
	return code;
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit_line("lathe: warning: ", fmt, ap);
	va_end(ap);
}

int
cli_code_of(lathe_status s)
{
	switch (s) {
	case LATHE_OK:
		return CLI_OK;
	case LATHE_EMISMATCH:
	case LATHE_EFORMAT:
	case LATHE_ECORRUPT:
		return CLI_EFILE;
	case LATHE_EAUTH:
	case LATHE_ENOKEY:
		return CLI_EKEY;
	case LATHE_ERANGE:
	case LATHE_ELEVEL:
	case LATHE_ENOISE:
	case LATHE_EPARAM:
	case LATHE_EINSECURE:
		return CLI_EFIT;
	case LATHE_EIO:
		return CLI_EIO;
	default:
		return CLI_EOTHER;
	}
}

const char *
cli_detail(lathe_status s)
{
	const char *e = lathe_last_error();
	if (!e || !*e)
		return lathe_strerror(s);
	/* drop the name of the library function that failed ("lathe_table_load: ") */
	const char *p = e;
	while (*p && (islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_'))
		p++;
	if (p != e && p[0] == ':' && p[1] == ' ')
		return p + 2;
	return e;
}

int
cli_parse(const char *cmd, int argc, char **argv, const cli_opt *opts, const char **positional, size_t max_pos,
          size_t *n_pos, int *help)
{
	*help = 0;
	*n_pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*help = 1;
			return CLI_OK;
		}
		if (strcmp(a, "--") == 0) {
			/* the rest are positional */
			for (i++; i < argc; i++) {
				if (*n_pos >= max_pos)
					return cli_fail(CLI_EUSAGE, "%s: unexpected argument '%s' (see lathe %s --help)", cmd,
					                argv[i], cmd);
				positional[(*n_pos)++] = argv[i];
			}
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (*n_pos >= max_pos)
				return cli_fail(CLI_EUSAGE, "%s: unexpected argument '%s' (see lathe %s --help)", cmd, a, cmd);
			positional[(*n_pos)++] = a;
			continue;
		}
		if (a[1] != '-')
			return cli_fail(CLI_EUSAGE, "%s: unknown option '%s' (see lathe %s --help)", cmd, a, cmd);
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const cli_opt *o = NULL;
		for (const cli_opt *q = opts; q->name; q++)
			if (strlen(q->name) == nlen && strncmp(q->name, name, nlen) == 0)
				o = q;
		if (!o)
			return cli_fail(CLI_EUSAGE, "%s: unknown option '--%.*s' (see lathe %s --help)", cmd, (int)nlen, name,
			                cmd);
		if (*o->value)
			return cli_fail(CLI_EUSAGE, "%s: option --%s given twice", cmd, o->name);
		if (!o->takes_value) {
			if (eq)
				return cli_fail(CLI_EUSAGE, "%s: option --%s takes no value", cmd, o->name);
			*o->value = "1";
			continue;
		}
		if (eq) {
			*o->value = eq + 1;
		} else {
			if (i + 1 >= argc)
				return cli_fail(CLI_EUSAGE, "%s: option --%s needs a value", cmd, o->name);
			*o->value = argv[++i];
		}
		if (!**o->value)
			return cli_fail(CLI_EUSAGE, "%s: option --%s needs a non-empty value", cmd, o->name);
	}
	return CLI_OK;
}

char *
cli_path_join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	int slash = a > 0 && dir[a - 1] != '/';
	char *p = malloc(a + (size_t)slash + b + 1);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	if (slash)
		p[a] = '/';
	memcpy(p + a + (size_t)slash, name, b + 1);
	return p;
}

char *
cli_trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	size_t i = 0;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

int
cli_parse_decimal(const char *s, double *v, const char **why)
{
	const char *p = s;
	if (!*p) {
		*why = "empty";
		return 0;
	}
	/* the shape first: strtod alone would take inf, nan, hexadecimal and leading spaces */
	if (*p == '+' || *p == '-')
		p++;
	size_t digits = 0;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits++;
		}
	}
	if (digits == 0) {
		*why = "not a decimal number";
		return 0;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p)) {
			*why = "not a decimal number (bad exponent)";
			return 0;
		}
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p) {
		*why = "not a decimal number (trailing text)";
		return 0;
	}
	errno = 0;
	char *end;
	double x = strtod(s, &end);
	if (*end || !isfinite(x) || (errno == ERANGE && fabs(x) > 1.0)) {
		*why = "beyond the range of a double";
		return 0;
	}
	*v = x == 0.0 ? 0.0 : x; /* no negative zero */
	return 1;
}

int
cli_valid_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= LATHE_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-')
			return 0;
	}
	return 1;
}

const char *
cli_fmt_double(char buf[32], double v)
{
	if (!buf)
		return "";
	if (v == 0.0)
		v = 0.0; /* no "-0" */
	/* the fewest significant digits that read back as v (17 always do) */
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (!strchr(buf, 'e'))
		return buf;
	/* plain decimals rather than an exponent when they are not much longer ("10", not "1e+01") */
	char f[32];
	for (int d = 0; d <= 17; d++) {
		int n = snprintf(f, sizeof f, "%.*f", d, v);
		if (n > 0 && n < 24 && strtod(f, NULL) == v) {
			memcpy(buf, f, (size_t)n + 1);
			break;
		}
	}
	return buf;
}
