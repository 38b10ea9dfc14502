package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Once a task ended and its caller dropped what it held (the future, a stream's subscriber), the pool keeps none of
 * it: a record holds the task, its options (a stream's subscriber), and its output, and the pool's threads may stay
 * idle for a long time after it. Each case ends a task one way, drops it, and waits for the collector to take it, with
 * the pool left idle.
 */
class ReleaseTest {
    @Test
    void aCompletedTask_isReleased() {
        try (WorkerPool pool = oneWorker("t-release-done").build()) {
            WeakReference<CompletableFuture<byte[]>> f = submitAndDrop(pool, () -> new byte[1 << 20]);
            awaitCollected(f, "a completed task's future and its 1 MiB output");
        }
    }

    /** The Reactive Streams TCK's rule 3.13: after cancel, the publisher drops its references to the subscriber. */
    @Test
    void aCancelledStream_releasesItsSubscriber() throws InterruptedException {
        try (WorkerPool pool = oneWorker("t-release-stream").build()) {
            for (int round = 0; round < 5; round++) { // the supervisor's passes fall anywhere in the task's life
                WeakReference<Object> subscriber = subscribeTakeOneCancel(pool);
                awaitCollected(subscriber, "round " + round + ": the subscriber of a stream cancelled after a value");
            }
        }
    }

    @Test
    void aTaskTimedOut_isReleased() {
        try (WorkerPool pool = oneWorker("t-release-timeout")
                .taskTimeout(Duration.ofMillis(50))
                .build()) {
            CompletableFuture<Object> f = pool.submit(() -> {
                Thread.sleep(60_000);
                return null;
            });
            assertInstanceOf(TaskTimeoutException.class, Await.failure(f, "the 50 ms limit"));
            Await.until(() -> pool.stats().busyWorkers() == 0, "the timed-out task's worker is free again");
            WeakReference<CompletableFuture<Object>> ref = new WeakReference<>(f);
            f = null;
            awaitCollected(ref, "a timed-out task's future");
        }
    }

    @Test
    void aTaskTheWatchdogReported_isReleasedOnceItEnds() {
        CountDownLatch reported = new CountDownLatch(1);
        try (WorkerPool pool = oneWorker("t-release-blocked")
                .isolation(Isolation.TRUSTED) // the task waits on a latch
                .blockedTaskThreshold(Duration.ofMillis(20))
                .listener(e -> {
                    if (e instanceof PoolEvent.TaskBlocked) {
                        reported.countDown();
                    }
                })
                .build()) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<String> f = pool.submit(() -> {
                release.await();
                return "done";
            });
            Await.latch(reported, "the watchdog's report of the task blocked past 20 ms");
            release.countDown();
            assertEquals("done", Await.result(f, "the reported task, released"));
            WeakReference<CompletableFuture<String>> ref = new WeakReference<>(f);
            f = null;
            awaitCollected(ref, "a task the watchdog reported, after it ended");
        }
    }

    private static WorkerPool.Builder oneWorker(String name) {
        return WorkerPool.builder().name(name).minWorkers(1).maxWorkers(1);
    }

    private static <T> WeakReference<CompletableFuture<T>> submitAndDrop(
            WorkerPool pool, java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> f = pool.submit(task);
        Await.result(f, "the task");
        return new WeakReference<>(f);
    }

    /** The TCK's shape: subscribe off any loop, request 1, take it, cancel; the stream's task waits for demand. */
    private static WeakReference<Object> subscribeTakeOneCancel(WorkerPool pool) throws InterruptedException {
        Flow.Publisher<Long> stream = pool.stream(
                (Long n, StreamTask.Emitter<Long> out) -> {
                    for (long i = 0; i < n; i++) {
                        out.emit(i);
                    }
                },
                1_000L);
        LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        Flow.Subscriber<Long> subscriber = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscribed.complete(s);
            }

            @Override
            public void onNext(Long item) {
                seen.add(item);
            }

            @Override
            public void onError(Throwable t) {
                seen.add(t);
            }

            @Override
            public void onComplete() {
                seen.add("complete");
            }
        };
        stream.subscribe(subscriber);
        Flow.Subscription s = Await.result(subscribed, "onSubscribe");
        s.request(1);
        assertEquals(0L, seen.poll(Await.SECONDS, TimeUnit.SECONDS), "the first value");
        s.cancel();
        return new WeakReference<>(subscriber);
    }

    private static void awaitCollected(WeakReference<?> ref, String what) {
        Await.until(
                () -> {
                    System.gc();
                    return ref.refersTo(null);
                },
                what + " is collected: the pool keeps nothing of a task that ended");
    }
}
