package dev.offload.internal.control;

/**
 * The counters one worker keeps for itself, as {@link PoolCounters} adds them up: written by the worker with release
 * stores, read with volatile loads.
 *
 * <p>Any thread.
 */
public interface WorkerCounts {
    /** The worker's run and wait latencies, drained into the pool's totals. */
    LatencyRecorder latencies();

    /** Nanoseconds the worker spent running tasks. */
    long busyNanos();

    /** Outcomes the worker decided as completed. */
    long completedCount();

    /** Outcomes the worker decided as failed. */
    long failedCount();
}
