/// Checks the textual UUID form the API uses: 8-4-4-4-12 hexadecimal digits.
package enum UUIDText {
    package static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard b == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
                guard isHex else { return false }
            }
        }
        return true
    }

    /// Lower-cased form, so `ABC…` and `abc…` name the same run.
    package static func normalized(_ text: String) -> String { text.lowercased() }
}
