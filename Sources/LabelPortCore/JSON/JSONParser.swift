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

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
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
            throw error("unexpected character \(describe(byte: bytes[position])); expected a JSON value")
        }
    }

    private func describe(byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
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
    private mutating func parseObject(depth: Int, keeping keep: [String]? = nil) throws(JSONSyntaxError) -> JSONObject {
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
                throw error("expected a string key in double quotes, found \(describe(byte: bytes[position]))")
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
                throw error("expected ',' or '}' in object, found \(describe(byte: bytes[position]))")
            }
        }
    }

    /// Moves past one value, checking it as ``parseValue(depth:)`` would (but for
    /// duplicate keys) without building it.
    private mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard position < bytes.count else { throw error("unexpected end of JSON text") }
        switch bytes[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer(depth: depth + 1)
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"):
            try expectLiteral("true")
        case UInt8(ascii: "f"):
            try expectLiteral("false")
        case UInt8(ascii: "n"):
            try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
        default:
            throw error("unexpected character \(describe(byte: bytes[position])); expected a JSON value")
        }
    }

    /// Moves past an object or an array.
    private mutating func skipContainer(depth: Int) throws(JSONSyntaxError) {
        if depth > JSONParser.maximumDepth { throw error("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
        let isObject = bytes[position] == UInt8(ascii: "{")
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        let what = isObject ? "an object" : "an array"
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == close {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            if isObject {
                guard position < bytes.count else { throw error("unexpected end of JSON text inside an object") }
                guard bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a string key in double quotes, found \(describe(byte: bytes[position]))")
                }
                try skipString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after an object key")
                }
                position += 1
                skipWhitespace()
            }
            try skipValue(depth: depth)
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON text inside \(what)") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case close:
                position += 1
                return
            default:
                throw error("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(isObject ? "object" : "array"), found \(describe(byte: bytes[position]))")
            }
        }
    }

    /// Moves past a string, checking it; builds it only when it has escapes (rare).
    private mutating func skipString() throws(JSONSyntaxError) {
        let open = position
        let run = try scanPlainString()
        if run.escaped {
            position = open
            _ = try parseString()
        } else if run.sawNonASCII, let bad = UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(rebasing: bytes[run.start..<run.end])) {
            throw error("invalid UTF-8 in string", at: run.start + bad)
        }
    }

    /// Reads the plain part of the string whose opening quote is at `position`: up to its
    /// closing quote (`position` then after it), or to its first backslash (`escaped`,
    /// `position` then at it). The run is `start..<end`; its UTF-8 is not yet checked.
    private mutating func scanPlainString() throws(JSONSyntaxError) -> (start: Int, end: Int, sawNonASCII: Bool, escaped: Bool) {
        let open = position
        let start = open + 1
        var sawNonASCII = false
        position = plainRunEnd(from: start)
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return (start, position - 1, sawNonASCII, false)
            }
            if byte == UInt8(ascii: "\\") { return (start, position, sawNonASCII, true) }
            if byte < 0x20 {
                throw error("control character \(describe(byte: byte)) must be escaped inside a string")
            }
            sawNonASCII = true
            position = plainRunEnd(from: position + 1)
        }
        throw error("unterminated string", at: open)
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> [JSONValue] {
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
                throw error("expected ',' or ']' in array, found \(describe(byte: bytes[position]))")
            }
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = position
        try skipNumber()
        let literal = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return JSONNumber(uncheckedLiteral: literal)
    }

    /// Moves past one number, checking its grammar.
    private mutating func skipNumber() throws(JSONSyntaxError) {
        let start = position
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw error("invalid number: expected a digit", at: position)
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw error("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("invalid number: expected a digit after '.'")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("invalid number: expected a digit in the exponent")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
    }

    /// The offset of the first byte from `from` on that is a quote, a backslash, a
    /// control byte or not ASCII (or `bytes.count`): eight bytes at a time.
    @inline(__always)
    private func plainRunEnd(from: Int) -> Int {
        var i = from
        guard let base = bytes.baseAddress else { return i }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= bytes.count {
            let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = w ^ (ones &* 0x22)
            let backslash = w ^ (ones &* 0x5C)
            // A high bit in any lane: a zero byte (quote or backslash), a byte below 0x20,
            // or a byte of 0x80 or more.
            let special = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | (w &- ones &* 0x20) | w) & highs
            // A borrow can only mark lanes above a special byte: the lowest mark is exact.
            if special != 0 { return i + special.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { return i }
            i += 1
        }
        return i
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = position
        let run = try scanPlainString()
        let start = run.start
        var sawNonASCII = run.sawNonASCII
        if !run.escaped {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<run.end])
            if !sawNonASCII { return String(decoding: slice, as: UTF8.self) }
            return try validatedUTF8(slice, offset: start)
        }
        // Slow path: escapes present.
        var buffer: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                if !sawNonASCII { return String(decoding: buffer, as: UTF8.self) }
                let decoded: String? = buffer.withUnsafeBytes { raw in String(validating: raw, as: UTF8.self) }
                if let decoded { return decoded }
                let bad = buffer.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } ?? 0
                throw error("invalid UTF-8 in string", at: start + bad)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw error("unterminated string", at: open) }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    let scalar = try parseUnicodeEscape()
                    buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw error("invalid escape '\\\(describe(byte: escape))' in string", at: position - 2)
                }
            default:
                // A run of plain bytes up to the next quote, backslash or control byte.
                let run = position
                while position < bytes.count {
                    let b = bytes[position]
                    if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
                    if b >= 0x80 { sawNonASCII = true }
                    position += 1
                }
                if position > run {
                    buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<position]))
                } else {
                    throw error("control character \(describe(byte: byte)) must be escaped inside a string")
                }
            }
        }
        throw error("unterminated string", at: open)
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw error("incomplete \\u escape in string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[position]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let escapeStart = position - 2
        let first = try parseHex4()
        if first >= 0xD800 && first < 0xDC00 {
            guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
            }
            position += 2
            let second = try parseHex4()
            guard second >= 0xDC00 && second < 0xE000 else {
                throw error("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            return Unicode.Scalar(combined)!
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw error("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
        }
        return scalar
    }

    private func validatedUTF8(_ slice: UnsafeRawBufferPointer, offset: Int) throws(JSONSyntaxError) -> String {
        if let string = String(validating: slice, as: UTF8.self) { return string }
        let bad = UTF8Validation.firstInvalidOffset(slice) ?? 0
        throw error("invalid UTF-8 in string", at: offset + bad)
    }
}

/// Locating invalid UTF-8, for messages that point at the bad byte.
package enum UTF8Validation {
    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    /// ASCII is read eight bytes at a time, resuming after every multi-byte character
    /// (text mixes both).
    package static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < count {
            if i + 8 <= count, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            if base.load(fromByteOffset: i, as: UInt8.self) < 0x80 {
                i += 1
                continue
            }
            let length = sequenceLength(at: i, in: bytes)
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    /// The length of the valid multi-byte sequence starting at `i` (whose byte is ≥ 0x80),
    /// or 0 when it is not one: a stray continuation byte, an overlong form, a surrogate,
    /// a scalar above U+10FFFF, or a sequence cut short.
    @inline(__always)
    static func sequenceLength(at i: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        let b = bytes[i]
        let length: Int
        var minimum: UInt32
        var scalar: UInt32
        switch b {
        case 0xC2...0xDF: length = 2; scalar = UInt32(b & 0x1F); minimum = 0x80
        case 0xE0...0xEF: length = 3; scalar = UInt32(b & 0x0F); minimum = 0x800
        case 0xF0...0xF4: length = 4; scalar = UInt32(b & 0x07); minimum = 0x10000
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        for k in 1..<length {
            let c = bytes[i + k]
            guard c & 0xC0 == 0x80 else { return 0 }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar < 0xE000) { return 0 }
        return length
    }
}
