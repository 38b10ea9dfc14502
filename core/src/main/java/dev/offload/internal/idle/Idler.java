package dev.offload.internal.idle;

import dev.offload.internal.base.L1Pad;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The waiting side of one thread (an event loop or a worker): spin, then yield, then park until woken.
 *
 * <p>Overview: the owner thread calls {@link #idle(WorkSource, long)} each time it found no work, and
 * {@link #reset()} each time it found some. Producers call {@link #wake()} after publishing work. The owner announces
 * that it is about to park ({@code parked = 1}), re-checks its work source, and only then parks; a producer publishes
 * work, then reads {@code parked}. Both sides use volatile accesses, so at least one of them sees the other (Dekker):
 * either the owner finds the work, or the producer sees the flag and unparks it. No wake-up is lost.
 *
 * <p>The clock is first read after 64 spins, and the spin budget counts from there: most idle periods between two
 * hand-offs end sooner and read no clock. Spinning yields once every 20 µs: the thread the owner waits for may have
 * been placed on the same core by the OS, and would otherwise wait for the end of the time slice. Alone on its core, a
 * yield returns at once.
 *
 * <p>CPU budget: the owner counts in {@link OnCpuThreads} while it runs, spins or yields, and not while it parks. When
 * more offload threads are on a CPU than there are cores, a spinning owner yields at each clock check (as it starts to
 * wait, then every 64 spins) instead of every 20 µs, so that a thread with work waiting for its core gets it; and if
 * no work came for {@value #OVERSUBSCRIBED_PARK_NANOS} ns of that, it parks, as it is not needed now (with
 * {@code LATENCY}, which never parks, it goes on yielding). It does not park at once: a worker that parked while its
 * loop refilled the queue would cost a wake-up for the next task, and in bursts of real work on two cores (P14)
 * parking at once took 1.2 times the time per task of yielding. Nor does it yield for its whole spin budget: a loop
 * with one task in flight and two workers then keeps three threads taking turns on two cores, where parking the idle
 * worker leaves two.
 *
 * <p>Owner thread only, but {@link #wake()} from any thread.
 */
public final class Idler extends IdlerL2Pad {
    private static final int CLOCK_CHECK_MASK = 63;
    private static final long SPIN_YIELD_NANOS = 20_000;
    /**
     * How long a waiting thread yields while offload's threads outnumber the cores before it parks: longer than a woken
     * loop waits for a core behind a spinning worker (10 to 54 µs in a scheduler trace of {@code BurstBenchmark}).
     */
    static final long OVERSUBSCRIBED_PARK_NANOS = 50_000;

    private static final int SPIN = 0;
    private static final int YIELD = 1;
    private static final int PARK = 2;

    /** What the owner waits for; must read the producer side with volatile (or stronger) semantics. */
    public interface WorkSource {
        /**
         * Returns whether work is available.
         *
         * @return {@code true} if there is work to do
         */
        boolean hasWork();

        /**
         * Owner, right after {@link #hasWork()} returned {@code false} before a park: the longest the park may last,
         * in nanoseconds, because the check found something that will need a look without a wake-up (an event loop
         * whose port's sender is still inside the callback that posted to it: see {@code Endpoint}).
         *
         * @return the bound, or {@link Long#MAX_VALUE} for none
         */
        default long parkBoundNanos() {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Creates the idler of {@code owner}.
     *
     * @param owner the thread that waits
     * @param spinNanos the spin budget, {@code Long.MAX_VALUE} for no limit
     * @param yieldNanos the yield budget after spinning, {@code Long.MAX_VALUE} for no limit
     */
    public Idler(Thread owner, long spinNanos, long yieldNanos) {
        this(owner, null, spinNanos, yieldNanos);
    }

    /**
     * Creates the idler of a worker's thread.
     *
     * @param owner the thread that waits
     * @param worker the worker it runs, reachable from the {@link #waker()}; {@code null} for an event loop
     * @param spinNanos the spin budget, {@code Long.MAX_VALUE} for no limit
     * @param yieldNanos the yield budget after spinning, {@code Long.MAX_VALUE} for no limit
     */
    public Idler(Thread owner, Taker worker, long spinNanos, long yieldNanos) {
        super(new Waker(owner, worker), spinNanos, yieldNanos);
    }

    /**
     * Any thread: whether offload's threads on a CPU (running, spinning or yielding) outnumber the cores, so that a
     * thread that would spin while it waits should yield its core often instead.
     *
     * @return {@code true} if a waiting thread should not spin now
     */
    public static boolean oversubscribed() {
        return OnCpuThreads.oversubscribed();
    }

    /** Owner thread, when it starts: it counts as on a CPU. */
    public void start() {
        enterBudget();
    }

    /** Owner thread, when it ends: it no longer counts as on a CPU. */
    public void stop() {
        exitBudget();
    }

    /**
     * Owner found work: the next idle period starts with spinning again. It counts as on a CPU already: a park, the
     * only way out of the count while the owner lives, counts it again as it ends.
     */
    public void reset() {
        steps = 0;
    }

    /**
     * Any thread: the owner was abandoned to a task that will not stop; it no longer counts in the CPU budget, so that
     * a thread that may be blocked forever does not make the others park.
     */
    public void detach() {
        detached = true;
        exitBudget();
    }

    private void enterBudget() {
        if (!detached && onCpu.compareAndSet(false, true)) {
            OnCpuThreads.enter();
        }
    }

    private void exitBudget() {
        if (onCpu.compareAndSet(true, false)) {
            OnCpuThreads.exit();
        }
    }

    /**
     * One idle step: spin, yield or park, depending on how long the owner has been idle.
     *
     * @param source re-checked before parking
     * @param parkDeadline {@link System#nanoTime()} at which a park must end (a timer), or {@code Long.MAX_VALUE}
     * @return {@code true} if this step parked (so the caller may check a timeout), else {@code false}
     */
    public boolean idle(WorkSource source, long parkDeadline) {
        int step = steps++;
        long now = 0;
        if (step == 0) {
            phase = SPIN;
            clockStarted = false; // the clock starts at the first check: most idle periods end before it
        }
        if (phase == YIELD || (phase == SPIN && (spinNanos == 0 || (step != 0 && (step & CLOCK_CHECK_MASK) == 0)))) {
            now = System.nanoTime();
            if (!clockStarted) {
                clockStarted = true;
                idleSince = lastYield = now;
            }
            long idleFor = now - idleSince;
            phase = idleFor < spinNanos ? SPIN : idleFor - spinNanos < yieldNanos ? YIELD : PARK;
        }
        if (phase == SPIN && (step & CLOCK_CHECK_MASK) == 0) {
            if (OnCpuThreads.oversubscribed()) {
                if (step != 0 && yieldNanos != Long.MAX_VALUE && now - idleSince >= OVERSUBSCRIBED_PARK_NANOS) {
                    // No work came while others wanted the cores: this thread is not needed now. Not with LATENCY
                    // (no yield budget), which never parks.
                    phase = PARK;
                } else {
                    // More offload threads are on a CPU than there are cores: one that has work may be waiting for
                    // this core, for instance a loop woken to hand tasks over, which the OS does not let in at once
                    // while this thread spins. A yield lets it in now. A park would too, but then the next task
                    // handed over would cost a wake-up of this thread (see the class comment).
                    Thread.yield();
                    return false;
                }
            } else if (step != 0 && now - lastYield >= SPIN_YIELD_NANOS) {
                // The thread this one waits for may share its core (the OS placed both there): let it run now
                // rather than at the end of the time slice. Alone on the core, a yield returns at once.
                lastYield = now;
                Thread.yield();
                return false;
            }
        }
        if (phase == SPIN) {
            Thread.onSpinWait();
            return false;
        }
        if (phase == YIELD) {
            Thread.yield();
            return false;
        }
        park(source, parkDeadline);
        return true;
    }

    /**
     * Owner: whether its next {@link #idle} step only spins: a step of the spin phase between two clock checks, which
     * reads no clock, neither yields nor parks, and ignores its arguments. A caller that computes a park deadline
     * (reading the clock) may skip that for such a step.
     *
     * @return {@code true} if the next step is a bare {@link Thread#onSpinWait()}
     */
    public boolean spinsOnly() {
        int step = steps;
        return phase == SPIN && step != 0 && spinNanos != 0 && (step & CLOCK_CHECK_MASK) != 0;
    }

    private void park(WorkSource source, long parkDeadline) {
        exitBudget();
        try {
            if (!announcePark(source)) {
                return;
            }
            long bound = source.parkBoundNanos();
            if (bound != Long.MAX_VALUE) {
                long end = System.nanoTime() + bound;
                if (parkDeadline == Long.MAX_VALUE || end - parkDeadline < 0) {
                    parkDeadline = end;
                }
            }
            if (parkDeadline == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long wait = parkDeadline - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
            waker.clearPark();
        } finally {
            // On a CPU again, before it runs what woke it. Until this, the count took an owner back only in reset(),
            // after its work: a worker woken for a task ran the whole task uncounted, and threads that waited beside
            // it saw the cores free and spun.
            enterBudget();
        }
    }

    /**
     * Owner, about to park: announces it (volatile store), then re-checks {@code source} (volatile reads), which pairs
     * with {@link #wake()}; a stress test runs it as the owner of an unstarted loop. Work seen clears the announcement.
     *
     * @param source what the owner waits for
     * @return {@code true} if no work was seen and the owner may park (a producer that publishes now wakes it)
     */
    public boolean announcePark(WorkSource source) {
        waker.announcePark();
        if (source.hasWork()) {
            waker.clearPark();
            return false;
        }
        return true;
    }

    /**
     * Wakes the owner if it is parked or about to park. Any thread, after publishing work.
     *
     * @return {@code true} if the owner was parked and has been unparked
     */
    public boolean wake() {
        return waker.wake();
    }

    /**
     * Returns what producers use to wake the owner; hold it rather than this idler, whose line the owner writes.
     *
     * @return the waker
     */
    public Waker waker() {
        return waker;
    }
}

/** The fields of {@link Idler}, between its two paddings (see {@link L1Pad}). */
abstract class IdlerFields extends L1Pad {
    final long spinNanos;
    final long yieldNanos;

    // The owner's: it writes its spin state below on every idle step, on the same cache lines. Producers read the park
    // flag on every hand-off, so they hold the waker itself (see waker()), whose flag has cache lines of its own.
    final Waker waker;

    final AtomicBoolean onCpu = new AtomicBoolean(); // counted in OnCpuThreads; changed on park and wake only
    volatile boolean detached; // an abandoned worker: never counted again

    long idleSince;
    long lastYield;
    boolean clockStarted;
    int steps;
    int phase;

    IdlerFields(Waker waker, long spinNanos, long yieldNanos) {
        this.waker = waker;
        this.spinNanos = spinNanos;
        this.yieldNanos = yieldNanos;
    }
}

/** The padding after the fields of {@link Idler}. */
abstract class IdlerL2Pad extends IdlerFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;

    IdlerL2Pad(Waker waker, long spinNanos, long yieldNanos) {
        super(waker, spinNanos, yieldNanos);
    }
}
