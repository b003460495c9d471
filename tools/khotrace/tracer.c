// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpfsize.h"
#include "khotrace.h"
#include "khotrace.skel.h"
#include "ksyms.h"
#include "main.h"
#include "tracer.h"
#include "util.h"

/*
 * The verifier checks one program at a time, and checking them was most
 * of the start: about 45 us per instruction under emulation, 250 ms for
 * the 17 tracepoint programs. They are loaded from two more copies of the
 * object, one per CPU, each with about half of the instructions (as
 * counted before the subprograms are added), which share the maps of the
 * skeleton's object (bpf_map__reuse_fd()): libbpf 1.1 has no way to
 * create an object's maps but loading it, so the skeleton is loaded with
 * no program.
 */
#define TRACER_PARTS	2

struct tracer_part {
	struct bpf_object *obj;
	int err;
};

struct ksyms_job;

struct tracer {
	struct khotrace_bpf *skel;	/* the maps and global data */
	struct tracer_part parts[TRACER_PARTS];
	struct ring_buffer *rb;
	struct bpf_link **links;
	int nr_links;
	int mode;
	struct tracer_opts opts;
	struct ksyms *ksyms;
	struct ksyms_job *ksyms_job;	/* reading them, until the first producer */
	char *producers[KT_MAX_STACK_IDS];	/* stack id -> producer, cached */
	struct kt_count flushed[KT_NR_RANGE_OPS][KT_KIND_MAX];
	bool stopped;
};

static const char *tp_probe = "btf_trace_kho_preserve_folio";

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/*
 * The kernel's BTF, parsed once per process and kept: every parse took a
 * few hundred milliseconds under emulation, and starting to trace asked
 * for it three times (the preflight, the mode, the program selection)
 * before libbpf's own parse at load.
 */
static const struct btf *vmlinux_btf(void)
{
	static struct btf *btf;
	struct stat st;
	void *data;
	int fd;

	if (btf)
		return btf;
	/*
	 * Mapped where the kernel allows it (6.16 on): read(), as libbpf does,
	 * returns a page per call, 50 ms of syscalls under emulation.
	 */
	fd = open(VMLINUX_BTF, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && !fstat(fd, &st) && st.st_size > 0) {
		data = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (data != MAP_FAILED) {
			btf = btf__new(data, st.st_size);	/* copies */
			munmap(data, st.st_size);
		}
	}
	if (fd >= 0)
		close(fd);
	if (!btf)
		btf = btf__load_vmlinux_btf();
	return btf;
}

/* log2(sizeof(struct page)) when a power of two, else 0 */
static __u32 page_struct_shift(const struct btf *btf)
{
	__s32 id = btf ? btf__find_by_name_kind(btf, "page", BTF_KIND_STRUCT) : -1;
	__s64 size = id >= 0 ? btf__resolve_size(btf, id) : -1;

	if (size <= 0 || (size & (size - 1)))
		return 0;
	return __builtin_ctzll(size);
}

/*
 * The arguments kho_preserve_folio's tracepoint passes (folio, phys,
 * order, ret): the series before them passed (folio, ret), which the
 * tp_btf programs cannot read.
 */
#define KT_TP_PRESERVE_FOLIO_ARGS 4

/* How many arguments the tracepoint of typedef @id passes, or -1 */
static int tp_nr_args(const struct btf *btf, __s32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	/* btf_trace_X: a pointer to void (*)(void *data, args...) */
	if (t && btf_is_typedef(t))
		t = btf__type_by_id(btf, t->type);
	if (t && btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);
	if (!t || !btf_is_func_proto(t) || !btf_vlen(t))
		return -1;
	return btf_vlen(t) - 1;
}

static void *warm_up_fn(void *arg)
{
	/* libbpf's probe loads the smallest program of the type */
	libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SOCKET_FILTER, NULL);
	return NULL;
}

/*
 * The kernel parses its own BTF at the first BPF program load of a boot,
 * 45 ms under emulation, which the first start after a kexec waited for
 * in the skeleton's load. Have another CPU load a program meanwhile: the
 * load that comes later finds the parse done, or waits on the kernel's
 * lock for what is left of it.
 */
void tracer__warm_up(void)
{
	pthread_t thread;

	if (!thread_start(&thread, warm_up_fn, NULL))
		pthread_detach(thread);
}

int tracer__probe_mode(char *why, size_t size)
{
	const struct btf *btf = vmlinux_btf();
	int mode, nr_args;
	__s32 id;

	if (!btf) {
		snprintf(why, size, "no vmlinux BTF (" VMLINUX_BTF "): %s",
			 strerror(errno));
		return KT_MODE_NONE;
	}
	id = btf__find_by_name_kind(btf, tp_probe, BTF_KIND_TYPEDEF);
	nr_args = id >= 0 ? tp_nr_args(btf, id) : -1;
	if (id >= 0 && nr_args == KT_TP_PRESERVE_FOLIO_ARGS) {
		snprintf(why, size, "kho:* tracepoints present (%s in vmlinux BTF)", tp_probe);
		mode = KT_MODE_TRACEPOINT;
	} else if (id >= 0) {
		snprintf(why, size, "kho:* tracepoints of another version of the series "
			 "(kho_preserve_folio passes %d arguments, this khotrace reads %d), "
			 "fentry/fexit on the KHO API", nr_args, KT_TP_PRESERVE_FOLIO_ARGS);
		mode = KT_MODE_FENTRY;
	} else if (btf__find_by_name_kind(btf, "kho_preserve_folio", BTF_KIND_FUNC) >= 0) {
		snprintf(why, size, "no kho:* tracepoints (kernel without the khotrace series), "
			 "fentry/fexit on the KHO API");
		mode = KT_MODE_FENTRY;
	} else {
		snprintf(why, size, "kernel without KHO (kho_preserve_folio not in vmlinux BTF)");
		mode = KT_MODE_NONE;
	}
	return mode;
}

/* "fexit/kho_preserve_folio" -> program set and BTF name of its target */
static int prog_target(const struct bpf_program *prog, char *name, size_t size)
{
	const char *sec = bpf_program__section_name(prog);
	const char *target = strchr(sec, '/');

	if (!target)
		return KT_MODE_NONE;
	if (!strncmp(sec, "tp_btf/", 7)) {
		snprintf(name, size, "btf_trace_%s", target + 1);
		return KT_MODE_TRACEPOINT;
	}
	snprintf(name, size, "%s", target + 1);
	return KT_MODE_FENTRY;
}

/*
 * Keep the programs of @mode whose target is in @btf. One pass over the
 * kernel's types: a btf__find_by_name_kind() per program walked all of
 * them each time, 50 ms of the start under emulation.
 */
int tracer__select_programs(struct bpf_object *obj, const struct btf *btf, int mode)
{
	/* a tp_btf program's target is a typedef, an fentry one's a function */
	int kind = mode == KT_MODE_TRACEPOINT ? BTF_KIND_TYPEDEF : BTF_KIND_FUNC;
	struct want {
		struct bpf_program *prog;
		char target[128];
		bool found;
	} *want;
	struct bpf_program *prog;
	int nr = 0, n = 0;
	__u32 nr_types;

	bpf_object__for_each_program(prog, obj)
		nr++;
	want = calloc(nr ?: 1, sizeof(*want));
	if (!want)
		return -ENOMEM;
	nr = 0;
	bpf_object__for_each_program(prog, obj) {
		bpf_program__set_autoload(prog, false);
		if (mode != KT_MODE_NONE &&
		    prog_target(prog, want[nr].target, sizeof(want[nr].target)) == mode)
			want[nr++].prog = prog;
	}
	nr_types = btf ? btf__type_cnt(btf) : 0;
	for (__u32 id = 1; id < nr_types; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (btf_kind(t) != kind)
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		for (int i = 0; name && i < nr; i++)
			if (!want[i].found && !strcmp(name, want[i].target))
				want[i].found = true;
	}
	for (int i = 0; i < nr; i++) {
		if (!want[i].found) {
			p_info("skipping %s: %s not in vmlinux BTF",
			       bpf_program__name(want[i].prog), want[i].target);
			continue;
		}
		bpf_program__set_autoload(want[i].prog, true);
		n++;
	}
	free(want);
	return n;
}

/* node pfn spans from /proc/zoneinfo for phys -> node in BPF */
static void set_node_spans(struct khotrace_bpf *skel)
{
	char line[256];
	int node = -1, max_node = -1;
	unsigned long long start = 0, spanned;
	FILE *f;

	f = fopen("/proc/zoneinfo", "re");
	if (!f) {
		p_info("no /proc/zoneinfo: every range is reported on node 0");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		int n;

		if (sscanf(line, "Node %d, zone", &n) == 1) {
			node = n < KT_MAX_NODES ? n : -1;
			continue;
		}
		if (node < 0)
			continue;
		if (sscanf(line, " spanned %llu", &spanned) == 1)
			continue;
		if (sscanf(line, " start_pfn: %llu", &start) == 1) {
			__u64 *s = (__u64 *)&skel->rodata->node_start_pfn[node];
			__u64 *e = (__u64 *)&skel->rodata->node_end_pfn[node];

			/* spanned precedes start_pfn in each zone block */
			if (!spanned)
				continue;
			if (!*e || start < *s)
				*s = start;
			if (start + spanned > *e)
				*e = start + spanned;
			if (node > max_node)
				max_node = node;
			spanned = 0;
		}
	}
	fclose(f);
	skel->rodata->nr_nodes = max_node + 1;
}

/*
 * The kernel's symbols, for the producers of the events, read from
 * /proc/kallsyms on another CPU while the traced command runs: the read
 * took 80 ms under emulation, which the first event, or the end of a
 * record, waited for. It starts once the programs are attached, so that
 * their own symbols (bpf_prog_*, skipped in the frames) are in it.
 *
 * The thread and the tracer share the job until one of them is done with
 * it: the first producer takes the symbols (ksyms_get() joins the
 * thread), or, when there was no event, tracer__free() leaves the job to
 * the thread, which frees it: a short run does not wait for a read it
 * does not need.
 */
struct ksyms_job {
	pthread_t thread;
	pthread_mutex_t lock;
	bool finished, abandoned;	/* under lock */
	char *modules;			/* the modules when the read began */
	struct ksyms *ksyms;
};

/*
 * The loaded modules as "NAME SIZE STATE ADDRESS" lines, or NULL: what
 * /proc/modules says of them but their use counts and users, which
 * change without moving any symbol.
 */
static char *modules_now(void)
{
	char *text, *out, *line, *save = NULL;
	size_t len, n = 0;

	if (read_file("/proc/modules", (void **)&text, &len))
		return NULL;
	out = malloc(len + 1);
	for (line = strtok_r(text, "\n", &save); out && line; line = strtok_r(NULL, "\n", &save)) {
		char name[64], size[24], state[16], addr[24];

		/* each field out is one in: the text only shrinks */
		if (sscanf(line, "%63s %23s %*s %*s %15s %23s", name, size, state, addr) == 4)
			n += snprintf(out + n, len + 1 - n, "%s %s %s %s\n", name, size, state, addr);
	}
	if (out)
		out[n] = '\0';
	free(text);
	return out;
}

static void ksyms_job_free(struct ksyms_job *job)
{
	free(job->modules);
	ksyms__free(job->ksyms);
	pthread_mutex_destroy(&job->lock);
	free(job);
}

static void *ksyms_thread_fn(void *arg)
{
	struct ksyms_job *job = arg;
	bool abandoned;

	job->modules = modules_now();
	job->ksyms = ksyms__load(NULL);
	pthread_mutex_lock(&job->lock);
	job->finished = true;
	abandoned = job->abandoned;
	pthread_mutex_unlock(&job->lock);
	if (abandoned)
		ksyms_job_free(job);
	return NULL;
}

static void ksyms_start(struct tracer *t)
{
	struct ksyms_job *job = calloc(1, sizeof(*job));

	if (!job || pthread_mutex_init(&job->lock, NULL)) {
		free(job);
		return;
	}
	if (thread_start(&job->thread, ksyms_thread_fn, job)) {
		ksyms_job_free(job);
		return;
	}
	t->ksyms_job = job;
}

/* tracer__free(): the job is left to its thread unless it finished */
static void ksyms_drop(struct tracer *t)
{
	struct ksyms_job *job = t->ksyms_job;
	pthread_t thread;
	bool finished;

	if (!job)
		return;
	t->ksyms_job = NULL;
	thread = job->thread;
	pthread_mutex_lock(&job->lock);
	finished = job->finished;
	job->abandoned = !finished;
	pthread_mutex_unlock(&job->lock);
	if (!finished) {
		pthread_detach(thread);	/* job is the thread's now */
		return;
	}
	pthread_join(thread, NULL);
	ksyms_job_free(job);
}

/*
 * The symbols for the first producer: the thread's, unless a module came
 * or went since it began (its addresses would name the wrong symbol).
 */
static void ksyms_get(struct tracer *t)
{
	struct ksyms_job *job = t->ksyms_job;
	char *now;

	if (job) {
		t->ksyms_job = NULL;
		pthread_join(job->thread, NULL);
		now = modules_now();
		/* no /proc/modules at all: a kernel without modules */
		if (job->ksyms && !now == !job->modules && (!now || !strcmp(now, job->modules))) {
			t->ksyms = job->ksyms;
			job->ksyms = NULL;
		}
		free(now);
		ksyms_job_free(job);
	}
	if (!t->ksyms) {
		p_info("first event: reading the kernel symbols");
		t->ksyms = ksyms__load(NULL);
	}
	p_info("kernel symbols read, for the producers");
}

static const char *resolve_producer(struct tracer *t, __u32 stack_id)
{
	__u64 ips[KT_MAX_STACK_DEPTH] = {};
	const char *frames[KT_MAX_STACK_DEPTH];
	char buf[KT_PRODUCER_LEN];
	int fd, n = 0;

	if (stack_id == KT_NO_STACK || stack_id >= KT_MAX_STACK_IDS)
		return "unknown";
	if (t->producers[stack_id])
		return t->producers[stack_id];
	fd = bpf_map__fd(t->skel->maps.stacks);
	if (bpf_map_lookup_elem(fd, &stack_id, ips))
		return "unknown";
	if (!t->ksyms)
		ksyms_get(t);	/* the only reader of t->ksyms_job and t->ksyms */
	for (int i = 0; i < KT_MAX_STACK_DEPTH && ips[i]; i++)
		frames[n++] = ksyms__map_addr(t->ksyms, ips[i]);
	kt_producer_from_frames(frames, n, buf, sizeof(buf));
	t->producers[stack_id] = strdup(buf);
	return t->producers[stack_id] ?: "unknown";
}

static int deliver(struct tracer *t, const struct kt_event *e)
{
	struct kt_record r;
	const char *producer = resolve_producer(t, e->stack_id);
	size_t n = strnlen(producer, sizeof(r.producer) - 1);

	/* per event: no printf, no zeroing of what is overwritten */
	memcpy(&r.ev, e, sizeof(r.ev));
	memcpy(r.producer, producer, n);
	memset(r.producer + n, 0, sizeof(r.producer) - n);
	return t->opts.on_record && t->opts.ctx ? t->opts.on_record(t->opts.ctx, &r) : 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	if (size < sizeof(struct kt_event))
		return 0;
	return deliver(ctx, data);
}

/*
 * The skeleton loads no program, so libbpf has no CO-RE relocation to do
 * for it, but it parses the kernel's BTF for them all the same unless it
 * is given a BTF of its own for them (btf_custom_path): an empty one, in
 * a memfd, saves that parse (40 ms under emulation; the copies parse the
 * kernel's BTF for their programs). A file descriptor to close, its path
 * in @path; -errno (the skeleton then parses the kernel's).
 */
static int empty_btf(char *path, size_t size)
{
	struct btf *btf = btf__new_empty();
	const void *raw;
	__u32 len;
	int fd;

	if (!btf)
		return -errno;
	raw = btf__raw_data(btf, &len);
	fd = raw ? memfd_create("khotrace-no-core", MFD_CLOEXEC) : -1;
	if (fd >= 0 && write(fd, raw, len) != (ssize_t)len) {
		close(fd);
		fd = -1;
	}
	btf__free(btf);
	if (fd < 0)
		return -EIO;
	snprintf(path, size, "/proc/self/fd/%d", fd);
	/* libbpf opens it by that path: no /proc, no empty BTF */
	if (access(path, R_OK)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* the copies of the object, opened while the skeleton is set up and loaded */
static void *open_parts(void *arg)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "khotrace_bpf");
	struct tracer *t = arg;
	const void *elf;
	size_t size;

	elf = khotrace_bpf__elf_bytes(&size);
	for (int i = 0; i < TRACER_PARTS; i++) {
		t->parts[i].obj = bpf_object__open_mem(elf, size, &opts);
		t->parts[i].err = t->parts[i].obj ? 0 : -errno;
	}
	return NULL;
}

/*
 * Resolve the targets of a part's programs, as its load would: the first
 * parses the kernel's BTF into the part's object (libbpf reads the file a
 * page per call), which libbpf keeps for the load. Run while the skeleton
 * creates the maps, this took 40 ms off a first start under emulation. A
 * target not resolved here is looked up again at load, which reports it.
 */
static void *resolve_part(void *arg)
{
	struct tracer_part *part = arg;
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, part->obj) {
		const char *target = strchr(bpf_program__section_name(prog), '/');

		if (bpf_program__autoload(prog) && target)
			bpf_program__set_attach_target(prog, 0, target + 1);
	}
	return NULL;
}

static void *load_part(void *arg)
{
	struct tracer_part *part = arg;

	part->err = bpf_object__load(part->obj);
	return NULL;
}

/*
 * Split the programs the selection kept in the skeleton's object between
 * the parts: each, biggest first, to the part with fewer instructions so
 * far, counted with the subprograms it will carry (verifying a program
 * takes time in proportion; its own instructions alone left one part with
 * 4116 to verify and the other 2782). part[i] is the part of the object's
 * i-th program, -1 for none. The skeleton keeps none: it is loaded for
 * its maps only.
 */
static int split_programs(struct bpf_object *obj, signed char **partp)
{
	size_t weight[TRACER_PARTS] = {}, *cnt, size;
	struct bpf_program *prog;
	signed char *part;
	const void *elf;
	int nr = 0, i;

	bpf_object__for_each_program(prog, obj)
		nr++;
	part = malloc(nr ?: 1);
	cnt = calloc(nr ?: 1, sizeof(*cnt));
	if (!part || !cnt) {
		free(part);
		free(cnt);
		return -ENOMEM;
	}
	memset(part, -1, nr);
	elf = khotrace_bpf__elf_bytes(&size);
	/* else each program's own count, which it leaves in cnt[] */
	bpf_linked_insn_cnts(elf, size, obj, cnt, nr);
	for (;;) {
		int big = -1, to;

		i = 0;
		bpf_object__for_each_program(prog, obj) {
			if (part[i] < 0 && bpf_program__autoload(prog) &&
			    (big < 0 || cnt[i] > cnt[big]))
				big = i;
			i++;
		}
		if (big < 0)
			break;
		to = weight[1] < weight[0];
		part[big] = to;
		weight[to] += cnt[big];
	}
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, false);
	free(cnt);
	*partp = part;
	return nr;
}

/* the part of the skeleton's program @name (split_programs()), -1 for none */
static int part_of(struct bpf_object *obj, const signed char *part, const char *name)
{
	struct bpf_program *prog;
	int i = 0;

	bpf_object__for_each_program(prog, obj) {
		if (!strcmp(bpf_program__name(prog), name))
			return part[i];
		i++;
	}
	return -1;
}

/* part @n of the programs to a copy of the object */
static void select_part(struct tracer *t, int n, const signed char *part)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, t->parts[n].obj)
		bpf_program__set_autoload(prog, part_of(t->skel->obj, part,
							bpf_program__name(prog)) == n);
}

/* the skeleton's maps to copy @n of the object */
static int share_maps(struct tracer *t, int n)
{
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map(map, t->parts[n].obj) {
		const struct bpf_map *shared;

		shared = bpf_object__find_map_by_name(t->skel->obj, bpf_map__name(map));
		if (!shared)
			return -ENOENT;
		err = bpf_map__reuse_fd(map, bpf_map__fd(shared));
		if (err)
			return err;
	}
	return 0;
}

/*
 * The selected programs split between the parts, whose targets are
 * resolved on the other CPUs while this one creates the skeleton's maps;
 * then the parts loaded on two CPUs. @opener opened the parts (if
 * @opened, else they are opened here).
 */
static int load_programs(struct tracer *t, pthread_t opener, bool opened, char *err_msg,
			 size_t err_size)
{
	pthread_t resolver[TRACER_PARTS], loader;
	bool resolving[TRACER_PARTS] = {};
	signed char *part = NULL;
	bool threaded;
	int nr, err = 0;

	nr = split_programs(t->skel->obj, &part);
	if (opened)
		pthread_join(opener, NULL);
	else
		open_parts(t);
	if (nr < 0) {
		err = err_set(err_msg, err_size, nr, "out of memory");
		goto out;
	}
	for (int i = 0; i < TRACER_PARTS && !err; i++)
		if ((err = t->parts[i].err))
			err_set(err_msg, err_size, err, "failed to open the BPF object: %s",
				strerror(-err));
	if (err)
		goto out;
	/* a part whose thread does not start resolves its targets at load */
	for (int i = 0; i < TRACER_PARTS; i++) {
		select_part(t, i, part);
		resolving[i] = !thread_start(&resolver[i], resolve_part, &t->parts[i]);
	}
	err = khotrace_bpf__load(t->skel);
	for (int i = 0; i < TRACER_PARTS; i++)
		if (resolving[i])
			pthread_join(resolver[i], NULL);
	if (err) {
		err_set(err_msg, err_size, err, "failed to create the BPF maps: %s",
			strerror(-err));
		goto out;
	}
	for (int i = 0; i < TRACER_PARTS && !err; i++)
		if ((err = share_maps(t, i)))
			err_set(err_msg, err_size, err, "failed to share the BPF maps: %s",
				strerror(-err));
	if (err)
		goto out;
	threaded = !thread_start(&loader, load_part, &t->parts[1]);
	if (!threaded)
		load_part(&t->parts[1]);
	load_part(&t->parts[0]);
	if (threaded)
		pthread_join(loader, NULL);
	for (int i = 0; i < TRACER_PARTS && !err; i++) {
		err = t->parts[i].err;
		if (err)
			err_set(err_msg, err_size, err, "failed to load BPF object: %s",
				strerror(-err));
	}
out:
	free(part);
	return err;
}

/*
 * -v: each part's instructions, and those the verifier went through,
 * which took most of the start under emulation (about 35 us each).
 */
static void log_verified(const struct tracer *t)
{
	struct bpf_program *prog;

	if (!env.verbose)
		return;
	for (int i = 0; i < TRACER_PARTS; i++) {
		__u64 verified = 0;
		size_t insns = 0;
		int nr = 0;

		bpf_object__for_each_program(prog, t->parts[i].obj) {
			struct bpf_prog_info info = {};
			__u32 len = sizeof(info);

			if (!bpf_program__autoload(prog) ||
			    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
				continue;
			insns += bpf_program__insn_cnt(prog);
			verified += info.verified_insns;
			nr++;
		}
		p_info("part %d: %d programs, %zu instructions, %llu verified", i, nr, insns,
		       (unsigned long long)verified);
	}
}

static size_t roundup_pow2(size_t v)
{
	size_t p = 4096;

	while (p < v)
		p <<= 1;
	return p;
}

int tracer__new(struct tracer **tp, const struct tracer_opts *opts, char *err_msg,
		size_t err_size)
{
	struct bpf_program *prog;
	LIBBPF_OPTS(bpf_object_open_opts, open_opts);
	char btf_path[64];
	bool opened = false;
	pthread_t opener;
	int btf_fd = -1;
	struct tracer *t;
	char why[160];
	int err, nr_progs = 0;
	__u64 ringbuf_size;

	*tp = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return err_set(err_msg, err_size, -ENOMEM, "out of memory");
	t->opts = *opts;
	/* the copies open on the other CPU while this one sets the skeleton up */
	opened = !thread_start(&opener, open_parts, t);
	t->mode = tracer__probe_mode(why, sizeof(why));
	if (t->mode == KT_MODE_NONE) {
		err = err_set(err_msg, err_size, -EOPNOTSUPP, "cannot trace: %s", why);
		goto err_out;
	}
	/* fentry works wherever tracepoints do; tracepoints need the series */
	if (opts->mode == KT_MODE_FENTRY) {
		t->mode = KT_MODE_FENTRY;
		snprintf(why, sizeof(why), "forced with --mode=fentry");
	} else if (opts->mode == KT_MODE_TRACEPOINT && t->mode != KT_MODE_TRACEPOINT) {
		err = err_set(err_msg, err_size, -EOPNOTSUPP,
			      "cannot use --mode=tracepoints: %s", why);
		goto err_out;
	}
	p_info("tracing mode: %s (%s)", kt_mode_name(t->mode), why);

	btf_fd = empty_btf(btf_path, sizeof(btf_path));
	open_opts.btf_custom_path = btf_fd >= 0 ? btf_path : NULL;
	t->skel = khotrace_bpf__open_opts(&open_opts);
	if (!t->skel) {
		err = err_set(err_msg, err_size, -errno, "failed to open BPF object: %s",
			      strerror(errno));
		goto err_out;
	}
	t->skel->rodata->raw = opts->raw;
	/* tp_btf runs with preemption off: per-CPU totals need no atomics */
	t->skel->rodata->atomic_totals = t->mode != KT_MODE_TRACEPOINT;
	t->skel->rodata->errors_only = opts->errors_only;
	t->skel->rodata->page_struct_shift = page_struct_shift(vmlinux_btf());
	if (opts->no_events)
		t->skel->rodata->event_mask = 0;
	else if (opts->event_mask)
		t->skel->rodata->event_mask = opts->event_mask;
	set_node_spans(t->skel);
	ringbuf_size = roundup_pow2(opts->ringbuf_size ?: TRACER_DEFAULT_RINGBUF);
	t->skel->rodata->wakeup_bytes = ringbuf_size / 4;
	err = bpf_map__set_max_entries(t->skel->maps.events, ringbuf_size);
	if (err) {
		err = err_set(err_msg, err_size, err, "failed to size the ring buffer: %s",
			      strerror(-err));
		goto err_out;
	}

	/* keep the chosen program set, and only programs whose target exists */
	nr_progs = tracer__select_programs(t->skel->obj, vmlinux_btf(), t->mode);
	if (nr_progs < 0) {
		err = err_set(err_msg, err_size, nr_progs, "failed to select the BPF programs: %s",
			      strerror(-nr_progs));
		goto err_out;
	}
	p_info("kernel BTF parsed, %d programs selected", nr_progs);
	if (!nr_progs) {
		err = err_set(err_msg, err_size, -ENOENT, "failed to attach any BPF program: "
			      "none of their targets is in this kernel's BTF");
		goto err_out;
	}

	err = load_programs(t, opener, opened, err_msg, err_size);
	opened = false;
	/* libbpf has read the empty BTF: the skeleton is loaded */
	if (btf_fd >= 0)
		close(btf_fd);
	btf_fd = -1;
	if (err)
		goto err_out;
	p_info("BPF object loaded and verified");
	log_verified(t);

	t->links = calloc(nr_progs, sizeof(*t->links));
	if (!t->links) {
		err = err_set(err_msg, err_size, -ENOMEM, "out of memory");
		goto err_out;
	}
	for (int i = 0; i < TRACER_PARTS; i++) {
		bpf_object__for_each_program(prog, t->parts[i].obj) {
			struct bpf_link *link;

			if (!bpf_program__autoload(prog) || t->nr_links == nr_progs)
				continue;
			link = bpf_program__attach(prog);
			if (!link) {
				/* e.g. inlined or notrace: skip it, trace the rest */
				p_info("skipping %s: attach failed: %s",
				       bpf_program__name(prog), strerror(errno));
				continue;
			}
			t->links[t->nr_links++] = link;
		}
	}
	if (!t->nr_links) {
		err = err_set(err_msg, err_size, -ENOENT, "failed to attach any BPF program");
		goto err_out;
	}
	p_info("attached %d programs", t->nr_links);
	if (!opts->no_events)
		ksyms_start(t);

	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), handle_event, t, NULL);
	if (!t->rb) {
		err = err_set(err_msg, err_size, -errno, "failed to create ring buffer: %s",
			      strerror(errno));
		goto err_out;
	}
	*tp = t;
	return 0;

err_out:
	if (opened)
		pthread_join(opener, NULL);
	if (btf_fd >= 0)
		close(btf_fd);
	tracer__free(t);
	return err ?: -EINVAL;	/* a library that failed without errno */
}

/*
 * BPF wakes the consumer only once a quarter of the ring is filled (see
 * wakeup_flags()): what came in below that is read when the wait times
 * out, at most @timeout_ms late; on_drain() then decides when to write.
 */
int tracer__poll(struct tracer *t, int timeout_ms)
{
	int err = ring_buffer__poll(t->rb, timeout_ms), ret;

	/* the wait timed out: read what came in without a wakeup */
	if (!err)
		err = ring_buffer__consume(t->rb);
	if (err == -EINTR)
		err = 0;
	if (err >= 0 && t->opts.on_drain && t->opts.ctx) {
		ret = t->opts.on_drain(t->opts.ctx, err);
		if (ret < 0)
			return ret;
	}
	return err;
}

int tracer__stop(struct tracer *t)
{
	int nr_cpus = libbpf_num_possible_cpus(), fd, err;
	struct kt_pending *slots;

	if (t->stopped)
		return 0;
	t->stopped = true;
	for (int i = 0; i < t->nr_links; i++)
		bpf_link__destroy(t->links[i]);
	t->nr_links = 0;
	p_info("detached");

	err = ring_buffer__consume(t->rb);
	if (err < 0 && err != -EINTR)
		return err;

	if (nr_cpus < 0)
		return nr_cpus;
	slots = calloc(nr_cpus, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	fd = bpf_map__fd(t->skel->maps.pending);
	for (__u32 op = 0; op < KT_NR_RANGE_OPS; op++) {
		if (bpf_map_lookup_elem(fd, &op, slots))
			continue;
		for (int cpu = 0; cpu < nr_cpus; cpu++) {
			struct kt_event *e = &slots[cpu].e;

			if (!e->nr_calls || e->type != op || e->kind >= KT_KIND_MAX)
				continue;
			if (t->opts.errors_only || t->opts.no_events ||
			    (t->opts.event_mask && !(t->opts.event_mask & (1U << op))))
				continue;
			t->flushed[op][e->kind].ranges++;
			deliver(t, e);
		}
	}
	free(slots);
	p_info("ring buffer and pending events read");
	return 0;
}

/*
 * The per-CPU values of key 0 of a per-CPU array map, in a buffer to free:
 * the number of CPUs, or -errno.
 */
static int percpu_lookup0(const struct bpf_map *map, size_t value_size, void **values)
{
	int nr_cpus = libbpf_num_possible_cpus();
	__u32 zero = 0;
	int err;

	*values = NULL;
	if (nr_cpus < 0)
		return nr_cpus;
	*values = calloc(nr_cpus, value_size);
	if (!*values)
		return -ENOMEM;
	err = bpf_map__lookup_elem(map, &zero, sizeof(zero), *values, nr_cpus * value_size, 0);
	if (err) {
		free(*values);
		*values = NULL;
		return err;
	}
	return nr_cpus;
}

/*
 * Add the folio calls BPF counted on its hot path (count_folio(): success,
 * tracepoints, one node) as range_call() would have: by kind, order, node
 * 0 and log2 size.
 */
static int fold_folio_calls(struct tracer *t, struct kt_totals *totals)
{
	struct kt_folio_calls *percpu;
	int nr_cpus;

	nr_cpus = percpu_lookup0(t->skel->maps.folio_calls, sizeof(*percpu), (void **)&percpu);
	if (nr_cpus < 0)
		return nr_cpus;
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		for (int op = 0; op < KT_NR_RANGE_OPS; op++) {
			for (int order = 0; order < KT_MAX_ORDER; order++) {
				__u64 n = percpu[cpu].calls[op][order];
				__u64 bytes = n << (order + 12);
				int slot = order + 12 < KT_MAX_SLOTS ? order + 12 : KT_MAX_SLOTS - 1;

				if (!n)
					continue;
				totals->by_kind[op][KT_KIND_FOLIO].calls += n;
				totals->by_kind[op][KT_KIND_FOLIO].bytes += bytes;
				totals->by_order[op][order].calls += n;
				totals->by_order[op][order].bytes += bytes;
				totals->by_node[op][0].calls += n;
				totals->by_node[op][0].bytes += bytes;
				totals->size_hist[op].slots[slot] += n;
			}
		}
	}
	free(percpu);
	return 0;
}

/* the per-CPU totals, summed: struct kt_totals is made of __u64 only */
int tracer__totals(struct tracer *t, struct kt_totals *totals)
{
	struct kt_totals *percpu;
	__u64 *sum = (__u64 *)totals;
	int nr_cpus;

	memset(totals, 0, sizeof(*totals));
	nr_cpus = percpu_lookup0(t->skel->maps.totals, sizeof(*percpu), (void **)&percpu);
	if (nr_cpus < 0)
		return nr_cpus;
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		const __u64 *v = (const __u64 *)&percpu[cpu];

		for (size_t i = 0; i < sizeof(*totals) / sizeof(__u64); i++)
			sum[i] += v[i];
	}
	free(percpu);
	for (int op = 0; op < KT_NR_RANGE_OPS; op++)
		for (int k = 0; k < KT_KIND_MAX; k++)
			totals->by_kind[op][k].ranges += t->flushed[op][k].ranges;
	return fold_folio_calls(t, totals);
}

int tracer__mode(const struct tracer *t)
{
	return t->mode;
}

void tracer__set_ctx(struct tracer *t, void *ctx)
{
	t->opts.ctx = ctx;
}

int tracer__nr_attached(const struct tracer *t)
{
	return t->nr_links;
}

void tracer__free(struct tracer *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->nr_links; i++)
		bpf_link__destroy(t->links[i]);
	free(t->links);
	ring_buffer__free(t->rb);
	for (int i = 0; i < TRACER_PARTS; i++)
		bpf_object__close(t->parts[i].obj);
	khotrace_bpf__destroy(t->skel);
	ksyms_drop(t);
	ksyms__free(t->ksyms);
	for (int i = 0; i < KT_MAX_STACK_IDS; i++)
		free(t->producers[i]);
	free(t);
}
