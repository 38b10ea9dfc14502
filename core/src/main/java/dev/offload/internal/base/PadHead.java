package dev.offload.internal.base;

/**
 * Padding in front of the fields of a long-lived object that one thread writes on every task while others read or
 * write objects near it. HotSpot lays out superclass fields first, so a subclass's fields start 128 bytes after the
 * object header; the subclass declares 32 {@code Object} padding fields after its own reference fields (HotSpot lays
 * out references after primitives, in declaration order), so no other object shares a cache line, or an adjacent-line
 * prefetch pair, with its fields.
 *
 * <p>Which objects: see the users of this class; each is written on the hot path by its owner thread or read there
 * by others. Which objects end up next to each other depends on allocation order and on where the garbage collector
 * copies them, so without padding the cost changes from run to run.
 */
public abstract class PadHead {
    @SuppressWarnings("unused")
    private byte h000, h001, h002, h003, h004, h005, h006, h007, h008, h009, h010, h011, h012, h013, h014, h015;
    @SuppressWarnings("unused")
    private byte h016, h017, h018, h019, h020, h021, h022, h023, h024, h025, h026, h027, h028, h029, h030, h031;
    @SuppressWarnings("unused")
    private byte h032, h033, h034, h035, h036, h037, h038, h039, h040, h041, h042, h043, h044, h045, h046, h047;
    @SuppressWarnings("unused")
    private byte h048, h049, h050, h051, h052, h053, h054, h055, h056, h057, h058, h059, h060, h061, h062, h063;
    @SuppressWarnings("unused")
    private byte h064, h065, h066, h067, h068, h069, h070, h071, h072, h073, h074, h075, h076, h077, h078, h079;
    @SuppressWarnings("unused")
    private byte h080, h081, h082, h083, h084, h085, h086, h087, h088, h089, h090, h091, h092, h093, h094, h095;
    @SuppressWarnings("unused")
    private byte h096, h097, h098, h099, h100, h101, h102, h103, h104, h105, h106, h107, h108, h109, h110, h111;
    @SuppressWarnings("unused")
    private byte h112, h113, h114, h115, h116, h117, h118, h119, h120, h121, h122, h123, h124, h125, h126, h127;

    /** For subclasses. */
    protected PadHead() {}
}
