package dev.offload.internal.worker;

import dev.offload.internal.task.TaskRecord;

/**
 * Who watches a {@link ThreadWorker} from outside (the pool's supervisor): what the worker tells it about its life and its
 * tasks' time limits.
 *
 * <p>Called from the worker's thread.
 */
public interface WorkerWatcher {
    /** The reason of a worker that retired after its idle timeout; it gave its place up itself. */
    String IDLE = "idle";

    /** The worker's initializer returned: it takes tasks. */
    void workerOnline(WorkerHandle worker);

    /** The worker's thread ends: with a crash (and whether a task caused it), or for {@code reason}. */
    void workerEnded(WorkerHandle worker, Throwable crash, boolean taskCaused, String reason);

    /** The worker set its busy flag: a watcher asleep with no deadline wakes (for the watchdog). */
    void noteBusy();

    /** The worker published a task whose limit falls at {@code deadline}: a watcher asleep past it wakes. */
    void noteDeadline(long deadline);

    /** The run-time limit of {@code record} in nanoseconds, 0 for none. */
    long runLimitOf(TaskRecord record);
}
