package dev.offload.internal.dispatch;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/** Queue full against drain: the drain signal is neither lost nor doubled. */
public final class QueueGaugeStress {
    private QueueGaugeStress() {}

    /** A drain is lost if the signal is armed but the queue is drained, or the queue is full and nothing is armed. */
    static int lost(QueueGauge gauge) {
        boolean drained = gauge.queued() <= gauge.lowWater();
        return (gauge.isArmed() && drained) || (gauge.isFull() && !gauge.isArmed()) ? 1 : 0;
    }

    /**
     * Bound 2, one slot taken. A submitter takes the last slot (the queue becomes full and arms the signal) while a
     * worker frees a slot. Results: r1 = fired count, r2 = a drain is lost (armed but drained, or full but
     * disarmed), r3 = the submitter got a slot.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = Expect.ACCEPTABLE, desc = "No drain due: never full, or full again and armed.")
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "Became full, then drained: fired once.")
    @Outcome(id = ".*, 1, .*", expect = Expect.FORBIDDEN, desc = "Lost drain: armed and drained, or full and disarmed.")
    @Outcome(id = "2, .*", expect = Expect.FORBIDDEN, desc = "Fired twice for one full episode.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class FullVsRelease {
        private final QueueGauge gauge = new QueueGauge(2);
        private int fires;
        private int fires2;

        public FullVsRelease() {
            gauge.tryAcquire();
        }

        @Actor
        public void submitter(III_Result r) {
            int result = gauge.tryAcquire();
            r.r3 = (result & QueueGauge.ACQUIRED) != 0 ? 1 : 0;
            fires = (result & QueueGauge.FIRE) != 0 ? 1 : 0;
        }

        @Actor
        public void worker() {
            fires2 = gauge.release() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = fires + fires2;
            r.r2 = lost(gauge);
        }
    }

    /**
     * Bound 2, full and armed. A submitter is refused (or, if the worker was first, refills) while a worker frees a
     * slot: the drain fires at most once, and a full queue is always armed. Results: r1 = fired count, r2 = a drain
     * is lost (armed but drained, or full but disarmed), r3 = the submitter got a slot.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "Refused, drained, fired once.")
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "Freed and fired; the submitter refilled and re-armed.")
    @Outcome(
            id = "0, 0, 1",
            expect = Expect.ACCEPTABLE,
            desc = "The submitter refilled before the release fired: the signal stays armed for this episode.")
    @Outcome(id = "2, .*", expect = Expect.FORBIDDEN, desc = "Fired twice for one full episode.")
    @Outcome(id = ".*, 1, .*", expect = Expect.FORBIDDEN, desc = "Lost drain.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class RefusedVsRelease {
        private final QueueGauge gauge = new QueueGauge(2);
        private int fires;
        private int fires2;

        public RefusedVsRelease() {
            gauge.tryAcquire();
            gauge.tryAcquire();
        }

        @Actor
        public void submitter(III_Result r) {
            int result = gauge.tryAcquire();
            r.r3 = (result & QueueGauge.ACQUIRED) != 0 ? 1 : 0;
            fires = (result & QueueGauge.FIRE) != 0 ? 1 : 0;
        }

        @Actor
        public void worker() {
            fires2 = gauge.release() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r1 = fires + fires2;
            r.r2 = lost(gauge);
        }
    }

    /**
     * Bound 2 (low water 1), one slot taken, not armed. A worker frees the slot while a submitter takes two slots,
     * filling the queue and arming it. A release whose decrement predates the refill must not take the new
     * episode's signal. Results: r1 = fired count, r2 = full and not armed after both (the next drain is lost).
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "Freed first; the refill armed; no drain due yet.")
    @Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "Filled first, then drained to low water: fired.")
    @Outcome(id = ".*, 1", expect = Expect.FORBIDDEN, desc = "Full but disarmed: the next drain is lost.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class StaleReleaseVsRefill {
        private final QueueGauge gauge = new QueueGauge(2);
        private int fires;
        private int fires2;

        public StaleReleaseVsRefill() {
            gauge.tryAcquire();
        }

        @Actor
        public void submitter() {
            int a = gauge.tryAcquire();
            int b = gauge.tryAcquire();
            fires = ((a | b) & QueueGauge.FIRE) != 0 ? 1 : 0;
        }

        @Actor
        public void worker() {
            fires2 = gauge.release() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = fires + fires2;
            r.r2 = lost(gauge);
        }
    }
}
