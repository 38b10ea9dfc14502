package dev.offload.internal.loop;

/**
 * A source of work that an event loop polls on every turn besides its inbox: a message port's inbound queue. Polling
 * it directly, rather than being handed a delivery item through the inbox, keeps a message's hand-off to one
 * single-producer single-consumer queue: the sender offers, then wakes the loop only if it is parked.
 *
 * <p>Wake-up protocol: a producer publishes to the inlet, passes a full fence, then calls
 * {@link LoopCore#wakeIfParked()}; the loop announces that it parks (a volatile store), then asks every inlet for its
 * {@link #readiness()} before it parks. At least one of them sees the other, so no message waits for a parked loop
 * (see {@link #POSTS_UNDER_WAY} for the bounded exception).
 *
 * <p>Added and removed on the loop thread ({@link LoopCore#addInlet}, {@link LoopCore#removeInlet}); both methods run
 * on it.
 */
public interface Inlet {
    /** {@link #readiness()}: nothing to do, and no producer inside a callback that posted to this inlet. */
    int IDLE = 0;
    /** {@link #readiness()}: {@link #deliver()} would run something. */
    int WORK = 1;
    /**
     * {@link #readiness()}: nothing to run yet, but a producer is still inside a callback that posted to this inlet
     * (the message may be on its way, and that producer's later posts may not wake a parked loop); the loop may park
     * only for a bounded time, and looks again.
     */
    int POSTS_UNDER_WAY = 2;

    /**
     * Loop thread, before it parks: what {@link #deliver()} would find. Reads what producers write with volatile
     * semantics.
     *
     * @return {@link #IDLE}, {@link #WORK} or {@link #POSTS_UNDER_WAY}
     */
    int readiness();

    /**
     * Loop thread: runs a batch of what waits (bounded, so that one busy inlet cannot starve the loop's inbox).
     *
     * @return how many callbacks ran, 0 if none
     */
    int deliver();
}
