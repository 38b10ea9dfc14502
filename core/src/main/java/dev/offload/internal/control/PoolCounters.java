package dev.offload.internal.control;

import dev.offload.LatencySummary;
import dev.offload.internal.base.PaddedCounter;
import dev.offload.internal.task.TaskRecord;

/**
 * A pool's outcome counters and latency histograms. Counters that several threads write per task are padded; a
 * worker counts what it decides in its own counters, which are added up here, and merged in when the worker ends.
 *
 * <p>Any thread. {@link #mergeEnded}, the histogram drains and the readers take this object's own lock, which no
 * submitting or worker thread ever takes on the hot path.
 */
public final class PoolCounters {
    public final PaddedCounter refusedFull = new PaddedCounter(); // submitted = slots ever reserved + these
    final PaddedCounter completed = new PaddedCounter();
    final PaddedCounter failed = new PaddedCounter();
    public final PaddedCounter cancelled = new PaddedCounter();
    public final PaddedCounter rejected = new PaddedCounter();
    public final PaddedCounter timedOut = new PaddedCounter();
    public final PaddedCounter workerCrashes = new PaddedCounter();
    public final PaddedCounter workerRestarts = new PaddedCounter();
    public final PaddedCounter workersAbandoned = new PaddedCounter();

    private final LatencyHistogram asyncRunTimes = new LatencyHistogram(); // guarded by itself: async tasks only
    private final LatencyHistogram runTotal = new LatencyHistogram(); // guarded by this
    private final LatencyHistogram waitTotal = new LatencyHistogram(); // guarded by this
    private long endedBusyNanos; // guarded by this
    private long endedCompleted; // guarded by this
    private long endedFailed; // guarded by this

    /** Counts an outcome decided by a thread that is not a worker of the pool (or by a worker on its behalf). */
    public void count(TaskRecord.Outcome outcome) {
        switch (outcome) {
            case COMPLETED -> completed.getAndIncrement();
            case FAILED, CRASHED -> failed.getAndIncrement();
            case TIMED_OUT -> {
                failed.getAndIncrement();
                timedOut.getAndIncrement();
            }
            case CANCELLED -> cancelled.getAndIncrement();
            case REJECTED -> rejected.getAndIncrement();
        }
    }

    public void recordAsyncRunTime(long nanos) {
        synchronized (asyncRunTimes) { // async completions come from any thread; their path is not the hot one
            asyncRunTimes.record(nanos);
        }
    }

    /** A worker thread ended: its counters and histograms join the totals. */
    public synchronized void mergeEnded(WorkerCounts worker) {
        worker.latencies().drainInto(runTotal, waitTotal);
        endedBusyNanos += worker.busyNanos();
        endedCompleted += worker.completedCount();
        endedFailed += worker.failedCount();
    }

    /** Reads the totals with the given live workers' counters added. */
    public synchronized Totals read(WorkerCounts[] live) {
        long busy = endedBusyNanos;
        long done = endedCompleted + completed.get();
        long fail = endedFailed + failed.get();
        for (WorkerCounts w : live) {
            w.latencies().drainInto(runTotal, waitTotal);
            busy += w.busyNanos();
            done += w.completedCount();
            fail += w.failedCount();
        }
        synchronized (asyncRunTimes) {
            runTotal.add(asyncRunTimes);
            asyncRunTimes.reset();
        }
        return new Totals(done, fail, busy, runTotal.summary(), waitTotal.summary());
    }

    public record Totals(
            long completed, long failed, long busyNanos, LatencySummary runTime, LatencySummary waitTime) {}
}
