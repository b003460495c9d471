// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_progs: how many BPF programs and links the kernel has loaded right
 * now (BPF_PROG_GET_NEXT_ID / BPF_LINK_GET_NEXT_ID), to prove that a
 * killed tracer left nothing attached. Prints "progs=N links=L".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

static int count(int cmd)
{
	union bpf_attr attr;
	int n = 0;
	__u32 id = 0;

	for (;;) {
		memset(&attr, 0, sizeof(attr));
		attr.start_id = id;
		if (syscall(__NR_bpf, cmd, &attr, sizeof(attr)))
			return errno == ENOENT ? n : -errno;
		id = attr.next_id;
		n++;
	}
}

int main(void)
{
	int progs = count(BPF_PROG_GET_NEXT_ID), links = count(BPF_LINK_GET_NEXT_ID);

	if (progs < 0 || links < 0) {
		fprintf(stderr, "bpf_progs: %s\n", strerror(-(progs < 0 ? progs : links)));
		return 1;
	}
	printf("progs=%d links=%d\n", progs, links);
	return 0;
}
