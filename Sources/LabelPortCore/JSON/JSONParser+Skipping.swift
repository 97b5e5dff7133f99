/// Checking values without building them: a large answer's fields nobody reads.
extension JSONParser {
    /// Moves past one value, checking it as ``parseValue(depth:)`` would (but for
    /// duplicate keys) without building it.
    mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
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
            throw error("unexpected character \(Self.describe(byte: bytes[position])); expected a JSON value")
        }
    }

    /// Moves past an object or an array.
    mutating func skipContainer(depth: Int) throws(JSONSyntaxError) {
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
                    throw error("expected a string key in double quotes, found \(Self.describe(byte: bytes[position]))")
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
                throw error("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(isObject ? "object" : "array"), found \(Self.describe(byte: bytes[position]))")
            }
        }
    }

    /// Moves past a string, checking it; builds it only when it has escapes (rare).
    mutating func skipString() throws(JSONSyntaxError) {
        let open = position
        let run = try scanPlainString()
        if run.escaped {
            position = open
            _ = try parseString()
        } else if run.sawNonASCII, let bad = UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(rebasing: bytes[run.start..<run.end])) {
            throw error("invalid UTF-8 in string", at: run.start + bad)
        }
    }

    /// Moves past one number, checking its grammar.
    mutating func skipNumber() throws(JSONSyntaxError) {
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
}
