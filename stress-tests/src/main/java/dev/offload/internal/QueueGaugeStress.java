package dev.offload.internal;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/** Queue full against drain: the drain signal is neither lost nor doubled. */
public final class QueueGaugeStress {
    private QueueGaugeStress() {}

    /**
     * Bound 2, one slot taken. A submitter takes the last slot (the queue becomes full and arms the signal) while a
     * worker frees a slot. Results: r1 = fired count, r2 = armed and yet at or below the low-water mark after both
     * (a lost drain), r3 = the submitter got a slot.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 1", expect = Expect.ACCEPTABLE, desc = "Worker freed first: never full, no drain due.")
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "Became full, then drained: fired once.")
    @Outcome(id = "0, 1, .*", expect = Expect.FORBIDDEN, desc = "Lost drain: armed, drained, never fired.")
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
            r.r2 = gauge.isArmed() && gauge.queued() <= gauge.lowWater() ? 1 : 0;
        }
    }

    /**
     * Bound 2, full and armed. A submitter is refused (and re-arms) while a worker frees a slot: the drain fires once.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = Expect.ACCEPTABLE, desc = "Refused, drained, fired once.")
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "Worker freed a slot first; submitter took it.")
    @Outcome(id = "0, 1, .*", expect = Expect.FORBIDDEN, desc = "Lost drain.")
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
            r.r2 = gauge.isArmed() && gauge.queued() <= gauge.lowWater() ? 1 : 0;
        }
    }
}
