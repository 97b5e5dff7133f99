/// Renders an undo's plan for people and as JSON.
package struct RestoreRenderer: Sendable {
    private let diff: DiffRenderer
    private let color: Bool

    package init(color: Bool) {
        self.color = color
        self.diff = DiffRenderer(color: color)
    }

    private func paint(_ text: String, _ code: String) -> String { diff.paint(text, code) }

    package func lines(for item: RestorePlan.Item) -> [String] {
        let name = item.outputResourceName.map(TerminalText.quoted) ?? "(no name)"
        let label = name + (item.labelID.map { " \($0)" } ?? "") + " (run \(item.runID), write \(item.seq))"
        switch item.decision {
        case .restore:
            let changes = LabelDiff.changes(from: item.current ?? item.after, to: item.before ?? LabelValues())
            return ["\(paint("restore", "33")) \(label)"] + changes.map { "    " + diff.render($0) }
        case .alreadyRestored:
            return ["\(paint("restored", "32")) \(label): already at its earlier values"]
        case .conflict(let reason):
            return ["\(paint("conflict", "31")) \(label): \(reason)"]
        case .created:
            let what = item.outcomeUnknown
                ? "a label of its name is in the run: created by its create (of unknown outcome), unless it was there before"
                : "created by the journaled run"
            return ["\(paint("created", "31")) \(label): \(what); cannot be removed (the API has no delete)"]
        case .neverApplied:
            return ["\(paint("restored", "32")) \(label): not in the run: its create (of unknown outcome) never reached the server"]
        case .inexact(let reason):
            return ["\(paint("cannot restore", "31")) \(label): \(reason); left as it is"]
        }
    }

    package func json(for item: RestorePlan.Item) -> JSONValue {
        var object = JSONObject()
        object["seq"] = .number(JSONNumber(item.seq))
        object["run_id"] = .string(item.runID)
        object["id"] = item.labelID.map(JSONValue.string) ?? .null
        object["output_resource_name"] = item.outputResourceName.map(JSONValue.string) ?? .null
        let (decision, reason): (String, String?) = switch item.decision {
        case .restore: ("restore", nil)
        case .alreadyRestored: ("already_restored", nil)
        case .conflict(let reason): ("conflict", reason)
        case .created: ("created", "cannot be removed (the API has no delete)")
        case .neverApplied: ("already_restored", "not in the run: its create (of unknown outcome) never reached the server")
        case .inexact(let reason): ("cannot_restore", reason)
        }
        object["decision"] = .string(decision)
        object["reason"] = reason.map(JSONValue.string) ?? .null
        if item.decision == .restore {
            object["changes"] = .array(LabelDiff.changes(from: item.current ?? item.after, to: item.before ?? LabelValues()).map(\.json))
        }
        return .object(object)
    }
}
