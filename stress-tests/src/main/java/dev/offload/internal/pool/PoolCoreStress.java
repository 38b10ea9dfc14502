package dev.offload.internal.pool;

import dev.offload.PoolFailedException;
import dev.offload.Task;
import dev.offload.TaskOptions;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.ThreadWorker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Contracts 1, 5 and 6 on a pool's admission and its workers' exit, against its state changes, on the real code with
 * short actors.
 */
public final class PoolCoreStress {
    private PoolCoreStress() {}

    static final Task<Integer, Integer> IDENTITY = x -> x;

    /**
     * A submit races with the start of a graceful close; then a worker checks whether it may end. Results: r1 =
     * submit accepted, r2 = the worker would end now (leaving the task behind).
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "Accepted before close: the worker stays to run it.")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "Refused: the pool was closing; the worker ends.")
    @Outcome(
            id = "0, 0",
            expect = Expect.ACCEPTABLE_INTERESTING,
            desc = "Refused; the worker saw the refused submit's slot for a moment and checks again later.")
    @Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "Accepted, but the worker ends: the task is stranded.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class SubmitVsClose {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final ThreadWorker worker = StressPools.worker(core);

        @Actor
        public void submitter(II_Result r) {
            try {
                core.submit(IDENTITY, 1, TaskOptions.DEFAULT);
                r.r1 = 1;
            } catch (RejectedExecutionException e) {
                r.r1 = 0;
            }
        }

        @Actor
        public void closer(II_Result r) {
            core.beginDrain();
            r.r2 = worker.shouldExit() ? 1 : 0;
        }
    }

    /**
     * A submit races with the pool failing (its supervisor sets FAILED, then fails what is queued). An accepted task
     * must still end: failed by that drain, or, if it was queued after it, by the next drain of a supervisor that the
     * submit woke (the pool is at its size, so a growth request does not wake it). Results: r1 = submit accepted, r2 = the task's end (0 none, 1 failed with PoolFailedException, 2
     * refused at submit), r3 = the submit woke the supervisor.
     */
    @JCStressTest
    @Outcome(id = "1, 1, .*", expect = Expect.ACCEPTABLE, desc = "Accepted, then failed by the supervisor's drain.")
    @Outcome(id = "0, 2, .*", expect = Expect.ACCEPTABLE, desc = "Refused: the pool had failed.")
    @Outcome(id = "1, 0, .*", expect = Expect.FORBIDDEN, desc = "Accepted but never ended: stranded in the queue.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class SubmitVsFail {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);

        public SubmitVsFail() {
            core.staffing().tryGrow(); // one live worker, at max: a submit asks for no growth (which would wake too)
        }

        private volatile CompletableFuture<Object> future;
        private volatile int refused;

        @Actor
        public void submitter() {
            try {
                future = core.submit(IDENTITY, 1, TaskOptions.DEFAULT);
            } catch (PoolFailedException e) {
                refused = 1;
            }
        }

        @Actor
        public void supervisor() {
            core.fail(new IllegalStateException("simulated crash"));
            core.supervisor().failQueuedIfFailed();
        }

        @Arbiter
        public void arbiter(III_Result r) {
            boolean woken = core.supervisor().takeWoken();
            if (woken) {
                core.supervisor().failQueuedIfFailed(); // the supervisor's next iteration
            }
            CompletableFuture<Object> f = future;
            r.r1 = f == null ? 0 : 1;
            r.r3 = woken ? 1 : 0;
            if (refused == 1) {
                r.r2 = 2;
            } else if (f != null && f.isDone()) {
                try {
                    f.join();
                    r.r2 = 9;
                } catch (CompletionException e) {
                    r.r2 = e.getCause() instanceof PoolFailedException ? 1 : 9;
                }
            }
        }
    }

    /**
     * A graceful close with one task left, which worker 1 took from the queue but has not yet counted out of it (its
     * slot is still held). Worker 1 starts the task (releasing the slot), runs it, finds nothing left and leaves;
     * worker 0, idle, checks for work and announces a park. Worker 0 may read the old count (one task queued, none in
     * the queue): it neither leaves nor finds work, and parks with no deadline; then worker 1, leaving, must wake it,
     * or no one ever will and {@code close()} waits forever. Results: r1 = worker 1 leaves, r2 = worker 0 parks, r3 =
     * worker 0 is still parked once both are done (not woken).
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "Worker 0 read the released slot: it leaves too.")
    @Outcome(id = "1, 1, 0", expect = Expect.ACCEPTABLE, desc = "Worker 0 parked on the old count; worker 1 woke it.")
    @Outcome(id = "1, 1, 1", expect = Expect.FORBIDDEN, desc = "Worker 0 parked and was never woken: close hangs.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class LastTaskVsSiblingPark {
        private final PoolCore core = StressPools.unstarted(2, 2, 0);
        private final ThreadWorker idle = StressPools.worker(core);
        private final ThreadWorker taker = StressPools.worker(core);
        private final TaskRecord taken;

        public LastTaskVsSiblingPark() {
            core.submit(IDENTITY, 1, TaskOptions.DEFAULT);
            taken = core.pollForWorker();
            core.beginDrain();
        }

        @Actor
        public void taker(III_Result r) {
            taker.execute(taken);
            r.r1 = taker.leavesClosingPool() ? 1 : 0;
        }

        @Actor
        public void idle(III_Result r) {
            r.r2 = idle.announcePark() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = idle.waker().isParked() ? 1 : 0;
        }
    }
}
