#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sriov-hooks' errors: no libvirt, an unknown network or guest, usage; each a clear message on
# stderr and its exit status (1: an error, 2: usage).
. "${srcdir:-.}/tests/cli/lib.sh"
mk_host
NOLIBVIRT="test:///$T/no-such-node.xml"

run nolibvirt "$CLI" -c "$NOLIBVIRT" --sysfs "$SYS" status
expect_rc nolibvirt 1
expect_grep nolibvirt "^sriov-hooks: cannot connect to libvirt at 'test:///.*no-such-node.xml': .*--connect" err
[ -s "$T/nolibvirt.out" ] && fail "nolibvirt: output on stdout" || ok "nolibvirt: nothing on stdout"
run nolibvirt-json "$CLI" --json -c "$NOLIBVIRT" --sysfs "$SYS" status
expect_rc nolibvirt-json 1
run nolibvirt-plan "$CLI" -c "$NOLIBVIRT" --sysfs "$SYS" plan pool-a
expect_rc nolibvirt-plan 1
expect_grep nolibvirt-plan 'cannot connect to libvirt' err

run unknown-net "$CLI" -c "$URI" --sysfs "$SYS" status nosuchnet
expect_rc unknown-net 1
expect_grep unknown-net "^sriov-hooks: unknown network 'nosuchnet'" err
run unknown-plan "$CLI" -c "$URI" --sysfs "$SYS" plan nosuchnet
expect_rc unknown-plan 1
expect_grep unknown-plan "^sriov-hooks: unknown network or guest 'nosuchnet', and no file of that name" err
run missing-file "$CLI" -c "$URI" --sysfs "$SYS" plan ./nosuch.xml
expect_rc missing-file 1
expect_grep missing-file 'cannot read ./nosuch.xml: No such file' err

# What looks like a file (a '/', or .xml) or is one is read as a file, and when it cannot be, that
# is the error: not libvirt, which is down here and would otherwise be blamed.
mkdir "$T/cwd" "$T/cwd/adir"
for arg in missing.xml MISSING.XML sub/missing adir; do
	n=file-$(echo "$arg" | tr / _)
	run "$n" sh -c 'cd "$1" && shift && exec "$@"' sh "$T/cwd" \
		"$CLI" -c "$NOLIBVIRT" --sysfs "$SYS" plan "$arg"
	expect_rc "$n" 1
	expect_no_grep "$n" 'libvirt' err
done
expect_grep file-missing.xml '^sriov-hooks: cannot read missing.xml: No such file or directory$' err
expect_grep file-MISSING.XML '^sriov-hooks: cannot read MISSING.XML: No such file or directory$' err
expect_grep file-sub_missing '^sriov-hooks: cannot read sub/missing: No such file or directory$' err
expect_grep file-adir '^sriov-hooks: cannot read adir: Is a directory$' err
# A plain name that is no file is still looked up in libvirt.
run name-nolibvirt sh -c 'cd "$1" && shift && exec "$@"' sh "$T/cwd" \
	"$CLI" -c "$NOLIBVIRT" --sysfs "$SYS" plan missing
expect_rc name-nolibvirt 1
expect_grep name-nolibvirt '^sriov-hooks: cannot connect to libvirt' err

run nocmd "$CLI"
expect_rc nocmd 2
expect_grep nocmd 'no command given' err
run badcmd "$CLI" frobnicate
expect_rc badcmd 2
expect_grep badcmd "unknown command 'frobnicate'" err
run badopt "$CLI" --frobnicate status
expect_rc badopt 2
run planargs "$CLI" plan
expect_rc planargs 2
run doctorargs "$CLI" doctor extra
expect_rc doctorargs 2
run badsysfs "$CLI" --sysfs "$T/nowhere" status
expect_rc badsysfs 1
expect_grep badsysfs "cannot open the sysfs root $T/nowhere" err

run help "$CLI" --help
expect_rc help 0
expect_grep help '^Usage: sriov-hooks '
run version "$CLI" --version
expect_rc version 0
expect_grep version '^sriov-hooks \(libvirt-sriov-hooks\) [0-9]'

finish
