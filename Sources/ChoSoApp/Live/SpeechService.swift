import ChoSoCore
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Announcements as sound, for phones without a Vietnamese voice and for speaker devices:
/// espeak-ng's Vietnamese voice, encoded as MP3 by lame (a WAV of one announcement is ~270 KB,
/// too much for weak 4G; every phone browser plays MP3, not all play Opus), kept in memory because
/// the same few hundred sentences ("Đã nhận năm mươi ngàn đồng") repeat all day.
final class SpeechService: Sendable {
    let executable: String?
    /// lame; without it the recording is served as WAV.
    let encoder: String?
    private let cache = NIOLockedValueBox<(order: [String], audio: [String: Recording])>(([], [:]))
    static let capacity = 300
    static let maxCharacters = 240
    /// Speech needs little: mono, 22.05 kHz from espeak-ng, 24 kbit/s (3 KB a second).
    static let bitrateKbps = 24

    struct Recording: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    init(executable: String?, encoder: String? = nil) {
        self.executable = executable
        self.encoder = encoder
    }

    /// The configured espeak-ng, or the first on the PATH.
    static func findExecutable(configured: String?) -> String? {
        configured ?? onPath("espeak-ng")
    }

    static func onPath(_ name: String) -> String? { ExternalTool.onPath(name) }

    static let unavailable = AppError(
        status: .serviceUnavailable, code: "speech_unavailable",
        message: LocalizedText(vi: "Máy chủ chưa cài giọng đọc (espeak-ng)", en: "The server has no speech engine (espeak-ng)"))

    /// Letters (any script), digits, spaces and sentence punctuation only, at most 240 characters.
    static func validText(_ raw: String?) throws -> String {
        let text = TextNormalization.clean(raw ?? "")
        guard !text.isEmpty, text.count <= maxCharacters,
              text.unicodeScalars.allSatisfy({ CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) || " ,.:;!?-–()".unicodeScalars.contains($0) })
        else {
            throw AppError(status: .badRequest, code: "bad_text", message: LocalizedText(
                vi: "Câu cần đọc phải có chữ, số và dấu câu, tối đa \(maxCharacters) ký tự", en: "The text must be letters, digits and punctuation, at most \(maxCharacters) characters"))
        }
        return text
    }

    func recording(_ text: String) async throws -> Recording {
        if let cached = cache.withLockedValue({ $0.audio[text] }) { return cached }
        guard let executable else { throw Self.unavailable }
        let recording = try await Self.synthesize(text, executable: executable, encoder: encoder)
        cache.withLockedValue { cache in
            if cache.audio[text] == nil { cache.order.append(text) }
            cache.audio[text] = recording
            while cache.order.count > Self.capacity { cache.audio[cache.order.removeFirst()] = nil }
        }
        return recording
    }

    /// Runs espeak-ng (and lame) off the event loops; the text goes as an argument, never through
    /// a shell.
    static func synthesize(_ text: String, executable: String, encoder: String?) async throws -> Recording {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let base = FileManager.default.temporaryDirectory.appendingPathComponent("choso-speech-\(UUID().uuidString)")
                let wav = base.appendingPathExtension("wav"), mp3 = base.appendingPathExtension("mp3")
                defer {
                    try? FileManager.default.removeItem(at: wav)
                    try? FileManager.default.removeItem(at: mp3)
                }
                do {
                    try run(executable, ["-v", "vi", "-s", "150", "-w", wav.path, "--", text])
                    guard let sound = FileManager.default.contents(atPath: wav.path), sound.count > 44 else { throw Self.unavailable }
                    guard let encoder else {
                        return continuation.resume(returning: Recording(bytes: Array(sound), contentType: "audio/wav"))
                    }
                    try run(encoder, ["--silent", "-m", "m", "-b", "\(bitrateKbps)", wav.path, mp3.path])
                    guard let compressed = FileManager.default.contents(atPath: mp3.path), !compressed.isEmpty else { throw Self.unavailable }
                    continuation.resume(returning: Recording(bytes: Array(compressed), contentType: "audio/mpeg"))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        do { try ExternalTool.run(executable, arguments, timeout: 20) } catch is ExternalTool.Failed { throw Self.unavailable }
    }
}

extension Application {
    private struct SpeechKey: StorageKey { typealias Value = SpeechService }

    /// Set up by `ChoSoApp.configure`; tests may replace it.
    var speech: SpeechService {
        get { storage[SpeechKey.self] ?? SpeechService(executable: nil) }
        set { storage[SpeechKey.self] = newValue }
    }
}

/// `GET /api/v1/speech?text=…`: the sentence as MP3 (signed-in users and devices only).
struct SpeechController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("speech", use: speech)
    }

    @Sendable func speech(req: Request) async throws -> Response {
        // People signed in, and paired speakers.
        if req.currentUser == nil, try await req.speakerDevice == nil { throw AppError.unauthenticated }
        let text = try SpeechService.validText(req.query[String.self, at: "text"])
        let audio = try await req.application.speech.recording(text)
        return Response(status: .ok, headers: [
            "Content-Type": audio.contentType, "Cache-Control": "private, max-age=86400",
            // Which words the sound says, for clients and tests that cannot listen.
            "X-ChoSo-Spoken-Text": text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
        ], body: .init(data: Data(audio.bytes)))
    }
}
