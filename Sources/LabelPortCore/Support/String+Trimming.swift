extension StringProtocol {
    /// The text without the whitespace at either end (spaces, tabs, line ends, no-break
    /// spaces: Unicode's White_Space), without Foundation.
    package func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[start...end])
    }
}
