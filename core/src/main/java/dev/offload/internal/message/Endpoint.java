package dev.offload.internal.message;

import dev.offload.internal.base.PaddedCounter;
import dev.offload.internal.base.VarHandles;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.loop.Inlet;
import dev.offload.internal.loop.LoopBound;
import dev.offload.internal.loop.LoopCore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.SpscUnboundedVarHandleArrayQueue;

/**
 * One end of a message channel: the messages its peer posted to it, the event loop that holds it, and its handlers.
 * {@code MessagePort} is the public face of one.
 *
 * <p>Overview: an end belongs to one loop, the first that uses it (posts, receives, or sets a handler); that loop is
 * the only producer of the peer's queue and the only consumer of this end's, so each direction is a single-producer
 * single-consumer queue (JCTools, VarHandle based). Once it has a handler, the end is one of its loop's
 * {@link Inlet}s: the loop polls its queue on every turn and delivers a batch of messages. A post offers the prepared
 * message to the peer's queue and wakes the peer's loop only if that loop is parked; nothing else is written per
 * message on a line the other side reads.
 *
 * <p>Memory ordering: one flag and one fence per callback that posts. The sending end's {@code posting} flag (on its
 * own cache lines, written only by the sender's loop) says posts are under way. The first post of a callback through
 * this end sets it and passes a full fence; then each post reads what the receiving side announced ({@code closedIn},
 * the end's {@code asleep}, the receiving loop's park flag), offers the message (release stores), and rouses the end
 * or wakes the loop if its reads said to. The flag stays set until the callback returns: the loop clears it (release)
 * after the callback ({@code LoopCore.releasePosts}). The receiving side writes each announcement (volatile), then
 * reads {@code posting} before it looks at its queue. So for each announcement either a post reads it (every read of a
 * post comes after the fence, which came after the flag's store), or the receiver reads the flag set: then posts are
 * under way, and the receiver does not fire the close handler or sleep until the flag is clear, at which point their
 * messages are in its queue, and parks for a bounded time only ({@link #readiness()}). A callback that posts a stream
 * pays one fence, not one per message: in a stream, a post's fence waits for the store of the previous message's slot,
 * whose cache line the receiver is reading. The price is that a receiver with nothing to do wakes every millisecond
 * while a callback that posted to it still runs, and a post of that callback that raced its park waits that long.
 * Everything the poster did before {@code post} happens-before the handler that receives the message: the queue's
 * release store of the element pairs with the consumer's acquire load of it.
 *
 * <p>Close: {@code closedIn} says the direction into this end is closed; a post that reads it set gives up. The
 * receiving loop fires the close handler only when no post is under way and the queue is empty. So every post that
 * was not refused is delivered first: a message is delivered or its post throws, never lost. An end stays in its
 * loop's set of bound things ({@link LoopCore#bind}) until its close fired, or, with no handler, until it is closed
 * with nothing queued and no post under way: a port used only to post or to {@link #receive()} does not stay there
 * until the loop ends (one closed while its peer's callback was still posting stays until its next receive, or the
 * loop's end).
 *
 * <p>Ports in messages: a port a message carries belongs to the loop that receives the message, bound to it as the
 * message is delivered. A message that carries ports and is never delivered, because the loop that held its
 * end ended first (a worker terminated before it read its messages), is dropped with the ports it carries closed, as
 * Node closes them: their peers' close handlers run, and a loop that a peer's handler kept running can end.
 *
 * <p>Any thread for {@link #close()}; the holding loop's thread for everything else.
 */
public final class Endpoint implements LoopBound, Inlet {
    /** Messages one pass delivers before the loop runs what else waits. */
    static final int BATCH = 64;
    /**
     * Polls in a row that find nothing before an end stops being polled and waits to be roused by a post: a loop
     * that holds many quiet ports polls only the busy ones. About 10 to 50 µs of a spinning loop's turns (an empty turn
     * of a loop with no task out reads no clock), far longer than the gap between two messages of a stream or a
     * ping-pong.
     */
    static final int SLEEP_AFTER = 1024;

    private static final Object NULL = new Object(); // a null message in the queue, which holds no nulls
    private static final Object SKIP = new Object(); // what a control action in the queue hands to no handler
    // The ends a thread is discarding (discardInTransit): a chain of ports carried in each other's queues is closed
    // one end at a time, not by a recursion as deep as the chain.
    private static final ThreadLocal<ArrayDeque<Endpoint>> DISCARDING = ThreadLocal.withInitial(ArrayDeque::new);
    private static final VarHandle CLOSED_IN =
            VarHandles.field(MethodHandles.lookup(), Endpoint.class, "closedIn", boolean.class);
    private static final VarHandle ASLEEP =
            VarHandles.field(MethodHandles.lookup(), Endpoint.class, "asleep", boolean.class);
    private static final VarHandle HOLDER =
            VarHandles.field(MethodHandles.lookup(), Endpoint.class, "holder", LoopCore.class);

    private final SpscUnboundedVarHandleArrayQueue<Object> inbound = new SpscUnboundedVarHandleArrayQueue<>(128);
    private final String name;
    // 1 while this end's holder posts to the peer: written on every post by that loop alone, read by the peer's loop
    // only when it would fire the close, sleep or park; on its own cache lines, away from the fields posts read.
    final PaddedCounter posting = new PaddedCounter(); // package-private: a test reads it
    private Endpoint peer; // set once, before either end is published

    private volatile LoopCore holder; // the loop this end belongs to, once used
    private volatile boolean closedIn; // the direction into this end is closed
    // Not polled by its holder: a post (or close) that finds it set clears it and hands the holder a rouse through its
    // inbox. Set by the holder after SLEEP_AFTER empty polls, then the queue is re-checked (a Dekker pair with post).
    private volatile boolean asleep;

    // Holder's loop thread only.
    private Consumer<Object> onMessage;
    private Runnable onClose;
    private boolean closeFired;
    private boolean started; // a handler is set: the loop delivers
    private boolean polled; // one of its loop's inlets (started, not asleep, close not fired)
    // Polls in a row that found nothing. Holder's loop only, but on its own cache lines: a spinning loop counts on
    // every turn, and the fields above share a line that posts read (package-private: a stress test sets it).
    final PaddedCounter emptyPolls = new PaddedCounter();
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
            loop.bind(this); // the port closes when its loop ends
            if (closedIn) { // closed before or while it was bound: a Dekker pair with closeInbound's read of holder
                releaseClosed(loop);
            }
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
        LoopCore loop = bind(caller, "postMessage");
        Set<Object> moving = Sendables.transferList(transfer);
        if (isClosed()) { // checked again below, where it counts; here so that a closed port costs no clone
            throw closed();
        }
        if (!offer(loop, Sendables.prepare(message, "message", moving))) {
            throw closed();
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException(
                "port closed: postMessage on a closed channel (" + name + "); nothing was sent and no buffer moved");
    }

    /**
     * Holder's loop: offers a prepared message to the peer unless the direction is closed, then wakes the peer's loop
     * if it is parked.
     *
     * @param loop the holder, the calling thread's loop
     * @return {@code false} if the channel was closed: nothing was offered and no buffer moved
     */
    private boolean offer(LoopCore loop, Object prepared) {
        Endpoint to = peer;
        PaddedCounter flag = posting;
        // A flag, not a count: one loop posts into the peer at a time. Set by the callback's first post through this
        // end and held until the callback returns (the loop clears it), so the next posts find it set and skip this.
        if (flag.get() == 0) {
            flag.setOpaque(1);
            // The fence: the flag before every read below, in this post and in the callback's next ones. It pairs
            // with the receiver's writes of closedIn, its park flag and its asleep flag, each followed by a read of
            // this flag (see the class comment). Once per callback, not per post: in a stream, a post's fence waits
            // for the store of the previous message's slot, whose cache line the receiver is reading.
            VarHandle.fullFence();
            loop.holdPost(flag);
        }
        if (to.closedIn) {
            return false;
        }
        int wake = to.wakeNeeded();
        Object value = prepared;
        if (prepared instanceof Sendables.Moves moves) {
            moves.commit(); // the point of no return for the sender's buffers
            // A message that carries ports goes in an envelope, so that a drop closes them (discardQueued).
            value = moves.carriesHandles() ? new Carried(moves) : moves.value();
        }
        to.inbound.offer(value == null ? NULL : value);
        if (wake != WAKE_NONE) {
            to.wakeHolder(wake == WAKE_ASLEEP); // after the offer: the loop it wakes finds the message
        }
        return true;
    }

    private static final int WAKE_NONE = 0;
    private static final int WAKE_PARKED = 1;
    private static final int WAKE_ASLEEP = 2;

    /**
     * The posting thread, after it set its {@code posting} flag and passed a full fence, before it offers: whether the
     * post must rouse this end or wake its loop once the message is offered. A holder that binds this end after this
     * read, or an end that sleeps or a loop that parks after it, sees the poster's flag and waits for the message.
     */
    private int wakeNeeded() {
        LoopCore h = holder;
        if (h == null) {
            return WAKE_NONE; // in transit: the next holder polls it once it binds it
        }
        if (asleep) {
            return WAKE_ASLEEP;
        }
        return h.mayBeParked() ? WAKE_PARKED : WAKE_NONE;
    }

    /**
     * Any thread, after it published to this end (a message, a close) and passed a full fence: makes sure the holder
     * polls this end. An end asleep ({@code rouse}, as read after the fence) is roused through the holder's inbox
     * (which wakes a parked loop); an end polled needs only a parked loop woken. Null holder: in transit; the next
     * holder polls it once it binds it.
     */
    private void wakeHolder(boolean rouse) {
        LoopCore h = holder;
        if (h == null) {
            return;
        }
        if (rouse) {
            rouseFrom(h);
        } else {
            h.wakeIfParked();
        }
    }

    /** Any thread: rouses this end, asleep on loop {@code h}, unless another thread did. */
    private void rouseFrom(LoopCore h) {
        if (ASLEEP.compareAndSet(this, true, false)) {
            if (!h.offerItem(() -> rouse(h))) {
                close(); // the holder ended and runs nothing more: the channel closes (its end pass dropped the queue)
            }
        } else {
            h.wakeIfParked(); // roused meanwhile, by another thread or by the holder itself
        }
    }

    /**
     * Loop {@code loop}, from its inbox: an end that slept is polled again, unless it moved or closed meanwhile.
     *
     * @param loop the loop the rouse was handed to, which runs it
     */
    private void rouse(LoopCore loop) {
        if (holder == loop && started && !polled && !closeFired) {
            poll(loop);
        }
    }

    /** Holder's loop: this end becomes one of its inlets. */
    private void poll(LoopCore loop) {
        polled = true;
        emptyPolls.setOpaque(0);
        loop.addInlet(this);
    }

    /**
     * Holder's loop: queues {@code action} for the peer's loop, to run in order with this end's messages, as the
     * peer's handler would receive a message posted now (a worker's {@code online} and {@code error} events, which must
     * not overtake nor be overtaken by its messages). It runs where the peer's handler would receive a message: from
     * its loop's poll, or from {@code receive()}.
     *
     * @param action what the peer's loop runs
     * @return {@code false} if the caller is not this end's holder or the channel is closed: nothing was queued, and
     *     the caller must hand {@code action} over another way
     */
    public boolean postControl(Runnable action) {
        LoopCore h = holder;
        return h != null && h == LoopCore.current() && offer(h, new Control(action));
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
        asleep = false; // a post that finds it so leaves the delivery to the poll below
        if (!closeFired) {
            poll(holder); // from the loop's next turn: what was queued meanwhile is delivered then
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
        LoopCore loop = bind(caller, "receiveMessage");
        Object m;
        do {
            m = inbound.poll();
            if (m instanceof Envelope e) {
                m = e.open(loop);
            }
        } while (m == SKIP);
        if (m == null) {
            releaseClosed(loop); // a closed end read to its last message need not stay bound
            return NONE;
        }
        return m == NULL ? null : m;
    }

    /** What {@link #receive()} returns when no message is queued. */
    public static final Object NONE = new Object();

    /**
     * Holder's loop, before it parks: a message for the handler or a close to fire ({@link #WORK}), or posts under way
     * ({@link #POSTS_UNDER_WAY}): the sender is still inside a callback that posted here, its flag is set, and its
     * posts after the first pass no fence, so they may have read the park flag before this loop set it and not wake
     * it. The loop then parks for a bounded time only.
     */
    @Override
    public int readiness() {
        // The poster's flag first: once it reads 0, every message posted under it is in the queue (release and
        // acquire); a queue read first could miss a post that completed between the two reads.
        boolean posting = peerPosting();
        if (onMessage != null && !inbound.isEmpty()) {
            return WORK;
        }
        if (posting) {
            return POSTS_UNDER_WAY; // a close pending waits for the flag too: deliver() fires it once clear
        }
        return closedIn && !closeFired ? WORK : IDLE;
    }

    /**
     * Holder's loop: whether the peer's loop is inside a callback that posted to this end (its posting flag is set). A
     * flag held by a loop whose thread was abandoned does not count: that thread may never return from its callback to
     * clear it, and this end would wait for it for good (no close handler, a loop that cannot end). Read the flag
     * first: once it reads clear, every message posted under it is in the queue.
     */
    private boolean peerPosting() {
        if (peer.posting.get() == 0) {
            return false;
        }
        LoopCore sender = peer.holder;
        return sender == null || !sender.isAbandoned();
    }

    /** Holder's loop, on every turn: delivers a batch of messages, then the close handler once all is delivered. */
    @Override
    public int deliver() {
        LoopCore loop = holder;
        int n = 0;
        Consumer<Object> handler;
        // Re-read: a handler may replace itself, or transfer this end. After a transfer this loop reads null or the
        // new holder in holder (volatile), never itself, and stops before it reads what the new holder writes.
        while (n < BATCH && holder == loop && (handler = onMessage) != null) {
            Object m = inbound.poll();
            if (m == null) {
                break;
            }
            if (n++ == 0) {
                loop.inletWorkArrived();
            }
            try {
                Object message = m instanceof Envelope e ? e.open(loop) : m;
                if (message != SKIP) {
                    handler.accept(message == NULL ? null : message);
                }
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
            Thread.interrupted(); // an interrupt a handler left set stays behind
        }
        if (holder != loop || !polled) { // transferred, or closed by a handler's own transfer and re-bind
            return n;
        }
        if (closedIn && !closeFired) {
            // posting before the queue: a post that cleared it offered before, and its message is seen below
            if (!peerPosting() && (onMessage == null || inbound.isEmpty())) {
                loop.inletWorkArrived();
                fireClose(loop);
                n++;
            }
            return n; // a close pending keeps the end polled
        }
        if (n == 0) {
            long empty = emptyPolls.get() + 1;
            emptyPolls.setOpaque(empty);
            if (empty >= SLEEP_AFTER) {
                sleep(loop);
            }
        } else if (emptyPolls.get() != 0) {
            emptyPolls.setOpaque(0);
        }
        return n;
    }

    /**
     * Holder's loop: this end stops being polled until a post or a close rouses it. Announces it (volatile), then
     * re-checks the poster's flag, the queue and the close flag: a post under way, or one that ended before the
     * announcement, is seen here, and one that starts after it reads the announcement (its fence comes between its
     * flag and its read of {@code asleep}).
     */
    private void sleep(LoopCore loop) {
        asleep = true;
        if (peerPosting() || (onMessage != null && !inbound.isEmpty()) || closedIn) {
            if (ASLEEP.compareAndSet(this, true, false)) {
                emptyPolls.setOpaque(0); // work came meanwhile: stay polled
                return;
            } // else a poster cleared it and queued a rouse: sleep, and let the rouse bring the end back
        }
        polled = false;
        loop.removeInlet(this);
    }

    /**
     * Holder's loop: delivers what is queued for this end now, before an event handed over another way that must come
     * after it (a worker's error, sent through the parent's inbox once its port is closed).
     */
    public void deliverQueued() {
        LoopCore loop = holder;
        if (loop == null || loop != LoopCore.current() || !started) {
            return;
        }
        while (deliver() >= BATCH) {
            // a batch at a time, as the poll does; a shorter one emptied the queue, or the end moved
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

    /**
     * The receiving loop, as it delivers a message that carried this end: the end belongs to that loop from now on,
     * as in Node, and closes when it ends even if nothing there ever uses it.
     */
    public void receivedHere() {
        LoopCore loop = LoopCore.current();
        if (loop != null && holder == null) {
            bind(loop, "receive");
        }
    }

    private void fireClose(LoopCore loop) {
        closeFired = true;
        updateRef(loop);
        loop.unbind(this);
        if (polled) {
            polled = false;
            loop.removeInlet(this);
        }
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
        return closedIn;
    }

    private void closeInbound() {
        if (CLOSED_IN.compareAndSet(this, false, true)) { // volatile RMW: before the reads of the park and sleep flags
            wakeHolder(asleep); // its loop fires the close handler once all is delivered
            LoopCore h = holder; // after the RMW: a Dekker pair with bind's write of holder, then read of closedIn
            if (h != null) {
                if (h == LoopCore.current()) {
                    releaseClosed(h);
                } else {
                    h.offerItem(() -> releaseClosed(h)); // refused once h ended: its end pass took every bound end
                }
            }
        }
    }

    /**
     * Holder's loop: a closed end with no handler, nothing queued and no post under way (a port used only to post, or
     * with {@link #receive()}) leaves its loop's set of bound things. An end with a handler leaves it when its close
     * fires; one with messages left stays, so that the loop's end drops them and closes the ports they carry.
     */
    private void releaseClosed(LoopCore h) {
        if (holder == h && closedIn && !started && !peerPosting() && inbound.isEmpty()) {
            h.unbind(this);
        }
    }

    /**
     * The holding loop ended: the channel closes; what was queued for this end is not delivered, and the ports those
     * messages carry are closed.
     */
    @Override
    public void loopEnded() {
        close();
        discardQueued();
    }

    /**
     * Any thread, the only one that can reach this end: it was carried by a message that was dropped undelivered, so
     * nobody holds it, nor ever will. Closes its channel (its peer's close handler runs on the peer's loop) and drops
     * what was queued for it, closing the ports those messages carry in turn.
     */
    public void discardInTransit() {
        ArrayDeque<Endpoint> pending = DISCARDING.get();
        pending.add(this);
        if (pending.size() > 1) {
            return; // a call further up this thread's stack takes it
        }
        try {
            for (Endpoint end; (end = pending.peek()) != null; pending.poll()) {
                end.close();
                end.discardQueued(); // may add the ends its messages carry
            }
        } finally {
            pending.clear();
        }
    }

    /**
     * The queue's only consumer (the ended holder's loop, or the thread discarding an unreachable end): drops what is
     * queued, closing the ports the messages carry. The direction into this end is closed: a post that raced the close
     * and offered after this pass stays in the queue, undelivered, with the ports it carries open.
     */
    private void discardQueued() {
        Object m;
        while ((m = inbound.poll()) != null) {
            if (m instanceof Envelope e) {
                e.drop();
            }
        }
    }

    /**
     * The holding loop (or any thread, if no loop holds this end yet): this end was transferred inside a message and
     * now belongs to no loop until its receiver uses it. Its handlers are dropped; what is queued for it stays, for
     * the new holder, which polls it once it binds the end; the old loop polls it no more.
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
        onMessage = null; // a batch under way on this loop stops at the next message
        onClose = null;
        started = false;
        if (polled) {
            polled = false;
            h.removeInlet(this);
        }
        unrefd = false;
        updateRef(h);
        h.unbind(this);
        if (posting.get() != 0) {
            h.releasePost(posting); // the running callback posted through it: the next holder finds the flag clear
        }
        holder = null; // volatile write: the receiver binds it on first use, and polls what was queued meanwhile
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

    /** A queue element that is not a plain message: a control action, or a message that carries ports. */
    private abstract static sealed class Envelope permits Control, Carried {
        /**
         * Holder's loop, on delivery: what the handler (or {@link #receive()}) gets.
         *
         * @return the message ({@link #NULL} for null), or {@link #SKIP} for none
         */
        abstract Object open(LoopCore loop);

        /** The message is dropped undelivered. */
        void drop() {}
    }

    /** An action queued among the messages by {@link #postControl}; never handed to a message handler. */
    private static final class Control extends Envelope {
        private final Runnable action;

        Control(Runnable action) {
            this.action = action;
        }

        @Override
        Object open(LoopCore loop) {
            try {
                action.run();
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
            return SKIP;
        }
    }

    /** A message that carries ports: delivered as the message, dropped with its ports closed. */
    private static final class Carried extends Envelope {
        private final Sendables.Moves moves; // committed

        Carried(Sendables.Moves moves) {
            this.moves = moves;
        }

        @Override
        Object open(LoopCore loop) {
            moves.delivered(); // the ports it carries belong to this loop now, and close when it ends
            Object value = moves.value();
            return value == null ? NULL : value;
        }

        @Override
        void drop() {
            moves.discard();
        }
    }
}
