package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Isolation;
import dev.offload.Task;
import dev.offload.TaskOptions;
import dev.offload.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * P15: what one {@link EventLoop} spends per task it offloads, and so how many tasks per second one loop can feed.
 * The loop keeps {@value #WINDOW} tasks in flight on a {@link WorkerPool} of {@code cores} workers, each result back
 * on the loop, which submits the next from the callback; the tasks do next to nothing (return their input, or its
 * length), so the loop's own work (submit, the isolation check and copy of the input, the completion) is the
 * bottleneck. One operation is one task; one invocation is {@value #TASKS} tasks, handed to the loop by the
 * benchmark thread, which waits (bounded) for them. With {@code loops} above 1, that many loops share the pool, each
 * running its share of the tasks at once (the loops' CPU times are summed): whether a second loop feeds more.
 *
 * <p>Two figures:
 *
 * <ul>
 *   <li>the score, nanoseconds per task (lower is better): with the loop the bottleneck, its inverse is the feed
 *       rate, the tasks per second one loop can submit and complete ({@code 1e9 / score});
 *   <li>the auxiliary counter {@code loopCpuNsPerTask}: the loop thread's CPU time
 *       ({@link ThreadMXBean#getThreadCpuTime}, user + system) over an iteration, read in the iteration's setup and
 *       teardown, divided by the iteration's tasks; the mean over the measurement iterations. It includes what the
 *       loop's idle strategy burns while it waits, so it approaches the score when the loop never waits;
 *   <li>{@code loopActiveNsPerTask}: the same for the loop's active time ({@link EventLoop#utilization()}), which
 *       leaves out the idle strategy's spinning: what each task costs the loop's thread.
 * </ul>
 *
 * <p>Input ({@code input}): {@code noop}, an {@code Integer} in and out; {@code bytes4k-checked}, a 4 KiB
 * {@code byte[]} in (its length out) with the default {@link Isolation#CHECKED} isolation, which copies the array on
 * submit; {@code bytes4k-trusted}, the same with {@link Isolation#TRUSTED}, which passes it by reference;
 * {@code bytes4k-moved}, CHECKED with each input named in {@link TaskOptions#withMoved} (the caller gives the array
 * up, as with Piscina's {@code move()}), so it is not copied. The {@value #INPUTS} inputs are used in turn, more than
 * are in flight, so that no array is in two tasks at once (the contract of a moved array).
 *
 * <p>Target (P15): {@code loopCpuNsPerTask} at most 250 for {@code bytes4k-checked}; the feed rate stated beside it.
 * Peers: {@link #copy4kFresh}, the copy alone that a {@code CHECKED} 4 KiB input costs any loop (its floor), and
 * {@link #copy4kReused}, the same copy into memory already in a cache.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar LoopCost -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopCostBenchmark {
    /** Tasks kept in flight by the loop. */
    static final int WINDOW = 256;
    /** Tasks per invocation. */
    static final int TASKS = 16_384;
    /** Bytes of a {@code bytes4k} input. */
    static final int INPUT_BYTES = 4096;
    /** Distinct {@code bytes4k} inputs, used in turn: more than in flight, so no array is in two tasks at once. */
    static final int INPUTS = 2 * WINDOW;

    static final int CORES = Runtime.getRuntime().availableProcessors();
    static final Integer ONE = 1;

    static Integer noop(Integer input) {
        return input;
    }

    static Integer length(byte[] input) {
        return input.length;
    }

    /** The loop, the pool and what they run. */
    @State(Scope.Benchmark)
    public static class Feed {
        /** What crosses to the workers, and how: {@code noop}, or a 4 KiB input checked, trusted or moved. */
        @Param({"noop", "bytes4k-checked", "bytes4k-trusted", "bytes4k-moved"})
        public String input;

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        /**
         * Loops sharing the pool, each keeping {@value #WINDOW} tasks in flight and running its share of the
         * invocation's tasks: 1 (the P15 figure), or more to see whether a second loop feeds the pool faster.
         */
        @Param({"1"})
        public int loops;

        EventLoop[] loop;
        long[] loopThreadId;
        Window<?>[] window;
        private WorkerPool pool;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            if (!threads.isThreadCpuTimeSupported()) {
                throw new IllegalStateException("thread CPU time is not supported by this JVM");
            }
            threads.setThreadCpuTimeEnabled(true);
            Isolation isolation =
                    switch (input) {
                        case "noop", "bytes4k-checked", "bytes4k-moved" -> Isolation.CHECKED;
                        case "bytes4k-trusted" -> Isolation.TRUSTED;
                        default ->
                            throw new IllegalArgumentException(
                                    "input must be noop, bytes4k-checked, bytes4k-trusted or bytes4k-moved: input="
                                            + input);
                    };
            if (loops < 1 || TASKS % loops != 0) {
                throw new IllegalArgumentException("loops must divide " + TASKS + ": loops=" + loops);
            }
            loop = new EventLoop[loops];
            loopThreadId = new long[loops];
            window = new Window<?>[loops];
            pool = WorkerPool.builder()
                    .name("bench-pool")
                    .minWorkers(CORES)
                    .maxWorkers(CORES)
                    .isolation(isolation)
                    .daemon(true)
                    .build();
            SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < loops; i++) {
                loop[i] =
                        EventLoop.builder().name("bench-loop-" + i).daemon(true).start();
                if (input.equals("noop")) {
                    window[i] = new Window<>(pool, LoopCostBenchmark::noop, new Integer[] {ONE}, false, TASKS / loops);
                } else {
                    byte[][] inputs = new byte[INPUTS][INPUT_BYTES];
                    for (byte[] bytes : inputs) {
                        random.nextBytes(bytes);
                    }
                    window[i] = new Window<>(
                            pool, LoopCostBenchmark::length, inputs, input.equals("bytes4k-moved"), TASKS / loops);
                }
                CompletableFuture<Long> id = new CompletableFuture<>();
                loop[i].execute(() -> id.complete(Thread.currentThread().threadId()));
                loopThreadId[i] = BenchThreads.await(id, "the loop did not run a task that reads its thread id");
            }
        }

        /** The loops' active time so far (not idle), in nanoseconds, summed. Any thread. */
        long loopActiveNanos() {
            long total = 0;
            for (EventLoop l : loop) {
                total += l.utilization().active().toNanos();
            }
            return total;
        }

        /** The loop thread's CPU time so far, in nanoseconds. Any thread. */
        long loopCpuNanos() {
            long total = 0;
            for (long id : loopThreadId) {
                long nanos = threads.getThreadCpuTime(id);
                if (nanos < 0) {
                    throw new IllegalStateException("loop thread ended or CPU time disabled: threadId=" + id);
                }
                total += nanos;
            }
            return total;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            for (EventLoop l : loop) {
                BenchThreads.close(l);
            }
            BenchThreads.close(pool);
        }
    }

    /** The loop's CPU time per task in an iteration (JMH sums it; see {@link BenchThreads#meanShare}). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class LoopCpu {
        /** Nanoseconds of the loop thread's CPU time per task, mean over the measurement iterations. */
        public double loopCpuNsPerTask;

        /**
         * Nanoseconds per task the loop was active (running callbacks and its own work, not idle: its
         * {@link EventLoop#utilization()}), mean over the measurement iterations: the CPU time without what the idle
         * strategy burns while the loop waits for the workers.
         */
        public double loopActiveNsPerTask;

        long tasks;
        private Feed feed;
        private double share;
        private long cpuAtStart;
        private long activeAtStart;

        @Setup(Level.Iteration)
        public void start(Feed f, BenchmarkParams benchmark, IterationParams iteration) {
            feed = f;
            share = BenchThreads.meanShare(benchmark, iteration);
            tasks = 0;
            cpuAtStart = f.loopCpuNanos();
            activeAtStart = f.loopActiveNanos();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            long cpu = feed.loopCpuNanos() - cpuAtStart;
            loopCpuNsPerTask = tasks == 0 ? 0 : share * cpu / tasks;
            long active = feed.loopActiveNanos() - activeAtStart;
            loopActiveNsPerTask = tasks == 0 ? 0 : share * active / tasks;
        }
    }

    /**
     * Keeps {@value #WINDOW} tasks in flight from the loop until its tasks completed. Loop thread only, but for
     * the benchmark thread's hand-off of {@code done} through the loop's executor.
     *
     * @param <I> the input type
     */
    static final class Window<I> {
        private final BiConsumer<Integer, Throwable> onResult = this::onResult;
        private final WorkerPool pool;
        private final Task<I, Integer> task;
        private final I[] inputs;
        private final boolean moved; // each input handed over uncopied (TaskOptions.withMoved)
        private final int tasks; // per run
        private CompletableFuture<Integer> done;
        private int submitted;
        private int completed;
        private int checksum;
        private boolean nested; // inside submitOne, called from onResult
        private int deferred; // submits owed by callbacks that ran nested

        Window(WorkerPool pool, Task<I, Integer> task, I[] inputs, boolean moved, int tasks) {
            this.tasks = tasks;
            this.pool = pool;
            this.task = task;
            this.inputs = inputs;
            this.moved = moved;
        }

        private void submitOne() {
            I in = inputs[submitted++ % inputs.length];
            (moved ? pool.submit(task, in, TaskOptions.DEFAULT.withMoved(in)) : pool.submit(task, in))
                    .whenComplete(onResult);
        }

        void start(CompletableFuture<Integer> done) {
            this.done = done;
            submitted = 0;
            completed = 0;
            checksum = 0;
            deferred = 0;
            nested = true;
            try {
                while (submitted < WINDOW) {
                    submitOne();
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
                submitOne();
            }
        }

        private void onResult(Integer value, Throwable failure) {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            checksum += value;
            if (++completed == tasks) {
                done.complete(checksum);
            } else if (submitted + deferred < tasks) {
                if (nested) { // the pool ran this callback inside submitOne: submit once the outer call returns
                    deferred++;
                    return;
                }
                nested = true;
                try {
                    submitOne();
                    drainDeferred();
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                } finally {
                    nested = false;
                }
            }
        }
    }

    /**
     * The copies of the floor peers: the {@value #INPUTS} inputs of a {@code bytes4k} run, used in turn, and the last
     * {@value #WINDOW} copies kept alive, as the copies of the tasks in flight are.
     */
    @State(Scope.Thread)
    public static class Copies {
        final byte[][] inputs = new byte[INPUTS][INPUT_BYTES];
        final byte[][] kept = new byte[WINDOW][INPUT_BYTES];
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(1);
            for (byte[] bytes : inputs) {
                random.nextBytes(bytes);
            }
        }
    }

    /**
     * The floor of a {@code CHECKED} 4 KiB input, on one thread and with nothing else running: what {@code clone()} of
     * the input costs, into fresh memory, as the isolation copy on submit is. No loop can copy a task's input for less,
     * so the P15 figure for {@code bytes4k-checked} is this plus the loop's own work ({@code bytes4k-trusted}).
     */
    @Benchmark
    public int copy4kFresh(Copies c) {
        int i = c.next++;
        byte[] copy = c.inputs[i & (INPUTS - 1)].clone();
        c.kept[i & (WINDOW - 1)] = copy;
        return copy.length;
    }

    /**
     * The same copy into an array that is reused ({@value #WINDOW} of them, in turn): what the copy costs when its
     * destination is already in a cache, so the difference to {@link #copy4kFresh} is the cost of writing to fresh
     * memory. An isolation copy cannot reuse arrays: the task owns its input and may keep it.
     */
    @Benchmark
    public int copy4kReused(Copies c) {
        int i = c.next++;
        byte[] copy = c.kept[i & (WINDOW - 1)];
        System.arraycopy(c.inputs[i & (INPUTS - 1)], 0, copy, 0, INPUT_BYTES);
        return copy[i & (INPUT_BYTES - 1)];
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int offload(Feed f, LoopCpu cpu) throws Exception {
        int checksum = 0;
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] done = new CompletableFuture[f.loops];
        for (int i = 0; i < f.loops; i++) {
            CompletableFuture<Integer> d = new CompletableFuture<>();
            done[i] = d;
            Window<?> window = f.window[i];
            f.loop[i].execute(() -> window.start(d));
        }
        for (CompletableFuture<Integer> d : done) {
            checksum += BenchThreads.await(d, "tasks did not complete: input=" + f.input + ", loops=" + f.loops);
        }
        cpu.tasks += TASKS;
        return checksum;
    }
}
