/// A pull tokenizer for the XML of a workbook's parts, on bytes: start and end tags with
/// their attributes, and text runs. Enough for the few elements a sheet is read from, and
/// much faster than a general parser; no DTDs, no namespaces beyond dropping prefixes.
/// Reads a ``ZipEntryStream`` a buffer at a time (or bytes in memory), so memory holds
/// the largest token, not the part.
struct XMLScanner {
    enum Token: Equatable {
        case start
        case end
        case text
        case eof
    }

    private let source: ZipEntryStream?
    private(set) var buffer: [UInt8]
    private var position = 0
    private var end: Int
    private var sourceDone: Bool
    private(set) var token: Token = .eof
    /// For a start tag: whether it is `<…/>`.
    private(set) var selfClosing = false
    /// The tag's local name (after any `prefix:`).
    private(set) var name: Range<Int> = 0..<0
    /// The attributes of a start tag; the raw text of a text token.
    private(set) var body: Range<Int> = 0..<0
    /// True for a text token from a CDATA section (no entities to decode).
    private(set) var isCDATA = false
    private let part: String

    private static let maximumToken = 64 << 20

    init(stream: ZipEntryStream, part: String) {
        source = stream
        buffer = [UInt8](repeating: 0, count: 256 * 1024)
        end = 0
        sourceDone = false
        self.part = part
    }

    init(bytes: [UInt8], part: String) {
        source = nil
        buffer = bytes
        end = bytes.count
        sourceDone = true
        self.part = part
    }

    /// Makes `buffer[position + offset]` readable; false at the end of the input.
    private mutating func ensure(_ offset: Int) throws(ZipError) -> Bool {
        while position + offset >= end {
            guard let source, !sourceDone else { return false }
            if position > 0 {
                let kept = end - position
                if kept > 0 {
                    buffer.withUnsafeMutableBytes { raw in
                        raw.baseAddress!.copyMemory(from: raw.baseAddress! + position, byteCount: kept)
                    }
                }
                end = kept
                position = 0
            }
            if end == buffer.count {
                guard buffer.count < Self.maximumToken else { throw ZipError("\(part) holds an element too large to read") }
                buffer.append(contentsOf: repeatElement(0, count: buffer.count))
            }
            let start = end
            let n = try buffer.withUnsafeMutableBytes { raw in
                Result { () throws(ZipError) in try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[start...])) }
            }.get()
            if n == 0 { sourceDone = true } else { end += n }
        }
        return true
    }

    /// Moves to the next token.
    @discardableResult
    mutating func next() throws(ZipError) -> Token {
        isCDATA = false
        guard try ensure(0) else {
            token = .eof
            return token
        }
        if buffer[position] != 0x3C {
            var k = 1
            while try ensure(k) {
                let start = position + k
                let limit = end
                let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                    var i = start
                    while i < limit {
                        if bytes[i] == 0x3C { return i }
                        i += 1
                    }
                    return nil
                }
                if let found {
                    k = found - position
                    break
                }
                k = limit - position
            }
            body = position..<(position + k)
            position += k
            token = .text
            return token
        }
        guard try ensure(1) else { throw damaged }
        let second = buffer[position + 1]
        if second == 0x21 || second == 0x3F {  // <! or <?
            return try skipSpecial()
        }
        var k = 1
        var quote: UInt8 = 0
        while true {
            guard try ensure(k) else { throw damaged }
            let start = position + k
            let limit = end
            let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
                var i = start
                while i < limit {
                    let byte = bytes[i]
                    if quote != 0 {
                        if byte == quote { quote = 0 }
                    } else if byte == 0x3E {
                        return i
                    } else if byte == 0x22 || byte == 0x27 {
                        quote = byte
                    }
                    i += 1
                }
                return nil
            }
            if let found {
                k = found - position
                break
            }
            k = limit - position
        }
        var inner = (position + 1)..<(position + k)
        position += k + 1
        if buffer[inner.lowerBound] == 0x2F {
            token = .end
            inner = (inner.lowerBound + 1)..<inner.upperBound
        } else {
            token = .start
            selfClosing = buffer[inner.upperBound - 1] == 0x2F
            if selfClosing { inner = inner.lowerBound..<(inner.upperBound - 1) }
        }
        var nameEnd = inner.lowerBound
        var localStart = inner.lowerBound
        while nameEnd < inner.upperBound {
            let byte = buffer[nameEnd]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { break }
            if byte == 0x3A { localStart = nameEnd + 1 }
            nameEnd += 1
        }
        name = localStart..<nameEnd
        body = nameEnd..<inner.upperBound
        return token
    }

    private var damaged: ZipError { ZipError("\(part) is not well-formed XML (it ends inside a tag)") }

    /// Comments, processing instructions and declarations are skipped; CDATA is text.
    private mutating func skipSpecial() throws(ZipError) -> Token {
        func matches(_ text: StaticString, at offset: Int) throws(ZipError) -> Bool {
            for i in 0..<text.utf8CodeUnitCount {
                guard try ensure(offset + i), buffer[position + offset + i] == text.utf8Start[i] else { return false }
            }
            return true
        }
        let terminator: StaticString
        let isComment = try matches("<!--", at: 0)
        var isCDATA = false
        if !isComment { isCDATA = try matches("<![CDATA[", at: 0) }
        if isComment { terminator = "-->" } else if isCDATA { terminator = "]]>" } else { terminator = ">" }
        var k = isComment ? 4 : (isCDATA ? 9 : 2)
        while true {
            guard try ensure(k) else { throw damaged }
            if buffer[position + k] == terminator.utf8Start[0], try matches(terminator, at: k) { break }
            k += 1
        }
        if isCDATA {
            body = (position + 9)..<(position + k)
            position += k + 3
            self.isCDATA = true
            token = .text
            return token
        }
        position += k + terminator.utf8CodeUnitCount
        return try next()
    }

    /// Whether the current tag's local name is `text`.
    func isNamed(_ text: StaticString) -> Bool {
        guard name.count == text.utf8CodeUnitCount else { return false }
        for i in 0..<name.count where buffer[name.lowerBound + i] != text.utf8Start[i] { return false }
        return true
    }

    /// The raw value of attribute `key` of the current start tag (a local name: any
    /// prefix on the attribute is ignored when `key` has none and `anyPrefix` is set).
    func attribute(_ key: StaticString, anyPrefix: Bool = false) -> Range<Int>? {
        var i = body.lowerBound
        let upper = body.upperBound
        while i < upper {
            while i < upper, buffer[i] == 0x20 || buffer[i] == 0x09 || buffer[i] == 0x0A || buffer[i] == 0x0D { i += 1 }
            let nameStart = i
            var localStart = i
            while i < upper, buffer[i] != 0x3D, buffer[i] != 0x20, buffer[i] != 0x09, buffer[i] != 0x0A, buffer[i] != 0x0D {
                if buffer[i] == 0x3A { localStart = i + 1 }
                i += 1
            }
            let nameEnd = i
            while i < upper, buffer[i] != 0x22, buffer[i] != 0x27 { i += 1 }
            guard i < upper else { return nil }
            let quote = buffer[i]
            i += 1
            let valueStart = i
            while i < upper, buffer[i] != quote { i += 1 }
            let value = valueStart..<i
            i += 1
            let start = anyPrefix ? localStart : nameStart
            if nameEnd - start == key.utf8CodeUnitCount {
                var same = true
                for j in 0..<key.utf8CodeUnitCount where buffer[start + j] != key.utf8Start[j] {
                    same = false
                    break
                }
                if same { return value }
            }
        }
        return nil
    }

    /// The decimal integer spelled by `range` (no sign, no spaces), without making a string.
    func integer(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for i in range {
            let digit = buffer[i] &- 0x30
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// Whether `range` holds exactly `text`.
    func bytes(_ range: Range<Int>, equal text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        for i in 0..<range.count where buffer[range.lowerBound + i] != text.utf8Start[i] { return false }
        return true
    }

    /// The text of `range` with XML entities decoded (and, with `escapes`, `_xHHHH_`).
    func string(_ range: Range<Int>, escapes: Bool = false) -> String {
        if isCDATA && token == .text && range == body {
            return XMLText.decode(buffer[range], entities: false, escapes: escapes)
        }
        return XMLText.decode(buffer[range], entities: true, escapes: escapes)
    }
}
