package dev.offload.shm;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/** Concurrency contracts of {@link SharedBuffer}. */
public final class SharedBufferStress {
    private SharedBufferStress() {}

    /** Two racing {@code getAndAdd} calls on one cell: both increments land and each sees a distinct prior value. */
    @JCStressTest
    @Outcome(
            id = {"0, 1, 2", "1, 0, 2"},
            expect = Expect.ACCEPTABLE,
            desc = "Both adds are atomic.")
    @Outcome(
            id = {"0, 0, 1", "0, 0, 2"},
            expect = Expect.FORBIDDEN,
            desc = "Lost update: both saw 0.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result breaks atomicity.")
    @State
    public static class GetAndAddAtomicity {
        private final SharedBuffer buffer = SharedBuffer.allocate(16);

        @Actor
        public void actor1(III_Result r) {
            r.r1 = buffer.getAndAddInt(8, 1);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = buffer.getAndAddInt(8, 1);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = buffer.getAndAddInt(8, 0);
        }
    }
}
