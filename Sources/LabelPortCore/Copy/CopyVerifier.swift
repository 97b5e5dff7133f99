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

    /// The lines for people: a head line, then one line per field for a change.
    package func lines(_ renderer: DiffRenderer) -> [String] {
        let name = JSONWriter().string(.string(outputResourceName))
        let place = "run \(destinationRun)"
        switch kind {
        case .missing:
            return ["missing \(name) (\(place)): the destination has no label of this name"]
        case .changed(let id, let changes):
            return ["differs \(name) \(id) (\(place)), source → destination:"] + changes.map { "    " + renderer.render($0) }
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

/// Compares a copy's destination run with its source, label by label of the same name,
/// by meaning (key order and number spelling aside; ids, timestamps and authors are not
/// compared). Labels only in the destination are not differences.
package enum CopyVerifier {
    package static func differences(
        source: [GoldLabel], destination: [GoldLabel], sourceRun: String, destinationRun: String
    ) -> [CopyDifference] {
        var byName: [ExactString: [GoldLabel]] = [:]
        for label in destination { byName[ExactString(label.outputResourceName), default: []].append(label) }
        var sourceCount: [ExactString: Int] = [:]
        for label in source { sourceCount[ExactString(label.outputResourceName), default: 0] += 1 }

        var result: [CopyDifference] = []
        var reported: Set<ExactString> = []
        for label in CopyRows.ordered(source) {
            let key = ExactString(label.outputResourceName)
            func add(_ kind: CopyDifference.Kind) {
                result.append(CopyDifference(
                    sourceRun: UUIDText.normalized(sourceRun), destinationRun: UUIDText.normalized(destinationRun),
                    outputResourceName: label.outputResourceName, kind: kind))
            }
            if let count = sourceCount[key], count > 1 {
                if reported.insert(key).inserted { add(.ambiguousSource(count: count)) }
                continue
            }
            let matches = byName[key] ?? []
            switch matches.count {
            case 0: add(.missing)
            case 1:
                let changes = LabelDiff.changes(from: LabelValues(label), to: LabelValues(matches[0]))
                if !changes.isEmpty { add(.changed(id: matches[0].id, changes)) }
            default: add(.duplicated(ids: matches.map(\.id).sorted()))
            }
        }
        return result
    }
}
