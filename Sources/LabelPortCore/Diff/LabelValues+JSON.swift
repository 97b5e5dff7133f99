/// A label's three values as a JSON object, as the journal and saved plans record them:
/// an absent value is a missing key (never `null`), so "absent" and "null" stay apart.
extension LabelValues {
    package var json: JSONObject {
        var object = JSONObject()
        if let textValue { object["text_value"] = .string(textValue) }
        if let objectValue { object["object_value"] = .object(objectValue) }
        if let objectValueIsPartial { object["object_value_is_partial"] = .bool(objectValueIsPartial) }
        return object
    }

    /// Reads ``json``; a key of the wrong type is an error naming it.
    package init(json object: JSONObject) throws(RecordFormatError) {
        self.init()
        for (key, value) in object.entries {
            switch (key, value) {
            case ("text_value", .string(let text)): textValue = text
            case ("object_value", .object(let inner)): objectValue = inner
            case ("object_value_is_partial", .bool(let flag)): objectValueIsPartial = flag
            case ("text_value", _), ("object_value", _), ("object_value_is_partial", _):
                throw RecordFormatError("\(key) has the wrong type (\(value.kindDescription))")
            default: continue
            }
        }
    }
}

/// A line of a journal or a field of a plan that does not read as this version wrote it.
package struct RecordFormatError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

extension JSONObject {
    func string(_ key: String) throws(RecordFormatError) -> String {
        guard case .string(let text)? = self[key] else { throw RecordFormatError("\"\(key)\" must be a string") }
        return text
    }

    func optionalString(_ key: String) throws(RecordFormatError) -> String? {
        switch self[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw RecordFormatError("\"\(key)\" must be a string or null")
        }
    }

    func int(_ key: String) throws(RecordFormatError) -> Int {
        guard case .number(let number)? = self[key], let value = Int(number.description) else {
            throw RecordFormatError("\"\(key)\" must be a whole number")
        }
        return value
    }

    func optionalInt(_ key: String) throws(RecordFormatError) -> Int? {
        switch self[key] {
        case nil, .null?: return nil
        default: return try int(key)
        }
    }

    func optionalObject(_ key: String) throws(RecordFormatError) -> JSONObject? {
        switch self[key] {
        case nil, .null?: return nil
        case .object(let object)?: return object
        default: throw RecordFormatError("\"\(key)\" must be an object or null")
        }
    }
}
