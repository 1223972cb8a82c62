import ChoSoCore
import Foundation
import QRImage
import VietQR

// qr-throughput generate N          → N realistic VietQR payloads (~120 characters), one per line
// qr-throughput measure FILE [scale] → codes/second for: symbol only, payload→PNG, payload→SVG

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: qr-throughput generate N | measure FILE [scale]\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { usage() }

switch arguments[1] {
case "generate":
    guard let count = Int(arguments[2]) else { usage() }
    var random = SplitMix64(seed: 7)
    func next(_ bound: Int) -> Int { random.next(below: bound) }
    let banks = BankDirectory.bundled.banks
    let codeAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    let notes = ["tra tien rau muong", "ca loc dong", "trai cay", "nuoc mia", "gao ST25", "banh pia"]
    var output = ""
    for _ in 0..<count {
        let request = VietQRRequest(
            bin: banks[next(banks.count)].bin,
            account: String((0..<13).map { _ in Character(String(next(10))) }),
            amount: Int64(1_000 * (1 + next(2_000))),
            purpose: notes[next(notes.count)],
            paymentCode: "CS" + String((0..<7).map { _ in codeAlphabet[next(codeAlphabet.count)] }))
        output += (try! VietQRBuilder.build(request)) + "\n"
    }
    FileHandle.standardOutput.write(Data(output.utf8))

case "measure":
    let payloads = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n").map(String.init)
    let scale = arguments.count > 3 ? Int(arguments[3]) ?? 8 : 8
    func rate(_ name: String, _ work: (String) -> Int) {
        var sink = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure { for payload in payloads { sink &+= work(payload) } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("\(name)\t\(Int(Double(payloads.count) / seconds))\t(\(sink % 7))")
    }
    rate("choso-symbol-only") { QRSymbol($0)?.size ?? 0 }
    // The writers alone, over symbols made beforehand: what the image adds to the symbol.
    let symbols = Dictionary(payloads.map { ($0, QRSymbol($0)!) }, uniquingKeysWith: { first, _ in first })
    rate("png-writer-only") { PNGWriter.png(symbols[$0]!, scale: scale).count }
    rate("svg-writer-only") { SVGWriter.svg(symbols[$0]!).utf8.count }
    rate("choso-png") { PNGWriter.png(QRSymbol($0)!, scale: scale).count }
    rate("choso-svg") { SVGWriter.svg(QRSymbol($0)!).utf8.count }

default:
    usage()
}
