package dev.offload.examples;

import dev.offload.examples.mandelbrot.MandelbrotTiles;
import dev.offload.examples.node.Abort;
import dev.offload.examples.node.Broadcast;
import dev.offload.examples.node.Channel;
import dev.offload.examples.node.EnvironmentData;
import dev.offload.examples.node.LoopUtilization;
import dev.offload.examples.node.ParseAsync;
import dev.offload.examples.node.PostMessage;
import dev.offload.examples.node.Workers;
import dev.offload.examples.server.ServerDemo;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs an example by its short name: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=NAME
 * -Dargs="..."}. A name that is not an example lists the ones there are and exits with status 2.
 */
public final class Examples {
    /** Runs one example with its arguments. */
    @FunctionalInterface
    interface Main {
        void run(String[] args) throws Exception;
    }

    /**
     * One runnable example.
     *
     * @param name the short name given to {@code -Dexample}
     * @param type the class holding its {@code main}
     * @param summary one line on what it shows
     * @param main its {@code main}
     */
    record Example(String name, Class<?> type, String summary, Main main) {}

    /** Every example, the default first. */
    static final List<Example> ALL = List.of(
            new Example(
                    "server",
                    ServerDemo.class,
                    "HTTP server on one event loop: /compute inline, offloaded, and with crashing tasks",
                    ServerDemo::main),
            new Example(
                    "quickstart",
                    QuickStart.class,
                    "the README's quick start: one hash offloaded, the result back on the loop",
                    QuickStart::main),
            new Example(
                    "mandelbrot",
                    MandelbrotTiles.class,
                    "workers render tiles into one SharedBuffer; the loop writes a PNG; speedup over one thread",
                    MandelbrotTiles::main),
            new Example(
                    "counter",
                    SharedCounter.class,
                    "SharedBuffer + Atomics: two threads hand a counter over with wait/notify, then count",
                    SharedCounter::main),
            new Example(
                    "parse-async",
                    ParseAsync.class,
                    "Node docs: parseJSAsync's message / error / exit, as a pool task's value / exception / crash",
                    ParseAsync::main),
            new Example(
                    "environment-data",
                    EnvironmentData.class,
                    "Node docs: setEnvironmentData / getEnvironmentData, as per-worker state",
                    EnvironmentData::main),
            new Example(
                    "post-message",
                    PostMessage.class,
                    "Node docs: postMessage's copy, transfer, share, circular data and class instances",
                    PostMessage::main),
            new Example(
                    "channel",
                    Channel.class,
                    "Node docs: a MessageChannel between two event loops, then a close after a message",
                    Channel::main),
            new Example(
                    "workers",
                    Workers.class,
                    "Node docs: Worker with workerData, a SharedBuffer sum with Atomics.notify, a compute worker",
                    Workers::main),
            new Example(
                    "broadcast",
                    Broadcast.class,
                    "Node docs: a BroadcastChannel that ten workers post to, closed after ten messages",
                    Broadcast::main),
            new Example(
                    "loop-utilization",
                    LoopUtilization.class,
                    "Node docs: eventLoopUtilization of a busy loop, then an idle one",
                    LoopUtilization::main),
            new Example(
                    "abort",
                    Abort.class,
                    "Piscina's abort signal and Node's terminate(): cancel, stop hooks, time limits",
                    Abort::main));

    /**
     * The JDK's one-line log format property: offload logs through {@code System.Logger}, which goes to
     * {@code java.util.logging}. The examples print each log line on one line without its stack trace; a service
     * configures its own logging.
     */
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Examples() {}

    /**
     * Runs the example named by the first argument, with the rest as its arguments; a single argument holding spaces
     * (what {@code -Dargs="--a 1 --b"} passes) is split on them.
     *
     * @param args the example's name, then its arguments
     * @throws Exception whatever the example throws
     */
    public static void main(String[] args) throws Exception {
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "[%4$s] %5$s%n");
        }
        String name = args.length == 0 || args[0].isBlank() ? ALL.getFirst().name() : args[0].trim();
        String[] rest = Arrays.stream(args)
                .skip(1)
                .flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
                .filter(a -> !a.isEmpty())
                .toArray(String[]::new);
        Optional<Example> example = find(name);
        if (example.isEmpty()) {
            System.err.print(unknown(name));
            System.err.flush();
            System.exit(2);
            return;
        }
        try {
            example.get().main().run(rest);
        } catch (CommandLine.UsageException e) {
            System.err.println(name + ": " + e.getMessage());
            System.err.flush();
            System.exit(2);
        }
    }

    /**
     * Finds an example by short name or class name, ignoring case.
     *
     * @param name the name
     * @return the example, if there is one
     */
    static Optional<Example> find(String name) {
        return ALL.stream()
                .filter(e -> e.name().equalsIgnoreCase(name)
                        || e.type().getName().equals(name)
                        || e.type().getSimpleName().equalsIgnoreCase(name))
                .findFirst();
    }

    /**
     * Returns the message for a name that is no example: the closest name, then every name with its summary.
     *
     * @param name the name given
     * @return the message, ending with a newline
     */
    static String unknown(String name) {
        StringBuilder out = new StringBuilder("No example is called \"" + name + "\".");
        ALL.stream()
                .min(Comparator.comparingInt(e -> distance(name.toLowerCase(Locale.ROOT), e.name())))
                .filter(e -> distance(name.toLowerCase(Locale.ROOT), e.name())
                        <= Math.max(2, e.name().length() / 3))
                .ifPresent(e -> out.append(" Did you mean \"").append(e.name()).append("\"?"));
        out.append("\nExamples (run one with -Dexample=NAME, pass options with -Dargs=\"--help\"):\n");
        for (Example e : ALL) {
            out.append(String.format(Locale.ROOT, "  %-24s %s%n", e.name(), e.summary()));
        }
        return out.toString();
    }

    /** Levenshtein distance: the fewest one-character edits from {@code a} to {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
