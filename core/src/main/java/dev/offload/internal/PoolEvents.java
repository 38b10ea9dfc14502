package dev.offload.internal;

import dev.offload.PoolEvent;
import dev.offload.PoolListener;
import dev.offload.PoolState;
import java.util.List;

/**
 * The one source of a pool's events: each goes to the log (one line, at a level fit for it) and to the user's
 * {@link PoolListener}. Statistics count the same moments where they happen.
 *
 * <p>Any thread; the listener is called on the emitting thread.
 */
final class PoolEvents {
    private static final System.Logger LOG = System.getLogger("dev.offload.WorkerPool");

    private final String pool;
    private final PoolListener listener;

    PoolEvents(String pool, PoolListener listener) {
        this.pool = pool;
        this.listener = listener;
    }

    String pool() {
        return pool;
    }

    void emit(PoolEvent event) {
        if (listener != null) { // first: a slow log line must not delay what the user's listener sees
            try {
                listener.onEvent(event);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "pool listener failed: pool=" + pool + ", event=" + event, t);
            }
        }
        log(event);
    }

    private static void log(PoolEvent event) {
        switch (event) {
            case PoolEvent.WorkerCrashed e ->
                LOG.log(
                        System.Logger.Level.ERROR,
                        "worker crashed: pool=" + e.pool() + ", worker=" + e.workerId() + ", uptime=" + e.uptime(),
                        e.cause());
            case PoolEvent.WorkerAbandoned e ->
                LOG.log(
                        System.Logger.Level.WARNING,
                        "worker abandoned: pool=" + e.pool() + ", worker=" + e.workerId() + ", task=" + e.task()
                                + "; the task ignored its stop past the grace period; its thread is left to it and a"
                                + " replacement keeps the pool at size",
                        stackOf("abandoned task", e.stack()));
            case PoolEvent.TaskBlocked e ->
                LOG.log(
                        System.Logger.Level.WARNING,
                        "task blocked: pool=" + e.pool() + ", worker=" + e.workerId() + ", task=" + e.task()
                                + ", runningFor=" + e.runningFor() + "; give it a timeout, or raise"
                                + " blockedTaskThreshold if this is expected",
                        stackOf("blocked task", e.stack()));
            case PoolEvent.StateChanged e -> {
                if (e.to() == PoolState.FAILED) {
                    LOG.log(
                            System.Logger.Level.ERROR,
                            "pool failed: pool=" + e.pool() + "; workers crashed past the restart limit; submits fail"
                                    + " until reset() or close",
                            e.cause());
                } else {
                    LOG.log(System.Logger.Level.DEBUG, () -> e.toString());
                }
            }
            case PoolEvent.WorkerRestartScheduled e ->
                LOG.log(
                        System.Logger.Level.INFO,
                        "worker restart scheduled: pool=" + e.pool() + ", unstableRestarts=" + e.unstableRestarts()
                                + ", delay=" + e.delay());
            case PoolEvent.TaskTimedOut e ->
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "task timed out: pool=" + e.pool() + ", task=" + e.task() + ", phase=" + e.phase() + ", limit="
                                + e.limit());
            default -> LOG.log(System.Logger.Level.DEBUG, () -> event.toString());
        }
    }

    /** A throwable whose stack is another thread's, so that a log line shows where that thread was. */
    private static Throwable stackOf(String what, List<StackTraceElement> stack) {
        StackReport where = new StackReport(what + " was here");
        where.setStackTrace(stack.toArray(new StackTraceElement[0]));
        return where;
    }

    /** Carries another thread's stack into a log line. */
    private static final class StackReport extends Throwable {
        private static final long serialVersionUID = 1L;

        StackReport(String message) {
            super(message, null, false, true);
        }
    }
}
