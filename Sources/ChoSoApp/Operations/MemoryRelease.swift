#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory a large piece of work freed back to the system. glibc keeps freed heap
/// pages for reuse, so after a 100,000-row statement the process stayed ~130 MB larger than
/// before it for good; on a small server that is memory the database no longer has.
enum MemoryRelease {
    #if canImport(Glibc)
    /// glibc's `malloc_trim` (Swift's Glibc module leaves `malloc.h` out), looked up once; nil
    /// with another C library.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
    #endif

    static func returnFreed() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }
}
