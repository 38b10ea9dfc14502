package dev.offload;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits for tests: each fails with a message saying what did not happen. */
final class Await {
    static final long SECONDS = 20;

    private Await() {}

    static <T> T result(CompletableFuture<T> future, String what) {
        try {
            return future.get(SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail(what + " did not complete within " + SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            return fail(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    static Throwable failure(CompletableFuture<?> future, String what) {
        try {
            Object value = future.get(SECONDS, TimeUnit.SECONDS);
            return fail(what + " was expected to fail but returned " + value);
        } catch (TimeoutException e) {
            return fail(what + " did not complete within " + SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted while waiting for " + what);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    /**
     * Returns the message of the exception that cancelled {@code future}. {@code CompletableFuture.get()} throws a new
     * {@code CancellationException("get")} whose cause is the one the future was cancelled with.
     */
    static String cancellationReason(CompletableFuture<?> future, String what) {
        Throwable t = failure(future, what);
        if (!(t instanceof java.util.concurrent.CancellationException)) {
            return fail(what + " was expected to be cancelled but failed with " + t, t);
        }
        Throwable reason = t.getCause() instanceof java.util.concurrent.CancellationException c ? c : t;
        return String.valueOf(reason.getMessage());
    }

    static void latch(CountDownLatch latch, String what) {
        try {
            if (!latch.await(SECONDS, TimeUnit.SECONDS)) {
                fail(what + " did not happen within " + SECONDS + " s (count left " + latch.getCount() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + what);
        }
    }

    /** Like {@link #latch} with a longer bound, for a test that does a lot of work. */
    static void latchFor(CountDownLatch latch, java.time.Duration bound, String what) {
        try {
            if (!latch.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(what + " did not happen within " + bound + " (count left " + latch.getCount() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for " + what);
        }
    }

    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " did not become true within " + SECONDS + " s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Runs {@code body} on {@code loop}; the future completes with what it returns or throws. */
    static <T> CompletableFuture<T> callOn(EventLoop loop, java.util.concurrent.Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Runs {@code body} on {@code loop} and returns what it threw, or fails if it threw nothing. */
    static Throwable thrownOn(EventLoop loop, Runnable body) {
        return failure(
                callOn(loop, () -> {
                    body.run();
                    return null;
                }),
                "a call on " + loop.name() + " that must throw");
    }

    /** Runs {@code body} on {@code loop} and returns what it returns, waiting boundedly. */
    static <T> T onLoop(EventLoop loop, java.util.concurrent.Callable<T> body) {
        return result(callOn(loop, body), "callback on " + loop.name());
    }
}
