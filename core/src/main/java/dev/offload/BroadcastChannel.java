package dev.offload;

import dev.offload.internal.message.BroadcastEnd;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A named channel that reaches every other open {@code BroadcastChannel} of the same name in this JVM, as Node's
 * {@code new BroadcastChannel(name)}: each receives each message once, on the event loop that opened it.
 *
 * <pre>{@code
 * // on each loop (a Worker's, or any EventLoop)
 * BroadcastChannel channel = new BroadcastChannel("config");
 * channel.onMessage(update -> apply(update));
 * // on any of them
 * channel.postMessage(Map.of("level", "debug"));   // every other open "config" channel gets its own copy
 * }</pre>
 *
 * <p>A channel belongs to the loop that opens it. Messages follow the isolation rules of {@link MessagePort}, with no
 * transfer list (a buffer cannot move to many): each receiver gets its own copy of a mutable message. The sender does
 * not receive its own messages; a channel opened after a post does not get it; a closed channel gets nothing more,
 * not even what was posted before its close. A message that arrives while no handler is set is dropped; Node keeps it
 * for a later {@code receiveMessageOnPort}, which a broadcast channel here does not have. An open channel
 * with a handler keeps a {@link Worker}'s loop running ({@link #unref()} lets it end); the loop's end closes it.
 *
 * <p>Threading: the constructor, {@link #postMessage}, {@link #onMessage}, {@link #ref()} and {@link #unref()} on
 * the loop that opens the channel; {@link #close()} and the queries, any thread.
 *
 * <p>Memory consistency effects: actions before {@link #postMessage} <i>happen-before</i> each receiver's handler gets
 * the message.
 */
public final class BroadcastChannel implements AutoCloseable {
    private final BroadcastEnd end;

    /**
     * Opens a channel of group {@code name}, held by the calling event loop.
     *
     * @param name the group's name
     * @throws IllegalStateException if not called on an event loop thread
     */
    public BroadcastChannel(String name) {
        this.end = BroadcastEnd.open(Objects.requireNonNull(name, "name"));
    }

    /**
     * Returns the group's name.
     *
     * @return the name
     */
    public String name() {
        return end.name();
    }

    /**
     * Sends {@code message} to every other open channel of this name, each its own copy. Holding loop only.
     *
     * @param message the message, by the isolation rules (no buffer or port may move)
     * @throws IllegalStateException if not on the loop that opened this channel, or it is closed
     * @throws NotSendableException if the message may not cross; then no channel gets it
     */
    public void postMessage(Object message) {
        try {
            end.post(message);
        } catch (NotSendableException e) {
            if (e.typeName().equals(MessagePort.class.getName())) { // the generic fix names a transfer list
                throw new NotSendableException(
                        e.path(),
                        MessagePort.class,
                        "a port cannot move to many receivers; fix: send it to one receiver through a MessagePort");
            }
            throw e;
        }
    }

    /**
     * Sets the handler of each message other channels of this name post from now on. Holding loop only.
     *
     * @param handler receives each message; what it throws goes to the loop's uncaught-exception handler
     * @throws IllegalStateException if not on the loop that opened this channel
     */
    public void onMessage(Consumer<Object> handler) {
        end.onMessage(Objects.requireNonNull(handler, "handler"));
    }

    /** Lets this channel keep a {@link Worker}'s loop running again (the default). Holding loop only. */
    public void ref() {
        end.keepAlive(true);
    }

    /** Lets a {@link Worker}'s loop end while this channel is open. Holding loop only. */
    public void unref() {
        end.keepAlive(false);
    }

    /** Leaves the group: nothing more is delivered to this channel. Idempotent. Any thread. */
    @Override
    public void close() {
        end.close();
    }

    /**
     * Returns whether this channel is closed.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return end.isClosed();
    }

    @Override
    public String toString() {
        return end.toString();
    }
}
