/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "log.h"
#include "util.h"

static FILE *log_stream;
static bool log_use_syslog = true;
static bool log_debug_on;
static bool log_opened;
static const char *log_program; /* the admin tool's name; NULL: the hooks' LOG_IDENT */

void log_open(void)
{
	if (log_opened)
		return;
	openlog(LOG_IDENT, LOG_PID, LOG_DAEMON);
	log_opened = true;
}

void log_set_stream(FILE *f)
{
	log_stream = f;
}

void log_set_program_name(const char *name)
{
	log_program = name;
}

void log_set_syslog(bool on)
{
	log_use_syslog = on;
}

void log_set_debug(bool on)
{
	log_debug_on = on;
}

static FILE *stream(void)
{
	return log_stream ?: stderr;
}

_printf_(4, 0) static void log_va(int prio, bool to_stream, const char *prefix, const char *fmt,
				  va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* One record, one line: a name with a newline or an escape sequence (libvirt allows them
	 * in network and guest names, and argv[1] is one) must not forge a line or drive the
	 * admin's terminal. Names are escaped here, for output, never refused. */
	text_one_line(buf, buf, sizeof(buf));
	if (to_stream && log_program) {
		/* The admin tool: what it printed so far comes first; errors are plain lines. */
		fflush(stdout);
		fprintf(stream(), "%s: %s%s\n", log_program, prio == LOG_ERR ? "" : prefix, buf);
	} else if (to_stream) {
		fprintf(stream(), "%s: %s%s\n", LOG_IDENT, prefix, buf);
	}
	if (log_use_syslog && prio >= 0)
		syslog(prio, "%s%s", prefix, buf);
}

int log_error_errno(int r, const char *fmt, ...)
{
	va_list ap;

	errno = r < 0 ? -r : r;
	va_start(ap, fmt);
	log_va(LOG_ERR, true, "error: ", fmt, ap);
	va_end(ap);
	return r;
}

int log_warning_errno(int r, const char *fmt, ...)
{
	va_list ap;

	errno = r < 0 ? -r : r;
	va_start(ap, fmt);
	log_va(LOG_WARNING, true, "warning: ", fmt, ap);
	va_end(ap);
	return r;
}

void log_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(LOG_WARNING, true, "warning: ", fmt, ap);
	va_end(ap);
}

void log_action(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(LOG_INFO, log_debug_on, "", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	log_va(-1, true, "debug: ", fmt, ap);
	va_end(ap);
}

int log_prefixed_va(enum log_level level, int r, const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];

	if (level == LOG_LEVEL_DEBUG && !log_debug_on)
		return r;
	errno = r < 0 ? -r : r; /* for %m */
	vsnprintf(buf, sizeof(buf), fmt, ap);
	switch (level) {
	case LOG_LEVEL_ERROR:
		return log_error_errno(r, "%s: %s", prefix, buf);
	case LOG_LEVEL_WARNING:
		log_warning("%s: %s", prefix, buf);
		break;
	case LOG_LEVEL_ACTION:
		log_action("%s: %s", prefix, buf);
		break;
	case LOG_LEVEL_DEBUG:
		log_debug("%s: %s", prefix, buf);
		break;
	}
	return r;
}

void log_plan(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stream(), "%s\n", text_one_line(buf, buf, sizeof(buf)));
}
