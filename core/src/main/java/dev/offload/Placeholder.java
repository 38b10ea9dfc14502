package dev.offload;

/** Temporary. */
public final class Placeholder {
    private Placeholder() {}
}
