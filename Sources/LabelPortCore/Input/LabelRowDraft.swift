/// A row's values as they are gathered from cells or keys, before the checks that make
/// it a ``LabelRow``. Problems are collected, never thrown, so one row reports them all.
struct LabelRowDraft {
    var file: String
    var line: Int
    var runID: String?
    var outputResourceName: String?
    var id: String?
    var textValue: String?
    /// A whole `object_value` (JSON cell or key).
    var objectValue: JSONObject?
    /// The object built from `object_value.KEY` columns, and the paths they set.
    var keyedObject: JSONObject?
    var keyPaths: [[String]] = []
    var objectValueIsPartial: Bool?
    var problems: [Diagnostic] = []
    /// A run_id was given but refused (so "missing" is not reported too).
    var refusedRunID = false

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
            let position = place()
            problem("\(field) \(TerminalText.quotedExcerpt(text)) is not a UUID (expected 8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)",
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

    /// Puts `value` at `path` inside the object built from key columns, creating nested
    /// objects in input order. False when the path runs through a value that is not an object.
    mutating func setObjectKey(_ path: [String], _ value: JSONValue) -> Bool {
        var object = keyedObject ?? JSONObject()
        guard LabelRowDraft.insert(value, at: path[...], into: &object) else { return false }
        keyedObject = object
        keyPaths.append(path)
        return true
    }

    /// Combines a whole `object_value` with key columns: the keys are set in the whole
    /// object (which then replaces the label's); key columns alone merge into the label's.
    private mutating func combineObject() -> [[String]]? {
        guard let keyedObject else { return nil }
        guard var whole = objectValue else {
            objectValue = keyedObject
            return keyPaths
        }
        for path in keyPaths {
            if let value = keyedObject.value(at: path) { whole.setValue(value, at: path) }
        }
        objectValue = whole
        return nil
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
        let objectKeyPaths = combineObject()
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
        // object_value_is_partial stands on its own, as in the API: servers answer it beside a
        // text_value (a column that defaults to false), and export writes what they answer.
        guard problems.isEmpty, let runID, let outputResourceName else { return nil }
        return LabelRow(
            line: line, runID: runID, outputResourceName: outputResourceName, id: id,
            textValue: textValue, objectValue: objectValue, objectKeyPaths: objectKeyPaths,
            objectValueIsPartial: objectValueIsPartial)
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
    /// `plainNumbersAreJSON`: with `decimalComma`, text that is JSON number text (`1.234`)
    /// is that number, not refused as ambiguous (a spreadsheet's number cells).
    static func value(_ text: String, as type: CellType, decimalComma: Bool = false, plainNumbersAreJSON: Bool = false) -> Result<JSONValue, CellProblem> {
        switch type {
        case .string:
            return .success(.string(text))
        case .number:
            if decimalComma, !(plainNumbersAreJSON && JSONNumber(text) != nil), let number = decimalCommaNumber(text) {
                // "1.234" reads as 1234 with thousands separators and as 1.234 by JSON's
                // rules: a guess either way changes some values a thousandfold.
                if !text.utf8.contains(UInt8(ascii: ",")), let plain = JSONNumber(text) {
                    return .failure(CellProblem(offset: 0, message: "\(TerminalText.quotedExcerpt(text)) is ambiguous with --decimal-comma (\(plain) or \(number)?): write \(number) for the thousands, or \(text.replacing(".", with: ",")) for the decimals"))
                }
                return .success(.number(number))
            }
            guard let number = JSONNumber(text) else {
                let hint = decimalComma
                    ? "e.g. 42, -1,5, 1.234,5 or 2e10"
                    : "e.g. 42, -1.5, 2e10; no leading zeros, '+' or thousands separators; --decimal-comma reads 0,75"
                return .failure(CellProblem(offset: 0, message: "\(TerminalText.quotedExcerpt(text)) is not a number (\(hint))"))
            }
            return .success(.number(number))
        case .boolean:
            guard let bool = boolean(text) else {
                return .failure(CellProblem(offset: 0, message: "\(TerminalText.quotedExcerpt(text)) is not a boolean: write true or false"))
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

extension CellText {
    /// A number written with a decimal comma and optional `.` thousands separators
    /// (`0,75`, `-1.234,5`, `1.234.567`), as the JSON number it means; nil for anything
    /// else. (`1.234` is also JSON number text: the caller refuses it as ambiguous.)
    static func decimalCommaNumber(_ text: String) -> JSONNumber? {
        let bytes = Array(text.utf8)
        var index = 0
        var digits: [UInt8] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            digits.append(bytes[index])
            index += 1
        }
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        // The whole part: plain digits, or groups of three after a first group of 1-3.
        var group = 0
        var groups = 0
        var sawSeparator = false
        while index < bytes.count, bytes[index] != UInt8(ascii: ",") {
            let byte = bytes[index]
            if isDigit(byte) {
                digits.append(byte)
                group += 1
            } else if byte == UInt8(ascii: ".") {
                guard group >= 1, groups > 0 ? group == 3 : group <= 3 else { return nil }
                sawSeparator = true
                groups += 1
                group = 0
            } else {
                return nil
            }
            index += 1
        }
        guard group >= 1, !sawSeparator || group == 3 else { return nil }
        let hasComma = index < bytes.count
        // "1.5" without a comma is not a decimal-comma number: left to JSON rules.
        guard hasComma || sawSeparator else { return nil }
        if hasComma {
            index += 1
            guard index < bytes.count else { return nil }
            digits.append(UInt8(ascii: "."))
            while index < bytes.count {
                guard isDigit(bytes[index]) else { return nil }
                digits.append(bytes[index])
                index += 1
            }
        }
        return JSONNumber(String(decoding: digits, as: UTF8.self))
    }
}

struct CellProblem: Error {
    var offset: Int
    var message: String
}
