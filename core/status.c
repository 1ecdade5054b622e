/* status.c - status names, messages and the caller-owned error struct. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
#define CT_STATUS_NAME(name, msg) #name,
	CT_STATUS_INFO(CT_STATUS_NAME)
#undef CT_STATUS_NAME
};

static const char *const status_messages[] = {
#define CT_STATUS_MSG(name, msg) msg,
	CT_STATUS_INFO(CT_STATUS_MSG)
#undef CT_STATUS_MSG
};

const char *ct_status_name(enum ct_status s)
{
	return (unsigned)s < CT_STATUS_COUNT ? status_names[s] : "UNKNOWN";
}

const char *ct_status_message(enum ct_status s)
{
	return (unsigned)s < CT_STATUS_COUNT ? status_messages[s] : "unknown error";
}

void ct_error_clear(struct ct_error *err)
{
	if (!err)
		return;
	err->status = CT_OK;
	err->msg[0] = '\0';
	err->path[0] = '\0';
	err->line = 0;
	err->col = 0;
}

/* Messages are one line: control characters (a newline in a file name, say)
 * become '?', so an error can never break a line or reach a terminal raw. */
static void one_line(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static enum ct_status error_vset(struct ct_error *err, enum ct_status status,
                                 const char *path, long line, long col,
                                 const char *fmt, va_list ap)
{
	if (!err)
		return status;
	err->status = status;
	err->line = line;
	err->col = col;
	if (path && path != err->path)
		snprintf(err->path, sizeof err->path, "%s", path);
	else if (!path)
		err->path[0] = '\0';
	if (fmt)
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	else
		snprintf(err->msg, sizeof err->msg, "%s", ct_status_message(status));
	one_line(err->msg);
	one_line(err->path);
	return status;
}

enum ct_status ct_error_set(struct ct_error *err, enum ct_status status,
                            const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, status, path, 0, 0, fmt, ap);
	va_end(ap);
	return status;
}

enum ct_status ct_error_set_at(struct ct_error *err, enum ct_status status,
                               const char *path, long line, long col,
                               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(err, status, path, line, col, fmt, ap);
	va_end(ap);
	return status;
}

char *ct_error_format(const struct ct_error *err, char *buf, size_t size)
{
	if (!size)
		return buf;
	buf[0] = '\0';
	if (!err)
		return buf;
	const char *msg = err->msg[0] ? err->msg : ct_status_message(err->status);
	if (err->path[0] && err->line > 0 && err->col > 0)
		snprintf(buf, size, "%s:%ld:%ld: %s", err->path, err->line, err->col, msg);
	else if (err->path[0] && err->line > 0)
		snprintf(buf, size, "%s:%ld: %s", err->path, err->line, msg);
	else if (err->path[0])
		snprintf(buf, size, "%s: %s", err->path, msg);
	else
		snprintf(buf, size, "%s", msg);
	return buf;
}
