/**
 * Implementation of the shared-memory module: the wait table, the wait-timer thread, and the transfer steps that the
 * offload core uses to move buffers only once a send cannot fail. Not part of the API.
 */
package dev.offload.shm.internal;
