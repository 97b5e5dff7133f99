import LabelPortCore

/// A list for the terminal that stays readable at any size: up to ``limit`` items are
/// shown (all of them with `--verbose`), the rest counted for one `… and N more` line.
struct CappedList: Sendable {
    static let limit = 20

    let limit: Int
    private(set) var shown = 0
    private(set) var hidden = 0

    init(verbose: Bool) {
        limit = verbose ? Int.max : CappedList.limit
    }

    /// Counts one item; true when it is to be shown.
    mutating func admit() -> Bool {
        if shown < limit {
            shown += 1
            return true
        }
        hidden += 1
        return false
    }

    /// An entry shows at most this many changed fields (all with `--verbose`).
    static let fieldLimit = 10

    /// An entry's head line and its field lines, with at most ``fieldLimit`` fields (all
    /// of them when `verbose`), then `    … 5 more fields`.
    static func entry(_ lines: [String], verbose: Bool) -> [String] {
        let fields = lines.count - 1
        guard !verbose, fields > fieldLimit else { return lines }
        return Array(lines.prefix(1 + fieldLimit)) + ["    … \(CountText.count(fields - fieldLimit, "more field"))"]
    }

    /// `… and 12 more problems (--verbose lists them all)`, or nil when nothing was held back.
    func moreLine(_ noun: String, hint: String) -> String? {
        hidden == 0 ? nil : "… and \(CountText.grouped(hidden)) more \(noun) (\(hint))"
    }
}
