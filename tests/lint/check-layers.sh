#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The layers, as the compiler sees them (make check runs this): dependencies run one way,
# hooks -> xml -> common, and each library stays behind its one door.
#   - no file outside xml/ sees a libxml2 header, even through one of ours;
#   - no file but common/vf.c sees a libnl header;
#   - common/ sees nothing of xml/ or hooks/, xml/ nothing of hooks/;
#   - nothing built into the hooks (common/, xml/, hooks/ but the admin tool) sees libvirt's.
# Tests and fuzzers are white-box and may look inside xml/; they are not checked.
#
#   check-layers.sh SRCDIR CC CPPFLAGS...
set -eu
src=$1 cc=$2
shift 2
cd "$src"

fail=0
complain() { echo "check-layers: $1: $2" >&2; fail=1; }

for f in common/*.c xml/*.c hooks/*.c hooks/*/*.c; do
	[ -f "$f" ] || continue
	# Every header the file sees, one per line, ours relative to the source tree.
	deps=$("$cc" -MM "$@" "$f" | sed -e 's/^[^:]*://' -e 's/\\$//' | tr ' ' '\n' |
		sed -e '/^$/d' -e "s|^$src/||" -e 's|^\.\./||' -e 's|^\./||')
	case "$f" in
	xml/*) ;;
	*) echo "$deps" | grep -q '/libxml/' && complain "$f" "sees libxml2 (only xml/*.c may)" ;;
	esac
	[ "$f" = common/vf.c ] || { echo "$deps" | grep -q '/netlink/' &&
		complain "$f" "sees libnl (only common/vf.c may)"; }
	case "$f" in
	common/*) echo "$deps" | grep -qE '^(xml|hooks)/' &&
		complain "$f" "common/ must not include xml/ or hooks/: $(echo "$deps" | grep -E '^(xml|hooks)/' | tr '\n' ' ')" ;;
	xml/*) echo "$deps" | grep -qE '^hooks/' &&
		complain "$f" "xml/ must not include hooks/: $(echo "$deps" | grep -E '^hooks/' | tr '\n' ' ')" ;;
	esac
	case "$f" in
	hooks/cli/*|hooks/cli-*|hooks/sriov-hooks.c) ;;
	*) echo "$deps" | grep -q '/libvirt/' && complain "$f" "a hook must never see libvirt's client library" ;;
	esac
done
[ "$fail" = 0 ] && echo "check-layers: hooks -> xml -> common; libxml2 only in xml/, libnl only in common/vf.c"
exit "$fail"
