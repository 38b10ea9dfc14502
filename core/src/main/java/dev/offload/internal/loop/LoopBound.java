package dev.offload.internal.loop;

/**
 * Something that lives on one event loop and must hear when that loop ends, such as a message port, whose channel
 * closes then: a loop that ended receives nothing more. Bound and unbound on the loop thread
 * ({@link LoopCore#bind}, {@link LoopCore#unbind}).
 */
public interface LoopBound {
    /** Loop thread, once, after the loop ran its last item: nothing more runs on this loop. */
    void loopEnded();
}
