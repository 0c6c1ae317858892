/*
 * A progress bar on stderr, drawn by a thread of its own ten times a
 * second once the work has taken a second, and only when stderr is a
 * terminal (a log file or a pipe gets nothing). The library's calls do
 * not report progress from inside, so the bar counts the phases of a
 * command and shows the time spent.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define BAR 24

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop, drawn;
	char what[64], phase[64];
	unsigned done, total;
	struct timespec start;
} pg = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static double
elapsed(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - pg.start.tv_sec) + 1e-9 * (double)(now.tv_nsec - pg.start.tv_nsec);
}

/* Called with pg.mu held. */
static void
draw(void)
{
	double t = elapsed();
	if (t < 1.0)
		return;
	char bar[BAR + 1];
	unsigned fill = pg.total ? (unsigned)((size_t)BAR * pg.done / pg.total) : 0;
	for (unsigned i = 0; i < BAR; i++)
		bar[i] = i < fill ? '#' : (i == fill ? '>' : '.');
	bar[BAR] = '\0';
	fprintf(stderr, "\r\033[K%s [%s] %u/%u %s %.1fs", pg.what, bar, pg.done, pg.total, pg.phase, t);
	fflush(stderr);
	pg.drawn = 1;
}

static void *
ticker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pg.mu);
	while (!pg.stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&pg.cv, &pg.mu, &until);
		if (!pg.stop)
			draw();
	}
	pthread_mutex_unlock(&pg.mu);
	return NULL;
}

void
cli_progress_begin(const char *what, unsigned total)
{
	cli_progress_end();
	if (!isatty(STDERR_FILENO))
		return;
	pthread_mutex_lock(&pg.mu);
	snprintf(pg.what, sizeof pg.what, "%s", what);
	pg.phase[0] = '\0';
	pg.done = 0;
	pg.total = total;
	pg.stop = 0;
	pg.drawn = 0;
	clock_gettime(CLOCK_MONOTONIC, &pg.start);
	pthread_mutex_unlock(&pg.mu);
	if (pthread_create(&pg.thread, NULL, ticker, NULL) == 0)
		pg.running = 1;
}

void
cli_progress_step(const char *phase)
{
	if (!pg.running)
		return;
	pthread_mutex_lock(&pg.mu);
	/* the phase named before this one is done */
	if (pg.phase[0] && pg.done < pg.total)
		pg.done++;
	snprintf(pg.phase, sizeof pg.phase, "%s", phase ? phase : "");
	if (pg.drawn)
		draw();
	pthread_mutex_unlock(&pg.mu);
}

void
cli_progress_end(void)
{
	if (!pg.running)
		return;
	pthread_mutex_lock(&pg.mu);
	pg.stop = 1;
	pthread_cond_signal(&pg.cv);
	pthread_mutex_unlock(&pg.mu);
	pthread_join(pg.thread, NULL);
	pg.running = 0;
	if (pg.drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		pg.drawn = 0;
	}
}
