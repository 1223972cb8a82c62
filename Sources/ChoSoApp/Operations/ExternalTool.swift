import Foundation

/// Runs a program ChoSo relies on (espeak-ng, lame, vipsthumbnail) with arguments, never through
/// a shell, and kills it when it runs past its time: no input may hang a request.
enum ExternalTool {
    struct Failed: Error {
        var status: Int32, timedOut: Bool
        /// The end of what the program wrote to standard error (when asked to keep it).
        var errorOutput: String = ""
    }

    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 30,
        keepErrorOutput: Bool = false
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        process.standardOutput = FileHandle.nullDevice
        // A file, not a pipe: a chatty program can never block on a full pipe nobody reads.
        let errorFile = keepErrorOutput ? FileManager.default.temporaryDirectory.appendingPathComponent("choso-tool-\(UUID().uuidString).err") : nil
        if let errorFile {
            _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errorFile)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        defer { if let errorFile { try? FileManager.default.removeItem(at: errorFile) } }
        func errorOutput() -> String {
            guard let errorFile, let data = try? Data(contentsOf: errorFile) else { return "" }
            return String(decoding: data.suffix(4_000), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            throw Failed(status: process.terminationStatus, timedOut: true, errorOutput: errorOutput())
        }
        guard process.terminationStatus == 0 else {
            throw Failed(status: process.terminationStatus, timedOut: false, errorOutput: errorOutput())
        }
    }

    /// The program's full path when it is on PATH.
    static func onPath(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
