/// Decoding and encoding the text of workbook XML: the five entities and character
/// references, and the `_xHHHH_` escapes spreadsheets use for characters XML cannot
/// hold (control characters, and `_x` itself as `_x005F_x`).
enum XMLText {
    static func decode(_ bytes: ArraySlice<UInt8>, entities: Bool, escapes: Bool) -> String {
        let needsWork = bytes.contains { $0 == 0x26 || ($0 == 0x5F && escapes) || $0 == 0x0D }
        guard needsWork else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        let end = bytes.endIndex
        var pendingHigh: UInt32?
        func appendScalar(_ value: UInt32) {
            if let high = pendingHigh {
                pendingHigh = nil
                if value >= 0xDC00, value <= 0xDFFF {
                    appendUTF8(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00), to: &out)
                    return
                }
                appendUTF8(0xFFFD, to: &out)
            }
            if value >= 0xD800, value <= 0xDBFF {
                pendingHigh = value
            } else if value >= 0xDC00, value <= 0xDFFF {
                appendUTF8(0xFFFD, to: &out)
            } else {
                appendUTF8(value, to: &out)
            }
        }
        func flushHigh() {
            if pendingHigh != nil {
                pendingHigh = nil
                appendUTF8(0xFFFD, to: &out)
            }
        }
        while i < end {
            let byte = bytes[i]
            if escapes, byte == 0x5F, i + 6 < end, bytes[i + 1] == 0x78, bytes[i + 6] == 0x5F,
                let value = hex(bytes[(i + 2)..<(i + 6)])
            {
                appendScalar(value)
                i += 7
                continue
            }
            flushHigh()
            if entities, byte == 0x26, let semicolon = bytes[i..<min(end, i + 12)].firstIndex(of: 0x3B) {
                let name = bytes[(i + 1)..<semicolon]
                var decoded: UInt32?
                switch String(decoding: name, as: UTF8.self) {
                case "lt": decoded = 0x3C
                case "gt": decoded = 0x3E
                case "amp": decoded = 0x26
                case "quot": decoded = 0x22
                case "apos": decoded = 0x27
                default:
                    if name.first == 0x23 {
                        let digits = name.dropFirst()
                        if digits.first == 0x78 || digits.first == 0x58 {
                            decoded = UInt32(String(decoding: digits.dropFirst(), as: UTF8.self), radix: 16)
                        } else {
                            decoded = UInt32(String(decoding: digits, as: UTF8.self), radix: 10)
                        }
                    }
                }
                if let decoded {
                    if escapes { appendScalar(decoded) } else { appendUTF8(decoded, to: &out) }
                    i = semicolon + 1
                    continue
                }
            }
            if byte == 0x0D {  // XML line-end normalisation: CR LF and lone CR become LF
                out.append(0x0A)
                if i + 1 < end, bytes[i + 1] == 0x0A { i += 1 }
                i += 1
                continue
            }
            out.append(byte)
            i += 1
        }
        flushHigh()
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for byte in digits {
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        guard let scalar = Unicode.Scalar(value) else {
            out += [0xEF, 0xBF, 0xBD]
            return
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
    }

    /// Appends `text` escaped for XML content or an attribute value, characters XML 1.0
    /// cannot hold written as `_xHHHH_`, and a literal `_x` followed by four hex digits
    /// protected as `_x005F_` so that readers give back exactly `text`.
    static func appendEscaped(_ text: String, into out: inout [UInt8]) {
        let copied: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            // Most text needs nothing: copy it whole.
            for byte in bytes where byte < 0x20 || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x22 || byte == 0x5F || byte == 0xEF {
                return false
            }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            switch byte {
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x26: out += Array("&amp;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x09, 0x0A: out.append(byte)
            case 0x0D: out += Array("_x000D_".utf8)
            case 0x00..<0x20:
                out += Array("_x00".utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0xF))
                out.append(0x5F)
            case 0x5F where i + 6 < utf8.count && utf8[i + 1] == 0x78 && utf8[i + 6] == 0x5F && hex(utf8[(i + 2)..<(i + 6)]) != nil:
                out += Array("_x005F_".utf8)
            case 0xEF where i + 2 < utf8.count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                // U+FFFE and U+FFFF are not XML characters either.
                out += Array("_xFFF".utf8)
                out.append(utf8[i + 2] == 0xBE ? UInt8(ascii: "E") : UInt8(ascii: "F"))
                out.append(0x5F)
                i += 3
                continue
            default: out.append(byte)
            }
            i += 1
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x41 + value - 10
    }
}
