package dev.offload.internal;

/**
 * A completion that a worker hands to the event loop that submitted the task. The loop counts those it still expects,
 * so that a graceful close waits for them.
 *
 * <p>Runs on the owner loop's thread only.
 */
public interface LoopCompletion extends Runnable {}
