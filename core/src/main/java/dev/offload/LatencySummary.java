package dev.offload;

import java.time.Duration;

/**
 * A latency distribution, from a histogram with two significant digits (under 1 % error; count, mean and max exact).
 *
 * @param count number of recorded values
 * @param mean the mean
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the largest value
 */
public record LatencySummary(long count, Duration mean, Duration p50, Duration p99, Duration p999, Duration max) {
    /** No values recorded. */
    public static final LatencySummary EMPTY =
            new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
}
