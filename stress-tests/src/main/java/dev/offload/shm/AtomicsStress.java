package dev.offload.shm;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * value, and a {@code waitAsync} record is settled exactly once (by notify or by its timeout), in agreement with
 * what {@code notify} reports, completing its stage and leaving the wait table intact.
 *
 * <p>Run: {@code java -jar stress-tests/target/jcstress.jar -t AtomicsStress}
 */
public final class AtomicsStress {
    private AtomicsStress() {}

    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /*
     * Why the waitAsync tests count no completions: the stage is a CompletableFuture, which completes at most once by
     * construction, so a callback counter reads 1 even when the wait record behind it was settled twice (once by
     * notify, once by the timer). What a double settle does show is notify counting a waiter whose stage then says
     * TIMED_OUT, and a wait table left inconsistent (the record unlinked twice, the bucket's waiter count off by one),
     * so that a later waiter on the cell is not woken. A lost completion shows as a stage still pending after the
     * notify that woke it returned: waitAsync completes on the notifying thread, within notify.
     */

    /** What a notifier saw: it woke nobody. */
    private static final int WOKE_NONE = 0;

    /** What a notifier saw: it woke the waiter, and the stage was complete when notify returned. */
    private static final int WOKE_COMPLETED = 1;

    /** What a notifier saw: it woke the waiter, yet the stage was still pending when notify returned. */
    private static final int WOKE_PENDING = 2;

    /** The state of a stage: 0 pending, 1 OK, 2 TIMED_OUT, 3 NOT_EQUAL, 4 failed. */
    private static int state(CompletableFuture<WaitResult> stage) {
        if (!stage.isDone()) {
            return 0;
        }
        if (stage.isCompletedExceptionally()) {
            return 4;
        }
        return switch (stage.join()) {
            case OK -> 1;
            case TIMED_OUT -> 2;
            case NOT_EQUAL -> 3;
        };
    }

    private static int notifyOne(IntArray cells, CompletableFuture<WaitResult> stage) {
        if (Atomics.notify(cells, 0, 1) == 0) {
            return WOKE_NONE;
        }
        return stage.isDone() ? WOKE_COMPLETED : WOKE_PENDING;
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
     * {@code notify} from two threads against one pending {@code waitAsync}: exactly one notify wakes it, and the
     * stage has completed with {@code OK} by the time that notify returns. Results, per notifier: 0 woke nobody, 1 woke
     * it (stage complete on return), 2 woke it (stage still pending on return); then the stage: 0 pending, 1 OK, 2
     * TIMED_OUT, 3 NOT_EQUAL, 4 failed.
     */
    @JCStressTest
    @Outcome(
            id = {"1, 0, 1", "0, 1, 1"},
            expect = ACCEPTABLE,
            desc = "One notify woke it; the stage completed with OK within that notify.")
    @Outcome(
            id = {"1, 1, 1", "1, 2, 1", "2, 1, 1"},
            expect = FORBIDDEN,
            desc = "Both notifies counted the one waiter: its record was not unlinked when first woken.")
    @Outcome(
            id = {"2, 0, 0", "0, 2, 0", "2, 0, 1", "0, 2, 1"},
            expect = FORBIDDEN,
            desc = "Lost or late completion: notify woke the waiter and returned with its stage pending.")
    @Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "Lost wake-up: neither notify found the registered waiter.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class WaitAsyncNotifiedOnce {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();
        private final CompletableFuture<WaitResult> stage =
                Atomics.waitAsync(cells, 0, 0, FOREVER).toCompletableFuture();

        @Actor
        public void notifier1(III_Result r) {
            r.r1 = notifyOne(cells, stage);
        }

        @Actor
        public void notifier2(III_Result r) {
            r.r2 = notifyOne(cells, stage);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = state(stage);
        }
    }

    /**
     * {@code notify} against a {@code waitAsync} whose 1 ns timeout fires on the timer thread: the wait record is
     * settled once, by one of them. The stage ends {@code OK} exactly when notify reports it woke it (and is complete
     * when that notify returns), else {@code TIMED_OUT}; afterwards the wait table is intact: a new waiter on the cell
     * is woken by the next notify. Results: notify (0 woke nobody, 1 woke it, stage complete on return, 2 woke it,
     * stage pending on return); the stage, waited for up to 5 s (0 pending, 1 OK, 2 TIMED_OUT, 3 NOT_EQUAL, 4
     * failed); the next waiter (1 woken, 0 not).
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "Notify won: OK within notify; the table is intact.")
    @Outcome(
            id = "0, 2, 1",
            expect = ACCEPTABLE,
            desc = "Timeout won: TIMED_OUT, notify woke nobody; the table is intact.")
    @Outcome(
            id = {"1, 2, 1", "1, 2, 0"},
            expect = FORBIDDEN,
            desc = "Settled twice: notify counted a waiter whose stage then completed TIMED_OUT.")
    @Outcome(
            id = {"1, 1, 0", "0, 2, 0"},
            expect = FORBIDDEN,
            desc = "Wait table damaged by the race (record unlinked twice?): the next waiter was not woken.")
    @Outcome(id = "0, 1, 1", expect = FORBIDDEN, desc = "OK without a notify that woke it.")
    @Outcome(
            id = {"0, 0, 1", "0, 0, 0"},
            expect = FORBIDDEN,
            desc = "Lost completion: the timeout settled the waiter but its stage never completed.")
    @Outcome(
            id = {"2, 1, 1", "2, 2, 1", "2, 0, 1"},
            expect = FORBIDDEN,
            desc = "Late completion: notify woke the waiter and returned with its stage pending.")
    @Outcome(expect = FORBIDDEN, desc = "Any other result is a bug.")
    @State
    public static class WaitAsyncNotifyVersusTimeout {
        private final IntArray cells = SharedBuffer.allocate(8).asIntArray();
        private final CompletableFuture<WaitResult> stage =
                Atomics.waitAsync(cells, 0, 0, Duration.ofNanos(1)).toCompletableFuture();

        @Actor
        public void notifier(III_Result r) {
            r.r1 = notifyOne(cells, stage);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            try {
                stage.get(5, TimeUnit.SECONDS); // when the timeout won, the timer thread may still be completing it
            } catch (TimeoutException | ExecutionException notCompletedNormally) {
                // state() tells which
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.r2 = state(stage);
            CompletableFuture<WaitResult> next =
                    Atomics.waitAsync(cells, 0, 0, FOREVER).toCompletableFuture();
            r.r3 = notifyOne(cells, next) == WOKE_COMPLETED && state(next) == 1 ? 1 : 0;
        }
    }
}
