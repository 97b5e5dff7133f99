/// Strings: the plain runs found eight bytes at a time, escapes, `\u` surrogate pairs
/// and UTF-8 checked where it is not ASCII.
extension JSONParser {
    /// Reads the plain part of the string whose opening quote is at `position`: up to its
    /// closing quote (`position` then after it), or to its first backslash (`escaped`,
    /// `position` then at it). The run is `start..<end`; its UTF-8 is not yet checked.
    mutating func scanPlainString() throws(JSONSyntaxError) -> (start: Int, end: Int, sawNonASCII: Bool, escaped: Bool) {
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
                throw error("control character \(Self.describe(byte: byte)) must be escaped inside a string")
            }
            sawNonASCII = true
            position = plainRunEnd(from: position + 1)
        }
        throw error("unterminated string", at: open)
    }

    /// The offset of the first byte from `from` on that is a quote, a backslash, a
    /// control byte or not ASCII (or `bytes.count`): eight bytes at a time.
    @inline(__always)
    func plainRunEnd(from: Int) -> Int {
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

    mutating func parseString() throws(JSONSyntaxError) -> String {
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
                    throw error("invalid escape '\\\(Self.describe(byte: escape))' in string", at: position - 2)
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
                    throw error("control character \(Self.describe(byte: byte)) must be escaped inside a string")
                }
            }
        }
        throw error("unterminated string", at: open)
    }

    mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
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

    mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
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

    func validatedUTF8(_ slice: UnsafeRawBufferPointer, offset: Int) throws(JSONSyntaxError) -> String {
        if let string = String(validating: slice, as: UTF8.self) { return string }
        let bad = UTF8Validation.firstInvalidOffset(slice) ?? 0
        throw error("invalid UTF-8 in string", at: offset + bad)
    }
}
