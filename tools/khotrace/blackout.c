// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* blackout: parse, compute and print the last kexec's blackout timeline */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blackout.h"
#include "util.h"
#include "json.h"
#include "kho_state.h"

static int bad(char *err, size_t errlen, int lineno, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "%s line %d: ", BLACKOUT_FILE, lineno);
	if (n < 0 || (size_t)n >= errlen)
		return -EINVAL;
	va_start(ap, fmt);
	err_vset(err + n, errlen - n, -EINVAL, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_phase(struct blackout *bo, const struct kv_words *w,
		       char *err, size_t errlen, int lineno)
{
	struct bo_phase *p;
	bool have_side = false, have_tsc = false;

	if (bo->nr >= BLACKOUT_MAX_PHASES)
		return bad(err, errlen, lineno, "more than %d phases", BLACKOUT_MAX_PHASES);
	p = &bo->phases[bo->nr];
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < w->n; i++) {
		const char *k = w->key[i], *v = w->val[i];

		if (!v)
			return bad(err, errlen, lineno, "'%s' is not key=value", k);
		if (!strcmp(k, "phase")) {
			if (!*v || strlen(v) >= sizeof(p->name))
				return bad(err, errlen, lineno, "bad phase name '%s'", v);
			strcpy(p->name, v);
		} else if (!strcmp(k, "side")) {
			if (strcmp(v, "out") && strcmp(v, "in"))
				return bad(err, errlen, lineno, "side '%s' is neither out nor in", v);
			p->out = !strcmp(v, "out");
			have_side = true;
		} else if (!strcmp(k, "tsc")) {
			if (parse_u64(v, &p->tsc, 10) || !p->tsc)
				return bad(err, errlen, lineno, "bad tsc '%s'", v);
			have_tsc = true;
		} else if (!strcmp(k, "ranges")) {
			if (parse_u64(v, &p->ranges, 10))
				return bad(err, errlen, lineno, "bad ranges '%s'", v);
			p->has_mem = true;
		} else if (!strcmp(k, "bytes")) {
			if (parse_u64(v, &p->bytes, 10))
				return bad(err, errlen, lineno, "bad bytes '%s'", v);
			p->has_mem = true;
		}
		/* ns= is the kernel's own conversion, recomputed here; new keys are ignored */
	}
	if (!have_side || !have_tsc)
		return bad(err, errlen, lineno, "phase %s without side or tsc", p->name);
	if (bo->nr && p->out && !bo->phases[bo->nr - 1].out)
		return bad(err, errlen, lineno, "phase %s of the way out after the way in", p->name);
	bo->nr++;
	return 0;
}

static int parse_clock(struct blackout *bo, const struct kv_words *w,
		       char *err, size_t errlen, int lineno)
{
	__u64 v;

	for (int i = 0; i < w->n; i++) {
		if (!w->val[i])
			continue;
		if (!strcmp(w->key[i], "clock") && !strcmp(w->val[i], "none")) {
			bo->state = BO_NO_CLOCK;
		} else if (!strcmp(w->key[i], "clock") && strcmp(w->val[i], "tsc")) {
			return bad(err, errlen, lineno, "unknown clock '%s'", w->val[i]);
		} else if (!strcmp(w->key[i], "tsc_khz") || !strcmp(w->key[i], "prev_tsc_khz")) {
			if (parse_u64(w->val[i], &v, 10) || v > UINT32_MAX)
				return bad(err, errlen, lineno, "bad %s '%s'", w->key[i], w->val[i]);
			if (w->key[i][0] == 't')
				bo->tsc_khz = v;
			else
				bo->prev_tsc_khz = v;
		}
	}
	return 0;
}

int blackout__parse(const char *text, struct blackout *bo, char *err, size_t errlen)
{
	char line[512];
	struct kv_words w;
	bool have_clock = false;
	int lineno = 1, ret;

	memset(bo, 0, sizeof(*bo));
	ret = kho_format__check(text, BLACKOUT_FILE, KHO_FMT_BLACKOUT, &text, err, errlen);
	if (ret)
		return ret;
	while (*text) {
		size_t len = strcspn(text, "\n");

		lineno++;
		if (len >= sizeof(line))
			return bad(err, errlen, lineno, "longer than %zu bytes", sizeof(line) - 1);
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (text[len] == '\n');

		if (!strcmp(line, "no kexec")) {
			bo->state = BO_NO_KEXEC;
			return 0;
		}
		if (!strcmp(line, "no stamps")) {
			bo->state = BO_NO_STAMPS;
			continue;
		}
		/* words past the first KV_MAX_WORDS are ignored, as new keys are */
		kv_split(line, " \t", &w, KV_MAX_WORDS);
		if (!w.n)
			continue;
		if (!strcmp(w.key[0], "clock")) {
			ret = parse_clock(bo, &w, err, errlen, lineno);
			have_clock = true;
		} else if (!strcmp(w.key[0], "phase")) {
			ret = parse_phase(bo, &w, err, errlen, lineno);
		} else {
			ret = 0;	/* total and lines added later */
		}
		if (ret)
			return ret;
	}
	if (!have_clock)
		return bad(err, errlen, lineno, "no clock line and no \"no kexec\"");
	if (bo->state == BO_NO_CLOCK)
		return 0;
	if (!bo->tsc_khz)
		return bad(err, errlen, lineno, "tsc_khz is 0");
	if (bo->state == BO_OK && (!bo->nr || !bo->phases[0].out))
		return bad(err, errlen, lineno, "no stamp of the way out");
	return 0;
}

__u64 blackout__ns(__u64 ticks, __u32 khz)
{
	unsigned __int128 ns;

	if (!khz)
		return 0;
	/* saturated: a corrupt timeline (a tiny tsc_khz) must not wrap around */
	ns = (unsigned __int128)ticks * 1000000 / khz;
	return ns > UINT64_MAX ? UINT64_MAX : (__u64)ns;
}

int blackout__compute(struct blackout *bo, char *err, size_t errlen)
{
	__u64 t0, jump = 0;

	bo->total_ns = bo->out_ns = bo->in_ns = bo->sum_ns = 0;
	if (bo->state == BO_NO_KEXEC || bo->state == BO_NO_CLOCK || !bo->nr)
		return 0;

	t0 = bo->phases[0].tsc;
	for (int i = 0; i < bo->nr; i++) {
		struct bo_phase *p = &bo->phases[i];

		if (i && p->tsc < bo->phases[i - 1].tsc)
			return err_set(err, errlen, -EINVAL, "the clock went back from %s to %s",
				       bo->phases[i - 1].name, p->name);
		p->start_ns = blackout__ns(p->tsc - t0, bo->tsc_khz);
		p->dur_ns = i + 1 < bo->nr ?
			blackout__ns(bo->phases[i + 1].tsc - p->tsc, bo->tsc_khz) : 0;
		bo->sum_ns += p->dur_ns;
		if (p->out)
			jump = p->tsc;
	}
	bo->total_ns = blackout__ns(bo->phases[bo->nr - 1].tsc - t0, bo->tsc_khz);
	if (jump) {
		bo->out_ns = blackout__ns(jump - t0, bo->tsc_khz);
		bo->in_ns = blackout__ns(bo->phases[bo->nr - 1].tsc - jump, bo->tsc_khz);
	}
	for (int i = 0; i < bo->nr; i++)
		bo->phases[i].share = bo->total_ns ?
			100.0 * bo->phases[i].dur_ns / bo->total_ns : 0;
	return 0;
}

int blackout__read(const char *root, struct blackout *bo, char *err, size_t errlen)
{
	char path[512], *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", root ?: KHO_DEBUGFS, BLACKOUT_FILE);
	f = fopen(path, "re");
	if (!f)
		return err_set(err, errlen, -errno, "cannot read %s: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 8192);

			if (!nb) {
				ret = err_set(err, errlen, -ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
			cap += 8192;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		if (!n)
			break;
		len += n;
	}
	if (ferror(f)) {
		ret = err_set(err, errlen, -EIO, "cannot read %s", path);
		goto out;
	}
	buf[len] = '\0';
	ret = blackout__parse(buf, bo, err, errlen);
	if (!ret)
		ret = blackout__compute(bo, err, errlen);
out:
	free(buf);
	fclose(f);
	return ret;
}

const struct bo_phase *blackout__find(const struct blackout *bo, const char *name)
{
	for (int i = 0; i < bo->nr; i++)
		if (!strcmp(bo->phases[i].name, name))
			return &bo->phases[i];
	return NULL;
}

const char *blackout__state_str(enum bo_state state)
{
	switch (state) {
	case BO_OK:		return "ok";
	case BO_NO_KEXEC:	return "no kexec";
	case BO_NO_STAMPS:	return "no stamps";
	case BO_NO_CLOCK:	return "no clock";
	}
	return "?";
}

static double ms(__u64 ns)
{
	return ns / 1e6;
}

void blackout__print(FILE *f, const struct blackout *bo)
{
	switch (bo->state) {
	case BO_NO_KEXEC:
		fprintf(f, "no kexec: this kernel was cold booted, there is no blackout to report\n");
		return;
	case BO_NO_CLOCK:
		fprintf(f, "no clock: the kernel has no clock that survives kexec on this machine\n");
		return;
	case BO_NO_STAMPS:
		fprintf(f, "# the previous kernel handed over no stamps: the way in only\n");
		break;
	case BO_OK:
		break;
	}
	if (!bo->nr)
		return;

	fprintf(f, "# kexec blackout: %.3f ms, %s -> %s\n", ms(bo->total_ns),
		bo->phases[0].name, bo->phases[bo->nr - 1].name);
	if (bo->state == BO_OK)
		fprintf(f, "#   way out %.3f ms, way in %.3f ms\n", ms(bo->out_ns), ms(bo->in_ns));
	fprintf(f, "# clock: tsc at %u kHz (previous kernel %u kHz)\n", bo->tsc_khz,
		bo->prev_tsc_khz);
	fprintf(f, "\n%-14s %-4s %12s %12s %7s\n", "PHASE", "SIDE", "START ms", "DURATION ms",
		"SHARE");
	for (int i = 0; i < bo->nr; i++) {
		const struct bo_phase *p = &bo->phases[i];

		if (i + 1 == bo->nr) {
			fprintf(f, "%-14s %-4s %12.3f %12s %7s\n", p->name, p->out ? "out" : "in",
				ms(p->start_ns), "end", "-");
			continue;
		}
		fprintf(f, "%-14s %-4s %12.3f %12.3f %6.1f%%\n", p->name, p->out ? "out" : "in",
			ms(p->start_ns), ms(p->dur_ns), p->share);
	}
	for (int i = 0; i < bo->nr; i++) {
		const struct bo_phase *p = &bo->phases[i];

		if (p->has_mem)
			fprintf(f, "\n# %s: %llu preserved ranges, %.1f MiB (%llu bytes), "
				"%.1f MiB/s\n", p->name, (unsigned long long)p->ranges,
				p->bytes / 1048576.0, (unsigned long long)p->bytes,
				p->dur_ns ? p->bytes / 1048576.0 / (p->dur_ns / 1e9) : 0);
	}
}

void blackout__json(FILE *f, const struct blackout *bo)
{
	struct json j;

	json_init(&j, f);
	json_obj_open(&j);
	json_key(&j, "blackout");
	json_obj_open(&j);
	json_kv_str(&j, "state", blackout__state_str(bo->state));
	json_kv_bool(&j, "kexec", bo->state == BO_OK || bo->state == BO_NO_STAMPS);
	if (bo->state == BO_OK || bo->state == BO_NO_STAMPS) {
		json_kv_str(&j, "clock", "tsc");
		json_kv_u64(&j, "tsc_khz", bo->tsc_khz);
		json_kv_u64(&j, "prev_tsc_khz", bo->prev_tsc_khz);
		json_kv_u64(&j, "total_ns", bo->total_ns);
		json_kv_u64(&j, "out_ns", bo->out_ns);
		json_kv_u64(&j, "in_ns", bo->in_ns);
		json_key(&j, "phases");
		json_arr_open(&j);
		for (int i = 0; i < bo->nr; i++) {
			const struct bo_phase *p = &bo->phases[i];

			json_obj_open(&j);
			json_kv_str(&j, "phase", p->name);
			json_kv_str(&j, "side", p->out ? "out" : "in");
			json_kv_u64(&j, "tsc", p->tsc);
			json_kv_u64(&j, "start_ns", p->start_ns);
			json_kv_u64(&j, "duration_ns", p->dur_ns);
			json_kv_float(&j, "share", p->share);
			if (p->has_mem) {
				json_kv_u64(&j, "ranges", p->ranges);
				json_kv_u64(&j, "bytes", p->bytes);
			}
			json_obj_close(&j);
		}
		json_arr_close(&j);
	}
	json_obj_close(&j);
	json_obj_close(&j);
	fputc('\n', f);
}
