/// The chunk of input a reader works through: its bytes, how many of them were read, and
/// how far the reader has got. Both the CSV and the JSONL reader refill it from a
/// ``ByteSource`` the same way.
struct ByteChunk {
    /// What a refill found.
    enum Refill {
        case bytes
        case end
        case fatal(Diagnostic)
    }

    var bytes: [UInt8] = []
    var count = 0
    var position = 0

    var isConsumed: Bool { position >= count }

    /// Replaces the chunk with the next one from `source` (`file` names it in a read error).
    mutating func refill(from source: ByteSource, file: String) -> Refill {
        switch source.read(into: &bytes) {
        case .failure(let error):
            return .fatal(ByteChunk.cannotRead(file, error))
        case .success(let n):
            count = n
            position = 0
            return n == 0 ? .end : .bytes
        }
    }

    /// Starts over with `first` (bytes a reader looked at before reading rows).
    mutating func reset(to first: [UInt8]) {
        bytes = first
        count = first.count
        position = 0
    }

    static func cannotRead(_ file: String, _ error: InputError) -> Diagnostic {
        Diagnostic(file: file, line: nil, message: "cannot read: \(error.reason)")
    }

    /// Whether text starts with a UTF-16 byte order mark (Excel's "Unicode Text").
    static func isUTF16(_ start: some Collection<UInt8>) -> Bool {
        start.starts(with: [0xFF, 0xFE]) || start.starts(with: [0xFE, 0xFF])
    }

    /// The problem of a UTF-16 file, read by any text reader.
    static func utf16Text(_ file: String) -> Diagnostic {
        Diagnostic(file: file, line: 1, column: 1, message: "the file is UTF-16 text: save it as UTF-8 (from Excel: \"CSV UTF-8\")")
    }
}
