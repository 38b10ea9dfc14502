package dev.offload;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/** Contracts 1, 2, 5 and 6 on {@link WorkerPool}, through its public API. */
public final class WorkerPoolStress {
    private WorkerPoolStress() {}

    private static final EventLoop LOOP = EventLoop.builder()
            .name("stress-owner")
            .daemon(true)
            .idleStrategy(IdleStrategy.BALANCED)
            .start();
    private static final WorkerPool POOL = WorkerPool.builder()
            .name("stress-pool")
            .minWorkers(2)
            .maxWorkers(2)
            .daemon(true)
            .isolation(Isolation.TRUSTED)
            .build();

    /** A plain, non-volatile box: visibility comes only from the pool's hand-offs. */
    static final class Box {
        int value;
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("task did not complete within 30 s", e);
        }
    }

    /** A plain write before submit is seen by the task (submit happens-before the task runs). */
    @JCStressTest
    @Outcome(id = "42", expect = Expect.ACCEPTABLE, desc = "The task saw the write made before submit.")
    @Outcome(id = "0", expect = Expect.FORBIDDEN, desc = "The task ran without the submitter's write.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other value.")
    @State
    public static class SubmitHappensBeforeTask {
        @Actor
        public void submitter(I_Result r) {
            Box box = new Box();
            box.value = 42;
            r.r1 = await(POOL.submit((Box b) -> b.value, box));
        }
    }

    /**
     * A plain write made by the task is seen by the completion callback, which runs on the submitting loop's thread.
     * Results: r1 = value seen by the callback, r2 = callback ran on the loop thread.
     */
    @JCStressTest
    @Outcome(id = "42, 1", expect = Expect.ACCEPTABLE, desc = "Callback on the loop saw the task's write.")
    @Outcome(id = "0, .*", expect = Expect.FORBIDDEN, desc = "Callback missed the task's write.")
    @Outcome(id = ".*, 0", expect = Expect.FORBIDDEN, desc = "Callback ran off the owner loop.")
    @Outcome(expect = Expect.FORBIDDEN, desc = "Any other result.")
    @State
    public static class TaskHappensBeforeCallbackOnLoop {
        @Actor
        public void submitter(II_Result r) {
            CompletableFuture<int[]> seen = new CompletableFuture<>();
            LOOP.execute(() -> POOL.submit(
                            (Box b) -> {
                                b.value = 42;
                                return b;
                            },
                            new Box())
                    .thenAccept(b -> seen.complete(new int[] {b.value, LOOP.inEventLoop() ? 1 : 0})));
            int[] result = await(seen);
            r.r1 = result[0];
            r.r2 = result[1];
        }
    }
}
