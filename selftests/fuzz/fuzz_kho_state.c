// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * Everything khotrace reads from the KHO debugfs directory, end to end:
 * the input is split at "\n@@\n" into the files below, written into a
 * scratch tree, and read back through kho_state__read() (scratch lists,
 * FDTs, kexec metadata, early-boot log) and handover__collect() (memory
 * maps, subtree lists, sub_fdts checksums) for both sides.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "handover.h"
#include "json.h"
#include "kho_state.h"

#define SEP	"\n@@\n"

static const char *const files[] = {
	"out/scratch_phys", "out/scratch_len", "out/fdt", "in/fdt",
	"in/sub_fdts/" KHO_METADATA_NODE_NAME, "bootlog",
	"out/memory_map", "out/subtrees", "in/memory_map", "in/subtrees",
};
#define NR_FILES	(sizeof(files) / sizeof(files[0]))

static char root[64];

static void make_tree(void)
{
	static const char *const dirs[] = { "out", "in", "out/sub_fdts", "in/sub_fdts" };
	const char *tmp = getenv("TMPDIR") ?: "/tmp";
	char path[128];

	snprintf(root, sizeof(root), "%s/kt-fuzz-XXXXXX", access("/dev/shm", W_OK) ? tmp : "/dev/shm");
	if (!mkdtemp(root))
		abort();
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
		if (mkdir(path, 0700))
			abort();
	}
}

static void put(const char *name, const uint8_t *p, size_t len)
{
	char path[192];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	if (!p) {
		unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			abort();
		p += n;
		len -= n;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct kho_state st;
	struct manifest m;
	struct json j;
	char err[256];

	if (!root[0])
		make_tree();
	for (size_t i = 0; i < NR_FILES; i++) {
		const uint8_t *sep;

		if (!p) {
			put(files[i], NULL, 0);
			continue;
		}
		sep = memmem(p, end - p, SEP, strlen(SEP));
		put(files[i], p, (sep ?: end) - p);
		p = sep ? sep + strlen(SEP) : NULL;
	}

	FUZZ_ASSERT(kho_state__read(&st, root, err, sizeof(err)) == 0);
	FUZZ_ASSERT(st.nr_scratch >= 0 && st.nr_scratch <= KHO_MAX_SCRATCH);
	FUZZ_ASSERT(strlen(st.previous_release) < sizeof(st.previous_release));
	if (st.bootlog) {
		json_init(&j, fuzz_sink());
		json_str(&j, st.bootlog);
	}
	for (int side = HANDOVER_OUT; side <= HANDOVER_IN; side++) {
		if (!handover__collect(&m, &st, root, side, err, sizeof(err)))
			manifest__free(&m);
		else
			FUZZ_ASSERT(err[0]);
	}
	kho_state__free(&st);
	return 0;
}
