/// A problem found while parsing JSON text: what is wrong and at which byte.
package struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the parsed text where the problem is.
    package var offset: Int
    package var message: String

    package var description: String { "\(message) (at byte \(offset + 1))" }
}

/// A strict RFC 8259 parser over UTF-8 bytes that keeps numbers exactly as written,
/// keeps object key order, rejects duplicate keys, and limits nesting depth.
package struct JSONParser {
    /// Deepest nesting accepted; deeper input is an error rather than a stack overflow.
    package static let maximumDepth = 512

    /// Parses one JSON value filling all of `bytes` (surrounding whitespace allowed).
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw parser.error("unexpected text after the JSON value")
        }
        return value
    }

    package static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONSyntaxError) -> JSONValue in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        let array = Array(bytes)
        let fallback: Result<JSONValue, JSONSyntaxError> = array.withUnsafeBytes { buffer in
            Result { () throws(JSONSyntaxError) -> JSONValue in try parse(buffer) }
        }
        return try fallback.get()
    }

    package static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var text = text
        let result: Result<JSONValue, JSONSyntaxError> = text.withUTF8 { buffer in
            Result { () throws(JSONSyntaxError) -> JSONValue in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try result.get()
    }

    /// Parses one element of a JSON array (its bytes only, no surrounding whitespace) as
    /// it is parsed inside the array: nesting counts from the array, and the same errors.
    package static func parseElement(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.parseValue(depth: 1)
        // Only a number or literal can be followed by more (its scanner ends it at a delimiter).
        if parser.position < bytes.count {
            throw parser.error("expected ',' or ']' in array, found \(describe(byte: bytes[parser.position]))")
        }
        return value
    }

    /// Parses a JSON object, building only the top-level entries whose keys are in
    /// `keep`; the other values are checked, not built. For reading a few fields of a
    /// large answer (the id of a created label). Nil when the text is valid JSON but not
    /// an object. Duplicate keys are refused at the top level only.
    package static func parseObject(
        _ bytes: UnsafeRawBufferPointer, keeping keep: [String]
    ) throws(JSONSyntaxError) -> JSONObject? {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "{") else {
            try parser.skipValue(depth: 0)
            parser.skipWhitespace()
            if parser.position < bytes.count { throw parser.error("unexpected text after the JSON value") }
            return nil
        }
        let object = try parser.parseObject(depth: 1, keeping: keep)
        parser.skipWhitespace()
        if parser.position < bytes.count { throw parser.error("unexpected text after the JSON value") }
        return object
    }

    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of JSON text") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["):
            return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default:
            throw error("unexpected character \(Self.describe(byte: bytes[position])); expected a JSON value")
        }
    }

    /// A byte as messages name it: the character if printable ASCII, else its hex value.
    package static func describe(byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else {
            throw error("invalid literal; expected '\(literal)'", at: start)
        }
        let base = literal.utf8Start
        for i in 0..<count where bytes[position + i] != base[i] {
            throw error("invalid literal; expected '\(literal)'", at: start)
        }
        position += count
    }

    /// With `keep`, only the entries with those keys are built; the other values are skipped.
    mutating func parseObject(depth: Int, keeping keep: [String]? = nil) throws(JSONSyntaxError) -> JSONObject {
        if depth > JSONParser.maximumDepth { throw error("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
        position += 1 // {
        var entries: [(key: String, value: JSONValue)] = []
        entries.reserveCapacity(8)
        var seen: Set<ExactString>? = nil
        /// Keys of skipped entries (for the duplicate check).
        var keys: [String] = []
        if keep != nil { keys.reserveCapacity(16) }
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return JSONObject(uniqueEntries: entries)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON text inside an object") }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a string key in double quotes, found \(Self.describe(byte: bytes[position]))")
            }
            let keyStart = position
            let key = try parseString()
            // Duplicate keys would silently lose a value: refuse them.
            if entries.count + keys.count < 16 {
                if entries.contains(where: { $0.key.hasSameBytes(as: key) }) || keys.contains(where: { $0.hasSameBytes(as: key) }) {
                    throw error("duplicate key \"\(key)\" in object", at: keyStart)
                }
            } else {
                if seen == nil { seen = Set(entries.map { ExactString($0.key) } + keys.map(ExactString.init)) }
                if !seen!.insert(ExactString(key)).inserted {
                    throw error("duplicate key \"\(key)\" in object", at: keyStart)
                }
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after an object key")
            }
            position += 1
            skipWhitespace()
            if let keep, !keep.contains(where: { $0.hasSameBytes(as: key) }) {
                try skipValue(depth: depth)
                keys.append(key)
            } else {
                let value = try parseValue(depth: depth)
                entries.append((key: key, value: value))
            }
            seen?.insert(ExactString(key))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON text inside an object") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return JSONObject(uniqueEntries: entries)
            default:
                throw error("expected ',' or '}' in object, found \(Self.describe(byte: bytes[position]))")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
        if depth > JSONParser.maximumDepth { throw error("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
        position += 1 // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON text inside an array") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return elements
            default:
                throw error("expected ',' or ']' in array, found \(Self.describe(byte: bytes[position]))")
            }
        }
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = position
        try skipNumber()
        let literal = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return JSONNumber(uncheckedLiteral: literal)
    }
}
