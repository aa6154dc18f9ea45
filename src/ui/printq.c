/* printq: badges printed at the door, on their own thread (see printq.h). */
#include "ui/printq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badge/print.h"
#include "core/util.h"

struct job {
	char *s[7];             /* the badge_info strings, in struct order */
};

struct printq {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	const struct badge_layout *layout;
	char *printer;
	struct job jobs[PRINTQ_MAX];
	size_t head, n;
	bool stop;
	char result[256];
	bool has_result, result_ok;
};

static void
job_free(struct job *j)
{
	for (int i = 0; i < 7; i++)
		free(j->s[i]);
	memset(j, 0, sizeof *j);
}

static void
set_result(struct printq *q, bool ok, const char *text)
{
	pthread_mutex_lock(&q->lock);
	snprintf(q->result, sizeof q->result, "%s", text);
	q->result_ok = ok;
	q->has_result = true;
	pthread_mutex_unlock(&q->lock);
}

static void
print_one(struct printq *q, struct job *j)
{
	struct badge_info b = { j->s[0], j->s[1], j->s[2], j->s[3], j->s[4], j->s[5], j->s[6] };
	char path[] = "/tmp/kiosk-badge-XXXXXX";
	char *cause = NULL, *msg = NULL;
	int fd = mkstemp(path);
	if (fd < 0) {
		set_result(q, false, "Printer: cannot make a temporary file");
		return;
	}
	close(fd);
	if (badge_render_pdf(path, q->layout, &b, 1, &cause) != 0 ||
	    print_pdf(path, q->printer, "kiosk badge", &cause) < 0) {
		msg = xasprintf("Printer: %s", cause ? cause : "failed");
		set_result(q, false, msg);
	} else {
		set_result(q, true, "Badge printed");
	}
	unlink(path);
	free(msg);
	free(cause);
}

static void *
printq_main(void *arg)
{
	struct printq *q = arg;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		while (!q->stop && q->n == 0)
			pthread_cond_wait(&q->wake, &q->lock);
		if (q->stop)
			break;
		struct job j = q->jobs[q->head];
		memset(&q->jobs[q->head], 0, sizeof j);
		q->head = (q->head + 1) % PRINTQ_MAX;
		q->n--;
		pthread_mutex_unlock(&q->lock);
		print_one(q, &j);
		job_free(&j);
		pthread_mutex_lock(&q->lock);
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

struct printq *
printq_start(const char *layout, const char *printer)
{
	const struct badge_layout *l = badge_layout_find(layout);
	if (l == NULL)
		return NULL;
	struct printq *q = xcalloc(1, sizeof *q);
	q->layout = l;
	q->printer = printer && printer[0] ? xstrdup(printer) : NULL;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->wake, NULL);
	if (pthread_create(&q->thread, NULL, printq_main, q) != 0) {
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->wake);
		free(q->printer);
		free(q);
		return NULL;
	}
	return q;
}

bool
printq_add(struct printq *q, const struct badge_info *b)
{
	if (q == NULL)
		return false;
	const char *src[7] = { b->first_name, b->last_name, b->company, b->handle,
		b->ticket_type, b->event_name, b->code };
	pthread_mutex_lock(&q->lock);
	bool ok = q->n < PRINTQ_MAX;
	if (ok) {
		struct job *j = &q->jobs[(q->head + q->n) % PRINTQ_MAX];
		for (int i = 0; i < 7; i++)
			j->s[i] = xstrdup(src[i] ? src[i] : "");
		q->n++;
		pthread_cond_signal(&q->wake);
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

bool
printq_result(struct printq *q, char *buf, size_t n, bool *ok)
{
	if (q == NULL)
		return false;
	pthread_mutex_lock(&q->lock);
	bool has = q->has_result;
	if (has) {
		snprintf(buf, n, "%s", q->result);
		*ok = q->result_ok;
		q->has_result = false;
	}
	pthread_mutex_unlock(&q->lock);
	return has;
}

void
printq_stop(struct printq *q)
{
	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->wake);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	for (size_t i = 0; i < PRINTQ_MAX; i++)
		job_free(&q->jobs[i]);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->wake);
	free(q->printer);
	free(q);
}
