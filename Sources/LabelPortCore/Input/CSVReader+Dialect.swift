/// The CSV dialect read from a file's opening: a UTF-8 BOM (UTF-16 refused), which delimiter,
/// and how a line ends.
extension CSVReader {
    /// The bytes a scan stops at with `delimiter`: bit 1 in an unquoted cell (line ends,
    /// quote, NUL, the delimiter), bit 2 in a quoted one (the same but the delimiter).
    static func stopTable(_ delimiter: UInt8) -> [UInt8] {
        var stops = [UInt8](repeating: 0, count: 256)
        for byte in [CSVReader.lf, CSVReader.cr, CSVReader.quote, 0] { stops[Int(byte)] = 3 }
        stops[Int(delimiter)] |= 1
        return stops
    }

    /// The start of a file, before its first row: its bytes (without a UTF-8 BOM) and
    /// what they say of its dialect.
    struct Opening {
        var bytes: [UInt8]
        var byteOrderMark: Bool
        /// The header line ends with CRLF.
        var crlf: Bool
        /// The delimiter found in the header line, when asked for and found.
        var delimiter: UInt8?
    }

    /// Reads until at least 3 bytes are in hand (a BOM) and, to find the delimiter, the
    /// whole header line (up to 1 MiB); skips a UTF-8 BOM and refuses UTF-16.
    /// Nil, with `problem` set, when the file cannot be read or is UTF-16.
    static func opening(of source: ByteSource, file: String, detectDelimiter: Bool, problem: inout Diagnostic?) -> Opening? {
        var first: [UInt8] = []
        var buffer: [UInt8] = []
        while first.count < 3 || (detectDelimiter && first.count < 1 << 20 && !hasFirstLineEnd(first)) {
            switch source.read(into: &buffer) {
            case .failure(let error):
                problem = ByteChunk.cannotRead(file, error)
                return nil
            case .success(let n):
                if n == 0 { break }
                first.append(contentsOf: buffer[0..<n])
                continue
            }
            break
        }
        if ByteChunk.isUTF16(first) {
            problem = ByteChunk.utf16Text(file)
            return nil
        }
        let byteOrderMark = first.starts(with: UTF8Validation.byteOrderMark)
        if byteOrderMark { first.removeFirst(3) }
        return Opening(
            bytes: first, byteOrderMark: byteOrderMark, crlf: firstLineEndsWithCRLF(first[...]),
            delimiter: detectDelimiter ? sniffDelimiter(first[...]) : nil)
    }

    /// The delimiters looked for in a header line, in order of preference on a tie.
    static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]

    /// The candidate delimiter found most often outside quotes in the first line of
    /// `bytes`; nil when none is there.
    static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8? {
        var counts = [Int](repeating: 0, count: candidateDelimiters.count)
        var quoted = false
        for byte in bytes {
            if byte == quote { quoted.toggle(); continue }
            if quoted { continue }
            if byte == lf || byte == cr { break }
            if let index = candidateDelimiters.firstIndex(of: byte) { counts[index] += 1 }
        }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
              counts[best] > 0 else { return nil }
        return candidateDelimiters[best]
    }

    /// Whether the first line of `bytes` (outside quotes) is complete.
    static func hasFirstLineEnd(_ bytes: [UInt8]) -> Bool {
        var quoted = false
        for byte in bytes {
            if byte == quote { quoted.toggle() } else if !quoted, byte == lf || byte == cr { return true }
        }
        return false
    }

    /// Whether the first line of `bytes` ends with CRLF.
    static func firstLineEndsWithCRLF(_ bytes: ArraySlice<UInt8>) -> Bool {
        var quoted = false
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == quote { quoted.toggle() } else if !quoted, byte == lf { return previous == cr } else if !quoted, byte == cr, previous == cr { return false }
            previous = byte
        }
        return false
    }

    /// How messages name a delimiter: "','", "';'", "a tab".
    static func delimiterName(_ delimiter: UInt8) -> String {
        switch delimiter {
        case 0x09: "a tab"
        case 0x20..<0x7F: "'\(Character(Unicode.Scalar(delimiter)))'"
        default: "byte 0x\(String(delimiter, radix: 16, uppercase: true))"
        }
    }

    /// The problem of a cell holding `byte`, which is no UTF-8: most often a file saved as
    /// Excel's plain "CSV" on Windows (Windows-1252), whose character it names.
    static func notUTF8(_ byte: UInt8) -> String {
        let hex = "0x" + String(byte, radix: 16, uppercase: true)
        guard let character = UTF8Validation.windows1252(byte) else {
            return "invalid UTF-8 (byte \(hex)): save the file as UTF-8 (from Excel: \"CSV UTF-8\")"
        }
        return "invalid UTF-8 (byte \(hex), \"\(character)\" in Windows-1252, which Excel's plain \"CSV\" writes): "
            + "save the file as UTF-8 (from Excel: \"CSV UTF-8\")"
    }
}

