import ChoSoCore
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import ChoSoApp

/// Announcements as sound from espeak-ng's Vietnamese voice (installed by scripts/install-deps.sh).
@Suite struct SpeechTests {
    /// Seconds of sound in an MP3 file, from its frame headers (MPEG-1/2/2.5 layer III).
    static func duration(_ mp3: [UInt8]) -> Double? {
        let bitrates: [[Int]] = [
            [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // MPEG-1
            [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],     // MPEG-2 and 2.5
        ]
        var offset = 0, samples = 0, rate = 0
        while offset + 4 <= mp3.count {
            guard mp3[offset] == 0xFF, mp3[offset + 1] & 0xE0 == 0xE0, mp3[offset + 1] & 0x06 == 0x02 else { return nil }
            let version = Int(mp3[offset + 1] >> 3) & 3  // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
            let bitrateIndex = Int(mp3[offset + 2] >> 4), rateIndex = Int(mp3[offset + 2] >> 2) & 3
            guard version != 1, (1...14).contains(bitrateIndex), rateIndex < 3 else { return nil }
            let baseRate = [44_100, 48_000, 32_000][rateIndex]
            rate = version == 3 ? baseRate : version == 2 ? baseRate / 2 : baseRate / 4
            let perFrame = version == 3 ? 1152 : 576
            let bitrate = bitrates[version == 3 ? 0 : 1][bitrateIndex] * 1000
            let length = perFrame / 8 * bitrate / rate + Int(mp3[offset + 2] >> 1) & 1
            samples += perFrame
            offset += length
        }
        return rate == 0 ? nil : Double(samples) / Double(rate)
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
            #expect(response.headers.first(name: .contentType) == "audio/mpeg")
            #expect(response.headers.first(name: "X-ChoSo-Spoken-Text")?.removingPercentEncoding == spoken.text)
            let mp3 = Array(response.body.readableBytesView)
            let seconds = try #require(Self.duration(mp3))
            // Light enough for weak 4G: this long warning (18 syllables) stays under 30 KB.
            #expect(mp3.count <= 30 * 1024, "\(mp3.count) bytes")
            // Vietnamese words are syllables: at 150 words a minute a syllable takes about 0.4 s.
            let syllables = Double(spoken.text.split(separator: " ").count)
            #expect(seconds > syllables * 0.12 && seconds < syllables * 0.9, "\(seconds) s for \(syllables) syllables")

            // The same sentence again comes from memory, byte for byte.
            let again = try await app.api(.GET, "/api/v1/speech?text=\(query)", token: fixture.tokens["merchantA1"])
            #expect(Array(again.body.readableBytesView) == mp3)

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
