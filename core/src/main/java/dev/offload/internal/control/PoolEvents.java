package dev.offload.internal.control;

import dev.offload.PoolEvent;
import dev.offload.PoolListener;
import dev.offload.PoolState;
import dev.offload.internal.base.LogWriter;
import dev.offload.internal.base.StackText;

/**
 * The one source of a pool's events: each goes to the log (one line, at a level fit for it) and to the user's
 * {@link PoolListener}. Statistics count the same moments where they happen.
 *
 * <p>Any thread; the listener is called on the emitting thread.
 */
public final class PoolEvents {
    private static final System.Logger LOG = System.getLogger("dev.offload.WorkerPool");

    /** The most crash records logged per pool in one window of {@link #CRASH_WINDOW_NANOS}. */
    static final int CRASH_RECORDS_PER_WINDOW = 5;

    static final long CRASH_WINDOW_NANOS = 10_000_000_000L;

    private final String pool;
    private final PoolListener listener;
    // Guarded by this: the crash records' rate limit.
    private long crashWindowStart = System.nanoTime() - CRASH_WINDOW_NANOS; // the first crash opens a window
    private int crashesInWindow;
    private long crashesSuppressed;

    public PoolEvents(String pool, PoolListener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    String pool() {
        return pool;
    }

    public void emit(PoolEvent event) {
        if (listener != null) { // first: a slow log line must not delay what the user's listener sees
            try {
                listener.onEvent(event);
            } catch (Throwable t) {
                LogWriter.log(
                        LOG,
                        System.Logger.Level.WARNING,
                        () -> "pool listener failed: pool=" + pool + ", event=" + event,
                        t);
            }
        }
        log(event);
    }

    /** The event's log record, if any, written on {@link LogWriter}'s thread: a slow handler delays no deadline. */
    private void log(PoolEvent event) {
        switch (event) {
            case PoolEvent.WorkerCrashed e -> logCrash(e);
            case PoolEvent.WorkerAbandoned e ->
                LogWriter.log(
                        LOG,
                        System.Logger.Level.WARNING,
                        () -> "worker abandoned: pool=" + e.pool() + ", worker=" + e.workerId() + ", task=" + e.task()
                                + "; the task ignored its stop past the grace period; its thread is left to it and a"
                                + " replacement keeps the pool at size; the abandoned task was here:\n"
                                + StackText.of(e.stack()),
                        null);
            case PoolEvent.TaskBlocked e ->
                LogWriter.log(
                        LOG,
                        System.Logger.Level.WARNING,
                        () -> "task blocked: pool=" + e.pool() + ", worker=" + e.workerId() + ", task=" + e.task()
                                + ", runningFor=" + e.runningFor() + "; give it a timeout, or raise"
                                + " blockedTaskThreshold if this is expected; the blocked task is here:\n"
                                + StackText.of(e.stack()),
                        null);
            case PoolEvent.StateChanged e -> {
                if (e.to() == PoolState.FAILED) {
                    LogWriter.log(
                            LOG,
                            System.Logger.Level.ERROR,
                            () -> "pool failed: pool=" + e.pool() + "; workers crashed past the restart limit; submits"
                                    + " fail until reset() or close; the last crash:\n"
                                    + (e.cause() == null ? "none" : StackText.of(e.cause())),
                            null);
                } else {
                    if (e.to() == PoolState.CLOSED) {
                        reportSuppressedCrashes();
                    }
                    LogWriter.log(LOG, System.Logger.Level.DEBUG, e::toString, null);
                }
            }
            case PoolEvent.WorkerRestartScheduled e ->
                LogWriter.log(
                        LOG,
                        // A restart at once (a crash a task caused) is told by the crash's own record.
                        e.delay().isZero() && e.unstableRestarts() == 0
                                ? System.Logger.Level.DEBUG
                                : System.Logger.Level.INFO,
                        () -> "worker restart scheduled: pool=" + e.pool() + ", unstableRestarts="
                                + e.unstableRestarts() + ", delay=" + e.delay(),
                        null);
            case PoolEvent.TaskTimedOut e ->
                LogWriter.log(
                        LOG,
                        System.Logger.Level.DEBUG,
                        () -> "task timed out: pool=" + e.pool() + ", task=" + e.task() + ", phase=" + e.phase()
                                + ", limit=" + e.limit(),
                        null);
            default -> LogWriter.log(LOG, System.Logger.Level.DEBUG, event::toString, null);
        }
    }

    /**
     * A crash record, at most {@value #CRASH_RECORDS_PER_WINDOW} per pool in {@link #CRASH_WINDOW_NANOS}: a crash
     * storm must not flood the log. The next record written after some were held back says how many; so does the
     * pool's close. The listener still gets every event.
     */
    private void logCrash(PoolEvent.WorkerCrashed e) {
        long held;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - crashWindowStart >= CRASH_WINDOW_NANOS) {
                crashWindowStart = now;
                crashesInWindow = 0;
            }
            if (++crashesInWindow > CRASH_RECORDS_PER_WINDOW) {
                crashesSuppressed++;
                return;
            }
            held = crashesSuppressed;
            crashesSuppressed = 0;
        }
        LogWriter.log(
                LOG,
                System.Logger.Level.ERROR,
                () -> "worker crashed: pool=" + e.pool() + ", worker=" + e.workerId() + ", uptime=" + e.uptime()
                        + (held == 0 ? "" : "; " + held + " earlier crash records of this pool not logged")
                        + "; the crash:\n" + StackText.of(e.cause()),
                null);
    }

    private void reportSuppressedCrashes() {
        long held;
        synchronized (this) {
            held = crashesSuppressed;
            crashesSuppressed = 0;
        }
        if (held > 0) {
            LogWriter.log(
                    LOG,
                    System.Logger.Level.ERROR,
                    () -> "pool closed: pool=" + pool + "; " + held + " crash records of this pool were not logged (at"
                            + " most " + CRASH_RECORDS_PER_WINDOW + " per " + CRASH_WINDOW_NANOS / 1_000_000_000L
                            + " s are); its listener saw every crash",
                    null);
        }
    }
}
