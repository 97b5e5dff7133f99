/// Plans `labelport undo`: for each label a journal's writes reached (or may have
/// reached), compares its current values with what the writes set and decides whether
/// to put the earlier values back. Pure: works on the journal and the runs as read now.
package enum RestorePlanner {
    /// `labels[runID]`: each run's labels as read now (a run missing from it counts as
    /// holding none of the journal's labels).
    package static func plan(_ journal: Journal, labels: [String: [GoldLabel]]) -> RestorePlan {
        var current: [String: [String: GoldLabel]] = [:]
        for (run, list) in labels {
            var ids: [String: GoldLabel] = [:]
            for label in list { ids[label.id.lowercased()] = label }
            current[run] = ids
        }
        // The writes that may have reached the server, grouped by label in journal order:
        // the first write's before-values are the label's earlier values; the last
        // write's after-values are what it should hold now.
        var order: [String] = []
        var groups: [String: [Journal.Entry]] = [:]
        var unknownCreates: [RestorePlan.Item] = []
        var names: [String: [String: [GoldLabel]]] = [:]  // by run, then name: only for creates of unknown outcome
        for entry in journal.entries where entry.outcome?.status != .failed {
            guard let id = entry.labelID else {
                // A create with no recorded outcome. No label of its name in the run now: it
                // never reached the server (there is no delete), nothing to undo. Else, if it
                // made that label, the label cannot be removed.
                let run = entry.write.runID
                if names[run] == nil { names[run] = Dictionary(grouping: labels[run] ?? [], by: \.outputResourceName) }
                let found = entry.write.outputResourceName.flatMap { names[run]?[$0] } ?? []
                var item = RestorePlan.Item(
                    runID: run, labelID: found.count == 1 ? found[0].id : nil, outputResourceName: entry.write.outputResourceName,
                    seq: entry.write.seq, decision: found.isEmpty ? .neverApplied : .created, before: nil, after: entry.write.after,
                    current: found.count == 1 ? LabelValues(found[0]) : nil, request: nil)
                item.outcomeUnknown = true
                unknownCreates.append(item)
                continue
            }
            let key = entry.write.runID + "/" + id.lowercased()
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entry)
        }
        var items: [RestorePlan.Item] = []
        for key in order {
            guard let writes = groups[key], let first = writes.first, let last = writes.last, let id = first.labelID else { continue }
            let label = current[first.write.runID]?[id.lowercased()]
            var item = RestorePlan.Item(
                runID: first.write.runID, labelID: label?.id ?? id, outputResourceName: first.write.outputResourceName ?? label?.outputResourceName,
                seq: first.write.seq, decision: .created, before: first.write.before, after: last.write.after,
                current: label.map(LabelValues.init), request: nil)
            let decision = decide(&item)
            item.decision = decision
            items.append(item)
        }
        items.append(contentsOf: unknownCreates)
        items.sort { $0.seq < $1.seq }
        return RestorePlan(items: items)
    }

    private static func decide(_ item: inout RestorePlan.Item) -> RestorePlan.Decision {
        guard let before = item.before else { return .created }
        guard let now = item.current else { return .conflict("the label is gone from the run") }
        if LabelDiff.changes(from: now, to: before).isEmpty { return .alreadyRestored }
        let changes = LabelDiff.changes(from: item.after, to: now)
        if !changes.isEmpty {
            let paths = changes.prefix(3).map(\.path).joined(separator: ", ") + (changes.count > 3 ? ", …" : "")
            return .conflict("changed since the journaled write (\(paths)); left as it is")
        }
        let (request, problems) = restoreRequest(from: now, to: before)
        if !problems.isEmpty { return .inexact(problems.joined(separator: "; ")) }
        item.request = request
        return .restore
    }

    /// The update that takes a label from `now` back to `before`, and what it cannot do:
    /// an update can set a field but never make it absent again (and setting text or
    /// object clears the other, so one of the two always stays).
    /// The fields of `before` that differ from `now`.
    private static func changedFields(from now: LabelValues, to before: LabelValues) -> UpdateGoldLabelRequest {
        var request = UpdateGoldLabelRequest()
        if let text = before.textValue, now.textValue.map({ !$0.utf8.elementsEqual(text.utf8) }) ?? true { request.textValue = text }
        if let object = before.objectValue, now.objectValue.map({ !LabelDiff.changes(from: LabelValues(objectValue: $0), to: LabelValues(objectValue: object)).isEmpty }) ?? true {
            request.objectValue = object
        }
        if let partial = before.objectValueIsPartial, now.objectValueIsPartial != partial { request.objectValueIsPartial = partial }
        return request
    }

    static func restoreRequest(from now: LabelValues, to before: LabelValues) -> (UpdateGoldLabelRequest, [String]) {
        // Sent whole, as an import's updates are, so that a server that replaces the value
        // fields on a PUT restores the same label; values with both a text and an object
        // (which the API does not make): only the fields that differ.
        let request = UpdateGoldLabelRequest(whole: before) ?? changedFields(from: now, to: before)
        let result = now.updated(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
        var problems: [String] = []
        if before.textValue == nil && result.textValue != nil && before.objectValue == nil {
            problems.append("text_value was absent before and the API cannot clear it")
        }
        if before.objectValue == nil && result.objectValue != nil && before.textValue == nil {
            problems.append("object_value was absent before and the API cannot clear it")
        }
        if before.objectValueIsPartial == nil && result.objectValueIsPartial != nil {
            problems.append("object_value_is_partial was null before and the API cannot set it back to null")
        }
        if problems.isEmpty && !LabelDiff.changes(from: result, to: before).isEmpty {
            problems.append("the API cannot set these values back exactly")
        }
        return (request, problems)
    }
}
