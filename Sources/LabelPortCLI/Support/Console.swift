import LabelPortCore
import Synchronization

/// Where a command's output goes: data on stdout, messages on stderr. A task-local,
/// so tests running commands in-process can capture both.
struct Console: Sendable {
    var writeOutput: @Sendable ([UInt8]) -> Void
    var writeError: @Sendable (String) -> Void
    /// Whether stdout is a terminal (colour the diff).
    var outputIsTerminal: Bool
    /// Whether stderr is a terminal (show the progress line).
    var errorIsTerminal: Bool = false
    /// Whether a status line (the progress line) is on stderr now. Shared by every copy
    /// of this console, and held while writing, so a message and a redraw never interleave.
    let statusLine = StatusLineState()

    /// Back to the start of the line, and erase it (what a status line is drawn over).
    static let clearLine = "\r\u{1B}[K"

    @TaskLocal static var current = Console.standard

    static let standard = Console(
        writeOutput: { bytes in Platform.writeAll(1, bytes) },
        writeError: { text in Platform.writeAll(2, Array(text.utf8)) },
        outputIsTerminal: isatty(1) == 1 && getenv("NO_COLOR") == nil,
        errorIsTerminal: isatty(2) == 1
    )

    func output(_ text: String) { writeOutput(Array(text.utf8)) }

    /// One message line on stderr. A status line showing is erased first, so the message
    /// starts a line of its own (the status line's next redraw puts it back below).
    func message(_ text: String) {
        statusLine.shown.withLock { shown in
            writeError((shown ? Self.clearLine : "") + text + "\n")
            shown = false
        }
    }

    /// Draws `line` as the status line, over the one shown before (no newline: it is
    /// redrawn in place); an empty `line` erases it.
    func status(_ line: String) {
        statusLine.shown.withLock { shown in
            writeError(Self.clearLine + line)
            shown = !line.isEmpty
        }
    }
}

/// Whether a console's status line is showing (a class: a `Mutex` cannot be copied with
/// the console).
final class StatusLineState: Sendable {
    let shown = Mutex(false)
}
