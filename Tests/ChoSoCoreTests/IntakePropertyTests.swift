import ChoSoCore
import Foundation
import Testing
import VietQR

/// Seeded random inputs for what reads uploads and deliveries: the CSV parser, the statement
/// reader and the webhook decoders. Each returns or refuses, never traps, and what it accepts
/// keeps its promises. A failing round names its seed, so it can be replayed.
@Suite struct IntakePropertyTests {
    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
    static let now = Date(timeIntervalSince1970: 1_796_007_600)

    static func pick<T>(_ values: [T], _ random: inout SplitMix64) -> T { values[random.next(below: values.count)] }

    /// Text made of what breaks parsers: separators, quotes, line breaks, digits, Vietnamese,
    /// control characters and bytes that are not UTF-8.
    static func nastyBytes(_ random: inout SplitMix64, maxLength: Int) -> [UInt8] {
        let pieces: [[UInt8]] = [
            [0x2C], [0x3B], [0x09], [0x22], [0x22, 0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xEF, 0xBB, 0xBF], [0xFF], [0xC3],
            Array("đ".utf8), Array("Ngày giao dịch".utf8), Array("1.250.000".utf8), Array("25/11/2026 10:15:00".utf8), Array("-".utf8),
            Array("(".utf8), Array(")".utf8), Array("9".utf8), Array(" ".utf8), Array("VND".utf8), Array("time".utf8), Array("amount".utf8),
        ]
        var bytes: [UInt8] = []
        let target = random.next(below: maxLength + 1)
        while bytes.count < target {
            if random.next(below: 4) == 0 {
                bytes.append(UInt8(truncatingIfNeeded: random.next()))
            } else {
                bytes += pick(pieces, &random)
            }
        }
        return bytes
    }

    // MARK: CSV

    @Test func csvOfRandomBytesIsATable() {
        var random = SplitMix64(seed: 0xC5F_0001)
        for _ in 0..<3000 {
            let bytes = Self.nastyBytes(&random, maxLength: 300)
            let table = CSVTable.parse(bytes)
            // Never an empty line as a row, and never more fields than bytes could make.
            #expect(table.allSatisfy { !($0.count == 1 && $0[0].isEmpty) })
            #expect(table.reduce(0) { $0 + $1.count } <= bytes.count + 1)
            // Read with a budget: the same table, or refused when it has more cells.
            let cells = table.reduce(0) { $0 + $1.count }
            switch Result(catching: { () throws(CSVTable.ReadError) in try CSVTable.read(bytes, maxCells: 20) }) {
            case .success(let bounded): #expect(bounded == table && cells <= 20)
            case .failure: #expect(cells > 20)
            }
        }
    }

    @Test func aTableWrittenAsCSVReadsBackTheSame() {
        var random = SplitMix64(seed: 0xC5F_0002)
        let alphabet = ["a", "Đ", "ệ", ",", ";", "\t", "\"", "\r\n", "\n", " ", "1", "=", "'"]
        for round in 0..<1000 {
            let columns = 2 + random.next(below: 4)
            let table: [[String]] = (0..<(1 + random.next(below: 5))).map { _ in
                (0..<columns).map { _ in (0..<random.next(below: 6)).map { _ in Self.pick(alphabet, &random) }.joined() }
            }
            let separator = Self.pick([",", ";", "\t"], &random)
            let csv = table.map { row in
                row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: separator)
            }.joined(separator: Self.pick(["\r\n", "\n"], &random))
            let bom: [UInt8] = round % 3 == 0 ? [0xEF, 0xBB, 0xBF] : []
            let parsed = CSVTable.parse(bom + Array(csv.utf8))
            #expect(parsed == table, "round \(round): \(csv.debugDescription)")
            if parsed != table { break }
        }
    }

    // MARK: Statement

    static let cells = [
        "", " ", "1.250.000", "1,250,000", "-50.000", "(50.000)", "+1250000", "1.250.000,00", "12.50", "0", "-0", "9223372036854775807",
        "-9223372036854775808", "99999999999999999999999", "9.999.999.999.999", "10.000.000.000.000", "1e308", "nan", "inf", "-", "()", "(",
        ".", ",", "1..000", "1.000.", "₫", "VND", "1 250 000 VND", "25/11/2026 10:15:00", "25/11/2026", "31/02/2026", "2026-11-25 10:15:00",
        "46351.5", "20000.0001", "79999.99", "-46351", "99/99/9999 99:99:99", "1/1/0000", "Tổng cộng", "\u{0}", "CS7K2M9Q4", "Đ",
    ]

    static func randomStatement(_ random: inout SplitMix64) -> [[String]] {
        let headers: [[String]] = [
            ["time", "amount", "description", "reference", "counterAccountName"],
            ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Số dư", "Mô tả"],
            ["Ngày giao dịch", "Mã giao dịch", "Tên tài khoản đối ứng", "Phát sinh có", "Phát sinh nợ", "Nội dung"],
            ["Ngày", "Số tiền"], ["x"],
        ]
        var table: [[String]] = (0..<random.next(below: 3)).map { _ in [pick(cells, &random)] }
        table.append(pick(headers, &random))
        for _ in 0..<random.next(below: 12) {
            table.append((0..<random.next(below: 9)).map { _ in pick(cells, &random) })
        }
        return table
    }

    @Test func statementsOfRandomCellsAreReadOrRefusedRowByRow() {
        var random = SplitMix64(seed: 0x57A7_0001)
        var read = 0, refused = 0
        for round in 0..<3000 {
            let table = round % 4 == 0 ? CSVTable.parse(Self.nastyBytes(&random, maxLength: 400)) : Self.randomStatement(&random)
            switch Statement.read(table, layout: nil, timeZone: Self.vietnam) {
            case .success(let rows):
                read += 1
                #expect(rows.allSatisfy { (1...VietQRBuilder.maxAmount).contains($0.amount) }, "round \(round)")
                #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.line < $1.line })
            case .failure(.rows(let errors)):
                refused += 1
                #expect(!errors.isEmpty)
            case .failure(.noHeader): break
            }
        }
        #expect(read > 100 && refused > 100, "both outcomes are reached: \(read) read, \(refused) refused")
    }

    @Test func amountParsingNeverOverflowsAndKeepsItsRange() {
        var random = SplitMix64(seed: 0xA407_0001)
        let alphabet = Array("0123456789.,+-() VNDđ₫e")
        for _ in 0..<20_000 {
            let text = String((0..<random.next(below: 30)).map { _ in Self.pick(alphabet, &random) })
            if let value = Statement.parseAmount(text) {
                #expect(value.magnitude <= VietQRBuilder.maxAmount.magnitude, "\(text)")
            }
        }
        // Every amount, written as banks write it, reads back.
        for _ in 0..<5000 {
            let value = Int64(random.next() % UInt64(VietQRBuilder.maxAmount)) + 1
            let dots = Money.groupDigits(value)
            let commas = dots.replacingOccurrences(of: ".", with: ",")
            #expect(Statement.parseAmount(dots) == value)
            #expect(Statement.parseAmount(commas + ".00") == value)
            #expect(Statement.parseAmount("(" + dots + ")") == -value)
            #expect(Statement.parseAmount("-" + String(value) + " VND") == -value)
        }
        for text in ["9223372036854775807", "-9223372036854775808", "9223372036854775808", "(9.223.372.036.854.775.807)", "18446744073709551616"] {
            #expect(Statement.parseAmount(text) == nil)
        }
    }

    // MARK: Webhooks

    /// A sample body and its decoder. (A tuple holding a typed-throws closure crashes the Swift
    /// 6.x runtime when taken apart — "Could not cast value" — so a struct.)
    struct Sample: Sendable {
        var file: String
        var name: String
        var decode: @Sendable ([UInt8]) throws -> WebhookContent
    }

    static let decoders: [Sample] = [
        Sample(file: "sepay-1.json", name: "sepay") { try WebhookDecoders.sepay($0, timeZone: vietnam, now: now) },
        Sample(file: "sepay-2.json", name: "sepay") { try WebhookDecoders.sepay($0, timeZone: vietnam, now: now) },
        Sample(file: "casso-1.json", name: "cassoV2") { try WebhookDecoders.cassoV2($0, timeZone: vietnam, now: now) },
        Sample(file: "casso-2.json", name: "cassoLegacy") { try WebhookDecoders.cassoLegacy($0, timeZone: vietnam, now: now) },
        Sample(file: "payos-2.json", name: "payOS") { try WebhookDecoders.payOS($0, timeZone: vietnam, now: now) },
    ]

    /// A random JSON value of the kinds that confuse decoders.
    static func randomJSON(_ random: inout SplitMix64, depth: Int = 0) -> Any {
        switch random.next(below: depth > 2 ? 7 : 9) {
        case 0: return random.next(below: 2) == 0
        case 1: return NSNull()
        case 2: return pick([0, -1, 1, 599_000, Int64.max, Int64.min, -50_000] as [Int64], &random)
        case 3: return pick([0.5, -0.0, 1e300, 12.5, 599000.0, 1e-300], &random)
        case 4: return pick(["", "0", "-5", "2026-11-30 09:00:00", "9999-12-31 23:59:59", "1970-01-01 00:00:00", "in", "out", "IN"], &random)
        case 5: return String(decoding: nastyBytes(&random, maxLength: 20), as: UTF8.self)
        case 6: return pick(["599000", "9223372036854775808", "1e3", " 5", "+5", "true"], &random)
        case 7: return (0..<random.next(below: 3)).map { _ in randomJSON(&random, depth: depth + 1) }
        default: return ["amount": randomJSON(&random, depth: depth + 1), "id": randomJSON(&random, depth: depth + 1)]
        }
    }

    static func accepted(_ content: WebhookContent) -> Bool {
        guard case .transfers(let transfers) = content else { return true }
        return transfers.allSatisfy { transfer in
            let texts = [transfer.providerTransactionID, transfer.accountNumber, transfer.reference ?? "", transfer.counterAccountName ?? ""]
            return (1...VietQRBuilder.maxAmount).contains(transfer.amount)
                && transfer.bankTime.map { BankTime.plausibility(of: $0, now: now) == .plausible } ?? true
                && !transfer.providerTransactionID.isEmpty && !transfer.accountNumber.isEmpty
                && texts.allSatisfy { !$0.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } }
                && !transfer.description.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }
        }
    }

    @Test func webhookBodiesWithRandomFieldsAreReadOrRefusedWithAReason() throws {
        var random = SplitMix64(seed: 0x4E6_0001)
        var outcomes = (accepted: 0, refused: 0)
        for round in 0..<4000 {
            let sample = Self.decoders[round % Self.decoders.count]
            let (file, name, decode) = (sample.file, sample.name, sample.decode)
            var object = try #require(try JSONSerialization.jsonObject(with: Data(WebhookTests.body(file))) as? [String: Any])
            // One to three fields of the transaction replaced by random JSON.
            func change(_ transaction: inout [String: Any]) {
                for _ in 0..<(1 + random.next(below: 3)) {
                    let keys = Array(transaction.keys).sorted()
                    transaction[Self.pick(keys, &random)] = Self.randomJSON(&random)
                }
            }
            switch name {
            case "sepay": change(&object)
            case "cassoLegacy":
                var list = object["data"] as? [[String: Any]] ?? []
                change(&list[0])
                object["data"] = list
            default:
                var data = object["data"] as? [String: Any] ?? [:]
                change(&data)
                object["data"] = data
            }
            guard let body = try? JSONSerialization.data(withJSONObject: object) else { continue }
            do {
                let content = try decode(Array(body))
                outcomes.accepted += 1
                #expect(Self.accepted(content), "round \(round) \(name): \(String(decoding: body, as: UTF8.self))")
            } catch {
                outcomes.refused += 1
                guard case .malformed(let reason) = error as? WebhookError else { Issue.record("round \(round): \(error)"); continue }
                #expect(!reason.isEmpty)
            }
        }
        #expect(outcomes.accepted > 200 && outcomes.refused > 1000, "\(outcomes)")
    }

    @Test func webhookBodiesMutatedAsBytesNeverTrap() {
        var random = SplitMix64(seed: 0x4E6_0002)
        let generic = Array(#"{"id":"t1","accountNumber":"0011001234567","amount":200000,"direction":"in","description":"CS7K2M9Q4","time":"2026-11-30T08:00:00+07:00"}"#.utf8)
        let decoders = Self.decoders + [Sample(file: "generic", name: "generic") { try WebhookDecoders.generic($0, now: Self.now) }]
        for round in 0..<4000 {
            let (file, decode) = (decoders[round % decoders.count].file, decoders[round % decoders.count].decode)
            var bytes = file == "generic" ? generic : WebhookTests.body(file)
            for _ in 0..<(1 + random.next(below: 4)) {
                let at = random.next(below: bytes.count + 1)
                switch random.next(below: 4) {
                case 0 where at < bytes.count: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(contentsOf: Self.nastyBytes(&random, maxLength: 8), at: at)
                case 2 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + 1 + random.next(below: 8)))
                default: bytes.insert(contentsOf: Array(Self.pick([#"true"#, "[[[[", "}", "-0", "1e400", "\\u0000", "\"\"", "null"], &random).utf8), at: at)
                }
            }
            if let content = try? decode(bytes) {
                #expect(Self.accepted(content), "round \(round): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        // Deep nesting is refused by the JSON reader, not a stack overflow.
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: WebhookError.self) { try WebhookDecoders.generic(deep) }
    }
}
