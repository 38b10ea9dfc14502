package dev.offload;

import java.time.Duration;
import java.util.List;

/**
 * Something that happened to a {@link WorkerPool}, as its {@link PoolListener} sees it.
 *
 * <p>Threading: immutable.
 */
public sealed interface PoolEvent {
    /**
     * Returns the pool's name.
     *
     * @return the name
     */
    String pool();

    /**
     * The supervisor started a worker thread; it takes tasks once its state is made (an initializer that throws makes
     * it a {@link WorkerCrashed} instead). Emitted on the supervisor thread, or the building thread for the first
     * {@code minWorkers}.
     *
     * @param pool the pool's name
     * @param workerId the worker's number
     * @param thread the thread's name
     */
    record WorkerStarted(String pool, int workerId, String thread) implements PoolEvent {}

    /**
     * A worker thread ended normally.
     *
     * @param pool the pool's name
     * @param workerId the worker's number
     * @param reason why: {@code "idle"} (above {@code minWorkers} past its idle timeout), {@code "recycled"},
     *     {@code "closed"}, or {@code "abandoned thread ended"} (a thread abandoned earlier finally returned)
     */
    record WorkerExited(String pool, int workerId, String reason) implements PoolEvent {}

    /**
     * A worker died: a {@link VirtualMachineError} escaped a task, its initializer threw, or it failed outside a task.
     * Its task, if any, failed with {@link WorkerCrashedException}.
     *
     * @param pool the pool's name
     * @param workerId the worker's number
     * @param cause what killed it
     * @param uptime how long it had run
     */
    record WorkerCrashed(String pool, int workerId, Throwable cause, Duration uptime) implements PoolEvent {}

    /**
     * A replacement for a crashed worker will start after {@code delay} (the restart policy's backoff).
     *
     * @param pool the pool's name
     * @param unstableRestarts consecutive unstable restarts so far, this one included (0 after a stable run)
     * @param delay the wait before the start
     */
    record WorkerRestartScheduled(String pool, int unstableRestarts, Duration delay) implements PoolEvent {}

    /**
     * A worker kept running a task past the grace period after the task was cancelled, timed out or stopped by a
     * forced close: it will never get another task; its thread is left to finish alone, and a replacement keeps the
     * pool at size.
     *
     * @param pool the pool's name
     * @param workerId the worker's number
     * @param task the task's type name
     * @param stack where the task was when it was abandoned
     */
    record WorkerAbandoned(String pool, int workerId, String task, List<StackTraceElement> stack)
            implements PoolEvent {}

    /**
     * The pool's state changed.
     *
     * @param pool the pool's name
     * @param from the old state
     * @param to the new state
     * @param cause the last crash's cause when {@code to} is {@link PoolState#FAILED}, else {@code null}
     */
    record StateChanged(String pool, PoolState from, PoolState to, Throwable cause) implements PoolEvent {}

    /**
     * A task passed its time limit; its future failed with {@link TaskTimeoutException}.
     *
     * @param pool the pool's name
     * @param task the task's type name
     * @param phase which limit
     * @param limit the limit
     * @param elapsed how long it had waited or run
     */
    record TaskTimedOut(String pool, String task, TaskTimeoutException.Phase phase, Duration limit, Duration elapsed)
            implements PoolEvent {}

    /**
     * The watchdog: a task has been running longer than the pool's blocked-task threshold. Reported once per task.
     *
     * @param pool the pool's name
     * @param workerId the worker running it
     * @param task the task's type name
     * @param runningFor how long it had run
     * @param stack where it was
     */
    record TaskBlocked(String pool, int workerId, String task, Duration runningFor, List<StackTraceElement> stack)
            implements PoolEvent {}

    /**
     * The queue reached its bound: submits are refused until it drains.
     *
     * @param pool the pool's name
     * @param maxQueue the bound
     */
    record QueueFull(String pool, int maxQueue) implements PoolEvent {}

    /**
     * The queue, having been full, drained to half its bound (the moment {@code onDrain} runs).
     *
     * @param pool the pool's name
     * @param maxQueue the bound
     */
    record QueueDrained(String pool, int maxQueue) implements PoolEvent {}
}
