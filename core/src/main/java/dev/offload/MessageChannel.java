package dev.offload;

import dev.offload.internal.message.Endpoint;

/**
 * Two entangled {@link MessagePort}s, as Node's {@code new MessageChannel()}: what is posted on one is received on the
 * other, in order, on the event loop that holds the receiving port.
 *
 * <pre>{@code
 * MessageChannel channel = new MessageChannel();
 * loopB.execute(() -> channel.port2().onMessage(m -> System.out.println("B got " + m)));
 * loopA.execute(() -> channel.port1().postMessage("hello"));
 * }</pre>
 *
 * <p>Each port belongs to the event loop that first uses it (posts, receives, or sets a handler); that loop's thread
 * is then the only one that may use it, so each direction is a single-producer single-consumer hand-off with no lock
 * and no shared queue. Closing either port closes the channel.
 *
 * <p>Threading: the constructor and the accessors, any thread.
 */
public final class MessageChannel {
    private final MessagePort port1;
    private final MessagePort port2;

    /** Creates a channel of two entangled ports, held by no loop yet. */
    public MessageChannel() {
        Endpoint[] ends = Endpoint.pair();
        this.port1 = new MessagePort(ends[0]);
        this.port2 = new MessagePort(ends[1]);
    }

    /**
     * Returns the first port.
     *
     * @return {@code port1}
     */
    public MessagePort port1() {
        return port1;
    }

    /**
     * Returns the second port.
     *
     * @return {@code port2}
     */
    public MessagePort port2() {
        return port2;
    }

    @Override
    public String toString() {
        return "MessageChannel[" + port1 + ", " + port2 + "]";
    }
}
