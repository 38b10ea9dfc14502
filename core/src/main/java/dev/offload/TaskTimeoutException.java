package dev.offload;

import java.io.Serial;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A task ran, or waited in the queue, longer than its limit ({@link TaskOptions#withTimeout},
 * {@link WorkerPool.Builder#taskTimeout}, and the queue-wait variants). Its future fails with this exception; a task
 * that had started is also cancelled (flag and interrupt), and its worker is abandoned if it does not stop within the
 * pool's {@link WorkerPool.Builder#cancelGracePeriod grace period}.
 */
public final class TaskTimeoutException extends TimeoutException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Which limit was passed. */
    public enum Phase {
        /** The task waited in the queue longer than its queue-wait limit and never ran. */
        QUEUED,
        /** The task ran longer than its run-time limit. */
        RUNNING
    }

    /** The task's type name. */
    private final String task;

    /** The limit that was passed. */
    private final transient Duration limit;

    /** How long the task had waited or run when the limit was enforced. */
    private final transient Duration elapsed;

    /** Which limit was passed. */
    private final Phase phase;

    /**
     * Creates the exception.
     *
     * @param task the task's type name
     * @param phase which limit was passed
     * @param limit the limit
     * @param elapsed how long the task had waited or run
     */
    public TaskTimeoutException(String task, Phase phase, Duration limit, Duration elapsed) {
        super((phase == Phase.RUNNING ? "task timed out while running" : "task timed out in the queue") + ": task="
                + task + ", limit=" + limit + ", elapsed=" + elapsed);
        this.task = task;
        this.phase = phase;
        this.limit = limit;
        this.elapsed = elapsed;
    }

    /**
     * Returns the task's type name.
     *
     * @return the name
     */
    public String task() {
        return task;
    }

    /**
     * Returns which limit was passed.
     *
     * @return the phase
     */
    public Phase phase() {
        return phase;
    }

    /**
     * Returns the limit that was passed.
     *
     * @return the limit
     */
    public Duration limit() {
        return limit;
    }

    /**
     * Returns how long the task had waited or run when the limit was enforced.
     *
     * @return the elapsed time
     */
    public Duration elapsed() {
        return elapsed;
    }
}
