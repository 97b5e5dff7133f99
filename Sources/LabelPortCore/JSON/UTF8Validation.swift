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
}
