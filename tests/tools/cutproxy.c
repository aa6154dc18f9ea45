/* cutproxy: a TCP forwarding proxy that cuts connections at random byte
 * offsets, for integration tests that prove an interrupted HTTP sync loses
 * and duplicates nothing.
 *
 *   cutproxy [--seed N] [--cut PERCENT] [--max-bytes N] LISTEN_PORT TARGET_HOST TARGET_PORT
 *
 * Listens on 127.0.0.1:LISTEN_PORT (0: any free port) and prints "port N"
 * on stdout once it does. Each accepted connection is forwarded to the
 * target, both ways, by one poll() loop. With probability PERCENT (30) a
 * connection is doomed: a direction and an offset in [0, max-bytes) (4000)
 * are drawn, and once exactly that many bytes have been forwarded that way
 * both sockets are reset (SO_LINGER 0) and stderr gets
 *
 *   cut conn#K after N bytes client->target
 *
 * A direction that carries fewer bytes than its offset is never cut. On
 * Linux the reset waits (up to a second) until the receiver has
 * acknowledged the N bytes, because a reset throws away whatever is still
 * queued: without the wait the peer would see fewer than N.
 *
 * The draws are a pure function of the seed and the connection's number
 * (three per connection, whatever PERCENT is), so a failing run repeats
 * with the seed it prints on stderr. Other stderr lines start "cutproxy:".
 * SIGTERM or SIGINT closes everything and exits 0.
 *
 * Standalone on purpose (C11 + POSIX, no project headers): it is a test
 * instrument, built by tests that must not depend on the code under test. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/ioctl.h>
#include <linux/sockios.h> /* SIOCOUTQ */
#endif

#define CP_BUF      16384 /* per direction; reading stops while it is full */
#define CP_DRAIN_MS 1000  /* longest wait for the cut bytes to be acked */
#define CP_TICK_MS  2     /* poll period while a cut waits */
#define CP_PAUSE_MS 100   /* accept() back-off when out of descriptors */

enum { CP_C2T = 0, CP_T2C = 1 };
static const char *const cp_dir_name[2] = { "client->target", "target->client" };

/* One direction: read from fd[d], written to fd[1 - d]. */
struct cp_half {
	unsigned char buf[CP_BUF];
	size_t off;                /* first byte not yet written */
	size_t len;                /* bytes read into buf */
	unsigned long long fwd;    /* bytes written to the destination */
	int eof;                   /* the source sent its FIN */
	int shut;                  /* FIN passed on (shutdown SHUT_WR) */
};

struct cp_conn {
	unsigned long id;          /* 1, 2, ... in accept order */
	int fd[2];                 /* [0] client, [1] target; -1 when closed */
	int pfd[2];                /* index in this round's pollfd array, or -1 */
	int connecting;            /* connect() to fd[1] in progress */
	struct addrinfo *next_ai;  /* address to try after the current one */
	int doomed;                /* a cut is planned */
	int cut_dir;               /* CP_C2T or CP_T2C */
	unsigned long long cut_at; /* bytes of cut_dir to forward, then reset */
	int cutting;               /* cut decided, waiting for the ack */
	long long cut_deadline;    /* ms (monotonic) when the wait gives up */
	int dead;                  /* to be freed by the loop */
	struct cp_half half[2];    /* [CP_C2T], [CP_T2C] */
	struct cp_conn *next;
};

struct cp_opts {
	uint64_t seed;
	int seed_given;
	double cut_pct;
	unsigned long long max_bytes;
	unsigned short listen_port;
	const char *host;
	const char *port;
};

static volatile sig_atomic_t cp_stop;
static int cp_sigpipe_w = -1;

static unsigned long cp_nconn, cp_ncut;

/* --- deterministic draws --------------------------------------------- */

static uint64_t cp_rng;

/* splitmix64 spreads any seed (even 0) over a non-zero xorshift state. */
static void
cp_rng_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	cp_rng = z ? z : 0x2545f4914f6cdd1dULL;
}

/* xorshift64* */
static uint64_t
cp_rng_next(void)
{
	cp_rng ^= cp_rng >> 12;
	cp_rng ^= cp_rng << 25;
	cp_rng ^= cp_rng >> 27;
	return cp_rng * 0x2545f4914f6cdd1dULL;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static uint64_t
cp_rng_below(uint64_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t r;
	do
		r = cp_rng_next();
	while (r >= limit);
	return r % n;
}

/* --- small helpers ---------------------------------------------------- */

static long long
cp_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
cp_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static void
cp_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Close so that the peer gets an RST, not a FIN. */
static void
cp_reset(int *fd)
{
	if (*fd < 0)
		return;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	setsockopt(*fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	cp_close(fd);
}

static void
cp_on_signal(int sig)
{
	int saved = errno;
	(void)sig;
	cp_stop = 1;
	if (cp_sigpipe_w >= 0) {
		ssize_t w = write(cp_sigpipe_w, "x", 1);
		(void)w; /* a full pipe already wakes the loop */
	}
	errno = saved;
}

/* --- connections -------------------------------------------------------- */

/* Something went wrong on a live connection (a peer reset, a write that
 * failed): pass the abruptness on to the other side. */
static void
cp_conn_abort(struct cp_conn *c)
{
	cp_reset(&c->fd[0]);
	cp_reset(&c->fd[1]);
	c->dead = 1;
}

static void
cp_conn_free(struct cp_conn *c)
{
	cp_close(&c->fd[0]);
	cp_close(&c->fd[1]);
	free(c);
}

/* Start connecting fd[1] to the next target address. Returns 0 when a
 * connect is under way or done, -1 when every address failed (errno). */
static int
cp_conn_dial(struct cp_conn *c)
{
	int err = ECONNREFUSED;
	while (c->next_ai != NULL) {
		struct addrinfo *ai = c->next_ai;
		c->next_ai = ai->ai_next;
		int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (cp_nonblock(fd) < 0) {
			err = errno;
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			c->fd[1] = fd;
			c->connecting = 0;
			return 0;
		}
		if (errno == EINPROGRESS) {
			c->fd[1] = fd;
			c->connecting = 1;
			return 0;
		}
		err = errno;
		close(fd);
	}
	errno = err;
	return -1;
}

static void
cp_conn_start_cut(struct cp_conn *c)
{
	fprintf(stderr, "cut conn#%lu after %llu bytes %s\n", c->id,
	    c->half[c->cut_dir].fwd, cp_dir_name[c->cut_dir]);
	cp_ncut++;
	c->cutting = 1;
	c->cut_deadline = cp_now_ms() + CP_DRAIN_MS;
}

/* While cutting: reset once the receiver has everything it was sent. */
static void
cp_conn_check_cut(struct cp_conn *c, long long now)
{
	int queued = 0;
#ifdef SIOCOUTQ
	int dest = c->fd[1 - c->cut_dir];
	if (ioctl(dest, SIOCOUTQ, &queued) < 0)
		queued = 0;
#endif
	if (queued > 0 && now < c->cut_deadline)
		return;
	cp_conn_abort(c);
}

static int
cp_cut_reached(const struct cp_conn *c)
{
	return c->doomed && c->half[c->cut_dir].fwd == c->cut_at;
}

/* The target answered the connect (or refused it). */
static void
cp_conn_connected(struct cp_conn *c)
{
	int err = 0;
	socklen_t len = sizeof err;
	if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0) {
		c->connecting = 0;
		if (cp_cut_reached(c))
			cp_conn_start_cut(c); /* offset 0 */
		return;
	}
	cp_close(&c->fd[1]);
	if (cp_conn_dial(c) == 0) {
		if (!c->connecting && cp_cut_reached(c))
			cp_conn_start_cut(c);
		return;
	}
	fprintf(stderr, "cutproxy: conn#%lu: target: %s\n", c->id, strerror(errno ? errno : err));
	cp_close(&c->fd[0]);
	c->dead = 1;
}

/* Move bytes of direction d as far as the sockets allow. Returns -1 when
 * the connection was aborted. */
static int
cp_conn_pump(struct cp_conn *c, int d, int readable)
{
	struct cp_half *h = &c->half[d];
	int src = c->fd[d], dst = c->fd[1 - d];

	if (readable && h->len == 0 && !h->eof) {
		ssize_t n = recv(src, h->buf, sizeof h->buf, 0);
		if (n > 0) {
			h->off = 0;
			h->len = (size_t)n;
		} else if (n == 0) {
			h->eof = 1;
		} else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			cp_conn_abort(c);
			return -1;
		}
	}
	if (h->off < h->len) {
		size_t n = h->len - h->off;
		if (c->doomed && c->cut_dir == d && n > c->cut_at - h->fwd)
			n = (size_t)(c->cut_at - h->fwd);
		ssize_t w = send(dst, h->buf + h->off, n, MSG_NOSIGNAL);
		if (w > 0) {
			h->off += (size_t)w;
			h->fwd += (unsigned long long)w;
			if (h->off == h->len)
				h->off = h->len = 0;
		} else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			cp_conn_abort(c);
			return -1;
		}
		if (cp_cut_reached(c) && c->cut_dir == d) {
			cp_conn_start_cut(c);
			return 0;
		}
	}
	if (h->eof && h->len == 0 && !h->shut) {
		if (shutdown(dst, SHUT_WR) < 0) {
			cp_conn_abort(c);
			return -1;
		}
		h->shut = 1;
	}
	return 0;
}

/* What to poll for on fd[i] (0 when nothing). */
static short
cp_conn_events(const struct cp_conn *c, int i)
{
	short ev = 0;
	if (c->dead || c->cutting || c->fd[i] < 0)
		return 0;
	if (c->connecting)
		return i == 1 ? POLLOUT : 0;
	if (!c->half[i].eof && c->half[i].len == 0)
		ev |= POLLIN;
	if (c->half[1 - i].off < c->half[1 - i].len)
		ev |= POLLOUT;
	return ev;
}

static void
cp_conn_handle(struct cp_conn *c, const struct pollfd *pfds, long long now)
{
	short rev[2] = { 0, 0 };
	for (int i = 0; i < 2; i++)
		if (c->pfd[i] >= 0)
			rev[i] = pfds[c->pfd[i]].revents;

	if (c->dead)
		return;
	if (c->cutting) {
		cp_conn_check_cut(c, now);
		return;
	}
	if (c->connecting) {
		if (rev[1] != 0)
			cp_conn_connected(c);
		return;
	}
	if (rev[0] == 0 && rev[1] == 0)
		return;
	/* A readable source feeds its half; a writable destination (or an
	 * error, which the write then reports) drains the other half. */
	for (int d = 0; d < 2 && !c->dead && !c->cutting; d++) {
		int readable = (rev[d] & (POLLIN | POLLHUP | POLLERR)) != 0;
		if (cp_conn_pump(c, d, readable) < 0)
			return;
	}
	if (!c->dead && !c->cutting && c->half[0].shut && c->half[1].shut) {
		/* Both FINs passed on: an orderly end. */
		cp_close(&c->fd[0]);
		cp_close(&c->fd[1]);
		c->dead = 1;
	}
}

/* A new client: draw its fate and dial the target. Returns the conn, or
 * NULL (client closed) when that fails. */
static struct cp_conn *
cp_conn_new(int cfd, const struct cp_opts *o, struct addrinfo *target)
{
	unsigned long id = ++cp_nconn;
	/* Always three draws, so that --cut does not move other offsets. */
	double u = (double)(cp_rng_next() >> 11) * 0x1.0p-53 * 100.0;
	int dir = (int)(cp_rng_next() >> 63);
	unsigned long long at = cp_rng_below(o->max_bytes);

	struct cp_conn *c = calloc(1, sizeof *c);
	if (c == NULL) {
		fprintf(stderr, "cutproxy: conn#%lu: out of memory\n", id);
		close(cfd);
		return NULL;
	}
	c->id = id;
	c->fd[0] = cfd;
	c->fd[1] = -1;
	c->pfd[0] = c->pfd[1] = -1;
	c->doomed = u < o->cut_pct;
	c->cut_dir = dir;
	c->cut_at = at;
	c->next_ai = target;
	if (cp_conn_dial(c) < 0) {
		fprintf(stderr, "cutproxy: conn#%lu: target: %s\n", id, strerror(errno));
		cp_conn_free(c);
		return NULL;
	}
	if (!c->connecting && cp_cut_reached(c))
		cp_conn_start_cut(c);
	return c;
}

/* --- setup ------------------------------------------------------------- */

static void
cp_usage(void)
{
	fprintf(stderr, "usage: cutproxy [--seed N] [--cut PERCENT] [--max-bytes N] "
	    "LISTEN_PORT TARGET_HOST TARGET_PORT\n");
}

static int
cp_parse_ull(const char *s, unsigned long long lo, unsigned long long hi, unsigned long long *v)
{
	char *end;
	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

static int
cp_parse_args(int argc, char **argv, struct cp_opts *o)
{
	int i, npos = 0;
	const char *pos[3] = { NULL, NULL, NULL };
	unsigned long long v;

	o->seed_given = 0;
	o->cut_pct = 30.0;
	o->max_bytes = 4000;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--seed") == 0 || strcmp(a, "--cut") == 0 || strcmp(a, "--max-bytes") == 0) {
			const char *val = i + 1 < argc ? argv[++i] : NULL;
			if (strcmp(a, "--seed") == 0) {
				if (cp_parse_ull(val, 0, UINT64_MAX, &v) < 0)
					goto bad;
				o->seed = v;
				o->seed_given = 1;
			} else if (strcmp(a, "--cut") == 0) {
				char *end;
				if (val == NULL)
					goto bad;
				errno = 0;
				o->cut_pct = strtod(val, &end);
				if (errno != 0 || end == val || *end != '\0' || !(o->cut_pct >= 0.0 && o->cut_pct <= 100.0))
					goto bad;
			} else {
				if (cp_parse_ull(val, 1, UINT64_MAX, &v) < 0)
					goto bad;
				o->max_bytes = v;
			}
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cp_usage();
			exit(0);
		} else if (a[0] == '-' && a[1] != '\0') {
			goto bad;
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			goto bad;
		}
	}
	if (npos != 3 || cp_parse_ull(pos[0], 0, 65535, &v) < 0 || pos[2][0] == '\0')
		goto bad;
	o->listen_port = (unsigned short)v;
	o->host = pos[1];
	o->port = pos[2];
	return 0;
bad:
	cp_usage();
	return -1;
}

static int
cp_listen(unsigned short port, unsigned short *bound)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, SOMAXCONN) < 0
	    || cp_nonblock(fd) < 0 || getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	*bound = ntohs(sa.sin_port);
	return fd;
}

/* Accept every pending client. Returns 1 when out of descriptors (the
 * caller pauses accepting), else 0. */
static int
cp_accept_all(int lfd, const struct cp_opts *o, struct addrinfo *target, struct cp_conn **head)
{
	for (;;) {
		int cfd = accept(lfd, NULL, NULL);
		if (cfd < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
				continue;
			fprintf(stderr, "cutproxy: accept: %s\n", strerror(errno));
			return 1;
		}
		int one = 1;
		if (cp_nonblock(cfd) < 0) {
			close(cfd);
			continue;
		}
		setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		struct cp_conn *c = cp_conn_new(cfd, o, target);
		if (c != NULL) {
			c->next = *head;
			*head = c;
		}
	}
}

int
main(int argc, char **argv)
{
	struct cp_opts o;
	struct addrinfo hints, *target = NULL;
	struct cp_conn *conns = NULL;
	struct pollfd *pfds = NULL;
	size_t pfd_cap = 0;
	int sp[2] = { -1, -1 }, lfd = -1, rc = 1, gai;
	unsigned short bound;
	long long paused_until = 0;

	memset(&o, 0, sizeof o);
	if (cp_parse_args(argc, argv, &o) < 0)
		return 2;
	if (!o.seed_given)
		o.seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	cp_rng_seed(o.seed);

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((gai = getaddrinfo(o.host, o.port, &hints, &target)) != 0) {
		fprintf(stderr, "cutproxy: %s:%s: %s\n", o.host, o.port, gai_strerror(gai));
		goto out;
	}

	/* Signals arrive through a pipe that poll() watches, so that one
	 * landing just before poll() is not lost. */
	if (pipe(sp) < 0 || cp_nonblock(sp[0]) < 0 || cp_nonblock(sp[1]) < 0) {
		perror("cutproxy: pipe");
		goto out;
	}
	cp_sigpipe_w = sp[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = cp_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN; /* vanished clients: EPIPE, not death */
	sigaction(SIGPIPE, &sa, NULL);

	if ((lfd = cp_listen(o.listen_port, &bound)) < 0) {
		fprintf(stderr, "cutproxy: listen on 127.0.0.1:%u: %s\n", o.listen_port, strerror(errno));
		goto out;
	}
	fprintf(stderr, "cutproxy: seed %llu, cut %g%%, max-bytes %llu, target %s:%s\n",
	    (unsigned long long)o.seed, o.cut_pct, o.max_bytes, o.host, o.port);
	printf("port %u\n", bound);
	fflush(stdout);

	while (!cp_stop) {
		size_t n = 0, want = 2;
		int timeout = -1, waiting_cut = 0;
		long long now = cp_now_ms();
		struct cp_conn *c;

		for (c = conns; c != NULL; c = c->next)
			want += 2;
		if (want > pfd_cap) {
			size_t ncap = pfd_cap ? pfd_cap : 64;
			while (ncap < want)
				ncap *= 2;
			struct pollfd *np = realloc(pfds, ncap * sizeof *np);
			if (np == NULL) {
				fprintf(stderr, "cutproxy: out of memory\n");
				goto out;
			}
			pfds = np;
			pfd_cap = ncap;
		}
		pfds[n].fd = sp[0];
		pfds[n].events = POLLIN;
		n++;
		/* While paused the listener is left out (fd -1 is ignored). */
		pfds[n].fd = now >= paused_until ? lfd : -1;
		pfds[n].events = POLLIN;
		n++;
		if (now < paused_until)
			timeout = (int)(paused_until - now);
		for (c = conns; c != NULL; c = c->next) {
			for (int i = 0; i < 2; i++) {
				short ev = cp_conn_events(c, i);
				c->pfd[i] = (int)n;
				/* No interest: ignore it, or a hang-up would wake
				 * poll() over and over while a buffer is full. */
				pfds[n].fd = ev ? c->fd[i] : -1;
				pfds[n].events = ev;
				pfds[n].revents = 0;
				n++;
			}
			if (c->cutting)
				waiting_cut = 1;
		}
		if (waiting_cut)
			timeout = CP_TICK_MS;

		if (poll(pfds, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			perror("cutproxy: poll");
			goto out;
		}
		if (pfds[0].revents & POLLIN) {
			char drain[64];
			while (read(sp[0], drain, sizeof drain) > 0)
				;
		}
		if (cp_stop)
			break;

		now = cp_now_ms();
		for (c = conns; c != NULL; c = c->next)
			cp_conn_handle(c, pfds, now);
		for (struct cp_conn **pp = &conns; *pp != NULL;) {
			c = *pp;
			if (c->dead) {
				*pp = c->next;
				cp_conn_free(c);
			} else {
				c->pfd[0] = c->pfd[1] = -1;
				pp = &c->next;
			}
		}
		if (pfds[1].fd >= 0 && (pfds[1].revents & POLLIN))
			if (cp_accept_all(lfd, &o, target, &conns))
				paused_until = cp_now_ms() + CP_PAUSE_MS;
	}
	fprintf(stderr, "cutproxy: done: %lu connections, %lu cut\n", cp_nconn, cp_ncut);
	rc = 0;
out:
	while (conns != NULL) {
		struct cp_conn *next = conns->next;
		cp_conn_free(conns);
		conns = next;
	}
	free(pfds);
	if (lfd >= 0)
		close(lfd);
	cp_sigpipe_w = -1;
	if (sp[0] >= 0)
		close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
	if (target != NULL)
		freeaddrinfo(target);
	return rc;
}
