/// A JSON document that does not have the shape of an API object.
package struct ModelDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// Reads typed fields out of a ``JSONObject`` with messages that name the field.
struct FieldReader {
    let object: JSONObject
    let typeName: String

    init(_ value: JSONValue, typeName: String) throws(ModelDecodingError) {
        guard case .object(let object) = value else {
            throw ModelDecodingError("\(typeName) must be a JSON object, found \(value.kindDescription)")
        }
        self.object = object
        self.typeName = typeName
    }

    func requiredString(_ key: String) throws(ModelDecodingError) -> String {
        guard let value = object[key] else { throw ModelDecodingError("\(typeName) is missing \"\(key)\"") }
        guard case .string(let string) = value else {
            throw ModelDecodingError("\(typeName).\(key) must be a string, found \(value.kindDescription)")
        }
        return string
    }

    func optionalString(_ key: String) throws(ModelDecodingError) -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .string(let string) = value else {
            throw ModelDecodingError("\(typeName).\(key) must be a string or null, found \(value.kindDescription)")
        }
        return string
    }

    func optionalBool(_ key: String) throws(ModelDecodingError) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .bool(let bool) = value else {
            throw ModelDecodingError("\(typeName).\(key) must be a boolean or null, found \(value.kindDescription)")
        }
        return bool
    }

    func optionalObject(_ key: String) throws(ModelDecodingError) -> JSONObject? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .object(let object) = value else {
            throw ModelDecodingError("\(typeName).\(key) must be an object or null, found \(value.kindDescription)")
        }
        return object
    }

    func requiredNumber(_ key: String) throws(ModelDecodingError) -> JSONNumber {
        guard let value = object[key] else { throw ModelDecodingError("\(typeName) is missing \"\(key)\"") }
        guard case .number(let number) = value else {
            throw ModelDecodingError("\(typeName).\(key) must be a number, found \(value.kindDescription)")
        }
        return number
    }
}

/// Builds a ``JSONObject`` leaving out absent optional fields.
struct FieldWriter {
    var object = JSONObject()

    mutating func set(_ key: String, _ value: String?) {
        if let value { object[key] = .string(value) }
    }
    mutating func set(_ key: String, _ value: Bool?) {
        if let value { object[key] = .bool(value) }
    }
    mutating func set(_ key: String, _ value: JSONObject?) {
        if let value { object[key] = .object(value) }
    }
    mutating func set(_ key: String, _ value: JSONNumber?) {
        if let value { object[key] = .number(value) }
    }
}
