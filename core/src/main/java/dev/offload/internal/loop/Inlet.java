package dev.offload.internal.loop;

/**
 * A source of work that an event loop polls on every turn besides its inbox: a message port's inbound queue. Polling
 * it directly, rather than being handed a delivery item through the inbox, keeps a message's hand-off to one
 * single-producer single-consumer queue: the sender offers, then wakes the loop only if it is parked.
 *
 * <p>Wake-up protocol: a producer publishes to the inlet, passes a full fence, then calls
 * {@link LoopCore#wakeIfParked()}; the loop announces that it parks (a volatile store), then asks every inlet
 * {@link #ready()} before it parks. At least one of them sees the other, so no message waits for a parked loop.
 *
 * <p>Added and removed on the loop thread ({@link LoopCore#addInlet}, {@link LoopCore#removeInlet}); both methods run
 * on it.
 */
public interface Inlet {
    /**
     * Loop thread, before it parks: whether {@link #deliver()} would run anything. Reads what producers write with
     * volatile semantics.
     *
     * @return {@code true} if work is waiting
     */
    boolean ready();

    /**
     * Loop thread: runs a batch of what waits (bounded, so that one busy inlet cannot starve the loop's inbox).
     *
     * @return how many callbacks ran, 0 if none
     */
    int deliver();
}
