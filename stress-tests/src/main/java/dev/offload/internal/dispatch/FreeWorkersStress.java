package dev.offload.internal.dispatch;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/** The hand-off of a pool with no queue ({@code maxQueue(0)}): never more accepted tasks than free workers. */
public final class FreeWorkersStress {
    private FreeWorkersStress() {}

    /** Two submits race for one free worker. Results: r1, r2 = 1 if that submit was accepted. */
    @JCStressTest
    @Outcome(
            id = {"1, 0", "0, 1"},
            expect = Expect.ACCEPTABLE,
            desc = "One accepted, the other refused.")
    @Outcome(id = "1, 1", expect = Expect.FORBIDDEN, desc = "Both accepted for one worker: one waits in a queue.")
    @Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "Both refused while a worker was free.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class TwoSubmitsOneWorker {
        private final FreeWorkers free = new FreeWorkers();

        public TwoSubmitsOneWorker() {
            free.free();
        }

        @Actor
        public void first(II_Result r) {
            r.r1 = free.tryClaim() ? 1 : 0;
        }

        @Actor
        public void second(II_Result r) {
            r.r2 = free.tryClaim() ? 1 : 0;
        }
    }

    /**
     * A submit claims the one free worker while that worker's last task is cancelled (its credit given back, as a
     * queued task's cancel does) and a third worker becomes free. Results: r1 = the submit accepted; afterwards, r2 =
     * a second submit accepted, r3 = a third (2 if a fourth was accepted too: a credit made up).
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = Expect.ACCEPTABLE, desc = "Three credits in all: each submit accepted.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "A credit lost or made up.")
    @State
    public static class ClaimVsGiveBackVsFree {
        private final FreeWorkers free = new FreeWorkers();

        public ClaimVsGiveBackVsFree() {
            free.free(); // one worker free
            free.free(); // and one more, whose credit the queued task below took
            free.tryClaim();
        }

        @Actor
        public void submitter(III_Result r) {
            r.r1 = free.tryClaim() ? 1 : 0;
        }

        @Actor
        public void workers() {
            free.giveBack(); // the queued task was cancelled: its worker is free again
            free.free(); // and a third worker became free
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = free.tryClaim() ? 1 : 0;
            r.r3 = free.tryClaim() ? 1 : 0;
            if (free.tryClaim()) {
                r.r3 = 2; // a fourth credit: one was made up
            }
        }
    }

    /**
     * A submit finds no worker free while a worker becomes free. Results: r1 = the submit accepted; r2 = the worker's
     * {@code free()} said the drain listener must fire. A refusal must be answered by a drain, or the caller that
     * waits for it (Piscina's pump) waits for good.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "The worker came first: accepted, no drain needed.")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "Refused, and the worker then fires the drain.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE_INTERESTING, desc = "Accepted on a re-check; a spare drain.")
    @Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "Refused, and no drain follows: the caller waits for good.")
    @State
    public static class RefusalVersusFree {
        private final FreeWorkers free = new FreeWorkers();

        @Actor
        public void submit(II_Result r) {
            r.r1 = free.tryClaim() ? 1 : 0;
        }

        @Actor
        public void workerFree(II_Result r) {
            r.r2 = free.free() ? 1 : 0;
        }
    }

    /**
     * A caller asks whether it must wait ({@code needsDrain()}) while a worker becomes free. Results: r1 = it was told
     * to wait; r2 = the worker's {@code free()} said the drain listener must fire.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "The worker came first: no wait, no drain.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "Told to wait, and the worker then fires the drain.")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE_INTERESTING, desc = "Not told to wait; a spare drain.")
    @Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "Told to wait, and no drain follows: it waits for good.")
    @State
    public static class NeedsDrainVersusFree {
        private final FreeWorkers free = new FreeWorkers();

        @Actor
        public void ask(II_Result r) {
            r.r1 = free.noneFree() ? 1 : 0;
        }

        @Actor
        public void workerFree(II_Result r) {
            r.r2 = free.free() ? 1 : 0;
        }
    }
}
