package dev.offload.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/** Grow against shrink: a task submitted while the last worker retires is never left without a worker. */
public final class StaffingStress {
    private StaffingStress() {}

    /**
     * One worker (min 0, max 1) retires after its idle timeout while a submitter queues a task and, seeing no worker,
     * starts one. Results: r1 = the worker retired, r2 = the submitter started a worker.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "Worker saw the task and stayed.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "Worker left; the submitter started a new one.")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "Task stranded: worker left and none was started.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result (two workers for one place).")
    @State
    public static class RetireVsSubmit {
        private final Staffing staffing = new Staffing(0, 1);
        private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();

        public RetireVsSubmit() {
            staffing.tryGrow();
        }

        @Actor
        public void worker(II_Result r) {
            r.r1 = staffing.tryRetire(() -> !queue.isEmpty()) ? 1 : 0;
        }

        @Actor
        public void submitter(II_Result r) {
            queue.offer(Boolean.TRUE);
            r.r2 = staffing.live() == 0 && staffing.tryGrow() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            if (staffing.live() != 1) {
                r.r2 = 9; // a queued task must end with exactly one worker holding a place
            }
        }
    }
}
