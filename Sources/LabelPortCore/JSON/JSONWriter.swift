/// Serializes ``JSONValue`` to compact JSON text: no insignificant whitespace,
/// numbers exactly as written, non-ASCII text as UTF-8, and keys either in the
/// object's own order or sorted byte-wise (the stable order export writes).
package struct JSONWriter: Sendable {
    package enum KeyOrder: Sendable {
        /// The order the keys were read or added in.
        case preserved
        /// Sorted by UTF-8 bytes, so the same object always gives the same bytes.
        case sorted
    }

    package var keyOrder: KeyOrder

    package init(keyOrder: KeyOrder = .preserved) {
        self.keyOrder = keyOrder
    }

    package func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        write(value, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    package func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.literal.utf8)
        case .string(let s): JSONWriter.writeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            write(object, into: &out)
        }
    }

    package func write(_ object: JSONObject, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        let entries = keyOrder == .sorted ? object.sortedEntries : object.entries
        for (i, entry) in entries.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(entry.key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(entry.value, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Writes `string` as a JSON string literal, escaping quotes, backslashes and
    /// control characters only.
    package static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Copy runs of bytes that need no escape in one go.
            var start = 0
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                appendEscape(byte, into: &out)
                start = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
        case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text, keys in their own order.
    package var description: String { JSONWriter().string(self) }
}

/// Writes one JSON object's members straight to bytes in the order they are added,
/// leaving out absent values: request bodies, without building a ``JSONValue`` first.
struct JSONMemberWriter {
    private var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        bytes.append(UInt8(ascii: "{"))
    }

    mutating func add(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        start(key)
        JSONWriter.writeString(value, into: &bytes)
    }

    mutating func add(_ key: StaticString, _ value: JSONObject?) {
        guard let value else { return }
        start(key)
        JSONWriter().write(value, into: &bytes)
    }

    mutating func add(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        start(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// The object's text.
    consuming func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// A comma if needed, then `"key":` (keys here are plain ASCII).
    private mutating func start(_ key: StaticString) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }
}
