package dev.offload.examples.node;

import dev.offload.EventLoop;
import dev.offload.WorkerCrashedException;
import dev.offload.WorkerPool;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Node's {@code worker_threads} documentation opens with {@code parseJSAsync(script)}: a {@code Worker} per call,
 * given the script as {@code workerData}, whose promise resolves on the worker's {@code 'message'}, rejects on its
 * {@code 'error'}, and rejects on an {@code 'exit'} with a non-zero code. The documentation then says to use a pool
 * instead of a worker per call; this is that pool.
 *
 * <ul>
 *   <li>{@code workerData} is the task's input: a {@code String}, immutable, so it crosses by reference.
 *   <li>{@code 'message'} is the future's value, delivered on the event loop that submitted.
 *   <li>{@code 'error'} is the task's exception, with its own type and message.
 *   <li>{@code 'exit'} with a non-zero code is {@link WorkerCrashedException}: the worker died (here a parser that
 *       recurses too deep overflows its stack) and the pool replaced it.
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=parse-async}
 */
public final class ParseAsync {
    private ParseAsync() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Parses four scripts on a pool from an event loop and prints what came back.
     *
     * @param out where to print
     */
    public static void run(PrintStream out) {
        String deep = "(".repeat(100_000) + "1" + ")".repeat(100_000);
        List<String> scripts = List.of("1 + 2 * (3 + 4)", "1 + * 2", deep, "6 * 7");
        WorkerPool pool = WorkerPool.create(2);
        try (pool;
                EventLoop loop = EventLoop.start("main-loop")) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> parseInOrder(pool, loop, scripts, 0, out, done));
            done.join();
        }
        out.println("workers that crashed and were replaced: " + pool.stats().workerCrashes()); // final once closed
    }

    /** Parses one script after the other, so that the output keeps their order. Loop thread only. */
    private static void parseInOrder(
            WorkerPool pool,
            EventLoop loop,
            List<String> scripts,
            int next,
            PrintStream out,
            CompletableFuture<Void> done) {
        if (next == scripts.size()) {
            done.complete(null);
            return;
        }
        String script = scripts.get(next);
        String shown =
                script.length() > 20 ? script.substring(0, 8) + "..." + " (" + script.length() + " chars)" : script;
        parseAsync(pool, script).whenComplete((value, failure) -> {
            String onLoop = loop.inEventLoop() ? "" : " (NOT on the loop)";
            if (failure == null) {
                out.printf("parse(\"%s\") = %d%s%n", shown, value, onLoop);
            } else {
                Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                String why = cause instanceof WorkerCrashedException crash
                        ? cause.getClass().getSimpleName() + " ("
                                + crash.getCause().getClass().getSimpleName() + ")"
                        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
                out.printf("parse(\"%s\") failed: %s%s%n", shown, why, onLoop);
            }
            parseInOrder(pool, loop, scripts, next + 1, out, done);
        });
    }

    /**
     * The port of {@code parseJSAsync}: the work runs on a worker, the promise is the future.
     *
     * @param pool the pool
     * @param script the script
     * @return its value
     */
    static CompletableFuture<Long> parseAsync(WorkerPool pool, String script) {
        return pool.submit(Calculator::evaluate, script);
    }

    /** A recursive-descent parser of integer arithmetic: {@code + - * /}, parentheses. Worker thread only. */
    static final class Calculator {
        private final String text;
        private int at;

        private Calculator(String text) {
            this.text = text;
        }

        /**
         * Parses and evaluates a script.
         *
         * @param script the script
         * @return its value
         * @throws IllegalArgumentException if the script is malformed
         */
        static Long evaluate(String script) {
            Calculator c = new Calculator(script);
            long value = c.sum();
            c.skipSpaces();
            if (c.at != c.text.length()) {
                throw c.unexpected();
            }
            return value;
        }

        private long sum() {
            long value = product();
            for (char op = peek(); op == '+' || op == '-'; op = peek()) {
                at++;
                value = op == '+' ? value + product() : value - product();
            }
            return value;
        }

        private long product() {
            long value = atom();
            for (char op = peek(); op == '*' || op == '/'; op = peek()) {
                at++;
                value = op == '*' ? value * atom() : value / atom();
            }
            return value;
        }

        private long atom() {
            char c = peek();
            if (c == '(') {
                at++;
                long value = sum(); // recursion: deep enough nesting overflows the stack
                if (peek() != ')') {
                    throw unexpected();
                }
                at++;
                return value;
            }
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (start == at) {
                throw unexpected();
            }
            return Long.parseLong(text.substring(start, at));
        }

        private char peek() {
            skipSpaces();
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void skipSpaces() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }

        private IllegalArgumentException unexpected() {
            String found = at < text.length() ? "'" + text.charAt(at) + "'" : "end of script";
            return new IllegalArgumentException("unexpected " + found + " at " + at);
        }
    }
}
