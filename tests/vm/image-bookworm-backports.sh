#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# This flavour's part of the image recipe: AppArmor, enforcing libvirtd's profile (image-apparmor.sh,
# which run.sh hashes into the cache key with this file).
exec bash "$(dirname "$0")/image-apparmor.sh" "$@"
