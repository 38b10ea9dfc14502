package dev.offload.internal.dispatch;

import dev.offload.internal.base.PaddedCounter;

/**
 * How many workers a pool has, between {@code min} and {@code max}: growth under load and retirement after an idle
 * timeout, such that a task is never left in the queue with no worker to run it.
 *
 * <p>Overview: a retiring worker first gives up its place ({@code live - 1}, a volatile CAS), then re-reads the queue
 * (volatile); if a task is there it takes its place back and stays. A submitter first offers its task (volatile), then
 * decides whether a worker is needed. Whichever comes second sees the other: either the retiring worker sees the task,
 * or the submitter sees one worker fewer and starts one. The place is taken back with the same bounded CAS as growth,
 * so the pool never exceeds {@code max}.
 *
 * <p>Any thread.
 */
public final class Staffing {
    /** What the retiring worker re-reads after giving up its place. */
    public interface QueueProbe {
        /**
         * Returns whether a task is waiting.
         *
         * @return {@code true} if the queue is not empty (volatile read or stronger)
         */
        boolean hasQueued();
    }

    private final PaddedCounter live = new PaddedCounter();
    private final int min;
    private final int max;

    /**
     * Creates the staffing bounds with no worker yet.
     *
     * @param min workers kept when idle
     * @param max the most workers
     */
    public Staffing(int min, int max) {
        this.min = min;
        this.max = max;
    }

    /**
     * Reserves a place for a new worker if below {@code max}.
     *
     * @return {@code true} if the caller must start a worker
     */
    public boolean tryGrow() {
        while (true) {
            long n = live.get();
            if (n >= max) {
                return false;
            }
            if (live.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * A worker whose idle timeout passed asks to leave; it may if the pool stays at or above {@code min} and no task
     * is waiting.
     *
     * @param queue re-read after the place is given up
     * @return {@code true} if the worker must end now
     */
    public boolean tryRetire(QueueProbe queue) {
        long n = live.get();
        if (n <= min || !live.compareAndSet(n, n - 1)) {
            return false;
        }
        // Volatile read after the CAS: pairs with the submitter's offer-then-read. If a task came in, take the place
        // back unless a submitter already gave it to a new worker, which will run the task.
        return !queue.hasQueued() || !tryGrow();
    }

    /**
     * Reserves a place above {@code max} for a replacement that runs beside the worker it replaces until that one
     * retires (a rolling recycle keeps capacity); the old worker's {@link #release()} restores the count.
     */
    public void growForReplacement() {
        live.getAndAdd(1);
    }

    /** A worker that ended (or was abandoned, or never started) gives its place back. */
    public void release() {
        live.getAndAdd(-1);
    }

    /**
     * Returns the number of workers that hold a place.
     *
     * @return live workers
     */
    public int live() {
        return (int) live.get();
    }

    /**
     * Returns whether more workers than {@code min} hold a place, so an idle one may retire.
     *
     * @return {@code true} if above {@code min}
     */
    public boolean aboveMin() {
        return live.get() > min;
    }
}
