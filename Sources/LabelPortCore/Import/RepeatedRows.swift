/// Several rows for one label, merged in file order into the label's final state, so
/// the import plans one change for them (and a re-run of the file writes nothing).
/// Collected in a pass of its own, only for the labels that more than one row names.
package struct RepeatedRows: Sendable {
    /// The merged row by the label its rows resolve to (``Planner/labelKey(for:)``); its
    /// line is the first row's.
    var merged: [PlanKey: LabelRow] = [:]

    package init() {}

    package var isEmpty: Bool { merged.isEmpty }

    /// Reads `source` and merges the valid rows of each label in `labels` (hashes from
    /// ``InputValidator/Summary/repeatedLabels``) that resolve to one label of the run
    /// (`planner`'s ``Planner/labelKey(for:)``): a row whose id names a label and a row that
    /// only gives that name are merged only if the name is that label's. Rows that name
    /// different ids for one name are different labels, and are not merged.
    package init<Source: LabelItemSource>(_ source: inout Source, labels: Set<Int>, configuration: ImportConfiguration, planner: Planner) {
        guard !labels.isEmpty, configuration.mode != .create else { return }
        var refused: Set<PlanKey> = []
        while let item = source.next() {
            guard case .row(var row, _) = item else { continue }
            row.runID = configuration.runID(for: row)
            guard labels.contains(Planner.labelHash(run: row.runID, name: row.outputResourceName)) else { continue }
            let key = planner.labelKey(for: row)
            if refused.contains(key) { continue }
            guard let earlier = merged[key] else {
                merged[key] = row
                continue
            }
            if let a = earlier.id, let b = row.id, a != b {
                merged[key] = nil
                refused.insert(key)
                continue
            }
            merged[key] = earlier.merging(row)
        }
    }
}

extension LabelRow {
    /// This row followed by `next`: the values the label holds after both, as one row.
    /// A text clears the object and an object the text; key columns set keys in the
    /// object so far (or, after a text cleared it, make a new one).
    package func merging(_ next: LabelRow) -> LabelRow {
        var result = self
        if result.id == nil { result.id = next.id }
        if let text = next.textValue {
            result.textValue = text
            result.objectValue = nil
            result.objectKeyPaths = nil
        }
        if let object = next.objectValue {
            if let paths = next.objectKeyPaths, var current = result.objectValue {
                for path in paths {
                    if let value = object.value(at: path) { current.setValue(value, at: path) }
                }
                result.objectValue = current
                if let earlierPaths = result.objectKeyPaths { result.objectKeyPaths = earlierPaths + paths }
            } else {
                result.objectValue = object
                // After a text, the label holds no object: the keys make the whole object.
                result.objectKeyPaths = result.textValue == nil ? next.objectKeyPaths : nil
            }
            result.textValue = nil
        }
        if let partial = next.objectValueIsPartial { result.objectValueIsPartial = partial }
        return result
    }
}
