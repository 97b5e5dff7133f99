/// One way a destination run differs from its source after a copy.
package struct CopyDifference: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// No label of this name in the destination run.
        case missing
        /// The destination label's values differ (changes read source → destination).
        case changed(id: String, [FieldChange])
        /// The destination run holds several labels of this name.
        case duplicated(ids: [String])
        /// The source run holds several labels of this name: a copy by name keeps one.
        case ambiguousSource(count: Int)
    }

    package var sourceRun: String
    package var destinationRun: String
    package var outputResourceName: String
    package var kind: Kind

    /// A changed label whose `object_value_is_partial` is null in the source and set in
    /// the destination: no write can make it null again, so no copy makes them equal.
    package var partialFlagCannotBeCleared: Bool {
        guard case .changed(_, let changes) = kind else { return false }
        return changes.contains { $0.kind == .added && $0.path == "object_value_is_partial" }
    }

    /// What a dry run says of a ``partialFlagCannotBeCleared`` label, before the copy.
    package var partialFlagLine: String {
        "cannot copy exactly \(TerminalText.quoted(outputResourceName)) (run \(destinationRun)): object_value_is_partial is null in the source "
            + "and set in the destination, and the API cannot set it back to null"
    }

    /// The lines for people: a head line, then one line per field for a change.
    package func lines(_ renderer: DiffRenderer) -> [String] {
        let name = TerminalText.quoted(outputResourceName)
        let place = "run \(destinationRun)"
        switch kind {
        case .missing:
            return ["missing \(name) (\(place)): the destination has no label of this name"]
        case .changed(let id, let changes):
            // Null in the source, set in the destination: no update can make it null again.
            let unfixable = changes.allSatisfy { $0.kind == .added && $0.path == "object_value_is_partial" }
                ? " (the API cannot set object_value_is_partial back to null: copying again cannot make them equal)" : ""
            return ["differs \(name) \(id) (\(place)), source → destination\(unfixable):"] + changes.map { "    " + renderer.render($0) }
        case .duplicated(let ids):
            return ["duplicated \(name) (\(place)): \(ids.count) labels share the name: \(ids.joined(separator: ", "))"]
        case .ambiguousSource(let count):
            return ["ambiguous \(name) (source run \(sourceRun)): \(count) source labels share the name; a copy by name keeps one"]
        }
    }

    package var json: JSONValue {
        var object = JSONObject()
        object["source_run_id"] = .string(sourceRun)
        object["run_id"] = .string(destinationRun)
        object["output_resource_name"] = .string(outputResourceName)
        switch kind {
        case .missing:
            object["difference"] = "missing"
        case .changed(let id, let changes):
            object["difference"] = "changed"
            object["id"] = .string(id)
            object["changes"] = .array(changes.map(\.json))
        case .duplicated(let ids):
            object["difference"] = "duplicated"
            object["ids"] = .array(ids.map(JSONValue.string))
        case .ambiguousSource(let count):
            object["difference"] = "ambiguous_source"
            object["count"] = .number(JSONNumber(count))
        }
        return .object(object)
    }
}
