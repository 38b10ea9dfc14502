package dev.offload.internal.base;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Writes the library's log records on a thread of its own, in the order they were given: a slow log handler (a cold
 * {@code java.util.logging}, whose first record can take a second, a remote appender, a full disk) delays no deadline
 * of the thread that reports. The pool's supervisor enforces time limits and the blocked-task watchdog on the thread
 * that saw the crash it logs; a closer keeps its deadline while its state changes are logged.
 *
 * <p>One daemon thread for the process, started when a record comes and ended after 1 s without one, so an idle
 * process holds no thread for it. A record whose level the logger does not take costs the check only. A message is
 * built on the writer's thread from the immutable parts it is given (an event record, a stack), which moves the
 * building of a long stack's text off the reporting thread as well. Records still queued when the JVM exits are lost
 * unless a shutdown hook waits for them ({@link #flush}).
 *
 * <p>Any thread.
 */
public final class LogWriter {
    private static final ThreadPoolExecutor WRITER =
            new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
                Thread t = new Thread(task, "offload-log");
                t.setDaemon(true);
                return t;
            });

    private LogWriter() {}

    /**
     * Logs {@code message} at {@code level} on the writer's thread, unless the logger does not take that level.
     *
     * @param logger the logger
     * @param level the level
     * @param message builds the message, on the writer's thread
     * @param thrown a throwable to log with it, or {@code null}
     */
    public static void log(
            System.Logger logger, System.Logger.Level level, Supplier<String> message, Throwable thrown) {
        if (!logger.isLoggable(level)) {
            return;
        }
        Runnable write = () -> {
            try {
                String text = message.get();
                if (thrown == null) {
                    logger.log(level, text);
                } else {
                    logger.log(level, text, thrown);
                }
            } catch (Throwable t) {
                // a handler or a message that fails loses its record, not the writer
            }
        };
        try {
            WRITER.execute(() -> {
                write.run();
                Thread.interrupted(); // a handler that left one set does not reach the next record
            });
        } catch (Throwable t) {
            // No writer thread (the JVM could not start one: out of memory or threads, often what is being reported):
            // the record is written here rather than lost, and the reporting thread, a pool's supervisor, lives on.
            write.run();
        }
    }

    /**
     * Waits until the records given before this call were written, at most {@code timeoutNanos} (a shutdown hook,
     * before the JVM ends, so that its last records are not lost).
     *
     * @param timeoutNanos the bound
     * @return {@code true} if they were written
     */
    public static boolean flush(long timeoutNanos) {
        CountDownLatch written = new CountDownLatch(1);
        try {
            WRITER.execute(written::countDown);
            return written.await(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Throwable t) {
            return false; // no writer thread: nothing is queued either (see log)
        }
    }
}
