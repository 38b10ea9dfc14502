package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.offload.shm.internal.WaitTable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helpers for threads blocked in {@link Atomics#wait}: start one, and wait (bounded) until it registered. */
final class Waiters {
    private Waiters() {}

    /** A wait to run on another thread. */
    interface Wait {
        WaitResult call() throws Exception;
    }

    /** Runs {@code wait} on a new daemon platform thread; the future completes with its result or its exception. */
    static CompletableFuture<WaitResult> onThread(Wait wait) {
        CompletableFuture<WaitResult> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(wait.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    static void awaitRegistered(IntArray a, long index, int n) throws InterruptedException {
        awaitRegistered(a.address(index), n);
    }

    static void awaitRegistered(LongArray a, long index, int n) throws InterruptedException {
        awaitRegistered(a.address(index), n);
    }

    /** Waits up to 10 s until at least {@code n} waiters are registered on the cell at {@code address}. */
    static void awaitRegistered(long address, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (WaitTable.waiterCount(address) < n) {
            if (System.nanoTime() > deadline) {
                fail("waiters did not register within 10 s: expected=" + n + ", registered="
                        + WaitTable.waiterCount(address));
            }
            Thread.sleep(1);
        }
    }
}
