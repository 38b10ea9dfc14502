package dev.offload.internal.control;

import dev.offload.internal.base.L1Pad;
import dev.offload.internal.base.VarHandles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One worker's wait-time and run-time histograms: one writer (the worker) records both values of a task in one step,
 * and a reader takes what was recorded so far without stopping the writer.
 *
 * <p>Overview: the writer records into the active pair of histograms inside a critical section marked by a sequence
 * number, odd while inside. Entering is one volatile store of the sequence followed by a volatile load of the active
 * pair; leaving is a release store. The reader swaps in a spare pair (a volatile store), then reads the sequence (a
 * volatile load): either the writer saw the new pair, or the reader sees the writer inside and waits for it to leave
 * (Dekker). This is the protocol of HdrHistogram's {@code WriterReaderPhaser} for a single writer, with one store-load
 * fence per task instead of two atomic increments per value.
 *
 * <p>Threading: {@link #record} from the owning worker only; {@link #drainInto} from one reader at a time (the pool
 * calls it under its lock). Memory consistency: everything the writer recorded before the reader's swap is visible
 * to the reader when {@code drainInto} returns.
 */
public final class LatencyRecorder extends LatencyRecorderL2Pad {
    private static final VarHandle SEQ =
            VarHandles.field(MethodHandles.lookup(), LatencyRecorderFields.class, "seq", long.class);

    /**
     * Writer: records one task's wait and run time, in nanoseconds (negative values count as 0).
     *
     * @param waitNanos from submit to start
     * @param runNanos from start to end
     */
    public void record(long waitNanos, long runNanos) {
        long s = seq; // only this thread writes it
        seq = s + 1; // volatile store, then the volatile load of active: pairs with drainInto
        Pair p = active;
        p.wait.record(waitNanos);
        p.run.record(runNanos);
        SEQ.setRelease(this, s + 2);
    }

    /**
     * Writer: records the wait time of a task whose run time is recorded elsewhere (an async task).
     *
     * @param waitNanos from submit to start
     */
    public void recordWait(long waitNanos) {
        long s = seq;
        seq = s + 1;
        active.wait.record(waitNanos);
        SEQ.setRelease(this, s + 2);
    }

    /**
     * Reader: adds everything recorded since the last call to the totals.
     *
     * @param runTotal receives the run times
     * @param waitTotal receives the wait times
     */
    public void drainInto(LatencyHistogram runTotal, LatencyHistogram waitTotal) {
        Pair old = active;
        spare.reset();
        active = spare; // volatile store, then the volatile load of seq: pairs with record
        long s = seq;
        if ((s & 1) != 0) {
            for (int spins = 0; seq == s; spins++) { // the writer is inside; it leaves within a few instructions
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // it was descheduled inside
                }
            }
        }
        runTotal.add(old.run);
        waitTotal.add(old.wait);
        spare = old;
    }

    static final class Pair {
        final LatencyHistogram wait = new LatencyHistogram();
        final LatencyHistogram run = new LatencyHistogram();

        void reset() {
            wait.reset();
            run.reset();
        }
    }
}

/** The fields of {@link LatencyRecorder}, between its two paddings (see {@link L1Pad}). */
abstract class LatencyRecorderFields extends L1Pad {
    volatile LatencyRecorder.Pair active = new LatencyRecorder.Pair();
    volatile long seq; // odd while the writer is inside a critical section
    LatencyRecorder.Pair spare = new LatencyRecorder.Pair(); // reader only
}

/** The padding after the fields of {@link LatencyRecorder}. */
abstract class LatencyRecorderL2Pad extends LatencyRecorderFields {
    @SuppressWarnings("unused")
    private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
