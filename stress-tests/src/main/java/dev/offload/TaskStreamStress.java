package dev.offload;

import java.util.concurrent.CancellationException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * A stream's demand on the real {@link TaskStream.Demand}: the emitting worker parks while it has no credit, and a
 * request or a cancel from the subscriber's loop always wakes it (no lost wake-up); credit is never taken twice or
 * lost.
 */
public final class TaskStreamStress {
    private TaskStreamStress() {}

    private static final Runnable RUNNING = () -> {};

    /**
     * The worker waits for credit it will never get; the subscriber cancels. Result: 1 if the wait ended with the
     * cancel's {@link CancellationException}. A lost wake-up hangs the emitter, which jcstress reports as a timeout
     * (seen with the re-check before parking removed).
     */
    @JCStressTest
    @Outcome(id = "1", expect = Expect.ACCEPTABLE, desc = "The cancel ended the wait.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "The wait ended some other way.")
    @State
    public static class CancelVsWait {
        private final TaskStream.Demand demand = new TaskStream.Demand(0); // parks at once: the wake-up's race

        @Actor
        public void emitter(I_Result r) {
            try {
                demand.acquire(RUNNING);
            } catch (CancellationException expected) {
                r.r1 = 1;
            }
        }

        @Actor
        public void subscriber() {
            demand.cancel();
        }
    }

    /**
     * Two units of credit, requested one by one while the worker takes two: it takes each exactly once and is woken for
     * each (the emitter may take both units in one go). Results: r1 = credit left after both takes (0), r2 = takes that
     * completed (2). A lost wake-up hangs the emitter (jcstress: a timeout); with the re-check before parking removed
     * on purpose, the test's VM hung.
     */
    @JCStressTest
    @Outcome(id = "0, 2", expect = Expect.ACCEPTABLE, desc = "Each unit taken once.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Credit lost or taken twice.")
    @State
    public static class RequestsVsTakes {
        private final TaskStream.Demand demand = new TaskStream.Demand(0); // parks at once: the wake-up's race
        private int taken;

        @Actor
        public void emitter() {
            demand.acquire(RUNNING);
            demand.acquire(RUNNING);
            taken = 2;
        }

        @Actor
        public void subscriber() {
            demand.add(1);
            demand.add(1);
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = (int) (demand.credit.get() + demand.taken); // what is left, shared or taken by the emitter
            r.r2 = taken;
        }
    }
}
