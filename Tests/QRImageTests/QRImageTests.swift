import ChoSoCore
import CZlib
import Foundation
import QRImage
import Testing
import VietQR

/// Images are checked by reading them back with a real decoder, `zbarimg` (Debian zbar-tools),
/// and SVG is first rasterised by `rsvg-convert` (librsvg2-bin), as a printer or browser would.
@Suite(.serialized) struct QRImageTests {
    static let count = 500

    @Test func pngHasTheRightShape() throws {
        let symbol = try #require(QRSymbol("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"))
        let png = PNGWriter.png(symbol, scale: 8)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let side = (symbol.size + 8) * 8
        #expect(Array(png[16..<24]) == [0, 0, UInt8(side >> 8), UInt8(side & 0xFF), 0, 0, UInt8(side >> 8), UInt8(side & 0xFF)])
        #expect(png[24] == 1 && png[25] == 0)  // 1-bit grey
        #expect(Array(png.suffix(8)) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])  // IEND + its CRC
        #expect(png.count < 2_000)
    }

    /// The hand-written deflate stream inflates (with zlib) to exactly the plain image rows, at
    /// every scale and symbol size, and its Adler-32 is right (zlib checks it).
    @Test(arguments: [1, 2, 3, 7, 8, 13, 20])
    func pngInflatesToThePlainRows(scale: Int) throws {
        for text in ["A", "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F",
                     String(repeating: "Z9", count: 300)] {
            let symbol = try #require(QRSymbol(text))
            let png = PNGWriter.png(symbol, scale: scale)
            let idatLength = Int(png[33]) << 24 | Int(png[34]) << 16 | Int(png[35]) << 8 | Int(png[36])
            let idat = Array(png[41..<(41 + idatLength)])
            let expected = PNGWriter.rawRows(symbol, scale: scale)
            var inflated = [UInt8](repeating: 0, count: expected.count + 16)
            var inflatedLength = uLong(inflated.count)
            let status = uncompress(&inflated, &inflatedLength, idat, uLong(idat.count))
            #expect(status == Z_OK, "scale \(scale): zlib says \(status)")
            #expect(Array(inflated.prefix(Int(inflatedLength))) == expected, "scale \(scale), \(text.prefix(10))")
        }
    }

    @Test func svgIsOnePath() throws {
        let symbol = try #require(QRSymbol("hello"))
        let svg = SVGWriter.svg(symbol)
        #expect(svg.components(separatedBy: "<path").count == 2)
        #expect(svg.contains("viewBox=\"0 0 \(symbol.size + 8) \(symbol.size + 8)\""))
        #expect(svg.contains("crispEdges"))
    }

    @Test func tooLongForAnyVersionIsNil() {
        #expect(QRSymbol(String(repeating: "x", count: 3000)) == nil)
    }

    @Test func randomPayloadsReadBackFromPNGAndSVG() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("choso-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let requests = Self.randomRequests(Self.count)
        var payloads: [String] = []
        var pngFiles: [String] = []
        var svgFiles: [String] = []
        for (index, request) in requests.enumerated() {
            let payload = try VietQRBuilder.build(request)
            let symbol = try #require(QRSymbol(payload))
            let png = folder.appendingPathComponent("\(index).png").path
            let svg = folder.appendingPathComponent("\(index).svg").path
            try Data(PNGWriter.png(symbol, scale: 4)).write(to: URL(fileURLWithPath: png))
            try SVGWriter.svg(symbol, pixelSize: (symbol.size + 8) * 4).write(toFile: svg, atomically: false, encoding: .utf8)
            payloads.append(payload)
            pngFiles.append(png)
            svgFiles.append(svg)
        }

        let fromPNG = try Self.zbar(pngFiles)
        Self.expectSame(fromPNG, payloads, "PNG")

        var rasterised: [String] = []
        for svg in svgFiles {
            let png = svg + ".png"
            try Self.run("/usr/bin/rsvg-convert", ["-o", png, svg])
            rasterised.append(png)
        }
        let fromSVG = try Self.zbar(rasterised)
        Self.expectSame(fromSVG, payloads, "SVG")

        // And what was read back means the same: every field survives the image.
        for (index, text) in fromPNG.enumerated() where index < requests.count {
            let qr = try VietQRParser.parse(text, mode: .strict).get()
            #expect(qr.bin == requests[index].bin)
            #expect(qr.account == requests[index].account)
            #expect(qr.amount == requests[index].amount)
        }
    }

    static func expectSame(_ read: [String], _ written: [String], _ format: String) {
        #expect(read.count == written.count, "\(format): \(read.count) of \(written.count) symbols read back")
        if let index = zip(read, written).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("\(format) #\(index): read \(read[index]), wrote \(written[index])")
        }
    }

    static func randomRequests(_ count: Int) -> [VietQRRequest] {
        var random = SplitMix64(seed: 42)
        func next(_ bound: Int) -> Int { random.next(below: bound) }
        let banks = BankDirectory.bundled.banks
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let notes = ["Cô Ba bán trái cây", "tien ca loc", "Trả nợ tháng 11", "", "Nước mía sầu riêng"]
        return (0..<count).map { _ in
            VietQRRequest(
                bin: banks[next(banks.count)].bin,
                account: String((0..<(6 + next(14))).map { _ in alphabet[next(10)] }),
                amount: next(4) == 0 ? nil : Int64(1 + next(50_000_000)),
                purpose: notes[next(notes.count)],
                paymentCode: "CS" + String((0..<7).map { _ in alphabet[next(alphabet.count)] }),
                merchantName: next(2) == 0 ? "Nguyễn Thị Ba" : nil)
        }
    }

    /// Reads every file with one `zbarimg` run: one decoded payload per line, in file order.
    static func zbar(_ files: [String]) throws -> [String] {
        // ASCII payloads, so zbar's text mode keeps them exact and puts one per line.
        let output = try run("/usr/bin/zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable"] + files)
        return output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw MissingTool(path: executable)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ToolFailed(tool: executable, status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }

    struct MissingTool: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing: run scripts/install-deps.sh test (zbar-tools, librsvg2-bin)" }
    }

    struct ToolFailed: Error { var tool: String; var status: Int32 }
}
