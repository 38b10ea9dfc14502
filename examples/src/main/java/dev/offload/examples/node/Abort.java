package dev.offload.examples.node;

import dev.offload.AbortSignal;
import dev.offload.EventLoop;
import dev.offload.TaskContext;
import dev.offload.TaskOptions;
import dev.offload.TaskTimeoutException;
import dev.offload.WorkerPool;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Stopping a task: Piscina's {@code signal} ({@code AbortController}), the Node worker's {@code terminate()}, and a
 * time limit. Three tasks, each stopped from the event loop or by the pool.
 *
 * <ul>
 *   <li>A computation that checks {@link TaskContext#isCancelled()} now and then stops soon after its future is
 *       cancelled.
 *   <li>A task blocked in {@code accept()}, which an interrupt does not end, registers a
 *       {@link TaskContext#onCancel stop hook} that closes the socket: the call throws and the task ends. Node's
 *       {@code terminate()} kills the whole worker instead; a JVM thread cannot be killed, so the hook is how a task
 *       lets itself be stopped, and a worker that still does not stop is abandoned and replaced.
 *   <li>A task past its {@link TaskOptions#withTimeout time limit} fails with {@link TaskTimeoutException}.
 *   <li>Three tasks of one request share an {@link AbortSignal}; one {@code abort(reason)} stops them all, and each
 *       future's {@link CancellationException} carries the reason as its cause.
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=abort}
 */
public final class Abort {
    private Abort() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Starts the three tasks, stops each, and prints how each ended.
     *
     * @param out where to print
     */
    public static void run(PrintStream out) {
        WorkerPool pool = WorkerPool.create(2);
        try (pool;
                EventLoop loop = EventLoop.start("main-loop")) {
            CompletableFuture<Long> primes = onLoop(loop, () -> pool.submit(Abort::countPrimes, Long.MAX_VALUE));
            loop.schedule(Duration.ofMillis(100), () -> primes.cancel(true)); // controller.abort()
            out.println("counting primes, cancelled after 100 ms: " + outcome(primes));

            CompletableFuture<String> accept = onLoop(loop, () -> pool.submit(Abort::acceptOneConnection, 0));
            loop.schedule(Duration.ofMillis(100), () -> accept.cancel(true));
            out.println("blocked in accept(), cancelled after 100 ms: " + outcome(accept));

            CompletableFuture<Long> limited = onLoop(
                    loop,
                    () -> pool.submit(
                            Abort::countPrimes,
                            Long.MAX_VALUE,
                            TaskOptions.DEFAULT.withTimeout(Duration.ofMillis(100))));
            out.println("counting primes with a 100 ms time limit: " + outcome(limited));

            // One signal for a request's tasks (Piscina's { signal }): the request goes away, every task stops.
            AbortSignal request = AbortSignal.create();
            TaskOptions ofRequest = TaskOptions.DEFAULT.withSignal(request);
            List<CompletableFuture<Long>> parts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                parts.add(onLoop(loop, () -> pool.submit(Abort::countPrimes, Long.MAX_VALUE, ofRequest)));
            }
            loop.schedule(Duration.ofMillis(100), () -> request.abort(new IllegalStateException("client went away")));
            for (CompletableFuture<Long> part : parts) {
                out.println("a part of the request, its signal aborted after 100 ms: " + outcome(part));
            }
        }
        var stats = pool.stats();
        out.println("pool: " + stats.cancelled() + " cancelled, " + stats.timedOut() + " timed out, "
                + stats.workersAbandoned() + " workers abandoned");
    }

    /** Submits from the loop, so that the future and its dependents belong to the loop, and hands the future back. */
    private static <T> CompletableFuture<T> onLoop(
            EventLoop loop, java.util.function.Supplier<CompletableFuture<T>> submit) {
        CompletableFuture<CompletableFuture<T>> handed = new CompletableFuture<>();
        loop.execute(() -> handed.complete(submit.get()));
        return handed.join();
    }

    private static String outcome(CompletableFuture<?> future) {
        try {
            return "returned " + future.join();
        } catch (CancellationException e) {
            // join() throws a new CancellationException; a dependent sees the one the future was cancelled with,
            // whose cause is the abort signal's reason (none for a plain cancel).
            Throwable reason = future.handle((value, failure) -> failure).join().getCause();
            return reason == null ? "cancelled" : "cancelled, reason: " + reason.getMessage();
        } catch (CompletionException e) {
            return "failed with " + e.getCause().getClass().getSimpleName();
        }
    }

    /**
     * Counts primes below {@code limit}, checking for a stop every thousand numbers. Runs on a worker.
     *
     * @param limit where to stop counting
     * @return how many primes it found, or how many so far if stopped
     */
    static Long countPrimes(Long limit) {
        TaskContext context = TaskContext.current();
        long found = 0;
        for (long n = 2; n < limit; n++) {
            if (n % 1000 == 0 && context.isCancelled()) {
                return found; // nobody will read it: the future is already cancelled
            }
            if (isPrime(n)) {
                found++;
            }
        }
        return found;
    }

    private static boolean isPrime(long n) {
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits for a connection that never comes, in a call an interrupt does not end; a stop hook closes the socket.
     * Runs on a worker.
     *
     * @param port the port, 0 for any
     * @return never, in this example
     */
    static String acceptOneConnection(Integer port) {
        ServerSocket server;
        try {
            server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TaskContext.current().onCancel(() -> closeQuietly(server)); // makes accept() throw: the task can end
        try (server) {
            return "connected from " + server.accept().getRemoteSocketAddress();
        } catch (IOException e) {
            throw new UncheckedIOException("accept ended: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(ServerSocket server) {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
