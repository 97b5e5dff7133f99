/// Renders a ``FieldChange`` as one line for people:
///
///     ~ object_value.answer.tags[1]: "cat" → "dog"
///     + object_value.answer.score: 0.5
///     - text_value: "old text"
///
/// Values are compact JSON with object keys sorted byte-wise and numbers as sent; one
/// longer than ``longest`` characters is cut there and says its length (`--json` output
/// has it whole), so that a line stays readable. With `color`, `+` lines are green, `-` red and `~` yellow (ANSI escapes).
package struct DiffRenderer: Sendable {
    package var color: Bool

    package init(color: Bool) {
        self.color = color
    }

    /// The most characters of a value a line shows.
    package static let longest = TerminalText.longestName

    package func render(_ change: FieldChange) -> String {
        let text: String
        let colorCode: String
        switch change.kind {
        case .added:
            text = "+ \(change.path): \(shown(change.new ?? .null))"
            colorCode = "32"
        case .removed:
            text = "- \(change.path): \(shown(change.old ?? .null))"
            colorCode = "31"
        case .changed:
            text = "~ \(change.path): \(shown(change.old ?? .null)) → \(shown(change.new ?? .null))"
            colorCode = "33"
        }
        return paint(TerminalText.escapingActive(inJSON: text), colorCode)
    }

    /// A value as a line shows it: whole, or its first ``longest`` characters and its length.
    private func shown(_ value: JSONValue) -> String {
        let text = JSONWriter(keyOrder: .sorted).string(value)
        guard text.utf8.count > Self.longest, text.count > Self.longest else { return text }
        // The length of the value itself: a string's characters, not its JSON quoting.
        let length: Int
        if case .string(let string) = value { length = string.count } else { length = text.count }
        return "\(text.prefix(Self.longest))… (\(CountText.grouped(length)) characters)"
    }

    /// `text` in the ANSI colour `code` (`32` green, `31` red, `33` yellow…) when colouring.
    package func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
