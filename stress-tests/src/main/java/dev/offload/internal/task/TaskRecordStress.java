package dev.offload.internal.task;

import dev.offload.PoolStats;
import dev.offload.Task;
import dev.offload.TaskOptions;
import dev.offload.TaskTimeoutException;
import dev.offload.WorkerCrashedException;
import dev.offload.internal.pool.PoolCore;
import dev.offload.internal.pool.StressPools;
import dev.offload.internal.worker.ThreadWorker;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Contracts 1, 4 and 5 on {@link TaskRecord}, through the real worker step ({@link ThreadWorker#execute}) and the real
 * deciders (a future's cancel, the supervisor's time limit): exactly one outcome, counted once, and no interrupt left
 * behind on the worker's thread. The actor standing in for the worker runs {@code execute} on its own thread.
 */
public final class TaskRecordStress {
    private TaskRecordStress() {}

    static final Task<Integer, Integer> IDENTITY = x -> x;

    /** What the future holds: 1 a value, 2 cancelled, 3 timed out, 4 worker crashed, 9 anything else. */
    static int futureState(CompletableFuture<?> f) {
        try {
            return f.join() != null ? 1 : 9;
        } catch (CancellationException e) {
            return 2;
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            return c instanceof TaskTimeoutException ? 3 : c instanceof WorkerCrashedException ? 4 : 9;
        }
    }

    /** The worker's step, as its thread runs it: takes the next task, if any, and runs it. Returns the task taken. */
    static TaskRecord takeAndRun(PoolCore core, ThreadWorker worker) {
        TaskRecord taken = core.pollForWorker();
        if (taken != null) {
            worker.execute(taken);
        }
        return taken;
    }

    /** The outcome counters as one number: completed, failed, cancelled, timed out as decimal digits. */
    static int counts(PoolCore core) {
        PoolStats s = core.stats();
        return (int) (s.completed() * 1000 + s.failed() * 100 + s.cancelled() * 10 + s.timedOut());
    }

    /**
     * The worker takes and finishes a queued task while another thread cancels it with interrupt. Results: r1 = the
     * worker's thread still interrupted after the task (must be 0), r2 = cancel returned true, r3 = counts (see
     * {@link #counts}), r4 = the future (see {@link #futureState}).
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1000, 1", expect = Expect.ACCEPTABLE, desc = "Worker finished first; cancel lost.")
    @Outcome(id = "0, 1, 10, 2", expect = Expect.ACCEPTABLE, desc = "Cancel won, while queued or running.")
    @Outcome(id = "1, .*", expect = Expect.FORBIDDEN, desc = "The cancel's interrupt leaked past the task.")
    @Outcome(id = ".*, 1010, .*", expect = Expect.FORBIDDEN, desc = "Counted twice: completed and cancelled.")
    @Outcome(id = ".*, 0, .*", expect = Expect.FORBIDDEN, desc = "Lost: neither completed nor cancelled.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Future and counters disagree.")
    @State
    public static class CancelVsFinish {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final ThreadWorker worker = StressPools.worker(core);
        private final CompletableFuture<Object> future = core.submit(IDENTITY, 1, TaskOptions.DEFAULT);

        @Actor
        public void worker(IIII_Result r) {
            takeAndRun(core, worker);
            r.r1 = Thread.currentThread().isInterrupted() ? 1 : 0;
            Thread.interrupted();
        }

        @Actor
        public void canceller(IIII_Result r) {
            r.r2 = future.cancel(true) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = counts(core);
            r.r4 = futureState(future);
        }
    }

    /**
     * The worker runs a task while the supervisor finds it past its run-time limit (1 ns) and stops it. Results: r1 =
     * interrupt left on the worker's thread, r2 = the task reached the worker (1) or was decided first (0), r3 =
     * counts, r4 = the future.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1000, 1", expect = Expect.ACCEPTABLE, desc = "The task returned before the limit check.")
    @Outcome(id = "0, 1, 101, 3", expect = Expect.ACCEPTABLE, desc = "Timed out while running.")
    @Outcome(id = "0, 0, 0, 9", expect = Expect.FORBIDDEN, desc = "Impossible: the worker always takes the task.")
    @Outcome(id = "1, .*", expect = Expect.FORBIDDEN, desc = "The timeout's interrupt leaked past the task.")
    @Outcome(id = ".*, 1101, .*", expect = Expect.FORBIDDEN, desc = "Counted twice: completed and timed out.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Future and counters disagree, or counted nowhere.")
    @State
    public static class TimeoutVsFinish {
        private final PoolCore core = StressPools.unstarted(0, 1, 1);
        private final ThreadWorker worker = StressPools.worker(core);
        private final CompletableFuture<Object> future = core.submit(IDENTITY, 1, TaskOptions.DEFAULT);
        private final TaskRecord record = (TaskRecord) future;

        @Actor
        public void worker(IIII_Result r) {
            r.r2 = takeAndRun(core, worker) == record ? 1 : 0;
            r.r1 = Thread.currentThread().isInterrupted() ? 1 : 0;
            Thread.interrupted();
        }

        @Actor
        public void supervisor() {
            core.supervisor().watchWorker(worker, System.nanoTime());
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = counts(core);
            r.r4 = futureState(future);
        }
    }

    /**
     * A task is cancelled without interrupt while the worker takes it. Results: r1 = the task's body ran, r2 = cancel
     * returned true, r3 = counts, r4 = queue slots still held (must be 0: the slot is given back exactly once).
     */
    @JCStressTest
    @Outcome(id = "0, 1, 10, 0", expect = Expect.ACCEPTABLE, desc = "Cancelled while queued: never ran.")
    @Outcome(id = "1, 1, 10, 0", expect = Expect.ACCEPTABLE, desc = "Cancelled while running: ran, counted once.")
    @Outcome(id = "1, 0, 1000, 0", expect = Expect.ACCEPTABLE, desc = "Completed before the cancel.")
    @Outcome(id = ".*, -1", expect = Expect.FORBIDDEN, desc = "The queue slot was released twice.")
    @Outcome(id = ".*, 1", expect = Expect.FORBIDDEN, desc = "The queue slot was never released.")
    @Outcome(id = "0, 0, .*", expect = Expect.FORBIDDEN, desc = "Neither ran nor cancelled: lost.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Counted twice, or counts and behaviour disagree.")
    @State
    public static class CancelVsStart {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final ThreadWorker worker = StressPools.worker(core);
        private volatile int ran;
        private final Task<Integer, Integer> marking = x -> {
            ran = 1;
            return x;
        };
        private final CompletableFuture<Object> future = core.submit(marking, 1, TaskOptions.DEFAULT);

        @Actor
        public void worker() {
            takeAndRun(core, worker);
        }

        @Actor
        public void canceller(IIII_Result r) {
            r.r2 = future.cancel(false) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r1 = ran;
            r.r3 = counts(core);
            r.r4 = core.gauge().queued();
        }
    }

    /**
     * A task's {@link VirtualMachineError} ends its worker while another thread cancels the task with interrupt.
     * Results: r1 = interrupt left on the worker's thread, r2 = the worker's step ended with the crash (1) or returned
     * (0), r3 = counts, r4 = the future.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 100, 4", expect = Expect.ACCEPTABLE, desc = "The crash decided: WorkerCrashedException.")
    @Outcome(id = "0, 1, 10, 2", expect = Expect.ACCEPTABLE, desc = "Cancel won while running; the worker still dies.")
    @Outcome(id = "0, 0, 10, 2", expect = Expect.ACCEPTABLE, desc = "Cancel won while queued: never ran.")
    @Outcome(id = "1, .*", expect = Expect.FORBIDDEN, desc = "The cancel's interrupt leaked.")
    @Outcome(id = ".*, 110, .*", expect = Expect.FORBIDDEN, desc = "Counted twice: crashed and cancelled.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Lost, or future and counters disagree.")
    @State
    public static class CrashVsCancel {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final ThreadWorker worker = StressPools.worker(core);
        private final Task<Integer, Integer> overflowing = x -> {
            throw new StackOverflowError("simulated");
        };
        private final CompletableFuture<Object> future = core.submit(overflowing, 1, TaskOptions.DEFAULT);

        @Actor
        public void worker(IIII_Result r) {
            TaskRecord record = core.pollForWorker();
            try {
                if (record != null) {
                    worker.execute(record);
                }
            } catch (ThreadWorker.WorkerDied e) {
                r.r2 = 1;
            }
            r.r1 = Thread.currentThread().isInterrupted() ? 1 : 0;
            Thread.interrupted();
        }

        @Actor
        public void canceller() {
            future.cancel(true);
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r3 = counts(core);
            r.r4 = futureState(future);
        }
    }

    /**
     * A cancel with interrupt, then the supervisor's abandon ({@link ThreadWorker#abandonIn}, which it tries only for a task
     * stopped with interrupt), race the worker finishing the task and leaving it. Both must agree: either the worker
     * left first and goes on, or it is abandoned and knows it (and takes no other task). A cancel that won while the
     * task ran must make it read as stopped with interrupt; one that lost to the worker's finish must not. Results:
     * r1 = the worker knows it was abandoned (1) plus whether the task's body ran (2), r2 = the supervisor abandoned
     * it, r3 = counts, r4 = the task reads as stopped with interrupt.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1000, 0", expect = Expect.ACCEPTABLE, desc = "The worker finished first; the cancel lost.")
    @Outcome(id = "0, 0, 10, 0", expect = Expect.ACCEPTABLE, desc = "Cancelled while queued; the task never ran.")
    @Outcome(id = "2, 0, 10, 1", expect = Expect.ACCEPTABLE, desc = "Cancelled running; the worker left first.")
    @Outcome(
            id = "3, 1, 10, 1",
            expect = Expect.ACCEPTABLE,
            desc = "Cancelled and abandoned inside the task; it knows.")
    @Outcome(id = "[02], 1, .*", expect = Expect.FORBIDDEN, desc = "Abandoned, but the worker goes on: two owners.")
    @Outcome(id = "[13], 0, .*", expect = Expect.FORBIDDEN, desc = "The worker stops, but nobody abandoned it.")
    @Outcome(id = ".*, 1000, 1", expect = Expect.FORBIDDEN, desc = "A cancel that lost left the mark of an interrupt.")
    @Outcome(
            id = "2, 0, 10, 0",
            expect = Expect.FORBIDDEN,
            desc = "Cancelled running, but not marked: never abandoned.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "The task counted wrongly.")
    @State
    public static class AbandonVsFinish {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final ThreadWorker worker = StressPools.worker(core);
        private final int[] ran = new int[1]; // the stress pool is trusted: the task writes this array itself
        private final CompletableFuture<Object> future = core.submit(
                (Task<int[], Integer>) a -> {
                    a[0] = 1;
                    return 1;
                },
                ran,
                TaskOptions.DEFAULT);
        private final TaskRecord record = (TaskRecord) future;

        @Actor
        public void worker(IIII_Result r) {
            takeAndRun(core, worker);
            r.r1 = worker.abandonedHere() ? 1 : 0;
            Thread.interrupted();
        }

        @Actor
        public void supervisor(IIII_Result r) {
            future.cancel(true);
            // As the supervisor's scan: only a task stopped with interrupt gets its worker abandoned.
            boolean abandon = record.isStopRequested() && record.stoppedWithInterrupt() && worker.abandonIn(record);
            r.r2 = abandon ? 1 : 0;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            r.r1 += 2 * ran[0];
            r.r3 = counts(core);
            r.r4 = record.stoppedWithInterrupt() ? 1 : 0;
        }
    }
}
