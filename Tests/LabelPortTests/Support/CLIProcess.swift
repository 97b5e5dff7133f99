import Foundation

/// Runs the built `labelport` executable as a real process, for tests of exit statuses,
/// output streams and signals. Output goes to files, so a chatty process cannot block.
struct CLIProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Terminated by a signal rather than exiting.
        var signalled: Bool
        /// When the process ended (as the system told Foundation, not when a test noticed:
        /// on a loaded machine a test's task may resume seconds later).
        var endedAt: ContinuousClock.Instant
    }

    /// The `labelport` binary beside the test bundle (`swift build` puts both in one folder).
    static var executable: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("labelport").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("labelport")
    }

    let process = Process()
    private let ended = Locked<ContinuousClock.Instant?>(nil)
    let stdoutURL: URL
    let stderrURL: URL

    /// Starts `labelport arguments…` with exactly `environment` (plus PATH).
    init(_ arguments: [String], environment: [String: String] = [:], stdin: URL? = nil, directory: URL? = nil) throws {
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("labelport-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        stdoutURL = scratch.appendingPathComponent("stdout")
        stderrURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        #if os(Linux)
        // A child inherits the signals ignored when it starts, and tests that run commands
        // in this process ignore SIGINT and SIGTERM while they run (SignalWatcher): the
        // child starts with the default handling, as from a shell.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=INT,TERM", Self.executable.path] + arguments
        #else
        process.executableURL = Self.executable
        process.arguments = arguments
        #endif
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        let ended = ended
        process.terminationHandler = { _ in ended.withLock { $0 = .now } }
        try process.run()
    }

    /// Waits for the process to end without blocking a cooperative thread.
    func wait() async -> Result {
        // The end as the termination handler records it (after Foundation has reaped it).
        while ended.withLock({ $0 }) == nil {
            try? await Task.sleep(for: .milliseconds(5))
        }
        let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: stdoutURL.deletingLastPathComponent())
        return Result(
            status: process.terminationStatus, stdout: out, stderr: err, signalled: process.terminationReason == .uncaughtSignal,
            endedAt: ended.withLock { $0 }!)
    }

    /// What the process has printed on stderr so far.
    var stderrSoFar: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for any started process to end, looking every few milliseconds without holding
    /// a thread: `waitUntilExit` would block a cooperative thread (the pool has one per
    /// core, and in-process sandboxes then miss their answers), and on Linux it spins its
    /// thread's run loop, a whole core for as long as it waits.
    static func waitForExit(_ process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Runs `labelport arguments…` to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:], stdin: URL? = nil) async throws -> Result {
        try await CLIProcess(arguments, environment: environment, stdin: stdin).wait()
    }
}
