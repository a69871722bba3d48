/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Everything the admin tool asks libvirt, and the only file that includes <libvirt/...>: a
 * read-only connection, the networks' and domains' XML. Nothing built into a hook links this file.
 *
 * Every libvirt call has a deadline. libvirt's client waits for an answer with no bound of its
 * own: a daemon that accepts the connection and never answers (a stuck virtqemud, a wedged
 * libvirtd) blocks virConnectOpen or any later call for ever, keepalive or not (keepalive only
 * starts after the open, and a daemon whose workers are stuck still answers it). Its event loop
 * retries on EINTR, so an alarm does not break the wait, and closing the connection from another
 * thread queues behind the stuck call. So the libvirt side runs in a child process that the tool
 * asks over a socket pair, one request at a time; the tool waits for each answer with poll() and
 * a deadline, and kills the child when it passes. The parent never calls into libvirt.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "macro.h"
#include "virt.h"

struct virt {
	pid_t pid;	/* the child that talks to libvirt; 0 once it is gone */
	int fd;		/* our end of the socket pair */
	int timeout_ms; /* for each request */
	char *asked;	/* the URI asked for, NULL for libvirt's default */
	char *uri;	/* the URI libvirt connected to */
};

/* The requests, parent to child. */
enum virt_req {
	VIRT_REQ_NETWORKS = 1,
	VIRT_REQ_DOMAINS,
	VIRT_REQ_NETWORK_XML,
	VIRT_REQ_DOMAIN_XML,
};

DEFINE_CLEANUP_FUNC(virNetworkPtr, virNetworkFree)
DEFINE_CLEANUP_FUNC(virDomainPtr, virDomainFree)

/* ---- the wire: native-endian u32 / i32 and length-prefixed strings, on a local socket ---- */

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_u32(int fd, uint32_t x)
{
	return send_all(fd, &x, sizeof(x));
}

/* A string; NULL is sent as the empty string. */
static int send_str(int fd, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	int r;

	if (len > UINT32_MAX)
		return -EMSGSIZE;
	r = send_u32(fd, (uint32_t)len);
	return r < 0 ? r : send_all(fd, s ?: "", len);
}

/* Reads len bytes before deadline (ms on CLOCK_MONOTONIC; -1: no deadline). -ETIMEDOUT when it
 * passes, -EPIPE when the other end closed. */
static int recv_all(int fd, void *buf, size_t len, long long deadline)
{
	char *p = buf;

	while (len > 0) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long long left = deadline < 0 ? -1 : deadline - now_ms();
		ssize_t n;
		int r;

		if (deadline >= 0 && left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r <= 0)
			continue;
		n = recv(fd, p, len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_u32(int fd, uint32_t *ret, long long deadline)
{
	return recv_all(fd, ret, sizeof(*ret), deadline);
}

static int recv_str(int fd, char **ret, long long deadline)
{
	_cleanup_free_ char *s = NULL;
	uint32_t len;
	int r;

	r = recv_u32(fd, &len, deadline);
	if (r < 0)
		return r;
	s = malloc((size_t)len + 1);
	if (!s)
		return -ENOMEM;
	r = recv_all(fd, s, len, deadline);
	if (r < 0)
		return r;
	s[len] = '\0';
	*ret = TAKE_PTR(s);
	return 0;
}

/* ---- the child: libvirt's side ---- */

/* libvirt prints every error on stderr by default; we report them ourselves, once. */
static void silent(void *data, virErrorPtr err)
{
}

/* libvirt's last error message, for our own messages. */
static const char *virt_error(void)
{
	const char *m = virGetLastErrorMessage();

	return m && *m ? m : "unknown libvirt error";
}

/* Sends one listing: its count, then per entry name, XML and whether it is active. A failure to
 * read one entry's definition is logged here and ends the answer with an error instead. */
static int child_send_docs(int fd, const char *kind, size_t n, const char *const *names,
			   char *const *xmls, const int *active)
{
	int r;

	for (size_t i = 0; i < n; i++)
		if (!names[i] || !xmls[i])
			return log_error_errno(-EIO, "cannot read the definition of %s '%s': %s",
					       kind, names[i] ?: "?", virt_error());
	if ((r = send_u32(fd, 0)) < 0 || (r = send_u32(fd, (uint32_t)n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if ((r = send_str(fd, names[i])) < 0 || (r = send_str(fd, xmls[i])) < 0 ||
		    (r = send_u32(fd, active[i] == 1)) < 0)
			return r;
	return 0;
}

/* Answers: 0 then the payload, or a negative errno (already logged here, but -ENOENT). Returns
 * < 0 only when the answer could not be sent. */
static int child_list(int fd, virConnectPtr conn, bool domains)
{
	virNetworkPtr *nets = NULL;
	virDomainPtr *doms = NULL;
	const char **names = NULL;
	char **xmls = NULL;
	int *active = NULL;
	int n, r;

	n = domains ? virConnectListAllDomains(conn, &doms, 0)
		    : virConnectListAllNetworks(conn, &nets, 0);
	if (n < 0) {
		log_error_errno(-EIO, "cannot list libvirt's %s: %s",
				domains ? "guests" : "networks", virt_error());
		return send_u32(fd, (uint32_t)-EIO);
	}
	names = calloc((size_t)n + 1, sizeof(*names));
	xmls = calloc((size_t)n + 1, sizeof(*xmls));
	active = calloc((size_t)n + 1, sizeof(*active));
	for (int i = 0; names && xmls && active && i < n; i++) {
		/* A running guest's live XML: pool interfaces show their VF there. */
		if (domains) {
			names[i] = virDomainGetName(doms[i]);
			xmls[i] = virDomainGetXMLDesc(doms[i], 0);
			active[i] = virDomainIsActive(doms[i]);
		} else {
			names[i] = virNetworkGetName(nets[i]);
			xmls[i] = virNetworkGetXMLDesc(nets[i], 0);
			active[i] = virNetworkIsActive(nets[i]);
		}
	}
	if (!names || !xmls || !active) {
		log_error_errno(-ENOMEM, "out of memory");
		r = send_u32(fd, (uint32_t)-ENOMEM);
	} else {
		r = child_send_docs(fd, domains ? "guest" : "network", (size_t)n, names, xmls,
				    active);
		if (r == -EIO)
			r = send_u32(fd, (uint32_t)-EIO);
	}
	for (int i = 0; i < n; i++) {
		if (xmls)
			free(xmls[i]);
		if (domains)
			virDomainFree(doms[i]);
		else
			virNetworkFree(nets[i]);
	}
	free(names);
	free(xmls);
	free(active);
	free(nets);
	free(doms);
	return r;
}

static int child_network_xml(virConnectPtr conn, const char *name, char **ret)
{
	_cleanup_(virNetworkFreep) virNetworkPtr net = virNetworkLookupByName(conn, name);
	char *xml;

	if (!net) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_NETWORK)
			return -ENOENT;
		return log_error_errno(-EIO, "cannot look up network '%s': %s", name, virt_error());
	}
	xml = virNetworkGetXMLDesc(net,
				   virNetworkIsPersistent(net) == 1 ? VIR_NETWORK_XML_INACTIVE : 0);
	if (!xml) /* drivers without the flag (the test driver): the live definition */
		xml = virNetworkGetXMLDesc(net, 0);
	if (!xml)
		return log_error_errno(-EIO, "cannot read the definition of network '%s': %s", name,
				       virt_error());
	*ret = xml;
	return 0;
}

static int child_domain_xml(virConnectPtr conn, const char *name, char **ret)
{
	_cleanup_(virDomainFreep) virDomainPtr dom = virDomainLookupByName(conn, name);
	char *xml;

	if (!dom) {
		virErrorPtr e = virGetLastError();

		if (e && e->code == VIR_ERR_NO_DOMAIN)
			return -ENOENT;
		return log_error_errno(-EIO, "cannot look up guest '%s': %s", name, virt_error());
	}
	xml = virDomainGetXMLDesc(dom, 0);
	if (!xml)
		return log_error_errno(-EIO, "cannot read the definition of guest '%s': %s", name,
				       virt_error());
	*ret = xml;
	return 0;
}

/* The child's life: connect, say how it went, then answer requests until the parent closes its
 * end (or dies: PR_SET_PDEATHSIG). Never returns; _exit(), so that nothing the parent had
 * buffered is written twice. */
__attribute__((noreturn)) static void child_main(int fd, const char *uri)
{
	virConnectPtr conn;
	char *real;
	int r;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(0);
	virSetErrorFunc(NULL, silent);
	if (virInitialize() < 0) {
		log_error_errno(-EIO, "cannot initialise libvirt: %s", virt_error());
		send_u32(fd, (uint32_t)-EIO);
		_exit(0);
	}
	conn = virConnectOpenReadOnly(uri);
	if (!conn) {
		log_error_errno(-ECONNREFUSED,
				"cannot connect to libvirt%s%s%s: %s; is the daemon running "
				"(systemctl status libvirtd, or virtqemud and virtnetworkd), "
				"and is the URI right (--connect)?",
				uri ? " at '" : "", uri ?: "", uri ? "'" : "", virt_error());
		send_u32(fd, (uint32_t)-ECONNREFUSED);
		_exit(0);
	}
	real = virConnectGetURI(conn);
	r = send_u32(fd, 0);
	if (r >= 0)
		r = send_str(fd, real);
	free(real);

	while (r >= 0) {
		_cleanup_free_ char *name = NULL;
		char *xml = NULL;
		uint32_t req;

		if (recv_u32(fd, &req, -1) < 0)
			break; /* the parent is done */
		switch (req) {
		case VIRT_REQ_NETWORKS:
		case VIRT_REQ_DOMAINS:
			r = child_list(fd, conn, req == VIRT_REQ_DOMAINS);
			break;
		case VIRT_REQ_NETWORK_XML:
		case VIRT_REQ_DOMAIN_XML:
			r = recv_str(fd, &name, -1);
			if (r < 0)
				break;
			r = req == VIRT_REQ_NETWORK_XML ? child_network_xml(conn, name, &xml)
							: child_domain_xml(conn, name, &xml);
			if (r < 0) {
				r = send_u32(fd, (uint32_t)r);
				break;
			}
			r = send_u32(fd, 0);
			if (r >= 0)
				r = send_str(fd, xml);
			free(xml);
			break;
		default:
			r = -EINVAL;
		}
	}
	virConnectClose(conn);
	_exit(0);
}

/* ---- the parent: the tool's side ---- */

/* Which libvirt, for a message: the URI connected to, else the one asked for. */
static const char *shown_uri(const struct virt *v)
{
	const char *env = getenv("LIBVIRT_DEFAULT_URI");

	if (v->uri && *v->uri)
		return v->uri;
	if (v->asked)
		return v->asked;
	return env && *env ? env : "libvirt's default URI";
}

static void child_stop(struct virt *v, bool kill_it)
{
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -EBADF;
	if (v->pid <= 0)
		return;
	if (kill_it)
		kill(v->pid, SIGKILL);
	while (waitpid(v->pid, NULL, 0) < 0 && errno == EINTR)
		;
	v->pid = 0;
}

/* Waits for the status word of an answer (0, or the child's negative errno) until deadline; on a
 * timeout or a dead child, says so, naming the URI and what was asked, and stops the child. */
static int answer(struct virt *v, long long deadline, const char *doing)
{
	uint32_t status;
	char secs[32];
	int r;

	if (v->pid <= 0)
		return -EPIPE; /* already reported */
	r = recv_u32(v->fd, &status, deadline);
	if (r == -ETIMEDOUT) {
		child_stop(v, true);
		if (v->timeout_ms % 1000 == 0)
			snprintf(secs, sizeof(secs), "%d", v->timeout_ms / 1000);
		else
			snprintf(secs, sizeof(secs), "%g", v->timeout_ms / 1000.0);
		return log_error_errno(
		    r,
		    "libvirt at %s did not answer within %s s (%s): is virtqemud/libvirtd stuck? "
		    "See 'systemctl status libvirtd' (or virtqemud and virtnetworkd) and its "
		    "journal, and restart it; if it is only slow, raise --timeout",
		    shown_uri(v), secs, doing);
	}
	if (r < 0) {
		child_stop(v, true);
		return log_error_errno(r, "libvirt's client process ended while %s at '%s': %m",
				       doing, shown_uri(v));
	}
	return (int32_t)status;
}

/* The rest of an answer, after its status word, with the same deadline: a dead child or a
 * timeout there is reported as in answer(). */
static int payload_error(struct virt *v, int r, const char *doing)
{
	child_stop(v, true);
	if (r == -ENOMEM)
		return log_error_errno(r, "out of memory");
	return log_error_errno(r, "cannot read libvirt's answer while %s at '%s': %s", doing,
			       shown_uri(v),
			       r == -ETIMEDOUT ? "it did not come in time" : strerror(-r));
}

int virt_open(const char *uri, int timeout_ms, struct virt **ret)
{
	_cleanup_free_ struct virt *v = calloc(1, sizeof(*v));
	long long deadline = now_ms() + timeout_ms;
	int sv[2], r;

	if (!v || (uri && !(v->asked = strdup(uri)))) {
		if (v)
			free(v->asked);
		return log_error_errno(-ENOMEM, "out of memory");
	}
	v->timeout_ms = timeout_ms;
	v->fd = -EBADF;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		r = log_error_errno(-errno, "cannot create a socket pair for libvirt's client: %m");
		free(v->asked);
		return r;
	}
	fflush(stdout);
	fflush(stderr);
	v->pid = fork();
	if (v->pid < 0) {
		r = log_error_errno(-errno, "cannot start libvirt's client process: %m");
		close(sv[0]);
		close(sv[1]);
		free(v->asked);
		return r;
	}
	if (v->pid == 0) {
		/* uri is the caller's (argv): it outlives this frame, which never returns */
		close(sv[0]);
		free(v->asked);
		free(TAKE_PTR(v));
		child_main(sv[1], uri);
	}
	close(sv[1]);
	v->fd = sv[0];

	r = answer(v, deadline, "connecting");
	if (r >= 0) {
		r = recv_str(v->fd, &v->uri, deadline);
		if (r < 0)
			r = payload_error(v, r, "connecting");
	}
	if (r < 0) {
		virt_close(TAKE_PTR(v));
		return r;
	}
	*ret = TAKE_PTR(v);
	return 0;
}

void virt_close(struct virt *v)
{
	if (!v)
		return;
	child_stop(v, false); /* it sees the end of its socket, closes the connection, exits */
	free(v->asked);
	free(v->uri);
	free(v);
}

const char *virt_uri(struct virt *v)
{
	return v->uri ?: "?";
}

void virt_docs_free(struct virt_doc *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].name);
		free(d[i].xml);
	}
	free(d);
}

static int doc_sort(const void *x, const void *y)
{
	return strcmp(((const struct virt_doc *)x)->name, ((const struct virt_doc *)y)->name);
}

static int list(struct virt *v, enum virt_req req, struct virt_doc **ret, size_t *ret_n)
{
	const char *doing = req == VIRT_REQ_DOMAINS ? "listing the guests" : "listing the networks";
	long long deadline = now_ms() + v->timeout_ms;
	struct virt_doc *docs = NULL;
	uint32_t n = 0, active;
	size_t got = 0;
	int r;

	if (v->pid <= 0)
		return -EPIPE;
	r = send_u32(v->fd, req);
	if (r < 0)
		return payload_error(v, r, doing);
	r = answer(v, deadline, doing);
	if (r < 0)
		return r;
	r = recv_u32(v->fd, &n, deadline);
	if (r >= 0) {
		docs = calloc((size_t)n + 1, sizeof(*docs));
		if (!docs)
			r = -ENOMEM;
	}
	for (; r >= 0 && got < n; got++) {
		if ((r = recv_str(v->fd, &docs[got].name, deadline)) < 0 ||
		    (r = recv_str(v->fd, &docs[got].xml, deadline)) < 0 ||
		    (r = recv_u32(v->fd, &active, deadline)) < 0)
			break;
		docs[got].active = active != 0;
	}
	if (r < 0) {
		/* the entry being read may be half filled: free it too */
		virt_docs_free(docs, docs ? (got < n ? got + 1 : n) : 0);
		return payload_error(v, r, doing);
	}
	qsort(docs, n, sizeof(*docs), doc_sort);
	*ret = docs;
	*ret_n = n;
	return 0;
}

int virt_networks(struct virt *v, struct virt_doc **ret, size_t *ret_n)
{
	return list(v, VIRT_REQ_NETWORKS, ret, ret_n);
}

int virt_domains(struct virt *v, struct virt_doc **ret, size_t *ret_n)
{
	return list(v, VIRT_REQ_DOMAINS, ret, ret_n);
}

static int one_xml(struct virt *v, enum virt_req req, const char *name, char **ret)
{
	long long deadline = now_ms() + v->timeout_ms;
	char doing[300];
	int r;

	snprintf(doing, sizeof(doing), "looking up %s '%s'",
		 req == VIRT_REQ_NETWORK_XML ? "network" : "guest", name);
	if (v->pid <= 0)
		return -EPIPE;
	if ((r = send_u32(v->fd, req)) < 0 || (r = send_str(v->fd, name)) < 0)
		return payload_error(v, r, doing);
	r = answer(v, deadline, doing);
	if (r < 0)
		return r;
	r = recv_str(v->fd, ret, deadline);
	return r < 0 ? payload_error(v, r, doing) : 0;
}

int virt_network_xml(struct virt *v, const char *name, char **ret)
{
	return one_xml(v, VIRT_REQ_NETWORK_XML, name, ret);
}

int virt_domain_xml(struct virt *v, const char *name, char **ret)
{
	return one_xml(v, VIRT_REQ_DOMAIN_XML, name, ret);
}
