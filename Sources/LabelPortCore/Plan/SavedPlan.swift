/// A plan saved by `import --dry-run --plan-out` for `labelport apply`: every write the
/// import would send, with the label as the plan saw it. Holds the base URL, never the token.
package struct SavedPlan: Sendable {
    package static let format = "labelport-plan"
    package static let currentVersion = 1

    /// How the plan saw the label a write goes to.
    package enum Seen: Sendable, Equatable {
        /// A create: no label of this name, apart from these ids (create mode may add a namesake).
        case absent(idsWithName: [String])
        /// The first write to an existing label: its values and `updated_at` as read.
        case label(LabelValues, updatedAt: String?)
        /// A later write to a label an earlier write of the plan touches (or creates).
        case earlierWrite
    }

    package struct Write: Sendable, Equatable {
        package var line: Int
        package var runID: String
        package var outputResourceName: String
        /// Nil for a create, and for an update of a label the plan creates.
        package var labelID: String?
        package var isCreate: Bool
        /// The fields the request sends.
        package var sends: LabelValues
        package var seen: Seen
        package var before: LabelValues?
        package var after: LabelValues
    }

    package var baseURL: String
    package var createdAt: String
    package var mode: ImportMode
    package var inputName: String
    package var inputSHA256: String
    package var writes: [Write]

    package init(baseURL: String, createdAt: String, mode: ImportMode, inputName: String, inputSHA256: String, writes: [Write] = []) {
        self.baseURL = baseURL
        self.createdAt = createdAt
        self.mode = mode
        self.inputName = inputName
        self.inputSHA256 = inputSHA256
        self.writes = writes
    }

    /// The plan's fields before `writes`, as the file's head.
    var headJSON: JSONObject {
        var object = JSONObject()
        object["format"] = .string(Self.format)
        object["version"] = .number(JSONNumber(Self.currentVersion))
        object["base_url"] = .string(baseURL)
        object["created_at"] = .string(createdAt)
        object["mode"] = .string(mode.rawValue)
        object["input"] = .object(JSONObject([("name", .string(inputName)), ("sha256", .string(inputSHA256))]))
        return object
    }

    /// The rows the import engine carries out, in the plan's order.
    package var plannedRows: [PlannedRow] {
        writes.enumerated().map { index, write in
            let action: ImportAction = write.isCreate ? .create : .update
            let plannedWrite: PlannedWrite
            let key: PlanKey
            if write.isCreate {
                key = PlanKey.name(run: write.runID, write.outputResourceName)
                plannedWrite = .create(CreateGoldLabelRequest(
                    outputResourceName: write.outputResourceName, textValue: write.sends.textValue,
                    objectValue: write.sends.objectValue, objectValueIsPartial: write.sends.objectValueIsPartial))
            } else {
                let target: LabelTarget = write.labelID.map { .existing(id: $0) } ?? .pending(name: write.outputResourceName)
                key = write.labelID.map { PlanKey.id(run: write.runID, $0) } ?? PlanKey.name(run: write.runID, write.outputResourceName)
                plannedWrite = .update(target, UpdateGoldLabelRequest(
                    textValue: write.sends.textValue, objectValue: write.sends.objectValue, objectValueIsPartial: write.sends.objectValueIsPartial))
            }
            var row = PlannedRow(
                sequence: index, line: write.line, runID: write.runID, outputResourceName: write.outputResourceName,
                action: action, write: plannedWrite, labelID: write.labelID,
                changes: LabelDiff.changes(from: write.before ?? LabelValues(), to: write.after), problem: nil, key: key)
            row.before = write.before
            row.after = write.after
            return row
        }
    }
}

extension SavedPlan.Write {
    /// The plan entry for a planned row that writes; nil for a row that sends nothing.
    /// `firstTouch` says whether an earlier write of the plan touched this label.
    package init?(_ row: PlannedRow, firstTouch: Bool) {
        guard let write = row.write, let runID = row.runID, let name = row.outputResourceName, let after = row.after else { return nil }
        self.line = row.line
        self.runID = runID
        self.outputResourceName = name
        self.before = row.before
        self.after = after
        switch write {
        case .create(let request):
            labelID = nil
            isCreate = true
            sends = LabelValues(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
            seen = .absent(idsWithName: row.sameNameIDs)
        case .update(let target, let request):
            isCreate = false
            sends = LabelValues(textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
            switch target {
            case .existing(let id):
                labelID = id
                seen = firstTouch ? .label(row.before ?? LabelValues(), updatedAt: row.beforeUpdatedAt) : .earlierWrite
            case .pending:
                labelID = nil
                seen = .earlierWrite
            }
        }
    }

    var json: JSONObject {
        var object = JSONObject()
        object["line"] = .number(JSONNumber(line))
        object["run_id"] = .string(runID)
        object["output_resource_name"] = .string(outputResourceName)
        object["action"] = .string(isCreate ? "create" : "update")
        object["label_id"] = labelID.map(JSONValue.string) ?? .null
        object["sends"] = .object(sends.json)
        switch seen {
        case .absent(let ids):
            object["seen"] = .string("absent")
            if !ids.isEmpty { object["ids_with_name"] = .array(ids.map(JSONValue.string)) }
        case .label(let values, let updatedAt):
            object["seen"] = .object(JSONObject([("values", .object(values.json)), ("updated_at", updatedAt.map(JSONValue.string) ?? .null)]))
        case .earlierWrite:
            object["seen"] = .string("earlier write")
        }
        object["before"] = before.map { .object($0.json) } ?? .null
        object["after"] = .object(after.json)
        return object
    }

    init(json object: JSONObject) throws(RecordFormatError) {
        line = try object.int("line")
        runID = try object.string("run_id")
        outputResourceName = try object.string("output_resource_name")
        switch try object.string("action") {
        case "create": isCreate = true
        case "update": isCreate = false
        case let other: throw RecordFormatError("unknown action \"\(other)\"")
        }
        labelID = try object.optionalString("label_id")
        sends = try LabelValues(json: try object.optionalObject("sends") ?? JSONObject())
        switch object["seen"] {
        case .string("absent")?:
            var ids: [String] = []
            if case .array(let values)? = object["ids_with_name"] { ids = values.compactMap(\.stringValue) }
            seen = .absent(idsWithName: ids)
        case .string("earlier write")?:
            seen = .earlierWrite
        case .object(let inner)?:
            seen = .label(try LabelValues(json: try inner.optionalObject("values") ?? JSONObject()), updatedAt: try inner.optionalString("updated_at"))
        default:
            throw RecordFormatError("\"seen\" must be \"absent\", \"earlier write\" or an object")
        }
        before = try object.optionalObject("before").map { inner throws(RecordFormatError) in try LabelValues(json: inner) }
        guard let after = try object.optionalObject("after") else { throw RecordFormatError("\"after\" is missing") }
        self.after = try LabelValues(json: after)
        if !isCreate && labelID == nil && seen != .earlierWrite { throw RecordFormatError("an update with no label_id must follow the write that creates it") }
        // The label as seen is what the journal records as the values before the write:
        // an edited `before` would make undo put back values the label never had.
        let seenBefore: LabelValues?? = switch seen {
        case .label(let values, _): .some(values)
        case .absent: .some(nil)
        case .earlierWrite: .none
        }
        if case .some(let expected) = seenBefore, expected.map({ LabelDiff.changes(from: $0, to: before ?? LabelValues()).isEmpty }) ?? (before == nil) == false {
            throw RecordFormatError("\"before\" is not the label as \"seen\": the plan was edited; make a new one with import --dry-run --plan-out")
        }
        // What is sent is what the journal records as the result: the two must agree, or an
        // edited plan would write one thing and journal another (which undo then refuses).
        let sent = (before ?? LabelValues()).updated(
            textValue: sends.textValue, objectValue: sends.objectValue, objectValueIsPartial: sends.objectValueIsPartial)
        if !LabelDiff.changes(from: sent, to: self.after).isEmpty {
            throw RecordFormatError(
                "\"sends\" does not turn \"before\" into \"after\": the plan was edited; make a new one with import --dry-run --plan-out")
        }
    }
}
