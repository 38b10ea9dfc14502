package dev.offload;

import dev.offload.internal.base.StackText;
import dev.offload.internal.clone.Marks;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.loop.LoopBound;
import dev.offload.internal.loop.LoopCore;
import dev.offload.internal.message.Endpoint;
import dev.offload.shm.TransferableBuffer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A long-lived isolated worker with its own event loop, as Node's {@code new Worker(file, { workerData })}: its
 * {@link Main} runs on a dedicated platform thread, receives a copy of the worker data and its end of a message
 * channel to the parent, and may then keep working on its loop (handlers, timers, tasks) for as long as something
 * refers to the loop.
 *
 * <pre>{@code
 * // on an event loop: the parent
 * Worker worker = Worker.start(Squarer::main, 7);
 * worker.onMessage(result -> System.out.println("squared: " + result));
 * worker.onExit(code -> System.out.println("worker exited with " + code));
 *
 * static void main(MessagePort parentPort, Object workerData) {   // on the worker's own loop
 *     int n = (Integer) workerData;
 *     parentPort.postMessage(n * n);                              // returns: nothing keeps the loop, so it ends
 * }
 * }</pre>
 *
 * <p>Life: the worker's loop runs {@code main}, then keeps running while it has an open port with a message handler
 * (its parent port's, once {@code main} sets one; see {@link MessagePort#unref()}), a pending timer or a pool task it
 * submitted; then it ends by itself with exit code 0, as Node's worker does. An exception that {@code main} or any
 * callback on the worker's loop throws fires {@link #onError} on the parent, and the worker ends with exit code 1; it
 * never reaches the parent loop's own uncaught-exception handler. {@link #terminate()} ends it with exit code 1.
 * {@link #onExit} fires once, after every message the worker posted was delivered. A worker's life is bounded by its
 * parent loop's, as Node bounds a nested worker's by its parent's: when the loop that started it ends (a worker that
 * ends or is terminated, an {@link EventLoop} closed), the worker is terminated, and the workers it started with it.
 * Messages posted to a worker that ends before it reads them are dropped, and a port they carry is closed: its peer's
 * {@link MessagePort#onClose} handler runs (see {@link MessagePort} for the one window left). A worker abandoned by
 * {@link #terminate()} has a loop that never ends: neither rule reaches the workers it started nor the messages queued
 * for it.
 *
 * <p>Isolation: {@code main} must be a static method reference or a class that captures nothing mutable (checked);
 * the worker data crosses by the message rules of {@link MessagePort} (copied, shared, moved with a transfer list).
 *
 * <p>Threading: {@link #start} and the handler setters must be called on an event loop thread, the parent's; every
 * handler runs on that loop. {@link #postMessage} on the parent's loop only. {@link #terminate()}, {@link #close()} and
 * the queries, any thread.
 *
 * <p>Memory consistency effects: actions of the parent before {@link #start} <i>happen-before</i> {@code main} runs;
 * the message rules of {@link MessagePort} hold both ways; actions of the worker's thread <i>happen-before</i>
 * {@link #onExit} runs and the stage of {@link #terminate()} completes.
 */
public final class Worker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Worker.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    /** How long {@link #terminate()} waits for a worker that does not stop before it abandons it. */
    static final Duration TERMINATE_BOUND = Duration.ofSeconds(5);

    private static final ThreadLocal<Map<Object, Object>> ENVIRONMENT = ThreadLocal.withInitial(HashMap::new);

    /**
     * A worker's entry point, as Node's worker script: a static method reference such as {@code Resizer::main}.
     */
    @FunctionalInterface
    public interface Main {
        /**
         * Runs on the worker's own loop thread, as its first callback.
         *
         * @param parentPort the worker's end of the channel to the parent, as Node's {@code parentPort}
         * @param workerData the worker's copy of the data given at start, as Node's {@code workerData}
         * @throws Exception anything: fires the parent's {@link #onError} and ends the worker with exit code 1
         */
        void run(MessagePort parentPort, Object workerData) throws Exception;
    }

    private final int threadId;
    private final EventLoop loop; // the worker's
    private final LoopCore parent;
    private final MessagePort port; // the parent's end
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();
    private final AtomicInteger terminateCalls = new AtomicInteger();
    private final LoopBound parentEnded = this::parentEnded; // bound to the parent loop until the exit was reported
    private volatile boolean stopping; // terminate(), close() or the parent's end asked it to stop
    private volatile int exitCode;
    private volatile long cpuNanos = -1;
    private volatile long allocated = -1;

    // Parent loop only.
    private Runnable onOnline;
    private Consumer<Throwable> onError;
    private IntConsumer onExit;
    private int exitSteps = 2; // the parent port's close handler, and the worker thread's end
    private boolean refHeld; // this worker holds a reference on its parent's loop (see LoopCore#ref)

    private Worker(LoopCore parent, String name, boolean daemon, Main main, Sendables.Moves data) {
        this.parent = parent;
        // First of what the parent's loop holds for this worker: at that loop's end the worker is asked to stop
        // before its channel closes, so that what its code then throws is known to be the stop's echo.
        parent.bind(parentEnded);
        MessageChannel channel = new MessageChannel();
        this.port = channel.port1();
        MessagePort childPort = channel.port2();
        port.onClose(this::exitStep); // the parent's loop holds its end from now on: its handlers run there
        port.onMessage(message -> {}); // dropped until onMessage, as Node drops messages nobody listens to
        // As in Node, a running worker keeps its parent's loop running (when the parent is a worker itself): the
        // worker, not its port, holds the reference, until its exit was reported; the port alone would let the
        // parent's loop end between the port's close and the thread's end, and the exit would never be reported.
        port.unref();
        parent.ref();
        refHeld = true;
        String threadName = name != null ? name : "worker-" + IDS.incrementAndGet();
        final Map<Object, Object> environment; // the parent's environment data, copied at the start
        try {
            environment = copyEnvironment();
            this.loop = EventLoop.startEndingWhenUnreferenced(
                    EventLoop.builder().name(threadName).daemon(daemon).onUncaughtException(this::uncaught));
        } catch (Throwable t) { // no thread (out of memory or threads), or environment data that cannot cross
            parent.unbind(parentEnded);
            releaseRef();
            port.close();
            data.discard(); // the ports the worker data moved have no receiver now
            throw t;
        }
        LoopCore child = loop.core();
        this.threadId = child.threadId();
        child.termination().whenComplete((v, t) -> ended()); // on the worker's thread, its last act
        loop.execute(() -> {
            Endpoint end = childPort.end();
            end.hold(); // closes the channel when this loop ends, even if main never touches the port
            data.delivered(); // ports moved in the worker data belong to this loop
            ENVIRONMENT.get().putAll(environment);
            if (!end.postControl(this::online)) { // on the port, so that no message of main's overtakes it
                parent.offerItem(this::online); // the channel closed already (terminate, or the parent's loop ended)
            }
            try {
                main.run(childPort, data.value());
            } catch (Exception e) { // checked ones too, with their type: the loop's handler gets only unchecked ones
                uncaught(e);
            } finally {
                child.unref(); // the creator's reference: from now on the loop ends once nothing refers to it
            }
        });
    }

    /**
     * Starts a worker running {@code main} with a copy of {@code workerData}, its thread named {@code worker-<n>}. Call it
     * on an event loop thread: the worker's events run on that loop.
     *
     * @param main the worker's entry point, a static method reference (checked: it captures nothing mutable)
     * @param workerData what {@code main} receives, by the message rules of {@link MessagePort}; may be null
     * @return the running worker
     * @throws IllegalStateException if not called on an event loop thread
     * @throws NotSendableException if {@code main} captures something mutable or {@code workerData} may not cross
     */
    public static Worker start(Main main, Object workerData) {
        return builder(main).workerData(workerData).start();
    }

    /**
     * Returns a builder of a worker that runs {@code main}.
     *
     * @param main the worker's entry point
     * @return a new builder
     */
    public static Builder builder(Main main) {
        return new Builder(Objects.requireNonNull(main, "main"));
    }

    private void online() {
        Runnable handler = onOnline;
        if (handler != null) {
            handler.run();
        }
    }

    /**
     * Worker's loop thread: an exception of main or of a callback ends the worker and goes to the parent; unless the
     * worker was asked to stop, when what its code throws is the stop's echo (an {@link InterruptedException}, a
     * refused callback) and, as in Node, no error: it is logged at debug level.
     */
    private void uncaught(Throwable t) {
        exitCode = 1;
        if (stopping) {
            LOG.log(System.Logger.Level.DEBUG, "worker threw while it was being stopped: worker=" + this, t);
            loop.core().close(0);
            return;
        }
        // On the port while this loop holds it, so that the error comes after every message main posted before it;
        // else (the port closed, or handed to another loop) through the parent's inbox, still before the exit.
        if (!port.end().peer().postControl(() -> error(t)) && !parent.offerItem(() -> errorAfterMessages(t))) {
            LOG.log(System.Logger.Level.WARNING, "worker failed after its parent loop ended: worker=" + this, t);
        }
        loop.core().close(0); // on its own thread: begins the close; the loop ends once its inbox is empty
    }

    /** Parent loop: an error that came through the inbox comes after what the worker posted before it. */
    private void errorAfterMessages(Throwable t) {
        port.end().deliverQueued();
        error(t);
    }

    private void error(Throwable t) {
        Consumer<Throwable> handler = onError;
        if (handler == null) {
            LOG.log(System.Logger.Level.WARNING, "worker failed, and no onError handler is set: worker=" + this, t);
            return;
        }
        handler.accept(t);
    }

    /** Worker's thread, its last act: what it used, then the parent hears that it ended. */
    private void ended() {
        sampleUsage();
        if (!parent.offerItem(this::exitStep)) {
            exited.complete(exitCode); // the parent loop ended: nobody runs onExit
        }
    }

    private void sampleUsage() {
        var threads = ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported()) {
            cpuNanos = threads.getCurrentThreadCpuTime();
        }
        if (threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            allocated = sun.getCurrentThreadAllocatedBytes();
        }
    }

    /** Parent loop: one of the two conditions of the exit (messages delivered, thread ended) holds. */
    private void exitStep() {
        if (--exitSteps > 0) {
            return;
        }
        if (exited.complete(exitCode)) { // false: abandoned by terminate(), its exit reported then
            fireExit(exitCode);
        }
        releaseRef();
        parent.unbind(parentEnded);
    }

    /** Parent loop, at its end: a worker it started is terminated with it (unless it stopped or is stopping). */
    private void parentEnded() {
        if (!stopping) { // not a terminate() call: one may still come, from a thread that holds this worker
            stop();
        }
    }

    /** Parent loop: this worker no longer keeps its parent's loop running. */
    private void releaseRef() {
        if (refHeld) {
            refHeld = false;
            parent.unref();
        }
    }

    /** Parent loop: the exit, once. */
    private void fireExit(int code) {
        IntConsumer handler = onExit;
        if (handler != null) {
            handler.accept(code);
        }
    }

    /**
     * Sets what runs on the parent's loop when the worker starts running {@code main}, as Node's {@code 'online'}.
     * Parent loop only.
     *
     * @param handler what to run
     * @return this worker
     */
    public Worker onOnline(Runnable handler) {
        checkParent("onOnline");
        this.onOnline = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Sets what receives each message the worker posts on its parent port, on the parent's loop, in order, as Node's
     * {@code 'message'}. Parent loop only.
     *
     * @param handler receives each message
     * @return this worker
     */
    public Worker onMessage(Consumer<Object> handler) {
        checkParent("onMessage");
        port.onMessage(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Sets what receives an exception that the worker's {@code main} or one of its callbacks threw, on the parent's
     * loop, as Node's {@code 'error'}; the worker then ends with exit code 1. Without one, it is logged. Parent loop
     * only.
     *
     * @param handler receives the exception, as thrown (type, message, cause and stack kept)
     * @return this worker
     */
    public Worker onError(Consumer<Throwable> handler) {
        checkParent("onError");
        this.onError = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Sets what runs once when the worker has ended and every message it posted was delivered, on the parent's loop,
     * as Node's {@code 'exit'}: 0 if it ended by itself, 1 after an uncaught exception or {@link #terminate()}.
     * Parent loop only.
     *
     * @param handler receives the exit code
     * @return this worker
     */
    public Worker onExit(IntConsumer handler) {
        checkParent("onExit");
        this.onExit = Objects.requireNonNull(handler, "handler");
        return this;
    }

    private void checkParent(String action) {
        if (LoopCore.current() != parent) {
            throw new IllegalStateException(action + " must be called on the loop that started the worker ('"
                    + parent.name() + "'): its events run there; thread="
                    + Thread.currentThread().getName());
        }
    }

    /**
     * Posts {@code message} to the worker's parent port, by the rules of {@link MessagePort#postMessage}. Parent loop
     * only.
     *
     * @param message the message
     * @param transfer the buffers in it to move
     * @throws IllegalStateException if not called on the parent's loop, or the worker has ended (its port closed)
     */
    public void postMessage(Object message, Object... transfer) {
        port.postMessage(message, transfer);
    }

    /**
     * Lets the parent's loop end while this worker runs, as Node's {@code worker.unref()}: a running worker otherwise
     * keeps its parent's loop running. Only a loop that ends by itself when nothing refers to it, a worker's, heeds
     * it: a worker that starts a worker and calls {@code unref()} on it may end first, and then terminates the child,
     * as every loop that ends terminates the workers it started. Parent loop only.
     *
     * @throws IllegalStateException if not called on the parent's loop
     */
    public void unref() {
        checkParent("unref");
        releaseRef();
    }

    /**
     * Lets this worker keep its parent's loop running again, as Node's {@code worker.ref()}: the default. Parent loop
     * only.
     *
     * @throws IllegalStateException if not called on the parent's loop
     */
    public void ref() {
        checkParent("ref");
        if (!refHeld && !exited.isDone()) {
            parent.ref();
            refHeld = true;
        }
    }

    /**
     * Stops the worker, as Node's {@code worker.terminate()}: its loop closes (no more callbacks are accepted, pending
     * timers are dropped) and its thread is interrupted, so that a callback that waits or checks its interrupt stops.
     * What the worker's code throws from then on (the {@link InterruptedException} of a sleep, a callback its closed
     * loop refused) does not fire {@link #onError}, as Node fires no {@code 'error'} on terminate: the exit code says
     * how it ended. The workers it started are terminated when its loop ends. A worker whose thread is still running
     * {@code TERMINATE_BOUND} (5 s) later is abandoned: its stack is logged, its channel to the parent is closed (what
     * it posted before is delivered, then the exit fires; what it posts later is refused, and so are the parent's
     * posts), and the stage completes with exit code 1 (its thread is left to whatever it runs). Any thread.
     *
     * @return a stage completed with the exit code (1) once the worker ended or was abandoned; its dependents run on
     *     the calling loop, if any
     * @throws IllegalStateException if terminate was called before
     */
    public CompletionStage<Integer> terminate() {
        if (terminateCalls.getAndIncrement() > 0) {
            throw new IllegalStateException("terminate() called twice on worker " + threadId
                    + "; fix: keep the stage the first call returned, or use close(), which may be called again");
        }
        stop();
        return LoopCore.onCallerLoop(exited);
    }

    private void stop() {
        stopping = true; // before the interrupt: what it causes is no error
        if (!exited.isDone()) {
            exitCode = 1;
        }
        loop.core().closeAsync(0);
        loop.core().loopThread().interrupt();
        CompletableFuture.delayedExecutor(TERMINATE_BOUND.toNanos(), TimeUnit.NANOSECONDS)
                .execute(this::abandon);
    }

    private void abandon() {
        Thread thread = loop.core().loopThread();
        if (!thread.isAlive() || exited.isDone()) {
            return;
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "worker did not stop within " + TERMINATE_BOUND + " of terminate(), abandoned: worker=" + this
                        + ", its thread is left to what it runs:\n"
                        + StackText.of(Arrays.asList(thread.getStackTrace())));
        loop.core().markAbandoned(); // a port flag its stuck callback holds must not hold back the parent's end
        if (exited.complete(1)) {
            parent.offerItem(() -> {
                Endpoint end = port.end();
                end.close(); // the stuck thread's posts are refused from now on, and so are the parent's
                end.deliverQueued(); // what it posted before comes before the exit
                end.onMessage(late -> {}); // a post that raced the close is dropped: the exit was reported
                fireExit(1);
                releaseRef();
                parent.unbind(parentEnded);
            });
        }
    }

    /**
     * Terminates the worker unless it has ended or is terminating, and waits until it has ended or was abandoned.
     * Idempotent; any thread but the worker's own and the parent loop's (which would wait for itself: there, use
     * {@link #terminate()}).
     *
     * @throws IllegalStateException if called on the worker's or the parent's loop thread, or if interrupted
     */
    @Override
    public void close() {
        if (Thread.currentThread() == loop.core().loopThread() || LoopCore.current() == parent) {
            throw new IllegalStateException("close() of a worker on its own thread or its parent's loop would wait for"
                    + " itself; fix: use terminate() there, and act on its stage");
        }
        if (terminateCalls.getAndIncrement() == 0) {
            stop();
        }
        try {
            exited.get(TERMINATE_BOUND.toNanos() * 2, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing worker " + threadId, e);
        } catch (Exception e) {
            // abandoned or late: terminate() logged it; close() returns, as its bound says
        }
    }

    /**
     * Returns the worker's thread id, its loop's ({@link EventLoop#threadId()}): unique in this JVM, as Node's
     * {@code worker.threadId}; {@link #postMessageToThread} reaches the worker by it.
     *
     * @return the id
     */
    public int threadId() {
        return threadId;
    }

    /**
     * Returns the name of the worker's thread, as Node's {@code worker.threadName}.
     *
     * @return the name
     */
    public String threadName() {
        return loop.name();
    }

    /**
     * Returns how busy the worker's loop has been since it started, as Node's
     * {@code worker.performance.eventLoopUtilization()}. Any thread.
     *
     * @return the utilization
     */
    public EventLoopUtilization utilization() {
        return loop.utilization();
    }

    /**
     * Returns the CPU time the worker's thread has used, as Node's {@code worker.cpuUsage()}: read from the JVM's
     * {@code ThreadMXBean} while it runs, and as it was at its end afterwards. Any thread.
     *
     * @return the CPU time, or {@link Duration#ZERO} if the JVM does not measure it
     */
    public Duration cpuTime() {
        long ended = cpuNanos;
        if (ended >= 0) {
            return Duration.ofNanos(ended);
        }
        var threads = ManagementFactory.getThreadMXBean();
        long now = threads.isThreadCpuTimeSupported()
                ? threads.getThreadCpuTime(loop.core().loopThread().threadId())
                : -1;
        return Duration.ofNanos(Math.max(0, now));
    }

    /**
     * Returns the bytes the worker's thread has allocated on the heap so far (the JVM's closest analogue of Node's
     * {@code worker.getHeapStatistics()}: threads share one heap, so a worker has no heap of its own). Any thread.
     *
     * @return the bytes allocated, or -1 if the JVM does not measure it
     */
    public long allocatedBytes() {
        long ended = allocated;
        if (ended >= 0) {
            return ended;
        }
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean sun
                && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(loop.core().loopThread().threadId());
        }
        return -1;
    }

    /**
     * Sets a value every worker started afterwards from this thread receives a copy of, as Node's
     * {@code setEnvironmentData}; {@code null} removes it. The value must be sendable (checked now). Any thread; the
     * data is the calling thread's (a worker's own starts empty but for what its parent had).
     *
     * @param key the key, sendable
     * @param value the value, sendable, or {@code null} to remove the key
     * @throws NotSendableException if the key or the value may not cross threads
     */
    public static void setEnvironmentData(Object key, Object value) {
        Object k = Sendables.prepareAndCommit(key, "key");
        if (value == null) {
            ENVIRONMENT.get().remove(k);
        } else {
            ENVIRONMENT.get().put(k, Sendables.prepareAndCommit(value, "value"));
        }
    }

    /**
     * Returns what {@link #setEnvironmentData} set for {@code key} on this thread, or in the parent before this
     * worker started, as Node's {@code getEnvironmentData}.
     *
     * @param key the key
     * @return the value, or {@code null}
     */
    public static Object getEnvironmentData(Object key) {
        return ENVIRONMENT.get().get(key);
    }

    /**
     * Marks {@code value} so that it never crosses threads, as Node's {@code markAsUncloneable}: a message, a task's
     * input or output, or worker data that holds it is refused with a {@link NotSendableException} naming its path.
     * The mark does not keep {@code value} alive. Any thread.
     *
     * @param value the object (a primitive box or a string is a value, not an object: marking one refuses every equal
     *     instance that happens to be the same object, so mark objects you own)
     */
    public static void markAsUncloneable(Object value) {
        Marks.mark(Objects.requireNonNull(value, "value"));
    }

    /**
     * Marks {@code buffer} so that it never moves to another thread, as Node's {@code markAsUntransferable}: a
     * message, input or worker data that holds it is refused with a {@link NotSendableException} naming its path,
     * and its holder keeps it. Any thread.
     *
     * @param buffer the buffer
     */
    public static void markAsUntransferable(TransferableBuffer buffer) {
        Marks.mark(Objects.requireNonNull(buffer, "buffer"));
    }

    /**
     * Returns whether {@code value} was marked with {@link #markAsUntransferable} (or
     * {@link #markAsUncloneable}), as Node's {@code isMarkedAsUntransferable}.
     *
     * @param value the object
     * @return {@code true} if marked
     */
    public static boolean isMarkedAsUntransferable(Object value) {
        return Marks.isMarked(value);
    }

    /**
     * Sends {@code message} to the event loop or worker of thread id {@code threadId} without a channel, as Node 22's
     * {@code postMessageToThread}: the receiver's {@link #onThreadMessage} handler gets it on its loop. The message
     * follows the rules of {@link MessagePort#postMessage}. Called on an event loop thread (the sender's id goes with
     * the message).
     *
     * @param threadId the receiver's thread id ({@link EventLoop#threadId()}, {@link #threadId()})
     * @param message the message
     * @param timeout how long the receiver may take to run its handler, more than zero
     * @param transfer the buffers in {@code message} to move, each once
     * @return a stage completed once the receiver's handler returned, or failed with a
     *     {@link ThreadMessageException} whose {@link ThreadMessageException#reason() reason} says why: no such
     *     thread, no handler there, the handler threw (its exception the cause), or the timeout passed; its
     *     dependents run on the calling loop
     * @throws IllegalStateException if not called on an event loop thread
     * @throws IllegalArgumentException if {@code threadId} is the caller's own, or the timeout is not positive, or
     *     the transfer list is not what the message moves
     * @throws NotSendableException if the message may not cross; then nothing was sent
     */
    public static CompletionStage<Void> postMessageToThread(
            int threadId, Object message, Duration timeout, Object... transfer) {
        LoopCore caller = LoopCore.currentOrThrow("postMessageToThread", "the sender's thread id goes with it");
        TaskOptions.positive("timeout", timeout);
        if (threadId == caller.threadId()) {
            throw new IllegalArgumentException("postMessageToThread to the calling loop itself: threadId=" + threadId
                    + "; fix: handle the message where you are");
        }
        Set<Object> moving = Sendables.transferList(transfer);
        CompletableFuture<Void> result = new CompletableFuture<>();
        LoopCore target = LoopCore.byThreadId(threadId);
        if (target == null) {
            result.completeExceptionally(new ThreadMessageException(
                    ThreadMessageException.Reason.NO_SUCH_THREAD, threadId, "no event loop or worker runs with it"));
            return LoopCore.onCallerLoop(result);
        }
        Sendables.Moves moves = Sendables.prepareAndCommitMoves(message, "message", moving);
        int source = caller.threadId();
        boolean accepted = target.offerItem(() -> {
            if (result.isDone()) {
                moves.discard(); // timed out meanwhile: the sender was told, and the ports it moved close
                return;
            }
            var handler = target.threadMessageHandler();
            if (handler == null) {
                moves.discard();
                result.completeExceptionally(new ThreadMessageException(
                        ThreadMessageException.Reason.NO_HANDLER, threadId, "it set no onThreadMessage handler"));
                return;
            }
            moves.delivered(); // the ports it moved belong to the receiving loop
            try {
                handler.accept(moves.value(), source);
                result.complete(null);
            } catch (Throwable t) {
                result.completeExceptionally(new ThreadMessageException(
                        ThreadMessageException.Reason.HANDLER_FAILED,
                        threadId,
                        "its handler threw " + StackText.describe(t),
                        t));
            }
        });
        if (!accepted) {
            moves.discard();
            result.completeExceptionally(new ThreadMessageException(
                    ThreadMessageException.Reason.NO_SUCH_THREAD, threadId, "its loop ended"));
        } else {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> result.completeExceptionally(new ThreadMessageException(
                            ThreadMessageException.Reason.TIMED_OUT,
                            threadId,
                            "its handler did not run within " + timeout)));
        }
        return LoopCore.onCallerLoop(result);
    }

    /**
     * Sets what receives the messages other loops send to the calling loop with {@link #postMessageToThread}, as
     * Node's {@code process.on('workerMessage')}: the message and the sender's thread id, on this loop. {@code null}
     * removes it. Called on the receiving loop's thread.
     *
     * @param handler the handler, or {@code null}
     * @throws IllegalStateException if not called on an event loop thread
     */
    public static void onThreadMessage(BiConsumer<Object, Integer> handler) {
        LoopCore.currentOrThrow("onThreadMessage", "the handler runs on the receiving loop")
                .threadMessageHandler(handler);
    }

    private static Map<Object, Object> copyEnvironment() {
        Map<Object, Object> mine = ENVIRONMENT.get();
        Map<Object, Object> copy = new HashMap<>();
        mine.forEach((k, v) -> copy.put(k, Sendables.prepareAndCommit(v, "environment data")));
        return copy;
    }

    @Override
    public String toString() {
        return "Worker[" + threadId + ", " + loop.name() + (exited.isDone() ? ", exited " + exited.getNow(-1) : "")
                + "]";
    }

    /**
     * A worker's settings, each set at most once (a second call throws {@link IllegalStateException}, as the other
     * builders' do); start one with {@link #start()}. Not thread-safe: one thread builds.
     */
    public static final class Builder {
        private final Main main;
        private Object workerData;
        private Object[] transfer = new Object[0];
        private String name;
        private boolean daemon;
        private final Set<String> set = new HashSet<>(); // the options set, each at most once

        private Builder(Main main) {
            this.main = main;
        }

        private void once(String option, Object current) {
            EventLoop.requireUnset(set.add(option), option, current);
        }

        /**
         * Sets what {@code main} receives, by the message rules of {@link MessagePort} (default {@code null}).
         *
         * @param workerData the data
         * @param transfer the buffers in it to move to the worker
         * @return this builder
         */
        public Builder workerData(Object workerData, Object... transfer) {
            Object[] list = transfer.clone();
            once("workerData", this.workerData);
            this.workerData = workerData;
            this.transfer = list;
            return this;
        }

        /**
         * Sets the name of the worker's thread (default {@code worker-<n>}).
         *
         * @param name a non-blank name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder name(String name) {
            String checked = EventLoop.checkedName(name);
            once("name", this.name);
            this.name = checked;
            return this;
        }

        /**
         * Sets whether the worker's thread is a daemon thread (default {@code false}: a running worker keeps the JVM
         * alive, as a Node worker keeps its process).
         *
         * @param daemon {@code true} for a daemon thread
         * @return this builder
         */
        public Builder daemon(boolean daemon) {
            once("daemon", this.daemon);
            this.daemon = daemon;
            return this;
        }

        /**
         * Starts the worker. Call it on an event loop thread, the parent's.
         *
         * @return the running worker
         * @throws IllegalStateException if not called on an event loop thread
         * @throws NotSendableException if {@code main} captures something mutable or the worker data may not cross
         * @throws IllegalArgumentException if the transfer list is not what the worker data moves
         */
        public Worker start() {
            LoopCore parent =
                    LoopCore.currentOrThrow("Worker.start", "the worker's events run on the loop that starts it");
            Sendables.checkTask(main);
            return new Worker(
                    parent,
                    name,
                    daemon,
                    main,
                    Sendables.prepareAndCommitMoves(workerData, "workerData", Sendables.transferList(transfer)));
        }

        @Override
        public String toString() {
            return "Worker.Builder[" + main + ", transfer=" + Arrays.toString(transfer) + "]";
        }
    }
}
