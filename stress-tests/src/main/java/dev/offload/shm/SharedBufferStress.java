package dev.offload.shm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.offload.shm.internal.WaitTable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * Concurrency contracts of {@link SharedBuffer} and its typed views: atomicity of read-modify-write, release/acquire
 * publication, close racing with access, with another close and with a waiter.
 *
 * <p>Run: {@code java -jar stress-tests/target/jcstress.jar -t SharedBufferStress}
 */
public final class SharedBufferStress {
    private SharedBufferStress() {}

    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /** Two racing {@code getAndAdd} on one int: both land and each sees a distinct previous value. */
    @JCStressTest
    @Outcome(
            id = {"0, 1, 2", "1, 0, 2"},
            expect = ACCEPTABLE,
            desc = "Both adds are atomic: one saw 0, the other 1, total 2.")
    @Outcome(
            id = {"0, 0, 1", "0, 0, 2"},
            expect = FORBIDDEN,
            desc = "Lost update: both saw 0.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result breaks atomicity.")
    @State
    public static class IntGetAndAddAtomicity {
        private final IntArray cells = SharedBuffer.allocate(16).asIntArray();

        @Actor
        public void actor1(III_Result r) {
            r.r1 = cells.getAndAdd(2, 1);
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = cells.getAndAdd(2, 1);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = cells.getVolatile(2);
        }
    }

    /** Two racing {@code getAndAdd} of large deltas on one long: no lost or torn update. */
    @JCStressTest
    @Outcome(
            id = {"0, 4294967296, 8589934592", "4294967296, 0, 8589934592"},
            expect = ACCEPTABLE,
            desc = "Both adds are atomic.")
    @Outcome(
            id = {"0, 0, 4294967296", "0, 0, 8589934592"},
            expect = FORBIDDEN,
            desc = "Lost update: both saw 0.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result: torn or lost update.")
    @State
    public static class LongGetAndAddAtomicity {
        private final LongArray cells = SharedBuffer.allocate(16).asLongArray();

        @Actor
        public void actor1(JJJ_Result r) {
            r.r1 = cells.getAndAdd(1, 1L << 32);
        }

        @Actor
        public void actor2(JJJ_Result r) {
            r.r2 = cells.getAndAdd(1, 1L << 32);
        }

        @Arbiter
        public void arbiter(JJJ_Result r) {
            r.r3 = cells.getVolatile(1);
        }
    }

    /** Two racing {@code compareAndSet(0 -> own id)}: exactly one wins and its value stays. */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Actor 1 won the CAS.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Actor 2 won the CAS.")
    @Outcome(
            id = {"1, 1, 1", "1, 1, 2"},
            expect = FORBIDDEN,
            desc = "Both CAS succeeded: not atomic.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result breaks atomicity.")
    @State
    public static class CompareAndSetAtomicity {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();

        @Actor
        public void actor1(III_Result r) {
            r.r1 = cells.compareAndSet(0, 0, 1) ? 1 : 0;
        }

        @Actor
        public void actor2(III_Result r) {
            r.r2 = cells.compareAndSet(0, 0, 2) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = cells.getVolatile(0);
        }
    }

    /**
     * Plain write of data, then {@code setRelease} of a flag, against {@code getAcquire} of the flag, then plain read
     * of the data (the reader reads in the opposite order). Without release/acquire the compiler or CPU may reorder
     * either pair and the reader sees the flag without the data.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Reader ran first.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Reader saw the data, not yet the flag.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Reader saw the flag and the data it publishes.")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "flag=1, data=0: the release did not publish the data.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is impossible.")
    @State
    public static class ReleaseAcquirePublication {
        private final IntArray data = SharedBuffer.allocate(8).asIntArray();
        private final IntArray flag = SharedBuffer.allocate(8).asIntArray();

        @Actor
        public void writer() {
            data.set(0, 1);
            flag.setRelease(0, 1); // publishes data[0]
        }

        @Actor
        public void reader(II_Result r) {
            r.r1 = flag.getAcquire(0);
            r.r2 = data.get(0);
        }
    }

    /** {@code close()} racing with a read from another thread: the value or {@link IllegalStateException}. */
    @JCStressTest
    @Outcome(id = "42", expect = ACCEPTABLE, desc = "The read completed before the memory was freed.")
    @Outcome(id = "-1", expect = ACCEPTABLE, desc = "The read threw IllegalStateException: buffer closed.")
    @Outcome(expect = FORBIDDEN, desc = "Garbage: the read saw freed memory.")
    @State
    public static class CloseVersusAccess {
        private final SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        private final IntArray cells = buffer.asIntArray();

        public CloseVersusAccess() {
            cells.setVolatile(1, 42);
        }

        @Actor
        public void closer() {
            buffer.close();
        }

        @Actor
        public void reader(I_Result r) {
            try {
                r.r1 = cells.getVolatile(1);
            } catch (IllegalStateException closed) {
                r.r1 = -1;
            }
        }
    }

    /**
     * Two threads close one buffer that a {@code waitAsync} stage waits on. A call that returns normally returns only
     * once the memory is freed and the waiter woken (out of the wait table, bound to fail), also when the other call
     * freed it; exactly one call frees it (a second free would throw), and that call fails the stage before it
     * returns; the other call does not wait for that. Results, per closer, right after its {@code close()}: 0 freed
     * and the stage failed, 1 the memory was still readable, 2 freed and the waiter woken but its stage not failed
     * yet, 3 close threw, 4 freed but the waiter still registered.
     */
    @JCStressTest
    @Outcome(
            id = "0, 0",
            expect = ACCEPTABLE,
            desc = "Each call returned after the memory was freed and the stage failed.")
    @Outcome(
            id = {"0, 2", "2, 0"},
            expect = ACCEPTABLE,
            desc = "The call that did not free returned while the freeing call was still failing the stage.")
    @Outcome(
            id = "2, 2",
            expect = FORBIDDEN,
            desc = "Neither call saw the stage failed: the freeing call returned before failing it.")
    @Outcome(
            id = {"0, 1", "1, 0", "2, 1", "1, 2"},
            expect = FORBIDDEN,
            desc = "A call returned while the memory was still readable: it did not wait for the other call's free.")
    @Outcome(
            id = {"0, 4", "4, 0", "2, 4", "4, 2"},
            expect = FORBIDDEN,
            desc = "A call returned before the waiter on the freed memory was woken.")
    @Outcome(
            id = {"0, 3", "3, 0"},
            expect = FORBIDDEN,
            desc = "A call threw: both calls tried to free the memory.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class CloseVersusClose {
        private static final int FREED = 0;
        private static final int STILL_READABLE = 1;
        private static final int WOKEN_NOT_FAILED = 2;
        private static final int CLOSE_THREW = 3;
        private static final int STILL_REGISTERED = 4;

        private final SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        private final IntArray cells = buffer.asIntArray();
        private final long address = cells.address(0);
        private final CompletableFuture<WaitResult> waiter =
                Atomics.waitAsync(cells, 0, 0, FOREVER).toCompletableFuture();

        private int closeAndLook() {
            try {
                buffer.close();
            } catch (IllegalStateException e) {
                return CLOSE_THREW;
            }
            try {
                cells.getVolatile(1);
                return STILL_READABLE;
            } catch (IllegalStateException closed) {
                if (waiter.isCompletedExceptionally()) {
                    return FREED;
                }
                return WaitTable.waiterCount(address) == 0 ? WOKEN_NOT_FAILED : STILL_REGISTERED;
            }
        }

        @Actor
        public void closer1(II_Result r) {
            r.r1 = closeAndLook();
        }

        @Actor
        public void closer2(II_Result r) {
            r.r2 = closeAndLook();
        }
    }

    /**
     * {@code close()} racing with a {@code waitAsync} on the same buffer: the waiter never outlives the memory. Either
     * {@code waitAsync} throws (the buffer closed first) or, once close returned, its stage has failed. Result: 1
     * waitAsync threw, 2 the stage failed, 3 the stage still pends, 4 the stage completed normally.
     */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "The buffer closed first: waitAsync threw IllegalStateException.")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "The waiter registered first: close failed its stage.")
    @Outcome(id = "3", expect = FORBIDDEN, desc = "Lost wake-up: the stage pends on freed memory after close returned.")
    @Outcome(id = "4", expect = FORBIDDEN, desc = "The stage completed normally although nobody notified it.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class CloseVersusWaitAsync {
        private final SharedBuffer buffer = SharedBuffer.allocateCloseable(8);
        private final IntArray cells = buffer.asIntArray();
        private CompletableFuture<WaitResult> stage; // null when waitAsync threw

        @Actor
        public void waiter() {
            try {
                stage = Atomics.waitAsync(cells, 0, 0, FOREVER).toCompletableFuture();
            } catch (IllegalStateException closed) {
                stage = null;
            }
        }

        @Actor
        public void closer() {
            buffer.close();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            if (stage == null) {
                r.r1 = 1;
            } else if (stage.isCompletedExceptionally()) {
                r.r1 = 2;
            } else {
                r.r1 = stage.isDone() ? 4 : 3;
            }
        }
    }
}
