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
        return text + Self.oneLine(message)
    }

    /// `message` on one line, as tools that read `FILE:LINE: message` need: a cell's line
    /// break or other control character is written as an escape (`\n`, `\u{1}`).
    static func oneLine(_ message: String) -> String {
        guard message.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return message }
        var out = ""
        for scalar in message.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
