/// Fast UTF-8 checks for the readers' hot paths (`String(validating:)` on raw bytes goes
/// through a slow generic path).
enum UTF8Text {
    /// The string for valid UTF-8 `bytes`, or the offset of the first invalid byte.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<String, InvalidByte> {
        if let bad = firstInvalidOffset(bytes) { return .failure(InvalidByte(offset: bad)) }
        return .success(String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self))
    }

    /// Like ``UTF8Validation/firstInvalidOffset(_:)``, with a word-at-a-time ASCII fast
    /// path that resumes after every multi-byte character (text mixes both).
    @inline(__always)
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < count {
            if i + 8 <= count, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b < 0x80 {
                i += 1
                continue
            }
            let length = UTF8Validation.sequenceLength(at: i, in: bytes)
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    struct InvalidByte: Error {
        var offset: Int
    }
}
