// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The SSE4.2 crc32 instruction where the CPU has it (snapshot and verify
 * checksum MiBs of reserve_mem regions: 8 bytes an instruction), else a
 * table one byte at a time.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "crc32c.h"

#define CRC32C_POLY	0x82F63B78u	/* Castagnoli, reflected */

static __u32 table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
#if defined(__x86_64__)
static bool have_sse42;
#endif

static void table_init(void)
{
	for (__u32 i = 0; i < 256; i++) {
		__u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (c & 1 ? CRC32C_POLY : 0);
		table[i] = c;
	}
#if defined(__x86_64__)
	have_sse42 = __builtin_cpu_supports("sse4.2");
#endif
}

#if defined(__x86_64__)
/* on the inverted crc, like the table loop */
__attribute__((target("sse4.2")))
static __u32 crc32c_sse42(__u32 crc, const unsigned char *p, size_t len)
{
	__u64 c = crc;

	for (; len && ((uintptr_t)p & 7); len--)
		c = __builtin_ia32_crc32qi(c, *p++);
	for (; len >= 8; len -= 8, p += 8) {
		__u64 v;

		memcpy(&v, p, sizeof(v));
		c = __builtin_ia32_crc32di(c, v);
	}
	for (; len; len--)
		c = __builtin_ia32_crc32qi(c, *p++);
	return c;
}
#endif

__u32 crc32c_update_table(__u32 crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	pthread_once(&table_once, table_init);
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

__u32 crc32c_update(__u32 crc, const void *buf, size_t len)
{
#if defined(__x86_64__)
	pthread_once(&table_once, table_init);
	if (have_sse42)
		return ~crc32c_sse42(~crc, buf, len);
#endif
	return crc32c_update_table(crc, buf, len);
}

__u32 crc32c(const void *buf, size_t len)
{
	return crc32c_update(0, buf, len);
}

/* multiply the 32x32 GF(2) matrix mat by the vector vec */
static __u32 gf2_times(const __u32 *mat, __u32 vec)
{
	__u32 sum = 0;

	for (; vec; vec >>= 1, mat++)
		if (vec & 1)
			sum ^= *mat;
	return sum;
}

static void gf2_square(__u32 *square, const __u32 *mat)
{
	for (int n = 0; n < 32; n++)
		square[n] = gf2_times(mat, mat[n]);
}

__u32 crc32c_combine(__u32 crc_a, __u32 crc_b, __u64 len_b)
{
	__u32 even[32], odd[32], row = 1;

	if (!len_b)
		return crc_a;
	/* odd: the operator for one zero bit */
	odd[0] = CRC32C_POLY;
	for (int n = 1; n < 32; n++, row <<= 1)
		odd[n] = row;
	gf2_square(even, odd);	/* two zero bits */
	gf2_square(odd, even);	/* four */
	/* apply len_b zero bytes to crc_a: square for each bit of len_b */
	do {
		gf2_square(even, odd);
		if (len_b & 1)
			crc_a = gf2_times(even, crc_a);
		len_b >>= 1;
		if (!len_b)
			break;
		gf2_square(odd, even);
		if (len_b & 1)
			crc_a = gf2_times(odd, crc_a);
		len_b >>= 1;
	} while (len_b);
	return crc_a ^ crc_b;
}
