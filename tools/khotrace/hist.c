// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/* log2 histograms, printed like libbpf-tools' trace_helpers.c */
#include "hist.h"

static void print_stars(FILE *f, __u64 val, __u64 val_max, int width)
{
	int num_stars, num_spaces, i;
	int need_plus;

	/* counts are 64-bit: no truncation to a zero divisor, no overflow */
	num_stars = val_max ? (double)(val < val_max ? val : val_max) * width / val_max : 0;
	num_spaces = width - num_stars;
	need_plus = val > val_max;

	for (i = 0; i < num_stars; i++)
		fputc('*', f);
	for (i = 0; i < num_spaces; i++)
		fputc(' ', f);
	if (need_plus)
		fputc('+', f);
}

void print_log2_hist(FILE *f, const __u64 *vals, int vals_size, const char *val_type)
{
	int stars_max = 40, idx_max = -1;
	__u64 val, val_max = 0;
	unsigned long long low, high;
	int stars, width, i;

	for (i = 0; i < vals_size; i++) {
		val = vals[i];
		if (val > 0)
			idx_max = i;
		if (val > val_max)
			val_max = val;
	}

	if (idx_max < 0)
		return;

	fprintf(f, "%*s%-*s : count    distribution\n", idx_max <= 32 ? 5 : 15, "",
		idx_max <= 32 ? 19 : 29, val_type);

	if (idx_max <= 32)
		stars = stars_max;
	else
		stars = stars_max / 2;

	for (i = 0; i <= idx_max; i++) {
		low = (1ULL << (i + 1)) >> 1;
		high = (1ULL << (i + 1)) - 1;
		if (low == high)
			low -= 1;
		val = vals[i];
		width = idx_max <= 32 ? 10 : 20;
		fprintf(f, "%*llu -> %-*llu : %-8llu |", width, low, width, high,
			(unsigned long long)val);
		print_stars(f, val, val_max, stars);
		fprintf(f, "|\n");
	}
}

void json_log2_hist(struct json *j, const __u64 *vals, int vals_size)
{
	int i, idx_max = -1;

	for (i = 0; i < vals_size; i++)
		if (vals[i])
			idx_max = i;
	json_arr_open(j);
	for (i = 0; i <= idx_max; i++) {
		json_obj_open(j);
		json_kv_u64(j, "low", i ? 1ULL << i : 0);
		json_kv_u64(j, "high", (1ULL << (i + 1)) - 1);
		json_kv_u64(j, "count", vals[i]);
		json_obj_close(j);
	}
	json_arr_close(j);
}

__u64 hist_total(const __u64 *vals, int vals_size)
{
	__u64 sum = 0;

	for (int i = 0; i < vals_size; i++)
		sum += vals[i];
	return sum;
}
