package dev.offload.internal.loop;

import dev.offload.internal.idle.Waker;
import java.util.concurrent.TimeUnit;

/**
 * When a parked event loop that is owed completions looks at its inbox without being woken, and which completions
 * wake it anyway.
 *
 * <p>Workers leave a parked loop asleep while its completions are not urgent (see {@code LoopCore.deliverCompletion}),
 * so that with every core running a task the loop takes a core from the workers once per batch of completions, not
 * once per task. The loop then looks on its own: after a quarter of the age (from submit to the loop's next idle step)
 * of the youngest completion it found, within [{@value #MIN_NANOS}, {@value #MAX_NANOS}] ns, and less often (doubling)
 * while a look finds nothing. So the results of tasks that waited in a deep queue or ran long are collected in larger
 * batches, each a small part of their own time, and those of short tasks keep the shortest period. Work that is not a
 * completion (a callback, a timer) keeps the period. A completion much younger than those the period was set from
 * (submitted less than two periods before the loop went idle) wakes the loop instead of waiting: one that waits was
 * at least two periods old when the loop went idle, so it waits at most about half of its own time, or
 * {@value #MIN_NANOS} ns; never more than {@value #MAX_NANOS} ns, plus the OS's timer slack and the time it takes to
 * run the woken loop while workers hold the cores.
 *
 * <p>Loop thread only.
 */
final class InboxPollSchedule {
    /** The shortest time between two looks. */
    static final long MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The longest time between two looks. */
    static final long MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The period is this fraction of the youngest completion's time from submit. */
    static final int AGE_DIVISOR = 4;

    private long lookAt = Long.MAX_VALUE;
    private long period; // 0: none yet
    private boolean found; // a completion was found since the period was last set
    private long youngestSubmit; // the latest submit stamp among those completions
    private long youngAfter = Long.MAX_VALUE;

    /**
     * The loop found the completion of a task submitted at {@code submitNanos}.
     *
     * @param submitNanos the task's submit stamp ({@link System#nanoTime()})
     */
    void completed(long submitNanos) {
        if (!found || submitNanos - youngestSubmit > 0) {
            youngestSubmit = submitNanos;
            found = true;
        }
    }

    /**
     * The loop found work: the next idle step plans a new look, with a period set afresh from the completions found
     * meanwhile, if any (else the period stays).
     */
    void worked() {
        lookAt = Long.MAX_VALUE;
    }

    /**
     * The loop found no work at {@code now} and is about to wait: returns when it must look at its inbox on its own.
     *
     * @param now {@link System#nanoTime()}
     * @param owed whether tasks the loop submitted are still running or queued
     * @return the time of the next look, or {@link Long#MAX_VALUE} if nothing is owed
     */
    long idle(long now, boolean owed) {
        if (!owed) { // the next completions are of tasks not yet submitted: start afresh
            lookAt = Long.MAX_VALUE;
            period = 0;
            found = false;
            youngAfter = Long.MAX_VALUE;
            return lookAt;
        }
        if (lookAt == Long.MAX_VALUE) {
            if (found) {
                period = periodFor(now - youngestSubmit);
                found = false;
            } else if (period == 0) {
                period = MIN_NANOS;
            }
        } else if (now - lookAt >= 0) { // a look that found nothing
            period = Math.min(2 * period, MAX_NANOS);
        } else {
            return lookAt; // the same plan: idle steps before the look write nothing the workers read
        }
        lookAt = now + period;
        youngAfter = period > MIN_NANOS ? now - 2 * period : Long.MAX_VALUE;
        return lookAt;
    }

    /**
     * Returns the submit stamp after which a completion wakes the parked loop (for {@link Waker#youngAfter}), as of
     * the last {@link #idle} that planned a look; {@link Long#MAX_VALUE} for none (the period is the shortest).
     *
     * @return the stamp, or {@link Long#MAX_VALUE}
     */
    long youngAfter() {
        return youngAfter;
    }

    /**
     * Returns the period for a youngest completion of age {@code ageNanos}: a quarter of it, within
     * [{@value #MIN_NANOS}, {@value #MAX_NANOS}].
     *
     * @param ageNanos the youngest completion's time from submit to the loop
     * @return the period, in nanoseconds
     */
    static long periodFor(long ageNanos) {
        return Math.max(MIN_NANOS, Math.min(MAX_NANOS, ageNanos / AGE_DIVISOR));
    }
}
