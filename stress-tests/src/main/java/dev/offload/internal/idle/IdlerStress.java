package dev.offload.internal.idle;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/** Contract 5 for the idle strategy: work published while the owner goes to park always wakes it. */
public final class IdlerStress {
    private IdlerStress() {}

    /** The producer's wake-up: the owner may not have made its idler yet; then it sees the work before it idles. */
    static void wakeIfIdling(Idler owner) {
        if (owner != null) {
            owner.wake();
        }
    }

    /**
     * The owner idles with no spin or yield budget, so it parks at once; the signal publishes work and wakes it.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "The owner saw the work.")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "Lost wake-up: the owner stays parked.")
    @State
    public static class NoLostWakeUp implements Idler.WorkSource {
        private volatile boolean work;
        private volatile Idler idler;

        @Override
        public boolean hasWork() {
            return work;
        }

        @Actor
        public void owner() {
            Idler mine = new Idler(Thread.currentThread(), 0, 0);
            idler = mine;
            while (!work) {
                mine.idle(this, Long.MAX_VALUE);
            }
        }

        @Signal
        public void producer() {
            work = true;
            wakeIfIdling(idler);
        }
    }

    /**
     * A producer publishes two pieces of work, waking the owner after each; the owner parks at once whenever it has
     * seen all there is so far. The second wake-up may find the owner woken by the first and not yet running; it then
     * leaves the owner to that first one, and the owner must still see the second piece before it parks again. (Two
     * producers would be the same race, but jcstress runs no more actors than the machine has CPUs.)
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = Expect.ACCEPTABLE, desc = "The owner saw both pieces.")
    @Outcome(id = "STALE", expect = Expect.FORBIDDEN, desc = "Lost wake-up: the owner stays parked.")
    @State
    public static class WokenNotYetRunning implements Idler.WorkSource {
        private volatile boolean first;
        private volatile boolean second;
        private volatile Idler idler;
        private int seen; // owner only

        private int published() {
            return (first ? 1 : 0) + (second ? 1 : 0);
        }

        @Override
        public boolean hasWork() {
            return published() > seen;
        }

        @Actor
        public void owner() {
            Idler mine = new Idler(Thread.currentThread(), 0, 0);
            idler = mine;
            while (seen < 2) {
                int now = published();
                if (now > seen) {
                    seen = now;
                } else {
                    mine.idle(this, Long.MAX_VALUE);
                }
            }
        }

        @Signal
        public void producer() {
            first = true;
            wakeIfIdling(idler);
            second = true;
            wakeIfIdling(idler);
        }
    }
}
