/// The difference between two sets of labels matched by label id: an export file
/// (`old`, "my last backup") and the server now (`new`).
///
/// Only what import could carry counts: `output_resource_name`, `run_id` and the
/// three values. Timestamps and authors are metadata, not changes.
package struct LabelSetDiff: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        /// The label as it is now (for `removed`: as it was in the old set).
        package var label: StoredLabel
        /// Field by field; for added and removed labels, every value they hold (their
        /// name is in ``label``).
        package var changes: [FieldChange]
    }

    /// On the server, not in the old set.
    package private(set) var added: [Entry] = []
    /// In the old set, no longer on the server.
    package private(set) var removed: [Entry] = []
    /// In both, with different values.
    package private(set) var changed: [Entry] = []
    package private(set) var unchanged = 0

    package var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    package init() {}

    /// Compares `old` and `new`; each list is sorted in export order.
    package init(old: [StoredLabel], new: [StoredLabel]) {
        var oldByID: [String: StoredLabel] = [:]
        for label in old { oldByID[label.id] = label }
        add(old: oldByID, new: new)
    }

    /// Adds one group's comparison (e.g. one run) to this diff, so runs can be compared
    /// one at a time and released.
    package mutating func add(old: [String: StoredLabel], new: [StoredLabel]) {
        var remaining = old
        var group = LabelSetDiff()
        for label in new { group.record(old: remaining.removeValue(forKey: label.id), new: label) }
        for label in remaining.values { group.record(old: label, new: nil) }
        merge(group)
    }

    /// Notes one label: only in `new` (added), only in `old` (removed), or in both
    /// (changed or unchanged). Lists are put in order by ``merge(_:)``.
    package mutating func record(old: StoredLabel?, new: StoredLabel?) {
        switch (old, new) {
        case (nil, let label?):
            added.append(Entry(label: label, changes: Self.changes(from: nil, to: label)))
        case (let label?, nil):
            removed.append(Entry(label: label, changes: Self.changes(from: label, to: nil)))
        case (let before?, let label?):
            let changes = Self.changes(from: before, to: label)
            if changes.isEmpty { unchanged += 1 } else { changed.append(Entry(label: label, changes: changes)) }
        case (nil, nil):
            break
        }
    }

    /// Notes a label found the same in both, without looking at it again.
    package mutating func recordUnchanged() {
        unchanged += 1
    }

    /// Adds another group's differences, keeping every list in export order.
    package mutating func merge(_ other: LabelSetDiff) {
        added += other.added
        removed += other.removed
        changed += other.changed
        unchanged += other.unchanged
        added.sort { $0.label.precedes($1.label) }
        removed.sort { $0.label.precedes($1.label) }
        changed.sort { $0.label.precedes($1.label) }
    }

    static func changes(from old: StoredLabel?, to new: StoredLabel?) -> [FieldChange] {
        var changes: [FieldChange] = []
        let oldRun = old.map { JSONValue.string($0.runID) }
        let newRun = new.map { JSONValue.string($0.runID) }
        if old != nil, new != nil, oldRun != newRun {
            changes.append(FieldChange(path: "run_id", old: oldRun, new: newRun))
        }
        let oldName = old.map { JSONValue.string($0.outputResourceName) }
        let newName = new.map { JSONValue.string($0.outputResourceName) }
        if old != nil, new != nil, oldName != newName {
            changes.append(FieldChange(path: "output_resource_name", old: oldName, new: newName))
        }
        changes += LabelDiff.changes(from: old?.values ?? LabelValues(), to: new?.values ?? LabelValues())
        return changes
    }

    /// The counts line: `1 added, 0 removed, 2 changed, 17 unchanged`.
    package var countsLine: String {
        [("added", added.count), ("removed", removed.count), ("changed", changed.count), ("unchanged", unchanged)]
            .map { "\(CountText.grouped($0.1)) \($0.0)" }.joined(separator: ", ")
    }

    /// Each added, removed and changed label: a head line, then a line per field.
    package func entries(_ renderer: DiffRenderer) -> [[String]] {
        [("added", added), ("removed", removed), ("changed", changed)].flatMap { title, entries in
            entries.map { entry in
                let label = entry.label
                return ["\(title) label \(label.id) (run \(label.runID), \(TerminalText.quoted(label.outputResourceName)))"]
                    + entry.changes.map { "    " + renderer.render($0) }
            }
        }
    }

    /// Counts first, then every entry whole (see ``entries(_:)``).
    package func render(_ renderer: DiffRenderer) -> String {
        ([countsLine] + entries(renderer).flatMap { $0 }).joined(separator: "\n") + "\n"
    }

    /// `{"identical": …, "counts": {…}, "added": [...], "removed": [...], "changed": [...]}`,
    /// each label as `{"run_id", "id", "output_resource_name", "changes": [FieldChange.json]}`.
    package var json: JSONValue {
        var counts = JSONObject()
        counts["added"] = .number(JSONNumber(added.count))
        counts["removed"] = .number(JSONNumber(removed.count))
        counts["changed"] = .number(JSONNumber(changed.count))
        counts["unchanged"] = .number(JSONNumber(unchanged))
        var root = JSONObject()
        root["identical"] = .bool(isEmpty)
        root["counts"] = .object(counts)
        for (title, entries) in [("added", added), ("removed", removed), ("changed", changed)] {
            root[title] = .array(entries.map { entry in
                var object = JSONObject()
                object["run_id"] = .string(entry.label.runID)
                object["id"] = .string(entry.label.id)
                object["output_resource_name"] = .string(entry.label.outputResourceName)
                object["changes"] = .array(entry.changes.map(\.json))
                return .object(object)
            })
        }
        return .object(root)
    }
}
