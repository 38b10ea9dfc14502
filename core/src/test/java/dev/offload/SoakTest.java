package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** One million tiny tasks from an event loop, with queue-full rejections and cancellations: nothing is lost. */
class SoakTest {
    private static final int TASKS = 1_000_000;

    static long increment(long x) {
        return x + 1;
    }

    /** Loop thread only. */
    private static final class Driver {
        final WorkerPool pool;
        final SplittableRandom random = new SplittableRandom(42);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int attempts;
        int rejected;
        int completed;
        int cancelled;
        int wrongValues;
        int otherFailures;
        int offLoop;
        EventLoop loop;

        Driver(WorkerPool pool) {
            this.pool = pool;
        }

        void pump() {
            while (attempts < TASKS) {
                if (pool.needsDrain() && random.nextInt(8) != 0) {
                    return; // resumed by onDrain; one time in eight submit anyway and get refused
                }
                long n = attempts++;
                try {
                    CompletableFuture<Long> f = pool.submit(SoakTest::increment, n);
                    f.whenComplete((value, failure) -> onOutcome(n, value, failure));
                    if (random.nextInt(100) == 0) {
                        f.cancel(random.nextBoolean());
                    }
                } catch (RejectedExecutionException e) {
                    rejected++;
                    checkDone();
                }
            }
        }

        void onOutcome(long n, Long value, Throwable failure) {
            if (!loop.inEventLoop()) {
                offLoop++;
            }
            if (failure instanceof CancellationException) {
                cancelled++;
            } else if (failure instanceof RejectedExecutionException) {
                rejected++; // accepted, then refused by a queue full of cancelled tasks when handed to the workers
            } else if (failure != null) {
                otherFailures++;
            } else {
                completed++;
                if (value != n + 1) {
                    wrongValues++;
                }
            }
            checkDone();
        }

        void checkDone() {
            if (attempts == TASKS && completed + cancelled + rejected + otherFailures == TASKS) {
                done.complete(null);
            }
        }
    }

    @Test
    void millionTasks_withRejectionsAndCancels_accountingExact() {
        try (EventLoop loop = EventLoop.start("soak-loop");
                WorkerPool pool = WorkerPool.builder()
                        .name("soak")
                        .minWorkers(1)
                        .maxWorkers(2)
                        .maxQueue(64)
                        .build()) {
            Driver driver = new Driver(pool);
            loop.execute(() -> {
                driver.loop = loop;
                pool.onDrain(driver::pump);
                driver.pump();
            });
            try {
                driver.done.get(Await.SECONDS * 2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(
                        "not all one million outcomes arrived within " + (Await.SECONDS * 2)
                                + " s: stats=" + pool.stats() + ", attempts=" + driver.attempts + ", completed="
                                + driver.completed + ", cancelled=" + driver.cancelled + ", rejected=" + driver.rejected
                                + ", needsDrain=" + pool.needsDrain(),
                        e);
            }
            PoolStats s = Await.onLoop(loop, pool::stats);
            int[] seen = Await.onLoop(loop, () -> new int[] {
                driver.completed,
                driver.cancelled,
                driver.rejected,
                driver.wrongValues,
                driver.offLoop,
                driver.otherFailures
            });
            assertEquals(TASKS, s.submitted(), "every submit past argument checks counts");
            assertEquals(seen[0], s.completed(), "completed");
            assertEquals(seen[1], s.cancelled(), "cancelled");
            assertEquals(seen[2], s.rejected(), "rejected");
            assertEquals(0, s.failed(), "failed");
            assertEquals(0, s.inFlight(), "submitted = completed + failed + cancelled + rejected");
            assertEquals(0, seen[3], "tasks returned wrong values");
            assertEquals(0, seen[4], "callbacks ran off the loop thread");
            assertEquals(0, seen[5], "futures failed with something other than cancellation or rejection");
            assertTrue(seen[2] > 0, "the soak never hit a full queue, so it did not test rejections");
            assertTrue(seen[1] > 0, "the soak cancelled nothing");
        }
    }
}
