/**
 * Event loops and worker pools: an {@link dev.offload.EventLoop} hands CPU-heavy {@link dev.offload.Task}s to a
 * {@link dev.offload.WorkerPool} and gets every result back on its own thread.
 *
 * <p>Threading: {@code EventLoop} and {@code WorkerPool} methods may be called from any thread and never block the
 * caller, except {@code close()}, which waits for threads to end. A future returned by {@code submit} on a loop thread
 * completes on that loop thread; elsewhere on the executor given, else on the worker. Tasks run on worker threads and
 * see only their input, their worker's own state ({@link dev.offload.TaskContext}) and what is shared on purpose
 * ({@code SharedBuffer}); the pool checks what crosses ({@link dev.offload.Isolation}).
 *
 * <p>Memory consistency effects: actions before {@code submit} <i>happen-before</i> the task runs; the task's actions
 * <i>happen-before</i> its future completes; actions before {@code EventLoop.execute} or {@code schedule}
 * <i>happen-before</i> the runnable runs on the loop.
 *
 * <p>Contracts: every accepted task ends exactly once (value, exception, cancelled, or rejected by
 * {@code closeNow()}), and {@link dev.offload.PoolStats} counts each outcome once; each contract has a jcstress test in
 * the {@code stress-tests} module.
 *
 * <p>Implementation: the role packages under {@code dev.offload.internal}, which the module does not export (see
 * {@code docs/design.md}). They use this package's contract types (tasks, options, queues, events, exceptions), which
 * name nothing of theirs but the duration helper of {@code internal.base}; the built-in {@link dev.offload.TaskQueue}s
 * are package-private classes here, an interface and its two implementations referring to each other.
 */
package dev.offload;
