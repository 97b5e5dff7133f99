/// Writes a JSON value's canonical text — compact, object keys sorted byte-wise,
/// strings and numbers as written: what ``JSONWriter`` with `.sorted` keys writes for
/// the parsed value — straight from its text, without building it. For a big run's
/// labels, read one at a time.
///
/// A fast path, not a second parser: it checks what it reads as ``JSONParser`` does,
/// but gives up (returns false, the output then undefined) on anything it leaves to the
/// parser — a string with an escape, a duplicate key, any error. The caller then parses
/// the value, which gives the same text or the parser's precise error.
///
/// ``check(_:depth:)`` reads a value the same way without writing its text: for callers
/// that keep a label as sent and need only to know the fast path takes it.
package struct JSONCanonicalizer {
    /// One member of an object being written: its key's bytes in the text (a plain
    /// string, so they are its UTF-8), and where its canonical text (`"key":value`) is in
    /// the output.
    private struct Member {
        var keyStart: Int
        var keyEnd: Int
        var textStart: Int
        var textEnd: Int
    }

    /// The members of the objects being written, innermost last (a stack).
    private var members: [Member] = []
    /// The values of an object being put in key order.
    private var moved: [UInt8] = []
    /// False while ``check(_:depth:)`` reads: nothing is written to `out`.
    private var writing = true

    package init() {}

    /// Appends the canonical text of the value at `parser`'s position (`depth` as
    /// ``JSONParser/parseValue(depth:)`` counts it) to `out`, moving past it.
    mutating func append(_ parser: inout JSONParser, depth: Int, into out: inout [UInt8]) -> Bool {
        writing = true
        return value(&parser, depth: depth, into: &out)
    }

    /// Moves past the value at `parser`'s position as ``append(_:depth:into:)`` does, with
    /// the same answer, without writing its text.
    mutating func check(_ parser: inout JSONParser, depth: Int) -> Bool {
        writing = false
        var out: [UInt8] = []  // never written: empty, so no storage
        defer { writing = true }
        return value(&parser, depth: depth, into: &out)
    }

    private mutating func value(_ parser: inout JSONParser, depth: Int, into out: inout [UInt8]) -> Bool {
        let bytes = parser.bytes
        guard parser.position < bytes.count else { return false }
        let start = parser.position
        switch bytes[start] {
        case UInt8(ascii: "{"):
            return appendObject(&parser, depth: depth + 1, into: &out)
        case UInt8(ascii: "["):
            return appendArray(&parser, depth: depth + 1, into: &out)
        case UInt8(ascii: "\""):
            guard Self.skipPlainString(&parser) != nil else { return false }
        case UInt8(ascii: "t"):
            guard (try? parser.expectLiteral("true")) != nil else { return false }
        case UInt8(ascii: "f"):
            guard (try? parser.expectLiteral("false")) != nil else { return false }
        case UInt8(ascii: "n"):
            guard (try? parser.expectLiteral("null")) != nil else { return false }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard (try? parser.skipNumber()) != nil else { return false }
        default:
            return false
        }
        if writing { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<parser.position])) }
        return true
    }

    /// Moves past the string at `parser`'s position when it has no escape and valid
    /// UTF-8 (its text is then its canonical text); returns its contents' range.
    static func skipPlainString(_ parser: inout JSONParser) -> Range<Int>? {
        guard let run = try? parser.scanPlainString(), !run.escaped else { return nil }
        if run.sawNonASCII, UTF8Validation.firstInvalidOffset(UnsafeRawBufferPointer(rebasing: parser.bytes[run.start..<run.end])) != nil {
            return nil
        }
        return run.start..<run.end
    }

    /// Reads `"KEY":` where an object's member starts (with the whitespace around it);
    /// returns the range of the key's bytes, when it is a plain string.
    static func readKey(_ parser: inout JSONParser) -> Range<Int>? {
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "\""),
              let key = skipPlainString(&parser) else { return nil }
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: ":") else { return nil }
        parser.position += 1
        parser.skipWhitespace()
        return key
    }

    /// Reads what follows a member's value: true at the object's `}`, false at `,`, nil
    /// at anything else.
    static func readMemberEnd(_ parser: inout JSONParser) -> Bool? {
        parser.skipWhitespace()
        guard parser.position < parser.bytes.count else { return nil }
        let byte = parser.bytes[parser.position]
        parser.position += 1
        switch byte {
        case UInt8(ascii: "}"): return true
        case UInt8(ascii: ","): return false
        default: return nil
        }
    }

    private mutating func appendArray(_ parser: inout JSONParser, depth: Int, into out: inout [UInt8]) -> Bool {
        guard depth <= JSONParser.maximumDepth else { return false }
        let bytes = parser.bytes
        parser.position += 1
        if writing { out.append(UInt8(ascii: "[")) }
        parser.skipWhitespace()
        if parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "]") {
            parser.position += 1
            if writing { out.append(UInt8(ascii: "]")) }
            return true
        }
        while true {
            parser.skipWhitespace()
            guard value(&parser, depth: depth, into: &out) else { return false }
            parser.skipWhitespace()
            guard parser.position < bytes.count else { return false }
            let byte = bytes[parser.position]
            parser.position += 1
            if writing { out.append(byte) }
            if byte == UInt8(ascii: "]") { return true }
            guard byte == UInt8(ascii: ",") else { return false }
        }
    }

    /// Writes the members in the text's order; then, unless their keys already are in
    /// order (no copy then), puts them in key order.
    private mutating func appendObject(_ parser: inout JSONParser, depth: Int, into out: inout [UInt8]) -> Bool {
        guard depth <= JSONParser.maximumDepth else { return false }
        let bytes = parser.bytes
        parser.position += 1
        let base = members.count
        defer { members.removeLast(members.count - base) }
        if writing { out.append(UInt8(ascii: "{")) }
        let membersStart = out.count
        parser.skipWhitespace()
        if parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "}") {
            parser.position += 1
            if writing { out.append(UInt8(ascii: "}")) }
            return true
        }
        func key(_ member: Member) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd])
        }
        var ordered = true
        while true {
            guard let key = Self.readKey(&parser) else { return false }
            let comma = members.count > base
            if comma {
                let byKey = CompactRun.order(UnsafeRawBufferPointer(rebasing: bytes[members[members.count - 1].keyStart..<members[members.count - 1].keyEnd]),
                                             UnsafeRawBufferPointer(rebasing: bytes[key]))
                if byKey >= 0 { ordered = false }
            }
            let memberStart = out.count + (comma ? 1 : 0)
            if writing { Self.appendMemberStart(key, comma: comma, at: parser.position, of: bytes, into: &out) }
            guard value(&parser, depth: depth, into: &out) else { return false }
            members.append(Member(keyStart: key.lowerBound, keyEnd: key.upperBound, textStart: memberStart, textEnd: out.count))
            guard let last = Self.readMemberEnd(&parser) else { return false }
            if last { break }
        }
        if !ordered {
            members.withUnsafeMutableBufferPointer { all in
                var object = UnsafeMutableBufferPointer(rebasing: all[base...])
                object.sort { CompactRun.order(key($0), key($1)) < 0 }
            }
            for i in base + 1..<members.count where CompactRun.order(key(members[i - 1]), key(members[i])) == 0 {
                return false  // a duplicate key: the parser names it
            }
        }
        guard writing else { return true }
        if !ordered {
            moved.removeAll(keepingCapacity: true)
            out.withUnsafeBytes { moved.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[membersStart...])) }
            out.removeLast(out.count - membersStart)
            moved.withUnsafeBytes { moved in
                for i in base..<members.count {
                    if i > base { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: moved[(members[i].textStart - membersStart)..<(members[i].textEnd - membersStart)]))
                }
            }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// Appends `,` (when `comma`) and `"KEY":` for the member whose key is at `key` and
    /// whose value starts at `valueStart`: one copy of the text when it has them without
    /// whitespace between, as a compact answer does.
    @inline(__always)
    private static func appendMemberStart(_ key: Range<Int>, comma: Bool, at valueStart: Int, of bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let quote = key.lowerBound - 1
        if valueStart == key.upperBound + 2 {
            let from = comma && quote > 0 && bytes[quote - 1] == UInt8(ascii: ",") ? quote - 1 : quote
            if comma && from == quote { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[from..<valueStart]))
            return
        }
        if comma { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[key]))
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }
}
