/// Maps one JSONL object to a label: keys by name (or `--map`), values typed as the API's.
struct JSONLRowMapper {
    let file: String
    let mappings: [String: FieldMapping]
    let defaultRunID: String?
    /// True when the format was not chosen (no --format, no known extension): the first
    /// syntax error then says so, in case the file is really CSV.
    let formatWasGuessed: Bool
    private var warnedKeys: Set<String> = []
    private var hintGiven = false

    init(file: String, mappings: [FieldMapping], defaultRunID: String?, formatWasGuessed: Bool) {
        self.file = file
        var byHeader: [String: FieldMapping] = [:]
        for mapping in mappings { byHeader[mapping.header] = mapping }
        self.mappings = byHeader
        self.defaultRunID = defaultRunID
        self.formatWasGuessed = formatWasGuessed
    }

    /// Parses and maps one line; unknown keys add one warning each (first time seen).
    mutating func map(
        _ bytes: UnsafeRawBufferPointer, line: Int, unterminated: Bool, warnings: inout [Diagnostic]
    ) -> Result<LabelRow, MappingProblems> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            let column = JSONLRowMapper.column(of: error.offset, in: bytes)
            var message: String
            let atEnd = error.offset >= bytes.count || error.message.contains("unexpected end")
                || error.message.contains("unterminated") || error.message.contains("incomplete")
            if unterminated && atEnd {
                message = "the last line is truncated: the file ends in the middle of a JSON object (\(error.message))"
            } else {
                message = "invalid JSON: \(error.message)"
            }
            if formatWasGuessed && !hintGiven {
                hintGiven = true
                message += " (read as JSONL because the file name does not end in .csv, .tsv, .jsonl or .xlsx: pass --format csv if it is CSV)"
            }
            return .failure(MappingProblems(diagnostics: [Diagnostic(file: file, line: line, column: column, message: message)]))
        }
        guard case .object(let object) = value else {
            return .failure(MappingProblems(diagnostics: [Diagnostic(
                file: file, line: line, column: JSONLRowMapper.column(of: JSONLRowMapper.firstNonBlank(bytes), in: bytes),
                message: "line holds \(value.kindDescription), not a JSON object: each line must be one object such as "
                    + "{\"output_resource_name\": \"...\", \"text_value\": \"...\"}")]))
        }
        var draft = LabelRowDraft(file: file, line: line)
        var filledBy: [(field: TargetField, key: String)] = [] // a few entries: faster than hashing
        for (key, value) in object.entries {
            let field: TargetField
            var type = CellType.string
            if !mappings.isEmpty, let mapping = mappings[key] {
                field = mapping.field
                type = mapping.type
            } else if let named = TargetField(name: key) {
                field = named
            } else {
                if warnedKeys.insert(key).inserted {
                    warnings.append(Diagnostic(
                        file: file, line: line, severity: .warning,
                        message: "key \"\(key)\" is not a gold-label field and is ignored (to use it: --map \"\(key)=FIELD\")"))
                }
                continue
            }
            if field == .ignored || value.isNull { continue }
            if let other = filledBy.first(where: { $0.field == field }) {
                draft.problem("keys \"\(other.key)\" and \"\(key)\" both fill \(field): keep one")
                continue
            }
            filledBy.append((field, key))
            set(field, type: type, key: key, value: value, in: &draft)
        }
        if let label = draft.finish(defaultRunID: defaultRunID) { return .success(label) }
        return .failure(MappingProblems(diagnostics: draft.problems, runID: draft.runID, outputResourceName: draft.outputResourceName))
    }

    private func set(_ field: TargetField, type: CellType, key: String, value: JSONValue, in draft: inout LabelRowDraft) {
        func wrongType(_ expected: String) {
            draft.problem("\(key) must be \(expected), found \(value.kindDescription)")
        }
        switch field {
        case .runID, .id:
            guard let text = value.stringValue else {
                wrongType("a UUID string")
                if field == .runID { draft.refusedRunID = true }
                return
            }
            draft.setUUID(text, field: field)
        case .outputResourceName:
            guard let text = value.stringValue else { return wrongType("a string") }
            draft.outputResourceName = text
        case .textValue:
            guard let text = value.stringValue else { return wrongType("a string") }
            draft.textValue = text
        case .objectValue:
            guard let object = value.objectValue else { return wrongType("a JSON object") }
            draft.objectValue = object
        case .objectValueIsPartial:
            guard let bool = value.boolValue else { return wrongType("true, false or null") }
            draft.objectValueIsPartial = bool
        case .objectKey(let path):
            var typed = value
            if case .string(let text) = value, type != .string {
                switch CellText.value(text, as: type) {
                case .success(let converted): typed = converted
                case .failure(let problem):
                    return draft.problem("\(key) (\(field)): \(problem.message)")
                }
            }
            if !draft.setObjectKey(path, typed) {
                draft.problem("\(key): \(field) runs through a value that is not an object")
            }
        case .ignored:
            break
        }
    }

    /// The 1-based character column of byte `offset` in a line (counting Unicode scalars).
    static func column(of offset: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var column = 1
        for i in 0..<min(offset, bytes.count) where bytes[i] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    static func firstNonBlank(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? 0
    }
}
