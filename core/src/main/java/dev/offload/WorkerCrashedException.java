package dev.offload;

import java.io.Serial;

/**
 * The worker running a task died: a {@link VirtualMachineError} (such as {@link StackOverflowError} or
 * {@link OutOfMemoryError}) escaped a task, or the worker failed outside any task. The task's future fails with this
 * exception, whose cause is what killed the worker; the pool replaces the worker as its
 * {@link WorkerPool.Builder#restartPolicy restart policy} says.
 */
public final class WorkerCrashedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The number of the worker that died. */
    private final int workerId;

    /**
     * Creates the exception.
     *
     * @param message what died and while doing what
     * @param workerId the worker's number
     * @param cause what killed it
     */
    public WorkerCrashedException(String message, int workerId, Throwable cause) {
        super(message, cause);
        this.workerId = workerId;
    }

    /**
     * Returns the number of the worker that died (see {@link TaskContext#workerId()}).
     *
     * @return the worker's number
     */
    public int workerId() {
        return workerId;
    }
}
