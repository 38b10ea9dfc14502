package dev.offload;

/**
 * Why a message sent with {@link Worker#postMessageToThread} was not handled, as Node's
 * {@code ERR_WORKER_MESSAGING_*} errors: {@link #reason()} tells which.
 */
public final class ThreadMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the message was not handled. */
    public enum Reason {
        /** No event loop or worker runs with the thread id (it never did, or it ended). */
        NO_SUCH_THREAD,
        /** The receiving loop set no {@link Worker#onThreadMessage} handler. */
        NO_HANDLER,
        /** The receiver's handler threw; the exception is the cause. */
        HANDLER_FAILED,
        /** The receiver's handler did not run within the timeout. */
        TIMED_OUT
    }

    private final Reason reason;
    private final int threadId;

    ThreadMessageException(Reason reason, int threadId, String detail) {
        this(reason, threadId, detail, null);
    }

    ThreadMessageException(Reason reason, int threadId, String detail, Throwable cause) {
        super("message to thread " + threadId + " not handled (" + reason + "): " + detail, cause);
        this.reason = reason;
        this.threadId = threadId;
    }

    /**
     * Returns why the message was not handled.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the thread id the message was sent to.
     *
     * @return the id
     */
    public int threadId() {
        return threadId;
    }
}
