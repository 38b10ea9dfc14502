package dev.offload.internal.base;

import java.time.Duration;

/** Durations as nanosecond counts that a {@link System#nanoTime()} reading can be added to without overflow. */
public final class Durations {
    /** The largest count returned: about 73 years, far beyond any deadline, and safe to add to a clock reading. */
    public static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private Durations() {}

    /**
     * Returns {@code d} in nanoseconds, saturated to {@code [0, MAX_NANOS]}: a limit users write to mean "forever",
     * such as {@code ChronoUnit.FOREVER.getDuration()}, becomes a deadline that never comes instead of an overflow.
     *
     * @param d the duration
     * @return its nanoseconds, saturated
     */
    public static long toNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        if (d.compareTo(Duration.ofNanos(MAX_NANOS)) >= 0) {
            return MAX_NANOS;
        }
        return d.toNanos();
    }
}
