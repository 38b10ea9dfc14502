package dev.offload;

/**
 * Receives a {@link WorkerPool}'s {@link PoolEvent}s: worker lifecycle, state changes, timeouts, watchdog reports and
 * queue pressure. The pool's statistics and log lines come from the same events.
 *
 * <p>Threading: called on the thread where the event happens: the pool's supervisor thread for lifecycle, timeout
 * and watchdog events, a submitting or worker thread for queue events; possibly from several threads at once. It
 * must be quick, thread-safe and must not block; what it throws is logged and ignored.
 */
@FunctionalInterface
public interface PoolListener {
    /**
     * Handles one event.
     *
     * @param event the event
     */
    void onEvent(PoolEvent event);
}
