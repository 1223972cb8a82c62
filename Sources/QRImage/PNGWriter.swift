import CZlib

/// Writes a QR symbol as a 1-bit grey PNG. The cost is in the pixels, not the symbol, so the
/// writer keeps them few and easy to compress: one bit per pixel, and each module row's repeats
/// filtered "Up" so that they are all zero bytes for deflate.
public enum PNGWriter {
    public static let defaultQuietZone = 4

    /// - Parameters:
    ///   - scale: pixels per module.
    ///   - quietZone: light modules around the symbol (the QR standard asks for 4).
    ///   - compressionLevel: zlib level; 6 is zlib's own default.
    public static func png(_ symbol: QRSymbol, scale: Int = 8, quietZone: Int = defaultQuietZone, compressionLevel: Int32 = 6) -> [UInt8] {
        let scale = max(1, scale)
        let modulesPerSide = symbol.size + 2 * quietZone
        let width = modulesPerSide * scale
        let rowBytes = (width + 7) / 8
        let stride = rowBytes + 1

        var raw = [UInt8](repeating: 0, count: stride * width)
        raw.withUnsafeMutableBufferPointer { pixels in
            var row = [UInt8](repeating: 0xFF, count: rowBytes)
            for moduleRow in 0..<modulesPerSide {
                // One pixel row for this module row: light = 1, dark = 0.
                for index in 0..<rowBytes { row[index] = 0xFF }
                let symbolRow = moduleRow - quietZone
                if symbolRow >= 0 && symbolRow < symbol.size {
                    for column in 0..<symbol.size where symbol.modules[symbolRow * symbol.size + column] != 0 {
                        let start = (column + quietZone) * scale
                        for x in start..<(start + scale) {
                            row[x >> 3] &= ~(0x80 >> UInt8(x & 7))
                        }
                    }
                }
                let first = moduleRow * scale * stride
                pixels[first] = 0  // filter None
                for index in 0..<rowBytes { pixels[first + 1 + index] = row[index] }
                // The module row's other pixel rows: filter Up, bytes stay zero.
                for repeatRow in 1..<scale { pixels[first + repeatRow * stride] = 2 }
            }
            // Unused bits at the end of a row are padding; light keeps them invisible.
        }

        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compressed.withUnsafeMutableBufferPointer { destination in
            raw.withUnsafeBufferPointer { source in
                compress2(destination.baseAddress, &compressedLength, source.baseAddress, uLong(source.count), compressionLevel)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed with \(status)")
        compressed.removeSubrange(Int(compressedLength)...)

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png.reserveCapacity(compressed.count + 64)
        var header: [UInt8] = []
        appendBigEndian(UInt32(width), to: &header)
        appendBigEndian(UInt32(width), to: &header)
        header += [1, 0, 0, 0, 0]  // bit depth 1, grey, deflate, adaptive filters, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", compressed, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        let typeBytes = Array(type.utf8)
        png += typeBytes
        png += data
        var crc = crc32(0, typeBytes, uInt(typeBytes.count))
        crc = data.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        appendBigEndian(UInt32(crc), to: &png)
    }
}

/// Writes a QR symbol as SVG: one path of dark modules on a light square, crisp at any size.
public enum SVGWriter {
    public static func svg(_ symbol: QRSymbol, quietZone: Int = PNGWriter.defaultQuietZone, pixelSize: Int? = nil) -> String {
        let side = symbol.size + 2 * quietZone
        var path = ""
        path.reserveCapacity(symbol.size * symbol.size * 3)
        for row in 0..<symbol.size {
            var column = 0
            while column < symbol.size {
                guard symbol.modules[row * symbol.size + column] != 0 else { column += 1; continue }
                let start = column
                while column < symbol.size, symbol.modules[row * symbol.size + column] != 0 { column += 1 }
                // A run of dark modules: one rectangle, one module high.
                path += "M\(start + quietZone) \(row + quietZone)h\(column - start)v1h-\(column - start)z"
            }
        }
        let size = pixelSize.map { " width=\"\($0)\" height=\"\($0)\"" } ?? ""
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\"\(size) shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>\n"
    }
}
