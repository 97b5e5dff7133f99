/// A problem in the user's data, located in its file: printed as
/// `FILE:LINE[:COLUMN]: message`. Collected as values and reported together.
package struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    package enum Severity: String, Sendable {
        case error
        case warning
    }

    package var file: String
    /// 1-based physical line; nil for a problem with the file as a whole.
    package var line: Int?
    /// 1-based column in characters, when the problem has a precise place.
    package var column: Int?
    package var severity: Severity
    package var message: String

    package init(file: String, line: Int?, column: Int? = nil, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    package var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if line != nil, let column { text += ":\(column)" }
        text += ": "
        if severity == .warning { text += "warning: " }
        return text + TerminalText.oneLine(message)
    }
}
