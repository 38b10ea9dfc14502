package dev.offload.examples.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps offload's log lines (through {@code System.Logger}, which the JDK sends to {@code java.util.logging}) off the
 * terminal while the demo draws its progress bars, and counts them for the summary: a crashed worker is logged with its
 * stack trace, which is what a service's log should get, not a demo's screen. Any thread.
 */
final class PoolLog extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.offload"); // held: java.util.logging keeps loggers weakly
    private final boolean parentHandlers;
    private final Map<String, Integer> counts = new TreeMap<>();

    private PoolLog() {
        parentHandlers = logger.getUseParentHandlers();
        logger.addHandler(this);
        logger.setUseParentHandlers(false);
    }

    static PoolLog capture() {
        return new PoolLog();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String message = String.valueOf(record.getMessage());
        int colon = message.indexOf(':');
        String what = (colon > 0 ? message.substring(0, colon) : message) + " (" + record.getLevel() + ")";
        counts.merge(what, 1, Integer::sum);
    }

    /** Returns how many lines of each kind were logged, such as {@code worker crashed (SEVERE)}. */
    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    @Override
    public void flush() {}

    /** Puts the console back. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(parentHandlers);
    }
}
