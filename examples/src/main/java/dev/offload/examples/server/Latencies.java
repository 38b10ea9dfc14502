package dev.offload.examples.server;

import java.time.Duration;
import java.util.Arrays;

/**
 * Latency samples of one client, in nanoseconds, with exact percentiles (nearest rank) once the run is over. Owner
 * thread only; hand it to another thread through a join.
 */
final class Latencies {
    private long[] samples = new long[1024];
    private int count;
    private boolean sorted;

    void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
        sorted = false;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.count; i++) {
            record(other.samples[i]);
        }
    }

    int count() {
        return count;
    }

    /**
     * Returns the {@code p}-th percentile by nearest rank: the smallest sample that at least {@code p}% of the samples
     * do not exceed.
     */
    Duration percentile(double p) {
        if (count == 0) {
            return Duration.ZERO;
        }
        if (!sorted) {
            Arrays.sort(samples, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return Duration.ofNanos(samples[Math.clamp(rank - 1, 0, count - 1)]);
    }

    Duration max() {
        return percentile(100);
    }
}
