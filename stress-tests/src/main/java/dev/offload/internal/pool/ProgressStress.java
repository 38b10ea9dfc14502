package dev.offload.internal.pool;

import dev.offload.Task;
import dev.offload.TaskOptions;
import dev.offload.internal.loop.LoopCore;
import dev.offload.internal.loop.StressLoops;
import dev.offload.internal.task.RecordAccess;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.worker.ThreadWorker;
import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Progress values of a task submitted from an event loop ({@code TaskContext.post}, {@link RecordAccess#postProgress})
 * reach the listener on that loop before the task's completion, never after it: a task submitted by a loop (an actor
 * stands in for its thread) runs on a worker (the other actor) while the loop runs what its inbox holds.
 */
public final class ProgressStress {
    private ProgressStress() {}

    /** A task submitted on {@code loop}'s behalf whose body is {@code body}, handed to the pool. */
    abstract static class LoopTask {
        final PoolCore core = StressPools.unstarted(0, 1, 0);
        final ThreadWorker worker = StressPools.worker(core);
        final LoopCore loop = StressPools.unstartedLoop();
        CompletableFuture<Object> future; // set in the constructor, before any actor runs
        int before; // the loop's thread only (its actor, then the arbiter): values delivered before the completion
        int after; // ... and after it

        LoopTask() {
            Task<Integer, Integer> task = x -> {
                body((TaskRecord) this.future);
                return x;
            };
            future = core.submit(loop, task, 1, TaskOptions.DEFAULT.withProgress(v -> {
                if (this.future.isDone()) {
                    after++;
                } else {
                    before++;
                }
            }));
            StressLoops.publish(loop);
        }

        abstract void body(TaskRecord running);

        /** The worker's step: takes the task, runs it, hands its completion to the loop. */
        void runOnWorker() {
            TaskRecord taken = core.pollForWorker();
            if (taken != null) {
                worker.execute(taken);
            }
        }

        /** 1 a value, 2 cancelled, 0 not completed, 9 anything else. */
        int futureState() {
            if (!future.isDone()) {
                return 0;
            }
            return future.isCancelled() ? 2 : future.isCompletedExceptionally() ? 9 : 1;
        }
    }

    /**
     * The task posts two values, then returns; the loop runs its inbox meanwhile, and the arbiter (on the loop's
     * behalf, afterwards) runs the rest. Results: r1 = values delivered before the completion, r2 = after it, r3 = the
     * future (1: its value).
     */
    @JCStressTest
    @Outcome(id = "2, 0, 1", expect = Expect.ACCEPTABLE, desc = "Both values, then the completion.")
    @Outcome(id = "0, 2, 1", expect = Expect.FORBIDDEN, desc = "Values delivered after the completion.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "A value lost, or the task not completed.")
    @State
    public static class BeforeCompletion extends LoopTask {
        @Override
        void body(TaskRecord running) {
            RecordAccess.postProgress(running, "a");
            RecordAccess.postProgress(running, "b");
        }

        @Actor
        public void worker() {
            runOnWorker();
        }

        @Actor
        public void loop() {
            StressLoops.drainAll(loop);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            StressLoops.drainAll(loop);
            r.r1 = before;
            r.r2 = after;
            r.r3 = futureState();
        }
    }

    /**
     * The loop cancels the task while it posts a value: the value is delivered before the cancel, or dropped; never
     * after. Results: r1 = values delivered before the completion, r2 = after it, r3 = the future (2: cancelled, 1:
     * its value, when the task finished first).
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = Expect.ACCEPTABLE, desc = "The task finished first: value, then completion.")
    @Outcome(id = "1, 0, 2", expect = Expect.ACCEPTABLE, desc = "Value delivered, then the cancel.")
    @Outcome(id = "0, 0, 2", expect = Expect.ACCEPTABLE, desc = "Cancelled first: the value dropped, or never posted.")
    @Outcome(id = ".*, 1, .*", expect = Expect.FORBIDDEN, desc = "The value delivered after the completion.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Anything else.")
    @State
    public static class CancelVsPost extends LoopTask {
        @Override
        void body(TaskRecord running) {
            RecordAccess.postProgress(running, "a");
        }

        @Actor
        public void worker() {
            runOnWorker();
        }

        @Actor
        public void loop() {
            future.cancel(false);
            StressLoops.drainAll(loop);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            StressLoops.drainAll(loop);
            r.r1 = before;
            r.r2 = after;
            r.r3 = futureState();
        }
    }
}
