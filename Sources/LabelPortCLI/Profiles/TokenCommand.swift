import Dispatch
import Foundation
import LabelPortCore
import Synchronization

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
        // Both pipes are drained at once, so a chatty command cannot block on a full pipe.
        let output = CapturedBytes()
        let errors = CapturedBytes()
        let readers = DispatchGroup()
        DispatchQueue.global().async(group: readers) {
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            output.bytes.withLock { $0 = data }
        }
        DispatchQueue.global().async(group: readers) {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errors.bytes.withLock { $0 = data }
        }
        let (seconds, attoseconds) = timeout.components
        let limit = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        if exited.wait(timeout: limit) == .timedOut {
            process.terminate()
            throw ConfigurationError("\(what) did not finish within \(Formatting.seconds(timeout)) and was stopped")
        }
        // The pipes close when the command exits; a child it left behind may hold them open.
        _ = readers.wait(timeout: .now() + .seconds(Self.pipeGraceSeconds))
        let stderrText = errors.bytes.withLock { Self.shown(String(decoding: $0, as: UTF8.self)) }
        let said = stderrText.isEmpty ? " (it printed nothing on stderr)" : ":\n" + stderrText
        if process.terminationReason == .uncaughtSignal {
            throw ConfigurationError("\(what) was killed by signal \(process.terminationStatus)\(said)")
        }
        guard process.terminationStatus == 0 else {
            throw ConfigurationError("\(what) failed with exit status \(process.terminationStatus)\(said)")
        }
        let firstLine = output.bytes.withLock { data -> String in
            var line = String(decoding: data.prefix { $0 != 0x0A }, as: UTF8.self)
            if line.utf8.last == 0x0D { line = String(decoding: line.utf8.dropLast(), as: UTF8.self) }
            return line
        }
        guard !firstLine.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ConfigurationError("\(what) printed no token: the first line of its output is empty\(stderrText.isEmpty ? "" : "; its stderr:\n" + stderrText)")
        }
        return firstLine
    }

    /// How long to wait, after the command exits, for the rest of its output: long enough for
    /// the reader threads to run on a busy machine (2 s was seen to miss stderr under load),
    /// short enough that a background child holding the pipes open delays little.
    static let pipeGraceSeconds = 5

    /// The command's stderr as shown: the last 20 lines, indented, control characters dropped.
    static func shown(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map { line in
            String(line.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F || $0 == "\t" }.map(Character.init))
        }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return lines.suffix(20).map { "    " + $0 }.joined(separator: "\n")
    }
}

/// What a reader thread collected from one pipe.
private final class CapturedBytes: Sendable {
    let bytes = Mutex<Data>(Data())
}
