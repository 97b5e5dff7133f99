/// The bearer token. It prints, dumps and reflects as `<redacted>` so it cannot leak
/// into a message, a log line or a report by accident; only the client reads it.
package struct APIToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String
    /// Where the token came from, as a 401 names it for the user to check
    /// (`REFACTOR_API_TOKEN`, `--token-file PATH`, a profile's token source); never the token.
    package var source = "REFACTOR_API_TOKEN or --token-file"

    /// Nil when empty or when it holds control characters (a token with a line break
    /// would be refused by the HTTP layer, whose error would then quote it).
    package init?(_ secret: String) {
        let trimmed = secret.trimmingWhitespace()
        guard !trimmed.isEmpty, !Self.hasControlCharacters(trimmed) else { return nil }
        self.secret = trimmed
    }

    package static func hasControlCharacters(_ text: String) -> Bool {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }

    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
    package var customMirror: Mirror { Mirror(self, children: []) }

    /// Removes every occurrence of the token from `text`: a last guard for text that
    /// came from elsewhere (a server's error message that echoed the header, say).
    /// Tokens shorter than 4 characters are not scrubbed: they would match ordinary text.
    package func scrub(_ text: String) -> String {
        guard secret.count >= 4, text.contains(secret) else { return text }
        return text.replacing(secret, with: "<redacted>")
    }
}
