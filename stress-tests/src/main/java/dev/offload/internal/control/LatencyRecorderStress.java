package dev.offload.internal.control;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/** Contract 1 for the worker's latency histograms: a drain racing with a record loses and duplicates nothing. */
public final class LatencyRecorderStress {
    private LatencyRecorderStress() {}

    /**
     * The worker records two tasks while a stats reader drains once; a final drain collects the rest. Results: r1, r2
     * = wait and run counts the racing drain saw; r3, r4 = totals after the final drain (both must be 2, and each
     * task's wait and run are recorded together, so the racing drain sees them in pairs).
     */
    @JCStressTest
    @Outcome(id = "0, 0, 2, 2", expect = Expect.ACCEPTABLE, desc = "The drain came before both records.")
    @Outcome(id = "1, 1, 2, 2", expect = Expect.ACCEPTABLE, desc = "The drain came between the records.")
    @Outcome(id = "2, 2, 2, 2", expect = Expect.ACCEPTABLE, desc = "The drain came after both records.")
    @Outcome(id = ".*, .*, [^2], .*", expect = Expect.FORBIDDEN, desc = "A wait time was lost or counted twice.")
    @Outcome(id = ".*, .*, .*, [^2]", expect = Expect.FORBIDDEN, desc = "A run time was lost or counted twice.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "A drain saw half of a task's record.")
    @State
    public static class DrainVsRecord {
        private final LatencyRecorder recorder = new LatencyRecorder();
        private final LatencyHistogram run = new LatencyHistogram();
        private final LatencyHistogram wait = new LatencyHistogram();

        @Actor
        public void worker() {
            recorder.record(10, 20);
            recorder.record(30, 40);
        }

        @Actor
        public void reader(IIII_Result r) {
            recorder.drainInto(run, wait);
            r.r1 = (int) wait.count();
            r.r2 = (int) run.count();
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            recorder.drainInto(run, wait);
            r.r3 = (int) wait.count();
            r.r4 = (int) run.count();
        }
    }
}
