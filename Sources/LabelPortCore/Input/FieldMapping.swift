/// A field of a gold-label row that an input column or key can fill.
package enum TargetField: Sendable, Equatable, Hashable, CustomStringConvertible {
    case runID
    case outputResourceName
    case id
    case textValue
    case objectValue
    case objectValueIsPartial
    /// One key of `object_value` (a path: `object_value.a.b` is `["a", "b"]`).
    case objectKey([String])
    /// Written by export, ignored by import (`account_id`, `created_at`, …).
    case ignored

    /// The contract's column names, and what each fills.
    package static let columns: [String: TargetField] = [
        "run_id": .runID, "output_resource_name": .outputResourceName, "id": .id,
        "text_value": .textValue, "object_value": .objectValue, "object_value_is_partial": .objectValueIsPartial,
        "account_id": .ignored, "created_by": .ignored, "created_at": .ignored,
        "updated_by": .ignored, "updated_at": .ignored,
    ]

    /// Parses a contract column name or `object_value.KEY[.KEY…]`; nil for anything else.
    package init?(name: String) {
        // A switch, not a dictionary lookup: this runs for every JSONL key.
        switch name {
        case "run_id": self = .runID; return
        case "output_resource_name": self = .outputResourceName; return
        case "id": self = .id; return
        case "text_value": self = .textValue; return
        case "object_value": self = .objectValue; return
        case "object_value_is_partial": self = .objectValueIsPartial; return
        case "account_id", "created_by", "created_at", "updated_by", "updated_at": self = .ignored; return
        default: break
        }
        let prefix = "object_value."
        guard name.hasPrefix(prefix) else { return nil }
        let path = name.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.contains(where: \.isEmpty) else { return nil }
        self = .objectKey(path)
    }

    package var description: String {
        switch self {
        case .runID: "run_id"
        case .outputResourceName: "output_resource_name"
        case .id: "id"
        case .textValue: "text_value"
        case .objectValue: "object_value"
        case .objectValueIsPartial: "object_value_is_partial"
        case .objectKey(let path): "object_value." + path.joined(separator: ".")
        case .ignored: "(ignored)"
        }
    }
}

/// How a cell's text becomes an `object_value.KEY` value.
package enum CellType: String, Sendable, Equatable, CaseIterable {
    /// The text as a JSON string (the default).
    case string
    /// JSON number text, kept exactly as written (`007` is refused, `1.50` stays `1.50`).
    case number
    /// `true` / `false` in any letter case.
    case boolean
    /// Any JSON text: an object, an array, a number, `null`….
    case json
}

/// `--map "HEADER=FIELD[:TYPE]"`: the input column (CSV header or JSONL key) HEADER fills FIELD.
package struct FieldMapping: Sendable, Equatable {
    package var header: String
    package var field: TargetField
    package var type: CellType

    package init(header: String, field: TargetField, type: CellType = .string) {
        self.header = header
        self.field = field
        self.type = type
    }

    /// Parses `HEADER=FIELD[:number|:boolean|:json|:string]`. HEADER is everything before
    /// the last `=`; a type is only allowed on `object_value.KEY` fields.
    package init(parsing text: String) throws(FieldMappingError) {
        guard let eq = text.lastIndex(of: "=") else {
            throw FieldMappingError("--map \"\(text)\": expected HEADER=FIELD, e.g. --map \"Document=output_resource_name\"")
        }
        let header = String(text[..<eq])
        var fieldText = String(text[text.index(after: eq)...])
        guard !header.isEmpty else {
            throw FieldMappingError("--map \"\(text)\": the header name before '=' is empty")
        }
        var type = CellType.string
        var typed = false
        if let colon = fieldText.lastIndex(of: ":") {
            let suffix = String(fieldText[fieldText.index(after: colon)...])
            guard let parsed = CellType(rawValue: suffix.lowercased()) else {
                throw FieldMappingError("--map \"\(text)\": unknown type ':\(suffix)'; use :string, :number, :boolean or :json")
            }
            type = parsed
            typed = true
            fieldText = String(fieldText[..<colon])
        }
        guard let field = TargetField(name: fieldText), field != .ignored else {
            throw FieldMappingError(
                "--map \"\(text)\": unknown field '\(fieldText)'; use run_id, output_resource_name, id, text_value, "
                    + "object_value, object_value_is_partial or object_value.KEY")
        }
        if typed, case .objectKey = field {} else if typed {
            throw FieldMappingError("--map \"\(text)\": a type applies only to object_value.KEY fields; \(field) has a fixed type")
        }
        self.init(header: header, field: field, type: type)
    }
}

extension FieldMapping {
    /// What a header names by itself, without `--map`: a contract column, or
    /// `object_value.KEY[.KEY…]` with an optional `:number`, `:boolean`, `:json` or
    /// `:string` type (as `export --flatten` writes them).
    package static func column(named name: String) -> (field: TargetField, type: CellType)? {
        if unknownType(in: name) != nil { return nil }
        if name.hasPrefix("object_value."), let colon = name.lastIndex(of: ":"),
            let type = CellType(rawValue: name[name.index(after: colon)...].lowercased()),
            let field = TargetField(name: String(name[..<colon])), case .objectKey = field
        {
            return (field, type)
        }
        return TargetField(name: name).map { ($0, .string) }
    }
}

extension FieldMapping {
    /// The suffix of an `object_value.KEY:SUFFIX` header whose SUFFIX is no type (`:float`,
    /// a typo): such a header is a problem, not a key named `KEY:SUFFIX` (a key holding `:`
    /// cannot be a column; export keeps it in the `object_value` JSON column).
    package static func unknownType(in name: String) -> String? {
        let prefix = "object_value."
        guard name.count > prefix.count, name.prefix(prefix.count).lowercased() == prefix,
              let colon = name.lastIndex(of: ":"), colon > name.index(name.startIndex, offsetBy: prefix.count) else { return nil }
        let suffix = String(name[name.index(after: colon)...])
        return CellType(rawValue: suffix.lowercased()) == nil ? suffix : nil
    }
}

/// A malformed `--map` value (a usage error).
package struct FieldMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
