package dev.offload.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bound on a pool's queued tasks, and the drain signal: once the queue has been full, the signal fires exactly
 * once when the queue falls to its low-water mark (half the bound), like Piscina's {@code 'drain'} event.
 *
 * <p>Overview: {@link #tryAcquire()} reserves a slot with a CAS below the bound. Reaching the bound arms the signal
 * (a refused submit does not: the submit that filled the queue armed it, so one full episode fires once): a volatile write of {@code armed}, then a volatile re-read of the count.
 * {@link #release()} decrements the count (a volatile read-modify-write), then reads {@code armed}. Whichever side
 * comes second in the synchronization order sees the other, so a drain is never missed; a CAS on {@code armed}
 * picks the single side that fires. A releaser whose decrement is older than a refill-and-re-arm could take the new
 * episode's signal; so after winning the CAS it re-reads the count and, if the queue is no longer drained, re-arms
 * instead of firing.
 *
 * <p>Any thread.
 */
public final class QueueGauge {
    /** Bit of {@link #tryAcquire()}'s result: a slot was reserved (else the queue is full). */
    public static final int ACQUIRED = 1;
    /** Bit of {@link #tryAcquire()}'s result: the caller must fire the drain signal (the queue drained meanwhile). */
    public static final int FIRE = 2;

    private static final VarHandle ARMED;

    static {
        try {
            ARMED = MethodHandles.lookup().findVarHandle(QueueGauge.class, "armed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PaddedCounter queued = new PaddedCounter();
    private final int max;
    private final int lowWater;
    private volatile int armed;

    /**
     * Creates a gauge.
     *
     * @param max the bound, at least 1
     */
    public QueueGauge(int max) {
        this.max = max;
        this.lowWater = max / 2;
    }

    /**
     * Reserves a queue slot.
     *
     * @return {@link #ACQUIRED} if a slot was reserved (else 0: full), or'ed with {@link #FIRE} if the caller must
     *     fire the drain signal (its slot filled the queue, which drained again before it could arm)
     */
    public int tryAcquire() {
        while (true) {
            long q = queued.get();
            if (q >= max) {
                return 0; // whoever filled the queue armed the signal; this refusal belongs to that episode
            }
            if (queued.compareAndSet(q, q + 1)) {
                return q + 1 >= max && arm() ? ACQUIRED | FIRE : ACQUIRED;
            }
        }
    }

    /**
     * Frees a slot (a task left the queue: taken by a worker, cancelled, or rejected at close).
     *
     * @return {@code true} if the caller must fire the drain signal
     */
    public boolean release() {
        long q = queued.getAndAdd(-1) - 1; // volatile RMW, then the volatile read of armed: pairs with arm()
        if (q <= lowWater && armed != 0 && ARMED.compareAndSet(this, 1, 0)) {
            // Our count may be stale: the queue may have refilled and re-armed since our decrement. Fire only if it
            // is still drained; otherwise put the signal back for the episode now under way.
            return queued.get() <= lowWater || arm();
        }
        return false;
    }

    private boolean arm() {
        armed = 1; // volatile write, then the volatile re-read of the count: pairs with release()
        return queued.get() <= lowWater && ARMED.compareAndSet(this, 1, 0);
    }

    /**
     * Returns the number of reserved slots.
     *
     * @return queued tasks
     */
    public int queued() {
        return (int) queued.get();
    }

    /**
     * Returns whether the drain signal is armed and has not fired yet.
     *
     * @return {@code true} if armed
     */
    public boolean isArmed() {
        return armed != 0;
    }

    /**
     * Returns the low-water mark at which an armed signal fires.
     *
     * @return half the bound
     */
    public int lowWater() {
        return lowWater;
    }

    /**
     * Returns whether the queue is at its bound.
     *
     * @return {@code true} if a submit would be rejected now
     */
    public boolean isFull() {
        return queued.get() >= max;
    }
}
