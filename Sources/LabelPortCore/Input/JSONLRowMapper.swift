/// Maps one JSONL object to a label: keys by name (or `--map`), values typed as the API's.
/// Keys are read as CSV headers are: `object_value.KEY:TYPE` is typed, and a key that
/// names a field or a `--map` only when spaces and letter case are ignored is used with a
/// warning (the first time it is seen).
struct JSONLRowMapper {
    /// What a key that is not exactly a contract field or a `--map` header fills.
    private enum KeyTarget {
        case field(TargetField, CellType)
        /// `object_value.KEY:SUFFIX` whose suffix is no type: a problem of each row with it.
        case badType(String)
        case unknown
    }

    let file: String
    let mappings: [String: FieldMapping]
    /// `--map` headers by ``CSVHeaderMatch/key(_:)``, for keys that match one loosely.
    private let looseMappings: [String: FieldMapping]
    let defaultRunID: String?
    /// True when the format was not chosen (no --format, no known extension): the first
    /// syntax error then says so, in case the file is really CSV.
    let formatWasGuessed: Bool
    /// Keys resolved the slow way (``resolve(_:line:warnings:)``), each once.
    private var resolvedKeys: [String: KeyTarget] = [:]
    /// `--map` headers no line has had yet (exactly or loosely).
    private var unmatchedMappings: Set<String>
    /// The first object's keys, to list for a `--map` key no line has.
    private var firstKeys: [String]?
    private var hintGiven = false

    init(file: String, mappings: [FieldMapping], defaultRunID: String?, formatWasGuessed: Bool) {
        self.file = file
        var byHeader: [String: FieldMapping] = [:]
        for mapping in mappings { byHeader[mapping.header] = mapping }
        self.mappings = byHeader
        unmatchedMappings = Set(byHeader.keys)
        var loose: [String: FieldMapping] = [:]
        for mapping in mappings { loose[CSVHeaderMatch.key(mapping.header)] = mapping }
        self.looseMappings = loose
        self.defaultRunID = defaultRunID
        self.formatWasGuessed = formatWasGuessed
    }

    /// A line that is no JSON value but cells: it does not start as JSON does and holds a
    /// delimiter CSV finds (`,` `;` tab `|`).
    static func looksLikeCSV(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = firstNonBlank(bytes)
        guard start < bytes.count, ![UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\"")].contains(bytes[start]) else { return false }
        return bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") || $0 == 0x09 || $0 == UInt8(ascii: "|") }
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
            } else if !hintGiven && Self.looksLikeCSV(bytes) {
                hintGiven = true
                message += " (the line looks like CSV: if the file is CSV, name it .csv or pass --format csv)"
            }
            return .failure(MappingProblems(diagnostics: [Diagnostic(file: file, line: line, column: column, message: message)]))
        }
        guard case .object(let object) = value else {
            return .failure(MappingProblems(diagnostics: [Diagnostic(
                file: file, line: line, column: JSONLRowMapper.column(of: JSONLRowMapper.firstNonBlank(bytes), in: bytes),
                message: "line holds \(value.kindDescription), not a JSON object: each line must be one object such as "
                    + "{\"output_resource_name\": \"...\", \"text_value\": \"...\"}")]))
        }
        if firstKeys == nil { firstKeys = object.entries.map(\.key) }
        var draft = LabelRowDraft(file: file, line: line)
        var filledBy: [(field: TargetField, key: String)] = [] // a few entries: faster than hashing
        for (key, value) in object.entries {
            let field: TargetField
            var type = CellType.string
            if !mappings.isEmpty, let mapping = mappings[key] {
                field = mapping.field
                type = mapping.type
                if !unmatchedMappings.isEmpty { unmatchedMappings.remove(key) }
            } else if let named = TargetField(name: key), !Self.mayBeTyped(named, key: key) {
                field = named
            } else {
                switch resolve(key, line: line, warnings: &warnings) {
                case .field(let resolved, let resolvedType):
                    field = resolved
                    type = resolvedType
                case .badType(let message):
                    draft.problem(message)
                    continue
                case .unknown:
                    continue
                }
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

    /// After the last line: a problem for each `--map` header that no line had as a key
    /// (as for a CSV header that lacks it), in the order given.
    func unmatchedMappingProblems(order: [FieldMapping]) -> [Diagnostic] {
        guard !unmatchedMappings.isEmpty, let firstKeys else { return [] }
        let keys = CSVHeaderMatch(names: firstKeys, mappings: [])
        return order.map(\.header).filter(unmatchedMappings.contains).map { header in
            Diagnostic(
                file: file, line: nil,
                message: "--map names the key \"\(header)\" but no line has it; "
                    + keys.listing(closestTo: header, of: "the first line's keys"))
        }
    }

    /// An `object_value.KEY` key holding `:`, which may end in a type (`object_value.total:number`).
    private static func mayBeTyped(_ field: TargetField, key: String) -> Bool {
        guard case .objectKey = field else { return false }
        return key.utf8.contains(UInt8(ascii: ":"))
    }

    /// What `key` fills when it is not exactly a field's name: a typed key column, a
    /// `--map` header or field matched ignoring spaces and letter case (with a warning),
    /// or nothing (a warning that it is ignored). Worked out once per key.
    private mutating func resolve(_ key: String, line: Int, warnings: inout [Diagnostic]) -> KeyTarget {
        if let known = resolvedKeys[key] { return known }
        let target: KeyTarget
        var warning: String?
        if let suffix = FieldMapping.unknownType(in: key.trimmingWhitespace()) {
            target = .badType("key \"\(key)\": unknown type ':\(suffix)'; use :number, :boolean, :json or :string "
                + "(a key holding ':' cannot be an object_value.KEY key: put it in object_value)")
        } else if let (field, type) = FieldMapping.column(named: key) {
            target = .field(field, type)
        } else if let mapping = looseMappings[CSVHeaderMatch.key(key)] {
            target = .field(mapping.field, mapping.type)
            unmatchedMappings.remove(mapping.header)
            warning = "key \"\(key)\" is read as --map \"\(mapping.header)\" (ignoring spaces and letter case)"
        } else if let (field, type) = CSVHeaderMatch.looseColumn(key) {
            target = .field(field, type)
            warning = "key \"\(key)\" is read as \(CSVHeaderMatch.Target.column(field, type).name) (ignoring spaces and letter case)"
        } else {
            target = .unknown
            warning = "key \"\(key)\" is not a gold-label field and is ignored (to use it: --map \"\(key)=FIELD\")"
        }
        resolvedKeys[key] = target
        if let warning { warnings.append(Diagnostic(file: file, line: line, severity: .warning, message: warning)) }
        return target
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
