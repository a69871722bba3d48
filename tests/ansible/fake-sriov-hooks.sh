#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sriov-hooks for the check role's test: fake-sriov-hooks.sh DIR --json doctor|status prints
# DIR/doctor.json or DIR/status.json, and exits as the tool does (doctor: 1 with problems).
dir=$1
for verb; do :; done
cat "$dir/$verb.json" || exit 1
if [ "$verb" = doctor ] && ! grep -q '"problems":0,' "$dir/doctor.json"; then exit 1; fi
exit 0
