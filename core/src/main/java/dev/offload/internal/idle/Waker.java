package dev.offload.internal.idle;

import dev.offload.internal.base.L1Pad;
import java.util.concurrent.locks.LockSupport;

/**
 * The part of a waiting thread that other threads touch: its park flag, the thread, and for a worker its {@link Taker}.
 * Alone on its cache lines (the padding chain of {@link L1Pad}), so that a producer checking the flag on every hand-off reads a
 * line that only changes when the owner parks, not one that the owner writes while it spins or runs tasks.
 *
 * <p>Protocol (with {@link Idler}): the owner announces that it is about to park ({@link #announcePark()}, a volatile
 * store), re-checks its work, and only then parks; a producer publishes work, then calls {@link #wake()} (a volatile
 * load of the flag). At least one of them sees the other, so no wake-up is lost.
 *
 * <p>Any thread, but {@link #announcePark()}, {@link #dueAt}, {@link #youngAfter} and {@link #clearPark()} from the
 * owner only.
 */
public final class Waker extends WakerL2Pad {

    /**
     * Creates the waker of {@code thread}.
     *
     * @param thread the thread that parks
     * @param taker the worker that thread runs, or {@code null} for an event loop
     */
    public Waker(Thread thread, Taker taker) {
        super(thread, taker);
    }

    /** Owner: it is about to park (volatile store; the owner re-checks its work after it). */
    void announcePark() {
        parked = PARKED;
    }

    /**
     * Owner, before it parks: when it must run again whatever happens (an event loop's next timer), or
     * {@link Long#MAX_VALUE}. Published by the next {@link #announcePark()}. Written only when it changes, so that a
     * spinning owner does not write the line producers read.
     *
     * @param deadline {@link System#nanoTime()} of the next timer, or {@link Long#MAX_VALUE}
     */
    public void dueAt(long deadline) {
        if (dueAt != deadline) {
            dueAt = deadline;
        }
    }

    /**
     * Owner (an event loop), before it parks: completions of tasks submitted after {@code submitNanos} are young
     * beside those its look period was set from, and wake it (see {@link #isYoung}); {@link Long#MAX_VALUE} for none.
     * Published by the next {@link #announcePark()}; written only when it changes, as {@link #dueAt}.
     *
     * @param submitNanos a submit stamp ({@link System#nanoTime()}), or {@link Long#MAX_VALUE}
     */
    public void youngAfter(long submitNanos) {
        if (youngAfter != submitNanos) {
            youngAfter = submitNanos;
        }
    }

    /**
     * Any thread, after {@link #isAsleep()} returned {@code true}: whether a completion of a task submitted at
     * {@code submitNanos} is young beside those the owner's look period was set from, so that it should not wait for
     * the owner's next look. Reads no clock.
     *
     * @param submitNanos the task's submit stamp
     * @return {@code true} if the owner should be woken for it
     */
    public boolean isYoung(long submitNanos) {
        long bound = youngAfter;
        return bound != Long.MAX_VALUE && submitNanos - bound > 0;
    }

    /** Owner: it parks no more; it runs. */
    void clearPark() {
        parked = AWAKE;
    }

    /**
     * Wakes the owner if it is parked or about to park. Any thread, after publishing work.
     *
     * @return {@code true} if the owner was parked and has been unparked
     */
    public boolean wake() {
        if (parked == PARKED) { // volatile load after the producer's volatile publication of the work
            parked = WOKEN; // the owner clears it when it runs: it checks its work after that
            LockSupport.unpark(thread);
            return true;
        }
        return false;
    }

    /**
     * Returns whether the owner is parked or about to park.
     *
     * @return {@code true} if parked
     */
    public boolean isParked() {
        return parked == PARKED;
    }

    /**
     * Returns whether the owner is parked, or was woken and has not run since: the OS may hold a woken thread back
     * while busy threads hold every core.
     *
     * @return {@code true} if the owner is not running
     */
    public boolean isAsleep() {
        return parked != AWAKE;
    }

    /**
     * Any thread, after {@link #isParked()} returned {@code true}: whether the owner's {@link #dueAt} time has come.
     * The OS ends a timed park late, by up to its timer slack (50 µs by default on Linux), and later still when busy
     * threads hold every core; a producer that sees the time passed wakes the owner at once instead. Reads the clock
     * only when a time is set.
     *
     * @return {@code true} if the owner should be running by now
     */
    public boolean pastDue() {
        long deadline = dueAt;
        return deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0;
    }

    /**
     * Returns the worker whose thread this wakes.
     *
     * @return the worker, or {@code null} for an event loop
     */
    public Taker taker() {
        return taker;
    }
}

/** The fields of {@link Waker}, between its two paddings. */
abstract class WakerFields extends L1Pad {
    final Thread thread;
    final Taker taker;
    static final int AWAKE = 0;
    static final int PARKED = 1; // parked or about to park
    static final int WOKEN = 2; // unparked, not yet running

    volatile int parked;
    public long dueAt = Long.MAX_VALUE; // written by the owner before it announces a park
    public long youngAfter = Long.MAX_VALUE; // the same

    WakerFields(Thread thread, Taker taker) {
        this.thread = thread;
        this.taker = taker;
    }
}

/** The padding after the fields of {@link Waker}. */
abstract class WakerL2Pad extends WakerFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    WakerL2Pad(Thread thread, Taker taker) {
        super(thread, taker);
    }
}
