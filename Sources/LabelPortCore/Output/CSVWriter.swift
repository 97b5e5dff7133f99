/// Writes RFC 4180 CSV: a field is quoted only when it holds the delimiter, a quote,
/// CR, LF or NUL (quotes doubled inside), so what ``CSVReader`` reads back is identical.
package struct CSVWriter: Sendable {
    package var delimiter: UInt8
    /// `\n` by default; `\r\n` for Excel.
    package var lineEnding: [UInt8]

    package init(delimiter: UInt8 = UInt8(ascii: ","), crlf: Bool = false) {
        self.delimiter = delimiter
        self.lineEnding = crlf ? [0x0D, 0x0A] : [0x0A]
    }


    package func appendRow(_ fields: [String], into out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(delimiter) }
            appendField(field, into: &out)
        }
        out.append(contentsOf: lineEnding)
    }

    package func appendField(_ field: String, into out: inout [UInt8]) {
        // NUL too: the reader takes it as text only inside quotes (outside, it means UTF-16).
        let needsQuotes = field.utf8.contains { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }
        guard needsQuotes else {
            out.append(contentsOf: field.utf8)
            return
        }
        out.append(0x22)
        for byte in field.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }
}
