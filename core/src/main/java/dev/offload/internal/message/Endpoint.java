package dev.offload.internal.message;

import dev.offload.internal.base.VarHandles;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.loop.LoopBound;
import dev.offload.internal.loop.LoopCore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.SpscUnboundedVarHandleArrayQueue;

/**
 * One end of a message channel: the messages its peer posted to it, the event loop that holds it, and its handlers.
 * {@code MessagePort} is the public face of one.
 *
 * <p>Overview: an end belongs to one loop, the first that uses it (posts, receives, or sets a handler); that loop is
 * the only producer of the peer's queue and the only consumer of this end's, so each direction is a single-producer
 * single-consumer queue (JCTools, VarHandle based) and nothing else is shared per message. A post offers the prepared
 * message to the peer's queue and then schedules the peer on the peer's loop unless it is scheduled already; the
 * loop runs the peer ({@code Delivery.run()}), which delivers a batch of messages, clears {@code scheduled}, and re-checks its
 * queue, so a message offered meanwhile is never left behind.
 *
 * <p>Memory ordering: the poster offers (release stores), passes a full fence, then reads {@code scheduled}; the
 * consumer writes {@code scheduled = false} (volatile), then reads the queue's producer index (volatile). So either
 * the poster sees {@code false} and schedules the peer, or the consumer sees the message. Everything the poster did
 * before {@code post} happens-before the handler that receives the message: the queue's release store of the element
 * pairs with the consumer's acquire load of it.
 *
 * <p>Close: {@code ctl} counts the posts under way into this end (in steps of {@link #POSTER}) and holds the
 * {@link #CLOSED} bit. A post adds itself (volatile read-modify-write) and gives up if the bit is set; a close sets
 * the bit. The end fires its close handler once {@code ctl == CLOSED} (closed, no post under way) and its queue is
 * empty, so every post that was not refused is delivered first: a message is delivered or its post throws, never
 * lost. Whoever leaves {@code ctl} at {@code CLOSED} (the close, or the last post under way) schedules the end.
 *
 * <p>Any thread for {@link #close()}; the holding loop's thread for everything else.
 */
public final class Endpoint implements LoopBound {
    /** {@link #ctl}: the direction into this end is closed. */
    static final int CLOSED = 1;
    /** {@link #ctl}: one post under way. */
    static final int POSTER = 2;
    /** Messages one pass delivers before the loop runs what else waits. */
    static final int BATCH = 64;

    private static final Object NULL = new Object(); // a null message in the queue, which holds no nulls
    private static final VarHandle CTL = VarHandles.field(MethodHandles.lookup(), Endpoint.class, "ctl", int.class);
    private static final VarHandle SCHEDULED =
            VarHandles.field(MethodHandles.lookup(), Endpoint.class, "scheduled", boolean.class);
    private static final VarHandle HOLDER =
            VarHandles.field(MethodHandles.lookup(), Endpoint.class, "holder", LoopCore.class);

    private final SpscUnboundedVarHandleArrayQueue<Object> inbound = new SpscUnboundedVarHandleArrayQueue<>(128);
    private final String name;
    private Endpoint peer; // set once, before either end is published

    private volatile LoopCore holder; // the loop this end belongs to, once used
    private volatile Delivery delivery; // what the holder's loop runs to deliver; a new one for each holder
    private volatile int ctl; // posts under way into this end, times POSTER, | CLOSED
    private volatile boolean scheduled = true; // a delivery pass is queued on the holder, or none may run yet

    // Holder's loop thread only.
    private Consumer<Object> onMessage;
    private Runnable onClose;
    private boolean closeFired;
    private boolean started; // a handler is set: the loop delivers
    private boolean counted; // holds a reference on the holder (see LoopCore#ref): open, with a message handler
    private boolean unrefd; // the holder asked that this end not keep its loop running

    private Endpoint(String name) {
        this.name = name;
    }

    /**
     * Makes two entangled ends.
     *
     * @return the two ends, each the other's peer
     */
    public static Endpoint[] pair() {
        Endpoint a = new Endpoint("port1");
        Endpoint b = new Endpoint("port2");
        a.peer = b;
        b.peer = a;
        return new Endpoint[] {a, b};
    }

    /**
     * Holder's loop: checks that the calling loop is the one this end belongs to, binding the end to it on first use.
     *
     * @param loop the calling thread's loop ({@link LoopCore#current()}), or {@code null}
     * @param action the method called, for the message
     * @return the holding loop
     * @throws IllegalStateException if the caller is no event loop's thread, or another loop holds this end
     */
    LoopCore bind(LoopCore loop, String action) {
        if (loop == null) {
            throw LoopCore.notOnLoop(
                    action, "a port belongs to the loop that first uses it, which receives its messages");
        }
        LoopCore h = holder;
        if (h == loop) {
            return loop;
        }
        if (h == null && HOLDER.compareAndSet(this, null, loop)) {
            delivery = new Delivery(loop); // before start() lets posts schedule it
            loop.bind(this); // the port closes when its loop ends
            return loop;
        }
        throw new IllegalStateException(action + " called on event loop '" + loop.name() + "', but this port belongs to"
                + " event loop '" + holder.name() + "', the first that used it; fix: use a port only on its own loop");
    }

    /**
     * Holder's loop: checks and clones {@code message} by the isolation rules and posts it to the peer; moves the
     * buffers {@code transfer} names only once the post can no longer be refused. A post that throws changed nothing.
     *
     * @param message the message, may be null
     * @param transfer the buffers to move (each must be in the message, once)
     * @throws IllegalStateException if the caller is not the holding loop, or the channel is closed
     * @throws IllegalArgumentException if the transfer list is not what the message moves
     * @throws dev.offload.NotSendableException if the message may not cross
     */
    public void post(Object message, Object[] transfer) {
        post(LoopCore.current(), message, transfer);
    }

    /** {@link #post(Object, Object[])} with the calling loop given (a stress test stands in for a loop thread). */
    void post(LoopCore caller, Object message, Object[] transfer) {
        bind(caller, "postMessage");
        Set<Object> moving = Sendables.transferList(transfer);
        if (isClosed()) { // checked again below, where it counts; here so that a closed port costs no clone
            throw closed();
        }
        post(Sendables.prepare(message, "message", moving));
    }

    private IllegalStateException closed() {
        return new IllegalStateException(
                "port closed: postMessage on a closed channel (" + name + "); nothing was sent and no buffer moved");
    }

    private void post(Object prepared) {
        Endpoint to = peer;
        int c = (int) CTL.getAndAdd(to, POSTER); // volatile RMW before the CLOSED check: pairs with close()
        try {
            if ((c & CLOSED) != 0) {
                throw closed();
            }
            Object value = prepared;
            if (prepared instanceof Sendables.Moves moves) {
                moves.commit(); // the point of no return for the sender's buffers
                value = moves.value();
            }
            to.inbound.offer(value == null ? NULL : value);
        } finally {
            CTL.getAndAdd(to, -POSTER);
            // The offer before the read of scheduled: pairs with run()'s volatile write. A refused post schedules too:
            // a pass that saw it under way after the close left the close handler to whoever leaves ctl at CLOSED.
            VarHandle.fullFence();
            to.schedule();
        }
    }

    /** Any thread: queues a delivery pass on the holding loop unless one is queued or none may run. */
    private void schedule() {
        if (!scheduled && SCHEDULED.compareAndSet(this, false, true)) {
            Delivery d = delivery; // set before scheduled was first cleared (start); null: in transit to a new holder
            if (d != null && !d.loop.offerItem(d)) {
                loopEnded(); // the holder ended and runs nothing more: the channel closes
            }
        }
    }

    /**
     * Holder's loop: delivers each message to {@code handler}, from now on and those already queued, in order.
     *
     * @param handler receives each message; what it throws goes to the loop's uncaught-exception handler
     */
    public void onMessage(Consumer<Object> handler) {
        onMessage(LoopCore.current(), handler);
    }

    void onMessage(LoopCore caller, Consumer<Object> handler) {
        LoopCore loop = bind(caller, "onMessage");
        onMessage = handler;
        updateRef(loop);
        start();
    }

    /**
     * Holder's loop: runs {@code handler} once the channel is closed and every message posted to this end before the
     * close was delivered (or, with no message handler, queued for {@link #receive()}).
     *
     * @param handler what to run
     */
    public void onClose(Runnable handler) {
        onClose(LoopCore.current(), handler);
    }

    void onClose(LoopCore caller, Runnable handler) {
        bind(caller, "onClose");
        onClose = handler;
        start();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        scheduled = false; // volatile write, then the re-check: a post that saw scheduled == true left it to us
        if (hasWork()) {
            schedule();
        }
    }

    /**
     * Holder's loop: takes the next message without waiting, as Node's {@code receiveMessageOnPort}.
     *
     * @return the message, {@link #NONE} if none is queued
     */
    public Object receive() {
        return receive(LoopCore.current());
    }

    Object receive(LoopCore caller) {
        bind(caller, "receiveMessage");
        Object m = inbound.poll();
        return m == null ? NONE : m == NULL ? null : m;
    }

    /** What {@link #receive()} returns when no message is queued. */
    public static final Object NONE = new Object();

    private boolean hasWork() {
        return (onMessage != null && !inbound.isEmpty()) || (ctl == CLOSED && !closeFired);
    }

    /** The holding loop runs this: a pass of deliveries, then the close handler once all is delivered. */
    private void deliverPass(Delivery d) {
        LoopCore loop = d.loop;
        Consumer<Object> handler = onMessage;
        if (handler != null) {
            for (int n = 0; n < BATCH; n++) {
                Object m = inbound.poll();
                if (m == null) {
                    break;
                }
                try {
                    handler.accept(m == NULL ? null : m);
                } catch (Throwable t) {
                    loop.reportUncaught(t);
                }
                Thread.interrupted(); // an interrupt a handler left set stays behind
                if (n == BATCH - 1 && !inbound.isEmpty()) {
                    loop.offerItem(d); // still scheduled: the rest after what else waits
                    return;
                }
            }
        }
        if (ctl == CLOSED && !closeFired && (handler == null || inbound.isEmpty())) {
            fireClose(loop);
        }
        scheduled = false; // volatile write, then the re-check: pairs with post()'s fence
        if (hasWork()) {
            schedule();
        }
    }

    /**
     * Holder's loop: whether this end keeps its loop running while it is open and has a message handler (Node's
     * {@code port.ref()} and {@code port.unref()}); it does by default.
     *
     * @param keepAlive {@code false} to let the loop end while this end is open
     */
    public void keepAlive(boolean keepAlive) {
        LoopCore loop = bind(LoopCore.current(), keepAlive ? "ref" : "unref");
        unrefd = !keepAlive;
        updateRef(loop);
    }

    private void updateRef(LoopCore loop) {
        boolean should = onMessage != null && !unrefd && !closeFired;
        if (should != counted) {
            counted = should;
            if (should) {
                loop.ref();
            } else {
                loop.unref();
            }
        }
    }

    /**
     * Holder's loop: binds this end to the calling loop now, so that it closes when that loop ends even if nothing
     * on the loop ever uses it (a worker's end of its parent port).
     */
    public void hold() {
        bind(LoopCore.current(), "hold");
    }

    private void fireClose(LoopCore loop) {
        closeFired = true;
        updateRef(loop);
        loop.unbind(this);
        Runnable handler = onClose;
        if (handler != null) {
            try {
                handler.run();
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
            Thread.interrupted();
        }
    }

    /**
     * Any thread: closes the channel, both directions. Messages posted before are still delivered, then each end
     * runs its close handler on its own loop. Idempotent.
     */
    public void close() {
        closeInbound();
        peer.closeInbound();
    }

    /** Whether the channel is closed (by either end, or because a holding loop ended). */
    public boolean isClosed() {
        return (ctl & CLOSED) != 0;
    }

    private void closeInbound() {
        int c = (int) CTL.getAndBitwiseOr(this, CLOSED); // volatile RMW: pairs with post()'s
        if ((c & CLOSED) == 0 && holder != null) {
            schedule(); // a post under way schedules again when it leaves: run() re-checks ctl
        }
    }

    /** The holding loop ended: the channel closes; what was queued for this end is not delivered. */
    @Override
    public void loopEnded() {
        close();
    }

    /**
     * The holding loop (or any thread, if no loop holds this end yet): this end was transferred inside a message and
     * now belongs to no loop until its receiver uses it. Its handlers are dropped; what is queued for it stays, for
     * the new holder; a delivery pass still queued on the old loop finds it gone and does nothing.
     *
     * @throws IllegalStateException if another loop holds this end
     */
    public void transferOut() {
        transferOut(LoopCore.current());
    }

    /** {@link #transferOut()} with the calling loop given (a stress test stands in for a loop thread). */
    void transferOut(LoopCore caller) {
        LoopCore h = holder;
        if (h == null) {
            return;
        }
        checkTransferable(caller);
        scheduled = true; // volatile: posts leave the delivery to the next holder's start()
        onMessage = null;
        onClose = null;
        started = false;
        unrefd = false;
        updateRef(h);
        h.unbind(this);
        Delivery d = delivery;
        d.dead = true; // a pass still queued on this loop does nothing (it runs on this thread)
        delivery = null;
        holder = null; // volatile write: the receiver binds it on first use
    }

    /**
     * Checks that the calling thread may transfer this end: it is its holder, or no loop holds it.
     *
     * @throws IllegalStateException if another loop holds it
     */
    public void checkTransferable() {
        checkTransferable(LoopCore.current());
    }

    private void checkTransferable(LoopCore caller) {
        LoopCore h = holder;
        if (h != null && h != caller) {
            throw new IllegalStateException("a port can be transferred only by the loop that holds it ('" + h.name()
                    + "'); thread=" + Thread.currentThread().getName());
        }
    }

    /**
     * Returns the other end of the channel.
     *
     * @return the peer
     */
    public Endpoint peer() {
        return peer;
    }

    /** The end's name, {@code port1} or {@code port2}, for messages. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        LoopCore h = holder;
        return "MessagePort[" + name + (h == null ? "" : ", loop=" + h.name()) + (isClosed() ? ", closed" : "") + "]";
    }

    /**
     * A pass of deliveries on one holder's loop. A transfer kills it, so that a pass still queued on the old loop
     * does nothing: the end's new holder gets a new one.
     */
    private final class Delivery implements Runnable {
        final LoopCore loop;
        boolean dead; // written and read on the holder's loop thread

        Delivery(LoopCore loop) {
            this.loop = loop;
        }

        @Override
        public void run() {
            if (!dead) {
                deliverPass(this);
            }
        }
    }
}
