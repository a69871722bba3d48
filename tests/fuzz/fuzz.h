/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Fuzz targets, one per input parser. Each fuzz-NAME.c defines fuzz_NAME(); built by
 * tests/fuzz/run.sh with clang's libFuzzer it also gets the LLVMFuzzerTestOneInput entry point.
 * Built with -DFUZZ_REPLAY (make check: tests/fuzz/replay.c) it is called on every seed and every
 * regression input instead.
 *
 * Beyond "no crash, no leak, no UB", each target checks the parser's promises: names that will
 * become paths are valid interface names, UUIDs are UUIDs, error text is one printable line.
 * A broken promise aborts, which the fuzzer reports like a crash.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int fuzz_netxml(const uint8_t *data, size_t size);
int fuzz_domxml(const uint8_t *data, size_t size);
int fuzz_policy(const uint8_t *data, size_t size);
int fuzz_conf(const uint8_t *data, size_t size);
int fuzz_args(const uint8_t *data, size_t size);
int fuzz_state(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* An error message for the log: NUL-terminated within its buffer, one line, no control bytes
 * (tenant text inside must not forge a second log line or drive a terminal). */
#define FUZZ_CHECK_MSG(buf)                                                                        \
	do {                                                                                       \
		FUZZ_CHECK(memchr((buf), '\0', sizeof(buf)) != NULL);                              \
		for (const unsigned char *p_ = (const unsigned char *)(buf); *p_; p_++)            \
			FUZZ_CHECK(*p_ >= 0x20 && *p_ != 0x7f);                                    \
	} while (0)

#ifdef FUZZ_REPLAY
#define FUZZ_ENTRY(name)
#else
#define FUZZ_ENTRY(name)                                                                           \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                              \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                               \
	{                                                                                          \
		return fuzz_##name(data, size);                                                    \
	}
#endif
