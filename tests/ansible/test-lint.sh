#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# ansible-lint (production profile, offline) passes on the collection in install/ansible.
. "${srcdir:-.}/tests/ansible/lib.sh"
command -v ansible-lint >/dev/null 2>&1 ||
	{ echo "SKIP: ansible-lint not installed (apt-get install ansible-lint)"; exit 77; }
if (cd "$COLLECTION" && ansible-lint --offline --nocolor --profile production) >"$T/lint.out" 2>&1; then
	ok "ansible-lint: $(grep -E 'Passed|Failed' "$T/lint.out")"
else
	sed 's/^/  | /' "$T/lint.out"
	fail "ansible-lint found problems in install/ansible"
fi
finish
