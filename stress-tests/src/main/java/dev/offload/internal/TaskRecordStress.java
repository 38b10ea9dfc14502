package dev.offload.internal;

import dev.offload.PoolStats;
import dev.offload.TaskQueue;
import java.util.concurrent.CancellationException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/** Contract 1 and 5 on {@link TaskRecord}: cancel against the worker finishing, exactly one outcome. */
public final class TaskRecordStress {
    private TaskRecordStress() {}

    static PoolCore newCore() {
        return new PoolCore(new PoolConfig(
                "stress",
                0,
                1,
                4,
                1,
                1_000_000_000L,
                0,
                0,
                true,
                null,
                true,
                false,
                CompletionOwner.DIRECT,
                TaskQueue::fifo));
    }

    /**
     * A worker takes and finishes a queued task while another thread cancels it with interrupt. Exactly one outcome
     * is counted and matches the future; the cancel's interrupt never outlives the task on the worker thread.
     * Results: r1 = worker thread still interrupted after the task (must be 0), r2 = cancel returned true,
     * r3 = completed * 10 + cancelled, r4 = future (1 = value, 2 = cancelled).
     */
    @JCStressTest
    @Outcome(id = "0, 0, 10, 1", expect = Expect.ACCEPTABLE, desc = "Worker finished first; cancel lost.")
    @Outcome(id = "0, 1, 1, 2", expect = Expect.ACCEPTABLE, desc = "Cancel won, while queued or running.")
    @Outcome(id = "1, .*", expect = Expect.FORBIDDEN, desc = "The cancel's interrupt leaked past the task.")
    @Outcome(id = ".*, 11, .*", expect = Expect.FORBIDDEN, desc = "Counted twice: completed and cancelled.")
    @Outcome(id = ".*, 0, .*", expect = Expect.FORBIDDEN, desc = "Lost: neither completed nor cancelled.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Future and counters disagree.")
    @State
    public static class CancelVsFinish {
        private final PoolCore core = newCore();
        private final TaskRecord record = core.newRecord(null, null, CompletionOwner.DIRECT, 0);

        @Actor
        public void worker(IIII_Result r) {
            if (record.tryStart(Thread.currentThread())) {
                record.payload = 1;
                if (record.finishRun(TaskRecord.DONE)) {
                    core.onDecided(record, null);
                }
            }
            r.r1 = Thread.interrupted() ? 1 : 0;
        }

        @Actor
        public void canceller(IIII_Result r) {
            r.r2 = record.cancel(true) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(IIII_Result r) {
            PoolStats s = core.stats();
            r.r3 = (int) (s.completed() * 10 + s.cancelled());
            try {
                r.r4 = record.join().equals(1) ? 1 : 3;
            } catch (CancellationException e) {
                r.r4 = 2;
            }
        }
    }
}
