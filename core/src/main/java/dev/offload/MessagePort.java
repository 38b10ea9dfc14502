package dev.offload;

import dev.offload.internal.base.VarHandles;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.message.Endpoint;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One end of a {@link MessageChannel}, as Node's {@code MessagePort}: {@link #postMessage} sends to the other end,
 * whose {@link #onMessage} handler receives each message on its own event loop, in the order posted.
 *
 * <p>Ownership: a port belongs to the event loop that first uses it (posts, receives, or sets a handler), and only
 * that loop's thread may use it afterwards; a call from another thread throws {@link IllegalStateException} naming
 * both. {@link #close()} is the exception: any thread. A port that arrives inside a message belongs to the loop that
 * received the message, as in Node, even if that loop never uses it: it closes when that loop ends.
 *
 * <p>Messages follow the isolation rules of {@link WorkerPool}'s inputs: immutable values cross by reference, arrays
 * and JDK collections are copied (cycles and shared sub-objects keep their shape), a {@code SharedBuffer} and its
 * views are shared, a {@code TransferableBuffer} moves (the sender's handle is detached) when the transfer list names
 * it, and anything else is refused with a {@link NotSendableException} naming its path. A post that throws changed
 * nothing: no message is sent, no buffer moves.
 *
 * <p>Close: {@link #close()} on either port closes the channel. Messages posted before the close are still delivered;
 * then each port runs its {@link #onClose} handler on its own loop, once. A post after the close throws. A port whose
 * loop ends closes its channel too, and messages still queued for it are not delivered (the loop that would run them
 * is gone), as in Node when a thread exits; a port inside such a message is closed with it, so that its peer's
 * {@link #onClose} handler runs. One window is left: a message posted in the instant its receiver's loop ends, after
 * that loop dropped its queue, stays queued where nobody reads it, with the ports it carries open.
 *
 * <p>Node's {@code 'messageerror'} has no counterpart, by design: a message is checked and copied whole on the
 * sender's thread, inside {@link #postMessage}, so every message that cannot cross fails there, with the sender
 * (a {@link NotSendableException} naming its path, or an {@link IllegalArgumentException} for a bad transfer
 * list), and a message that was accepted reaches the receiver complete. There is no step on the receiving side
 * that could fail, hence no event to report one.
 *
 * <p>Cost of a post: the posts of one callback through one port share a single store-load fence (the first pays
 * it), so a callback that posts a stream of messages costs about what a bare single-producer single-consumer queue
 * costs per message. The price: until that callback returns, a receiving loop with nothing to do parks for at most
 * 1 ms at a time, not for good (a later post of the same callback, which passes no fence, may miss its park). Such a
 * post still wakes it at once unless it raced the park, and then waits that 1 ms at most; a close of the port is seen
 * at most 1 ms after the callback returns. A worker that posts progress and computes on for seconds in one callback
 * costs its parent's loop a wake-up every millisecond meanwhile (a few percent of a core), not a spinning core.
 *
 * <p>Memory consistency effects: actions in the posting thread prior to {@link #postMessage} <i>happen-before</i> the
 * receiving port's handler (or {@link #receiveMessage()}) gets that message; actions of every handler for messages of
 * a port <i>happen-before</i> its {@link #onClose} handler.
 */
public final class MessagePort implements AutoCloseable {
    private static final VarHandle DETACHED =
            VarHandles.field(MethodHandles.lookup(), MessagePort.class, "detached", boolean.class);

    static {
        Sendables.registerTransfer(MessagePort.class, new Sendables.TransferHandler() {
            @Override
            public Object handOver(Object source) {
                MessagePort port = (MessagePort) source;
                port.endpoint.checkTransferable();
                return new MessagePort(port.endpoint);
            }

            @Override
            public boolean detach(Object source) {
                MessagePort port = (MessagePort) source;
                if (!DETACHED.compareAndSet(port, false, true)) {
                    return false;
                }
                port.endpoint.transferOut();
                return true;
            }

            @Override
            public void reattach(Object source) {
                ((MessagePort) source).detached = false;
            }

            @Override
            public boolean isDetached(Object source) {
                return ((MessagePort) source).detached;
            }

            @Override
            public void delivered(Object source) {
                ((MessagePort) source).endpoint.receivedHere();
            }

            @Override
            public void discard(Object source) {
                ((MessagePort) source).endpoint.discardInTransit();
            }
        });
    }

    private final Endpoint endpoint;
    private volatile boolean detached; // transferred inside a message: this handle is dead

    MessagePort(Endpoint end) {
        this.endpoint = end;
    }

    /** This handle's end, unless it was transferred. */
    Endpoint end() {
        if (detached) {
            throw new IllegalStateException("port transferred (detached): " + endpoint.name()
                    + " was sent inside a message; use the handle its receiver got");
        }
        return endpoint;
    }

    /**
     * Posts {@code message} to the other port. Holding loop only.
     *
     * @param message the message (checked and cloned as described above), may be null
     * @param transfer the {@code TransferableBuffer}s in {@code message} to move, each once
     * @throws IllegalStateException if the calling thread is not the loop that holds this port, or the channel is
     *     closed; then nothing was sent and no buffer moved
     * @throws IllegalArgumentException if {@code transfer} names something that is not a buffer in {@code message},
     *     a detached buffer, or a buffer twice
     * @throws NotSendableException if {@code message} holds something that may not cross, or a buffer that
     *     {@code transfer} does not name
     */
    public void postMessage(Object message, Object... transfer) {
        Endpoint end = end();
        for (Object t : transfer) {
            if (t instanceof MessagePort port && (port.endpoint == end || port.endpoint == end.peer())) {
                throw new IllegalArgumentException("the transfer list holds "
                        + (port.endpoint == end
                                ? "the port that posts (a port cannot send itself)"
                                : "the port this message goes to (a port cannot travel through itself)")
                        + ": " + port + "; fix: send another channel's port");
            }
        }
        end.post(message, transfer);
    }

    /**
     * Sets the handler that receives each message posted to this port, on this loop, in order; messages queued before
     * it was set are delivered first. Replaces the handler set before. Holding loop only (the first call on a port
     * makes the calling loop its holder).
     *
     * @param handler receives each message; what it throws goes to the loop's uncaught-exception handler, and the
     *     next message is still delivered
     * @throws IllegalStateException if the calling thread is not the loop that holds this port, or is no loop's
     */
    public void onMessage(Consumer<Object> handler) {
        end().onMessage(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Sets what runs, once, on this loop when the channel has closed and every message posted to this port before the
     * close was delivered. Holding loop only.
     *
     * @param handler what to run
     * @throws IllegalStateException if the calling thread is not the loop that holds this port, or is no loop's
     */
    public void onClose(Runnable handler) {
        end().onClose(Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Takes the next message posted to this port without waiting, as Node's {@code receiveMessageOnPort}: the message
     * is then not delivered to the {@link #onMessage} handler. Holding loop only.
     *
     * @return the message, or empty if none is queued
     * @throws IllegalStateException if the calling thread is not the loop that holds this port, or is no loop's
     */
    public Optional<Received> receiveMessage() {
        Object m = end().receive();
        return m == Endpoint.NONE ? Optional.empty() : Optional.of(new Received(m));
    }

    /**
     * Lets this port keep its loop running again, as Node's {@code port.ref()}: the default. Only a loop that ends by
     * itself when nothing refers to it, a {@link Worker}'s, heeds it. Holding loop only.
     *
     * @throws IllegalStateException if the calling thread is not the loop that holds this port, or is no loop's
     */
    public void ref() {
        end().keepAlive(true);
    }

    /**
     * Lets a {@link Worker}'s loop end while this port is open, as Node's {@code port.unref()}: an open port with a
     * message handler otherwise keeps it running. Holding loop only.
     *
     * @throws IllegalStateException if the calling thread is not the loop that holds this port, or is no loop's
     */
    public void unref() {
        end().keepAlive(false);
    }

    /**
     * Closes the channel: both ports. Idempotent. Any thread. On a handle whose port was transferred inside a message
     * it does nothing, as in Node: the port is its receiver's now, and only the receiver's handle closes it.
     */
    @Override
    public void close() {
        if (!detached) {
            endpoint.close();
        }
    }

    /**
     * Returns whether the channel is closed (by either port, or because a holding loop ended).
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return endpoint.isClosed();
    }

    @Override
    public String toString() {
        return detached ? "MessagePort[" + endpoint.name() + ", transferred]" : endpoint.toString();
    }

    /**
     * A message {@link #receiveMessage()} took, as Node's {@code { message }}.
     *
     * @param message the message, which may be null
     */
    public record Received(Object message) {}
}
