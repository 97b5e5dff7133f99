import LabelPortCore

/// Reads a token from the first line of a file (`--token-file`, a profile's `token_file`).
enum TokenFile {
    /// `what` names the file in messages: `--token-file PATH`, `profile "prod" (FILE): token_file PATH`.
    static func read(_ path: String, what: String) throws(ConfigurationError) -> APIToken {
        let text: String
        do { text = try FileText.read(path) } catch {
            throw ConfigurationError("cannot read \(what): \(error.reason)")
        }
        return try firstLineToken(text, what: what)
    }

    /// The token on the first line of `text` (LF or CRLF ends it).
    static func firstLineToken(_ text: String, what: String) throws(ConfigurationError) -> APIToken {
        // Split on the byte LF (a CRLF file's "\r\n" is one Character), then drop a CR; a
        // UTF-8 byte order mark (Notepad, PowerShell) is not part of the token.
        let bytes = text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? text.utf8.dropFirst(3) : text.utf8.dropFirst(0)
        var firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
        if firstLine.utf8.last == 0x0D { firstLine = String(decoding: firstLine.utf8.dropLast(), as: UTF8.self) }
        guard !APIToken.hasControlCharacters(firstLine) else {
            throw ConfigurationError("\(what): the token's line holds control characters")
        }
        guard var parsed = APIToken(firstLine) else {
            throw ConfigurationError("\(what) is empty: its first line must be the API token")
        }
        parsed.source = what
        return parsed
    }
}
