/// Builds the JSON paths ``LabelDiff`` reports: `.key` for keys that are plain
/// identifiers, `["key"]` (a JSON string) for any other key, `[n]` for array elements.
enum JSONPath {
    static func appending(key: String, to path: String) -> String {
        if isPlainIdentifier(key) { return path + "." + key }
        var bytes = Array(path.utf8)
        bytes.append(UInt8(ascii: "["))
        JSONWriter.writeString(key, into: &bytes)
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appending(index: Int, to path: String) -> String {
        path + "[\(index)]"
    }

    /// ASCII letter or `_`, then letters, digits or `_`.
    static func isPlainIdentifier(_ key: String) -> Bool {
        var first = true
        for byte in key.utf8 {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: "_")
            let digit = byte >= 0x30 && byte <= 0x39
            if first ? !letter : !(letter || digit) { return false }
            first = false
        }
        return !first
    }
}
