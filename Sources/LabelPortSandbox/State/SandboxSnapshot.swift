import LabelPortCore

/// The seed and data file format:
/// `{"runs": [{"id", "account_id"}], "gold_labels": [RunGoldLabel…], "evaluations": [RunEvaluation…]}`.
///
/// Objects are as the API returns them. In a seed, ids, timestamps and `account_id` of
/// labels and evaluations may be left out: ids are generated, timestamps set to now and
/// the account taken from the run. A label or evaluation of an undeclared run declares
/// it when it names its `account_id`.
package enum SandboxSnapshot {
    package static func decode(
        _ bytes: [UInt8], source: String, now: String, newID: () -> String
    ) throws(SandboxConfigurationError) -> SandboxState {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch {
            throw SandboxConfigurationError("\(source): not valid JSON: \(error)")
        }
        guard case .object(let top) = root else {
            throw SandboxConfigurationError("\(source): the top level must be an object with \"runs\", \"gold_labels\" and \"evaluations\"")
        }
        for key in top.keys where !["runs", "gold_labels", "evaluations"].contains(key) {
            throw SandboxConfigurationError("\(source): unknown key \"\(key)\" (expected runs, gold_labels, evaluations)")
        }
        var state = SandboxState()
        for (index, run) in try array(top, "runs", source).enumerated() {
            let place = "\(source): runs[\(index)]"
            guard case .object(let object) = run, case .string(let id)? = object["id"], case .string(let account)? = object["account_id"] else {
                throw SandboxConfigurationError("\(place): a run is {\"id\": UUID, \"account_id\": STRING}")
            }
            guard UUIDText.isValid(id) else { throw SandboxConfigurationError("\(place): id \"\(id)\" is not a UUID") }
            if state.runs[UUIDText.normalized(id)] != nil { throw SandboxConfigurationError("\(place): run \(id) is declared twice") }
            state.addRun(id, account: account)
        }
        for (index, item) in try array(top, "gold_labels", source).enumerated() {
            let place = "\(source): gold_labels[\(index)]"
            let object = try fill(item, place: place, state: &state, now: now, newID: newID)
            let label: GoldLabel
            do { label = try GoldLabel(json: .object(object)) } catch { throw SandboxConfigurationError("\(place): \(error.message)") }
            if label.textValue != nil && label.objectValue != nil {
                throw SandboxConfigurationError("\(place): a gold label holds text_value or object_value, not both")
            }
            if state.labels[UUIDText.normalized(label.id)] != nil {
                throw SandboxConfigurationError("\(place): id \(label.id) is the id of an earlier gold label (each label needs its own)")
            }
            state.insert(label)
        }
        for (index, item) in try array(top, "evaluations", source).enumerated() {
            let place = "\(source): evaluations[\(index)]"
            var object = try fill(item, place: place, state: &state, now: now, newID: newID)
            if object["evaluation_label_id"] == nil { object["evaluation_label_id"] = .string(newID()) }
            let evaluation: Evaluation
            do { evaluation = try Evaluation(json: .object(object)) } catch { throw SandboxConfigurationError("\(place): \(error.message)") }
            if state.evaluations[UUIDText.normalized(evaluation.id)] != nil {
                throw SandboxConfigurationError("\(place): id \(evaluation.id) is the id of an earlier evaluation (each needs its own)")
            }
            state.insert(evaluation)
        }
        return state
    }

    /// The state as file bytes; labels grouped by run in creation order. Loading the
    /// result gives back the same state.
    package static func encode(_ state: SandboxState) -> [UInt8] {
        var out: [UInt8] = []
        let writer = JSONWriter()
        out.append(contentsOf: "{\"runs\":[".utf8)
        for (i, run) in state.runOrder.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writer.write(.object(JSONObject([(key: "id", value: .string(run)), (key: "account_id", value: .string(state.runs[run] ?? ""))])), into: &out)
        }
        out.append(contentsOf: "],\n\"gold_labels\":[".utf8)
        var first = true
        for run in state.runOrder {
            for id in state.labelIDsByRun[run] ?? [] {
                guard let label = state.labels[id] else { continue }
                out.append(contentsOf: first ? "\n".utf8 : ",\n".utf8)
                first = false
                writer.write(label.json, into: &out)
            }
        }
        out.append(contentsOf: "],\n\"evaluations\":[".utf8)
        for (i, id) in state.evaluationOrder.enumerated() {
            guard let evaluation = state.evaluations[id] else { continue }
            out.append(contentsOf: i == 0 ? "\n".utf8 : ",\n".utf8)
            writer.write(evaluation.json, into: &out)
        }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }

    private static func array(_ top: JSONObject, _ key: String, _ source: String) throws(SandboxConfigurationError) -> [JSONValue] {
        guard let value = top[key], !value.isNull else { return [] }
        guard case .array(let items) = value else {
            throw SandboxConfigurationError("\(source): \"\(key)\" must be an array, found \(value.kindDescription)")
        }
        return items
    }

    /// Fills in a missing id, created_at and account_id, and checks the run.
    private static func fill(
        _ item: JSONValue, place: String, state: inout SandboxState, now: String, newID: () -> String
    ) throws(SandboxConfigurationError) -> JSONObject {
        guard case .object(var object) = item else {
            throw SandboxConfigurationError("\(place): must be an object, found \(item.kindDescription)")
        }
        guard case .string(let runID)? = object["run_id"], UUIDText.isValid(runID) else {
            throw SandboxConfigurationError("\(place): \"run_id\" must be a run UUID")
        }
        if object["id"] == nil { object["id"] = .string(newID()) }
        if case .string(let id)? = object["id"], !UUIDText.isValid(id) {
            throw SandboxConfigurationError("\(place): id \"\(id)\" is not a UUID")
        }
        if object["created_at"] == nil { object["created_at"] = .string(now) }
        let run = UUIDText.normalized(runID)
        switch (state.runs[run], object["account_id"]) {
        case (let owner?, nil):
            object["account_id"] = .string(owner)
        case (let owner?, .string(let account)?) where owner != account:
            throw SandboxConfigurationError("\(place): account_id \"\(account)\" differs from run \(run)'s account \"\(owner)\"")
        case (nil, .string(let account)?):
            state.addRun(run, account: account)
        case (nil, _):
            throw SandboxConfigurationError("\(place): run \(run) is not declared in \"runs\" and the object has no account_id")
        default:
            break
        }
        return object
    }
}
