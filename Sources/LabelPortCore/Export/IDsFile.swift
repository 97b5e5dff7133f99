/// Reads the files that name what to export: run lists (`--runs-file`) and ids files
/// (`--ids`), as CSV (with a header), JSONL, or — for run lists — one UUID a line.
///
/// Columns are found by name; other columns are ignored, so an export file is itself
/// an ids file. Every problem is collected as a ``Diagnostic`` (`FILE:LINE: …`).
package enum IDsFile {
    /// The (run_id, id) pairs of an ids file; the id column is the first of `idColumns`
    /// the file has (`["evaluation_id", "id"]` for evaluations).
    package static func readKeys(path: String, idColumns: [String]) throws(IDsFileProblems) -> [RecordKey] {
        try read(path: path, columns: [["run_id"], idColumns], allowPlainList: false).map { RecordKey(runID: $0[0], id: $0[1]) }
    }

    /// The run ids of a runs file: one UUID a line (blank lines and `#` comments
    /// skipped), or a CSV/JSONL file with a `run_id` column.
    package static func readRunIDs(path: String) throws(IDsFileProblems) -> [String] {
        try read(path: path, columns: [["run_id"]], allowPlainList: true).map { UUIDText.normalized($0[0]) }
    }

    /// The (run_id, dest_run_id) pairs of a copy's runs file: a CSV/JSONL file with a
    /// `run_id` column and an optional `dest_run_id` column (empty: the same run), or one
    /// run UUID a line.
    package static func readRunPairs(path: String) throws(IDsFileProblems) -> [(source: String, destination: String)] {
        try read(path: path, columns: [["run_id"]], allowPlainList: true, optional: "dest_run_id").map { row in
            let source = UUIDText.normalized(row[0])
            let destination = row.count > 1 && !row[1].isEmpty ? UUIDText.normalized(row[1]) : source
            return (source, destination)
        }
    }

    private enum Layout { case csv, jsonl, plainList }

    /// Reads the values of `columns` (each: acceptable names in order) from every row.
    /// With `optional`, each row ends with that column's value too ("" when absent or empty).
    static func read(path: String, columns: [[String]], allowPlainList: Bool, optional: String? = nil) throws(IDsFileProblems) -> [[String]] {
        let bytes: [UInt8]
        do { bytes = try FileText.readBytes(path) } catch {
            throw IDsFileProblems(diagnostics: [Diagnostic(file: path, line: nil, message: "cannot read: \(error.reason)")])
        }
        let layout: Layout
        let sniffed = WorkbookSniffer.sniff(bytes: bytes)
        if case .refused(let message) = sniffed {
            throw IDsFileProblems(diagnostics: [Diagnostic(file: path, line: nil, message: "this is " + message)])
        }
        switch sniffed == .xlsx ? InputFormat.xlsx : InputFormat.detect(path: path) {
        case .csv?, .xlsx?: layout = .csv
        case .jsonl?: layout = .jsonl
        case nil:
            var body = bytes[...]
            if body.starts(with: UTF8Validation.byteOrderMark) { body = body.dropFirst(3) }
            let firstLine = body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.prefix { $0 != 0x0A && $0 != 0x0D }
            let text = String(decoding: firstLine, as: UTF8.self).trimmingWhitespace()
            if firstLine.first == UInt8(ascii: "{") { layout = .jsonl }
            else if allowPlainList && (UUIDText.isValid(text) || text.hasPrefix("#")) { layout = .plainList }
            else { layout = .csv }
        }
        var rows: [[String]] = []
        var problems: [Diagnostic] = []
        func check(_ value: String, column: String, line: Int) -> String? {
            let trimmed = value.trimmingWhitespace()
            guard UUIDText.isValid(trimmed) else {
                problems.append(Diagnostic(file: path, line: line, message: "\(column) \"\(value)\" is not a UUID"))
                return nil
            }
            return trimmed
        }
        switch layout {
        case .plainList:
            var line = 0
            for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                line += 1
                var text = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
                if line == 1, text.hasPrefix("\u{FEFF}") { text.removeFirst() }
                if text.isEmpty || text.hasPrefix("#") { continue }
                if let id = check(text, column: "run", line: line) { rows.append([id]) }
            }
        case .jsonl:
            var reader = JSONLReader(source: ByteSource(bytes: bytes, chunkSize: 1 << 16), file: path)
            while let event = reader.next() {
                switch event {
                case .problem(let diagnostic): problems.append(diagnostic)
                case .fatal(let diagnostic): problems.append(diagnostic)
                case .line(let number, _):
                    guard case .object(let object)? = try? JSONParser.parse(reader.currentLine) else {
                        problems.append(Diagnostic(file: path, line: number, message: "not a JSON object"))
                        continue
                    }
                    var row: [String] = []
                    for names in columns {
                        guard let name = names.first(where: { object[$0] != nil }) else {
                            problems.append(Diagnostic(file: path, line: number, message: "no \(names.joined(separator: " or ")) key"))
                            break
                        }
                        guard case .string(let value)? = object[name] else {
                            problems.append(Diagnostic(file: path, line: number, message: "\(name) must be a string"))
                            break
                        }
                        if let id = check(value, column: name, line: number) { row.append(id) }
                    }
                    if row.count == columns.count, let optional {
                        switch object[optional] {
                        case nil, .null?: row.append("")
                        case .string(let value)?: if let id = check(value, column: optional, line: number) { row.append(id) }
                        default: problems.append(Diagnostic(file: path, line: number, message: "\(optional) must be a string"))
                        }
                        if row.count == columns.count + 1 { rows.append(row) }
                    } else if row.count == columns.count {
                        rows.append(row)
                    }
                }
            }
        case .csv:
            var reader = CSVReader(source: ByteSource(bytes: bytes, chunkSize: 1 << 16), file: path, delimiter: InputFormat.defaultDelimiter(path: path))
            var sheet = sniffed == .xlsx
                ? XlsxRowSource(workbook: { () throws(ZipError) in try XlsxWorkbook(bytes: bytes) }, sheet: nil, file: path) : nil
            var indexes: [(name: String, index: Int)]?
            var optionalIndex: Int?
            while let event = sheet != nil ? sheet!.next() : reader.next() {
                guard case .row(let row) = event else {
                    if case .fatal(let diagnostic) = event { problems.append(diagnostic) }
                    break
                }
                problems += row.problems
                guard let columnIndexes = indexes else {
                    let header = row.fields.map { $0.trimmingWhitespace() }
                    // Exactly, else in any letter case (a spreadsheet's "Run_ID").
                    func column(_ name: String) -> Int? {
                        header.firstIndex(of: name) ?? header.firstIndex { $0.lowercased() == name }
                    }
                    var found: [(String, Int)] = []
                    for names in columns {
                        guard let match = names.lazy.compactMap({ name in column(name).map { (name, $0) } }).first else {
                            let seen = header.filter { !$0.isEmpty }.map { "\"\($0)\"" }.joined(separator: ", ")
                            problems.append(Diagnostic(
                                file: path, line: row.line,
                                message: "the header has no \(names.joined(separator: " or ")) column (it has \(seen.isEmpty ? "no names" : seen))"))
                            throw IDsFileProblems(diagnostics: problems)
                        }
                        found.append(match)
                    }
                    indexes = found
                    optionalIndex = optional.flatMap(column)
                    continue
                }
                var values: [String] = []
                for (name, index) in columnIndexes {
                    let value = index < row.fields.count ? row.fields[index] : ""
                    if let id = check(value, column: name, line: row.line) { values.append(id) }
                }
                if let optional {
                    let value = optionalIndex.map { $0 < row.fields.count ? row.fields[$0].trimmingWhitespace() : "" } ?? ""
                    if value.isEmpty { values.append("") } else if let id = check(value, column: optional, line: row.line) { values.append(id) }
                    if values.count == columnIndexes.count + 1 { rows.append(values) }
                } else if values.count == columnIndexes.count {
                    rows.append(values)
                }
            }
            if indexes == nil && problems.isEmpty {
                problems.append(Diagnostic(file: path, line: nil, message: "the file is empty: it needs a header row naming \(columns.map { $0[0] }.joined(separator: " and "))"))
            }
        }
        guard problems.isEmpty else { throw IDsFileProblems(diagnostics: problems) }
        return rows
    }
}

/// The problems found in an ids or runs file, all of them.
package struct IDsFileProblems: Error, Sendable, Equatable {
    package var diagnostics: [Diagnostic]
}
