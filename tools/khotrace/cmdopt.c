// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* cmdopt: a command's options from one table */
#include <string.h>

#include "cmdopt.h"
#include "util.h"

static const struct cmd_opt help_opt = { "help", no_argument, 'h', NULL, "this help" };

static void build(struct cmd_args *a)
{
	char *s = a->sopts;
	int n = 0;

	if (a->flags & CMD_ARGS_STOP)
		*s++ = '+';
	for (const struct cmd_opt *o = a->opts; ; o++) {
		if (!o->name)
			o = &help_opt;
		a->lopts[n++] = (struct option){ o->name, o->has_arg, NULL, o->val };
		if (o->val < 256) {
			*s++ = o->val;
			if (o->has_arg != no_argument)
				*s++ = ':';
			if (o->has_arg == optional_argument)
				*s++ = ':';
		}
		if (o == &help_opt || n == CMD_MAX_OPTS)
			break;
	}
	a->lopts[n] = (struct option){ 0 };
	*s = '\0';
}

int cmd_getopt(struct cmd_args *a)
{
	int c;

	if (!a->sopts[0] && !a->lopts[0].name) {
		a->exit = -1;
		build(a);
	}
	while ((c = getopt_long(a->argc, a->argv, a->sopts, a->lopts, NULL)) != -1) {
		if (c == 'j') {
			env.json = true;
			continue;
		}
		if (c == 'h') {
			a->usage(stdout);
			a->exit = EXIT_OK;
		} else if (c == '?' || c == ':') {
			a->usage(stderr);
			a->exit = EXIT_USAGE;
		}
		return a->exit >= 0 ? 0 : c;
	}
	if (optind < a->argc && !(a->flags & (CMD_ARGS_POSITIONAL | CMD_ARGS_STOP))) {
		p_err("%s: unexpected argument '%s'", a->cmd, a->argv[optind]);
		a->exit = EXIT_USAGE;
	}
	return 0;
}

/* "-x, --name=ARG", "    --name=ARG" or "    --name[=ARG]" */
static int opt_label(char *buf, size_t size, const struct cmd_opt *o)
{
	bool opt = o->has_arg == optional_argument;

	return snprintf(buf, size, "%c%c%s --%s%s%s%s", o->val < 256 ? '-' : ' ',
			o->val < 256 ? o->val : ' ', o->val < 256 ? "," : " ", o->name,
			o->arg ? (opt ? "[=" : "=") : "", o->arg ?: "", o->arg && opt ? "]" : "");
}

static void usage_opts(FILE *f, const struct cmd_opt *opts)
{
	const struct cmd_opt *o;
	char label[64];
	int width = 0;

	for (o = opts; ; o++) {
		const struct cmd_opt *p = o->name ? o : &help_opt;
		int n = opt_label(label, sizeof(label), p);

		if (n > width)
			width = n;
		if (!o->name)
			break;
	}
	for (o = opts; ; o++) {
		const struct cmd_opt *p = o->name ? o : &help_opt;
		const char *h = p->help;

		opt_label(label, sizeof(label), p);
		fprintf(f, "  %-*s  ", width, label);
		for (;;) {
			size_t len = strcspn(h, "\n");

			fprintf(f, "%.*s\n", (int)len, h);
			if (!h[len])
				break;
			h += len + 1;
			fprintf(f, "  %-*s  ", width, "");
		}
		if (!o->name)
			break;
	}
}

void cmd_usage(FILE *f, const struct cmd_opt *opts, const char *head, const char *tail)
{
	for (const char *p = head; *p; p++) {
		if (p[0] == '%' && (p[1] == 's' || p[1] == '%')) {
			fputs(p[1] == 's' ? bin_name : "%", f);
			p++;
		} else {
			fputc(*p, f);
		}
	}
	fputs("Options:\n", f);
	usage_opts(f, opts);
	fputs(tail, f);
}
