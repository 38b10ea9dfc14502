package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WorkerPool#stream}: values on the subscribing loop, demand reaching back to the worker, cancel, errors. */
class StreamTest {
    static final AtomicInteger EMITTED = new AtomicInteger();

    private EventLoop loop;
    private WorkerPool pool;

    @BeforeEach
    void start() {
        EMITTED.set(0);
        loop = EventLoop.start("stream-loop");
        pool = WorkerPool.create(1);
    }

    @AfterEach
    void stop() {
        pool.close();
        loop.close();
    }

    static final AtomicBoolean RETURNED = new AtomicBoolean(); // a countAndMark task's emit loop ended

    static void countAndMark(Integer n, StreamTask.Emitter<Integer> out) {
        try {
            count(n, out);
        } finally {
            RETURNED.set(true);
        }
    }

    static void count(Integer n, StreamTask.Emitter<Integer> out) {
        for (int i = 0; i < n; i++) {
            out.emit(i);
            EMITTED.incrementAndGet();
        }
    }

    /** A subscriber on the loop that records what it saw; requests {@code batch} at a time. */
    static final class Recorder implements Flow.Subscriber<Object> {
        final List<Object> values = Collections.synchronizedList(new ArrayList<>());
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Throwable> end = new CompletableFuture<>(); // null: completed
        final EventLoop loop;
        final int batch;
        Flow.Subscription subscription;
        long requested;
        int sinceRequest;

        Recorder(EventLoop loop, int batch) {
            this.loop = loop;
            this.batch = batch;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            requested += batch;
            s.request(batch);
        }

        @Override
        public void onNext(Object item) {
            if (!loop.inEventLoop()) {
                problems.add("onNext off the loop");
            }
            values.add(item);
            if (EMITTED.get() > requested && problems.isEmpty()) { // the first one says it
                problems.add("the worker ran ahead: emitted " + EMITTED.get() + " of " + requested + " requested");
            }
            if (++sinceRequest == batch) {
                sinceRequest = 0;
                requested += batch;
                subscription.request(batch);
            }
        }

        @Override
        public void onError(Throwable t) {
            end.complete(t);
        }

        @Override
        public void onComplete() {
            if (values.isEmpty() && EMITTED.get() > 0) {
                problems.add("completed before its values");
            }
            end.complete(null);
        }
    }

    @Test
    void values_arriveInOrder_onTheLoop_neverAheadOfDemand_thenOnComplete() {
        Recorder r = new Recorder(loop, 7);
        loop.execute(() -> pool.stream(StreamTest::count, 1000).subscribe(r));
        assertEquals(null, Await.result(r.end, "the stream's end"));
        assertEquals(List.of(), r.problems);
        assertEquals(1000, r.values.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, r.values.get(i));
        }
    }

    @Test
    void aWorkerWithoutDemand_waits_andCancelStopsTheTask_thenNothingMoreIsSignalled() throws Exception {
        List<Object> values = Collections.synchronizedList(new ArrayList<>());
        List<String> after = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Flow.Subscription> sub = new CompletableFuture<>();
        loop.execute(() -> pool.stream(StreamTest::count, 1_000_000).subscribe(new Flow.Subscriber<Integer>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(5); // and never more
                sub.complete(s);
            }

            @Override
            public void onNext(Integer item) {
                values.add(item);
            }

            @Override
            public void onError(Throwable t) {
                after.add("onError " + t);
            }

            @Override
            public void onComplete() {
                after.add("onComplete");
            }
        }));
        Await.until(() -> values.size() == 5, "the five values requested");
        Thread.sleep(100); // a worker that ran ahead would emit more meanwhile
        assertEquals(5, EMITTED.get(), "the worker waits for demand");
        Flow.Subscription s = Await.result(sub, "the subscription");
        loop.execute(s::cancel);
        Task<Integer, Integer> plusOne = x -> x + 1;
        int seven = Await.result(pool.submit(plusOne, 6), "a task after the cancel: the worker is free");
        assertEquals(7, seven);
        Await.onLoop(loop, () -> "a pass of the loop");
        assertEquals(List.of(), after, "a cancelled subscription hears nothing more");
        assertEquals(5, values.size());
    }

    /**
     * A pool whose idle strategy never parks: an emitter without credit spins instead of parking, and still never runs
     * ahead of the demand; a cancel ends its spin.
     */
    @Test
    void aSpinningEmitter_neverRunsAheadOfDemand_andACancelEndsItsSpin() throws Exception {
        try (WorkerPool spinning = WorkerPool.builder()
                .maxWorkers(1)
                .idleStrategy(IdleStrategy.LATENCY)
                .build()) {
            Recorder r = new Recorder(loop, 7);
            loop.execute(() -> spinning.stream(StreamTest::count, 1000).subscribe(r));
            assertEquals(null, Await.result(r.end, "the stream's end"));
            assertEquals(List.of(), r.problems);
            assertEquals(1000, r.values.size());

            EMITTED.set(0);
            RETURNED.set(false);
            CompletableFuture<Flow.Subscription> sub = new CompletableFuture<>();
            List<Object> values = Collections.synchronizedList(new ArrayList<>());
            loop.execute(() -> spinning.stream(StreamTest::countAndMark, 1_000_000)
                    .subscribe(new Flow.Subscriber<Integer>() {
                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            s.request(3); // and never more: the emitter spins for the fourth
                            sub.complete(s);
                        }

                        @Override
                        public void onNext(Integer item) {
                            values.add(item);
                        }

                        @Override
                        public void onError(Throwable t) {}

                        @Override
                        public void onComplete() {}
                    }));
            Await.until(() -> values.size() == 3, "the three values requested");
            Thread.sleep(50); // a spinning emitter that ran ahead would emit more meanwhile
            assertEquals(3, EMITTED.get(), "the spinning worker waits for demand");
            Flow.Subscription s = Await.result(sub, "the subscription");
            loop.execute(s::cancel);
            Await.until(RETURNED::get, "the spinning emitter's task to end after the cancel");
            Task<Integer, Integer> plusOne = x -> x + 1;
            assertEquals(
                    7,
                    Await.result(spinning.submit(plusOne, 6), "a task after the cancel: the spinning worker is free"));
        }
    }

    static void failAfterTwo(Integer ignored, StreamTask.Emitter<int[]> out) {
        out.emit(new int[] {1});
        out.emit(new int[] {2});
        throw new IllegalStateException("source broke");
    }

    @Test
    void aTaskThatThrows_endsTheStreamWithOnError_asThrown_afterItsValues() {
        Recorder r = new Recorder(loop, 100);
        loop.execute(() -> pool.stream(StreamTest::failAfterTwo, 0).subscribe(r));
        Throwable t = Await.result(r.end, "the stream's end");
        assertInstanceOf(IllegalStateException.class, t);
        assertEquals("source broke", t.getMessage());
        assertEquals(2, r.values.size());
    }

    @Test
    void aSecondSubscriber_andRequestOfZero_getOnError() {
        Flow.Publisher<Integer> stream = Await.onLoop(loop, () -> pool.stream(StreamTest::count, 3));
        Recorder first = new Recorder(loop, 10);
        Recorder second = new Recorder(loop, 10);
        loop.execute(() -> {
            stream.subscribe(first);
            stream.subscribe(second);
        });
        assertEquals(null, Await.result(first.end, "the first subscriber's end"));
        assertInstanceOf(IllegalStateException.class, Await.result(second.end, "the second subscriber's error"));

        Recorder zero = new Recorder(loop, 0);
        loop.execute(() -> pool.stream(StreamTest::count, 3).subscribe(zero));
        Throwable t = Await.result(zero.end, "request(0)'s error");
        assertInstanceOf(IllegalArgumentException.class, t);
        assertTrue(t.getMessage().contains("3.9"), t.getMessage());
    }

    /**
     * A subscriber that requests one value at a time from {@code onNext} and records what breaks the rules: a signal
     * that overlaps another, a value after the error, an error on another thread than the values (or off
     * {@code loop}, if given), a completion. Any thread.
     */
    static final class OneAtATime implements Flow.Subscriber<Integer> {
        final CompletableFuture<Flow.Subscription> subscribed = new CompletableFuture<>();
        final CompletableFuture<Throwable> end = new CompletableFuture<>();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger values = new AtomicInteger();
        private final EventLoop loop;
        private final AtomicInteger inSignal = new AtomicInteger();
        private volatile String valueThread;

        OneAtATime(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscribed.complete(s);
            s.request(1);
        }

        @Override
        public void onNext(Integer item) {
            enter("onNext");
            if (end.isDone()) {
                problems.add("onNext after the error");
            }
            valueThread = Thread.currentThread().getName();
            values.incrementAndGet();
            Await.result(subscribed, "the subscription").request(1);
            inSignal.decrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            enter("onError");
            String here = Thread.currentThread().getName();
            if (loop != null ? !loop.inEventLoop() : !here.equals(valueThread)) {
                problems.add("onError on " + here + ", the values on " + valueThread);
            }
            if (!end.complete(t)) {
                problems.add("a second terminal signal: " + t);
            }
            inSignal.decrementAndGet();
        }

        @Override
        public void onComplete() {
            problems.add("onComplete");
        }

        private void enter(String signal) {
            if (inSignal.getAndIncrement() != 0) {
                problems.add(signal + " overlapped another signal");
            }
        }
    }

    /**
     * Rule 1.3: signals are serial. A {@code request(0)} made on another thread while values flow on the loop ends
     * the stream there, after the values already on their way, not on the requesting thread beside an
     * {@code onNext}.
     */
    @Test
    void aRequestOfZeroFromAnotherThread_endsTheStreamOnTheLoop_andNothingFollows() {
        OneAtATime subscriber = new OneAtATime(loop);
        loop.execute(() -> pool.stream(StreamTest::count, Integer.MAX_VALUE).subscribe(subscriber));
        Flow.Subscription s = Await.result(subscriber.subscribed, "onSubscribe");
        Await.until(() -> subscriber.values.get() >= 10, "10 values, one requested at a time");
        s.request(0); // this test's thread: not the loop
        assertInstanceOf(IllegalArgumentException.class, Await.result(subscriber.end, "request(0)'s error"));
        int atError = subscriber.values.get();
        Await.result(Await.callOn(loop, () -> null), "a turn of the loop after the error");
        assertEquals(atError, subscriber.values.get(), "values after the error");
        assertEquals(List.of(), subscriber.problems);
    }

    /**
     * The same off any loop: the values arrive on the worker's thread, and the error of a {@code request(0)} made on
     * another thread arrives there too, after them, never on the requesting thread beside an {@code onNext}.
     */
    @Test
    void aRequestOfZero_offTheLoop_endsTheStreamWhereItsValuesArrive() {
        OneAtATime subscriber = new OneAtATime(null);
        pool.stream(StreamTest::count, Integer.MAX_VALUE).subscribe(subscriber); // this test's thread: no loop
        Flow.Subscription s = Await.result(subscriber.subscribed, "onSubscribe");
        Await.until(() -> subscriber.values.get() >= 10, "10 values, one requested at a time");
        s.request(0);
        assertInstanceOf(IllegalArgumentException.class, Await.result(subscriber.end, "request(0)'s error"));
        assertEquals(List.of(), subscriber.problems);
    }

    /**
     * Rule 2.13: a subscriber whose {@code onNext} throws is cancelled: no value, completion or error follows, its
     * task stops and frees its worker, and the loop goes on (its uncaught-exception handler gets the throw).
     */
    @Test
    void aSubscriberThatThrows_isCancelled_andItsTaskStops() {
        RETURNED.set(false);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger values = new AtomicInteger();
        Flow.Subscriber<Integer> subscriber = new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Integer item) {
                if (values.incrementAndGet() == 5) {
                    throw new IllegalStateException("a subscriber that breaks rule 2.13");
                }
                if (values.get() > 5) {
                    problems.add("onNext after the subscriber threw");
                }
            }

            @Override
            public void onError(Throwable t) {
                problems.add("onError " + t);
            }

            @Override
            public void onComplete() {
                problems.add("onComplete");
            }
        };
        // Far more values than the subscriber takes: on the code before, they all came, then onComplete.
        loop.execute(() -> pool.stream(StreamTest::countAndMark, 100_000).subscribe(subscriber));
        Await.until(RETURNED::get, "the stream's task stops after its subscriber threw");
        assertEquals(5, Await.result(Await.callOn(loop, values::get), "the loop, still running"));
        assertEquals(List.of(), problems);
    }
}
