// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* table-driven CRC-32C, one byte at a time: enough for KiB-sized blobs */
#include <pthread.h>

#include "crc32c.h"

#define CRC32C_POLY	0x82F63B78u	/* Castagnoli, reflected */

static __u32 table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void table_init(void)
{
	for (__u32 i = 0; i < 256; i++) {
		__u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? CRC32C_POLY : 0);
		table[i] = c;
	}
}

__u32 crc32c_update(__u32 crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	pthread_once(&table_once, table_init);
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

__u32 crc32c(const void *buf, size_t len)
{
	return crc32c_update(0, buf, len);
}
