package dev.offload.internal.dispatch;

import dev.offload.internal.base.PaddedCounter;

/**
 * The hand-off of a pool with no queue ({@code maxQueue(0)}, a JDK {@code SynchronousQueue}, Piscina's
 * {@code maxQueue: 0}): a submit is accepted only while a worker is free to take it, else refused at once.
 *
 * <p>Overview: one counter of credits, the free workers less the accepted tasks that no worker has taken yet. A
 * worker counts as free from its registration until it takes a task, and again each time it finds the queue empty
 * with room for a task; a submit takes a credit or is refused. A free worker that takes a task spends the credit its
 * submit took; a worker that was not free and takes a task gives that task's credit back (the free worker it was
 * counted against is still free); a queued task that leaves the queue any other way (cancelled, timed out, refused at
 * hand-over) gives its credit back; a free worker that ends withdraws its own. So the count never lets more tasks in
 * than free workers can start, and never refuses while one is free and nothing waits for it.
 *
 * <p>Memory ordering: the counter is changed by atomic read-modify-writes only; the tasks themselves are published by
 * the queue. Any thread: submitters, workers, cancellers, the supervisor.
 */
public final class FreeWorkers {
    private final PaddedCounter credits = new PaddedCounter();
    // A submit was refused, or a caller was told none is free (needsDrain), since a worker last became free. Set before
    // the count is read again, which pairs with free()'s increment before its read of this flag (both volatile): a
    // worker that frees itself meanwhile either is seen by that read or sees the flag and fires the drain listener.
    private volatile boolean refused;

    /**
     * Takes a credit for a task about to be queued.
     *
     * @return {@code true} if a worker is free to take it; {@code false}: refuse the task (counted for {@link #free})
     */
    public boolean tryClaim() {
        while (true) {
            long n = credits.get();
            if (n <= 0) {
                refused = true;
                if (credits.get() <= 0) {
                    return false;
                }
                continue; // a worker became free meanwhile (it may fire a drain nobody waits for: harmless)
            }
            if (credits.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    /** A claimed task left the queue without a worker starting it, or a worker that was not free took one. */
    public void giveBack() {
        credits.getAndAdd(1);
    }

    /**
     * A worker is free: it was registered, or it found the queue empty with room for a task.
     *
     * @return {@code true} if a submit was refused since a worker last became free: the pool's drain listener fires
     */
    public boolean free() {
        credits.getAndAdd(1);
        if (refused) {
            refused = false;
            return true;
        }
        return false;
    }

    /** A free worker ended: its credit goes with it. */
    public void withdraw() {
        credits.getAndAdd(-1);
    }

    /**
     * Whether a submit would be refused now. A caller told so waits for the drain listener, as Piscina's pump pauses
     * on {@code needsDrain} and resumes on {@code 'drain'}: the next worker to become free fires it.
     */
    public boolean noneFree() {
        if (credits.get() > 0) {
            return false;
        }
        refused = true;
        return credits.get() <= 0;
    }
}
