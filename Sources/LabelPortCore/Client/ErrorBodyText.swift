/// What an error answer's body says, in one line of words: the API's `{"error": "..."}`,
/// the `detail` or `message` other servers put there (FastAPI's 422 lists its problems),
/// the title of an HTML page (a proxy's or a gateway's), else the start of the text.
enum ErrorBodyText {
    /// At most this many characters of a body that says nothing more structured.
    static let longest = 200

    static func text(_ bytes: [UInt8]) -> String? {
        if let value = try? JSONParser.parse(bytes), case .object(let object) = value, let said = said(object) {
            return capped(oneLine(said))
        }
        if let title = htmlTitle(bytes) {
            return title.isEmpty ? "an HTML page (from a proxy or gateway?)" : "\(capped(title)) (an HTML page: from a proxy or gateway?)"
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let line = oneLine(text)
        return line.isEmpty ? nil : capped(line)
    }

    private static func capped(_ line: String) -> String {
        line.count > longest ? String(line.prefix(longest)) + "…" : line
    }

    /// `error`, `detail` or `message` when a string; a `detail` list's `msg`s (FastAPI).
    private static func said(_ object: JSONObject) -> String? {
        for key in ["error", "detail", "message"] {
            if case .string(let message)? = object[key] { return message }
        }
        if case .array(let items)? = object["detail"] {
            let messages = items.compactMap { item -> String? in
                guard case .object(let entry) = item, case .string(let message)? = entry["msg"] else { return nil }
                if case .array(let location)? = entry["loc"] {
                    let path = location.compactMap { part -> String? in
                        switch part {
                        case .string(let name): name
                        case .number(let index): index.literal
                        default: nil
                        }
                    }
                    if !path.isEmpty { return "\(path.joined(separator: ".")): \(message)" }
                }
                return message
            }
            if !messages.isEmpty { return messages.joined(separator: "; ") }
        }
        return nil
    }

    /// The `<title>` (else the first `<h1>`) of an HTML page, its white space collapsed
    /// (empty when it has neither); nil when the text is no HTML page.
    private static func htmlTitle(_ bytes: [UInt8]) -> String? {
        // ASCII letters lower-cased, every other byte as it is: offsets stay the same.
        let lower = bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        guard ["<html", "<!doctype html", "<title"].contains(where: { find($0, in: lower, from: 0) != nil }) else { return nil }
        for tag in ["title", "h1"] {
            guard let open = find("<\(tag)", in: lower, from: 0), let close = find(">", in: lower, from: open),
                  let end = find("</\(tag)>", in: lower, from: close) else { continue }
            let title = oneLine(String(decoding: bytes[(close + 1)..<end], as: UTF8.self))
            if !title.isEmpty { return title }
        }
        return ""
    }

    /// Where `needle` (ASCII) first starts in `bytes` at or after `from`.
    private static func find(_ needle: String, in bytes: [UInt8], from: Int) -> Int? {
        guard from <= bytes.count else { return nil }
        return bytes.withUnsafeBytes { haystack in
            Array(needle.utf8).withUnsafeBytes { Platform.find($0, in: UnsafeRawBufferPointer(rebasing: haystack[from...])) }
        }.map { $0 + from }
    }

    /// Line breaks, tabs and runs of spaces as one space, trimmed; other control characters
    /// (a terminal's escape sequences) as escapes.
    private static func oneLine(_ text: String) -> String {
        TerminalText.oneLine(text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
    }
}
