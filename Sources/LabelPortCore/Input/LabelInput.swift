/// Reads a CSV, JSONL or xlsx file of gold labels row by row, mapping and checking each row:
/// the one code path `validate` and `import` share. Memory does not grow with the file.
///
/// ```swift
/// var input = try LabelInput(path: "labels.csv", options: LabelInputOptions(runID: run))
/// while let item = input.next() { ... }
/// ```
package struct LabelInput {
    package let format: InputFormat
    /// The name used in diagnostics (the path, or `<stdin>`).
    package let displayName: String
    /// The CSV delimiter in use (for a rejects file): as given, or found from the header line.
    package var delimiter: UInt8 { csv?.delimiter ?? givenDelimiter }
    /// Whether the CSV or JSONL file starts with a UTF-8 byte order mark (kept in a rejects file).
    package var hadByteOrderMark: Bool { csv?.hadByteOrderMark ?? jsonl?.hadByteOrderMark ?? false }
    /// Whether the CSV header line (the first JSONL line) ends with CRLF (kept in a rejects file).
    package var crlf: Bool { csv?.crlf ?? jsonl?.crlf ?? false }
    private let givenDelimiter: UInt8
    /// For the summary: how the input was read — CSV: the delimiter used, e.g. `cells
    /// separated by ';'`; xlsx with several sheets: the sheet read.
    /// The sheet read, for an xlsx input.
    package var sheetName: String? { xlsx?.sheetName }
    package var readingNote: String? {
        switch format {
        case .csv: "cells separated by \(CSVReader.delimiterName(delimiter))"
        case .xlsx: xlsx?.sheetNote
        case .jsonl: nil
        }
    }
    /// Rows whose cells are all empty, skipped (one warning at the end counts them).
    package private(set) var emptyRows = 0
    private var firstEmptyRowLine = 0
    /// Warnings so far: one per unknown column (CSV, after the header) or key (JSONL, when first seen).
    package private(set) var warnings: [Diagnostic] = []
    /// The CSV header row, once read.
    package private(set) var header: [String]?

    private var csv: CSVReader?
    private var xlsx: XlsxRowSource?
    private var csvMapper: CSVRowMapper?
    private var jsonl: JSONLReader?
    private var jsonlMapper: JSONLRowMapper?
    private let options: LabelInputOptions
    private var finished = false
    /// The input failed as a whole (empty, no header naming the label columns, unreadable
    /// past some point): the last item was a problem of the file, not of a row, and no
    /// item follows it.
    package private(set) var failedAsAWhole = false
    private var sawRow = false

    /// Opens `path` (`-` for stdin); throws only when the file cannot be opened, or is a
    /// workbook labelport does not read (.xls, .ods, .numbers: recognised by its bytes).
    /// The format, unless `options` gives it, comes from the display name's extension.
    package init(path: String, displayName: String? = nil, options: LabelInputOptions) throws(InputError) {
        let name = displayName ?? (path == "-" ? "<stdin>" : path)
        let source = try ByteSource(path: path, chunkSize: options.chunkSize)
        // Standard input or a pipe (read once): a workbook is recognised by its first
        // bytes too, then read whole.
        let readOnce = path == "-" || FileText.isReadOnce(path)
        if readOnce, options.format == nil, WorkbookSniffer.mayBeWorkbook(try source.peek(WorkbookSniffer.oleMagic.count)) {
            let bytes = try Self.readAll(source)
            if case .refused(let message)? = WorkbookSniffer.sniff(bytes: bytes) { throw InputError(path: name, message: "this is " + message) }
            self.init(bytes: bytes, displayName: name, options: options)
            return
        }
        var sniffed: InputFormat?
        // With --format xlsx too: an .xls or a password-protected workbook is told as such.
        if options.format == nil || options.format == .xlsx, !readOnce, let kind = WorkbookSniffer.sniff(path: path) {
            switch kind {
            case .xlsx: sniffed = .xlsx
            case .refused(let message): throw InputError(path: name, message: "this is " + message)
            }
        }
        let format = options.format ?? sniffed ?? InputFormat.detect(path: name) ?? .jsonl
        if format == .xlsx {
            if readOnce {
                let bytes = try Self.readAll(source)
                self.init(format: format, source: nil, path: path, displayName: name, options: options) { () throws(ZipError) in
                    try XlsxWorkbook(bytes: bytes)
                }
            } else {
                self.init(format: format, source: nil, path: path, displayName: name, options: options) { () throws(ZipError) in
                    try XlsxWorkbook(path: path)
                }
            }
            return
        }
        self.init(format: format, source: source, path: path, displayName: name, options: options, workbook: nil)
    }

    /// Reads from bytes in memory; `displayName` also picks the format when `options` does not
    /// (and the bytes, for a workbook).
    package init(bytes: [UInt8], displayName: String, options: LabelInputOptions) {
        var format = options.format ?? InputFormat.detect(path: displayName) ?? .jsonl
        if options.format == nil, WorkbookSniffer.sniff(bytes: bytes) == .xlsx { format = .xlsx }
        if format == .xlsx {
            self.init(format: format, source: nil, path: displayName, displayName: displayName, options: options) { () throws(ZipError) in
                try XlsxWorkbook(bytes: bytes)
            }
        } else {
            self.init(
                format: format, source: ByteSource(bytes: bytes, chunkSize: options.chunkSize), path: displayName,
                displayName: displayName, options: options, workbook: nil)
        }
    }

    private init(
        format: InputFormat, source: ByteSource?, path: String, displayName: String, options: LabelInputOptions,
        workbook: (() throws(ZipError) -> XlsxWorkbook)?
    ) {
        let detected = InputFormat.detect(path: displayName)
        self.format = format
        self.displayName = displayName
        self.givenDelimiter = format == .xlsx ? UInt8(ascii: ",") : options.delimiter ?? InputFormat.defaultDelimiter(path: displayName)
        self.options = options
        switch format {
        case .csv:
            csv = CSVReader(
                source: source!, file: displayName, delimiter: givenDelimiter,
                detectDelimiter: options.delimiter == nil && !path.lowercased().hasSuffix(".tsv"))
        case .jsonl:
            jsonl = JSONLReader(source: source!, file: displayName)
            jsonlMapper = JSONLRowMapper(
                file: displayName, mappings: options.mappings, defaultRunID: options.runID,
                formatWasGuessed: options.format == nil && detected == nil)
        case .xlsx:
            xlsx = XlsxRowSource(workbook: workbook!, sheet: options.sheet, file: displayName)
        }
    }

    private static func readAll(_ source: ByteSource) throws(InputError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk: [UInt8] = []
        while true {
            let n = try source.read(into: &chunk).get()
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// The next row: mapped and checked, or invalid with its problems. A problem that ends
    /// reading (an empty CSV, a broken header, an unterminated quote at the end) comes as
    /// `.invalid` and is followed by nil.
    package mutating func next() -> LabelInputItem? {
        if finished { return nil }
        let item = nextItem()
        // Every problem of the file itself ends the input; a row's never does.
        if case .invalid = item, finished { failedAsAWhole = true }
        return item
    }

    private mutating func nextItem() -> LabelInputItem? {
        if xlsx != nil {
            guard let item = nextCSV() else {
                if xlsx!.emptyRows > 0 {
                    warnings.append(Diagnostic(
                        file: displayName, line: nil, severity: .warning,
                        message: "\(xlsx!.emptyRows) empty row\(xlsx!.emptyRows == 1 ? "" : "s") skipped"))
                }
                return nil
            }
            guard case .invalid(let line, let diagnostics, let record) = item else { return item }
            return .invalid(line: line, diagnostics.map(XlsxRowSource.naming), record)
        }
        return csv != nil ? nextCSV() : nextJSONL()
    }

    private mutating func nextRowEvent() -> CSVReader.Event? {
        xlsx != nil ? xlsx!.next() : csv!.next()
    }

    private mutating func nextCSV() -> LabelInputItem? {
        if csvMapper == nil {
            if let notice = xlsx?.takeNotice() { warnings.append(notice) }
            guard let first = nextRowEvent() else {
                finished = true
                let message = xlsx != nil
                    ? "the sheet is empty: it needs a header row, e.g. cells run_id | output_resource_name | text_value"
                    : "the file is empty: a CSV needs a header row, e.g. run_id,output_resource_name,text_value"
                return .invalid(line: 0, [Diagnostic(file: displayName, line: nil, message: message)], nil)
            }
            guard case .row(let headerRow) = first else { return fatal(first) }
            header = headerRow.fields
            guard headerRow.problems.isEmpty else { return fatal(.fatal(headerRow.problems[0]), more: headerRow.problems) }
            switch CSVRowMapper.make(
                header: headerRow, file: displayName, mappings: options.mappings, defaultRunID: options.runID,
                decimalComma: options.decimalComma,
                guessedDelimiter: csv.flatMap { $0.detectDelimiter && $0.delimiter != UInt8(ascii: ",") ? $0.delimiter : nil },
                warnings: &warnings)
            {
            case .failure(let problems):
                finished = true
                return .invalid(line: headerRow.line, problems.diagnostics, nil)
            case .success(let mapper):
                csvMapper = mapper
                csv?.expectedFieldCount = headerRow.cells.count
                csv?.minimumFieldCount = mapper.namedColumnCount
            }
        }
        var event: CSVReader.Event
        while true {
            guard let next = nextRowEvent() else {
                finished = true
                if emptyRows > 0 {
                    warnings.append(Diagnostic(
                        file: displayName, line: firstEmptyRowLine, severity: .warning,
                        message: "skipped \(CountText.count(emptyRows, "row")) whose cells are all empty (the first here)"))
                }
                return nil
            }
            event = next
            // Rows of only delimiters (spreadsheet leftovers) are skipped, and counted; not a
            // sheet row with a problem (a formula never calculated, whose text is not known).
            guard case .row(let candidate) = next, candidate.cells.allEmpty, !candidate.inSheet || candidate.problems.isEmpty
            else { break }
            if emptyRows == 0 { firstEmptyRowLine = candidate.line }
            emptyRows += 1
        }
        guard case .row(let row) = event else { return fatal(event) }
        let record = InputRecord(line: row.line, content: .cells(row.cells))
        guard row.problems.isEmpty else {
            guard row.inSheet else { return .invalid(line: row.line, row.problems, record) }
            return sheetRowWithProblems(row, record: record)
        }
        switch csvMapper!.map(row) {
        case .success(let label): return .row(label, record)
        case .failure(let problems): return .invalid(line: row.line, problems.diagnostics, record.naming(problems))
        }
    }

    /// A sheet row whose cells hold errors or formulas never calculated: mapped anyway,
    /// for the run and name its report line shows and the row's other problems (not those
    /// at the cells already reported: `#N/A` is no number, but that is said).
    private mutating func sheetRowWithProblems(_ row: CSVRow, record: InputRecord) -> LabelInputItem {
        let reported = Set(row.problems.compactMap { $0.column })
        switch csvMapper!.map(row) {
        case .success(let label):
            return .invalid(line: row.line, row.problems, record.naming(runID: label.runID, outputResourceName: label.outputResourceName))
        case .failure(let problems):
            let others = problems.diagnostics.filter { $0.line != row.line || $0.column.map(reported.contains) != true }
            return .invalid(line: row.line, row.problems + others, record.naming(problems))
        }
    }

    private mutating func fatal(_ event: CSVReader.Event, more: [Diagnostic]? = nil) -> LabelInputItem? {
        finished = true
        guard case .fatal(let diagnostic) = event else { return nil }
        let diagnostics = more ?? [diagnostic]
        return .invalid(line: diagnostic.line ?? 0, diagnostics, nil)
    }

    private mutating func nextJSONL() -> LabelInputItem? {
        guard let event = jsonl!.next() else {
            finished = true
            let unmatched = jsonlMapper!.unmatchedMappingProblems(order: options.mappings)
            return unmatched.isEmpty ? nil : .invalid(line: 0, unmatched, nil)
        }
        switch event {
        case .fatal(let diagnostic):
            finished = true
            return .invalid(line: diagnostic.line ?? 0, [diagnostic], nil)
        case .problem(let diagnostic):
            return .invalid(line: diagnostic.line ?? 0, [diagnostic], nil)
        case .line(let number, let unterminated):
            let bytes = jsonl!.currentLine
            let record = InputRecord(line: number, content: .text(String(decoding: bytes, as: UTF8.self)))
            let result = bytes.withUnsafeBytes { raw in
                jsonlMapper!.map(raw, line: number, unterminated: unterminated, warnings: &warnings)
            }
            switch result {
            case .success(let label): return .row(label, record)
            case .failure(let problems): return .invalid(line: number, problems.diagnostics, record.naming(problems))
            }
        }
    }
}

extension InputRecord {
    /// The record of an invalid row, with the run and name it gives.
    fileprivate func naming(_ problems: MappingProblems) -> InputRecord {
        naming(runID: problems.runID, outputResourceName: problems.outputResourceName)
    }

    fileprivate func naming(runID: String?, outputResourceName: String?) -> InputRecord {
        var record = self
        record.runID = runID
        record.outputResourceName = outputResourceName
        return record
    }
}
