import Benchmark
import QRImage
import VietQR

/// The QR pipeline piece by piece: payload build and parse, CRC, the libqrencode symbol, and the
/// PNG and SVG writers (DESIGN.md §9).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    let request = VietQRRequest(
        bin: "970436", account: "0011001234567", amount: 185_000, purpose: "tra tien rau muong", paymentCode: "CS7K2M9QX",
        merchantName: "Nguyen Thi Ba")
    let payload = (try? VietQRBuilder.build(request)) ?? ""
    let body = String(payload.dropLast(4))
    let symbol = QRSymbol(payload)!

    Benchmark("VietQR build") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try? VietQRBuilder.build(request)) }
    }
    Benchmark("VietQR parse (strict)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(VietQRParser.parse(payload, mode: .strict)) }
    }
    Benchmark("CRC-16 over a payload") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CRC16.checksum(body.utf8)) }
    }
    Benchmark("libqrencode symbol") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(QRSymbol(payload)) }
    }
    Benchmark("PNG from symbol (scale 8)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(PNGWriter.png(symbol, scale: 8)) }
    }
    Benchmark("SVG from symbol") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(SVGWriter.svg(symbol)) }
    }
}
