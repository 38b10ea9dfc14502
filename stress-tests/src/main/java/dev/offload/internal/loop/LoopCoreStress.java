package dev.offload.internal.loop;

import dev.offload.internal.pool.StressPools;
import java.util.concurrent.RejectedExecutionException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Contracts 5 and 6 on an event loop's close, on the real code: {@link LoopCore#execute} and the internal
 * {@link LoopCore#offer} (completions, dependents) race with the loop ending ({@link LoopCore#endIfDone}); the actor
 * standing in for the loop thread drains the inbox until the loop ends. Nothing accepted is ever lost.
 */
public final class LoopCoreStress {
    private LoopCoreStress() {}

    /** The loop thread's last steps: drain, and end once nothing is left. */
    static void runLoopToEnd(LoopCore loop) {
        loop.beginClose(0);
        while (!loop.endIfDone()) {
            loop.drainInbox();
            Thread.onSpinWait();
        }
    }

    /**
     * Another thread hands the loop a callback while the loop closes and ends. Results: r1 = the callback ran, r2 =
     * execute was refused.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "Accepted before the close; ran before the loop ended.")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "Refused: the loop was closing.")
    @Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "Lost: accepted but never ran.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Ran and refused both.")
    @State
    public static class ExecuteVsClose {
        private final LoopCore loop = StressPools.unstartedLoop();
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
        public void loopThread() {
            runLoopToEnd(loop);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = ran;
        }
    }

    /**
     * A completion or dependent is handed over (accepted until the loop has ended) while the loop ends. Results: r1 =
     * it ran on the loop, r2 = the offer was refused (the caller then runs it itself).
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "Accepted; ran before the loop ended.")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "Refused: the loop had ended; the caller runs it.")
    @Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "Lost: accepted but never ran.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Ran and refused both.")
    @State
    public static class OfferVsEnd {
        private final LoopCore loop = StressPools.unstartedLoop();
        private volatile int ran;

        @Actor
        public void producer(II_Result r) {
            r.r2 = loop.offer((Runnable) () -> ran = 1) ? 0 : 1;
        }

        @Actor
        public void loopThread() {
            runLoopToEnd(loop);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = ran;
        }
    }
}
