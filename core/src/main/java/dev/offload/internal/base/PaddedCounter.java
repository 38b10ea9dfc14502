package dev.offload.internal.base;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter alone on its cache lines (the padding chain of {@link L1Pad}), for counters and flags that one thread
 * writes while another reads or writes them.
 *
 * <p>Any thread. {@link #get()} is a volatile read; updates are atomic read-modify-writes.
 */
public final class PaddedCounter extends PaddedCounterL2Pad {
    private static final VarHandle VALUE =
            VarHandles.field(MethodHandles.lookup(), PaddedCounterFields.class, "value", long.class);

    /** Creates a counter at zero. */
    public PaddedCounter() {}

    /**
     * Returns the value (volatile read).
     *
     * @return the value
     */
    public long get() {
        return value;
    }

    /**
     * Sets the value (volatile write).
     *
     * @param value the new value
     */
    public void set(long value) {
        this.value = value;
    }

    /**
     * Sets the value with an opaque store: no ordering with the caller's other accesses; pair it with a fence.
     *
     * @param value the new value
     */
    public void setOpaque(long value) {
        VALUE.setOpaque(this, value);
    }

    /**
     * Sets the value with release semantics (no store-load fence). For a single writer.
     *
     * @param value the new value
     */
    public void setRelease(long value) {
        VALUE.setRelease(this, value);
    }

    /**
     * Adds {@code delta} atomically.
     *
     * @param delta the amount
     * @return the value before the addition
     */
    public long getAndAdd(long delta) {
        return (long) VALUE.getAndAdd(this, delta);
    }

    /**
     * Adds one atomically.
     *
     * @return the value before the increment
     */
    public long getAndIncrement() {
        return (long) VALUE.getAndAdd(this, 1L);
    }

    /**
     * Sets the value if it equals {@code expected}.
     *
     * @param expected the expected value
     * @param next the new value
     * @return {@code true} if set
     */
    public boolean compareAndSet(long expected, long next) {
        return VALUE.compareAndSet(this, expected, next);
    }
}

/** The field of {@link PaddedCounter}, between its two paddings. */
abstract class PaddedCounterFields extends L1Pad {
    volatile long value;
}

/** The padding after the field of {@link PaddedCounter}. */
abstract class PaddedCounterL2Pad extends PaddedCounterFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
