package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Task;
import dev.offload.WorkerPool;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
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
 * P3, P4 and the throughput half of P10: no-op tasks per microsecond (millions per second) when {@value #WINDOW}
 * tasks are kept in flight on one worker. One operation is one task; one invocation runs {@value #TASKS} tasks.
 *
 * <p>Loop-driven variants: the loop submits {@value #WINDOW} tasks, and each completion, delivered on the loop,
 * submits the next until {@value #TASKS} are done; the benchmark thread hands the start to the loop and parks in a
 * bounded {@code get} until then.
 *
 * <ul>
 *   <li>{@code offload}: {@link EventLoop} + {@link WorkerPool} of 1 worker, default {@code BALANCED} strategy and
 *       {@code CHECKED} isolation.
 *   <li>{@code tpeLoop}: {@code ThreadPoolExecutor(1)} worker + single-thread executor loop, joined by
 *       {@code CompletableFuture.supplyAsync(task, worker).whenCompleteAsync(next, loop)}.
 *   <li>{@code vertx}: Vert.x 5, one event loop and one worker thread, {@code executeBlocking(callable, false)} from
 *       a context, the next one from {@code onComplete}.
 * </ul>
 *
 * <p>Loop-less variants (the benchmark thread keeps {@value #WINDOW} futures in flight itself, in a ring: it waits
 * for the oldest, then submits one more): {@code bareTpe}, a {@code ThreadPoolExecutor(1)}; {@code bareForkJoin}, a
 * {@code ForkJoinPool(1)}.
 *
 * <p>Targets: offload &ge; 3 &times; {@code vertx} and &ge; 3 &times; {@code tpeLoop}, &ge; 2 &times; {@code bareTpe}
 * (P3); with {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per task, all threads included: &le; 128 B (P4).
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar Pipeline -f 1 -wi 3 -i 5} (add {@code -prof gc}
 * for P4)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {
    /** Tasks kept in flight. */
    static final int WINDOW = 1000;
    /** Tasks per invocation. */
    static final int TASKS = 100_000;

    static final Integer ONE = 1;
    static final Supplier<Integer> NOOP_SUPPLIER = () -> ONE;
    static final Callable<Integer> NOOP_CALLABLE = () -> ONE;

    static Integer noop(Integer input) {
        return input;
    }

    /**
     * Keeps {@value #WINDOW} tasks in flight from the loop until {@value #TASKS} completed. Loop thread only, but
     * for the benchmark thread's hand-off of {@code done} through the loop's executor.
     */
    abstract static class Window {
        final BiConsumer<Integer, Throwable> onResult = this::onResult;
        private CompletableFuture<Integer> done;
        private int submitted;
        private int completed;
        private boolean nested; // inside submitOne, called from onResult
        private int deferred; // submits owed by callbacks that ran nested

        /** Submits one task whose result goes to {@link #onResult}, completed on the loop thread. */
        abstract void submitOne();

        final void start(CompletableFuture<Integer> done) {
            this.done = done;
            submitted = 0;
            completed = 0;
            deferred = 0;
            nested = true;
            try {
                while (submitted < WINDOW) {
                    submitted++;
                    submitOne();
                }
                while (deferred > 0) {
                    deferred--;
                    submitOne();
                }
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                nested = false;
            }
        }

        final void onResult(Integer value, Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (++completed == TASKS) {
                done.complete(completed);
            } else if (submitted < TASKS) {
                submitted++;
                if (nested) { // a peer ran this callback inside submitOne (its future was already complete)
                    deferred++; // submit it once the outer call returns, instead of recursing
                    return;
                }
                nested = true;
                try {
                    submitOne();
                    while (deferred > 0) {
                        deferred--;
                        submitOne();
                    }
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    nested = false;
                }
            }
        }
    }

    /** offload: an event loop and a pool of one worker, default options. */
    @State(Scope.Benchmark)
    public static class Offload extends Window {
        /** What the pool's supervisor watches: see {@link BenchThreads#supervised}. */
        @Param({"default"})
        public String supervision;

        private final Task<Integer, Integer> task = PipelineBenchmark::noop;
        EventLoop loop;
        private WorkerPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoop.builder().name("bench-loop").daemon(true).start();
            pool = BenchThreads.supervised(WorkerPool.builder(), supervision)
                    .name("bench-pool")
                    .minWorkers(1)
                    .maxWorkers(1)
                    .daemon(true)
                    .build();
        }

        @Override
        void submitOne() {
            pool.submit(task, ONE).whenComplete(onResult); // completes on the loop thread: no hop needed
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(loop);
            BenchThreads.close(pool);
        }
    }

    /** Peer: {@code ThreadPoolExecutor(1)} worker, single-thread executor loop. */
    @State(Scope.Benchmark)
    public static class TpeLoop extends Window {
        final ExecutorService loop = Executors.newSingleThreadExecutor(BenchThreads.daemonThreads("peer-loop"));
        private final ExecutorService worker = new ThreadPoolExecutor(
                1, 1, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), BenchThreads.daemonThreads("peer-tpe"));

        @Override
        void submitOne() {
            CompletableFuture.supplyAsync(NOOP_SUPPLIER, worker).whenCompleteAsync(onResult, loop);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.shutdown(loop);
            BenchThreads.shutdown(worker);
        }
    }

    /** Peer: Vert.x 5 with one event loop and one worker thread. */
    @State(Scope.Benchmark)
    public static class VertxLoop extends Window {
        private final Completable<Integer> onVertxResult = this::onResult;
        private Vertx vertx;
        Context context;

        @Setup(Level.Trial)
        public void setUp() {
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
            context = vertx.getOrCreateContext();
        }

        @Override
        void submitOne() {
            context.executeBlocking(NOOP_CALLABLE, false).onComplete(onVertxResult);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            BenchThreads.await(vertx.close().toCompletionStage().toCompletableFuture());
        }
    }

    /** Peer without a loop: the benchmark thread keeps a ring of futures of one executor. */
    abstract static class Bare {
        final Future<?>[] ring = new Future<?>[WINDOW];
        ExecutorService executor;

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.shutdown(executor);
        }
    }

    /** Peer: a bare {@code ThreadPoolExecutor(1)}. */
    @State(Scope.Benchmark)
    public static class BareTpe extends Bare {
        @Setup(Level.Trial)
        public void setUp() {
            executor = new ThreadPoolExecutor(
                    1,
                    1,
                    0L,
                    TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(),
                    BenchThreads.daemonThreads("bare-tpe"));
        }
    }

    /** Peer: a bare {@code ForkJoinPool(1)}. */
    @State(Scope.Benchmark)
    public static class BareForkJoin extends Bare {
        @Setup(Level.Trial)
        public void setUp() {
            executor = new ForkJoinPool(1);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer offload(Offload s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer tpeLoop(TpeLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer vertx(VertxLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.context.runOnContext(v -> s.start(done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int bareTpe(BareTpe s) throws Exception {
        return runBare(s);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int bareForkJoin(BareForkJoin s) throws Exception {
        return runBare(s);
    }

    private static int runBare(Bare s) throws Exception {
        Future<?>[] ring = s.ring;
        ExecutorService executor = s.executor;
        int sum = 0;
        for (int i = 0; i < TASKS; i++) {
            int slot = i % WINDOW;
            if (i >= WINDOW) {
                sum += (Integer) BenchThreads.await(ring[slot]);
            }
            ring[slot] = executor.submit(NOOP_CALLABLE);
        }
        for (int i = TASKS; i < TASKS + WINDOW; i++) { // drain: the oldest first
            int slot = i % WINDOW;
            sum += (Integer) BenchThreads.await(ring[slot]);
            ring[slot] = null;
        }
        return sum;
    }
}
