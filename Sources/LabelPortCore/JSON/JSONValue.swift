/// Any JSON value, as found in a gold label's `object_value`.
///
/// Numbers keep their exact text (see ``JSONNumber``); objects keep their keys in the
/// order they were read (see ``JSONObject``). Equality is by meaning: object key order
/// and number spelling do not matter; strings compare by their exact code points.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    package var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    package var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The JSON type's name, for messages: "a string", "an object", ….
    package var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: Equatable, Hashable {
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a.hasSameBytes(as: b)
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a == b
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(ExactString(s))
        case .array(let a): hasher.combine(a)
        case .object(let o): hasher.combine(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    package init(nilLiteral: ()) { self = .null }
}

/// A string compared and hashed by its exact UTF-8 bytes, not by Unicode canonical
/// equivalence as `String` does: "é" precomposed and decomposed are different keys here.
extension String {
    /// Equal byte for byte, not merely canonically equivalent as `==` says. The lengths
    /// go first (most pairs differ there), then `==`, quick on ASCII, then the bytes.
    @inline(__always)
    func hasSameBytes(as other: String) -> Bool {
        utf8.count == other.utf8.count && self == other && ExactString(self) == ExactString(other)
    }
}

package struct ExactString: Hashable, Sendable {
    package let string: String
    package init(_ string: String) { self.string = string }
    package static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        guard lhs.string.utf8.count == rhs.string.utf8.count else { return false }
        var l = lhs.string
        var r = rhs.string
        // One memcmp of the contiguous bytes (dictionary probes compare keys often).
        return l.withUTF8 { lb in r.withUTF8 { rb in lb.count == 0 || memcmp(lb.baseAddress!, rb.baseAddress!, lb.count) == 0 } }
    }
    package func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(0xFF as UInt8)
    }
}
