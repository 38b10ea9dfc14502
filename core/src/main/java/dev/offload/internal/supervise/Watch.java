package dev.offload.internal.supervise;

import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.WorkerHandle;
import java.lang.ref.WeakReference;

/**
 * What the supervisor knows about one live worker beyond what the worker publishes: whether its thread was started,
 * whether its silent death was handled, which stopped task's grace period is being timed, which task the watchdog
 * reported; and, for one pass of the rules, the task it runs and when that began.
 *
 * <p>It never keeps a task alive: a record holds the task, its options (a stream's subscriber among them) and, once
 * it ended, its output, and the supervisor may sleep for a long time after a task ends. So the pass's reading is
 * dropped when the pass ends, and the two tasks remembered across passes are held weakly: a task that ended and was
 * collected can no longer be the one a worker runs.
 *
 * <p>Supervisor thread only (or the thread that builds the pool, before the supervisor starts).
 */
final class Watch {
    final WorkerHandle worker;
    boolean startedThread;
    boolean deathHandled;
    private WeakReference<TaskRecord> stopSeenFor; // the stopped task the supervisor is timing the grace period of
    long stopSeenAt;
    private WeakReference<TaskRecord> reportedBlocked; // the task the watchdog reported

    // This pass's reading of the worker's running task: current first (volatile), then its start, written before it.
    TaskRecord task;
    long taskStart;

    Watch(WorkerHandle worker) {
        this.worker = worker;
    }

    /** Reads the worker's running task for a pass of the rules; returns this. */
    Watch read() {
        task = worker.current();
        taskStart = worker.currentStart();
        return this;
    }

    /** Ends a pass: drops its reading of the task, which may end at any moment after it. */
    void endPass() {
        task = null;
    }

    /** Whether the grace period being timed is {@code r}'s. */
    boolean stopSeenFor(TaskRecord r) {
        return stopSeenFor != null && stopSeenFor.refersTo(r);
    }

    /** Starts timing {@code r}'s grace period at {@code now}. */
    void stopSeen(TaskRecord r, long now) {
        stopSeenFor = new WeakReference<>(r);
        stopSeenAt = now;
    }

    /** Whether the watchdog reported {@code r}. */
    boolean reportedBlocked(TaskRecord r) {
        return reportedBlocked != null && reportedBlocked.refersTo(r);
    }

    /** The watchdog reported {@code r}. */
    void reportBlocked(TaskRecord r) {
        reportedBlocked = new WeakReference<>(r);
    }
}
