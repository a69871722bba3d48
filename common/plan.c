/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "plan.h"
#include "policy.h"

int plan_numvfs(uint32_t current, uint32_t total, int64_t policy_vfs, uint32_t *ret_want)
{
	uint32_t want = policy_vfs >= 0 ? (uint32_t)policy_vfs : total;

	if (policy_vfs >= 0 && want > total) {
		*ret_want = want;
		return -ERANGE;
	}
	*ret_want = want;
	if (current == want)
		return NUMVFS_KEEP;
	if (current == 0)
		return want == 0 ? NUMVFS_KEEP : NUMVFS_WRITE;
	/* Non-zero and different: the kernel would answer EBUSY, and passing through 0 destroys
	 * every VF, in use or not. The default policy only ever activates a PF with none. */
	return policy_vfs == POLICY_VFS_DEFAULT ? NUMVFS_KEEP : NUMVFS_MISMATCH;
}

unsigned plan_vf_changes(const struct vf_settings *cur, const struct vf_settings *want,
			 struct vf_settings *ret_changes)
{
	unsigned n = 0;

	vf_settings_init(ret_changes);
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (want->v[a] == VF_UNSET || want->v[a] == cur->v[a] ||
		    cur->v[a] == VF_UNSUPPORTED)
			continue;
		ret_changes->v[a] = want->v[a];
		n++;
	}
	return n;
}

unsigned plan_vf_unsupported(const struct vf_settings *cur, const struct vf_settings *want,
			     struct vf_settings *ret)
{
	unsigned n = 0;

	vf_settings_init(ret);
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (want->v[a] != VF_UNSET && cur->v[a] == VF_UNSUPPORTED) {
			ret->v[a] = want->v[a];
			n++;
		}
	return n;
}

void plan_record_originals(struct vf_settings *orig, const struct vf_settings *cur,
			   const struct vf_settings *changes)
{
	for (int a = 0; a < _VF_ATTR_MAX; a++)
		if (changes->v[a] != VF_UNSET && orig->v[a] == VF_UNSET && cur->v[a] >= 0)
			orig->v[a] = cur->v[a];
}
