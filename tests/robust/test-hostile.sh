#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Hostile input to both hook binaries, run as libvirt runs them (real main(), real stdin), not in
# dry-run mode, against a fake sysfs tree and a state directory. Each case asserts the exact
# stderr, the exit status, that nothing reached stdout, and that neither tree changed (a listing
# of every file with its mtime and content, before and after). For the qemu hook, each case that
# fails a start is also run as "reconnect", which must exit 0 (non-zero kills the guest).
#
# The PF is 'sriovtest0' (no CI machine has it), so nothing here reaches a real NIC.
# Environment (set by make check): HOOK_NETWORK (hooks/qemu is next to it), TEST_DATA_DIR,
# TEST_BUILD_DIR.

set -u

NET=${HOOK_NETWORK:-hooks/network}
QEMU=$(dirname "$NET")/qemu
DATA=${TEST_DATA_DIR:-$(dirname "$0")/../data}
BUILD=${TEST_BUILD_DIR:-.}
PF=sriovtest0
PF_BDF=0000:01:00.0
E="libvirt-sriov-hooks: error:"
NDOC="$E network 'pool1': cannot use the document libvirt passed on standard input:"
QDOC="$E guest 'g1': cannot use the domain XML libvirt passed on standard input:"

T=$(mktemp -d "$BUILD/robust-hostile-XXXXXX") || exit 99
cleanup() {
	if [ "${SRIOV_TEST_KEEP:-}" = 1 ]; then echo "# kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT

# PF with 4 VFs (virtfn links in place), sriov_numvfs 0, and a record of VF 0 the hooks could
# (wrongly) act on.
# shellcheck source=../lib/fakesys.sh
. "$(dirname "$0")/../lib/fakesys.sh"
mkdir -p "$T/state/vf" "$T/state/lock"
fakesys_pf "$T/sys" "$PF" "$PF_BDF" igb 7 0 0000:01:10.0 0000:01:10.2 0000:01:10.4 0000:01:10.6
cat >"$T/state/vf/0000:01:10.0" <<EOF
version=1
vf=0000:01:10.0
pf=$PF_BDF
pf-ifname=$PF
index=0
network=pool1
network-uuid=56380527-2c38-4bbe-9d8c-506167e5a692
port=62f3066b-c2ed-43b0-9cd3-faa5228560b6
owner-name=g1
owner-uuid=723da1c4-8803-482b-b241-4bf728c256df
orig.spoofchk=1
orig.trust=0
want.spoofchk=0
want.trust=1
on-error=warn
EOF
find "$T/sys" "$T/state" -exec touch -h -d '2000-01-01 00:00:00' {} +

listing() {
	(cd "$T" && find sys state | LC_ALL=C sort | while read -r f; do
		printf '%s %s' "$f" "$(stat -c '%a %Y' "$f")"
		if [ -f "$f" ] && [ ! -L "$f" ]; then printf ' %s' "$(tr '\n' '|' <"$f")"; fi
		echo
	done)
}
BEFORE=$(listing)

# run NAME HOOK EXPECTED_STATUS EXPECTED_STDERR ARGS... (stdin: the input)
run() {
	name=$1 hook=$2 want_status=$3 want_err=$4
	shift 4
	# most cases run at the end of a pipeline, in a subshell: count in files
	echo >>"$T/count"
	count=$(wc -l <"$T/count")
	SRIOV_HOOKS_SYSFS=$T/sys SRIOV_HOOKS_STATE_DIR=$T/state SRIOV_HOOKS_CONFIG=$T/none.conf \
		"$hook" "$@" >"$T/out" 2>"$T/err"
	status=$?
	ok=1
	if [ "$status" != "$want_status" ]; then
		echo "# $name: exit status $status, expected $want_status"
		ok=0
	fi
	if [ -s "$T/out" ]; then
		echo "# $name: wrote to stdout:"
		head -c 500 "$T/out" | sed 's/^/#   /'
		ok=0
	fi
	printf '%s' "$want_err" >"$T/want"
	[ -z "$want_err" ] || echo >>"$T/want"
	if ! cmp -s "$T/err" "$T/want"; then
		echo "# $name: stderr differs (expected, then got):"
		sed 's/^/#   < /' "$T/want"
		head -c 2000 "$T/err" | sed 's/^/#   > /'
		ok=0
	fi
	if [ "$(listing)" != "$BEFORE" ]; then
		echo "# $name: the fake sysfs or the state directory changed"
		ok=0
	fi
	if [ $ok = 1 ]; then
		echo "ok $count - $name"
	else
		echo "not ok $count - $name"
		echo "$name" >>"$T/failed"
	fi
}

# net NAME STATUS STDERR OP SUB (stdin: the input)
net() {
	run "network: $1" "$NET" "$2" "$3" pool1 "$4" "$5" -
}
# qemu NAME STDERR: a start that fails (1) and the same at reconnect (0, same message)
qemu() {
	cat >"$T/qin"
	run "qemu: $1" "$QEMU" 1 "$2" g1 start begin - <"$T/qin"
	run "qemu: $1 (reconnect)" "$QEMU" 0 "$2" g1 reconnect begin - <"$T/qin"
}

ndoc() { sed "s/enp1s0/$PF/g" "$DATA/network/$1.xml"; }
qdoc() { cat "$DATA/qemu/$1.xml"; }
xml_escape() { printf '%s' "$1" | sed "s/&/\\&amp;/g; s/'/\\&apos;/g; s/</\\&lt;/g"; }

# --- every name that becomes a path: <pf dev>, <plug type='direct' dev>, <interface dev> ---
# XML_VALUE|PRINTED (the message quotes the value, control bytes shown as '?')
names='.|.
..|..
../../../etc|../../../etc
a b|a b
a:b|a:b
a&#9;b|a?b
a&#10;b|a?b
a&#127;b|a?b
é|é
enp1s0abcdefghij|enp1s0abcdefghij
x/|x/
|'
printf '%s\n' "$names" | while IFS='|' read -r value shown; do
	value=$(printf '%s' "$value" | sed 's/&/\\\&/g') # for sed's replacement
	ndoc start-begin | sed "s|<pf dev='$PF'/>|<pf dev='$value'/>|" |
		net "<pf dev='$shown'>" 1 "$NDOC invalid interface name '$shown' in <pf dev>" start begin
	ndoc port-created | sed "s|<plug type='hostdev-pci' managed='yes'>|<plug type='direct' dev='$value'>|; s|</plug>|</plug>|" |
		net "<plug type='direct' dev='$shown'>" 1 \
			"$NDOC invalid interface name '$shown' in <plug type='direct' dev>" port-created begin
	ndoc port-created | sed "s|<pf dev='$PF'/>|<pf dev='$PF'/><interface dev='$value'/>|" |
		net "<forward><interface dev='$shown'>" 1 \
			"$NDOC invalid interface name '$shown' in <forward><interface dev>" port-created begin
done >"$T/names.tap"
# valid names the kernel does not have: looked up under class/net only, and not found
for value in '%2e%2e' 'sriov_numvfs' '-' 'enp1s0abcdefgh'; do
	ndoc start-begin | sed "s|<pf dev='$PF'/>|<pf dev='$value'/>|" |
		net "<pf dev='$value'> (absent)" 1 "$E network 'pool1': PF '$value' does not exist (no /sys/class/net/$value); check <pf dev='$value'/> in the network definition" start begin
	# macvtap on a netdev that does not exist: not ours, silently
	ndoc port-created | sed "s|<plug type='hostdev-pci' managed='yes'>|<plug type='direct' dev='$value'>|" |
		net "<plug type='direct' dev='$value'> (absent)" 0 "" port-created begin
done >>"$T/names.tap"

# UUIDs name files in the state directory (guest/<uuid>) and key records
qdoc start-override | sed 's|<uuid>723da1c4-8803-482b-b241-4bf728c256df</uuid>|<uuid>../../../../etc/passwd-8803-482b-b241-4bf7</uuid>|' |
	qemu "guest <uuid> with ../" "$QDOC missing or invalid domain <uuid>"
ndoc port-created | sed 's|<uuid>723da1c4-8803-482b-b241-4bf728c256df</uuid>|<uuid>../../../../etc/passwd-8803-482b-b241-4bf7</uuid>|' |
	net "<owner><uuid> with ../" 1 "$NDOC invalid <owner><uuid>" port-created begin
ndoc port-created | sed 's|<uuid>62f3066b-c2ed-43b0-9cd3-faa5228560b6</uuid>|<uuid>62f3066b-c2ed-43b0-9cd3-faa5228560b/</uuid>|' |
	net "<networkport><uuid> with /" 1 "$NDOC invalid <networkport><uuid>" port-created begin

# --- PCI address fields, in the network's port and in a guest's <hostdev> ---
addrs="0x10000 0x01 0x10 0x0
0x0000 0x100 0x10 0x0
0x0000 0x01 0x20 0x0
0x0000 0x01 0x10 0x8
0x0000 -0x1 0x10 0x0
0x0000 0x 0x10 0x0
0x0000 1 0x10 0x0
0x0000 0x01/.. 0x10 0x0
0x0000 0x01 0x10 0x0/
0x00000000000 0x01 0x10 0x0
0x0000 0x01 0x10 0xffffffffffffffffff"
printf '%s\n' "$addrs" | while read -r dom bus slot fn; do
	a="domain='$dom' bus='$bus' slot='$slot' function='$fn'"
	shown=$(printf "domain='%.16s' bus='%.16s' slot='%.16s' function='%.16s'" "$dom" "$bus" "$slot" "$fn")
	ndoc port-created | sed "s|<address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/>|<address $a/>|" |
		net "plug address $a" 1 "$NDOC invalid PCI address $shown" port-created begin
	qdoc start-direct-hostdev | sed "s|<address domain='0x0000' bus='0x01' slot='0x10' function='0x4'/>|<address $a/>|" |
		qemu "hostdev address $a" "$QDOC invalid PCI address $shown"
done >"$T/addrs.tap"

cat "$T/names.tap" "$T/addrs.tap"

# --- entities, DTDs, encodings ---
printf '<!DOCTYPE hookData [<!ENTITY x SYSTEM "file:///etc/shadow">]>\n<hookData><network><name>&x;</name></network></hookData>\n' |
	net "XXE (external entity)" 1 "$NDOC a document type declaration (DTD) is not accepted" start begin
printf '<!DOCTYPE domain [<!ENTITY x SYSTEM "file:///etc/shadow">]>\n<domain><name>&x;</name><devices><hostdev/></devices></domain>\n' |
	qemu "XXE (external entity)" "$QDOC a document type declaration (DTD) is not accepted"
lol='<!ENTITY l0 "lollollollollollollollollollol">'
i=1
while [ $i -le 9 ]; do
	lol="$lol<!ENTITY l$i \"&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));&l$((i - 1));\">"
	i=$((i + 1))
done
printf '<!DOCTYPE hookData [%s]>\n<hookData><network><name>&l9;</name></network></hookData>\n' "$lol" |
	net "billion laughs" 1 "$NDOC a document type declaration (DTD) is not accepted" start begin
printf '<!DOCTYPE domain [%s]>\n<domain><name>&l9;</name><devices><hostdev/></devices></domain>\n' "$lol" |
	qemu "billion laughs" "$QDOC a document type declaration (DTD) is not accepted"
printf '<!DOCTYPE hookData SYSTEM "hookdata.dtd">\n<hookData/>\n' |
	net "external DTD" 1 "$NDOC a document type declaration (DTD) is not accepted" start begin
# A DTD hidden from the byte check by a declared UTF-7 encoding: parsed as UTF-8, whatever the
# declaration says (libvirt writes nothing else), it is not even XML.
printf '<?xml version="1.0" encoding="UTF-7"?>\n+ADw-+ACE-DOCTYPE hookData +AFs-+ADw-+ACE-ENTITY x SYSTEM +ACI-file:///etc/shadow+ACI-+AD4-+AF0-+AD4-\n<hookData><network><name>+ACY-x+ADs-</name></network></hookData>\n' |
	net "DTD in UTF-7" 1 "$NDOC malformed XML: line 2: Start tag expected, '<' not found" start begin
printf '<?xml version="1.0" encoding="UTF-7"?>\n+ADw-+ACE-DOCTYPE domain +AFs-+ADw-+ACE-ENTITY x SYSTEM +ACI-file:///etc/shadow+ACI-+AD4-+AF0-+AD4-\n<domain><name>hostdev</name></domain>\n' |
	qemu "DTD in UTF-7" "$QDOC malformed XML: line 2: Start tag expected, '<' not found"
python3 -c 'print("<hookData>" + "<a>" * 100000 + "</a>" * 100000 + "</hookData>")' >"$T/deep" 2>/dev/null ||
	{ printf '<hookData>'; i=0; while [ $i -lt 2000 ]; do printf '<a><a><a><a><a>'; i=$((i + 1)); done; printf '</hookData>'; } >"$T/deep"
net "deeply nested (10^5 elements)" 1 "$NDOC malformed XML: line 1: Excessive depth in document: 256 use XML_PARSE_HUGE option" start begin <"$T/deep"
sed 's/hookData/domain/g; s/<a>/<hostdev>/; s/<a>/<hostdev>/' "$T/deep" |
	qemu "deeply nested" "$QDOC malformed XML: line 1: Excessive depth in document: 256 use XML_PARSE_HUGE option"
printf '<hookData><network><name>pool\377\376</name></network></hookData>\n' |
	net "non-UTF-8 bytes" 1 "$NDOC malformed XML: line 1: Input is not proper UTF-8, indicate encoding !" start begin
printf '<domain><name>g\377\376</name><devices><hostdev/></devices></domain>\n' |
	qemu "non-UTF-8 bytes" "$QDOC malformed XML: line 1: Input is not proper UTF-8, indicate encoding !"
printf '<hookData><network><name>po\000ol</name></network></hookData>\n' |
	net "NUL byte" 1 "$NDOC input contains a NUL byte" start begin
printf '<domain><name>g\0001</name><devices><hostdev/></devices></domain>\n' |
	qemu "NUL byte" "$QDOC input contains a NUL byte"
# Names libvirt accepts (a network's may hold anything but '/', a guest's anything but a newline,
# and argv[1] is anything): never a reason to refuse a document, only ever escaped for output.
for c in '&#9;' '&#10;' '&#13;'; do
	ndoc start-begin-nat | sed "s|<name>default</name>|<name>nat${c}1</name>|" |
		net "'$c' in a NAT network's name" 0 "" start begin
	qdoc start-no-vf | sed "s|<name>vm1</name>|<name>vm${c}1</name>|" >"$T/in"
	run "qemu: '$c' in the name of a guest with no VF" "$QEMU" 0 "" g1 start begin - <"$T/in"
done
ndoc start-begin-bad-trust | sed "s|<name>pool1</name>|<name>pool\&#10;libvirt-sriov-hooks: forged</name>|" |
	net "newline in a network's name, on one line" 1 "$E network 'pool?libvirt-sriov-hooks: forged': bad policy in <metadata>: invalid value 'maybe' for attribute 'trust' of <pool>: expected 'on', 'off' or 'keep'; fix it with 'virsh net-edit pool?libvirt-sriov-hooks: forged'" start begin
qdoc start-bad-override | sed "s|<name>g1</name>|<name>g1\&#9;\&#13;forged</name>|" >"$T/in"
run "qemu: control characters in a guest's name, escaped" "$QEMU" 1 "$E guest 'g1??forged': bad VF override in <metadata>: invalid value 'maybe' for attribute 'trust' of an <interface> override: expected 'on', 'off' or 'keep'; fix it with 'virsh edit g1??forged'" g1 start begin - <"$T/in"
run "network: newline in argv[1], escaped" "$NET" 1 "$E network 'pool?libvirt-sriov-hooks: forged' start begin: cannot read <hookData> on standard input: Is a directory" 'pool
libvirt-sriov-hooks: forged' start begin - <"$T"
qdoc start-override | sed 's|trust="off"|trust="off\&#10;libvirt-sriov-hooks: forged"|' >"$T/in"
grep -q forged "$T/in" || echo "# start-override.xml changed: the next case tests nothing"
run "qemu: newline in an override's value" "$QEMU" 1 "$E guest 'g1': bad VF override in <metadata>: invalid value 'off?libvirt-sriov-hooks: forged' for attribute 'trust' of an <interface> override: expected 'on', 'off' or 'keep'; fix it with 'virsh edit g1'" g1 start begin - <"$T/in"

# --- size: 64 MiB and 1 GiB, refused at 8 MiB with bounded memory ---
NBIG="$E network 'pool1' start begin: standard input is larger than 8 MiB, which no document from libvirt is; refusing it"
QBIG="$E guest 'g1' start begin: standard input is larger than 8 MiB, which no document from libvirt is; refusing it"
QBIGR="$E guest 'g1' reconnect begin: standard input is larger than 8 MiB, which no document from libvirt is; refusing it"
head -c 67108864 /dev/zero | tr '\0' ' ' >"$T/big"
run "qemu: 64 MiB" "$QEMU" 1 "$QBIG" g1 start begin - <"$T/big"
run "qemu: 64 MiB (reconnect)" "$QEMU" 0 "$QBIGR" g1 reconnect begin - <"$T/big"
rm -f "$T/big"
# 1 GiB through a pipe: the hook stops reading past 8 MiB; its peak memory stays far below.
for h in network qemu; do
	echo >>"$T/count"
	count=$(wc -l <"$T/count")
	if [ $h = network ]; then hook=$NET who="network 'pool1'"; else hook=$QEMU who="guest 'g1'"; fi
	status=$( (head -c 1073741824 /dev/zero 2>/dev/null; true) |
		SRIOV_HOOKS_SYSFS=$T/sys SRIOV_HOOKS_STATE_DIR=$T/state \
		/usr/bin/env time -f '%M' -o "$T/rss" "$hook" x start begin - >"$T/out" 2>"$T/err"
		echo $?)
	rss=$(tail -n 1 "$T/rss" 2>/dev/null)
	want="$E $(echo "$who" | sed "s/'[^']*'/'x'/") start begin: standard input is larger than 8 MiB, which no document from libvirt is; refusing it"
	if [ "$status" = 1 ] && [ ! -s "$T/out" ] && [ "$(cat "$T/err")" = "$want" ] &&
		{ [ -z "$rss" ] || [ "$rss" -lt 262144 ]; }; then
		echo "ok $count - $h: 1 GiB on stdin refused (peak RSS ${rss:-unmeasured} KiB)"
	else
		echo "not ok $count - $h: 1 GiB on stdin: status $status, peak RSS ${rss:-?} KiB, stderr: $(head -c 300 "$T/err")"
		echo "$h: 1 GiB" >>"$T/failed"
	fi
done

# --- stdin: closed, a directory; empty ---
net "closed stdin" 1 "$E network 'pool1' start begin: cannot read <hookData> on standard input: Bad file descriptor" start begin <&-
run "qemu: closed stdin" "$QEMU" 1 "$E guest 'g1' start begin: cannot read the domain XML on standard input: Bad file descriptor" g1 start begin - <&-
run "qemu: closed stdin (reconnect)" "$QEMU" 0 "$E guest 'g1' reconnect begin: cannot read the domain XML on standard input: Bad file descriptor" g1 reconnect begin - <&-
net "stdin is a directory" 1 "$E network 'pool1' start begin: cannot read <hookData> on standard input: Is a directory" start begin </
run "qemu: stdin is a directory (reconnect)" "$QEMU" 0 "$E guest 'g1' reconnect begin: cannot read the domain XML on standard input: Is a directory" g1 reconnect begin - </
run "qemu: empty stdin" "$QEMU" 0 "" g1 start begin - </dev/null
run "qemu: empty stdin at release" "$QEMU" 1 "$QDOC no XML on standard input" g1 release end - </dev/null
# ignored operations never read stdin, whatever it is
run "qemu: migrate with a closed stdin" "$QEMU" 0 "" g1 migrate begin - <&-
run "qemu: restore with garbage" "$QEMU" 0 "" g1 restore begin - <"$QEMU"

# --- argv ---
QUSAGE="$E usage: $QEMU GUEST OPERATION SUB-OPERATION EXTRA (libvirt runs this as /etc/libvirt/hooks/qemu, with the domain XML on stdin)"
run "qemu: no arguments" "$QEMU" 2 "$QUSAGE" </dev/null
run "qemu: three arguments" "$QEMU" 2 "$QUSAGE" g1 start </dev/null
run "qemu: empty guest name" "$QEMU" 2 "$QUSAGE" "" start begin - </dev/null
run "qemu: empty operation" "$QEMU" 2 "$QUSAGE" g1 "" begin - </dev/null
NUSAGE="$E usage: $NET NETWORK OPERATION SUB-OPERATION - (libvirt runs this as /etc/libvirt/hooks/network, with <hookData> on stdin)"
run "network: empty sub-operation" "$NET" 2 "$NUSAGE" pool1 start "" - </dev/null
# extra arguments are ignored (a newer libvirt may add some)
ndoc start-begin-nat >"$T/in"
run "network: 20 arguments" "$NET" 0 "" pool1 start begin - a b c d e f g h i j k l m n o p <"$T/in"
echo "1..$(wc -l <"$T/count")"
if [ -s "$T/failed" ]; then
	echo "# failed: $(wc -l <"$T/failed")"
	exit 1
fi
