import ChoSoCore
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Announcements as sound from espeak-ng's Vietnamese voice (installed by scripts/install-deps.sh).
@Suite struct SpeechTests {
    /// Seconds of sound in a PCM WAV file, from its header.
    static func duration(_ wav: [UInt8]) -> Double? {
        guard wav.count > 44, wav.starts(with: Array("RIFF".utf8)), Array(wav[8..<12]) == Array("WAVE".utf8) else { return nil }
        func u32(_ at: Int) -> Int { Int(wav[at]) | Int(wav[at + 1]) << 8 | Int(wav[at + 2]) << 16 | Int(wav[at + 3]) << 24 }
        let byteRate = u32(28)
        // Walk the chunks to "data".
        var offset = 12
        while offset + 8 <= wav.count {
            let size = u32(offset + 4)
            if Array(wav[offset..<(offset + 4)]) == Array("data".utf8) { return Double(min(size, wav.count - offset - 8)) / Double(byteRate) }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    @Test func theAnnouncementIsSpokenFromTheGoldenReading() async throws {
        try await withTestApp { app in
            let fixture = try await Fixture.make(app)
            #expect(app.speech.executable != nil, "espeak-ng must be installed (scripts/install-deps.sh)")
            // The golden table's reading of 199.800 đ, inside the under-payment warning.
            let golden = try #require(AmountGoldenRows.south[199_800])
            let spoken = Announcement.make(status: .underpaid, amount: 200, difference: 199_800, sender: nil)
            #expect(spoken.text == "Cảnh báo: khách chuyển thiếu, nhận hai trăm đồng, còn thiếu \(golden)")
            let query = spoken.text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let response = try await app.api(.GET, "/api/v1/speech?text=\(query)", token: fixture.tokens["merchantA1"])
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "audio/wav")
            #expect(response.headers.first(name: "X-ChoSo-Spoken-Text")?.removingPercentEncoding == spoken.text)
            let wav = Array(response.body.readableBytesView)
            let seconds = try #require(Self.duration(wav))
            // Vietnamese words are syllables: at 150 words a minute a syllable takes about 0.4 s.
            let syllables = Double(spoken.text.split(separator: " ").count)
            #expect(seconds > syllables * 0.12 && seconds < syllables * 0.9, "\(seconds) s for \(syllables) syllables")

            // The same sentence again comes from memory, byte for byte.
            let again = try await app.api(.GET, "/api/v1/speech?text=\(query)", token: fixture.tokens["merchantA1"])
            #expect(Array(again.body.readableBytesView) == wav)

            #expect(try await app.api(.GET, "/api/v1/speech?text=\(query)").status == .unauthorized)
            let bad = try await app.api(.GET, "/api/v1/speech?text=%3Cscript%3E", token: fixture.tokens["merchantA1"])
            #expect(bad.errorCode() == "bad_text")
            app.speech = SpeechService(executable: nil)
            let missing = try await app.api(.GET, "/api/v1/speech?text=xin%20chao", token: fixture.tokens["merchantA1"])
            #expect(missing.status == .serviceUnavailable)
            #expect(missing.errorCode() == "speech_unavailable")
        }
    }
}

/// The golden readings, for tests outside the core suite.
enum AmountGoldenRows {
    static let south: [Int64: String] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../ChoSoCoreTests/Fixtures/amounts/golden.tsv")
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var rows: [Int64: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t").map(String.init)
            if fields.count == 3, let amount = Int64(fields[0]) { rows[amount] = fields[1] }
        }
        return rows
    }()
}
