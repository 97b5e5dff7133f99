/// A row's values as they are gathered from cells or keys, before the checks that make
/// it a ``LabelRow``. Problems are collected, never thrown, so one row reports them all.
struct LabelRowDraft {
    var file: String
    var line: Int
    var runID: String?
    var outputResourceName: String?
    var id: String?
    var textValue: String?
    var objectValue: JSONObject?
    var objectValueIsPartial: Bool?
    var problems: [Diagnostic] = []
    /// A run_id was given but refused (so "missing" is not reported too).
    var refusedRunID = false
    /// A text or object value was given but refused (so "neither" is not reported too).
    var refusedValue = false

    init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    mutating func problem(_ message: String, column: Int? = nil, line: Int? = nil) {
        problems.append(Diagnostic(file: file, line: line ?? self.line, column: column, message: message))
    }

    /// Checks a `run_id` or `id` value; records it lower-cased, or a problem.
    /// `place` is worked out only when there is a problem to report.
    mutating func setUUID(_ text: String, field: TargetField, at place: () -> (line: Int, column: Int)? = { nil }) {
        guard let normalized = UUIDText.normalizedIfValid(text) else {
            let shown = text.count > 60 ? String(text.prefix(57)) + "..." : text
            let position = place()
            problem("\(field) \"\(shown)\" is not a UUID (expected 8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)",
                    column: position?.column, line: position?.line)
            if field == .runID { refusedRunID = true }
            return
        }
        if field == .runID { runID = normalized } else { id = normalized }
    }

    /// Records an already normalized (lower-case, valid) `run_id` or `id`.
    mutating func setNormalizedUUID(_ normalized: String, field: TargetField) {
        if field == .runID { runID = normalized } else { id = normalized }
    }

    /// Puts `value` at `path` inside `objectValue`, creating nested objects in input order.
    /// False when the path runs through a value that is not an object.
    mutating func setObjectKey(_ path: [String], _ value: JSONValue) -> Bool {
        var object = objectValue ?? JSONObject()
        guard LabelRowDraft.insert(value, at: path[...], into: &object) else { return false }
        objectValue = object
        return true
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject) -> Bool {
        guard let key = path.first else { return false }
        if path.count == 1 {
            object[key] = value
            return true
        }
        var inner: JSONObject
        switch object[key] {
        case nil: inner = JSONObject()
        case .object(let existing)?: inner = existing
        default: return false
        }
        guard insert(value, at: path.dropFirst(), into: &inner) else { return false }
        object[key] = .object(inner)
        return true
    }

    /// The checks every row gets, whatever its format; the row, or nil with `problems` set.
    mutating func finish(defaultRunID: String?) -> LabelRow? {
        if let defaultRunID {
            let normalized = UUIDText.normalized(defaultRunID)
            if let runID, runID != normalized {
                problem("run_id \(runID) differs from --run-id \(normalized): remove one of them "
                    + "(to move rows to another run, use import --remap-run \(runID)=\(normalized))")
            } else if runID == nil {
                runID = normalized
            }
        }
        if runID == nil, !refusedRunID {
            problem("run_id is missing: give the row a run_id, or pass --run-id UUID for the whole file")
        }
        if outputResourceName?.isEmpty ?? true {
            problem("output_resource_name is missing; every row needs one")
        }
        // A row with neither value is valid: import never clears a field, so it changes
        // nothing on an existing label (and creates a label with just its name).
        if textValue != nil, objectValue != nil {
            problem("row has both text_value and object_value: a gold label holds one of them, not both")
        }
        if objectValueIsPartial != nil, objectValue == nil, !refusedValue {
            problem(textValue != nil
                ? "object_value_is_partial is set on a text_value row: it applies only to an object_value"
                : "object_value_is_partial is set without an object_value: it applies only to an object_value")
        }
        guard problems.isEmpty, let runID, let outputResourceName else { return nil }
        return LabelRow(
            line: line, runID: runID, outputResourceName: outputResourceName, id: id,
            textValue: textValue, objectValue: objectValue, objectValueIsPartial: objectValueIsPartial)
    }
}

/// Turning a cell's text into a typed value, shared by CSV cells and JSONL string values.
enum CellText {
    /// `true`/`false` in any letter case, from a cell's bytes.
    static func boolean(bytes: UnsafeRawBufferPointer) -> Bool? {
        func matches(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            for i in 0..<bytes.count where bytes[i] | 0x20 != word.utf8Start[i] { return false }
            return true
        }
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    /// `true`/`false` in any letter case.
    static func boolean(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { boolean(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The value of an `object_value.KEY` cell of type `type`, or a problem message with
    /// the byte offset in `text` it concerns.
    static func value(_ text: String, as type: CellType) -> Result<JSONValue, CellProblem> {
        switch type {
        case .string:
            return .success(.string(text))
        case .number:
            guard let number = JSONNumber(text) else {
                return .failure(CellProblem(offset: 0, message: "\"\(text)\" is not a JSON number (e.g. 42, -1.5, 2e10; no leading zeros, '+' or thousands separators)"))
            }
            return .success(.number(number))
        case .boolean:
            guard let bool = boolean(text) else {
                return .failure(CellProblem(offset: 0, message: "\"\(text)\" is not a boolean: write true or false"))
            }
            return .success(.bool(bool))
        case .json:
            do {
                return .success(try JSONParser.parse(text))
            } catch {
                return .failure(CellProblem(offset: error.offset, message: "invalid JSON: \(error.message)"))
            }
        }
    }
}

struct CellProblem: Error {
    var offset: Int
    var message: String
}
