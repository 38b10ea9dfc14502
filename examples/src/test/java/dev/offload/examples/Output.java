package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What the examples' tests share: capturing what an example prints, and checking that it left no thread behind. */
public final class Output {
    private Output() {}

    /** An example's {@code main}, or any code that prints. */
    @FunctionalInterface
    public interface Printing {
        /**
         * Runs the code.
         *
         * @param out where it should print, for examples that take a stream
         * @throws Exception anything
         */
        void run(PrintStream out) throws Exception;
    }

    /**
     * Runs {@code code} with {@code System.out} captured too, and returns everything it printed.
     *
     * @param code the code
     * @return the output
     * @throws Exception what the code throws
     */
    public static String of(Printing code) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream original = System.out;
        System.setOut(capture);
        try {
            code.run(capture);
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        original.print(text); // kept in the test's report
        return text;
    }

    /**
     * Returns the output's lines.
     *
     * @param text the output
     * @return its lines
     */
    public static List<String> lines(String text) {
        return text.lines().toList();
    }

    /**
     * Waits until no live thread's name starts with one of {@code prefixes} (threads an example started must end
     * when it returns; a worker abandoned to a hung task may take up to {@code within} to end by itself).
     *
     * @param within how long to wait
     * @param prefixes the thread-name prefixes
     */
    public static void awaitNoThreads(Duration within, String... prefixes) {
        long deadline = System.nanoTime() + within.toNanos();
        Set<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(name -> List.of(prefixes).stream().anyMatch(name::startsWith))
                    .collect(Collectors.toSet());
            if (left.isEmpty()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        } while (System.nanoTime() < deadline);
        fail("threads still running " + within + " after the example returned: " + left);
    }
}
