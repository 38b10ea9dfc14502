package dev.offload.shm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Concurrency contracts of {@link TransferableBuffer}: one owner at a time, and a detached handle cannot touch the
 * memory.
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
     * The old holder writes 2 through its handle while another thread transfers the handle, writes 1 through the new
     * one and then publishes it. The contract: a use racing with the transfer either completes on the memory or
     * throws (the program is racy, so a racing write may land after the new owner's); a use that starts after
     * {@code transfer()} returned throws; a use that throws has not touched the memory. Results: the value the new
     * owner reads at the end (1 its own write, 2 the old holder's); then the old holder: 0 or 1 it had not seen the
     * new handle published, 2 or 3 it had, plus 1 if its write returned normally.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Racing: the old handle was already detached and threw.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Racing: the old write completed before the new owner's.")
    @Outcome(
            id = "2, 1",
            expect = ACCEPTABLE_INTERESTING,
            desc = "Racing: the old write passed its check before the transfer and landed after the new owner's write.")
    @Outcome(
            id = "1, 2",
            expect = ACCEPTABLE,
            desc = "After transfer() returned the old handle threw and wrote nothing.")
    @Outcome(
            id = {"1, 3", "2, 3"},
            expect = FORBIDDEN,
            desc = "The old handle wrote although transfer() had returned: it was not detached.")
    @Outcome(
            id = {"2, 0", "2, 2"},
            expect = FORBIDDEN,
            desc = "The old handle's write threw, yet it landed on the memory.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class TransferVersusUse {
        private final TransferableBuffer buffer = TransferableBuffer.allocate(8);
        private volatile TransferableBuffer received;

        @Actor
        public void newOwner() {
            TransferableBuffer mine = buffer.transfer();
            mine.setInt(4, 1);
            received = mine; // publishes that transfer() returned, and the write of 1
        }

        @Actor
        public void oldHolder(II_Result r) {
            int seen = received == null ? 0 : 2;
            try {
                buffer.setInt(4, 2);
                r.r2 = seen + 1;
            } catch (IllegalStateException transferred) {
                r.r2 = seen;
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = received.getInt(4);
        }
    }
}
