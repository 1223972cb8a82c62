import ChoSoCore
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Announcements as sound, for phones without a Vietnamese voice and for speaker devices:
/// espeak-ng's Vietnamese voice, WAV, kept in memory because the same few hundred sentences
/// ("Đã nhận năm mươi ngàn đồng") repeat all day.
final class SpeechService: Sendable {
    let executable: String?
    private let cache = NIOLockedValueBox<(order: [String], audio: [String: [UInt8]])>(([], [:]))
    static let capacity = 300
    static let maxCharacters = 240

    init(executable: String?) {
        self.executable = executable
    }

    /// The configured espeak-ng, or the first on the PATH.
    static func findExecutable(configured: String?) -> String? {
        if let configured { return configured }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/espeak-ng" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

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

    func wav(_ text: String) async throws -> [UInt8] {
        if let cached = cache.withLockedValue({ $0.audio[text] }) { return cached }
        guard let executable else { throw Self.unavailable }
        let audio = try await Self.synthesize(text, executable: executable)
        cache.withLockedValue { cache in
            if cache.audio[text] == nil { cache.order.append(text) }
            cache.audio[text] = audio
            while cache.order.count > Self.capacity { cache.audio[cache.order.removeFirst()] = nil }
        }
        return audio
    }

    /// Runs espeak-ng off the event loops; the text goes as an argument, never through a shell.
    static func synthesize(_ text: String, executable: String) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let file = FileManager.default.temporaryDirectory.appendingPathComponent("choso-speech-\(UUID().uuidString).wav")
                    defer { try? FileManager.default.removeItem(at: file) }
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: executable)
                    process.arguments = ["-v", "vi", "-s", "150", "-w", file.path, "--", text]
                    process.standardOutput = FileHandle.nullDevice
                    process.standardError = FileHandle.nullDevice
                    try process.run()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: file.path), data.count > 44 else {
                        throw Self.unavailable
                    }
                    continuation.resume(returning: Array(data))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
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

/// `GET /api/v1/speech?text=…`: the sentence as WAV (signed-in users and devices only).
struct SpeechController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("speech", use: speech)
    }

    @Sendable func speech(req: Request) async throws -> Response {
        // People signed in, and paired speakers.
        if req.currentUser == nil, try await req.speakerDevice == nil { throw AppError.unauthenticated }
        let text = try SpeechService.validText(req.query[String.self, at: "text"])
        let audio = try await req.application.speech.wav(text)
        return Response(status: .ok, headers: [
            "Content-Type": "audio/wav", "Cache-Control": "private, max-age=86400",
            // Which words the sound says, for clients and tests that cannot listen.
            "X-ChoSo-Spoken-Text": text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "",
        ], body: .init(data: Data(audio)))
    }
}
