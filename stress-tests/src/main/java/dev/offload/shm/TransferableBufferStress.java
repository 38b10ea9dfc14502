package dev.offload.shm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Concurrency contracts of {@link TransferableBuffer}: one owner at a time.
 *
 * <p>Run: {@code java -jar stress-tests/target/jcstress.jar -t TransferableBufferStress}
 */
public final class TransferableBufferStress {
    private TransferableBufferStress() {}

    /** Two threads transfer the same handle: exactly one succeeds, the other throws. */
    @JCStressTest
    @Outcome(
            id = {"1, 0", "0, 1"},
            expect = ACCEPTABLE,
            desc = "Exactly one transfer succeeded.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "Both transfers succeeded: two owners.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Both transfers threw: the memory has no owner.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class RacingTransfers {
        private final TransferableBuffer buffer = TransferableBuffer.allocate(8);

        private int tryTransfer() {
            try {
                return buffer.transfer().isDetached() ? 2 : 1;
            } catch (IllegalStateException transferred) {
                return 0;
            }
        }

        @Actor
        public void actor1(II_Result r) {
            r.r1 = tryTransfer();
        }

        @Actor
        public void actor2(II_Result r) {
            r.r2 = tryTransfer();
        }
    }

    /**
     * A transfer racing with a read through the old handle: the new owner reads the value; the old handle reads it or
     * throws {@link IllegalStateException}, never garbage.
     */
    @JCStressTest
    @Outcome(id = "42, 42", expect = ACCEPTABLE, desc = "The old handle read before it was detached.")
    @Outcome(id = "42, -1", expect = ACCEPTABLE, desc = "The old handle was detached first and threw.")
    @Outcome(expect = FORBIDDEN, desc = "Garbage, or the new owner could not read.")
    @State
    public static class TransferVersusUse {
        private final TransferableBuffer buffer = TransferableBuffer.allocate(8);

        public TransferVersusUse() {
            buffer.setInt(4, 42);
        }

        @Actor
        public void transferrer(II_Result r) {
            r.r1 = buffer.transfer().getInt(4);
        }

        @Actor
        public void oldHolder(II_Result r) {
            try {
                r.r2 = buffer.getInt(4);
            } catch (IllegalStateException transferred) {
                r.r2 = -1;
            }
        }
    }
}
