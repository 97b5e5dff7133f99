/// Locating invalid UTF-8, for messages that point at the bad byte.
package enum UTF8Validation {
    /// The UTF-8 byte order mark: Excel needs it to read a CSV file as UTF-8, and some
    /// servers send it before a JSON answer.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

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

    /// What a byte that is not UTF-8 stands for in Windows-1252 (Latin-1 with printable
    /// characters at 0x80–0x9F), the encoding of Excel's plain "CSV" on Windows; nil for a
    /// byte that encoding leaves undefined, or a control character.
    package static func windows1252(_ byte: UInt8) -> Character? {
        switch byte {
        case 0xA0: return nil  // no-break space: nothing a message could show
        case 0xA1...0xFF: return Character(Unicode.Scalar(byte))
        case 0x80...0x9F:
            let scalar = windows1252High[Int(byte - 0x80)]
            return scalar == 0 ? nil : Character(Unicode.Scalar(scalar)!)
        default: return nil
        }
    }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]
}
