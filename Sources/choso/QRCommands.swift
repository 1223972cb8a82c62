import ArgumentParser
import Foundation
import QRImage
import VietQR

/// `choso qr encode|decode`: VietQR payloads and images without starting the server.
struct QR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr", abstract: "Make and check VietQR payloads.", subcommands: [Encode.self, Decode.self])

    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a VietQR payload, or write it as a PNG or SVG image.")
        @Option(help: "The bank's 6-digit NAPAS BIN (see `choso banks`).") var bin: String
        @Option(help: "Account number (or card number with --card).") var account: String
        @Flag(help: "Transfer to a card (QRIBFTTC) instead of an account.") var card = false
        @Option(help: "Amount in đồng; makes a dynamic code.") var amount: Int64?
        @Option(help: "Transfer content; cleaned to ASCII, at most 25 characters.") var purpose: String?
        @Option(help: "Merchant name (field 59).") var name: String?
        @Option(help: "Merchant city (field 60).") var city: String?
        @Option(help: "payload, png or svg.") var format: ImageFormat = .payload
        @Option(help: "File to write (default: standard output).") var output: String?
        @Option(help: "Pixels per module for PNG.") var scale: Int = 8

        enum ImageFormat: String, ExpressibleByArgument, CaseIterable { case payload, png, svg }

        func run() throws {
            let request = VietQRRequest(
                bin: bin, account: account, service: card ? .toCard : .toAccount, amount: amount,
                purpose: purpose, merchantName: name, merchantCity: city)
            let payload: String
            do {
                payload = try VietQRBuilder.build(request)
            } catch {
                FileHandle.standardError.write(Data("\(error.code.rawValue): \(error.message) / \(error.messageEn)\n".utf8))
                throw ExitCode(1)
            }
            let bytes: Data
            switch format {
            case .payload: bytes = Data((payload + (output == nil ? "\n" : "")).utf8)
            case .png, .svg:
                guard let symbol = QRSymbol(payload) else {
                    FileHandle.standardError.write(Data("the payload does not fit in a QR symbol\n".utf8))
                    throw ExitCode(1)
                }
                bytes = format == .png ? Data(PNGWriter.png(symbol, scale: scale)) : Data(SVGWriter.svg(symbol).utf8)
            }
            if let output {
                try bytes.write(to: URL(fileURLWithPath: output))
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a payload and print what it says as one JSON object; exit 1 when it is not valid.",
            discussion: "With `-` as the payload, reads payloads one per line from standard input and prints one JSON object per line.")
        @Argument(help: "The scanned payload, or - for standard input.") var payload: String
        @Flag(help: "Forgive what real bank apps print (lower-case CRC, long content, …) and report it as warnings.") var lenient = false

        func run() throws {
            let mode: VietQRParser.Mode = lenient ? .lenient : .strict
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var allValid = true
            func report(_ text: String) throws {
                let result = QRDecodeReport(VietQRParser.parse(text, mode: mode))
                allValid = allValid && result.isValid
                FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
            }
            if payload == "-" {
                while let line = readLine(strippingNewline: true) {
                    try report(line)
                }
            } else {
                try report(payload)
            }
            if !allValid { throw ExitCode(1) }
        }
    }
}

/// `choso banks [--json]`: the NAPAS directory ChoSo ships, with where each entry comes from.
struct Banks: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the banks and wallets that can receive a VietQR transfer.")
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let banks = BankDirectory.bundled.banks
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(banks) + Data("\n".utf8))
            return
        }
        for bank in banks {
            let mark = bank.verified ? " " : "*"
            print("\(bank.bin)\(mark) \(bank.shortName.padding(toLength: 20, withPad: " ", startingAt: 0)) \(bank.kind.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(bank.name)")
        }
        print("* BIN chưa được xác nhận từ nguồn chính thức / not confirmed by a primary source")
    }
}
