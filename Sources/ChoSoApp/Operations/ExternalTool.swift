import Foundation

/// Runs a program ChoSo relies on (espeak-ng, lame, vipsthumbnail) with arguments, never through
/// a shell, and kills it when it runs past its time: no input may hang a request.
enum ExternalTool {
    struct Failed: Error { var status: Int32, timedOut: Bool }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 30) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            throw Failed(status: process.terminationStatus, timedOut: true)
        }
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus, timedOut: false) }
    }

    /// The program's full path when it is on PATH.
    static func onPath(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
