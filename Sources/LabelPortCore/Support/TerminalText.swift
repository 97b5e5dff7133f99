/// Text from files and servers (label names, cell values, server messages) as it is shown
/// in a message line: every character that would act on a terminal instead of showing is
/// written as an escape, so a name cannot break a line, move the cursor, set the window's
/// title or reverse what follows it.
package enum TerminalText {
    /// Whether `scalar` acts rather than shows, or shows as nothing: C0 and C1 control
    /// characters, DEL, the line and paragraph separators, and the format characters
    /// (Unicode's Cf: the bidirectional controls that reorder the text after them,
    /// zero-width spaces and joiners, the soft hyphen, U+FEFF), so that two names that differ
    /// only by them do not look the same.
    package static func isActive(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F: return true
        case 0x20..<0xAD: return false  // printable ASCII and Latin-1: the common case, decided at once
        default:
            switch scalar.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// `text` on one line, as tools that read `FILE:LINE: message` need: a line break, tab
    /// or other active character is written as an escape (`\n`, `\t`, `\u{1b}`).
    package static func oneLine(_ text: String) -> String {
        escaped(text) { scalar in
            switch scalar {
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
    }

    /// `text` as a JSON string literal (quotes and backslashes escaped), with every active
    /// character as a `\uXXXX` escape: how a label name is quoted in a message. What is
    /// shown can be pasted back into a JSONL file as the same name. A name longer than
    /// ``longestName`` characters shows its start and its length (`"abc…" (10,240
    /// characters)`), so that a line stays readable.
    package static func quoted(_ text: String) -> String {
        guard text.utf8.count > longestName, text.count > longestName else { return literal(text) }
        var shown = literal(String(text.prefix(longestName)))
        shown.removeLast()
        return shown + "…\" (\(CountText.grouped(text.count)) characters)"
    }

    /// The most characters of a name a message shows (and of a value a diff line shows:
    /// ``DiffRenderer/longest``).
    package static let longestName = 200

    private static func literal(_ text: String) -> String {
        escapingActive(inJSON: JSONWriter().string(.string(text)))
    }

    /// JSON text with the active characters JSON allows raw (DEL, C1, bidirectional
    /// formatting) as `\uXXXX` escapes: still the same JSON, safe to show.
    package static func escapingActive(inJSON json: String) -> String {
        escaped(json) { scalar in
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }

    /// A cell's text in double quotes for a problem message, cut after ``excerptLength``
    /// characters and then followed by its length: a whole paragraph pasted into a number
    /// column should not fill the screen. (The message's line breaks are escaped later,
    /// with the rest of it.)
    package static func quotedExcerpt(_ text: String) -> String {
        guard text.count > excerptLength else { return "\"\(text)\"" }
        return "\"\(text.prefix(excerptLength))…\" (\(CountText.grouped(text.count)) characters)"
    }

    /// How much of a cell a problem message quotes: enough to find it in the file.
    package static let excerptLength = 60

    private static func escaped(_ text: String, _ escape: (Unicode.Scalar) -> String) -> String {
        guard text.unicodeScalars.contains(where: isActive) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isActive(scalar) { out += escape(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
