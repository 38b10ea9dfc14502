package dev.offload.internal.message;

import dev.offload.NotSendableException;
import dev.offload.internal.clone.Sendables;
import dev.offload.internal.loop.LoopBound;
import dev.offload.internal.loop.LoopCore;
import dev.offload.shm.TransferableBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One open {@code BroadcastChannel}: a member of the process-wide group of its name, held by the event loop that
 * opened it. {@code BroadcastChannel} is the public face of one.
 *
 * <p>Overview: the groups are a concurrent map from name to a copy-on-write list of open members. A post checks the
 * message once (nothing is delivered if it may not cross), then hands each other member of the group its own copy (a
 * mutable message is never shared between receivers) through the member's loop inbox, where it runs the member's
 * handler unless the member closed meanwhile. Messages from one sender reach each member in the order posted (each
 * loop's inbox is FIFO per producer); a member that joined after a post does not get it.
 *
 * <p>Memory consistency effects: actions before a post happen-before each receiver's handler gets the message (the
 * inbox's release and acquire).
 *
 * <p>The holding loop's thread for everything but {@link #close()}, which any thread may call.
 */
public final class BroadcastEnd implements LoopBound {
    private static final ConcurrentHashMap<String, List<BroadcastEnd>> GROUPS = new ConcurrentHashMap<>();

    private final String name;
    private final LoopCore holder;
    private volatile boolean closed;

    // Holding loop only.
    private Consumer<Object> onMessage;
    private boolean counted; // holds a reference on the loop (LoopCore#ref): open, with a handler
    private boolean unrefd;

    private BroadcastEnd(String name, LoopCore holder) {
        this.name = name;
        this.holder = holder;
    }

    /**
     * Opens a member of the group {@code name}, held by the calling loop.
     *
     * @param name the group's name
     * @return the member
     * @throws IllegalStateException if the caller is no event loop's thread
     */
    public static BroadcastEnd open(String name) {
        LoopCore loop = LoopCore.currentOrThrow("new BroadcastChannel", "a channel receives on the loop that opens it");
        BroadcastEnd end = new BroadcastEnd(name, loop);
        loop.bind(end); // closes when its loop ends
        GROUPS.compute(name, (k, members) -> {
            List<BroadcastEnd> list = members == null ? new CopyOnWriteArrayList<>() : members;
            list.add(end);
            return list;
        });
        return end;
    }

    private void checkHolder(String action) {
        if (LoopCore.current() != holder) {
            throw new IllegalStateException(action + " must be called on the event loop that opened this"
                    + " BroadcastChannel ('" + holder.name() + "'); thread="
                    + Thread.currentThread().getName());
        }
    }

    /**
     * Holding loop: sends {@code message} to every other open member of the group, each its own copy.
     *
     * @param message the message, checked and cloned by the isolation rules; buffers cannot be moved to many
     * @throws IllegalStateException if not on the holding loop, or this member is closed
     * @throws dev.offload.NotSendableException if the message may not cross; then no member gets it
     */
    public void post(Object message) {
        checkHolder("postMessage");
        if (closed) {
            throw new IllegalStateException(
                    "BroadcastChannel closed: postMessage on channel '" + name + "'; nothing was sent");
        }
        Object first = prepare(message); // checks it all before any delivery
        List<BroadcastEnd> members = GROUPS.get(name);
        if (members == null) {
            return;
        }
        boolean firstUsed = false;
        for (BroadcastEnd member : members) {
            if (member == this || member.closed) {
                continue;
            }
            Object copy = firstUsed ? prepare(message) : first;
            firstUsed = true;
            member.holder.offerItem(() -> member.deliver(copy)); // false: its loop ended, and it closes
        }
    }

    private static Object prepare(Object message) {
        try {
            return Sendables.prepare(message, "message", Set.of());
        } catch (NotSendableException e) {
            if (e.typeName().equals(TransferableBuffer.class.getName())) {
                throw new NotSendableException(
                        e.path(),
                        TransferableBuffer.class,
                        "a buffer cannot move to many receivers; fix: broadcast a SharedBuffer (shared) or a byte[]"
                                + " (copied), or send the buffer through a MessagePort");
            }
            throw e;
        }
    }

    private void deliver(Object message) {
        Consumer<Object> handler = onMessage;
        if (closed || handler == null) {
            return; // closed meanwhile, or nobody listens: dropped (see BroadcastChannel)
        }
        try {
            handler.accept(message);
        } catch (Throwable t) {
            holder.reportUncaught(t);
        }
        Thread.interrupted(); // an interrupt a handler left set stays behind
    }

    /**
     * Holding loop: sets the handler of each message posted afterwards by another member.
     *
     * @param handler receives each message; what it throws goes to the loop's uncaught-exception handler
     */
    public void onMessage(Consumer<Object> handler) {
        checkHolder("onMessage");
        onMessage = handler;
        updateRef();
    }

    /**
     * Holding loop: whether this member keeps its loop running while open with a handler (Node's {@code ref()}
     * and {@code unref()}); it does by default.
     *
     * @param keepAlive {@code false} to let the loop end while this member is open
     */
    public void keepAlive(boolean keepAlive) {
        checkHolder(keepAlive ? "ref" : "unref");
        unrefd = !keepAlive;
        updateRef();
    }

    private void updateRef() {
        boolean should = onMessage != null && !unrefd && !closed;
        if (should != counted) {
            counted = should;
            if (should) {
                holder.ref();
            } else {
                holder.unref();
            }
        }
    }

    /** Any thread: leaves the group; nothing more is delivered to this member, even what was posted before. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        GROUPS.computeIfPresent(name, (k, members) -> {
            members.remove(this);
            return members.isEmpty() ? null : members;
        });
        if (LoopCore.current() == holder) {
            release();
        } else {
            holder.offerItem(this::release); // false: the loop ended, and references no longer matter
        }
    }

    private void release() {
        updateRef();
        holder.unbind(this);
    }

    /** Whether this member is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** The group's name. */
    public String name() {
        return name;
    }

    @Override
    public void loopEnded() {
        close();
    }

    @Override
    public String toString() {
        return "BroadcastChannel[" + name + ", loop=" + holder.name() + (closed ? ", closed" : "") + "]";
    }
}
