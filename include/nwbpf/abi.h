/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fixed-width types and static-assert glue shared by clang -target bpf and
 * g++. Every header under include/nwbpf/ and maps/ includes this first and
 * nothing else from libc, so the same bytes mean the same thing on both sides
 * of the BPF/C++ boundary.
 */
#ifndef NWBPF_ABI_H
#define NWBPF_ABI_H

#include <linux/types.h>

#ifdef __cplusplus
#define NWBPF_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define NWBPF_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* Pins a struct's size so a layout change on one side fails both builds. */
#define NWBPF_ASSERT_SIZE(type, size) \
	NWBPF_STATIC_ASSERT(sizeof(type) == (size), #type " changed size: update both sides")

#endif /* NWBPF_ABI_H */
