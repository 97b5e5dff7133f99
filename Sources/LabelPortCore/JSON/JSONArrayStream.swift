/// Reads one JSON array as it arrives in pieces (a streamed answer), handing over each
/// element's bytes whole as soon as its last byte is in, so the caller keeps what it
/// needs of an element and never the whole text.
///
/// As strict as ``JSONParser``, with the same messages and byte offsets: the array's own
/// grammar is checked here (brackets, commas, whitespace, nothing after it) and each
/// element is parsed strictly by the caller (``JSONParser/parseElement(_:)``); this
/// scanner only finds where elements end (strings, escapes and bracket depth). An
/// answer that is not an array is kept whole and parsed at ``finish()``, so its syntax
/// errors and its kind are reported as a whole-text parse reports them.
package struct JSONArrayStream {
    private enum Phase {
        /// Before the opening `[`.
        case start
        /// After `[`: an element or `]`.
        case firstElement
        /// After `,`: an element.
        case nextElement
        /// Inside an element.
        case element
        /// After an element: `,` or `]`.
        case afterElement
        /// After the closing `]`: whitespace only.
        case done
        /// The text is not an array: kept whole for ``finish()``.
        case notArray
    }

    private var phase = Phase.start
    /// Offset of the next piece's first byte in the whole text.
    private var offset = 0
    /// Offset of the current element's first byte.
    private var elementStart = 0
    /// The current element's bytes from earlier pieces (or the whole text when not an array).
    private var carry: [UInt8] = []
    /// Bytes of a leading byte order mark seen (all three, or none, before the array).
    private var markBytes = 0
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The element is a number or literal: it ends at a delimiter, not at a bracket.
    private var scalar = false

    package init() {}

    /// Reads `piece`, calling `element` with the bytes and offset of each element that
    /// ends in it. A syntax error is thrown at once, with its offset in the whole text.
    ///
    /// `object`, a fast path, is offered each object element that starts in `piece` first,
    /// with the rest of the piece: it may read and keep the element itself and return its
    /// length (it then must have checked it as the parser would), or return nil to leave
    /// it to this scanner and `element`. One pass over a big answer's bytes, not two.
    package mutating func feed<Failure: Error>(
        _ piece: UnsafeRawBufferPointer,
        element: (_ bytes: UnsafeRawBufferPointer, _ offset: Int) throws(Failure) -> Void,
        object: (_ rest: UnsafeRawBufferPointer, _ offset: Int) -> Int? = { _, _ in nil }
    ) throws(JSONArrayStreamError<Failure>) {
        let count = piece.count
        var i = 0
        /// Where the current element starts in this piece (0 when it began in an earlier one).
        var startInPiece = 0
        defer { offset += count }
        while i < count {
            switch phase {
            case .element:
                if inString {
                    i = Self.quoteOrBackslash(piece, from: i, escaped: &escaped)
                    guard i < count else { break }
                    inString = false  // at the closing quote
                    i += 1
                    if depth == 0 { try emit(piece, from: startInPiece, to: i, element) }
                    continue
                }
                let byte = piece[i]
                if scalar {
                    switch byte {
                    case UInt8(ascii: ","), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                        try emit(piece, from: startInPiece, to: i, element)
                        continue  // the delimiter is read in .afterElement
                    default:
                        i += 1
                        continue
                    }
                }
                i += 1
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { try emit(piece, from: startInPiece, to: i, element) }
                default: break
                }
            case .notArray:
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[i...]))
                return
            default:
                let byte = piece[i]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                    i += 1
                    continue
                }
                do throws(JSONSyntaxError) { try structural(byte, at: i) } catch { throw .syntax(error) }
                if phase == .element {
                    startInPiece = i
                    if byte == UInt8(ascii: "{"), let length = object(UnsafeRawBufferPointer(rebasing: piece[i...]), offset + i) {
                        i += length
                        depth = 0
                        phase = .afterElement
                        continue
                    }
                }
                if phase == .notArray { continue }
                i += 1
            }
        }
        if phase == .element {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[startInPiece...]))
        }
    }

    /// The text has ended: throws unless it was one whole array. When it was not an
    /// array, it is parsed whole and returned (the caller names its kind).
    package mutating func finish() throws(JSONSyntaxError) -> JSONValue? {
        switch phase {
        case .done: return nil
        case .start: throw JSONSyntaxError(offset: offset, message: "unexpected end of JSON text")
        case .notArray:
            let value = try JSONParser.parse(carry)
            carry = []
            return value
        case .element:
            // Parsed for its own message: where the element's text gives out.
            let start = elementStart
            let parsed: Result<JSONValue, JSONSyntaxError> = carry.withUnsafeBytes { raw in
                Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parseElement(raw) }
            }
            if case .failure(let error) = parsed { throw error.shifted(by: start) }
            throw JSONSyntaxError(offset: offset, message: "unexpected end of JSON text inside an array")
        case .afterElement:
            throw JSONSyntaxError(offset: offset, message: "unexpected end of JSON text inside an array")
        case .firstElement, .nextElement:
            throw JSONSyntaxError(offset: offset, message: "unexpected end of JSON text")
        }
    }

    /// A byte outside any element (whitespace already skipped).
    private mutating func structural(_ byte: UInt8, at i: Int) throws(JSONSyntaxError) {
        let at = offset + i
        switch phase {
        case .start:
            // A UTF-8 byte order mark before the array (some servers send one; RFC 8259
            // lets a parser ignore it).
            if at < UTF8Validation.byteOrderMark.count, byte == UTF8Validation.byteOrderMark[at] {
                markBytes += 1
                return
            }
            guard byte == UInt8(ascii: "["), markBytes == 0 || markBytes == UTF8Validation.byteOrderMark.count else {
                phase = .notArray
                return
            }
            phase = .firstElement
        case .firstElement where byte == UInt8(ascii: "]"), .afterElement where byte == UInt8(ascii: "]"):
            phase = .done
        case .afterElement:
            guard byte == UInt8(ascii: ",") else {
                throw JSONSyntaxError(offset: at, message: "expected ',' or ']' in array, found \(JSONParser.describe(byte: byte))")
            }
            phase = .nextElement
        case .firstElement, .nextElement:
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth = 1
                scalar = false
            case UInt8(ascii: "\""):
                depth = 0
                inString = true
                scalar = false
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                depth = 0
                scalar = true
            default:
                throw JSONSyntaxError(offset: at, message: "unexpected character \(JSONParser.describe(byte: byte)); expected a JSON value")
            }
            elementStart = at
            escaped = false
            phase = .element
        case .done:
            throw JSONSyntaxError(offset: at, message: "unexpected text after the JSON value")
        case .element, .notArray:
            break
        }
    }

    /// The element ends before `end` in `piece`: hands it over (joined with its earlier
    /// pieces if it began in one) and moves on.
    private mutating func emit<Failure: Error>(
        _ piece: UnsafeRawBufferPointer, from start: Int, to end: Int,
        _ element: (UnsafeRawBufferPointer, Int) throws(Failure) -> Void
    ) throws(JSONArrayStreamError<Failure>) {
        phase = .afterElement
        let begin = elementStart
        let handled: Result<Void, Failure>
        if carry.isEmpty {
            let bytes = UnsafeRawBufferPointer(rebasing: piece[start..<end])
            handled = Result { () throws(Failure) in try element(bytes, begin) }
        } else {
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[start..<end]))
            handled = carry.withUnsafeBytes { raw in Result { () throws(Failure) in try element(raw, begin) } }
            carry.removeAll(keepingCapacity: carry.capacity <= Self.keptCarry)
        }
        if case .failure(let error) = handled { throw .element(error) }
    }

    /// A carry buffer up to this size is kept for the next element that spans pieces;
    /// a larger one (a huge label) is released.
    private static let keptCarry = 1 << 16

    /// The offset of the first unescaped `"` from `from` on in a string's bytes (or
    /// `bytes.count`), eight bytes at a time where no quote or backslash is near;
    /// `escaped` carries a trailing backslash over to the next piece.
    @inline(__always)
    private static func quoteOrBackslash(_ bytes: UnsafeRawBufferPointer, from: Int, escaped: inout Bool) -> Int {
        var i = from
        let count = bytes.count
        if escaped, i < count {
            escaped = false
            i += 1
        }
        guard let base = bytes.baseAddress else { return count }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i < count {
            if i + 8 <= count {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let quote = w ^ (ones &* 0x22)
                let backslash = w ^ (ones &* 0x5C)
                let special = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs
                if special == 0 {
                    i += 8
                    continue
                }
                i += special.trailingZeroBitCount >> 3
            }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") { return i }
            if byte == UInt8(ascii: "\\") {
                if i + 1 >= count {
                    escaped = true
                    return count
                }
                i += 2
                continue
            }
            i += 1
        }
        return count
    }
}

/// Why ``JSONArrayStream/feed(_:element:)`` stopped: the text's syntax, or the caller's
/// handling of an element.
package enum JSONArrayStreamError<Failure: Error>: Error {
    case syntax(JSONSyntaxError)
    case element(Failure)
}

extension JSONSyntaxError {
    /// The same error at an offset `by` bytes later (an element's offset → the whole text's).
    package func shifted(by distance: Int) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset + distance, message: message)
    }
}
