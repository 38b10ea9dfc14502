package dev.offload.internal.control;

import dev.offload.LatencySummary;
import java.time.Duration;
import java.util.Arrays;

/**
 * A histogram of nanosecond durations with a relative error below 1 % (two significant digits), in the layout of
 * HdrHistogram: values below 256 have a bucket each; above, every power-of-two range is split into 128 equal
 * buckets. Values from 0 to 2^44 ns (about 4.9 hours) are recorded; larger ones count in the top bucket. The count,
 * sum and maximum are exact.
 *
 * <p>Overview: {@code record} is a leading-zero count, a shift and an increment, with no allocation. A percentile
 * walks the buckets and returns the highest value of the bucket it lands in, so a reported percentile is never below
 * the true one and at most 0.8 % above it.
 *
 * <p>Not thread-safe: one writer at a time, readers only when the writer is known to be outside (see
 * {@link LatencyRecorder}).
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 8; // 256 first buckets, then 128 per power of two
    private static final int SUB_COUNT = 1 << SUB_BITS;
    private static final int HALF = SUB_COUNT >> 1;
    private static final int MAX_EXPONENT = 44;
    private static final long MAX_TRACKED = (1L << MAX_EXPONENT) - 1;
    private static final int BUCKETS = SUB_COUNT + (MAX_EXPONENT - SUB_BITS) * HALF;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sum;
    private long max;

    /** Records one value; negative values count as 0. */
    public void record(long nanos) {
        long v = Math.min(Math.max(0, nanos), MAX_TRACKED);
        counts[indexOf(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
    }

    /** Adds every value of {@code other}. */
    public void add(LatencyHistogram other) {
        if (other.total == 0) {
            return;
        }
        long[] theirs = other.counts;
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += theirs[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    public void reset() {
        if (total != 0) {
            Arrays.fill(counts, 0);
            total = 0;
            sum = 0;
            max = 0;
        }
    }

    public long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** Returns the mean, 0 when empty. */
    double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    /**
     * Returns the smallest bucket top such that at least {@code percentile} percent of the values are at or below it;
     * never above the exact maximum.
     */
    long percentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(highestOf(i), max);
            }
        }
        return max;
    }

    /** Summarizes the recorded values. */
    LatencySummary summary() {
        if (total == 0) {
            return LatencySummary.EMPTY;
        }
        return new LatencySummary(
                total,
                Duration.ofNanos(Math.round(mean())),
                Duration.ofNanos(percentile(50)),
                Duration.ofNanos(percentile(99)),
                Duration.ofNanos(percentile(99.9)),
                Duration.ofNanos(max));
    }

    static int indexOf(long v) {
        if (v < SUB_COUNT) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int shift = exponent - (SUB_BITS - 1); // keeps the top SUB_BITS bits: a value in [HALF, SUB_COUNT)
        int sub = (int) (v >>> shift);
        return SUB_COUNT + (shift - 1) * HALF + (sub - HALF);
    }

    /** The highest value that {@link #indexOf} maps to {@code index}. */
    static long highestOf(int index) {
        if (index < SUB_COUNT) {
            return index;
        }
        int shift = (index - SUB_COUNT) / HALF + 1;
        long sub = HALF + (index - SUB_COUNT) % HALF;
        return ((sub + 1) << shift) - 1;
    }
}
