/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The doctor's rules, each with its fix: the host (IOMMU, our hooks, the daemons that run them,
 * AppArmor) and each pool (PF link, VF count, driver support). The readers below them are in
 * common/status.c; doctor.c only renders the results.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks.h"
#include "command.h"
#include "conf.h"
#include "fileio.h"
#include "hook.h"
#include "plan.h"
#include "util.h"


/* Our hook binaries are well under this; an admin's script is smaller still. */
#define HOOK_READ_MAX (64u << 20)

const char *check_result_to_string(enum check_result r)
{
	static const char *const names[_CHECK_RESULT_MAX] = {
	    [CHECK_PASS] = "ok",
	    [CHECK_WARN] = "warning",
	    [CHECK_FAIL] = "fail",
	};

	return r >= 0 && r < _CHECK_RESULT_MAX ? names[r] : "?";
}

_printf_(4, 5) static void check_set(struct check *c, enum check_result r, const char *fix,
				     const char *fmt, ...)
{
	va_list ap;

	c->result = r;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	snprintf(c->fix, sizeof(c->fix), "%s", fix ?: "");
}

/* A word of the kernel command line, whole: "intel_iommu=on" in "ro intel_iommu=on quiet". */
static bool cmdline_has(const char *cmdline, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = cmdline; (p = strstr(p, word)); p += n)
		if ((p == cmdline || isspace((unsigned char)p[-1])) &&
		    (p[n] == '\0' || isspace((unsigned char)p[n])))
			return true;
	return false;
}

static int count_entries(int dirfd, const char *path)
{
	_cleanup_(closedirp) DIR *d = NULL;
	struct dirent *de;
	int n = 0, r;

	r = opendir_at(dirfd, path, 0, &d);
	if (r < 0)
		return r;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	return n;
}

#define IOMMU_FIX                                                                                  \
	"enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel also add "      \
	"'intel_iommu=on iommu=pt' to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub "   \
	"and reboot"

void check_iommu(int root, int sysfs, struct check *ret)
{
	_cleanup_free_ char *cmdline = NULL;
	int groups;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "IOMMU");
	if (read_full_file_at(root, "proc/cmdline", 65536, 0, &cmdline, NULL) < 0)
		cmdline = NULL;
	groups = count_entries(sysfs, "kernel/iommu_groups");

	if (cmdline &&
	    (cmdline_has(cmdline, "intel_iommu=off") || cmdline_has(cmdline, "amd_iommu=off") ||
	     cmdline_has(cmdline, "iommu=off"))) {
		check_set(
		    ret, CHECK_FAIL,
		    "remove the '...iommu=off' option from GRUB_CMDLINE_LINUX "
		    "in /etc/default/grub, add 'intel_iommu=on iommu=pt' on Intel, run "
		    "update-grub and reboot",
		    "the kernel command line turns the IOMMU off; VFs cannot be given to guests");
		return;
	}
	if (groups > 0) {
		check_set(ret, CHECK_PASS, NULL, "%d IOMMU groups in /sys/kernel/iommu_groups",
			  groups);
		return;
	}
	if (cmdline &&
	    (cmdline_has(cmdline, "intel_iommu=on") || cmdline_has(cmdline, "amd_iommu=on")))
		check_set(ret, CHECK_FAIL, IOMMU_FIX,
			  "no IOMMU groups in /sys/kernel/iommu_groups although the kernel command "
			  "line enables the IOMMU: it is off in the firmware");
	else
		check_set(ret, CHECK_FAIL, IOMMU_FIX,
			  "no IOMMU groups in /sys/kernel/iommu_groups%s; libvirt cannot give VFs "
			  "to guests (vfio needs the IOMMU)",
			  cmdline ? " and no intel_iommu=on on the kernel command line" : "");
}

/* 1 when the file at path is one of our hook binaries (following symlinks), 0 if not. */
static int is_ours(int root, const char *path)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r = read_full_file_at(root, path, HOOK_READ_MAX, 0, &buf, &len);

	if (r < 0)
		return r;
	return memmem(buf, len, HOOK_MARKER, strlen(HOOK_MARKER)) != NULL;
}

/* Where our hook for a driver is, as a regular file: the main path or our .d/ entry. */
static int our_hook_path(int root, const char *driver, char *ret, size_t n)
{
	struct stat st;

	for (int i = 0; i < 2; i++) {
		if (i == 0)
			snprintf(ret, n, CHECK_HOOKS_DIR "/%s", driver);
		else
			snprintf(ret, n, CHECK_HOOKS_DIR "/%s.d/libvirt-sriov-hooks", driver);
		if (fstatat(root, ret, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
		    is_ours(root, ret) > 0)
			return 0;
	}
	return -ENOENT;
}

void check_hook(int root, const char *driver, struct check *ret, time_t *ret_installed)
{
	char main_path[128], d_path[160], fix[256];
	const char *path = NULL;
	struct stat st;
	bool main_link = false;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "%s hook", driver);
	snprintf(main_path, sizeof(main_path), CHECK_HOOKS_DIR "/%s", driver);
	snprintf(d_path, sizeof(d_path), CHECK_HOOKS_DIR "/%s.d/libvirt-sriov-hooks", driver);
	snprintf(fix, sizeof(fix),
		 "install the hooks: sudo ./install/setup.sh, or "
		 "install/install.sh after a build");

	if (fstatat(root, main_path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode))
			main_link = is_ours(root, main_path) > 0;
		else if (S_ISREG(st.st_mode) && is_ours(root, main_path) > 0)
			path = main_path;
	}
	if (!path && fstatat(root, d_path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			check_set(ret, CHECK_FAIL, fix,
				  "/%s is a symbolic link: AppArmor checks the resolved path, so "
				  "libvirt may not run it; install a real file",
				  d_path);
			return;
		}
		if (S_ISREG(st.st_mode) && is_ours(root, d_path) > 0)
			path = d_path;
	}
	if (!path && main_link) {
		check_set(
		    ret, CHECK_FAIL, fix,
		    "/%s is a symbolic link to our hook: AppArmor checks the resolved path, so "
		    "libvirt may not run it; install a real file",
		    main_path);
		return;
	}
	if (!path) {
		check_set(ret, CHECK_FAIL, fix, "no hook of ours at /%s or /%s", main_path, d_path);
		return;
	}
	if ((st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != (S_IXUSR | S_IXGRP | S_IXOTH)) {
		snprintf(fix, sizeof(fix), "chmod 0755 /%s", path);
		check_set(ret, CHECK_FAIL, fix,
			  "/%s is not executable: libvirt skips hooks without the execute bit",
			  path);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "/%s, an executable file", path);
	if (ret_installed)
		*ret_installed = st.st_mtime > st.st_ctime ? st.st_mtime : st.st_ctime;
}

static void format_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, n, "@%lld", (long long)t);
}

void check_daemons(const struct status_daemon *d, size_t n, const char *driver, time_t installed,
		   struct check *ret)
{
	/* The daemon that runs a driver's hooks: libvirtd (monolithic) or the driver's own. */
	const char *own = strcmp(driver, "network") == 0 ? "virtnetworkd" : "virtqemud";
	char seen[400] = "", t1[32], t2[32], fix[512];
	size_t used = 0;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "%s hook active", driver);
	if (installed == 0) {
		check_set(ret, CHECK_WARN, "install the hooks first (see the check above)",
			  "no %s hook of ours installed, so no daemon can run it", driver);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		bool reloaded;

		if (strcmp(d[i].name, "libvirtd") != 0 && strcmp(d[i].name, own) != 0)
			continue;
		/* A start or a reload after the install: libvirt looked for hooks then. */
		reloaded = d[i].started < installed && d[i].reloaded >= installed;
		if (d[i].started < installed && !reloaded) {
			format_time(d[i].started, t1, sizeof(t1));
			format_time(installed, t2, sizeof(t2));
			snprintf(fix, sizeof(fix),
				 "systemctl reload %s (guests and networks keep running), or run "
				 "the hooks' installer again (install-hooks, or install/install.sh), "
				 "which reloads and records it for this check; its --replay also "
				 "re-applies the policy to running guests",
				 d[i].name);
			check_set(
			    ret, CHECK_FAIL, fix,
			    "%s (pid %d) started at %s, before the hook was installed at %s, and "
			    "no reload since is on record: libvirt notices a driver's first hook "
			    "only when the daemon starts or reloads (a reload by hand leaves no "
			    "record)",
			    d[i].name, d[i].pid, t1, t2);
			return;
		}
		if (reloaded)
			format_time(d[i].reloaded, t1, sizeof(t1));
		used += (size_t)snprintf(seen + used, sizeof(seen) - used, "%s%s (pid %d) %s%s",
					 used ? "; " : "", d[i].name, d[i].pid,
					 reloaded ? "reloaded by the installer at " : "started",
					 reloaded ? t1 : "");
		if (used >= sizeof(seen))
			used = sizeof(seen) - 1;
	}
	if (!used) {
		check_set(
		    ret, CHECK_WARN,
		    "start libvirt (systemctl start libvirtd, or the virtqemud and virtnetworkd "
		    "sockets); it reads the hooks when it starts",
		    "neither libvirtd nor %s is running", own);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "%s after the hook was installed", seen);
}

/* Whether the kernel has AppArmor on (sysfs module/apparmor/parameters/enabled is "Y"). */
static bool apparmor_enabled(int sysfs)
{
	_cleanup_free_ char *enabled = NULL;

	return read_full_file_at(sysfs, "module/apparmor/parameters/enabled", 16, 0, &enabled,
				 NULL) >= 0 &&
	       enabled[0] == 'Y';
}

void check_apparmor(int root, int sysfs, struct check *ret)
{
	static const char *const profiles[] = {"usr.sbin.libvirtd", "usr.sbin.virtqemud"};
	char checked[128] = "";
	size_t used = 0;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "AppArmor");
	if (!apparmor_enabled(sysfs)) {
		check_set(ret, CHECK_PASS, NULL, "AppArmor is not enabled");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(profiles); i++) {
		_cleanup_free_ char *main_text = NULL, *local_text = NULL;
		char path[128], fix[512];

		snprintf(path, sizeof(path), "etc/apparmor.d/%s", profiles[i]);
		if (read_full_file_at(root, path, 1u << 20, 0, &main_text, NULL) < 0)
			continue; /* no profile for this daemon: it runs unconfined */
		snprintf(path, sizeof(path), "etc/apparmor.d/local/%s", profiles[i]);
		if (read_full_file_at(root, path, 1u << 20, 0, &local_text, NULL) < 0)
			local_text = NULL;
		if (strstr(main_text, "/etc/libvirt/hooks/") ||
		    (local_text && strstr(local_text, "/etc/libvirt/hooks/"))) {
			used += (size_t)snprintf(checked + used, sizeof(checked) - used, "%s%s",
						 used ? ", " : "", profiles[i]);
			if (used >= sizeof(checked))
				used = sizeof(checked) - 1;
			continue;
		}
		snprintf(fix, sizeof(fix),
			 "add the line '/etc/libvirt/hooks/** rmix,' to /etc/apparmor.d/local/%s, "
			 "then apparmor_parser -r /etc/apparmor.d/%s",
			 profiles[i], profiles[i]);
		check_set(ret, CHECK_FAIL, fix,
			  "the AppArmor profile /etc/apparmor.d/%s has no rule for "
			  "/etc/libvirt/hooks/: the daemon cannot run the hooks",
			  profiles[i]);
		return;
	}
	if (used)
		check_set(ret, CHECK_PASS, NULL, "enabled; %s allow /etc/libvirt/hooks/**",
			  checked);
	else
		check_set(ret, CHECK_PASS, NULL, "enabled; no libvirt profile confines the hooks");
}

int check_apparmor_modes(int sysfs, struct check *ret)
{
	static const char *const daemons[] = {"libvirtd", "virtqemud", "virtnetworkd"};
	char found[256] = "", mode[32];
	size_t used = 0;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "AppArmor profiles");
	if (!apparmor_enabled(sysfs)) {
		check_set(ret, CHECK_PASS, NULL, "AppArmor is not enabled");
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(daemons); i++) {
		int r = status_apparmor_mode(sysfs, daemons[i], mode, sizeof(mode));

		if (r < 0 && r != -ENOENT) {
			errno = -r;
			check_set(ret, CHECK_WARN,
				  r == -ENODEV ? "mount securityfs: mount -t securityfs securityfs "
						 "/sys/kernel/security"
					       : "run doctor as root",
				  "cannot read /sys/kernel/security/apparmor/profiles: %m");
			return 1;
		}
		used += (size_t)snprintf(
		    found + used, sizeof(found) - used, "%s%s %s", used ? ", " : "", daemons[i],
		    r < 0			    ? "unconfined (no profile loaded)"
		    : strcmp(mode, "enforce") == 0  ? "(enforce)"
		    : strcmp(mode, "complain") == 0 ? "(complain: denials are only logged)"
						    : mode);
		if (used >= sizeof(found))
			used = sizeof(found) - 1;
	}
	check_set(ret, CHECK_PASS, NULL, "%s", found);
	return 1;
}

void check_selinux_mode(const struct status_selinux *s, struct check *ret)
{
	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "SELinux");
	if (s->mode < 0)
		check_set(ret, CHECK_PASS, NULL, "disabled (no /sys/fs/selinux/enforce)");
	else if (s->mode == 0)
		check_set(ret, CHECK_PASS, NULL,
			  "permissive (policy %s): denials are logged, nothing is refused",
			  s->policy);
	else
		check_set(ret, CHECK_PASS, NULL, "enforcing (policy %s)", s->policy);
}

void check_selinux_module(const struct status_selinux *s, struct check *ret)
{
	char fix[512];

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "SELinux module " STATUS_SELINUX_MODULE);
	snprintf(fix, sizeof(fix),
		 "install the libvirt-sriov-hooks-selinux package, or semodule -i "
		 "/usr/share/selinux/packages/%s/" STATUS_SELINUX_MODULE ".pp.bz2; then restorecon "
		 "-RF /etc/libvirt/hooks",
		 s->policy);
	if (s->module > 0) {
		check_set(ret, CHECK_PASS, NULL, "loaded (priority %s, policy %s)", s->module_prio,
			  s->policy);
		return;
	}
	if (s->module < 0)
		snprintf(fix, sizeof(fix), "semodule -e " STATUS_SELINUX_MODULE);
	if (s->mode > 0 && s->boolean == 0) {
		/* The policy has the boolean: it confines the daemons that run hooks (Fedora >= 40,
		 * EL10), and with the boolean off their exec of a hook is denied. */
		check_set(ret, CHECK_FAIL, fix,
			  "%s, and virt_hooks_unconfined is off: this policy lets libvirt run no "
			  "hook of ours (\"unexpected exit status 126\"), so every net-start fails",
			  s->module < 0 ? "disabled" : "not loaded");
		return;
	}
	check_set(ret, CHECK_WARN, fix, "%s: %s", s->module < 0 ? "disabled" : "not loaded",
		  s->boolean > 0 ? "the hooks run unconfined through virt_hooks_unconfined"
		  : s->boolean < 0
		      ? "the daemons run the hooks unconfined (virtd_t); the module confines them "
			"to what they need"
		      : "SELinux is permissive; once enforcing, libvirt could run no hook of ours");
}

void check_selinux_boolean(const struct status_selinux *s, struct check *ret)
{
	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "SELinux boolean virt_hooks_unconfined");
	if (s->boolean < 0)
		check_set(ret, CHECK_PASS, NULL,
			  "not in this policy: the libvirt daemons run hooks unconfined (EL9, "
			  "Fedora <= 39)");
	else if (s->boolean > 0)
		check_set(ret, CHECK_PASS, NULL,
			  "on: hooks without a domain of their own run unconfined%s",
			  s->module > 0 ? "; ours run in theirs" : "");
	else if (s->module > 0)
		check_set(ret, CHECK_PASS, NULL, "off: ours run in their own domain (our module)");
	else
		check_set(ret, CHECK_WARN,
			  "load our module (see above), or setsebool -P virt_hooks_unconfined on",
			  "off, and our module is not loaded: libvirt may run no hook of ours");
}

void check_selinux_labels(const struct status_selinux *s, int root, const char *const *hooks,
			  size_t n_hooks, const char *state_dir, const char *xattr,
			  struct check *ret)
{
	char bad[512] = "", good[512] = "", fix[512], type[128];
	size_t nb = 0, ng = 0, fu;
	int r;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "SELinux labels");
	fu = (size_t)snprintf(fix, sizeof(fix), "restorecon -RFv");
	for (size_t i = 0; i <= n_hooks; i++) {
		bool is_state = i == n_hooks;
		const char *path = is_state ? state_dir : hooks[i];
		const char *want = is_state ? CHECK_SELINUX_STATE_TYPE : CHECK_SELINUX_EXEC_TYPE;

		r = status_label_type(is_state ? AT_FDCWD : root, path, xattr, type, sizeof(type));
		if (is_state && r == -ENOENT)
			continue; /* systemd-tmpfiles creates it, labelled, at boot */
		if (r == -ENODATA)
			snprintf(type, sizeof(type), "unlabeled");
		else if (r < 0)
			snprintf(type, sizeof(type), "unreadable: %s", strerror(-r));
		if (r >= 0 && strcmp(type, want) == 0) {
			ng += (size_t)snprintf(good + ng, sizeof(good) - ng, "%s%s%s",
					       ng ? ", " : "", is_state ? "" : "/", path);
			if (ng >= sizeof(good))
				ng = sizeof(good) - 1;
			continue;
		}
		nb += (size_t)snprintf(bad + nb, sizeof(bad) - nb, "%s%s%s is %s, not %s",
				       nb ? "; " : "", is_state ? "" : "/", path, type, want);
		if (nb >= sizeof(bad))
			nb = sizeof(bad) - 1;
		fu += (size_t)snprintf(fix + fu, sizeof(fix) - fu, " %s%s", is_state ? "" : "/",
				       path);
		if (fu >= sizeof(fix))
			fu = sizeof(fix) - 1;
	}
	if (nb == 0) {
		check_set(ret, CHECK_PASS, NULL, "%s%s",
			  ng ? good : "nothing of ours installed yet",
			  ng ? ": as our module labels them" : "");
		return;
	}
	if (s->module <= 0) {
		check_set(ret, CHECK_WARN, "load our module first (see above), then run restorecon",
			  "%s (these types come with our module)", bad);
		return;
	}
	/* Our module is loaded, but a file without its type gets no transition into our domain:
	 * a daemon that confines hooks may not run it, or it runs with the daemon's rights. */
	check_set(ret, CHECK_FAIL, fix, "%s", bad);
}

void check_hook_owner(const char *driver, bool exists, bool ours, const char *owner,
		      struct check *ret)
{
	char fix[512];

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "%s hook path", driver);
	if (!exists) {
		check_set(ret, CHECK_PASS, NULL, "no file at /" CHECK_HOOKS_DIR "/%s", driver);
		return;
	}
	if (owner && ours) {
		snprintf(fix, sizeof(fix),
			 "reinstall %s (dnf reinstall %s, or apt-get install --reinstall %s), and "
			 "install ours into /" CHECK_HOOKS_DIR "/%s.d/",
			 owner, owner, owner, driver);
		check_set(ret, CHECK_FAIL, fix,
			  "/" CHECK_HOOKS_DIR "/%s belongs to package %s but holds our hook: %s's "
			  "own hook is gone, and its next upgrade overwrites ours",
			  driver, owner, owner);
		return;
	}
	if (owner) {
		check_set(ret, CHECK_PASS, NULL,
			  "/" CHECK_HOOKS_DIR "/%s belongs to package %s, whose upgrades overwrite "
			  "it: ours must stay in /" CHECK_HOOKS_DIR "/%s.d/",
			  driver, owner, driver);
		return;
	}
	if (ours) {
		snprintf(fix, sizeof(fix),
			 "mkdir -p /" CHECK_HOOKS_DIR "/%s.d && mv /" CHECK_HOOKS_DIR
			 "/%s /" CHECK_HOOKS_DIR "/%s.d/libvirt-sriov-hooks (libvirt >= 6.5 runs "
			 "it from there)",
			 driver, driver, driver);
		check_set(ret, CHECK_WARN, fix,
			  "our hook holds the main path /" CHECK_HOOKS_DIR "/%s: a package that "
			  "ships one there (vdsm ships /" CHECK_HOOKS_DIR
			  "/qemu) overwrites it when "
			  "it is installed or upgraded",
			  driver);
		return;
	}
	check_set(ret, CHECK_PASS, NULL,
		  "/" CHECK_HOOKS_DIR "/%s is an admin's own hook (no package owns it); libvirt "
		  "runs it before %s.d/",
		  driver, driver);
}

int check_package_owner(int root, const char *root_path, const char *path, char *ret, size_t n)
{
	_cleanup_free_ char *out = NULL;
	char *argv[] = {
	    (char *)"rpm",	     (char *)"--root",	  (char *)root_path, (char *)"-qf",
	    (char *)"--queryformat", (char *)"%{NAME}\n", (char *)path,	     NULL};
	int status;

	if (status_dpkg_owner(root, path, ret, n) >= 0)
		return 0;
	if (faccessat(root, "var/lib/rpm", F_OK, 0) < 0 &&
	    faccessat(root, "usr/lib/sysimage/rpm", F_OK, 0) < 0)
		return -ENOENT;
	/* "file ... is not owned by any package" comes with exit status 1. */
	if (command_output(argv, 10000, 4096, &out, &status) < 0 || status != 0)
		return -ENOENT;
	out[strcspn(out, "\n")] = '\0';
	if (!out[0])
		return -ENOENT;
	snprintf(ret, n, "%s", out);
	return 0;
}

void check_networkmanager(int root, const struct check_pf *pfs, size_t n, struct check *ret)
{
	char path[256], fix[1024], user[300];
	long vfs;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "NetworkManager");
	/* Two rounds: a PF whose count the network hook sets first (two writers of one count). */
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < n; i++) {
			const struct check_pf *pf = &pfs[i];

			if (pf->numvfs != (round == 0) ||
			    status_nm_sriov(root, pf->ifname, path, sizeof(path), &vfs) < 0)
				continue;
			if (pf->numvfs) {
				snprintf(fix, sizeof(fix),
					 "%s in /%s, then nmcli connection reload: the pool's vfs= "
					 "creates the VFs",
					 strstr(path, ".nmconnection")
					     ? "delete the [sriov] section"
					     : "delete SRIOV_TOTAL_VFS",
					 path);
				check_set(
				    ret, CHECK_FAIL, fix,
				    "/%s sets SR-IOV on %s (%ld VFs), the PF of network %s: "
				    "NetworkManager rewrites sriov_numvfs whenever it activates "
				    "or deactivates that connection, removing the VFs guests "
				    "hold, and the network hook sets that count too",
				    path, pf->ifname, vfs, pf->network);
				return;
			}
			if (pf->network)
				snprintf(user, sizeof(user), "which network %s uses", pf->network);
			else
				snprintf(user, sizeof(user), "which the host file names");
			check_set(
			    ret, CHECK_WARN,
			    "do not re-activate that connection while guests hold its VFs "
			    "(nmcli connection up/down); or create the VFs at boot another way "
			    "(a udev rule writing sriov_numvfs)",
			    "/%s creates the VFs of %s (%ld), %s: NetworkManager rewrites "
			    "sriov_numvfs whenever it activates or deactivates that connection, "
			    "removing the VFs guests hold",
			    path, pf->ifname, vfs, user);
			return;
		}
	if (n == 0)
		check_set(ret, CHECK_PASS, NULL, "no PF of a pool or of the host file to check");
	else
		check_set(ret, CHECK_PASS, NULL,
			  "no connection sets SR-IOV on a PF of a pool or of the host file");
}

void check_neutron(int root, const char *const *conf_pfs, size_t n_conf, struct check *ret)
{
	char physnet[128], fix[512];

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "neutron SR-IOV agent");
	if (faccessat(root, "etc/neutron/plugins/ml2/sriov_agent.ini", F_OK, 0) < 0) {
		check_set(ret, CHECK_PASS, NULL,
			  "not configured (no /etc/neutron/plugins/ml2/sriov_agent.ini)");
		return;
	}
	for (size_t i = 0; i < n_conf; i++) {
		if (status_neutron_maps(root, conf_pfs[i], physnet, sizeof(physnet)) <= 0)
			continue;
		snprintf(fix, sizeof(fix),
			 "remove the [pf %s] section from the host file and leave that PF to "
			 "neutron, or remove %s from physical_device_mappings",
			 conf_pfs[i], conf_pfs[i]);
		check_set(ret, CHECK_FAIL, fix,
			  "/etc/neutron/plugins/ml2/sriov_agent.ini maps %s (physical network %s): "
			  "the agent sets its VFs' spoofchk and trust from each port, and the host "
			  "file's [pf %s] makes the qemu hook set them too",
			  conf_pfs[i], physnet, conf_pfs[i]);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "maps none of the PFs the host file names");
}

/* "network pool1", or for VFs given directly (network NULL or ""), "direct VFs". */
static const char *scope(const char *network, char *buf, size_t n)
{
	if (!network || !*network)
		return "direct VFs";
	snprintf(buf, n, "network %.100s", network);
	return buf;
}

void check_pf_link(const char *network, const struct status_pf *pf, struct check *ret)
{
	char fix[256], sc[128];

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "PF %s link (%s)", pf->ifname,
		 scope(network, sc, sizeof(sc)));
	snprintf(fix, sizeof(fix),
		 "ip link set %s up, and bring it up at boot (ifupdown, "
		 "systemd-networkd or NetworkManager)",
		 pf->ifname);
	if (pf->link_up > 0)
		check_set(ret, CHECK_PASS, NULL, "%s is up", pf->ifname);
	else if (pf->link_up == 0)
		check_set(ret, CHECK_FAIL, fix,
			  "%s is down: libvirt refuses to give out its VFs (\"the PF is not "
			  "online\")",
			  pf->ifname);
	else
		check_set(ret, CHECK_WARN, fix, "cannot read the state of %s", pf->ifname);
}

void check_driver_support(const char *network, const struct status_pf *pf,
			  const struct status_vf_live *live, size_t n,
			  const struct vf_settings *want, struct check *ret)
{
	char missing[128] = "", wanted[128] = "", fix[512], sc[128];
	size_t used = 0, wused = 0, known = 0;
	bool bad[_VF_ATTR_MAX] = {false};
	const char *drv = pf->driver[0] ? pf->driver : "unknown";

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "driver support (PF %s, %s)", pf->ifname,
		 scope(network, sc, sizeof(sc)));
	for (size_t i = 0; i < n; i++) {
		if (!live[i].known)
			continue;
		known++;
		for (int a = 0; a < _VF_ATTR_MAX; a++)
			if (want->v[a] != VF_UNSET && live[i].cur.v[a] == VF_UNSUPPORTED)
				bad[a] = true;
	}
	for (int a = 0; a < _VF_ATTR_MAX; a++) {
		if (want->v[a] == VF_UNSET)
			continue;
		wused += (size_t)snprintf(wanted + wused, sizeof(wanted) - wused, "%s%s",
					  wused ? ", " : "", vf_attr_name((enum vf_attr)a));
		if (wused >= sizeof(wanted))
			wused = sizeof(wanted) - 1;
		if (!bad[a])
			continue;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used, "%s%s",
					 used ? ", " : "", vf_attr_name((enum vf_attr)a));
		if (used >= sizeof(missing))
			used = sizeof(missing) - 1;
	}
	if (used) {
		if (network && *network)
			snprintf(fix, sizeof(fix),
				 "set those attributes to 'keep' in the pool's <metadata> (virsh "
				 "net-edit %s), or update the %s driver or the NIC's firmware",
				 network, drv);
		else
			snprintf(
			    fix, sizeof(fix),
			    "set those attributes to 'keep' in the [pf %s] section of the host "
			    "file, or update the %s driver or the NIC's firmware",
			    pf->ifname, drv);
		check_set(ret, CHECK_FAIL, fix,
			  "the %s driver of %s reports no %s (the kernel's -1): the policy cannot "
			  "be applied",
			  drv, pf->ifname, missing);
		return;
	}
	if (!wused) {
		check_set(ret, CHECK_PASS, NULL, "the policy sets no VF attribute");
		return;
	}
	if (n == 0) {
		check_set(ret, CHECK_WARN, "start the network (virsh net-start) so its VFs exist",
			  "%s has no VFs to ask", pf->ifname);
		return;
	}
	if (known == 0) {
		check_set(ret, CHECK_WARN, "run as root, on the host that has the NIC",
			  "cannot read the VFs of %s over netlink", pf->ifname);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "the %s driver reports %s", drv, wanted);
}

void check_numvfs(const char *network, bool active, const struct status_pf *pf, int64_t policy_vfs,
		  struct check *ret)
{
	char a[PCI_ADDR_STRLEN], fix[512], sc[128];
	uint32_t want = 0;
	int action;

	*ret = (struct check){.result = CHECK_PASS};
	snprintf(ret->what, sizeof(ret->what), "VF count (PF %s, %s)", pf->ifname,
		 scope(network, sc, sizeof(sc)));
	pci_addr_format(&pf->addr, a);
	if (pf->totalvfs < 0 || pf->numvfs < 0) {
		check_set(ret, CHECK_FAIL,
			  "enable SR-IOV in the firmware or the driver, or name "
			  "another NIC in <pf dev>",
			  "%s (%s) is not SR-IOV capable (no sriov_totalvfs)", pf->ifname, a);
		return;
	}
	action = plan_numvfs((uint32_t)pf->numvfs, (uint32_t)pf->totalvfs, policy_vfs, &want);
	if (action == -ERANGE) {
		snprintf(fix, sizeof(fix),
			 "lower vfs= in the pool's <metadata> to at most %lld "
			 "(virsh net-edit %s)",
			 (long long)pf->totalvfs, network);
		check_set(ret, CHECK_FAIL, fix,
			  "the policy asks for %u VFs, %s supports at most %lld", want, pf->ifname,
			  (long long)pf->totalvfs);
		return;
	}
	if (action == NUMVFS_MISMATCH) {
		snprintf(fix, sizeof(fix),
			 "stop the guests using its VFs, then echo 0 > "
			 "/sys/bus/pci/devices/%s/sriov_numvfs; echo %u > "
			 "/sys/bus/pci/devices/%s/sriov_numvfs (or change vfs= in the policy)",
			 a, want, a);
		check_set(ret, CHECK_FAIL, fix,
			  "%s has %lld VFs, the policy asks for %u; the hook never changes a "
			  "non-zero count",
			  pf->ifname, (long long)pf->numvfs, want);
		return;
	}
	if (action == NUMVFS_WRITE && active) {
		snprintf(fix, sizeof(fix),
			 "restart the network once the hooks are active: virsh "
			 "net-destroy %s && virsh net-start %s",
			 network, network);
		check_set(ret, CHECK_FAIL, fix,
			  "the network is active but %s has no VFs: the hook did not run when it "
			  "started",
			  pf->ifname);
		return;
	}
	if (action == NUMVFS_WRITE) {
		check_set(ret, CHECK_PASS, NULL,
			  "%s has no VFs yet; the hook activates %u at "
			  "net-start",
			  pf->ifname, want);
		return;
	}
	check_set(ret, CHECK_PASS, NULL, "%lld of %lld VFs", (long long)pf->numvfs,
		  (long long)pf->totalvfs);
}

void check_list_add(struct check_list *l, const struct check *c)
{
	struct check *grown = realloc(l->c, (l->n + 1) * sizeof(*l->c));

	if (!grown) {
		l->oom = true;
		return;
	}
	l->c = grown;
	l->c[l->n++] = *c;
}

void check_list_addf(struct check_list *l, enum check_result r, const char *what, const char *fix,
		     const char *fmt, ...)
{
	struct check c = {.result = r};
	va_list ap;

	snprintf(c.what, sizeof(c.what), "%s", what);
	snprintf(c.fix, sizeof(c.fix), "%s", fix ?: "");
	va_start(ap, fmt);
	vsnprintf(c.detail, sizeof(c.detail), fmt, ap);
	va_end(ap);
	check_list_add(l, &c);
}

void check_list_done(struct check_list *l)
{
	free(l->c);
	*l = (struct check_list){0};
}

void checks_host(const struct cli_opts *o, struct check_list *l)
{
	char hook_paths[2][160];
	const char *hooks[2];
	size_t n_hooks = 0;
	struct status_selinux se;
	struct status_daemon daemons[STATUS_DAEMONS_MAX];
	time_t installed[2] = {0, 0};
	static const char *const drivers[] = {"network", "qemu"};
	struct check c;
	int n;

	check_iommu(o->root, o->sysfs, &c);
	check_list_add(l, &c);
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		check_hook(o->root, drivers[i], &c, &installed[i]);
		check_list_add(l, &c);
	}
	n = status_daemons(o->root, daemons, ARRAY_SIZE(daemons));
	if (n < 0) {
		check_list_addf(l, CHECK_WARN, "libvirt daemons", "run doctor on the libvirt host",
				"cannot read %s/proc: %s", o->root_path, strerror(-n));
		n = 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		check_daemons(daemons, (size_t)n, drivers[i], installed[i], &c);
		check_list_add(l, &c);
	}
	check_apparmor(o->root, o->sysfs, &c);
	check_list_add(l, &c);
	if (check_apparmor_modes(o->sysfs, &c) > 0)
		check_list_add(l, &c);

	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		char main_path[128], abs_path[130], owner[128];
		struct stat st;
		bool exists, ours;

		snprintf(main_path, sizeof(main_path), CHECK_HOOKS_DIR "/%s", drivers[i]);
		exists = fstatat(o->root, main_path, &st, AT_SYMLINK_NOFOLLOW) == 0;
		ours = exists && S_ISREG(st.st_mode) && is_ours(o->root, main_path) > 0;
		/* Packages know it by its absolute path. */
		snprintf(abs_path, sizeof(abs_path), "/%s", main_path);
		check_hook_owner(drivers[i], exists, ours,
				 exists && check_package_owner(o->root, o->root_path, abs_path,
							       owner, sizeof(owner)) >= 0
				     ? owner
				     : NULL,
				 &c);
		check_list_add(l, &c);
	}

	status_selinux_read(o->root, o->sysfs, &se);
	check_selinux_mode(&se, &c);
	check_list_add(l, &c);
	if (se.mode < 0)
		return;
	check_selinux_module(&se, &c);
	check_list_add(l, &c);
	check_selinux_boolean(&se, &c);
	check_list_add(l, &c);
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (our_hook_path(o->root, drivers[i], hook_paths[n_hooks],
				  sizeof(hook_paths[n_hooks])) >= 0)
			hooks[n_hooks] = hook_paths[n_hooks], n_hooks++;
	check_selinux_labels(&se, o->root, hooks, n_hooks, o->state_dir, o->selinux_xattr, &c);
	check_list_add(l, &c);
}

void checks_pf_owners(const struct cli_opts *o, const struct inventory *inv, struct check_list *l)
{
	_cleanup_free_ struct host_conf *conf = calloc(1, sizeof(*conf));
	_cleanup_free_ struct check_pf *pfs = NULL;
	const char *conf_pfs[CONF_PF_MAX];
	size_t n = 0, n_conf = 0;
	struct check c;
	char err[512];

	pfs = calloc((inv ? inv->n : 0) + CONF_PF_MAX, sizeof(*pfs));
	if (!conf || !pfs) {
		l->oom = true;
		return;
	}
	for (size_t i = 0; inv && i < inv->n; i++) {
		const struct inv_section *s = &inv->s[i];
		const char *name = s->pf_err >= 0 && s->pf.ifname[0] ? s->pf.ifname : s->pf_named;

		if (s->kind == INV_POOL && name[0])
			pfs[n++] = (struct check_pf){
			    .ifname = name, .network = s->network, .numvfs = s->whole_pf};
	}
	if (conf_load(o->conf_path, conf, err, sizeof(err)) >= 0)
		for (size_t i = 0; i < conf->n_pfs; i++) {
			conf_pfs[n_conf++] = conf->pfs[i].name;
			pfs[n++] = (struct check_pf){.ifname = conf->pfs[i].name};
		}
	check_networkmanager(o->root, pfs, n, &c);
	check_list_add(l, &c);
	check_neutron(o->root, conf_pfs, n_conf, &c);
	check_list_add(l, &c);
}

void checks_section(const struct inv_section *s, struct check_list *l)
{
	char what[128];
	struct check c;

	if (s->kind == INV_POOL) {
		snprintf(what, sizeof(what), "network %.100s", s->network);
		if (s->policy_bad) {
			char fix[400];

			snprintf(fix, sizeof(fix), "virsh net-edit %s (or virsh net-metadata)",
				 s->network);
			check_list_addf(
			    l, CHECK_FAIL, what, fix,
			    "invalid policy in <metadata>: %s; net-start and new guests fail",
			    s->policy_error);
			return;
		}
		if (!s->policy.manage) {
			check_list_addf(l, CHECK_PASS, what, NULL,
					"manage='no': the hooks leave this pool alone");
			return;
		}
	} else {
		snprintf(what, sizeof(what), "direct VFs");
	}
	if (s->pf_err < 0) {
		if (s->pf_named[0]) {
			char fix[400];

			snprintf(fix, sizeof(fix),
				 "name an existing SR-IOV NIC in <pf dev> (virsh "
				 "net-edit %s)",
				 s->network);
			check_list_addf(l, CHECK_FAIL, what, fix, "PF '%s': %s", s->pf_named,
					s->pf_err == -ENODEV  ? "no such network interface"
					: s->pf_err == -ENXIO ? "not a PCI device"
							      : strerror(-s->pf_err));
		} else {
			check_list_addf(l, CHECK_WARN, what, NULL, "%s",
					s->note ?: "the PF of its VFs was not found");
		}
		return;
	}
	if (s->pf.ifname[0]) {
		check_pf_link(s->kind == INV_POOL ? s->network : NULL, &s->pf, &c);
		check_list_add(l, &c);
	}
	if (s->kind == INV_POOL && s->whole_pf) {
		check_numvfs(s->network, s->active, &s->pf, s->policy.vfs, &c);
		check_list_add(l, &c);
	}
	if (s->kind == INV_POOL || s->have_policy_want) {
		check_driver_support(s->kind == INV_POOL ? s->network : NULL, &s->pf, s->live,
				     s->live ? s->pf.n_vfs : 0, &s->policy.want, &c);
		check_list_add(l, &c);
	}
}
