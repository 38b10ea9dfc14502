package dev.offload.internal.dispatch;

import dev.offload.internal.base.L1Pad;
import dev.offload.internal.base.PaddedCounter;
import dev.offload.internal.base.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bound on a pool's queued tasks, and the drain signal: once the queue has been full, the signal fires exactly
 * once when the queue falls to its low-water mark (half the bound), like Piscina's {@code 'drain'} event.
 *
 * <p>Overview: the count is two monotonic counters on separate cache lines, {@code acquired} (written by submitters)
 * and {@code released} (written by workers, cancellers and rejecters), so that a submitter and a worker do not pass
 * one line back and forth on every task. {@link #tryAcquire()} reserves a slot with a CAS on {@code acquired} below
 * {@code released + max}; it reads {@code released} only when a cached copy (the producer-limit technique of JCTools'
 * array queues) says the queue may be full. A stale copy is never too high, as {@code released} only grows, so the
 * bound is never exceeded.
 *
 * <p>Drain signal: a slot that may have filled the queue (by the count the submitter read just before its CAS) arms
 * the signal: a volatile write of {@code armed}, then a volatile re-read of both counters. {@link #release()}
 * increments {@code released} (a volatile read-modify-write), then reads {@code armed}. Whichever side comes second
 * in the synchronization order sees the other, so a drain is never missed; a CAS on {@code armed} picks the single
 * side that fires. A releaser whose increment is older than a refill-and-re-arm could take the new episode's signal;
 * so after winning the CAS it re-reads the count and, if the queue is no longer drained, re-arms instead of firing.
 * Counts are read {@code released} first, then {@code acquired}, so a count read concurrently with releases is never
 * too low: the last releaser reads an exact one. A release that races with the slot that filled the queue may make
 * that slot arm although the queue held one task less at the CAS; the signal then fires when the queue falls to low
 * water, as for a full queue.
 *
 * <p>Any thread.
 */
public final class QueueGauge extends QueueGaugeL2Pad {
    /** Bit of {@link #tryAcquire()}'s result: a slot was reserved (else the queue is full). */
    public static final int ACQUIRED = 1;
    /** Bit of {@link #tryAcquire()}'s result: the caller must fire the drain signal (the queue drained meanwhile). */
    public static final int FIRE = 2;
    /** Bit of {@link #tryAcquire()}'s result: this slot may have filled the queue (by the count read before it). */
    public static final int FILLED = 4;

    private static final VarHandle ARMED =
            VarHandles.field(MethodHandles.lookup(), QueueGaugeFields.class, "armed", int.class);
    private static final VarHandle RELEASED_CACHE =
            VarHandles.field(MethodHandles.lookup(), QueueGaugeFields.class, "releasedCache", long.class);

    /**
     * Creates a gauge.
     *
     * @param max the bound, at least 1
     */
    public QueueGauge(int max) {
        super(max);
    }

    /**
     * Reserves a queue slot.
     *
     * @return {@link #ACQUIRED} if a slot was reserved (else 0: full), or'ed with {@link #FILLED} if the slot may have
     *     filled the queue and with {@link #FIRE} if the caller must fire the drain signal (its slot filled the queue,
     *     which drained again before it could arm)
     */
    public int tryAcquire() {
        while (true) {
            long a = acquired.get();
            long r = (long) RELEASED_CACHE.getOpaque(this);
            if (a + 1 - r >= max) { // may be full, or become full with this slot: read the exact count
                r = released.get();
                RELEASED_CACHE.setOpaque(this, r);
                if (a - r >= max) {
                    return 0; // whoever filled the queue armed the signal; this refusal belongs to that episode
                }
            }
            if (acquired.compareAndSet(a, a + 1)) {
                if (a + 1 - r < max) {
                    return ACQUIRED;
                }
                return arm() ? ACQUIRED | FILLED | FIRE : ACQUIRED | FILLED;
            }
        }
    }

    /**
     * Frees a slot (a task left the queue: taken by a worker, cancelled, or rejected at close).
     *
     * @return {@code true} if the caller must fire the drain signal
     */
    public boolean release() {
        long r = released.getAndAdd(1) + 1; // volatile RMW, then the volatile read of armed: pairs with arm()
        if (armed != 0 && acquired.get() - r <= lowWater && ARMED.compareAndSet(this, 1, 0)) {
            // Our count may be stale: the queue may have refilled and re-armed since our increment. Fire only if it
            // is still drained; otherwise put the signal back for the episode now under way.
            return queued() <= lowWater || arm();
        }
        return false;
    }

    private boolean arm() {
        armed = 1; // volatile write, then the volatile re-read of the count: pairs with release()
        return queued() <= lowWater && ARMED.compareAndSet(this, 1, 0);
    }

    /**
     * Returns the number of reserved slots: never lower than the count at the start of the call.
     *
     * @return queued tasks
     */
    public int queued() {
        long r = released.get();
        return (int) (acquired.get() - r);
    }

    /**
     * Returns the number of slots ever reserved.
     *
     * @return reserved slots, including those released since
     */
    public long acquiredTotal() {
        return acquired.get();
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
        return queued() >= max;
    }
}

/** The fields of {@link QueueGauge}, between its two paddings (see {@link L1Pad}). */
abstract class QueueGaugeFields extends L1Pad {
    final PaddedCounter acquired = new PaddedCounter();
    final PaddedCounter released = new PaddedCounter();
    final int max;
    final int lowWater;
    volatile int armed;
    long releasedCache; // opaque; read and written by submitters only; a lower bound of released

    QueueGaugeFields(int max) {
        this.max = max;
        this.lowWater = max / 2;
    }
}

/** The padding after the fields of {@link QueueGauge}. */
abstract class QueueGaugeL2Pad extends QueueGaugeFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    QueueGaugeL2Pad(int max) {
        super(max);
    }
}
