/* lidclock: an LD_PRELOAD library that makes a process see what a laptop's
 * suspend does to its clocks, for integration tests of a lid closed and
 * opened again.
 *
 *   cc -shared -fPIC -o lidclock.so tests/tools/lidclock.c -ldl
 *   LD_PRELOAD=./lidclock.so LIDCLOCK_FILE=/path/slept kiosk run ...
 *
 * LIDCLOCK_FILE holds a number of seconds (0 when missing or unreadable):
 * how long the laptop has slept so far. That many seconds are added to the
 * clocks a suspend moves on (CLOCK_REALTIME and CLOCK_BOOTTIME, with their
 * coarse and alarm kin, time() and gettimeofday()), and none to those it
 * stops (CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW and their coarse kin, the
 * CPU clocks). libfaketime cannot: it moves CLOCK_BOOTTIME with
 * CLOCK_MONOTONIC or not at all.
 *
 * A test stops the process (SIGSTOP: a suspend freezes it), writes a larger
 * number into the file, and continues it (SIGCONT). The file is read again
 * at most every 20 ms of the real monotonic clock.
 *
 * Standalone on purpose (C11 + POSIX + dlsym), like the other test tools. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef int (*gettime_fn)(clockid_t, struct timespec *);

static gettime_fn real_gettime;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t offset_ns;        /* under lock */
static int64_t read_at_ns = -1;  /* real monotonic ns of the last read; under lock */

static gettime_fn
real(void)
{
	if (real_gettime == NULL)
		real_gettime = (gettime_fn)dlsym(RTLD_NEXT, "clock_gettime");
	return real_gettime;
}

static int64_t
slept_ns(void)
{
	struct timespec m;
	real()(CLOCK_MONOTONIC, &m);
	int64_t now = (int64_t)m.tv_sec * 1000000000 + m.tv_nsec;
	pthread_mutex_lock(&lock);
	if (read_at_ns < 0 || now - read_at_ns >= 20000000) {
		const char *path = getenv("LIDCLOCK_FILE");
		char text[64];
		int64_t s = 0;
		int fd = path != NULL ? open(path, O_RDONLY | O_CLOEXEC) : -1;
		if (fd >= 0) {
			ssize_t n = read(fd, text, sizeof text - 1);
			close(fd);
			if (n > 0) {
				text[n] = '\0';
				s = strtoll(text, NULL, 10);
			}
		}
		offset_ns = s * 1000000000;
		read_at_ns = now;
	}
	int64_t off = offset_ns;
	pthread_mutex_unlock(&lock);
	return off;
}

static void
add(struct timespec *ts, int64_t ns)
{
	int64_t t = (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec + ns;
	ts->tv_sec = (time_t)(t / 1000000000);
	ts->tv_nsec = (long)(t % 1000000000);
}

int
clock_gettime(clockid_t clk, struct timespec *ts)
{
	int rc = real()(clk, ts);
	if (rc != 0)
		return rc;
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_BOOTTIME:
#ifdef CLOCK_REALTIME_ALARM
	case CLOCK_REALTIME_ALARM:
#endif
#ifdef CLOCK_BOOTTIME_ALARM
	case CLOCK_BOOTTIME_ALARM:
#endif
#ifdef CLOCK_TAI
	case CLOCK_TAI:
#endif
		add(ts, slept_ns());
		break;
	default:
		break;
	}
	return 0;
}

int
gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;
	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t
time(time_t *out)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (out != NULL)
		*out = ts.tv_sec;
	return ts.tv_sec;
}
