/// Renders import plans and outcomes for people (plain or ANSI-coloured) and as JSON.
package struct PlanRenderer: Sendable {
    package var color: Bool
    /// What a row's position counts: `line` of an input file, `source label` for copy
    /// (which has no file: the label's place in the source run's answer).
    package var rowName: String
    private let diff: DiffRenderer

    package init(color: Bool, rowName: String = "line") {
        self.color = color
        self.rowName = rowName
        self.diff = DiffRenderer(color: color)
    }

    private func paint(_ text: String, _ code: String) -> String { diff.paint(text, code) }

    /// The counts line that heads a plan.
    package func header(_ counts: OutcomeCounts, runs: Int, dryRun: Bool) -> String {
        let parts = ImportAction.allCases.map { "\($0.rawValue) \(CountText.grouped(counts.count($0)))" }
        let verb = dryRun ? "Plan" : "Result"
        let doomed = dryRun && counts.doomed > 0 ? "; \(CountText.grouped(counts.doomed)) of them would fail (below)" : ""
        return "\(verb): \(CountText.count(counts.rows, "row")) in \(CountText.count(runs, "run")): " + parts.joined(separator: ", ") + doomed
    }

    /// The lines for one row of the plan; nothing for an unchanged row (unless it has a
    /// notice).
    package func lines(for outcome: RowOutcome) -> [String] {
        let p = outcome.planned
        let name = p.outputResourceName.map(TerminalText.quoted) ?? ""
        let where_ = "\(rowName) \(p.line)" + (p.runID.map { ", run \($0)" } ?? "")
        let notice = p.notice.map { " — " + paint($0, "33") } ?? ""
        switch p.action {
        case .unchanged:
            guard !notice.isEmpty else { return [] }
            return ["unchanged \(name)\((outcome.labelID ?? p.labelID).map { " \($0)" } ?? "") (\(where_))\(notice)"]
        case .create, .update:
            let tag = p.action == .create ? paint("create", "32") : paint("update", "33")
            var head = "\(tag) \(name)"
            if let id = outcome.labelID ?? p.labelID { head += " \(id)" }
            head += " (\(where_))" + notice
            if let error = outcome.error, outcome.status != .ok, outcome.status != .planned || p.problem != nil {
                head += ": " + paint(error, "31")
            }
            return [head] + p.changes.map { "    " + diff.render($0) }
        case .conflict:
            return ["\(paint("conflict", "31")) \(name) (\(where_)): \(outcome.error ?? "")"]
        case .invalid:
            return ["\(paint("invalid", "31")) (\(where_)): \(outcome.error ?? "")"]
        }
    }

    /// One row of the plan as JSON, for `--dry-run --json`.
    package func json(for outcome: RowOutcome) -> JSONValue {
        guard case .object(var object) = outcome.reportJSON else { return outcome.reportJSON }
        object["changes"] = .array(outcome.planned.changes.map(\.json))
        if let notice = outcome.planned.notice { object["notice"] = .string(notice) }
        return .object(object)
    }
}
