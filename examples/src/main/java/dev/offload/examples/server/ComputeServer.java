package dev.offload.examples.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.offload.EventLoop;
import dev.offload.EventLoopUtilization;
import dev.offload.PoolStats;
import dev.offload.TaskTimeoutException;
import dev.offload.WorkerCrashedException;
import dev.offload.WorkerPool;
import dev.offload.examples.Passwords;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * An HTTP server that handles every request on one {@link EventLoop} thread, the way a Node.js server does, with a
 * cheap endpoint and a CPU-heavy one.
 *
 * <ul>
 *   <li>{@code GET /ping} answers {@code pong} at once.
 *   <li>{@code GET /compute?password=...} hashes the password with PBKDF2 (a few milliseconds of CPU). Inline, the
 *       loop computes the hash itself and every other request waits; offloaded, the loop hands it to a
 *       {@link WorkerPool} and answers when the result comes back on the loop. {@code &fault=crash} runs a task that
 *       overflows its worker's stack, {@code &fault=hang} one that ignores its time limit (offloaded only).
 *   <li>{@code GET /stats} shows the pool's statistics and the loop's utilization.
 * </ul>
 *
 * <p>The JDK's {@code com.sun.net.httpserver} reads the request on its dispatcher thread's selector and runs the
 * exchange on the executor it is given: here the loop. So handlers, the futures' callbacks and the server's state all
 * live on one thread and need no lock.
 *
 * <p>Threading: {@link #start}, {@link #offloadTo}, {@link #port()} and {@link #close()} from any thread; everything
 * else runs on the loop.
 */
public final class ComputeServer implements AutoCloseable {
    static {
        // Without TCP_NODELAY a response written as headers then body can wait 40 ms for the client's delayed ACK.
        // Read once, when the JDK's HTTP server is first used.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final EventLoop loop;
    private final HttpServer http;
    private final int rounds;

    private WorkerPool pool; // loop thread only: null runs /compute inline on the loop

    private ComputeServer(EventLoop loop, HttpServer http, int rounds) {
        this.loop = loop;
        this.http = http;
        this.rounds = rounds;
    }

    /**
     * Starts a server whose handlers run on {@code loop}, computing inline until {@link #offloadTo} gives it a pool.
     *
     * @param loop the loop that runs every request
     * @param address where to listen; port 0 picks a free one
     * @param rounds PBKDF2 rounds per {@code /compute} request
     * @return the running server
     * @throws IOException if the address cannot be bound
     */
    public static ComputeServer start(EventLoop loop, InetSocketAddress address, int rounds) throws IOException {
        HttpServer http = HttpServer.create(address, 1024);
        ComputeServer server = new ComputeServer(loop, http, rounds);
        http.createContext("/ping", server::ping);
        http.createContext("/compute", server::compute);
        http.createContext("/stats", server::stats);
        http.createContext("/", server::notFound);
        http.setExecutor(loop); // every exchange runs on the loop thread
        http.start();
        return server;
    }

    /**
     * Returns the port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return http.getAddress().getPort();
    }

    /**
     * Sends later {@code /compute} requests to {@code pool}, or computes them on the loop if it is null; returns once
     * the loop has switched. Requests already under way finish where they started.
     *
     * @param pool the pool, or null for inline
     */
    public void offloadTo(WorkerPool pool) {
        CompletableFuture<Void> switched = new CompletableFuture<>();
        loop.execute(() -> {
            this.pool = pool;
            switched.complete(null);
        });
        switched.join();
    }

    /** Stops listening and closes open connections; the loop and the pool stay open. */
    @Override
    public void close() {
        http.stop(0);
    }

    private void ping(HttpExchange exchange) {
        respond(exchange, 200, "pong\n");
    }

    private void compute(HttpExchange exchange) {
        Map<String, String> query = query(exchange.getRequestURI());
        String password = query.getOrDefault("password", "correct horse battery staple");
        String fault = query.get("fault");
        WorkerPool workers = pool;
        if (workers == null) {
            if (fault != null) {
                respond(exchange, 400, "faults run only offloaded: a crash here would take the event loop down\n");
                return;
            }
            try {
                respond(exchange, 200, Passwords.hash(password, rounds) + "\n"); // the loop is busy for the whole hash
            } catch (Exception e) {
                respond(exchange, 500, e + "\n");
            }
            return;
        }
        if (fault != null && !fault.equals("crash") && !fault.equals("hang")) {
            respond(exchange, 400, "unknown fault: fault=" + fault + "; use crash or hang\n");
            return;
        }
        int cost = rounds; // a task may capture immutable values, not the server
        CompletableFuture<String> hash;
        try {
            hash = fault == null
                    ? workers.submit(pw -> Passwords.hash(pw, cost), password)
                    : workers.submit(
                            fault.equals("crash") ? Faults::overflowStack : Faults::ignoreInterrupts, password);
        } catch (RejectedExecutionException e) { // queue full, or pool closing or failed: shed load at once
            respond(exchange, 503, "busy: " + e.getMessage() + "\n");
            return;
        }
        hash.whenComplete((hex, failure) -> { // back on the loop thread, like every callback
            if (failure == null) {
                respond(exchange, 200, hex + "\n");
            } else {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                respond(exchange, statusOf(cause), describe(cause) + "\n");
            }
        });
    }

    private void stats(HttpExchange exchange) {
        StringBuilder out = new StringBuilder();
        EventLoopUtilization elu = loop.utilization();
        out.append(String.format(Locale.ROOT, "loop %s: utilization %.1f%%%n", loop.name(), 100 * elu.utilization()));
        if (pool == null) {
            out.append("/compute runs inline on the loop\n");
        } else {
            PoolStats s = pool.stats();
            out.append(String.format(
                    Locale.ROOT,
                    "pool %s: %s, %d workers (%d busy), %d queued%n"
                            + "tasks: %d submitted, %d completed, %d failed (%d timed out), %d cancelled, %d rejected%n"
                            + "workers: %d crashed, %d restarted, %d abandoned%n"
                            + "run time p50 %s, p99 %s; wait time p50 %s, p99 %s; utilization %.1f%%%n",
                    pool.name(),
                    s.state(),
                    s.workers(),
                    s.busyWorkers(),
                    s.queued(),
                    s.submitted(),
                    s.completed(),
                    s.failed(),
                    s.timedOut(),
                    s.cancelled(),
                    s.rejected(),
                    s.workerCrashes(),
                    s.workerRestarts(),
                    s.workersAbandoned(),
                    Table.millis(s.runTime().p50()),
                    Table.millis(s.runTime().p99()),
                    Table.millis(s.waitTime().p50()),
                    Table.millis(s.waitTime().p99()),
                    100 * s.utilization()));
        }
        respond(exchange, 200, out.toString());
    }

    private void notFound(HttpExchange exchange) {
        respond(exchange, 404, "endpoints: /ping, /compute?password=..., /compute?fault=crash|hang, /stats\n");
    }

    /** 504 for a time limit, 503 for a refusal or a cancel (a closing pool), 500 for a crash or a task's exception. */
    private static int statusOf(Throwable failure) {
        return switch (failure) {
            case TaskTimeoutException t -> 504;
            case RejectedExecutionException r -> 503;
            case CancellationException c -> 503;
            default -> 500;
        };
    }

    private static String describe(Throwable failure) {
        return switch (failure) {
            case TaskTimeoutException t -> "timed out after " + t.limit().toMillis() + " ms";
            case WorkerCrashedException w ->
                "worker " + w.workerId() + " crashed (" + String.valueOf(w.getCause()) + "); the pool replaces it";
            default -> String.valueOf(failure);
        };
    }

    private static void respond(HttpExchange exchange, int status, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(
                    URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }
}
