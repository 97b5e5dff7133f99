import LabelPortCore
/// Where a command's output goes: data on stdout, messages on stderr. A task-local,
/// so tests running commands in-process can capture both.
struct Console: Sendable {
    var writeOutput: @Sendable ([UInt8]) -> Void
    var writeError: @Sendable (String) -> Void
    /// Whether stdout is a terminal (colour the diff).
    var outputIsTerminal: Bool
    /// Whether stderr is a terminal (show the progress line).
    var errorIsTerminal: Bool = false

    @TaskLocal static var current = Console.standard

    static let standard = Console(
        writeOutput: { bytes in writeAll(1, bytes) },
        writeError: { text in writeAll(2, Array(text.utf8)) },
        outputIsTerminal: isatty(1) == 1 && getenv("NO_COLOR") == nil,
        errorIsTerminal: isatty(2) == 1
    )

    func output(_ text: String) { writeOutput(Array(text.utf8)) }

    /// One message line on stderr.
    func message(_ text: String) { writeError(text + "\n") }

    /// Text on stderr without a newline (the progress line rewrites itself with \r).
    func status(_ text: String) { writeError(text) }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
