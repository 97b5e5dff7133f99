/// An input file that cannot be read at all (missing, unreadable, a directory).
/// Problems inside a readable file are ``Diagnostic``s, not errors.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot read: \(reason)" }

    /// The file-level diagnostic validate and import print for it.
    public var diagnostic: Diagnostic { Diagnostic(file: path, line: nil, message: "cannot read: \(reason)") }
}
