package dev.offload.shm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Concurrency contracts of {@link Atomics}: {@code wait} never misses a {@code notify} that follows a change of the
 * value, and {@code waitAsync} completes exactly once, in agreement with what {@code notify} reports.
 *
 * <p>Run: {@code java -jar stress-tests/target/jcstress.jar -t AtomicsStress}
 */
public final class AtomicsStress {
    private AtomicsStress() {}

    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /**
     * The stage's result is visible to {@code join()} just before the completing thread runs the counting callback, so
     * wait for the first count. A stage completes at most once by construction; a wait record settled twice shows up
     * as a disagreement between what {@code notify} counted and the stage's result.
     */
    private static int settledCompletions(AtomicInteger completions) {
        while (completions.get() == 0) {
            Thread.onSpinWait();
        }
        return completions.get();
    }

    private static void awaitNonZero(IntArray cells) {
        try {
            while (Atomics.load(cells, 0) == 0) {
                Atomics.wait(cells, 0, 0);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException("waiter interrupted: it was still waiting", e);
        }
    }

    /** A waiter blocked with no timeout terminates once the value changes and {@code notify} is called. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter woke up.")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the waiter still sleeps after store + notify.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class WaitVersusNotify {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();

        @Actor
        public void waiter() {
            awaitNonZero(cells);
        }

        @Signal
        public void signal() {
            Atomics.store(cells, 0, 1);
            Atomics.notify(cells, 0, 1);
        }
    }

    /** As {@link WaitVersusNotify} with a plain write before notify: notify's own fence must order it. */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The waiter woke up.")
    @Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the plain write was reordered past notify.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class WaitVersusNotifyAfterPlainWrite {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();

        @Actor
        public void waiter() {
            awaitNonZero(cells);
        }

        @Signal
        public void signal() {
            cells.set(0, 1);
            Atomics.notify(cells, 0, 1);
        }
    }

    /**
     * {@code notify} from two threads against one pending {@code waitAsync}: exactly one notify wakes it and the
     * stage completes once, with {@code OK}. Results: woken by actor 1, woken by actor 2, completions.
     */
    @JCStressTest
    @Outcome(
            id = {"1, 0, 1", "0, 1, 1"},
            expect = ACCEPTABLE,
            desc = "One notify woke it; it completed once.")
    @Outcome(id = "1, 1, 1", expect = FORBIDDEN, desc = "Both notifies counted the same waiter.")
    @Outcome(
            id = {"1, 1, 2", "1, 0, 2", "0, 1, 2"},
            expect = FORBIDDEN,
            desc = "The stage completed twice.")
    @Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "Lost wake-up: nobody woke the waiter.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class WaitAsyncNotifiedOnce {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();
        private final AtomicInteger completions = new AtomicInteger();
        private final CompletableFuture<WaitResult> stage;

        public WaitAsyncNotifiedOnce() {
            stage = Atomics.waitAsync(cells, 0, 0, FOREVER).toCompletableFuture();
            stage.whenComplete((result, failure) -> completions.incrementAndGet());
        }

        @Actor
        public void notifier1(III_Result r) {
            r.r1 = Atomics.notify(cells, 0, 1);
        }

        @Actor
        public void notifier2(III_Result r) {
            r.r2 = Atomics.notify(cells, 0, 1);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            WaitResult result = stage.join();
            r.r3 = result == WaitResult.OK ? settledCompletions(completions) : -settledCompletions(completions);
        }
    }

    /**
     * {@code notify} against a {@code waitAsync} whose 1 ns timeout fires on the timer thread: the stage completes
     * once, and with {@code OK} exactly when notify reports it woke it. Results: woken, result (1 OK, 2 TIMED_OUT),
     * completions.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "Notify won: OK, completed once.")
    @Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "Timeout won: TIMED_OUT, notify woke nobody.")
    @Outcome(id = "1, 2, 1", expect = FORBIDDEN, desc = "Notify counted a waiter that then timed out.")
    @Outcome(id = "0, 1, 1", expect = FORBIDDEN, desc = "OK without a notify that woke it.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result: completed twice or not at all.")
    @State
    public static class WaitAsyncNotifyVersusTimeout {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();
        private final AtomicInteger completions = new AtomicInteger();
        private final CompletableFuture<WaitResult> stage;

        public WaitAsyncNotifyVersusTimeout() {
            stage = Atomics.waitAsync(cells, 0, 0, Duration.ofNanos(1)).toCompletableFuture();
            stage.whenComplete((result, failure) -> completions.incrementAndGet());
        }

        @Actor
        public void notifier(III_Result r) {
            r.r1 = Atomics.notify(cells, 0, 1);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            WaitResult result = stage.join();
            r.r2 = result == WaitResult.OK ? 1 : result == WaitResult.TIMED_OUT ? 2 : 3;
            r.r3 = settledCompletions(completions);
        }
    }
}
