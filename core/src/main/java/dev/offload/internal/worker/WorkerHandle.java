package dev.offload.internal.worker;

import dev.offload.internal.control.WorkerCounts;
import dev.offload.internal.idle.Waker;
import dev.offload.internal.task.TaskRecord;
import java.util.List;
import java.util.Map;

/**
 * A worker as its supervisor drives it: start it, read what it runs, retire it, abandon it, read its stack. A pool's
 * thread worker ({@link ThreadWorker}) implements it; a worker that is a child process can implement the same, so that
 * the supervisor's rules, restarts and close apply to it unchanged.
 *
 * <p>Threading: the supervisor thread calls it, except what the methods say; what a worker publishes (its running
 * task, its flags) is read with volatile loads.
 */
public interface WorkerHandle extends WorkerCounts {
    /** Makes a worker for a pool: the pool gives the supervisor {@code ThreadWorker::new}. */
    @FunctionalInterface
    interface Factory {
        /**
         * Makes a worker that has not started.
         *
         * @param host the pool it works for
         * @param watcher its supervisor
         * @param id its number within the pool
         * @return the worker
         */
        WorkerHandle create(WorkerHost host, WorkerWatcher watcher, int id);
    }

    /** The worker's number within its pool. */
    int workerId();

    /** When the worker was made ({@link System#nanoTime()}). */
    long startedNanos();

    /** Starts the worker; throws what starting it throws (such as {@link OutOfMemoryError} for a thread). */
    void start();

    /** The name of the worker's thread (or process). */
    String threadName();

    /** Whether the worker's thread (or process) is still alive. */
    boolean isAlive();

    /**
     * After the worker told its watcher it ended: waits, at most {@code nanos}, for its thread (or process) to be gone,
     * so that a close that returns has no worker thread left alive. It is at its last statement by then.
     *
     * @param nanos the bound
     */
    void awaitGone(long nanos);

    /** What the worker runs now, as a stack, for the watchdog and abandonment reports. */
    List<StackTraceElement> stack();

    /** Whether the worker told its watcher it ended. */
    boolean hasReported();

    /** Whether the worker's initializer returned (it takes tasks). */
    boolean isOnline();

    /** The task running now, or {@code null}; any thread (a volatile read). */
    TaskRecord current();

    /** When the running task started; read after {@link #current()}, which it was written before. */
    long currentStart();

    /** The worker's async tasks whose stage is pending, with the time each started; any thread. */
    Map<TaskRecord, Long> pendingAsync();

    /** Whether the worker is running a task, or a run of tasks back to back. */
    boolean isBusy();

    /** Abandons the worker if it is still inside {@code record}: a CAS the worker's own leaving races with. */
    boolean abandonIn(TaskRecord record);

    /** The worker leaves the pool: it takes nothing more, and its idling counts no more. */
    void leave();

    /** Whether the worker was left to itself (abandoned). */
    boolean isAbandoned();

    /** Asks the worker to end after its current task (a recycle), and wakes it. */
    void requestRetire();

    /** Whether the worker has state made by the pool's initializer. */
    boolean hasState();

    /** The worker's state, for a teardown by the supervisor, or {@code null}. */
    Object stateForTeardown();

    /** The part of the worker that producers wake. */
    Waker waker();
}
