package dev.offload.internal.worker;

import dev.offload.TaskContext;
import dev.offload.internal.task.TaskRecord;
import dev.offload.internal.task.TaskThread;

/**
 * The platform thread of one pool worker. Always a daemon thread: a worker abandoned to a task that never returns
 * must not keep the JVM alive (the pool's supervisor thread keeps it alive while the pool is open, if asked to).
 *
 * <p>Created and started by the pool's supervisor. The thread is also the {@link TaskContext} of the task it runs
 * ({@code TaskContext.current()} finds it so); those methods only on this thread, as {@link TaskContext} says.
 */
public final class WorkerThread extends Thread implements TaskThread, TaskContext {
    private final ThreadWorker worker;

    WorkerThread(ThreadWorker worker, String name) {
        super(name);
        this.worker = worker;
        setDaemon(true);
    }

    ThreadWorker worker() {
        return worker;
    }

    @Override
    public TaskRecord runningTask() {
        return worker.current;
    }

    @Override
    public void pendingStopped(TaskRecord record) {
        worker.asyncDone(record);
    }

    @Override
    public void run() {
        worker.run();
    }

    // The task context of the task running on this thread: TaskContext.current() finds it as the thread itself.

    @Override
    public boolean isCancelled() {
        return worker.isCancelled();
    }

    @Override
    public void throwIfCancelled() {
        worker.throwIfCancelled();
    }

    @Override
    public void onCancel(Runnable hook) {
        worker.onCancel(hook);
    }

    @Override
    public <S> S state(Class<S> type) {
        return worker.state(type);
    }

    @Override
    public void post(Object value) {
        worker.post(value);
    }

    @Override
    public int workerId() {
        return worker.workerId();
    }
}
