package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.ITestListener;
import org.testng.ITestResult;
import org.testng.TestNG;
import org.testng.annotations.AfterClass;

/**
 * The Reactive Streams TCK (its {@code Flow} edition) against {@link WorkerPool#stream}: every rule it checks for a
 * publisher, with the stream subscribed from a plain thread and from an event loop. The TCK calls {@code request} and
 * {@code cancel} from its own thread in both cases. It runs on TestNG, which this test drives and reads.
 *
 * <p>The TCK leaves some subscriptions open, neither cancelled nor fully requested; each holds a worker, whose task
 * waits for demand (see {@link WorkerPool#stream}). So the pools have room for them, and close with a bound.
 */
class StreamTckTest {
    /** How long the TCK waits for a signal, and for the absence of one, ms. */
    private static final long SIGNAL_TIMEOUT = 1_000;

    private static final long NO_SIGNAL_TIMEOUT = 200;

    /** How long after a cancel the publisher may keep a reference to its subscriber (rule 3.13), ms. */
    private static final long RELEASE_TIMEOUT = 1_000;

    /** The values of a stream: {@code 0 .. n-1}. */
    static Flow.Publisher<Long> counting(WorkerPool pool, long n) {
        return pool.stream(
                (Long count, StreamTask.Emitter<Long> out) -> {
                    for (long i = 0; i < count; i++) {
                        out.emit(i);
                    }
                },
                n);
    }

    /** A stream whose task throws at once. */
    static Flow.Publisher<Long> failing(WorkerPool pool) {
        return pool.stream(
                (Long ignored, StreamTask.Emitter<Long> out) -> {
                    throw new IllegalStateException("the stream's task failed");
                },
                0L);
    }

    /** What both verifications share: the streams, from a pool with room for the subscriptions the TCK leaves open. */
    abstract static class StreamVerification extends FlowPublisherVerification<Long> {
        final WorkerPool pool;

        StreamVerification(String poolName) {
            super(new TestEnvironment(SIGNAL_TIMEOUT, NO_SIGNAL_TIMEOUT), RELEASE_TIMEOUT);
            pool = WorkerPool.builder().name(poolName).maxWorkers(32).build();
        }

        /** How the TCK's subscriber is subscribed to {@code stream}. */
        abstract Flow.Publisher<Long> subscribed(Flow.Publisher<Long> stream);

        @Override
        public Flow.Publisher<Long> createFlowPublisher(long elements) {
            return subscribed(counting(pool, elements));
        }

        @Override
        public Flow.Publisher<Long> createFailedFlowPublisher() {
            return subscribed(failing(pool));
        }

        @Override
        public long maxElementsFromPublisher() {
            return Long.MAX_VALUE - 1;
        }

        /** Closes the pool first: its streams still running (those the TCK left open) are then cancelled. */
        @AfterClass
        public void close() {
            pool.close(Duration.ofSeconds(2));
            closeRest();
        }

        void closeRest() {}
    }

    /** Subscribed from the TCK's thread: the values arrive where the pool completes futures off a loop. */
    public static final class OffLoop extends StreamVerification {
        public OffLoop() {
            super("t-tck-off-loop");
        }

        @Override
        Flow.Publisher<Long> subscribed(Flow.Publisher<Long> stream) {
            return stream;
        }
    }

    /** Subscribed on an event loop, as the pool means: the values arrive on that loop. */
    public static final class OnLoop extends StreamVerification {
        private final EventLoop loop = EventLoop.start("t-tck-loop");

        public OnLoop() {
            super("t-tck-on-loop");
        }

        @Override
        Flow.Publisher<Long> subscribed(Flow.Publisher<Long> stream) {
            return subscriber -> {
                Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9, on the caller's thread
                loop.execute(() -> stream.subscribe(subscriber));
            };
        }

        @Override
        void closeRest() {
            loop.close();
        }
    }

    @Test
    void everyPublisherRule_offTheLoop() {
        runTck(OffLoop.class);
    }

    @Test
    void everyPublisherRule_onAnEventLoop() {
        runTck(OnLoop.class);
    }

    /**
     * Runs one verification class and fails with every rule that failed. Rules the TCK marks untested, and optional
     * ones the stream does not offer (several subscribers), are skipped by the TCK; the required rules must all pass.
     */
    private static void runTck(Class<?> verification) {
        List<String> passed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> skippedRequired = new ArrayList<>();
        TestNG testng = new TestNG(false);
        testng.setTestClasses(new Class<?>[] {verification});
        testng.setVerbose(0);
        testng.setUseDefaultListeners(false);
        testng.addListener(new ITestListener() {
            @Override
            public void onTestSuccess(ITestResult r) {
                passed.add(r.getName());
            }

            @Override
            public void onTestFailure(ITestResult r) {
                failed.add(r.getName() + ": " + r.getThrowable());
            }

            @Override
            public void onTestSkipped(ITestResult r) {
                if (r.getName().startsWith("required_")) {
                    skippedRequired.add(r.getName() + ": " + r.getThrowable());
                }
            }
        });
        testng.run();
        assertEquals(List.of(), failed, "rules the stream broke");
        assertEquals(List.of(), skippedRequired, "required rules the TCK skipped");
        assertTrue(
                passed.stream().filter(n -> n.startsWith("required_")).count() >= 20,
                "the TCK ran its required rules: passed " + passed);
    }
}
