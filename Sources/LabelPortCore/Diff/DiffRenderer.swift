/// Renders a ``FieldChange`` as one line for people:
///
///     ~ object_value.answer.tags[1]: "cat" → "dog"
///     + object_value.answer.score: 0.5
///     - text_value: "old text"
///
/// Values are compact JSON with object keys sorted byte-wise and numbers as sent.
/// With `color`, `+` lines are green, `-` red and `~` yellow (ANSI escapes).
package struct DiffRenderer: Sendable {
    package var color: Bool

    package init(color: Bool) {
        self.color = color
    }

    package func render(_ change: FieldChange) -> String {
        let writer = JSONWriter(keyOrder: .sorted)
        let text: String
        let colorCode: String
        switch change.kind {
        case .added:
            text = "+ \(change.path): \(writer.string(change.new ?? .null))"
            colorCode = "32"
        case .removed:
            text = "- \(change.path): \(writer.string(change.old ?? .null))"
            colorCode = "31"
        case .changed:
            text = "~ \(change.path): \(writer.string(change.old ?? .null)) → \(writer.string(change.new ?? .null))"
            colorCode = "33"
        }
        return paint(text, colorCode)
    }

    /// `text` in the ANSI colour `code` (`32` green, `31` red, `33` yellow…) when colouring.
    package func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
