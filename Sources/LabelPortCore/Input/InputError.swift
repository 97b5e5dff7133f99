/// An input file that cannot be read at all (missing, unreadable, a directory).
/// Problems inside a readable file are ``Diagnostic``s, not errors.
package struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var reason: String
    /// True when `reason` is a whole message (a refused or damaged workbook), not what
    /// follows "cannot read:".
    package var isWholeMessage = false

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A file that is read but refused: `FILE: message`.
    package init(path: String, message: String) {
        self.path = path
        self.reason = message
        self.isWholeMessage = true
    }

    private var message: String { isWholeMessage ? reason : "cannot read: \(reason)" }

    package var description: String { "\(path): \(message)" }

    /// The file-level diagnostic validate and import print for it.
    package var diagnostic: Diagnostic { Diagnostic(file: path, line: nil, message: message) }
}
