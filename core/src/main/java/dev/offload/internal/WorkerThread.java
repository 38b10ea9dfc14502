package dev.offload.internal;

import dev.offload.TaskContext;

/**
 * The platform thread of one pool worker. Always a daemon thread: a worker abandoned to a task that never returns
 * must not keep the JVM alive (the pool's supervisor thread keeps it alive while the pool is open, if asked to).
 *
 * <p>Created and started by the pool's supervisor; {@link #currentContext()} from any thread.
 */
public final class WorkerThread extends Thread {
    private final Worker worker;

    WorkerThread(Worker worker, String name) {
        super(name);
        this.worker = worker;
        setDaemon(true);
    }

    Worker worker() {
        return worker;
    }

    @Override
    public void run() {
        worker.run();
    }

    /**
     * Returns the task context of the calling worker thread.
     *
     * @return the context
     * @throws IllegalStateException if the caller is not a worker thread
     */
    public static TaskContext currentContext() {
        if (Thread.currentThread() instanceof WorkerThread t) {
            return t.worker;
        }
        throw new IllegalStateException("TaskContext.current() called outside a worker thread: thread="
                + Thread.currentThread().getName() + "; call it from inside a running task");
    }
}
