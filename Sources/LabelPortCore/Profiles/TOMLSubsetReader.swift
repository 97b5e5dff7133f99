/// A value of the TOML subset the config file uses.
package enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)

    /// The TOML type name, for messages ("expected a string, found an integer").
    package var typeName: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .bool: "a boolean"
        }
    }
}

/// One `key = value` of the file with its full dotted path (table header + key) and place.
package struct TOMLEntry: Sendable, Equatable {
    package var path: [String]
    package var value: TOMLValue
    package var line: Int
    package var column: Int
}

/// One `[table]` header with its place.
package struct TOMLTableHeader: Sendable, Equatable {
    package var path: [String]
    package var line: Int
    package var column: Int
}

/// Reads the part of TOML a config file needs: comments, `[dotted.table]` headers, bare,
/// quoted and dotted keys, basic and literal strings, integers, floats and booleans.
/// Anything else (arrays, inline tables, dates, multi-line strings) is an error at its
/// `LINE:COLUMN`. Messages never quote a value: a config file may hold secrets by mistake.
///
/// A small reader instead of a TOML library: the whole format costs a C++ build
/// (TOMLKit wraps toml++) for four value types.
package struct TOMLSubsetReader {
    package private(set) var entries: [TOMLEntry] = []
    package private(set) var tables: [TOMLTableHeader] = []

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0

    /// Parses `text`; a ``TOMLSyntaxError`` names the first problem's line and column.
    package init(_ text: String) throws(TOMLSyntaxError) {
        bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
        try parse()
    }

    private var column: Int {
        String(decoding: bytes[lineStart..<min(index, bytes.count)], as: UTF8.self).count + 1
    }

    private func fail(_ message: String) -> TOMLSyntaxError {
        TOMLSyntaxError(line: line, column: column, message: message)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpaces() {
        while let c = current, c == 0x20 || c == 0x09 { index += 1 }
    }

    /// After a header or value: spaces, an optional comment, then the end of the line.
    private mutating func endOfLine() throws(TOMLSyntaxError) {
        skipSpaces()
        if current == UInt8(ascii: "#") {
            while let c = current, c != 0x0A { index += 1 }
        }
        if current == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
        guard let c = current else { return }
        guard c == 0x0A else { throw fail("unexpected text after the value; put one key = value on each line") }
        index += 1
        line += 1
        lineStart = index
    }

    private mutating func parse() throws(TOMLSyntaxError) {
        var table: [String] = []
        var seenKeys: Set<[String]> = []
        var seenTables: Set<[String]> = []
        while index < bytes.count {
            skipSpaces()
            guard let c = current else { break }
            if c == 0x0A || c == 0x0D || c == UInt8(ascii: "#") {
                try endOfLine()
                continue
            }
            let startColumn = column
            if c == UInt8(ascii: "[") {
                index += 1
                if current == UInt8(ascii: "[") { throw fail("arrays of tables ([[…]]) are not used in a labelport config") }
                skipSpaces()
                let path = try keyPath(until: UInt8(ascii: "]"))
                guard current == UInt8(ascii: "]") else { throw fail("expected ] to close the table header") }
                index += 1
                guard seenTables.insert(path).inserted, !seenKeys.contains(path) else {
                    throw TOMLSyntaxError(line: line, column: startColumn, message: "table [\(Self.dotted(path))] is defined twice")
                }
                tables.append(TOMLTableHeader(path: path, line: line, column: startColumn))
                table = path
                try endOfLine()
                continue
            }
            let key = try keyPath(until: UInt8(ascii: "="))
            guard current == UInt8(ascii: "=") else { throw fail("expected = after the key") }
            index += 1
            skipSpaces()
            let value = try self.value()
            let path = table + key
            guard seenKeys.insert(path).inserted else {
                throw TOMLSyntaxError(line: line, column: startColumn, message: "key \(Self.dotted(path)) is defined twice")
            }
            entries.append(TOMLEntry(path: path, value: value, line: line, column: startColumn))
            try endOfLine()
        }
    }

    /// `a.b."c d"`: key parts up to `terminator` (not consumed).
    private mutating func keyPath(until terminator: UInt8) throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { throw fail("the line ends inside a key") }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                parts.append(try quoted(c))
            } else {
                let start = index
                while let b = current, Self.isBareKeyByte(b) { index += 1 }
                guard index > start else {
                    throw fail(c == terminator ? "a key is empty" : "a key may hold only letters, digits, - and _ (quote it otherwise)")
                }
                parts.append(String(decoding: bytes[start..<index], as: UTF8.self))
            }
            skipSpaces()
            if current == UInt8(ascii: ".") { index += 1; continue }
            guard current == terminator else { throw fail("expected \(terminator == UInt8(ascii: "=") ? "=" : "]") after the key") }
            return parts
        }
    }

    private static func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x5F
    }

    private mutating func value() throws(TOMLSyntaxError) -> TOMLValue {
        guard let c = current, c != 0x0A, c != 0x0D, c != UInt8(ascii: "#") else { throw fail("a value is missing after =") }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            if bytes[index...].starts(with: [c, c, c]) { throw fail("multi-line strings are not used in a labelport config") }
            return .string(try quoted(c))
        case UInt8(ascii: "["): throw fail("arrays are not used in a labelport config")
        case UInt8(ascii: "{"): throw fail("inline tables are not used in a labelport config; write a [table]")
        default: break
        }
        let start = index
        while let b = current, b != 0x20, b != 0x09, b != 0x0A, b != 0x0D, b != UInt8(ascii: "#") { index += 1 }
        let word = String(decoding: bytes[start..<index], as: UTF8.self)
        if word == "true" { return .bool(true) }
        if word == "false" { return .bool(false) }
        let digits = word.replacing("_", with: "")
        if !word.hasPrefix("_"), !word.hasSuffix("_"), !word.contains("__") {
            if let int = Int(digits), !digits.hasPrefix("+0"), !(digits.count > 1 && digits.hasPrefix("0")), !digits.hasPrefix("-0") || digits == "-0" {
                return .integer(int)
            }
            if ["inf", "+inf"].contains(digits) { return .float(.infinity) }
            if digits == "-inf" { return .float(-.infinity) }
            if ["nan", "+nan", "-nan"].contains(digits) { return .float(.nan) }
            if digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), Self.isDecimalFloat(digits), let float = Double(digits) {
                return .float(float)
            }
        }
        index = start
        throw fail("not a value labelport reads: write a \"quoted string\", a number, true or false")
    }

    /// Digits around the point on both sides, as TOML asks (`1.`, `.5` are not floats).
    private static func isDecimalFloat(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let mantissa = body.prefix { $0 != "e" && $0 != "E" }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// A basic ("…", with escapes) or literal ('…') string on one line.
    private mutating func quoted(_ quote: UInt8) throws(TOMLSyntaxError) -> String {
        index += 1
        var result: [UInt8] = []
        while true {
            guard let c = current, c != 0x0A, c != 0x0D else { throw fail("a string is not closed on its line") }
            index += 1
            if c == quote { return String(decoding: result, as: UTF8.self) }
            if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") {
                guard let e = current else { throw fail("a string is not closed on its line") }
                index += 1
                switch e {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): result.append(e)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = e == UInt8(ascii: "u") ? 4 : 8
                    guard index + count <= bytes.count,
                          let scalarValue = UInt32(String(decoding: bytes[index..<index + count], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(scalarValue)
                    else { throw fail("a \\u escape needs \(count) hex digits naming a Unicode scalar") }
                    index += count
                    result += Array(String(Character(scalar)).utf8)
                default:
                    index -= 1
                    throw fail("unknown escape in a string (use \\\\ for a backslash, or 'single quotes')")
                }
            } else {
                result.append(c)
            }
        }
    }

    static func dotted(_ path: [String]) -> String {
        path.map { part in part.utf8.allSatisfy(isBareKeyByte) && !part.isEmpty ? part : "\"\(part)\"" }.joined(separator: ".")
    }
}

/// A syntax problem, located in the file.
package struct TOMLSyntaxError: Error, Sendable, Equatable {
    package var line: Int
    package var column: Int
    package var message: String
}
