package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Task;
import dev.offload.WorkerPool;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * P11 and P12: real CPU work offloaded from an event loop, in the configuration users run: one loop and a worker per
 * core, {@value #WINDOW} tasks in flight, each result back on the loop, which submits the next from the callback.
 * One operation is one task; the score is nanoseconds per task (lower is better).
 *
 * <p>Work ({@code work}): SHA-256 over 4 KiB, once ({@code sha256x1}, about 2.5 µs), 10 times ({@code sha256x10},
 * about 25 µs) or 100 times ({@code sha256x100}, about 250 µs). Each task gets its own 4 KiB input and returns the
 * 32-byte digest.
 *
 * <ul>
 *   <li>{@code inline}: the benchmark thread computes every task itself, one after the other (the baseline).
 *   <li>{@code bareThreads}: {@code cores} threads each compute an equal share, with no loop and no per-task hand-off
 *       (the ceiling).
 *   <li>{@code offload}: {@link EventLoop} + {@link WorkerPool} of {@code workers}, default settings (checked
 *       isolation: the input is copied on submit, the digest on return).
 *   <li>{@code tpeLoop}, {@code forkJoinLoop}: a single-thread executor as the loop, and a
 *       {@code ThreadPoolExecutor(workers)} or {@code ForkJoinPool(workers)} through
 *       {@code supplyAsync(task, pool).whenCompleteAsync(next, loop)}.
 *   <li>{@code vertx}: Vert.x 5, one event loop and {@code workers} worker threads, unordered
 *       {@code executeBlocking} from the loop's context.
 * </ul>
 *
 * <p>Workers ({@code workers}): {@code cores} (the configuration P11 and P12 name), {@code cores-1} or
 * {@code 2cores}. Targets: {@code offload} at least 1.8 times {@code inline} (P11, 2.5 µs tasks) and 1.9 times (P12,
 * 25 and 250 µs), and at least 1.5 times {@code tpeLoop} and {@code vertx} (P11), all in the same interleaved round
 * (see {@code scripts/interleaved.py}).
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar RealWork -p work=sha256x1 -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RealWorkBenchmark {
    /** Tasks kept in flight by the loop-driven variants. */
    static final int WINDOW = 64;
    /** Tasks per invocation. */
    static final int TASKS = 4096;
    /** Bytes hashed per round. */
    static final int INPUT_BYTES = 4096;

    static final int CORES = Runtime.getRuntime().availableProcessors();

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JDK", e);
        }
    });

    /** The work: {@code rounds} SHA-256 digests of {@code input}, chained through the first bytes. */
    static byte[] hash(byte[] input, int rounds) {
        MessageDigest sha = SHA256.get();
        byte[] digest = null;
        for (int r = 0; r < rounds; r++) {
            sha.update(input);
            if (digest != null) {
                sha.update(digest);
            }
            digest = sha.digest();
        }
        return digest;
    }

    static byte[] sha256x1(byte[] input) {
        return hash(input, 1);
    }

    static byte[] sha256x10(byte[] input) {
        return hash(input, 10);
    }

    static byte[] sha256x100(byte[] input) {
        return hash(input, 100);
    }

    /** What each task computes and on which inputs. */
    @State(Scope.Benchmark)
    public static class Work {
        @Param({"sha256x1", "sha256x10", "sha256x100"})
        public String work;

        @Param({"cores"})
        public String workers;

        /** offload's isolation: CHECKED (the default: the input is copied on submit) or TRUSTED (passed as is). */
        @Param({"CHECKED"})
        public dev.offload.Isolation isolation;

        Task<byte[], byte[]> task;
        int rounds;
        int workerCount;
        byte[][] inputs;

        @Setup(Level.Trial)
        public void setUp() {
            rounds = switch (work) {
                case "sha256x1" -> 1;
                case "sha256x10" -> 10;
                case "sha256x100" -> 100;
                default ->
                    throw new IllegalArgumentException("work must be sha256x1, sha256x10 or sha256x100: work=" + work);
            };
            task = switch (rounds) {
                case 1 -> RealWorkBenchmark::sha256x1;
                case 10 -> RealWorkBenchmark::sha256x10;
                default -> RealWorkBenchmark::sha256x100;
            };
            workerCount = switch (workers) {
                case "cores" -> CORES;
                case "cores-1" -> Math.max(1, CORES - 1);
                case "2cores" -> 2 * CORES;
                default ->
                    throw new IllegalArgumentException("workers must be cores, cores-1 or 2cores: workers=" + workers);
            };
            SplittableRandom random = new SplittableRandom(1);
            inputs = new byte[WINDOW][INPUT_BYTES];
            for (byte[] input : inputs) {
                random.nextBytes(input);
            }
        }

        byte[] input(int i) {
            return inputs[i % WINDOW];
        }
    }

    /**
     * Keeps up to {@value #WINDOW} tasks in flight from a loop until a run's tasks ({@value #TASKS} unless given)
     * completed. Loop thread only.
     */
    abstract static class Window {
        final BiConsumer<byte[], Throwable> onResult = this::onResult;
        Work work;
        private CompletableFuture<Integer> done;
        private int tasks;
        private int submitted;
        private int completed;
        private int checksum;
        private boolean nested;
        private int deferred;

        abstract void submitOne(byte[] input);

        final void start(Work work, CompletableFuture<Integer> done) {
            start(work, TASKS, done);
        }

        /** Runs {@code tasks} tasks, at most {@value #WINDOW} in flight, then completes {@code done}. */
        final void start(Work work, int tasks, CompletableFuture<Integer> done) {
            if (tasks < 1) {
                done.completeExceptionally(new IllegalArgumentException("tasks must be at least 1: tasks=" + tasks));
                return;
            }
            this.work = work;
            this.done = done;
            this.tasks = tasks;
            submitted = 0;
            completed = 0;
            checksum = 0;
            deferred = 0;
            nested = true;
            try {
                int first = Math.min(WINDOW, tasks);
                while (submitted < first) {
                    submitOne(work.input(submitted++));
                }
                drainDeferred();
            } catch (Throwable t) {
                done.completeExceptionally(t);
            } finally {
                nested = false;
            }
        }

        private void drainDeferred() {
            while (deferred > 0) {
                deferred--;
                submitOne(work.input(submitted - deferred - 1));
            }
        }

        final void onResult(byte[] digest, Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            checksum += digest[0];
            if (++completed == tasks) {
                done.complete(checksum);
            } else if (submitted < tasks) {
                submitted++;
                if (nested) { // a peer ran this callback inside submitOne: submit once the outer call returns
                    deferred++;
                    return;
                }
                nested = true;
                try {
                    submitOne(work.input(submitted - 1));
                    drainDeferred();
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    nested = false;
                }
            }
        }
    }

    /** offload's window: an event loop and a pool of {@code workers} with {@code isolation}, other options default. */
    abstract static class OffloadWindow extends Window {
        EventLoop loop;
        private WorkerPool pool;
        private Task<byte[], byte[]> task;

        void init(Work w) {
            task = w.task;
            loop = EventLoop.builder().name("bench-loop").daemon(true).start();
            pool = WorkerPool.builder()
                    .name("bench-pool")
                    .minWorkers(w.workerCount)
                    .maxWorkers(w.workerCount)
                    .isolation(w.isolation)
                    .daemon(true)
                    .build();
        }

        @Override
        void submitOne(byte[] input) {
            pool.submit(task, input).whenComplete(onResult);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.close(loop);
            BenchThreads.close(pool);
        }
    }

    /** offload: an event loop and a pool of {@code workers}, default options. */
    @State(Scope.Benchmark)
    public static class Offload extends OffloadWindow {
        @Setup(Level.Trial)
        public void setUp(Work w) {
            init(w);
        }
    }

    /** Peer: a single-thread executor as the loop, an executor of {@code workers} threads. */
    abstract static class ExecutorLoop extends Window {
        final ExecutorService loop = Executors.newSingleThreadExecutor(BenchThreads.daemonThreads("peer-loop"));
        ExecutorService pool;
        private int rounds;

        void init(Work w, ExecutorService pool) {
            this.pool = pool;
            this.rounds = w.rounds;
        }

        @Override
        void submitOne(byte[] input) {
            int r = rounds;
            CompletableFuture.supplyAsync(() -> hash(input, r), pool).whenCompleteAsync(onResult, loop);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.shutdown(loop);
            BenchThreads.shutdown(pool);
        }
    }

    /** Peer: {@code ThreadPoolExecutor(workers)} and a single-thread loop. */
    @State(Scope.Benchmark)
    public static class TpeLoop extends ExecutorLoop {
        @Setup(Level.Trial)
        public void setUp(Work w) {
            init(w, newPool(w.workerCount));
        }

        /** A {@code ThreadPoolExecutor} of {@code workers} daemon threads and an unbounded queue. */
        static ThreadPoolExecutor newPool(int workers) {
            return new ThreadPoolExecutor(
                    workers,
                    workers,
                    0L,
                    TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(),
                    BenchThreads.daemonThreads("peer-tpe"));
        }
    }

    /** Peer: {@code ForkJoinPool(workers)} and a single-thread loop. */
    @State(Scope.Benchmark)
    public static class ForkJoinLoop extends ExecutorLoop {
        @Setup(Level.Trial)
        public void setUp(Work w) {
            init(w, new ForkJoinPool(w.workerCount));
        }
    }

    /** Vert.x 5's window: one event loop and {@code workers} worker threads. */
    abstract static class VertxWindow extends Window {
        private final Completable<byte[]> onVertxResult = this::onResult;
        private Vertx vertx;
        Context context;
        private int rounds;

        void init(Work w) {
            rounds = w.rounds;
            vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(w.workerCount));
            context = vertx.getOrCreateContext();
        }

        @Override
        void submitOne(byte[] input) {
            int r = rounds;
            Callable<byte[]> job = () -> hash(input, r);
            context.executeBlocking(job, false).onComplete(onVertxResult);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            BenchThreads.await(vertx.close().toCompletionStage().toCompletableFuture());
        }
    }

    /** Peer: Vert.x 5, one event loop and {@code workers} worker threads. */
    @State(Scope.Benchmark)
    public static class VertxLoop extends VertxWindow {
        @Setup(Level.Trial)
        public void setUp(Work w) {
            init(w);
        }
    }

    /** The ceiling: {@code cores} threads, each computing an equal share of the tasks. */
    @State(Scope.Benchmark)
    public static class BareThreads {
        ExecutorService threads;

        @Setup(Level.Trial)
        public void setUp() {
            threads = Executors.newFixedThreadPool(CORES, BenchThreads.daemonThreads("bare"));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            BenchThreads.shutdown(threads);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int inline(Work w) {
        int checksum = 0;
        for (int i = 0; i < TASKS; i++) {
            checksum += hash(w.input(i), w.rounds)[0];
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int bareThreads(Work w, BareThreads s) throws Exception {
        List<Future<Integer>> shares = new ArrayList<>(CORES);
        for (int t = 0; t < CORES; t++) {
            int first = t;
            shares.add(s.threads.submit(() -> {
                int checksum = 0;
                for (int i = first; i < TASKS; i += CORES) {
                    checksum += hash(w.input(i), w.rounds)[0];
                }
                return checksum;
            }));
        }
        int checksum = 0;
        for (Future<Integer> share : shares) {
            checksum += BenchThreads.await(share);
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer offload(Work w, Offload s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(w, done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer tpeLoop(Work w, TpeLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(w, done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer forkJoinLoop(Work w, ForkJoinLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.loop.execute(() -> s.start(w, done));
        return BenchThreads.await(done);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer vertx(Work w, VertxLoop s) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        s.context.runOnContext(v -> s.start(w, done));
        return BenchThreads.await(done);
    }
}
