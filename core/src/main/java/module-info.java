/** Offload CPU-heavy tasks from an event loop to isolated worker threads; results come back on the loop. */
@SuppressWarnings("requires-automatic") // HdrHistogram ships no module descriptor nor Automatic-Module-Name.
module dev.offload {
    requires transitive dev.offload.shm;
    requires org.jctools.core.jdk11;
    requires HdrHistogram;

    exports dev.offload;
}
