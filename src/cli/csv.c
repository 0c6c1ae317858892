/*
 * A CSV reader after RFC 4180: records end with CRLF or LF (a lone CR
 * too), fields are separated by commas, a field that starts with a double
 * quote runs to the matching quote and may hold commas, line breaks and
 * doubled quotes (""), and a UTF-8 byte-order mark at the start is
 * skipped. The file is read whole and its fields unescaped in place.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Data files far beyond what a table of this library's slots would hold in memory are refused. */
#define CSV_MAX ((size_t)1 << 34)

int
cli_csv_open(cli_csv *c, const char *path)
{
	memset(c, 0, sizeof *c);
	c->path = path;
	uint8_t *b;
	size_t n;
	int rc = cli_read_file(path, &b, &n, CSV_MAX);
	if (rc != CLI_OK)
		return rc;
	c->buf = (char *)b;
	c->len = n;
	c->line = 1;
	const char *nul = memchr(c->buf, '\0', n);
	if (nul) {
		size_t line = 1;
		for (const char *p = c->buf; p < nul; p++)
			line += *p == '\n';
		cli_csv_close(c);
		return cli_fail(CLI_EDATA, "%s: line %zu: a NUL byte (not a text file)", path, line);
	}
	if (n >= 3 && (uint8_t)c->buf[0] == 0xef && (uint8_t)c->buf[1] == 0xbb && (uint8_t)c->buf[2] == 0xbf)
		c->pos = 3;
	return CLI_OK;
}

void
cli_csv_close(cli_csv *c)
{
	if (!c)
		return;
	free(c->buf);
	free(c->fields);
	memset(c, 0, sizeof *c);
}

static int
push_field(cli_csv *c, char *f)
{
	if (c->n_fields == c->cap_fields) {
		size_t cap = c->cap_fields ? 2 * c->cap_fields : 16;
		char **nf = realloc(c->fields, cap * sizeof *nf);
		if (!nf)
			return -1;
		c->fields = nf;
		c->cap_fields = cap;
	}
	c->fields[c->n_fields++] = f;
	return 0;
}

int
cli_csv_next(cli_csv *c)
{
	char *b = c->buf;
	size_t len = c->len;
	/* only line breaks left: the end (a trailing empty line is no record) */
	size_t q = c->pos;
	while (q < len && (b[q] == '\r' || b[q] == '\n'))
		q++;
	if (q >= len)
		return 0;
	c->n_fields = 0;
	c->rec_line = c->line;
	for (;;) {
		size_t start = c->pos, w = c->pos;
		if (c->pos < len && b[c->pos] == '"') {
			size_t open_line = c->line;
			c->pos++;
			for (;;) {
				if (c->pos >= len) {
					cli_fail(CLI_EDATA, "%s: line %zu: a quoted field that never ends (no closing quote)",
					         c->path, open_line);
					return -1;
				}
				char ch = b[c->pos];
				if (ch == '"') {
					if (c->pos + 1 < len && b[c->pos + 1] == '"') {
						b[w++] = '"';
						c->pos += 2;
						continue;
					}
					c->pos++;
					break;
				}
				if (ch == '\n' || (ch == '\r' && (c->pos + 1 >= len || b[c->pos + 1] != '\n')))
					c->line++;
				b[w++] = ch;
				c->pos++;
			}
			while (c->pos < len && (b[c->pos] == ' ' || b[c->pos] == '\t'))
				c->pos++;
			if (c->pos < len && b[c->pos] != ',' && b[c->pos] != '\r' && b[c->pos] != '\n') {
				cli_fail(CLI_EDATA, "%s: line %zu, field %zu: text after the closing quote", c->path, c->line,
				         c->n_fields + 1);
				return -1;
			}
		} else {
			while (c->pos < len && b[c->pos] != ',' && b[c->pos] != '\r' && b[c->pos] != '\n')
				c->pos++;
			w = c->pos;
		}
		char term = c->pos < len ? b[c->pos] : '\0';
		b[w] = '\0';
		if (push_field(c, b + start) != 0) {
			cli_fail(CLI_EOTHER, "out of memory reading %s", c->path);
			return -1;
		}
		if (term == ',') {
			c->pos++;
			continue;
		}
		if (term == '\r') {
			c->pos++;
			if (c->pos < len && b[c->pos] == '\n')
				c->pos++;
			c->line++;
		} else if (term == '\n') {
			c->pos++;
			c->line++;
		}
		return 1;
	}
}
