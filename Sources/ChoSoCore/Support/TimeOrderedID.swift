import Foundation

/// UUIDs that sort by the moment they were made (RFC 9562 version 7: 48 bits of Unix
/// milliseconds, then 74 random bits).
///
/// Why: a random UUID as a primary key sends every insert to a different leaf of the key's
/// B-tree, so each grouped commit of the intake rewrote one index page per row (SQLite writes
/// whole pages to its WAL and later checkpoints them back; PostgreSQL dirties as many buffers).
/// Ids made in time order land together at the right edge of the index. They are still
/// unguessable enough for what they name (74 random bits), and they reveal only when the row was
/// stored, which every screen showing a transfer already says.
public enum TimeOrderedID {
    public static func make(at date: Date = Date()) -> UUID {
        var generator = SystemRandomNumberGenerator()
        return make(at: date, using: &generator)
    }

    public static func make(at date: Date, using generator: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(max(0, (date.timeIntervalSince1970 * 1_000).rounded(.down))) & 0xFFFF_FFFF_FFFF
        let random = (generator.next() as UInt64, generator.next() as UInt64)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        for index in 6..<16 { bytes[index] = UInt8(truncatingIfNeeded: (index < 14 ? random.0 : random.1) >> (8 * (index % 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
