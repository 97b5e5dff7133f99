/// A label a saved plan touches that is no longer as the plan saw it.
package struct PlanDrift: Sendable, Equatable {
    package var line: Int
    package var runID: String
    package var outputResourceName: String
    package var labelID: String?
    package var reason: String

    /// Said of a label that already holds what the plan would write.
    static let alreadyApplied = "exactly what the plan writes: was the plan applied already?"

    package var description: String {
        "line \(line), run \(runID): \(TerminalText.quoted(outputResourceName))" + (labelID.map { " \($0)" } ?? "") + ": \(reason)"
    }

    /// Every write of `plan` whose label differs from what the plan saw, given each run's
    /// labels as read now (`labels[runID]`). Values compare by meaning; `updated_at` too,
    /// so a label changed and changed back is drift as well.
    package static func check(_ plan: SavedPlan, labels: [String: [GoldLabel]]) -> [PlanDrift] {
        var byID: [String: [String: GoldLabel]] = [:]
        var byName: [String: [ExactString: [GoldLabel]]] = [:]
        for (run, list) in labels {
            var ids: [String: GoldLabel] = [:]
            var names: [ExactString: [GoldLabel]] = [:]
            for label in list {
                ids[label.id.lowercased()] = label
                names[ExactString(label.outputResourceName), default: []].append(label)
            }
            byID[run] = ids
            byName[run] = names
        }
        var drifts: [PlanDrift] = []
        for write in plan.writes {
            func drift(_ reason: String) {
                drifts.append(PlanDrift(line: write.line, runID: write.runID, outputResourceName: write.outputResourceName, labelID: write.labelID, reason: reason))
            }
            switch write.seen {
            case .earlierWrite:
                continue
            case .absent(let ids):
                let now = byName[write.runID]?[ExactString(write.outputResourceName)] ?? []
                let added = now.filter { label in !ids.contains { $0.lowercased() == label.id.lowercased() } }
                if !added.isEmpty {
                    let applied = added.count == 1 && LabelDiff.changes(from: write.after, to: LabelValues(added[0])).isEmpty
                    drift("to be created, but the run now has a label of that name (\(added.map(\.id).joined(separator: ", ")))"
                        + (applied ? " holding " + Self.alreadyApplied : ""))
                } else if now.count != ids.count {
                    drift("a label of that name that the plan saw is gone")
                }
            case .label(let values, let updatedAt):
                guard let id = write.labelID, let current = byID[write.runID]?[id.lowercased()] else {
                    drift("the label no longer exists")
                    continue
                }
                let changes = LabelDiff.changes(from: values, to: LabelValues(current))
                if !changes.isEmpty {
                    let paths = changes.prefix(3).map(\.path).joined(separator: ", ") + (changes.count > 3 ? ", …" : "")
                    let applied = LabelDiff.changes(from: write.after, to: LabelValues(current)).isEmpty
                    drift("changed since the plan (\(paths))" + (applied ? ", to " + Self.alreadyApplied : ""))
                } else if current.updatedAt != updatedAt {
                    drift("updated since the plan (updated_at \(updatedAt ?? "none") → \(current.updatedAt ?? "none"))")
                }
            }
        }
        return drifts
    }
}
