package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.IdleStrategy;
import dev.offload.MessageChannel;
import dev.offload.MessagePort;
import dev.offload.StreamTask;
import dev.offload.WorkerPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.varhandle.SpscVarHandleArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P18: a stream of small messages from one producer to one consumer, with backpressure; one operation is one message
 * handed over. Every variant streams {@value #MESSAGES} messages per invocation: the sequence numbers as boxed
 * {@code Integer}s (those above 127 are allocated by the producer, alike in every variant), and the consumer checks
 * that each arrives once and in order. The benchmark thread hands the start over and waits in a bounded {@code get}.
 * Variants:
 *
 * <ul>
 *   <li>{@code ports}: loop A posts on one port of a {@link MessageChannel}, loop B counts in its {@code onMessage}
 *       handler and acknowledges every {@code window / 4} messages with its running total over the reverse direction.
 *       A never has more than {@code window} messages unacknowledged: it posts while the window allows and resumes
 *       from the acknowledgement's handler. Both loops use the {@code idle} strategy.
 *   <li>{@code taskStream}: offload's own streaming, {@link WorkerPool#stream}: a {@link StreamTask} on the pool's
 *       single worker emits the sequence; the subscriber, on a loop, requests {@code window} values when it subscribes
 *       and {@code window / 4} more every {@code window / 4} values, so the demand reaches the worker ({@code emit}
 *       waits for it). One task and one subscription per invocation; loop and worker use the {@code idle} strategy.
 *   <li>{@code jctoolsSpsc}: the peer, a bare hand-off: a JCTools {@link SpscVarHandleArrayQueue} of capacity
 *       {@code window} between two platform threads that live for the trial and spin with
 *       {@link Thread#onSpinWait()}, the producer while the queue is full, the consumer while it is empty.
 * </ul>
 *
 * <p>Backpressure is checked, cheaply, in the measured run. {@code ports}: just before each acknowledgement B reads
 * how many messages A has posted (an opaque read of A's counter, which A writes opaquely after each post: one cache
 * miss per acknowledgement, none per message) and subtracts what it received; the largest difference of the trial
 * must not exceed {@code window - window / 4}, else the invocation fails. It cannot if flow control works: A posts
 * only while {@code sent - acked < window}, and the latest total A can have been acknowledged at that point is B's
 * previous one, {@code window / 4} short of what B has received. Flow control off by even one message fails it; the
 * largest difference seen is printed at the end of the trial, so that a check that never came near its bound would
 * show. {@code taskStream}, the same way: the stream task counts each value it emitted (a static counter, written
 * opaquely), and just before each request the subscriber subtracts what it got; with the same {@code window} and
 * batches, more than {@code window - window / 4} fails the invocation: the worker emitted beyond the demand.
 *
 * <p>Target: {@code ports} &ge; 0.7 &times; the throughput of {@code jctoolsSpsc}, that is, a time per message
 * &le; 1.43 &times; its (P18); {@code taskStream} stated beside it.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar StreamingBenchmark -f 1 -wi 5 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamingBenchmark {
    /** Messages per invocation (64 Ki): long enough to amortize the benchmark thread's wake-up. */
    static final int MESSAGES = 65_536;

    /** The consumer acknowledges (or requests more) every {@code window / ACK_DIVISOR} messages. */
    static final int ACK_DIVISOR = 4;

    static int ackEvery(int window) {
        if (window < ACK_DIVISOR) {
            throw new IllegalArgumentException("window must be >= " + ACK_DIVISOR + ": window=" + window);
        }
        return window / ACK_DIVISOR;
    }

    /**
     * How many values {@link #emitSequence} emitted in this JVM, for {@code taskStream}'s bound check. A static field,
     * which the task reaches without capturing it (a task may capture only immutable values); the pool's single
     * worker is its only writer.
     */
    static final ProgressCount EMITTED = new ProgressCount();

    /** The stream task of {@code taskStream}: emits {@code 0 .. count - 1}, each once demanded, and counts them. */
    static void emitSequence(Integer count, StreamTask.Emitter<Integer> out) {
        for (int i = 0; i < count; i++) {
            out.emit(Integer.valueOf(i));
            EMITTED.advance();
        }
    }

    /** {@code ports}: loop A streams to loop B over a channel, B acknowledges over the reverse direction. */
    @State(Scope.Benchmark)
    public static class Ports {
        @Param({"LATENCY", "BALANCED"})
        public IdleStrategy idle;

        @Param({"256"})
        public int window;

        private EventLoop a;
        private EventLoop b;
        private PortProducer producer;
        private PortConsumer consumer;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            int ackEvery = ackEvery(window);
            a = EventLoop.builder()
                    .name("stream-a")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            b = EventLoop.builder()
                    .name("stream-b")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            MessageChannel channel = new MessageChannel();
            producer = new PortProducer(channel.port1(), window);
            consumer = new PortConsumer(channel.port2(), window, ackEvery, producer);
            CompletableFuture<Void> readyB = new CompletableFuture<>();
            b.execute(() -> {
                consumer.port.onMessage(consumer::onMessage);
                readyB.complete(null);
            });
            BenchThreads.await(readyB);
            CompletableFuture<Void> readyA = new CompletableFuture<>();
            a.execute(() -> {
                producer.port.onMessage(producer::onAck);
                readyA.complete(null);
            });
            BenchThreads.await(readyA);
        }

        /** Benchmark thread: starts one invocation's stream on loop A; B completes the returned future. */
        CompletableFuture<Integer> run() {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            consumer.done = done; // volatile: B reads it only after A's messages, which follow this write
            a.execute(() -> {
                try {
                    producer.start();
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            return done;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(a);
            BenchThreads.close(b);
            System.out.println("ports: most unacknowledged messages seen at an acknowledgement: "
                    + consumer.maxOutstanding + ", bound=" + (window - ackEvery(window)) + ", window=" + window);
        }
    }

    /** Loop A's side of {@code ports}. Loop A only, but for {@link #posted}, which B also reads. */
    static final class PortProducer extends BenchPad {
        final MessagePort port;
        final ProgressCount posted = new ProgressCount(); // what B's bound check reads
        private final int window;
        private long sent; // messages posted, over the trial
        private long acked; // the latest total B acknowledged
        private long end; // the total to reach by the end of the running invocation

        PortProducer(MessagePort port, int window) {
            this.port = port;
            this.window = window;
        }

        void start() {
            end += MESSAGES;
            pump();
        }

        void onAck(Object total) {
            acked = (Long) total; // acknowledgements arrive in order, each a running total
            pump();
        }

        /** Posts while the window allows: never more than {@code window} messages unacknowledged. */
        private void pump() {
            long s = sent;
            long limit = Math.min(end, acked + window);
            while (s < limit) {
                port.postMessage(Integer.valueOf((int) s++));
                posted.advance();
            }
            sent = s;
        }
    }

    /** Loop B's side of {@code ports}. Loop B only, but for {@link #done} and the trial-end read of the maximum. */
    static final class PortConsumer extends BenchPad {
        final MessagePort port;
        private final int window;
        private final int ackEvery;
        private final PortProducer producer;
        volatile CompletableFuture<Integer> done; // the running invocation's, set by the benchmark thread

        private long received; // over the trial
        private int untilAck;
        private int untilEnd = MESSAGES;
        long maxOutstanding; // read after loop B ended (its end happens-before close() returns)

        PortConsumer(MessagePort port, int window, int ackEvery, PortProducer producer) {
            this.port = port;
            this.window = window;
            this.ackEvery = ackEvery;
            this.producer = producer;
            this.untilAck = ackEvery;
        }

        void onMessage(Object message) {
            int value = (Integer) message;
            if (value != (int) received) {
                done.completeExceptionally(new IllegalStateException(
                        "message lost or out of order: expected=" + (int) received + ", got=" + value));
                return;
            }
            received++;
            if (--untilAck == 0) {
                untilAck = ackEvery;
                long outstanding = producer.posted.read() - received;
                if (outstanding > maxOutstanding) {
                    maxOutstanding = outstanding;
                }
                port.postMessage(Long.valueOf(received));
            }
            if (--untilEnd == 0) {
                untilEnd = MESSAGES;
                if (maxOutstanding > window - ackEvery) { // the bound at an acknowledgement: see the class comment
                    done.completeExceptionally(new IllegalStateException("backpressure bound broken: maxOutstanding="
                            + maxOutstanding + ", window=" + window + ", ackEvery=" + ackEvery));
                } else {
                    done.complete(value);
                }
            }
        }
    }

    /** {@code taskStream}: a stream task on a pool of one worker, subscribed to on a loop. */
    @State(Scope.Benchmark)
    public static class TaskStreams {
        @Param({"LATENCY", "BALANCED"})
        public IdleStrategy idle;

        @Param({"256"})
        public int window;

        private final StreamTask<Integer, Integer> task = StreamingBenchmark::emitSequence;
        private EventLoop loop;
        private WorkerPool pool;

        // Loop only, but for the trial-end read of the maximum (the loop's end happens-before close() returns).
        private long delivered; // values the subscribers got, over the trial, plus EMITTED at the start
        long maxOutstanding; // the most values emitted but not yet delivered, seen at a request

        @Setup(Level.Trial)
        public void setUp() {
            ackEvery(window);
            delivered = EMITTED.read(); // 0 in a fresh fork; the loop starts after this write
            loop = EventLoop.builder()
                    .name("stream-loop")
                    .idleStrategy(idle)
                    .daemon(true)
                    .start();
            pool = WorkerPool.builder()
                    .name("stream-pool")
                    .minWorkers(1)
                    .maxWorkers(1)
                    .idleStrategy(idle)
                    .daemon(true)
                    .build();
        }

        /** Benchmark thread: subscribes, on the loop, to a new stream of {@value #MESSAGES} values. */
        CompletableFuture<Integer> run() {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    pool.stream(task, MESSAGES).subscribe(new Counter(this, done));
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
            return done;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(loop);
            BenchThreads.close(pool);
            System.out.println("taskStream: most values emitted but not delivered, seen at a request: " + maxOutstanding
                    + ", bound=" + (window - ackEvery(window)) + ", window=" + window);
        }
    }

    /**
     * The subscriber of {@code taskStream}: counts, checks the order and the bound, requests in batches. Loop only.
     */
    static final class Counter implements Flow.Subscriber<Integer> {
        private final TaskStreams stream;
        private final CompletableFuture<Integer> done;
        private final int window;
        private final int batch;
        private Flow.Subscription subscription;
        private int received;
        private int untilRequest;

        Counter(TaskStreams stream, CompletableFuture<Integer> done) {
            this.stream = stream;
            this.done = done;
            this.window = stream.window;
            this.batch = ackEvery(window);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            untilRequest = batch;
            s.request(window);
        }

        @Override
        public void onNext(Integer value) {
            if (value != received) {
                fail("value lost or out of order: expected=" + received + ", got=" + value);
                return;
            }
            received++;
            long delivered = ++stream.delivered;
            if (--untilRequest == 0) {
                untilRequest = batch;
                long outstanding = EMITTED.read() - delivered;
                if (outstanding > stream.maxOutstanding) {
                    stream.maxOutstanding = outstanding;
                }
                subscription.request(batch);
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (received != MESSAGES) {
                done.completeExceptionally(new IllegalStateException(
                        "stream completed early: received=" + received + ", expected=" + MESSAGES));
            } else if (stream.maxOutstanding > window - batch) { // the bound at a request: see the class comment
                done.completeExceptionally(new IllegalStateException("backpressure bound broken: maxOutstanding="
                        + stream.maxOutstanding + ", window=" + window + ", batch=" + batch));
            } else {
                done.complete(received);
            }
        }

        private void fail(String message) {
            subscription.cancel();
            done.completeExceptionally(new IllegalStateException(message));
        }
    }

    /**
     * The peer: a producer and a consumer thread that live for the trial around one SPSC queue of capacity
     * {@code window}. Between invocations the producer spins on {@link #job}; the consumer completes it and clears it.
     */
    @State(Scope.Benchmark)
    public static class Spsc {
        @Param({"256"})
        public int window;

        private SpscVarHandleArrayQueue<Integer> queue;
        private volatile CompletableFuture<Integer> job;
        private volatile boolean stopped;
        private Thread producer;
        private Thread consumer;

        @Setup(Level.Trial)
        public void setUp() {
            ackEvery(window);
            queue = new SpscVarHandleArrayQueue<>(window);
            producer = BenchThreads.daemonThreads("spsc-producer").newThread(this::produce);
            consumer = BenchThreads.daemonThreads("spsc-consumer").newThread(this::consume);
            producer.start();
            consumer.start();
        }

        /** Benchmark thread: publishes the next invocation's job. */
        CompletableFuture<Integer> run() {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            job = f; // volatile store publishes the job to both threads
            return f;
        }

        private void produce() {
            CompletableFuture<Integer> started = null;
            int next = 0; // wraps as the consumer's count does
            while (!stopped) {
                CompletableFuture<Integer> j = job;
                if (j == null || j == started) {
                    Thread.onSpinWait();
                    continue;
                }
                started = j;
                for (int i = 0; i < MESSAGES; i++) {
                    Integer m = Integer.valueOf(next++);
                    while (!queue.offer(m)) {
                        if (stopped) {
                            return;
                        }
                        Thread.onSpinWait();
                    }
                }
            }
        }

        private void consume() {
            int expected = 0;
            int untilEnd = MESSAGES;
            while (!stopped) {
                Integer m = queue.poll();
                if (m == null) {
                    Thread.onSpinWait();
                    continue;
                }
                if (m != expected) {
                    job.completeExceptionally(new IllegalStateException(
                            "message lost or out of order: expected=" + expected + ", got=" + m));
                    return;
                }
                expected++;
                if (--untilEnd == 0) {
                    untilEnd = MESSAGES;
                    CompletableFuture<Integer> j = job; // the producer read it before its first offer of the job
                    job = null; // before completing: the next job is published only after the benchmark thread wakes
                    j.complete(m);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopped = true;
            BenchThreads.join(producer);
            BenchThreads.join(consumer);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Integer ports(Ports s) throws Exception {
        return BenchThreads.await(s.run());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Integer taskStream(TaskStreams s) throws Exception {
        return BenchThreads.await(s.run());
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public Integer jctoolsSpsc(Spsc s) throws Exception {
        return BenchThreads.await(s.run());
    }
}
