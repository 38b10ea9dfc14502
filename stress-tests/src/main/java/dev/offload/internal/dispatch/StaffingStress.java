package dev.offload.internal.dispatch;

import dev.offload.Task;
import dev.offload.TaskOptions;
import dev.offload.internal.pool.PoolCore;
import dev.offload.internal.pool.StressPools;
import dev.offload.internal.worker.ThreadWorker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Grow against shrink, on the real code: {@link PoolCore#submit} (queue, then decide whether a worker is needed) races
 * with {@link ThreadWorker#retireIfIdle()} (give the place up, then re-read the queue). A queued task is never left without a
 * worker: either the retiring worker sees it and stays, or the submitter sees the place given up and asks the
 * supervisor for a worker.
 */
public final class StaffingStress {
    private StaffingStress() {}

    static final Task<Integer, Integer> IDENTITY = x -> x;

    /**
     * One idle worker (min 0, max 1) passes its idle timeout while a task is submitted. Results: r1 = the worker
     * retired, r2 = the submitter asked the supervisor for a worker, r3 = places held at the end.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = Expect.ACCEPTABLE, desc = "The worker saw the task and stayed.")
    @Outcome(id = "1, 1, 0", expect = Expect.ACCEPTABLE, desc = "The worker left; the submitter asked for one.")
    @Outcome(id = "1, 0, 0", expect = Expect.FORBIDDEN, desc = "Task stranded: worker left, nobody asked for one.")
    @Outcome(id = "0, 1, 1", expect = Expect.ACCEPTABLE, desc = "Asked while the worker was about to stay: harmless.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result (a place lost or counted twice).")
    @State
    public static class RetireVsSubmit {
        private final PoolCore core = StressPools.unstarted(0, 1, 0);
        private final ThreadWorker worker = StressPools.worker(core);

        public RetireVsSubmit() {
            core.staffing().tryGrow(); // the worker's place
        }

        @Actor
        public void worker(III_Result r) {
            r.r1 = worker.retireIfIdle() ? 1 : 0;
        }

        @Actor
        public void submitter() {
            core.submit(IDENTITY, 1, TaskOptions.DEFAULT);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = core.supervisor().growthRequested() ? 1 : 0;
            r.r3 = core.staffing().live();
        }
    }
}
