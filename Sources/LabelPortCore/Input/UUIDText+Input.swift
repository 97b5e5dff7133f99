extension UUIDText {
    /// The lower-cased UUID when `text` is one, else nil: one pass over contiguous bytes,
    /// and no new string when it is already lower case (this runs for every input row).
    static func normalizedIfValid(_ text: String) -> String? {
        let result: (valid: Bool, upper: Bool)? = text.utf8.withContiguousStorageIfAvailable { bytes in
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
        guard let result else { return isValid(text) ? normalized(text) : nil }
        guard result.valid else { return nil }
        return result.upper ? normalized(text) : text
    }

    /// The lower-cased UUID when `bytes` spell one, else nil (the CSV reader's cells).
    static func normalizedIfValid(bytes: UnsafeRawBufferPointer) -> String? {
        guard bytes.count == 36 else { return nil }
        for i in 0..<36 {
            let b = bytes[i]
            if i == 8 || i == 13 || i == 18 || i == 23 {
                if b != UInt8(ascii: "-") { return nil }
            } else if !(b &- UInt8(ascii: "0") < 10 || (b | 0x20) &- UInt8(ascii: "a") < 6) {
                return nil
            }
        }
        return String(unsafeUninitializedCapacity: 36) { out in
            for i in 0..<36 {
                let b = bytes[i]
                out[i] = b >= UInt8(ascii: "A") ? b | 0x20 : b
            }
            return 36
        }
    }
}
