/*
 * Minimal benchmark harness: run a function repeatedly for a target duration on a monotonic
 * clock and report operations per second. Benchmarks report ratios against a baseline
 * measured in the same run, because these machines are noisy.
 */
#ifndef TK_BENCH_H
#define TK_BENCH_H

#include <stdio.h>
#include <time.h>

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs fn(ctx, i) in batches until `seconds` elapsed; returns operations per second. */
static inline double bench_run(void (*fn)(void *ctx, unsigned long i), void *ctx, double seconds)
{
    unsigned long n = 0, batch = 16;
    double start = bench_now(), elapsed;
    do {
        for (unsigned long k = 0; k < batch; k++) {
            fn(ctx, n + k);
        }
        n += batch;
        elapsed = bench_now() - start;
        if (elapsed < seconds / 10) {
            batch *= 2;
        }
    } while (elapsed < seconds);
    return (double)n / elapsed;
}

#endif
