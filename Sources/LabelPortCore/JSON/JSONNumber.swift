/// A JSON number kept exactly as written (`12345678901234567890`, `0.1`, `1e-7`).
///
/// Two numbers are equal when they denote the same value (`1.0 == 1`, `1e2 == 100`),
/// compared on their decimal digits, never through `Double`, so nothing is rounded.
package struct JSONNumber: Sendable, CustomStringConvertible {
    /// The number's text, valid JSON number syntax.
    package let literal: String

    /// Wraps `literal` if it is valid JSON number syntax.
    package init?(_ literal: String) {
        guard JSONNumber.isValidSyntax(literal.utf8) else { return nil }
        self.literal = literal
    }

    /// Wraps text the caller has already checked to be valid JSON number syntax.
    init(uncheckedLiteral: String) {
        self.literal = uncheckedLiteral
    }

    package init(_ value: Int) {
        self.literal = String(value)
    }

    package var description: String { literal }

    /// The value as a `Double`, for arithmetic that may round.
    package var doubleValue: Double? { Double(literal) }

    /// The value as an `Int` when it is a whole number that fits.
    package var intValue: Int? {
        if let exact = Int(literal) { return exact }
        let c = canonical
        guard c.exponent >= 0, c.digits.count + c.exponent <= 18 else {
            return c.digits.isEmpty ? 0 : nil
        }
        var text = c.digits
        text.append(String(repeating: "0", count: c.exponent))
        guard let magnitude = Int(text) else { return nil }
        return c.negative ? -magnitude : magnitude
    }

    /// Sign, significant digits without leading or trailing zeros, and the power of ten
    /// that scales them: `-12.50` is (true, "125", -1). Zero is (false, "", 0).
    struct Canonical: Equatable, Hashable {
        var negative: Bool
        var digits: String
        var exponent: Int
    }

    var canonical: Canonical {
        var negative = false
        var mantissa: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var exponentNegative = false
        var state = 0 // 0 integer part, 1 fraction, 2 exponent
        for byte in literal.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if state == 2 { exponentNegative = true } else { negative = true }
            case UInt8(ascii: "+"):
                break
            case UInt8(ascii: "."):
                state = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                state = 2
            default:
                let digit = Int(byte &- UInt8(ascii: "0"))
                if state == 2 {
                    // Saturate: exponents this large are never equal to a sane one anyway.
                    exponent = exponent > 1_000_000_000 ? exponent : exponent * 10 + digit
                } else {
                    if mantissa.isEmpty && digit == 0 {
                        if state == 1 { fractionDigits += 1 }
                        continue
                    }
                    mantissa.append(byte)
                    if state == 1 { fractionDigits += 1 }
                }
            }
        }
        if exponentNegative { exponent = -exponent }
        var scale = exponent - fractionDigits
        while let last = mantissa.last, last == UInt8(ascii: "0") {
            mantissa.removeLast()
            scale += 1
        }
        if mantissa.isEmpty { return Canonical(negative: false, digits: "", exponent: 0) }
        return Canonical(negative: negative, digits: String(decoding: mantissa, as: UTF8.self), exponent: scale)
    }

    /// Checks the RFC 8259 number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isValidSyntax<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var i = bytes.startIndex
        let end = bytes.endIndex
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if i < end, bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
        guard i < end else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i = bytes.index(after: i)
        } else if isDigit(bytes[i]) {
            while i < end, isDigit(bytes[i]) { i = bytes.index(after: i) }
        } else {
            return false
        }
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i = bytes.index(after: i)
            guard i < end, isDigit(bytes[i]) else { return false }
            while i < end, isDigit(bytes[i]) { i = bytes.index(after: i) }
        }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i = bytes.index(after: i)
            if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i = bytes.index(after: i) }
            guard i < end, isDigit(bytes[i]) else { return false }
            while i < end, isDigit(bytes[i]) { i = bytes.index(after: i) }
        }
        return i == end
    }
}

extension JSONNumber: Equatable, Hashable {
    package static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        lhs.literal == rhs.literal || lhs.canonical == rhs.canonical
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(canonical)
    }
}
