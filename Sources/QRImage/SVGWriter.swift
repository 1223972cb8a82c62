/// Writes a QR symbol as SVG: one path of dark modules on a light square, crisp at any size.
/// Built as bytes with hand-written numbers: string interpolation cost more than the symbol.
public enum SVGWriter {
    public static func svg(_ symbol: QRSymbol, quietZone: Int = PNGWriter.defaultQuietZone, pixelSize: Int? = nil) -> String {
        let side = symbol.size + 2 * quietZone
        var out: [UInt8] = []
        out.reserveCapacity(symbol.size * symbol.size * 4 + 256)
        out += Array(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 "#.utf8)
        appendNumber(side, to: &out)
        out.append(0x20)
        appendNumber(side, to: &out)
        out.append(0x22)
        if let pixelSize {
            out += Array(#" width=""#.utf8)
            appendNumber(pixelSize, to: &out)
            out += Array(#"" height=""#.utf8)
            appendNumber(pixelSize, to: &out)
            out.append(0x22)
        }
        out += Array(#" shape-rendering="crispEdges"><rect width=""#.utf8)
        appendNumber(side, to: &out)
        out += Array(#"" height=""#.utf8)
        appendNumber(side, to: &out)
        out += Array(##"" fill="#fff"/><path fill="#000" d=""##.utf8)
        symbol.modules.withUnsafeBufferPointer { modules in
            for row in 0..<symbol.size {
                let base = row * symbol.size
                var column = 0
                while column < symbol.size {
                    guard modules[base + column] != 0 else { column += 1; continue }
                    let start = column
                    while column < symbol.size, modules[base + column] != 0 { column += 1 }
                    // A run of dark modules: one rectangle, one module high: M x y h w v1 h-w z
                    out.append(0x4D)  // M
                    appendNumber(start + quietZone, to: &out)
                    out.append(0x20)
                    appendNumber(row + quietZone, to: &out)
                    out.append(0x68)  // h
                    appendNumber(column - start, to: &out)
                    out += [0x76, 0x31, 0x68, 0x2D]  // v1h-
                    appendNumber(column - start, to: &out)
                    out.append(0x7A)  // z
                }
            }
        }
        out += Array(#""/></svg>"#.utf8)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendNumber(_ value: Int, to out: inout [UInt8]) {
        if value >= 100 { out.append(UInt8(48 + value / 100)) }
        if value >= 10 { out.append(UInt8(48 + (value / 10) % 10)) }
        out.append(UInt8(48 + value % 10))
    }
}
