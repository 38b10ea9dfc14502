package dev.offload;

import java.util.concurrent.RejectedExecutionException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/** Contract 5 and 6 on {@link EventLoop}: execute against close, exactly one outcome. */
public final class EventLoopStress {
    private EventLoopStress() {}

    /**
     * Another thread hands the loop a callback while the loop is closed. Results: r1 = the callback ran (seen after
     * close returned), r2 = execute was rejected.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "Accepted before close; ran before the loop ended.")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "Rejected: the loop was closing.")
    @Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "Lost: accepted but never ran.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Ran and rejected both.")
    @State
    public static class ExecuteVsClose {
        private final EventLoop loop = EventLoop.builder()
                .name("stress-loop")
                .daemon(true)
                .idleStrategy(IdleStrategy.EFFICIENT)
                .start();
        private volatile int ran;

        @Actor
        public void producer(II_Result r) {
            try {
                loop.execute(() -> ran = 1);
            } catch (RejectedExecutionException e) {
                r.r2 = 1;
            }
        }

        @Actor
        public void closer() {
            loop.close();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = ran;
        }
    }
}
