package dev.offload;

/**
 * A reading of a {@link WorkerPool}'s counters. Every submit that passes argument checks counts in {@code submitted}
 * and ends in exactly one of {@code completed}, {@code failed}, {@code cancelled} or {@code rejected}; once no task is
 * queued or running, {@code submitted == completed + failed + cancelled + rejected}.
 *
 * @param submitted submits that passed argument checks
 * @param completed tasks that returned a value
 * @param failed tasks that threw, returned a value that may not be sent back, timed out, lost their worker to a crash,
 *     or were queued when the pool failed
 * @param cancelled tasks cancelled while queued or running, by their future, a forced close, or the close of the
 *     event loop that submitted them
 * @param rejected submits refused (queue full, pool closing or failed), or tasks an event loop could not hand over
 *     (the pool had closed meanwhile, or its queue was full of cancelled tasks)
 * @param timedOut of {@code failed}, the tasks that passed a time limit (queue wait or run time)
 * @param queued tasks waiting for a worker
 * @param busyWorkers workers running tasks
 * @param workers live workers (not counting abandoned ones)
 * @param workerCrashes workers that died (an error escaped a task, an initializer threw, a failure outside a task)
 * @param workerRestarts workers started to replace crashed ones
 * @param workersAbandoned workers left to a task that would not stop
 * @param state the pool's state
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
        long timedOut,
        int queued,
        int busyWorkers,
        int workers,
        long workerCrashes,
        long workerRestarts,
        long workersAbandoned,
        PoolState state,
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
