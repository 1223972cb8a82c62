#if canImport(Glibc)
import Glibc
#endif

/// Keeps the memory a large piece of work used from staying with the process afterwards.
///
/// glibc serves a block of more than 128 KiB from its own mapping and gives it back when freed,
/// but it then raises that threshold to the size of the block freed, so the next large buffers
/// (a statement's sheet, its strings, the rows) come from the heap, whose pages stay resident
/// among small live objects: after a 100,000-row statement the process kept ~40 MB more than
/// before it, and the next import started from there (peak 164 MB). With the threshold fixed
/// the same import peaks at ~125 MB and ends where it began.
enum MemoryRelease {
    #if canImport(Glibc)
    // `malloc.h` is not in Swift's Glibc module: the two functions are looked up by name (nil
    // with another C library, where nothing is done).
    private static func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
    private static let mallopt = symbol("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)
    private static let mallocTrim = symbol("malloc_trim", as: (@convention(c) (Int) -> Int32).self)
    /// `M_MMAP_THRESHOLD` in malloc.h.
    private static let mmapThresholdOption: Int32 = -3
    #endif

    /// Blocks from 256 KiB up get their own mapping, always (set once, at start).
    static let keepLargeBlocksOutOfTheHeap: Void = {
        #if canImport(Glibc)
        _ = mallopt?(mmapThresholdOption, 256 << 10)
        #endif
    }()

    /// Hands free heap pages back to the system (after a large import).
    static func returnFreed() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }
}
