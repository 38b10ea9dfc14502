package dev.offload.internal.supervise;

import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.WorkerHandle;

/**
 * What the supervisor knows about one live worker beyond what the worker publishes: whether its thread was started,
 * whether its silent death was handled, which stopped task's grace period is being timed, which task the watchdog
 * reported; and, for one pass of the rules, the task it runs and when that began.
 *
 * <p>Supervisor thread only (or the thread that builds the pool, before the supervisor starts).
 */
final class Watch {
    final WorkerHandle worker;
    boolean startedThread;
    boolean deathHandled;
    TaskRecord stopSeenFor; // the stopped task the supervisor is timing the grace period of
    long stopSeenAt;
    TaskRecord reportedBlocked; // the task the watchdog reported

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
}
