/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), the checksum of
/// EMV QR tag 63. `CRC16.checksum("123456789".utf8) == 0x29B1`.
public enum CRC16 {
    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes {
            crc = (crc << 8) ^ table[Int((crc >> 8) ^ UInt16(byte))]
        }
        return crc
    }

    /// The four upper-case hex digits written after `6304`, over the UTF-8 bytes of `text`.
    public static func hex(_ text: String) -> String {
        let value = checksum(text.utf8)
        let digits = Array("0123456789ABCDEF".utf8)
        let bytes = [12, 8, 4, 0].map { digits[Int((value >> UInt16($0)) & 0xF)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
