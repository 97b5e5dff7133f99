/// The bearer token. It prints, dumps and reflects as `<redacted>` so it cannot leak
/// into a message, a log line or a report by accident; only the client reads it.
public struct APIToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    public init?(_ secret: String) {
        let trimmed = secret.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        self.secret = trimmed
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }

    /// Removes every occurrence of the token from `text`: a last guard for text that
    /// came from elsewhere (a server's error message that echoed the header, say).
    /// Tokens shorter than 8 characters are not scrubbed: they would match ordinary words.
    public func scrub(_ text: String) -> String {
        guard secret.count >= 8, text.contains(secret) else { return text }
        return text.replacing(secret, with: "<redacted>")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
