import LabelPortCore

/// The rows of a real import that failed or conflicted, for stderr: each with its reason,
/// up to 20; when more fail, rows that share a reason are one line with their count. A
/// reason is shared when it differs only in what it quotes (`no label with
/// output_resource_name "a"` and `… "b"`): the line shows the first row's, and a last line
/// says where every row is.
struct FailedRows: Sendable {
    private struct Group {
        var reason: String
        var count: Int
        var firstRow: String
    }

    /// Where a row is, as a user finds it: `FILE:LINE` for a file; copy, which has none,
    /// names the label and its destination run.
    enum Location: Sendable {
        case line(file: String)
        case label

        func of(_ outcome: RowOutcome) -> String {
            switch self {
            case .line(let file): "\(file):\(outcome.planned.line)"
            case .label: "copy \(TerminalText.quoted(outcome.planned.outputResourceName ?? "")) (run \(outcome.planned.runID ?? ""))"
            }
        }
    }

    let location: Location
    let verbose: Bool
    private(set) var total = 0
    /// The first rows (all of them with `--verbose`), as printed when few fail.
    private var lines: [String] = []
    private var groups: [Group] = []
    private var groupIndex: [String: Int] = [:]
    /// Rows whose reason came after ``maxGroups`` distinct reasons.
    private var ungrouped = 0
    private static let maxGroups = 1000

    init(location: Location, verbose: Bool) {
        self.location = location
        self.verbose = verbose
    }

    /// Notes the row when it failed or conflicted.
    mutating func add(_ outcome: RowOutcome) {
        let kind: String
        if outcome.planned.action == .conflict {
            kind = "conflict"
        } else if outcome.status == .failed {
            kind = "failed"
        } else {
            return
        }
        total += 1
        let reason = "\(kind): \(outcome.error ?? "no reason given")"
        if verbose || lines.count < CappedList.limit {
            lines.append("\(location.of(outcome)): \(reason)")
        }
        guard !verbose else { return }
        let key = Self.kind(of: reason)
        if let index = groupIndex[key] {
            groups[index].count += 1
        } else if groups.count < FailedRows.maxGroups {
            groupIndex[key] = groups.count
            groups.append(Group(reason: reason, count: 1, firstRow: location.of(outcome)))
        } else {
            ungrouped += 1
        }
    }

    /// `reason` without what is particular to a row: the text it quotes (a run it names
    /// is not: rows of two missing runs are two groups).
    static func kind(of reason: String) -> String {
        var kind = ""
        var quoted = false
        var escaped = false
        for character in reason {
            if quoted {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { quoted = false; kind.append("\"") }
                continue
            }
            kind.append(character)
            if character == "\"" { quoted = true; kind.append("…") }
        }
        return kind
    }

    /// The lines to print; `hint` says where to find every row.
    func render(hint: String) -> [String] {
        if verbose || total <= CappedList.limit { return lines }
        var list = CappedList(verbose: false)
        var result: [String] = []
        var hiddenRows = ungrouped
        for group in groups {
            if list.admit() {
                result.append(group.count == 1
                    ? "\(group.firstRow): \(group.reason)"
                    : "\(CountText.count(group.count, "row")) like \(group.firstRow): \(group.reason)")
            } else {
                hiddenRows += group.count
            }
        }
        if hiddenRows > 0 {
            result.append("… and \(CountText.count(hiddenRows, "more row", "more rows")) (\(hint))")
        } else if groups.contains(where: { $0.count > 1 }) {
            // A line that stands for several rows names only the first: say where they are.
            result.append("the rows counted above: \(hint)")
        }
        return result
    }
}
