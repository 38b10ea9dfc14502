package dev.offload;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** A task that holds a worker until released, for tests that need a busy pool (the pool must be TRUSTED). */
final class Blocker {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Integer> future;

    private Blocker(WorkerPool pool) {
        future = pool.submit(
                x -> {
                    started.countDown();
                    release.await();
                    return x;
                },
                0);
        Await.latch(started, "blocking task start");
    }

    /** Submits a task that blocks its worker, and returns once it runs. */
    static Blocker occupy(WorkerPool pool) {
        return new Blocker(pool);
    }

    void release() {
        release.countDown();
    }

    CompletableFuture<Integer> future() {
        return future;
    }

    /** Releases the task and waits for its result. */
    void releaseAndAwait() {
        release();
        Await.result(future, "blocking task");
    }
}
