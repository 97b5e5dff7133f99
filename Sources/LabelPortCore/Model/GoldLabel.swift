/// A gold label as the API returns it (`RunGoldLabel`): the expected output for one
/// output resource of a run, as text or as a JSON object, never both.
package struct GoldLabel: Sendable, Equatable {
    package var id: String
    package var accountID: String
    package var runID: String
    package var outputResourceName: String
    package var textValue: String?
    package var objectValue: JSONObject?
    package var objectValueIsPartial: Bool?
    package var createdBy: String?
    package var createdAt: String
    package var updatedBy: String?
    package var updatedAt: String?

    package init(
        id: String, accountID: String, runID: String, outputResourceName: String,
        textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil,
        createdBy: String? = nil, createdAt: String, updatedBy: String? = nil, updatedAt: String? = nil
    ) {
        self.id = id
        self.accountID = accountID
        self.runID = runID
        self.outputResourceName = outputResourceName
        self.textValue = textValue
        self.objectValue = objectValue
        self.objectValueIsPartial = objectValueIsPartial
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }

    /// The API's field names, in the order export writes them.
    package static let fieldNames = [
        "run_id", "output_resource_name", "id", "text_value", "object_value", "object_value_is_partial",
        "account_id", "created_by", "created_at", "updated_by", "updated_at",
    ]

    /// Decodes a `RunGoldLabel` in one pass over its keys (a run's listing decodes
    /// thousands of these); unknown keys are ignored.
    package init(json: JSONValue) throws(ModelDecodingError) {
        guard case .object(let object) = json else {
            throw ModelDecodingError("RunGoldLabel must be a JSON object, found \(json.kindDescription)")
        }
        var id: String?, accountID: String?, runID: String?, name: String?, createdAt: String?
        var text: String?, value: JSONObject?, partial: Bool?, createdBy: String?, updatedBy: String?, updatedAt: String?
        func string(_ v: JSONValue, _ key: String, nullable: Bool) throws(ModelDecodingError) -> String? {
            switch v {
            case .string(let s): return s
            case .null where nullable: return nil
            default: throw ModelDecodingError("RunGoldLabel.\(key) must be a string\(nullable ? " or null" : ""), found \(v.kindDescription)")
            }
        }
        for (key, v) in object.entries {
            switch key {
            case "id": id = try string(v, key, nullable: false)
            case "account_id": accountID = try string(v, key, nullable: false)
            case "run_id": runID = try string(v, key, nullable: false)
            case "output_resource_name": name = try string(v, key, nullable: false)
            case "created_at": createdAt = try string(v, key, nullable: false)
            case "text_value": text = try string(v, key, nullable: true)
            case "created_by": createdBy = try string(v, key, nullable: true)
            case "updated_by": updatedBy = try string(v, key, nullable: true)
            case "updated_at": updatedAt = try string(v, key, nullable: true)
            case "object_value":
                switch v {
                case .object(let o): value = o
                case .null: value = nil
                default: throw ModelDecodingError("RunGoldLabel.object_value must be an object or null, found \(v.kindDescription)")
                }
            case "object_value_is_partial":
                switch v {
                case .bool(let b): partial = b
                case .null: partial = nil
                default: throw ModelDecodingError("RunGoldLabel.object_value_is_partial must be a boolean or null, found \(v.kindDescription)")
                }
            default: continue
            }
        }
        func required(_ value: String?, _ key: String) throws(ModelDecodingError) -> String {
            guard let value else { throw ModelDecodingError("RunGoldLabel is missing \"\(key)\"") }
            return value
        }
        self.init(
            id: try required(id, "id"), accountID: try required(accountID, "account_id"), runID: try required(runID, "run_id"),
            outputResourceName: try required(name, "output_resource_name"), textValue: text, objectValue: value,
            objectValueIsPartial: partial, createdBy: createdBy, createdAt: try required(createdAt, "created_at"),
            updatedBy: updatedBy, updatedAt: updatedAt)
    }

    /// The label as a JSON object; absent optional fields are left out.
    package var json: JSONValue {
        var w = FieldWriter()
        w.set("id", id)
        w.set("account_id", accountID)
        w.set("run_id", runID)
        w.set("output_resource_name", outputResourceName)
        w.set("text_value", textValue)
        w.set("object_value", objectValue)
        w.set("object_value_is_partial", objectValueIsPartial)
        w.set("created_by", createdBy)
        w.set("created_at", createdAt)
        w.set("updated_by", updatedBy)
        w.set("updated_at", updatedAt)
        return .object(w.object)
    }
}

/// The body of `POST /v1/run/{id}/gold-labels`.
package struct CreateGoldLabelRequest: Sendable, Equatable {
    package var outputResourceName: String
    package var textValue: String?
    package var objectValue: JSONObject?
    package var objectValueIsPartial: Bool?

    package init(outputResourceName: String, textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil) {
        self.outputResourceName = outputResourceName
        self.textValue = textValue
        self.objectValue = objectValue
        self.objectValueIsPartial = objectValueIsPartial
    }

    package init(json: JSONValue) throws(ModelDecodingError) {
        let r = try FieldReader(json, typeName: "request body")
        self.init(
            outputResourceName: try r.requiredString("output_resource_name"),
            textValue: try r.optionalString("text_value"),
            objectValue: try r.optionalObject("object_value"),
            objectValueIsPartial: try r.optionalBool("object_value_is_partial")
        )
    }

    package var json: JSONValue {
        var w = FieldWriter()
        w.set("output_resource_name", outputResourceName)
        w.set("text_value", textValue)
        w.set("object_value", objectValue)
        w.set("object_value_is_partial", objectValueIsPartial)
        return .object(w.object)
    }

    /// ``json`` as JSON text, written straight to bytes (the import sends one per row).
    var jsonBytes: [UInt8] {
        var w = JSONMemberWriter(capacity: 128 + outputResourceName.utf8.count + (textValue?.utf8.count ?? 0))
        w.add("output_resource_name", outputResourceName)
        w.add("text_value", textValue)
        w.add("object_value", objectValue)
        w.add("object_value_is_partial", objectValueIsPartial)
        return w.finish()
    }
}

/// The body of `PUT /v1/run/{run_id}/gold-label/{gold_label_id}`: only the fields
/// to change; `output_resource_name` cannot change.
package struct UpdateGoldLabelRequest: Sendable, Equatable {
    package var textValue: String?
    package var objectValue: JSONObject?
    package var objectValueIsPartial: Bool?

    package init(textValue: String? = nil, objectValue: JSONObject? = nil, objectValueIsPartial: Bool? = nil) {
        self.textValue = textValue
        self.objectValue = objectValue
        self.objectValueIsPartial = objectValueIsPartial
    }

    /// Sets every value field `values` has: its text or its object, and its partial flag
    /// when set. A server that replaces the value fields on a PUT (unsent ones cleared)
    /// then ends with the same label as one that merges them (unsent ones kept), as the
    /// API's description of PUT says neither. Nil for values with both a text and an
    /// object, which no update can leave (setting one clears the other).
    package init?(whole values: LabelValues) {
        guard values.textValue == nil || values.objectValue == nil else { return nil }
        self.init(textValue: values.textValue, objectValue: values.objectValue, objectValueIsPartial: values.objectValueIsPartial)
    }

    package init(json: JSONValue) throws(ModelDecodingError) {
        let r = try FieldReader(json, typeName: "request body")
        self.init(
            textValue: try r.optionalString("text_value"),
            objectValue: try r.optionalObject("object_value"),
            objectValueIsPartial: try r.optionalBool("object_value_is_partial")
        )
    }

    package var json: JSONValue {
        var w = FieldWriter()
        w.set("text_value", textValue)
        w.set("object_value", objectValue)
        w.set("object_value_is_partial", objectValueIsPartial)
        return .object(w.object)
    }

    /// ``json`` as JSON text, written straight to bytes.
    var jsonBytes: [UInt8] {
        var w = JSONMemberWriter(capacity: 128 + (textValue?.utf8.count ?? 0))
        w.add("text_value", textValue)
        w.add("object_value", objectValue)
        w.add("object_value_is_partial", objectValueIsPartial)
        return w.finish()
    }

    package var isEmpty: Bool { textValue == nil && objectValue == nil && objectValueIsPartial == nil }
}
