package dev.offload.internal.task;

/**
 * A thread that runs tasks (a pool's worker thread): how the layers below the workers learn what the calling thread
 * runs, and free an async task's slot on its worker, without knowing what a worker is.
 *
 * <p>{@link #runningTask()} on the thread itself; {@link #pendingStopped} from any thread.
 */
public interface TaskThread {
    /**
     * Returns the task this thread is running, or {@code null} between tasks.
     *
     * @return the record
     */
    TaskRecord runningTask();

    /**
     * An async task this thread started, whose stage is pending, was decided by another thread: its slot on the
     * worker is free from now on, not when its stage completes.
     *
     * @param record the task
     */
    void pendingStopped(TaskRecord record);
}
