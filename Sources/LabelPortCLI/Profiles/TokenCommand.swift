import Dispatch
import Foundation
import LabelPortCore

/// Runs a profile's `token_command` with `/bin/sh -c` and takes the first line of its
/// standard output as the token. Its stdout is never shown, whatever happens; on failure
/// (non-zero exit, a signal, no output, too slow) the error shows its stderr.
enum TokenCommand {
    /// How long the command may take (a secret manager may ask the user to unlock it).
    static let defaultTimeout: Duration = .seconds(30)

    /// The token's line, or a failure in words. `what` names the command in messages
    /// (`profile "prod" (FILE): token_command`).
    static func run(_ command: String, what: String, timeout: Duration = defaultTimeout) throws(ConfigurationError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do { try process.run() } catch {
            throw ConfigurationError("\(what) could not be started: /bin/sh is not available")
        }
        let deadline = ContinuousClock.now + timeout
        let pipes = [stdout.fileHandleForReading.fileDescriptor, stderr.fileHandleForReading.fileDescriptor]
        let (outputBytes, errorBytes, gone) = Self.capture(pipes, until: deadline, exited: { exited.wait(timeout: .now()) == .success })
        let stderrText = Self.shown(String(decoding: errorBytes, as: UTF8.self))
        let said = stderrText.isEmpty ? " (it printed nothing on stderr)" : ":\n" + stderrText
        guard gone || exited.wait(timeout: .now() + Self.dispatchTime(deadline - ContinuousClock.now)) == .success else {
            process.terminate()
            throw ConfigurationError("\(what) did not finish within \(Formatting.seconds(timeout)) and was stopped\(said)")
        }
        if process.terminationReason == .uncaughtSignal {
            throw ConfigurationError("\(what) was killed by signal \(process.terminationStatus)\(said)")
        }
        guard process.terminationStatus == 0 else {
            throw ConfigurationError("\(what) failed with exit status \(process.terminationStatus)\(said)")
        }
        var firstLine = String(decoding: outputBytes.prefix { $0 != 0x0A }, as: UTF8.self)
        if firstLine.utf8.last == 0x0D { firstLine = String(decoding: firstLine.utf8.dropLast(), as: UTF8.self) }
        guard !firstLine.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError("\(what) printed no token: the first line of its output is empty\(stderrText.isEmpty ? "" : "; its stderr:\n" + stderrText)")
        }
        return firstLine
    }

    /// Reads the command's stdout and stderr on this thread, both at once (a chatty command
    /// cannot block on a full pipe), until both end or `exited` says the command is gone
    /// (then everything it wrote is already in the pipes: what is waiting is read), or until
    /// `deadline` (`exited` false: what it wrote so far). No other thread is involved, so a busy machine cannot lose output: with a
    /// reader thread per pipe, a loaded test run once showed a failure without its stderr.
    static func capture(_ fds: [Int32], until deadline: ContinuousClock.Instant, exited: () -> Bool)
        -> (stdout: [UInt8], stderr: [UInt8], exited: Bool) {
        var bytes: [[UInt8]] = [[], []]
        var open = [0, 1]
        var gone = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return (bytes[0], bytes[1], false) }
            if !gone { gone = exited() }
            // While the command runs, wake every 100 ms to see whether it is gone.
            let wait = gone ? 0 : Int32(min(left, .milliseconds(100)) / .milliseconds(1))
            let ready = Platform.readable(open.map { fds[$0] }, milliseconds: wait)
            if ready.isEmpty {
                if gone { break }
                continue
            }
            for (slot, isReady) in zip(open, ready) where isReady {
                let count = buffer.withUnsafeMutableBytes { Platform.read(fds[slot], $0.baseAddress, $0.count) }
                if count > 0 {
                    bytes[slot] += buffer[..<count]
                } else if count == 0 || Platform.errno != EINTR {
                    open.removeAll { $0 == slot }
                }
            }
        }
        return (bytes[0], bytes[1], gone)
    }

    private static func dispatchTime(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = max(duration, .zero).components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }

    /// The command's stderr as shown: the last 20 lines, indented, control characters dropped.
    static func shown(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { line in
            String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F || $0 == "\t" }.map(Character.init))
        }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return lines.suffix(20).map { "    " + $0 }.joined(separator: "\n")
    }
}
