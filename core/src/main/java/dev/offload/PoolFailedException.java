package dev.offload;

import java.io.Serial;
import java.util.concurrent.RejectedExecutionException;

/**
 * The pool is {@link PoolState#FAILED}: its workers crashed more often than its
 * {@link WorkerPool.Builder#restartPolicy restart policy} allows. Submits are refused and queued tasks fail with this
 * exception, whose cause is the last crash's cause, until {@link WorkerPool#reset()} or close.
 */
public final class PoolFailedException extends RejectedExecutionException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the pool, the restart limit and the last crash
     * @param lastCrash the cause of the last crash
     */
    public PoolFailedException(String message, Throwable lastCrash) {
        super(message, lastCrash);
    }
}
