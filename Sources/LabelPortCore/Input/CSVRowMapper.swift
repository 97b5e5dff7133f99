/// What each CSV column fills, worked out once from the header row and `--map`s, then
/// applied to every row.
struct CSVRowMapper {
    struct Column {
        var index: Int
        var field: TargetField
        var type: CellType
    }

    let file: String
    /// Columns that fill a field, in header order (unknown and export-only columns left out).
    let columns: [Column]
    let defaultRunID: String?
    /// Recent run_id cells and their normalized form: a file holds few runs, so most rows
    /// repeat a recent one and reuse its string.
    private var recentRunIDs: [(bytes: [UInt8], normalized: String)] = []
    private var nextRecentSlot = 0
    private static let recentRunIDLimit = 8

    /// Header cells up to the last one with a name: later columns have no name and must
    /// hold no values (Excel leaves such columns).
    let namedColumnCount: Int
    /// Columns before that with an empty header (a table that starts in column B, an empty
    /// column between two): ignored, and must hold no values either.
    let unnamedColumns: [Int]
    /// `:number` cells may use a decimal comma.
    let decimalComma: Bool

    init(
        file: String, columns: [Column], defaultRunID: String?, namedColumnCount: Int = Int.max, unnamedColumns: [Int] = [],
        decimalComma: Bool = false
    ) {
        self.file = file
        self.columns = columns
        self.defaultRunID = defaultRunID
        self.namedColumnCount = namedColumnCount
        self.unnamedColumns = unnamedColumns
        self.decimalComma = decimalComma
    }

    /// The plan for `header`, or the header's problems (which make the file unreadable).
    /// Unknown columns add one warning each to `warnings`. Columns with an empty header
    /// are ignored: the file is read as it streams, so a value in one is a problem of its
    /// row (``map(_:)``), not of the header. `guessedDelimiter`: the delimiter found from the
    /// header line, when not ',' (named if the header names no column).
    static func make(
        header: CSVRow, file: String, mappings: [FieldMapping], defaultRunID: String?, decimalComma: Bool = false,
        guessedDelimiter: UInt8? = nil, warnings: inout [Diagnostic]
    ) -> Result<CSVRowMapper, MappingProblems> {
        var problems: [Diagnostic] = []
        var unknown: [Diagnostic] = []
        func place(_ cell: Int) -> (line: Int, column: Int) { header.locate(cell: cell) }
        func problem(_ cell: Int?, _ message: String) {
            let at = cell.map(place)
            problems.append(Diagnostic(file: file, line: at?.line ?? header.line, column: at?.column, message: message))
        }
        var mapped: [String: FieldMapping] = [:]
        for mapping in mappings { mapped[mapping.header] = mapping }
        let names = header.fields
        let namedCount = (names.lastIndex { !$0.isEmpty } ?? -1) + 1
        let matches = CSVHeaderMatch(names: Array(names[..<namedCount]), mappings: mappings)
        var columns: [Column] = []
        var seen: [String: Int] = [:]
        var filledBy: [TargetField: String] = [:]
        var knownCount = 0
        var unnamed: [Int] = []
        for (index, name) in names.enumerated() where index < namedCount {
            if name.isEmpty {
                unnamed.append(index)
                continue
            }
            if let first = seen[name] {
                problem(index, "duplicate column name \"\(name)\" (also column \(first + 1)): rename one of them")
                continue
            }
            seen[name] = index
            let target: (TargetField, CellType)
            if mapped[name] == nil, let suffix = FieldMapping.unknownType(in: name.trimmingWhitespace()) {
                problem(index, "column \"\(name)\": unknown type ':\(suffix)'; use :number, :boolean, :json or :string "
                    + "(a key holding ':' cannot be a column of its own: put it in the object_value column's JSON)")
                continue
            }
            if let mapping = mapped[name] {
                target = (mapping.field, mapping.type)
            } else if let column = FieldMapping.column(named: name) {
                target = column
            } else if let loose = matches.loose[index] {
                switch loose {
                case .mapping(let mapping):
                    target = (mapping.field, mapping.type)
                    warnings.append(Diagnostic(
                        file: file, line: header.line, column: place(index).column, severity: .warning,
                        message: "column \"\(name)\" is read as --map \"\(mapping.header)\" (ignoring spaces and letter case)"))
                case .column(let field, let type):
                    target = (field, type)
                    warnings.append(Diagnostic(
                        file: file, line: header.line, column: place(index).column, severity: .warning,
                        message: "column \"\(name)\" is read as \(loose.name) (ignoring spaces and letter case)"))
                }
            } else {
                unknown.append(Diagnostic(
                    file: file, line: header.line, column: place(index).column, severity: .warning,
                    message: "column \"\(name)\" is not a gold-label field and is ignored (to use it: --map \"\(name)=FIELD\")"))
                continue
            }
            knownCount += 1
            if target.0 == .ignored { continue }
            if let other = filledBy[target.0] {
                problem(index, "columns \"\(other)\" and \"\(name)\" both fill \(target.0): keep one, or map one elsewhere")
                continue
            }
            filledBy[target.0] = name
            columns.append(Column(index: index, field: target.0, type: target.1))
        }
        for problemText in matches.problems { problem(nil, problemText) }
        for mapping in mappings where seen[mapping.header] == nil && !matches.looselyMatched.contains(mapping.header)
            && !matches.ambiguousMappings.contains(mapping.header)
        {
            problem(nil, "--map names the column \"\(mapping.header)\" but the file has no such column; "
                + matches.listing(closestTo: mapping.header))
        }
        if knownCount == 0, matches.problems.isEmpty {
            return .failure(MappingProblems(diagnostics: problems + [noLabelColumn(header, file: file, guessedDelimiter: guessedDelimiter)]))
        }
        let paths = columns.compactMap { column -> (String, [String])? in
            if case .objectKey(let path) = column.field { return (header.fields[column.index], path) }
            return nil
        }
        for a in paths {
            for b in paths where b.1.count > a.1.count && Array(b.1.prefix(a.1.count)) == a.1 {
                problem(nil, "columns \"\(a.0)\" and \"\(b.0)\" clash: \(TargetField.objectKey(a.1)) cannot be a value and hold \(TargetField.objectKey(b.1))")
            }
        }
        // A field that ambiguous headers would fill is not also said to be missing.
        for field in matches.ambiguousFields where filledBy[field] == nil { filledBy[field] = "" }
        if filledBy[.outputResourceName] == nil {
            problem(nil, "no output_resource_name column: add one, or map yours with --map \"HEADER=output_resource_name\"")
        }
        if filledBy[.runID] == nil, defaultRunID == nil {
            problem(nil, "no run_id column: add one, or pass --run-id UUID for the whole file")
        }
        let ambiguousKey = matches.ambiguousFields.contains { if case .objectKey = $0 { true } else { false } }
        if filledBy[.textValue] == nil, filledBy[.objectValue] == nil, filledBy[.objectValueIsPartial] == nil, paths.isEmpty, !ambiguousKey {
            problem(nil, "no value column: add text_value, object_value or object_value_is_partial, or map columns to object_value.KEY with --map")
        }
        guard problems.isEmpty else { return .failure(MappingProblems(diagnostics: problems)) }
        warnings.append(contentsOf: unknown)
        return .success(CSVRowMapper(
            file: file, columns: columns, defaultRunID: defaultRunID, namedColumnCount: namedCount, unnamedColumns: unnamed,
            decimalComma: decimalComma))
    }

    /// The problem of a first row that names no label column (a title row above the
    /// header, or no header at all), in the words of a CSV or of a sheet.
    private static func noLabelColumn(_ header: CSVRow, file: String, guessedDelimiter: UInt8?) -> Diagnostic {
        let named = header.fields.indices.filter { !header.fields[$0].isEmpty }
        let shown = named.prefix(3).map { TerminalText.quotedExcerpt(header.fields[$0]) }.joined(separator: ", ")
        if !header.inSheet, let first = header.fields.first, first.lowercased().hasPrefix("sep="), header.fields.dropFirst().allSatisfy(\.isEmpty) {
            return Diagnostic(
                file: file, line: header.line, column: 1,
                message: "the first line is Excel's delimiter hint (\"sep=…\"), not a header: delete that line (labelport "
                    + "finds the delimiter from the header itself, or pass --delimiter)")
        }
        guard header.inSheet else {
            return Diagnostic(
                file: file, line: header.line, column: 1,
                message: "the first row (\(shown)) names no gold-label column: a CSV needs a header row such as "
                    + "run_id,output_resource_name,text_value, or --map \"HEADER=FIELD\" for your own column names"
                    + (guessedDelimiter.map {
                        " (its cells were read as separated by \(CSVReader.delimiterName($0)), which the line holds most of: "
                            + "pass --delimiter ',' if the file uses commas)"
                    } ?? ""))
        }
        return Diagnostic(
            file: file, line: header.line, column: (named.first ?? 0) + 1,
            message: "the sheet's first row with values (\(shown)) names no gold-label column: the sheet needs a header row "
                + "above its data, such as run_id | output_resource_name | text_value (one name per cell; delete any title rows "
                + "above it), or --map \"HEADER=FIELD\" for your own column names")
    }

    /// Maps one row (already read without problems) to a label, or its problems.
    /// Values are read from the cells' bytes; a string is made only for a name or text.
    mutating func map(_ row: CSVRow) -> Result<LabelRow, MappingProblems> {
        var draft = LabelRowDraft(file: file, line: row.line)
        let cells = row.cells
        func place(_ cell: Int, _ offset: Int? = nil) -> (line: Int, column: Int) {
            row.locate(cell: cell, offset: offset)
        }
        // Nothing in a column without a header is dropped silently: each value there is a problem.
        func unnamedValue(_ index: Int) {
            let at = place(index)
            let message = row.inSheet
                ? "cell \(XlsxCellText.cellName(column: index, row: row.line)) has a value but its column has no header: "
                    + "name the column or delete the value"
                : "column \(index + 1) has no header name but holds a value on this row: name the column, or delete the value"
            draft.problem(message, column: at.column, line: at.line)
        }
        for index in unnamedColumns where index < cells.count && !cells.isEmpty(index) { unnamedValue(index) }
        if cells.count > namedColumnCount {
            for index in namedColumnCount..<cells.count where !cells.isEmpty(index) { unnamedValue(index) }
        }
        for column in columns where column.index < cells.count {
            if cells.isEmpty(column.index) { continue }
            switch column.field {
            case .runID:
                if let recent = recentRunIDs.first(where: { cells.cell(column.index, equals: $0.bytes) }) {
                    draft.setNormalizedUUID(recent.normalized, field: .runID)
                } else if let normalized = cells.withCell(column.index, UUIDText.normalizedIfValid(bytes:)) {
                    let entry = (cells.withCell(column.index) { Array($0) }, normalized)
                    if recentRunIDs.count < CSVRowMapper.recentRunIDLimit {
                        recentRunIDs.append(entry)
                    } else {
                        recentRunIDs[nextRecentSlot] = entry
                        nextRecentSlot = (nextRecentSlot + 1) % CSVRowMapper.recentRunIDLimit
                    }
                    draft.setNormalizedUUID(normalized, field: .runID)
                } else {
                    draft.setUUID(cells.field(column.index), field: .runID, at: { place(column.index) })
                }
            case .id:
                if let normalized = cells.withCell(column.index, UUIDText.normalizedIfValid(bytes:)) {
                    draft.setNormalizedUUID(normalized, field: .id)
                } else {
                    draft.setUUID(cells.field(column.index), field: .id, at: { place(column.index) })
                }
            case .outputResourceName:
                draft.outputResourceName = cells.field(column.index)
            case .textValue:
                draft.textValue = cells.field(column.index)
            case .objectValue:
                let parsed = cells.withCell(column.index) { bytes in
                    Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(bytes) }
                }
                do {
                    let value = try parsed.get()
                    if let object = value.objectValue {
                        draft.objectValue = object
                    } else {
                        let at = place(column.index)
                        draft.problem("object_value must be a JSON object ({...}), found \(value.kindDescription)", column: at.column, line: at.line)
                    }
                } catch {
                    let at = place(column.index, error.offset)
                    draft.problem("object_value is not valid JSON: \(error.message)", column: at.column, line: at.line)
                }
            case .objectValueIsPartial:
                if let bool = cells.withCell(column.index, CellText.boolean(bytes:)) {
                    draft.objectValueIsPartial = bool
                } else {
                    let text = cells.field(column.index)
                    let at = place(column.index)
                    draft.problem("object_value_is_partial \(TerminalText.quotedExcerpt(text)) is not a boolean: write true or false (or leave the cell empty)", column: at.column, line: at.line)
                }
            case .objectKey(let path):
                // A sheet's number cell arrives as its number's text: with --decimal-comma,
                // "1.234" there is 1.234, nothing to guess (only text cells are read German).
                switch CellText.value(cells.field(column.index), as: column.type, decimalComma: decimalComma, plainNumbersAreJSON: row.inSheet) {
                case .success(let value):
                    _ = draft.setObjectKey(path, value)
                case .failure(let problem):
                    let at = place(column.index, problem.offset)
                    draft.problem("\(column.field): \(problem.message)", column: at.column, line: at.line)
                }
            case .ignored:
                break
            }
        }
        if let label = draft.finish(defaultRunID: defaultRunID) { return .success(label) }
        return .failure(MappingProblems(diagnostics: draft.problems, runID: draft.runID, outputResourceName: draft.outputResourceName))
    }
}

/// Problems that stop a header or a row from being used.
struct MappingProblems: Error {
    var diagnostics: [Diagnostic]
    /// What the row names, as far as it could be read (for its report line).
    var runID: String? = nil
    var outputResourceName: String? = nil
}
