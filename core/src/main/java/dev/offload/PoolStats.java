package dev.offload;

/**
 * A reading of a {@link WorkerPool}'s counters. Every submit that passes argument checks counts in {@code submitted}
 * and ends in exactly one of the other four; once no task is queued or running,
 * {@code submitted == completed + failed + cancelled + rejected}.
 *
 * @param submitted submits that passed argument checks
 * @param completed tasks that returned a value
 * @param failed tasks that threw, or returned a value that may not be sent back
 * @param cancelled tasks cancelled while queued or running
 * @param rejected submits refused (queue full, pool closed), queued tasks dropped by a forced close, or tasks a
 *     queue refused when an event loop handed them over (only a queue full of cancelled tasks does)
 * @param queued tasks waiting for a worker
 * @param busyWorkers workers running tasks
 * @param workers live workers
 * @param runTime time from a worker taking a task to its result
 * @param waitTime time from the task being handed to the workers (at submit; for a task submitted from an event loop
 *     callback, when the loop publishes the callback's batch, see {@link EventLoop}) to a worker taking it
 * @param utilization time spent running tasks divided by {@code maxWorkers} times the pool's age, between 0 and 1
 */
public record PoolStats(
        long submitted,
        long completed,
        long failed,
        long cancelled,
        long rejected,
        int queued,
        int busyWorkers,
        int workers,
        LatencySummary runTime,
        LatencySummary waitTime,
        double utilization) {
    /**
     * Returns the number of submitted tasks that have not ended yet.
     *
     * @return {@code submitted - completed - failed - cancelled - rejected}
     */
    public long inFlight() {
        return submitted - completed - failed - cancelled - rejected;
    }
}
