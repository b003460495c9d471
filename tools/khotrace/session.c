// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kho_state.h"
#include "main.h"
#include "session.h"
#include "util.h"

static volatile sig_atomic_t exiting, child_exited;

static void sig_handler(int sig)
{
	exiting = 1;
}

/* interrupts the wait for events, or spares the next one: the loop reaps */
static void sigchld_handler(int sig)
{
	child_exited = 1;
}

static int parse_size(const char *arg, size_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || end == arg)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end || v < 4096 || v > (1ULL << 30))
		return -EINVAL;
	*out = v;
	return 0;
}

int session__parse_opt(struct session *s, int opt, const char *arg)
{
	char *end;
	long v;

	switch (opt) {
	case 'e':
		switch (kt_parse_event_mask(arg, &s->opts.event_mask)) {
		case 0:
			break;
		case -EOPNOTSUPP:
			p_err("'%s': init and kexec_metadata fire at boot, before any tracer attaches; khotrace status shows them",
			      arg);
			return -EXIT_USAGE;
		default:
			p_err("invalid event list '%s'", arg);
			return -EXIT_USAGE;
		}
		/* "none" is the only list that names no event */
		s->opts.no_events = !s->opts.event_mask;
		return 1;
	case 'd':
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || *end || v <= 0 || v > 86400 * 365) {
			p_err("invalid duration '%s'", arg);
			return -EXIT_USAGE;
		}
		s->duration = v;
		return 1;
	case OPT_ERRORS:
		s->opts.errors_only = true;
		return 1;
	case OPT_RAW:
		s->opts.raw = true;
		return 1;
	case OPT_MODE:
		if (!strcmp(arg, "auto")) {
			s->opts.mode = KT_MODE_NONE;
		} else if (!strcmp(arg, "tracepoints")) {
			s->opts.mode = KT_MODE_TRACEPOINT;
		} else if (!strcmp(arg, "fentry")) {
			s->opts.mode = KT_MODE_FENTRY;
		} else {
			p_err("invalid mode '%s' (auto, tracepoints, fentry)", arg);
			return -EXIT_USAGE;
		}
		return 1;
	case OPT_RINGBUF_SIZE:
		if (parse_size(arg, &s->opts.ringbuf_size)) {
			p_err("invalid ring buffer size '%s' (4K..1G)", arg);
			return -EXIT_USAGE;
		}
		return 1;
	}
	return 0;
}

int session__getopt(struct session *s, struct cmd_args *a)
{
	int opt, ret;

	while ((opt = cmd_getopt(a)) > 0) {
		ret = session__parse_opt(s, opt, optarg);
		if (ret < 0) {
			a->exit = -ret;
			return 0;
		}
		if (!ret)
			return opt;
	}
	return opt;
}

int session__preflight(struct kho_state *state)
{
	struct kho_state st;
	char why[160], err[256];
	int ret = EXIT_OK;

	if (geteuid()) {
		p_err("must be run as root (loads BPF programs)");
		return EXIT_FAIL;
	}
	/* while this CPU reads the KHO state and the kernel's BTF */
	tracer__warm_up();
	if (kho_state__read(&st, NULL, err, sizeof(err))) {
		p_err("kho: %s", err);
		ret = EXIT_FAIL;
	} else if (!st.supported) {
		p_err("kho: not supported by this kernel (no CONFIG_KEXEC_HANDOVER)");
		ret = EXIT_UNSUPPORTED;
	} else if (!st.enabled) {
		p_err("kho: disabled on this kernel (boot with kho=on)");
		ret = EXIT_UNSUPPORTED;
	} else if (tracer__probe_mode(why, sizeof(why)) == KT_MODE_NONE) {
		p_err("cannot trace: %s", why);
		ret = EXIT_UNSUPPORTED;
	}
	if (ret == EXIT_OK && state)
		*state = st;	/* the caller's to free */
	else
		kho_state__free(&st);
	return ret;
}

void session__setup_signals(void)
{
	struct sigaction sa = { .sa_handler = sig_handler };
	struct sigaction chld = { .sa_handler = sigchld_handler, .sa_flags = SA_RESTART };

	/* no SA_RESTART: poll() returns -EINTR and the loop sees exiting */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * A command that ends wakes the loop instead of leaving it to the
	 * poll's timeout: epoll_wait() returns -EINTR even with SA_RESTART,
	 * which keeps every other call of the process uninterrupted; one
	 * that ends while the loop handles events makes its next poll not
	 * wait.
	 */
	sigaction(SIGCHLD, &chld, NULL);
}

int session__run(struct session *s, struct tracer *t, pid_t child, int *child_status)
{
	__u64 deadline = s->duration ? clock_ns(CLOCK_MONOTONIC) + s->duration * 1000000000ULL : 0;
	int err;

	while (!exiting) {
		err = tracer__poll(t, child_exited ? 0 : 100);
		if (err < 0) {
			p_err("failed to poll the ring buffer: %s", strerror(-err));
			return err;
		}
		if (deadline && clock_ns(CLOCK_MONOTONIC) >= deadline)
			break;
		if (child > 0 && waitpid(child, child_status, WNOHANG) == child) {
			p_info("command exited");
			break;
		}
	}
	if (child > 0 && exiting) {
		/* pass the signal on, then reap */
		kill(child, SIGTERM);
		waitpid(child, child_status, 0);
	}
	return 0;
}

void session__describe(const struct tracer *t, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %d programs, attached in %llu ms",
		 kt_mode_name(tracer__mode(t)), tracer__nr_attached(t),
		 (unsigned long long)(clock_ns(CLOCK_MONOTONIC) - env.t0_ns) / 1000000);
}
