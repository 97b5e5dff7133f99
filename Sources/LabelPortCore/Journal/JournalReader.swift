/// A journal read back: its header and every write with its outcome (nil when the
/// process ended before the outcome was recorded).
package struct Journal: Sendable {
    package struct Entry: Sendable, Equatable {
        package var write: JournalWrite
        package var outcome: JournalOutcome?

        package init(write: JournalWrite, outcome: JournalOutcome?) {
            self.write = write
            self.outcome = outcome
        }

        /// The label the write went to: the write's id, else the created one's.
        package var labelID: String? { write.labelID ?? outcome?.labelID }
    }

    package var path: String
    package var header: JournalHeader
    package var entries: [Entry]

    package init(path: String, header: JournalHeader, entries: [Entry]) {
        self.path = path
        self.header = header
        self.entries = entries
    }
}

/// Reads journals written by ``JournalWriter``.
package enum JournalReader {
    /// Reads the journal at `path`. A last line cut short (the process was killed while
    /// writing it) is ignored; any other line that does not read is `FILE:LINE: message`.
    package static func read(_ path: String) throws(RecordFormatError) -> Journal {
        let bytes: [UInt8]
        do { bytes = try FileText.readBytes(path) } catch { throw RecordFormatError(error.description) }
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let tornLast = bytes.last != 0x0A
        if !tornLast, lines.last?.isEmpty == true { lines.removeLast() }
        var header: JournalHeader?
        var entries: [Journal.Entry] = []
        var bySeq: [Int: Int] = [:]
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let isLast = index == lines.count - 1
            do throws(RecordFormatError) {
                guard case .object(let object)? = try? JSONParser.parse(line) else {
                    if isLast && tornLast { break }
                    throw RecordFormatError("not a JSON object")
                }
                switch object["type"]?.stringValue ?? "" {
                case "header" where index == 0:
                    header = try JournalHeader(json: object)
                    guard header?.version == JournalHeader.currentVersion else {
                        throw RecordFormatError("journal version \(header?.version ?? 0) is not one this labelport reads (\(JournalHeader.currentVersion))")
                    }
                case _ where index == 0:
                    throw RecordFormatError("not a labelport journal: the first line must be its header")
                case "write":
                    let write = try JournalWrite(json: object)
                    bySeq[write.seq] = entries.count
                    entries.append(Journal.Entry(write: write, outcome: nil))
                case "outcome":
                    let outcome = try JournalOutcome(json: object)
                    guard let position = bySeq[outcome.seq] else { throw RecordFormatError("outcome of write \(outcome.seq), which the journal does not hold") }
                    entries[position].outcome = outcome
                default:
                    throw RecordFormatError("unknown line type")
                }
            } catch {
                throw RecordFormatError("\(path):\(number): \(error.message)")
            }
        }
        guard let header else { throw RecordFormatError("\(path): empty: not a labelport journal") }
        return Journal(path: path, header: header, entries: entries)
    }
}
