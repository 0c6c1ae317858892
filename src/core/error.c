#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[512];

static const char *const messages[LATHE_STATUS_COUNT] = {
	[LATHE_OK] = "success",
	[LATHE_EINVAL] = "invalid argument",
	[LATHE_ENOMEM] = "out of memory",
	[LATHE_EPARAM] = "inconsistent or unsupported parameters",
	[LATHE_EINSECURE] = "parameters below the requested security level",
	[LATHE_EMISMATCH] = "objects belong to different contexts or bases",
	[LATHE_ELEVEL] = "no modulus level left for this operation",
	[LATHE_ENOKEY] = "a required evaluation key is missing",
	[LATHE_ENOISE] = "noise budget exhausted: the result would not decrypt",
	[LATHE_EFORMAT] = "unknown file format or version",
	[LATHE_ECORRUPT] = "truncated or corrupted data",
	[LATHE_EIO] = "input/output error",
	[LATHE_EAUTH] = "authentication failed (wrong passphrase or tampered data)",
	[LATHE_EUNSUPPORTED] = "not supported by this build or CPU",
	[LATHE_EBUSY] = "the evaluator is in use by another call (use one evaluator per thread)",
	[LATHE_ERANGE] = "a value or result does not fit the plaintext space (it would wrap around mod t)",
};

const char *
lathe_strerror(lathe_status s)
{
	if ((unsigned)s >= LATHE_STATUS_COUNT)
		return "unknown status code";
	return messages[s];
}

const char *
lathe_last_error(void)
{
	return last_error;
}

lathe_status
lt_fail(lathe_status s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return s;
}

void
lt_error_clear(void)
{
	last_error[0] = '\0';
}
