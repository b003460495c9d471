/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* CRC-32C (Castagnoli), as the kernel's crc32c(): reflected polynomial
 * 0x82F63B78, initial value and final xor ~0. crc32c("123456789") = 0xe3069283.
 */
#ifndef __KHOTRACE_CRC32C_H
#define __KHOTRACE_CRC32C_H

#include <stddef.h>
#include <linux/types.h>

/* continue a crc: crc32c_update(0, buf, len) is crc32c(buf, len) */
__u32 crc32c_update(__u32 crc, const void *buf, size_t len);
__u32 crc32c(const void *buf, size_t len);
/* the same with the table, as on CPUs without SSE4.2: for the tests */
__u32 crc32c_update_table(__u32 crc, const void *buf, size_t len);
/* crc32c of A followed by B from crc32c(A), crc32c(B) and B's length (the
 * GF(2) method of zlib's crc32_combine): checksums of adjacent ranges make
 * the checksum of their union */
__u32 crc32c_combine(__u32 crc_a, __u32 crc_b, __u64 len_b);

#endif /* __KHOTRACE_CRC32C_H */
