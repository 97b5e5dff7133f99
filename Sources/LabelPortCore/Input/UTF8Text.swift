/// Fast UTF-8 checks for the readers' hot paths (`String(validating:)` on raw bytes goes
/// through a slow generic path).
enum UTF8Text {
    /// The string for valid UTF-8 `bytes`, or the offset of the first invalid byte.
    @inline(__always)
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<String, InvalidByte> {
        if let bad = firstInvalidOffset(bytes) { return .failure(InvalidByte(offset: bad)) }
        return .success(String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self))
    }

    /// Like ``UTF8Validation/firstInvalidOffset(_:)`` with a word-at-a-time ASCII fast path.
    @inline(__always)
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        var i = 0
        if let base = bytes.baseAddress {
            while i + 8 <= count {
                if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            while i < count, base.load(fromByteOffset: i, as: UInt8.self) < 0x80 { i += 1 }
        }
        if i == count { return nil }
        return UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(rebasing: bytes[i...])).map { $0 + i }
    }

    struct InvalidByte: Error {
        var offset: Int
    }
}
