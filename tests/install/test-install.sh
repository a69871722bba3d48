#!/bin/sh
# shellcheck disable=SC2317,SC2016 # helpers run through check(); sh -c scripts take "$1"
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# install/install.sh in a temporary root (--root, so no daemon is reloaded), with fake built hooks
# (small scripts that carry our marker). No root needed.
#   free paths; an admin's hook present (left byte-identical, ours in .d/); reinstall (unchanged);
#   upgrade (a new binary of ours replaces ours only); the admin's hook gone (ours moves to the
#   main path); uninstall (ours gone, the admin's byte-identical, the state directory untouched);
#   an admin's symlink at the main path (left alone, also when it points at our binary).
#
#   sh tests/install/test-install.sh       (make check runs it; SRIOV_TEST_KEEP=1 keeps the tree)
set -u

here=$(cd "$(dirname "$0")" && pwd)
INSTALL_SH=${INSTALL_SH:-$here/../../install/install.sh}
MARKER='libvirt-sriov-hooks:hook-binary:v1'
D=libvirt-sriov-hooks

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-install.XXXXXX") || exit 99
if [ "${SRIOV_TEST_KEEP:-0}" = 1 ]; then
	echo "# keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
fi

fails=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
check() { # description command...
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# A fake built hook: a script with the marker, distinguishable by VERSION.
fake_hooks() { # dir version
	mkdir -p "$1"
	for h in network qemu; do
		printf '#!/bin/sh\n# %s\n# %s %s\nexit 0\n' "$MARKER" "$h" "$2" >"$1/$h"
		chmod 0755 "$1/$h"
	done
}
admin_hook() { # path
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\n# the admin'"'"'s own hook: %s\nlogger "hook $*"\n' "$1" >"$1"
	chmod 0750 "$1"
	cp -p "$1" "$1.orig-copy"
}
run() { # root args... : runs install.sh, output in $tmp/out, status in $rc
	r=$1
	shift
	rc=0
	"$INSTALL_SH" --root "$r" "$@" >"$tmp/out" 2>&1 || rc=$?
	sed 's/^/#   /' "$tmp/out"
}
says() { grep -q -- "$1" "$tmp/out"; }
real_exe() { [ -f "$1" ] && [ ! -L "$1" ] && [ -x "$1" ]; }
mode() { stat -c %a "$1"; }
same() { cmp -s "$1" "$2"; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
# Everything below a root: path, type, mode, size, content hash; symlinks with their target.
snapshot() {
	(cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r f; do
		if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
		elif [ -f "$f" ]; then echo "$f $(stat -c '%a %s %Y' "$f") $(cksum <"$f")"
		else echo "$f/ $(stat -c %a "$f")"
		fi
	done)
}

v1=$tmp/build-v1
v2=$tmp/build-v2
fake_hooks "$v1" 1
fake_hooks "$v2" 2

echo "# 1. free paths"
R=$tmp/free
H=$R/etc/libvirt/hooks
mkdir -p "$R"
run "$R" --hooks-dir "$v1"
check "install into free paths succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: a real executable file at the main path" real_exe "$H/$h"
	check "$h: a copy of the built hook" same "$v1/$h" "$H/$h"
	check "$h: mode 755" [ "$(mode "$H/$h")" = 755 ]
	check "$h: nothing in $h.d/" absent "$H/$h.d"
done
check "says installed" says "$H/network: installed"
check "no temporary file left" [ -z "$(find "$H" -name '*.tmp.*')" ]

echo "# 2. reinstall: nothing changes"
before=$(snapshot "$R")
sleep 1
run "$R" --hooks-dir "$v1"
check "reinstall succeeds" [ "$rc" = 0 ]
check "says unchanged for network" says "$H/network: unchanged"
check "says unchanged for qemu" says "$H/qemu: unchanged"
check "says nothing was installed" sh -c '! grep -q ": installed" "$1"' sh "$tmp/out"
check "the tree is identical (content, mode, mtime)" [ "$before" = "$(snapshot "$R")" ]

echo "# 3. upgrade from the free paths"
run "$R" --hooks-dir "$v2"
check "upgrade succeeds" [ "$rc" = 0 ]
check "network is the new binary" same "$v2/network" "$H/network"
check "qemu is the new binary" same "$v2/qemu" "$H/qemu"

echo "# 4. an admin's hooks hold the main paths"
R=$tmp/admin
H=$R/etc/libvirt/hooks
admin_hook "$H/network"
admin_hook "$H/qemu"
mkdir -p "$R/run/$D/vf"
echo 'orig.trust=0' >"$R/run/$D/vf/0000:3b:02.6"
run "$R" --hooks-dir "$v1"
check "install beside an admin's hooks succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: the admin's hook is byte-identical" cmp "$H/$h.orig-copy" "$H/$h"
	check "$h: the admin's hook keeps its mode" [ "$(mode "$H/$h")" = 750 ]
	check "$h: ours is a real executable in $h.d/" real_exe "$H/$h.d/$D"
	check "$h: ours in $h.d/ is the built hook" same "$v1/$h" "$H/$h.d/$D"
done
check "says the main path belongs to someone else" says "network belongs to someone else"

echo "# 5. reinstall beside the admin's hooks"
before=$(snapshot "$R")
sleep 1
run "$R" --hooks-dir "$v1"
check "reinstall succeeds" [ "$rc" = 0 ]
check "says unchanged" says "$H/network.d/$D: unchanged"
check "the tree is identical" [ "$before" = "$(snapshot "$R")" ]

echo "# 6. upgrade beside the admin's hooks: ours only"
run "$R" --hooks-dir "$v2"
check "upgrade succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: ours in $h.d/ is the new binary" same "$v2/$h" "$H/$h.d/$D"
	check "$h: the admin's hook is byte-identical" cmp "$H/$h.orig-copy" "$H/$h"
done

echo "# 7. uninstall beside the admin's hooks"
state_before=$(snapshot "$R/run")
run "$R" --uninstall
check "uninstall succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: ours is gone" absent "$H/$h.d/$D"
	check "$h: the empty $h.d/ is gone" absent "$H/$h.d"
	check "$h: the admin's hook is byte-identical" cmp "$H/$h.orig-copy" "$H/$h"
done
check "the state directory is untouched" [ "$state_before" = "$(snapshot "$R/run")" ]
check "says removed" says "$H/network.d/$D: removed"

echo "# 8. uninstall again: nothing to do"
before=$(snapshot "$R")
run "$R" --uninstall
check "a second uninstall succeeds" [ "$rc" = 0 ]
check "and changes nothing" [ "$before" = "$(snapshot "$R")" ]

echo "# 9. the admin's hook goes away: ours moves to the main path"
run "$R" --hooks-dir "$v1"
rm -f "$H/network"
run "$R" --hooks-dir "$v1"
check "install succeeds" [ "$rc" = 0 ]
check "network: ours at the main path" same "$v1/network" "$H/network"
check "network: our old copy in network.d/ is removed" absent "$H/network.d/$D"
check "qemu: still in qemu.d/ beside the admin's" same "$v1/qemu" "$H/qemu.d/$D"
check "qemu: the admin's hook is byte-identical" cmp "$H/qemu.orig-copy" "$H/qemu"

echo "# 10. uninstall from the free paths"
R=$tmp/free
H=$R/etc/libvirt/hooks
mkdir -p "$R/run/$D/vf"
echo 'orig.spoofchk=1' >"$R/run/$D/vf/0000:3b:02.7"
state_before=$(snapshot "$R/run")
run "$R" --uninstall
check "uninstall succeeds" [ "$rc" = 0 ]
check "network is gone" absent "$H/network"
check "qemu is gone" absent "$H/qemu"
check "the state directory is untouched" [ "$state_before" = "$(snapshot "$R/run")" ]

echo "# 11. an admin's symlink at the main path"
R=$tmp/symlink
H=$R/etc/libvirt/hooks
mkdir -p "$H" "$R/usr/local/sbin"
printf '#!/bin/sh\necho admin\n' >"$R/usr/local/sbin/my-hook"
chmod 0755 "$R/usr/local/sbin/my-hook"
cp "$R/usr/local/sbin/my-hook" "$tmp/my-hook.copy"
ln -s ../../../usr/local/sbin/my-hook "$H/network"
# A symlink to our own installed binary is the admin's doing too: left alone both ways.
ln -s "$v1/qemu" "$H/qemu"
run "$R" --hooks-dir "$v1"
check "install beside a symlink succeeds" [ "$rc" = 0 ]
check "network: the symlink is left as it is" [ "$(readlink "$H/network")" = ../../../usr/local/sbin/my-hook ]
check "network: its target is byte-identical" cmp "$tmp/my-hook.copy" "$R/usr/local/sbin/my-hook"
check "network: ours in network.d/" real_exe "$H/network.d/$D"
check "qemu: the symlink to our binary is left as it is" [ "$(readlink "$H/qemu")" = "$v1/qemu" ]
check "qemu: ours in qemu.d/" real_exe "$H/qemu.d/$D"
run "$R" --uninstall
check "uninstall succeeds" [ "$rc" = 0 ]
check "network: the symlink is still there" [ "$(readlink "$H/network")" = ../../../usr/local/sbin/my-hook ]
check "qemu: the symlink to our binary is still there" [ "$(readlink "$H/qemu")" = "$v1/qemu" ]
check "ours is gone from network.d/" absent "$H/network.d/$D"
check "ours is gone from qemu.d/" absent "$H/qemu.d/$D"

echo "# 12. errors"
R=$tmp/errors
mkdir -p "$R" "$tmp/empty"
run "$R" --hooks-dir "$tmp/empty"
check "no built hooks: fails" [ "$rc" != 0 ]
check "no built hooks: says so" says "no built hooks found"
check "no built hooks: nothing installed" absent "$R/etc/libvirt/hooks/network"
run "$R" --bogus
check "an unknown option fails" [ "$rc" != 0 ]

echo "1..$n"
if [ "$fails" -gt 0 ]; then
	echo "# $fails of $n checks failed"
	exit 1
fi
echo "# all $n checks passed"
exit 0
