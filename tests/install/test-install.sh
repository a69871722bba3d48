#!/bin/sh
# shellcheck disable=SC2317,SC2016 # helpers run through check(); sh -c scripts take "$1"
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# install/install.sh in a temporary root (--root, so no daemon is reloaded), with fake built hooks
# (small scripts that carry our marker) and fake commands first in PATH (libvirtd --version,
# selinuxenabled, getenforce, semodule, restorecon, setsebool: each logs its argv) and a fake
# selinuxfs under the root. No root needed.
#   libvirt >= 6.6: ours always in network.d/ and qemu.d/, never the main paths; reinstall
#   (unchanged); upgrade; an admin's hooks at the main paths (byte-identical); uninstall (ours
#   gone, the admin's byte-identical, the state directory untouched); an earlier install of ours at
#   a main path (moved once); an admin's symlink at a main path; an admin's file at our .d/ name
#   (refused, nothing changed). libvirt 6.5 and 6.0 (main paths; refusals). SELinux: disabled,
#   not confining hooks, enforcing and confining with no module (refused), with the module file
#   (loaded, and removed at uninstall), with --selinux-module, with the boolean on, with the module
#   already loaded, permissive (a warning), a failing semodule.
#
#   sh tests/install/test-install.sh       (make check runs it; SRIOV_TEST_KEEP=1 keeps the tree)
set -u

here=$(cd "$(dirname "$0")" && pwd)
# The installer as configure made it (make check sets INSTALL_SH): an in-tree configure, or
# install/setup.sh's build/.
if [ -z "${INSTALL_SH:-}" ]; then
	for f in "$here/../../install/install.sh" "$here/../../build/install/install.sh"; do
		[ -f "$f" ] && { INSTALL_SH=$f; break; }
	done
fi
[ -n "${INSTALL_SH:-}" ] && [ -f "$INSTALL_SH" ] ||
	{ echo "SKIP: test-install.sh: no configured install/install.sh (run configure, or set INSTALL_SH)"; exit 77; }
# Our fake hooks carry the marker the installer looks for (configure's HOOK_MARKER).
MARKER=$(sed -n "s/^MARKER='\(.*\)'\$/\1/p" "$INSTALL_SH")
case "$MARKER" in ''|*@*) echo "Bail out! $INSTALL_SH has no substituted MARKER ('$MARKER')"; exit 99 ;; esac
D=libvirt-sriov-hooks
MOD=libvirt_sriov_hooks

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-install.XXXXXX") || exit 99
if [ "${SRIOV_TEST_KEEP:-0}" = 1 ]; then
	echo "# keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
fi

# shellcheck source=../lib/tap.sh
. "$(dirname "$0")/../lib/tap.sh"

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

# Fake commands, first in PATH. Each appends "NAME ARGS" to $tmp/cmds. The libvirt version comes
# from $tmp/libvirt-version; semodule -l prints $tmp/semodule-list; semodule -i and -r exit with
# the status in $tmp/semodule-rc (default 0).
bin=$tmp/bin
mkdir -p "$bin"
for c in libvirtd selinuxenabled getenforce semodule restorecon setsebool; do
	cat >"$bin/$c" <<-EOF
	#!/bin/sh
	echo "$c \$*" >>"$tmp/cmds"
	case "$c \$1" in
	"libvirtd --version") echo "libvirtd (libvirt) \$(cat "$tmp/libvirt-version")" ;;
	"selinuxenabled "*) exit 1 ;;
	"getenforce "*) echo Disabled ;;
	"semodule -l") cat "$tmp/semodule-list" 2>/dev/null ;;
	"semodule "*) exit "\$(cat "$tmp/semodule-rc" 2>/dev/null || echo 0)" ;;
	esac
	exit 0
	EOF
	chmod 0755 "$bin/$c"
done
echo 9.0.0 >"$tmp/libvirt-version"

run() { # root args... : runs install.sh, output in $tmp/out, status in $rc, commands in $tmp/cmds
	r=$1
	shift
	rc=0
	: >"$tmp/cmds"
	PATH="$bin:$PATH" "$INSTALL_SH" --root "$r" "$@" >"$tmp/out" 2>&1 || rc=$?
	sed 's/^/#   /' "$tmp/out"
}
says() { grep -q -- "$1" "$tmp/out"; }
says_line() { grep -Fxq -- "$1" "$tmp/out"; }
# The commands run, in order, exactly.
ran() { [ "$(cat "$tmp/cmds")" = "$(printf '%s\n' "$@")" ] || { sed 's/^/#   ran: /' "$tmp/cmds"; return 1; }; }
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

echo "# 1. free paths (libvirt 9.0): ours in network.d/ and qemu.d/"
R=$tmp/free
H=$R/etc/libvirt/hooks
mkdir -p "$R"
run "$R" --hooks-dir "$v1"
check "install into free paths succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: a real executable file at $h.d/$D" real_exe "$H/$h.d/$D"
	check "$h: a copy of the built hook" same "$v1/$h" "$H/$h.d/$D"
	check "$h: mode 755" [ "$(mode "$H/$h.d/$D")" = 755 ]
	check "$h: nothing at the main path" absent "$H/$h"
done
check "says installed" says_line "install.sh: $H/network.d/$D: installed"
check "no temporary file left" [ -z "$(find "$H" -name '*.tmp.*')" ]
check "SELinux disabled (no selinuxfs): no SELinux command runs" ran "libvirtd --version"

echo "# 2. reinstall: nothing changes"
before=$(snapshot "$R")
sleep 1
run "$R" --hooks-dir "$v1"
check "reinstall succeeds" [ "$rc" = 0 ]
check "says unchanged for network" says_line "install.sh: $H/network.d/$D: unchanged"
check "says unchanged for qemu" says_line "install.sh: $H/qemu.d/$D: unchanged"
check "says nothing was installed" sh -c '! grep -q ": installed" "$1"' sh "$tmp/out"
check "the tree is identical (content, mode, mtime)" [ "$before" = "$(snapshot "$R")" ]

echo "# 3. upgrade"
run "$R" --hooks-dir "$v2"
check "upgrade succeeds" [ "$rc" = 0 ]
check "network is the new binary" same "$v2/network" "$H/network.d/$D"
check "qemu is the new binary" same "$v2/qemu" "$H/qemu.d/$D"
check "still nothing at the main paths" sh -c '[ ! -e "$1/network" ] && [ ! -e "$1/qemu" ]' sh "$H"

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
check "says the main path belongs to someone else" says_line "install.sh: $H/network belongs to someone else: left as it is"

echo "# 5. reinstall beside the admin's hooks"
before=$(snapshot "$R")
sleep 1
run "$R" --hooks-dir "$v1"
check "reinstall succeeds" [ "$rc" = 0 ]
check "says unchanged" says_line "install.sh: $H/network.d/$D: unchanged"
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
check "says removed" says_line "install.sh: $H/network.d/$D: removed"
check "uninstall runs no command (no module was loaded)" ran

echo "# 8. uninstall again: nothing to do"
before=$(snapshot "$R")
run "$R" --uninstall
check "a second uninstall succeeds" [ "$rc" = 0 ]
check "and changes nothing" [ "$before" = "$(snapshot "$R")" ]

echo "# 9. an earlier install of ours at the main paths moves into .d/, once"
R=$tmp/earlier
H=$R/etc/libvirt/hooks
mkdir -p "$H"
cp "$v1/network" "$H/network"
cp "$v1/qemu" "$H/qemu"
run "$R" --hooks-dir "$v2"
check "install succeeds" [ "$rc" = 0 ]
for h in network qemu; do
	check "$h: our old file at the main path is gone" absent "$H/$h"
	check "$h: ours is the new binary in $h.d/" same "$v2/$h" "$H/$h.d/$D"
	check "$h: says moved" says_line "install.sh: $H/$h: ours, moved to $H/$h.d/$D"
done
before=$(snapshot "$R")
run "$R" --hooks-dir "$v2"
check "a second run succeeds" [ "$rc" = 0 ]
check "and moves nothing" sh -c '! grep -q moved "$1"' sh "$tmp/out"
check "and changes nothing" [ "$before" = "$(snapshot "$R")" ]
# The same binary at the main path and in .d/ (an interrupted move): the main copy goes.
cp "$v2/network" "$H/network"
run "$R" --hooks-dir "$v2"
check "an interrupted move completes" sh -c '[ "$1" = 0 ] && [ ! -e "$2/network" ]' sh "$rc" "$H"

echo "# 10. uninstall from the free paths"
R=$tmp/free
H=$R/etc/libvirt/hooks
mkdir -p "$R/run/$D/vf"
echo 'orig.spoofchk=1' >"$R/run/$D/vf/0000:3b:02.7"
state_before=$(snapshot "$R/run")
run "$R" --uninstall
check "uninstall succeeds" [ "$rc" = 0 ]
check "network is gone" absent "$H/network.d/$D"
check "qemu is gone" absent "$H/qemu.d/$D"
check "network.d/ is gone" absent "$H/network.d"
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

echo "# 12. libvirt 6.0 (no .d/): the main paths; an admin's hook there is refused"
echo 6.0.0 >"$tmp/libvirt-version"
R=$tmp/old
H=$R/etc/libvirt/hooks
mkdir -p "$R"
run "$R" --hooks-dir "$v1"
check "install succeeds" [ "$rc" = 0 ]
check "network: ours at the main path" same "$v1/network" "$H/network"
check "qemu: ours at the main path" same "$v1/qemu" "$H/qemu"
check "no network.d/" absent "$H/network.d"
run "$R" --uninstall
R=$tmp/old-admin
H=$R/etc/libvirt/hooks
admin_hook "$H/network"
before=$(snapshot "$R")
run "$R" --hooks-dir "$v1"
check "beside an admin's hook: refused (exit 1)" [ "$rc" = 1 ]
check "beside an admin's hook: says why and what to do" says_line "install.sh: error: $H/network is an existing hook of yours, and libvirt 6.0 has no network.d/ directory (6.5.0 or later). Rename your hook, call ours from it (exec $v1/network \"\$@\" at its end), or upgrade libvirt"
check "beside an admin's hook: nothing changed (qemu not installed either)" [ "$before" = "$(snapshot "$R")" ]
# Ours in .d/ from a newer libvirt's time, libvirt downgraded: ours moves to the free main path.
R=$tmp/downgrade
H=$R/etc/libvirt/hooks
mkdir -p "$H/network.d"
cp "$v1/network" "$H/network.d/$D"
run "$R" --hooks-dir "$v1"
check "downgrade: install succeeds" [ "$rc" = 0 ]
check "downgrade: ours at the main path" same "$v1/network" "$H/network"
check "downgrade: ours gone from network.d/ (and the empty directory)" absent "$H/network.d"

echo "# 13. libvirt 6.5: .d/ entries run only beside a main hook"
echo 6.5.0 >"$tmp/libvirt-version"
R=$tmp/v65
H=$R/etc/libvirt/hooks
admin_hook "$H/qemu"
run "$R" --hooks-dir "$v1"
check "install succeeds" [ "$rc" = 0 ]
check "network (main path free): ours at the main path" same "$v1/network" "$H/network"
check "qemu (an admin's main hook): ours in qemu.d/" same "$v1/qemu" "$H/qemu.d/$D"
check "qemu: the admin's hook is byte-identical" cmp "$H/qemu.orig-copy" "$H/qemu"
check "qemu: warns that ours runs only while the admin's stays" says_line "install.sh: warning: libvirt 6.5 runs qemu.d/ entries only while a main qemu hook exists (fixed in 6.6.0): ours runs as long as $H/qemu stays"
echo 9.0.0 >"$tmp/libvirt-version"
run "$R" --hooks-dir "$v1"
check "libvirt upgraded to 9.0: network moves into network.d/" sh -c '[ "$1" = 0 ] && [ ! -e "$2/network" ] && cmp -s "$3" "$2/network.d/$4"' sh "$rc" "$H" "$v1/network" "$D"

echo "# 14. an admin's own file at our .d/ name is never overwritten"
R=$tmp/dname
H=$R/etc/libvirt/hooks
admin_hook "$H/qemu.d/$D"
before=$(snapshot "$R")
run "$R" --hooks-dir "$v1"
check "refused (exit 1)" [ "$rc" = 1 ]
check "names the file and says what to do" says_line "install.sh: error: $H/qemu.d/$D exists and is not ours (it does not carry the libvirt-sriov-hooks marker): left as it is, nothing was changed. Move it elsewhere (another name in qemu.d/ keeps it running), then run again"
check "nothing changed (network not installed either)" [ "$before" = "$(snapshot "$R")" ]
run "$R" --uninstall
check "uninstall leaves it too" cmp "$H/qemu.d/$D.orig-copy" "$H/qemu.d/$D"
rm -f "$H/qemu.d/$D" "$H/qemu.d/$D.orig-copy"
ln -s /usr/local/sbin/their-hook "$H/qemu.d/$D"
before=$(snapshot "$R")
run "$R" --hooks-dir "$v1"
check "a symlink at our .d/ name: refused (exit 1)" [ "$rc" = 1 ]
check "a symlink at our .d/ name: left as it is" [ "$before" = "$(snapshot "$R")" ]

echo "# 15. SELinux"
# A fake selinuxfs: enforce (1 or 0), and the boolean of the policies that confine hooks.
selinuxfs() { # root enforce [boolean-value|none]
	mkdir -p "$1/sys/fs/selinux/booleans"
	echo "$2" >"$1/sys/fs/selinux/enforce"
	rm -f "$1/sys/fs/selinux/booleans/virt_hooks_unconfined"
	[ "${3:-none}" = none ] || echo "$3 $3" >"$1/sys/fs/selinux/booleans/virt_hooks_unconfined"
}
PP=usr/share/selinux/packages/targeted/$MOD.pp.bz2
RECORD=var/lib/libvirt-sriov-hooks/selinux-module-loaded-by-installer
REFUSAL="install.sh: error: SELinux's policy lets libvirt run hooks only with the boolean virt_hooks_unconfined on, which is off, and the policy module $MOD is not loaded: libvirt could not run the hooks and every network start would fail. Nothing was changed. To fix: install the libvirt-sriov-hooks-selinux package (or run again with --selinux-module FILE), or run: setsebool -P virt_hooks_unconfined on"

R=$tmp/se-unconfined
H=$R/etc/libvirt/hooks
selinuxfs "$R" 1 none
mkdir -p "$R/run/$D"
run "$R" --hooks-dir "$v1"
check "enforcing, hooks not confined (EL9): succeeds" [ "$rc" = 0 ]
check "enforcing, hooks not confined: relabels the hooks and the state directory, nothing else" \
	ran "libvirtd --version" "restorecon -R $H $R/run/$D"

R=$tmp/se-refuse
H=$R/etc/libvirt/hooks
selinuxfs "$R" 1 0
admin_hook "$H/network"
before=$(snapshot "$R")
run "$R" --hooks-dir "$v1"
check "enforcing, confined, no module, boolean off: refused (exit 1)" [ "$rc" = 1 ]
check "the refusal says exactly what to run" says_line "$REFUSAL"
check "nothing changed" [ "$before" = "$(snapshot "$R")" ]
check "only the version and the module list were asked" ran "libvirtd --version" "semodule -l"

mkdir -p "$R/$(dirname "$PP")"
echo "fake module" >"$R/$PP"
echo 1 >"$tmp/semodule-rc"
run "$R" --hooks-dir "$v1"
check "semodule -i fails: refused (exit 1)" [ "$rc" = 1 ]
check "semodule -i fails: says so" says_line "install.sh: error: semodule -i $R/$PP failed: nothing else was changed"
check "semodule -i fails: no hook installed, no record" sh -c '[ ! -e "$1/network.d" ] && [ ! -e "$2" ]' sh "$H" "$R/$RECORD"
rm -f "$tmp/semodule-rc"

run "$R" --hooks-dir "$v1"
check "with the module file: succeeds" [ "$rc" = 0 ]
check "with the module file: loads it before installing, then relabels" \
	ran "libvirtd --version" "semodule -l" "semodule -X 400 -i $R/$PP" "restorecon -R $H"
check "with the module file: says so" says_line "install.sh: SELinux: policy module $MOD loaded from $R/$PP"
check "with the module file: ours installed" real_exe "$H/network.d/$D"
check "with the module file: the load is recorded" [ -f "$R/$RECORD" ]
echo "$MOD 400 pp" >"$tmp/semodule-list"
run "$R" --hooks-dir "$v1"
check "module loaded: reinstall does not load it again" ran "libvirtd --version" "semodule -l" "restorecon -R $H"
run "$R" --uninstall
check "uninstall: succeeds" [ "$rc" = 0 ]
check "uninstall: removes the module this installer loaded" ran "semodule -X 400 -r $MOD"
check "uninstall: the record is gone" absent "$R/var/lib/libvirt-sriov-hooks"
check "uninstall: the admin's hook is byte-identical" cmp "$H/network.orig-copy" "$H/network"

R=$tmp/se-loaded
H=$R/etc/libvirt/hooks
selinuxfs "$R" 1 0
run "$R" --hooks-dir "$v1"
check "module loaded by someone else (a package): succeeds" [ "$rc" = 0 ]
check "module loaded by someone else: not loaded again" ran "libvirtd --version" "semodule -l" "restorecon -R $H"
run "$R" --uninstall
check "module loaded by someone else: uninstall leaves it" ran
rm -f "$tmp/semodule-list"

R=$tmp/se-option
H=$R/etc/libvirt/hooks
selinuxfs "$R" 1 0
echo "fake module" >"$tmp/my.pp"
run "$R" --hooks-dir "$v1" --selinux-module "$tmp/my.pp"
check "--selinux-module FILE: succeeds" [ "$rc" = 0 ]
check "--selinux-module FILE: loads that file" \
	ran "libvirtd --version" "semodule -l" "semodule -X 400 -i $tmp/my.pp" "restorecon -R $H"
run "$R" --hooks-dir "$v1" --selinux-module "$tmp/missing.pp"
check "--selinux-module with a missing file: refused" [ "$rc" = 1 ]
check "--selinux-module with a missing file: says so" says_line "install.sh: error: --selinux-module $tmp/missing.pp: no such file"

R=$tmp/se-boolean
H=$R/etc/libvirt/hooks
selinuxfs "$R" 1 1
run "$R" --hooks-dir "$v1"
check "boolean virt_hooks_unconfined on: succeeds" [ "$rc" = 0 ]
check "boolean on: no module loaded, the hooks relabelled" ran "libvirtd --version" "restorecon -R $H"
check "boolean on: ours installed" real_exe "$H/qemu.d/$D"

R=$tmp/se-permissive
H=$R/etc/libvirt/hooks
selinuxfs "$R" 0 0
run "$R" --hooks-dir "$v1"
check "permissive, confined, no module: succeeds" [ "$rc" = 0 ]
check "permissive: warns with the fix" says_line "install.sh: warning: SELinux's policy lets libvirt run hooks only with the boolean virt_hooks_unconfined on, which is off, and the policy module $MOD is not loaded: SELinux is permissive, so the hooks run, but in enforcing mode every network start would fail. To fix: install the libvirt-sriov-hooks-selinux package (or run again with --selinux-module FILE), or run: setsebool -P virt_hooks_unconfined on"
check "permissive: ours installed and relabelled" ran "libvirtd --version" "semodule -l" "restorecon -R $H"
run "$R" --uninstall
check "SELinux enabled, uninstall with no record: no SELinux command" ran

echo "# 16. errors"
R=$tmp/errors
mkdir -p "$R" "$tmp/empty"
run "$R" --hooks-dir "$tmp/empty"
check "no built hooks: fails" [ "$rc" != 0 ]
check "no built hooks: says so" says "no built hooks found"
check "no built hooks: nothing installed" absent "$R/etc/libvirt/hooks"
run "$R" --bogus
check "an unknown option fails" [ "$rc" != 0 ]

echo "1..$n"
if [ "$fails" -gt 0 ]; then
	echo "# $fails of $n checks failed"
	exit 1
fi
echo "# all $n checks passed"
exit 0
