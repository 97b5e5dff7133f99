/// Splits a JSONL stream into lines, chunk by chunk: skips a UTF-8 BOM and blank lines,
/// refuses UTF-16 text,
/// drops a CR before LF, and refuses lines over a size limit without holding them.
struct JSONLReader {
    enum Event: Sendable, Equatable {
        /// A non-blank line is in ``currentLine``; `unterminated` when the file ends
        /// without a line break after it (a possibly truncated last line).
        case line(number: Int, unterminated: Bool)
        /// A line that cannot be read (too long); reading goes on with the next line.
        case problem(Diagnostic)
        /// Reading ends (a read error).
        case fatal(Diagnostic)
    }

    static let maximumLineBytes = 64 * 1024 * 1024

    let file: String
    /// The bytes of the line last returned, without its line ending.
    private(set) var currentLine: [UInt8] = []
    /// Whether the file starts with a UTF-8 byte order mark, and its first line ends with
    /// CRLF (kept in a rejects file).
    private(set) var hadByteOrderMark = false
    private(set) var crlf = false
    private var sawLineEnd = false

    private let source: ByteSource
    private var cursor = ByteChunk()
    private var started = false
    private var finished = false
    private var lineNumber = 1
    private var tooLong = false

    init(source: ByteSource, file: String) {
        self.source = source
        self.file = file
    }

    mutating func next() -> Event? {
        if finished { return nil }
        currentLine.removeAll(keepingCapacity: true)
        tooLong = false
        var bomChecked = started
        started = true
        while true {
            if cursor.isConsumed {
                switch cursor.refill(from: source, file: file) {
                case .bytes: break
                case .end:
                    finished = true
                    if !bomChecked, let refused = checkStart() { return refused }
                    return finishLine(unterminated: true)
                case .fatal(let problem):
                    finished = true
                    return .fatal(problem)
                }
            }
            let found: Int? = cursor.bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + cursor.position
                guard let hit = memchr(base, 0x0A, cursor.count - cursor.position) else { return nil }
                return cursor.position + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
            }
            let end = found ?? cursor.count
            appendToLine(cursor.bytes[cursor.position..<end])
            cursor.position = found.map { $0 + 1 } ?? cursor.count
            if !bomChecked, currentLine.count >= 3 || found != nil {
                bomChecked = true
                if let refused = checkStart() {
                    finished = true
                    return refused
                }
            }
            if found != nil {
                if let event = finishLine(unterminated: false) { return event }
                currentLine.removeAll(keepingCapacity: true)
                tooLong = false
            }
        }
    }

    /// Skips a UTF-8 BOM at the start of the file; refuses UTF-16 text.
    private mutating func checkStart() -> Event? {
        if ByteChunk.isUTF16(currentLine) { return .fatal(ByteChunk.utf16Text(file)) }
        if currentLine.starts(with: UTF8Validation.byteOrderMark) {
            currentLine.removeFirst(3)
            hadByteOrderMark = true
        }
        return nil
    }

    private mutating func appendToLine(_ bytes: ArraySlice<UInt8>) {
        guard !tooLong else { return }
        if currentLine.count + bytes.count > JSONLReader.maximumLineBytes {
            tooLong = true
            currentLine.removeAll()
            return
        }
        currentLine.append(contentsOf: bytes)
    }

    /// Ends the line just read: nil when it is blank (skipped).
    private mutating func finishLine(unterminated: Bool) -> Event? {
        let number = lineNumber
        lineNumber += 1
        if tooLong {
            return .problem(Diagnostic(
                file: file, line: number,
                message: "line is longer than the limit of 64 MiB (\(JSONLReader.maximumLineBytes) bytes): "
                    + "each JSONL line must hold one label"))
        }
        if !unterminated && !sawLineEnd {
            sawLineEnd = true
            crlf = currentLine.last == 0x0D
        }
        if currentLine.last == 0x0D { currentLine.removeLast() }
        let blank = currentLine.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        if blank { return nil }
        return .line(number: number, unterminated: unterminated)
    }
}
