/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "macro.h"

/* The identity under which every record goes to syslog. */
#define LOG_IDENT "libvirt-sriov-hooks"

/*
 * Logging for the hooks. Everything human-readable goes to stderr (libvirt shows it when a hook
 * fails) and never to stdout, which libvirt parses as domain XML for qemu migrate/restore.
 * Actions taken and warnings also go to syslog, since libvirt drops stderr of a hook that succeeds.
 */
void log_open(void);
/* Tests: where stderr output goes (NULL = stderr), and whether syslog is used at all. */
void log_set_stream(FILE *f);
void log_set_syslog(bool on);
void log_set_debug(bool on);
/* The admin tool (sriov-hooks): its name before each stderr line instead of LOG_IDENT, and errors
 * without the "error: " word, as an interactive tool writes them. NULL: the hooks' style. */
void log_set_program_name(const char *name);

/* Each returns r (a negative errno) so that callers can write `return log_error_errno(r, ...)`.
 * errno is set to -r for %m. */
int log_error_errno(int r, const char *fmt, ...) _printf_(2, 3);
int log_warning_errno(int r, const char *fmt, ...) _printf_(2, 3);
void log_warning(const char *fmt, ...) _printf_(1, 2);
/* An action taken on the host: syslog at info, stderr only in debug mode. */
void log_action(const char *fmt, ...) _printf_(1, 2);
void log_debug(const char *fmt, ...) _printf_(1, 2);
/* The same, for helpers that add a prefix naming their object (apply.h's log_vf_*()). */
enum log_level {
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_ACTION,
	LOG_LEVEL_DEBUG,
};
int log_prefixed_va(enum log_level level, int r, const char *prefix, const char *fmt, va_list ap)
	_printf_(4, 0);
/* Dry run: one line per change that would be made, on stderr. */
void log_plan(const char *fmt, ...) _printf_(1, 2);
