extension UUIDText {
    /// Whether `bytes` spell a UUID (8-4-4-4-12 hex digits), and whether any digit is upper case.
    @inline(__always)
    private static func classify(_ bytes: UnsafeRawBufferPointer) -> (valid: Bool, upper: Bool) {
        guard bytes.count == 36 else { return (false, false) }
        var upper = false
        for i in 0..<36 {
            let b = bytes[i]
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if b != UInt8(ascii: "-") { return (false, false) }
            } else if b &- UInt8(ascii: "0") < 10 || b &- UInt8(ascii: "a") < 6 {
                continue
            } else if b &- UInt8(ascii: "A") < 6 {
                upper = true
            } else {
                return (false, false)
            }
        }
        return (true, upper)
    }

    /// The lower-cased UUID when `text` is one, else nil: one pass over its bytes, and no
    /// new string when it is already lower case (this runs for every input row).
    static func normalizedIfValid(_ text: String) -> String? {
        var text = text
        let result = text.withUTF8 { classify(UnsafeRawBufferPointer($0)) }
        guard result.valid else { return nil }
        return result.upper ? normalized(text) : text
    }

    /// The lower-cased UUID when `bytes` spell one, else nil (the CSV reader's cells).
    static func normalizedIfValid(bytes: UnsafeRawBufferPointer) -> String? {
        guard classify(bytes).valid else { return nil }
        return String(unsafeUninitializedCapacity: 36) { out in
            for i in 0..<36 {
                let b = bytes[i]
                out[i] = b >= UInt8(ascii: "A") ? b | 0x20 : b
            }
            return 36
        }
    }
}
