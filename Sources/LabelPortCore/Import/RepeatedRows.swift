/// Several rows for one label, merged in file order into the label's final state, so
/// the import plans one change for them (and a re-run of the file writes nothing).
/// Collected in a pass of its own, only for the labels that more than one row names.
package struct RepeatedRows: Sendable {
    /// The merged row by the label its rows resolve to (``Planner/labelKey(for:)``); its
    /// line is the first row's.
    var merged: [PlanKey: LabelRow] = [:]

    package init() {}

    package var isEmpty: Bool { merged.isEmpty }

    /// Reads the input (`open` gives a fresh pass over it) and merges the valid rows of
    /// each label that more than one row names, as they resolve to one label of the run
    /// (`planner`'s ``Planner/labelKey(for:)``): `labels` are the hashes of the names
    /// several rows give (``InputValidator/Summary/repeatedLabels``). A row whose id names
    /// a label and a row that only gives a name are merged only if the name is that
    /// label's. Rows that name different ids for one name are different labels, and are
    /// not merged.
    ///
    /// With `rowsWithIDs`, a row may also reach a label by id under another name (an
    /// edited name cell: the label keeps its own), and another row may name that label by
    /// its own name. Neither name repeats, so the first pass finds such labels, and a second
    /// merges their rows too.
    package init<Source: LabelItemSource>(
        open: () throws -> Source, labels: Set<Int>, rowsWithIDs: Bool, configuration: ImportConfiguration, planner: Planner
    ) rethrows {
        guard configuration.mode != .create, !labels.isEmpty || rowsWithIDs else { return }
        var source = try open()
        var renamed: Set<Int> = []
        merge(&source, labels: labels, renamed: &renamed, configuration: configuration, planner: planner)
        guard !renamed.isEmpty else { return }
        merged = [:]
        var again = try open()
        var unused: Set<Int> = []
        merge(&again, labels: labels.union(renamed), renamed: &unused, configuration: configuration, planner: planner)
    }

    /// One pass: merges the rows of `labels`, and a row reaching one of them by id under
    /// another name; collects in `renamed` the labels rows reach by id under another name.
    private mutating func merge<Source: LabelItemSource>(
        _ source: inout Source, labels: Set<Int>, renamed: inout Set<Int>, configuration: ImportConfiguration, planner: Planner
    ) {
        var refused: Set<PlanKey> = []
        while let item = source.next() {
            guard case .row(var row, _) = item else { continue }
            row.runID = configuration.runID(for: row)
            var named = labels.contains(Planner.labelHash(run: row.runID, name: row.outputResourceName))
            if row.id != nil, let ownName = planner.labelName(renamedBy: row) {
                let hash = Planner.labelHash(run: row.runID, name: ownName)
                renamed.insert(hash)
                named = named || labels.contains(hash)
            }
            guard named else { continue }
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
