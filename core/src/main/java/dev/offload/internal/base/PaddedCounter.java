package dev.offload.internal.base;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter alone on its cache lines (128 bytes of padding either side), for counters and flags that one thread
 * writes while another reads or writes them.
 *
 * <p>Any thread. {@link #get()} is a volatile read; updates are atomic read-modify-writes.
 */
public final class PaddedCounter {
    private static final VarHandle VALUE =
            VarHandles.field(MethodHandles.lookup(), PaddedCounter.class, "value", long.class);

    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    private volatile long value;

    @SuppressWarnings("unused")
    private long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

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
