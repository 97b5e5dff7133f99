/// A streaming RFC 4180 reader working on bytes, chunk by chunk, so memory does not
/// grow with the file. Handles a UTF-8 BOM, LF, CRLF and lone CR line ends, quoted
/// cells holding delimiters, doubled quotes and line breaks, and any one-byte delimiter.
/// Blank lines between rows are skipped.
struct CSVReader {
    enum Event: Sendable, Equatable {
        case row(CSVRow)
        /// A problem that ends reading (an unterminated quote, a read error, UTF-16 text).
        case fatal(Diagnostic)
    }

    static let maximumFieldBytes = 16 * 1024 * 1024

    private enum State {
        case rowStart, fieldStart, unquoted, quoted, quoteInQuoted, afterCR
    }

    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let quote: UInt8 = 0x22

    let file: String
    /// The delimiter in use: as given, or found from the header line.
    private(set) var delimiter: UInt8
    /// Find the delimiter from the header line (`,` `;` tab `|`), with `delimiter` as the fallback.
    /// Whether the delimiter is found from the header line (no --delimiter, not .tsv).
    let detectDelimiter: Bool
    /// The file starts with a UTF-8 byte order mark.
    private(set) var hadByteOrderMark = false
    /// The header line ends with CRLF.
    private(set) var crlf = false
    /// The header's cell count, once known: rows with another count are reported.
    var expectedFieldCount: Int?
    /// Rows may have fewer cells than the header down to this count (trailing columns
    /// with no header name, which Excel leaves).
    var minimumFieldCount: Int?

    private let source: ByteSource
    /// Per byte value: 1 when it ends a run of an unquoted cell, 2 when it ends a run in a quoted one.
    private var stops: [UInt8]
    private var cursor = ByteChunk()
    private var started = false
    private var finished = false

    private var state = State.rowStart
    private var line = 1
    private var rowLine = 1
    private var rowBytes = RowBytes()
    /// Per cell read so far: its end in `rowBytes` shifted left by one, low bit set when quoted.
    private var marks: [Int] = []
    private var fieldStart = 0
    private var currentQuoted = false
    private var previousCR = false
    private var fieldHasProblem = false
    private var rowProblems: [Diagnostic] = []

    init(source: ByteSource, file: String, delimiter: UInt8, detectDelimiter: Bool = false) {
        self.source = source
        self.file = file
        self.delimiter = delimiter
        self.detectDelimiter = detectDelimiter
        self.stops = CSVReader.stopTable(delimiter)
    }

    /// The next row, or a fatal problem; nil at the end of the file (and after a fatal problem).
    mutating func next() -> Event? {
        if finished { return nil }
        if !started {
            started = true
            if let fatal = readFirstChunk() { return fatal }
        }
        while true {
            if cursor.isConsumed {
                switch cursor.refill(from: source, file: file) {
                case .bytes: break
                case .end: return finishAtEnd()
                case .fatal(let problem):
                    finished = true
                    return .fatal(problem)
                }
            }
            if let row = scan() { return .row(row) }
        }
    }

    /// Reads the file's opening (``opening(of:file:detectDelimiter:)``) and takes its dialect.
    private mutating func readFirstChunk() -> Event? {
        var problem: Diagnostic?
        guard let opening = CSVReader.opening(of: source, file: file, detectDelimiter: detectDelimiter, problem: &problem) else {
            finished = true
            return problem.map(Event.fatal)
        }
        hadByteOrderMark = opening.byteOrderMark
        crlf = opening.crlf
        if let found = opening.delimiter, found != delimiter {
            delimiter = found
            stops = CSVReader.stopTable(found)
        }
        cursor.reset(to: opening.bytes)
        return nil
    }

    private mutating func finishAtEnd() -> Event? {
        finished = true
        switch state {
        case .rowStart, .afterCR:
            return nil
        case .quoted:
            currentQuoted = true
            endField()
            let at = locateInRow(cell: marks.count - 1, offset: nil)
            return .fatal(Diagnostic(
                file: file, line: at.line, column: at.column,
                message: "unterminated quoted cell: the quote opened here is never closed; close the cell with \" "
                    + "(a quote inside a quoted cell is written twice: \"\")"))
        case .fieldStart, .unquoted, .quoteInQuoted:
            endField()
            return .row(emitRow())
        }
    }

    /// Processes the current chunk until a row completes (returned) or the chunk runs out (nil).
    private mutating func scan() -> CSVRow? {
        let buffer = cursor.bytes
        let n = cursor.count
        let delimiter = self.delimiter
        let stopTable = stops
        return stopTable.withUnsafeBufferPointer { table in buffer.withUnsafeBufferPointer { raw -> CSVRow? in
            let p = raw.baseAddress!
            let stop = table.baseAddress!
            var i = cursor.position
            while i < n {
                switch state {
                case .afterCR:
                    state = .rowStart
                    if p[i] == CSVReader.lf { i += 1 }
                case .rowStart:
                    let b = p[i]
                    if b == CSVReader.lf {
                        line += 1
                        i += 1
                    } else if b == CSVReader.cr {
                        line += 1
                        i += 1
                        state = .afterCR
                    } else {
                        rowLine = line
                        state = .fieldStart
                    }
                case .fieldStart:
                    fieldStart = rowBytes.count
                    fieldHasProblem = false
                    if p[i] == CSVReader.quote {
                        currentQuoted = true
                        previousCR = false
                        i += 1
                        state = .quoted
                        continue
                    }
                    currentQuoted = false
                    state = .unquoted
                    fallthrough
                case .unquoted:
                    // Consecutive unquoted cells are read here without going back to the switch.
                    unquotedCells: while true {
                        let start = i
                        while i < n, stop[Int(p[i])] & 1 == 0 { i += 1 }
                        if i > start { append(UnsafeBufferPointer(rebasing: raw[start..<i])) }
                        if i == n { break unquotedCells }
                        let b = p[i]
                        i += 1
                        if b == delimiter {
                            endField()
                            fieldHasProblem = false
                            if i < n, p[i] != CSVReader.quote {
                                currentQuoted = false
                                continue unquotedCells
                            }
                            state = .fieldStart
                            break unquotedCells
                        } else if b == CSVReader.lf || b == CSVReader.cr {
                            endField()
                            line += 1
                            state = b == CSVReader.cr ? .afterCR : .rowStart
                            cursor.position = i
                            return emitRow()
                        } else if b == CSVReader.quote {
                            // A character of an unquoted cell, as spreadsheets read it (`5'11"`);
                            // after nothing but spaces, a quoted cell with a space before it.
                            if rowBytes[fieldStart..<rowBytes.count].allSatisfy({ $0 == 0x20 }) {
                                problemHere("a space before a quoted cell: delete it (else the quotes are read as characters of the cell)")
                            }
                            appendByte(b)
                        } else {
                            problemHere(CSVReader.nulMessage)
                            appendByte(b)
                        }
                    }
                case .quoted:
                    // A quoted cell, doubled quotes included, is read here without going
                    // back to the switch for each of them.
                    quotedCell: while true {
                        let start = i
                        while i < n, stop[Int(p[i])] & 2 == 0 { i += 1 }
                        if i > start {
                            append(UnsafeBufferPointer(rebasing: raw[start..<i]))
                            previousCR = false
                        }
                        if i == n { break quotedCell }
                        let b = p[i]
                        i += 1
                        if b == CSVReader.quote {
                            // A doubled quote stays in this loop; anything else after a
                            // quote (or the chunk's end) is the cell's end, handled below.
                            if i < n, p[i] == CSVReader.quote {
                                appendByte(CSVReader.quote)
                                previousCR = false
                                i += 1
                                continue quotedCell
                            }
                            state = .quoteInQuoted
                            break quotedCell
                        } else if b == CSVReader.lf {
                            if !previousCR { line += 1 }
                            previousCR = false
                            appendByte(b)
                        } else if b == CSVReader.cr {
                            line += 1
                            previousCR = true
                            appendByte(b)
                        } else {
                            // A NUL inside quotes is text (export quotes a cell that holds
                            // one); outside them it means UTF-16 or binary, refused above.
                            previousCR = false
                            appendByte(b)
                        }
                    }
                case .quoteInQuoted:
                    let b = p[i]
                    if b == CSVReader.quote {
                        appendByte(b)
                        previousCR = false
                        i += 1
                        state = .quoted
                    } else if b == delimiter {
                        i += 1
                        endField()
                        state = .fieldStart
                    } else if b == CSVReader.lf || b == CSVReader.cr {
                        i += 1
                        endField()
                        line += 1
                        state = b == CSVReader.cr ? .afterCR : .rowStart
                        cursor.position = i
                        return emitRow()
                    } else {
                        let at = locateInRow(cell: marks.count, offset: rowBytes.count - fieldStart)
                        addProblem(
                            line: at.line, column: at.column + 1,
                            "text after the closing quote of a quoted cell: put the whole cell in quotes and write inner quotes twice (\"\")")
                        state = .unquoted
                    }
                }
            }
            cursor.position = i
            return nil
        } }
    }

    private static let nulMessage = "NUL byte (0x00) in the text: the file may be UTF-16 or binary; save it as UTF-8 CSV"

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if rowBytes.count - fieldStart + bytes.count > CSVReader.maximumFieldBytes {
            fieldTooLong()
            return
        }
        rowBytes.append(bytes)
    }

    @inline(__always)
    private mutating func appendByte(_ byte: UInt8) {
        if rowBytes.count - fieldStart + 1 > CSVReader.maximumFieldBytes {
            fieldTooLong()
            return
        }
        rowBytes.append(byte)
    }

    /// Reports a cell over the limit once; the rest of the cell is dropped, so memory stays bounded.
    private mutating func fieldTooLong() {
        guard !fieldHasProblem else { return }
        let at = locateInRow(cell: marks.count, offset: nil)
        addProblem(
            line: at.line, column: at.column,
            "cell is longer than the limit of 16 MiB (\(CSVReader.maximumFieldBytes) bytes): is a closing quote missing?")
        fieldHasProblem = true
    }

    /// Reports a problem at the current end of the cell being read (one per cell).
    private mutating func problemHere(_ message: String) {
        guard !fieldHasProblem else { return }
        fieldHasProblem = true
        let at = locateInRow(cell: marks.count, offset: rowBytes.count - fieldStart)
        addProblem(line: at.line, column: at.column, message)
    }

    private mutating func addProblem(line: Int, column: Int, _ message: String) {
        rowProblems.append(Diagnostic(file: file, line: line, column: column, message: message))
    }

    @inline(__always)
    private mutating func endField() {
        marks.append(rowBytes.count << 1 | (currentQuoted ? 1 : 0))
        fieldStart = rowBytes.count
    }

    /// Whether the row's cells from `index` on are all empty (a delimiter ending each data row).
    private func emptyCells(from index: Int) -> Bool {
        (max(1, index)..<marks.count).allSatisfy { marks[$0] >> 1 == marks[$0 - 1] >> 1 }
    }

    /// The cells read so far as slices and quoted flags, plus the one in progress when `cell` is past them.
    private func cellsInRow(including cell: Int) -> (cells: [ArraySlice<UInt8>], quoted: [Bool]) {
        var cells: [ArraySlice<UInt8>] = []
        var quoted: [Bool] = []
        var start = 0
        for mark in marks {
            cells.append(rowBytes[start..<(mark >> 1)])
            quoted.append(mark & 1 == 1)
            start = mark >> 1
        }
        if cell >= marks.count {
            cells.append(rowBytes[start..<rowBytes.count])
            quoted.append(currentQuoted)
        }
        return (cells, quoted)
    }

    /// Locates a place in the row being read: cells done so far plus the one in progress.
    private func locateInRow(cell: Int, offset: Int?) -> (line: Int, column: Int) {
        let row = cellsInRow(including: cell)
        return CSVLocator.locate(rowLine: rowLine, cells: row.cells, quoted: row.quoted, cell: cell, offset: offset)
    }

    private mutating func emitRow() -> CSVRow {
        var problems = rowProblems
        let cellCount = marks.count
        let wholeRowIsUTF8 = rowBytes.withUnsafeBytes { raw -> Bool in
            guard UTF8Validation.firstInvalidOffset(raw) == nil else { return false }
            // Valid as a whole; a cell could still start inside another's multi-byte character.
            for mark in marks.dropLast() where mark >> 1 < raw.count && raw[mark >> 1] & 0xC0 == 0x80 { return false }
            return true
        }
        if !wholeRowIsUTF8 {
            rowBytes.withUnsafeBytes { raw in
                var start = 0
                for (index, mark) in marks.enumerated() {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(mark >> 1)])
                    if let bad = UTF8Validation.firstInvalidOffset(slice) {
                        let at = locateInRow(cell: index, offset: bad)
                        problems.append(Diagnostic(
                            file: file, line: at.line, column: at.column,
                            message: CSVReader.notUTF8(slice[bad])))
                    }
                    start = mark >> 1
                }
            }
        }
        if let expected = expectedFieldCount, cellCount != expected,
           cellCount > expected && !emptyCells(from: expected) || cellCount < (minimumFieldCount ?? expected) {
            let name = CSVReader.delimiterName(delimiter)
            if cellCount > expected {
                let at = locateInRow(cell: expected, offset: nil)
                problems.append(Diagnostic(
                    file: file, line: at.line, column: at.column,
                    message: "row has \(cellCount) cells but the header has \(expected): "
                        + "put cells that contain \(name) in double quotes"))
            } else {
                let row = cellsInRow(including: cellCount - 1)
                let at = CSVLocator.endOfRow(rowLine: rowLine, cells: row.cells, quoted: row.quoted)
                problems.append(Diagnostic(
                    file: file, line: at.line, column: at.column,
                    message: "row has \(CountText.count(cellCount, "cell")) but the header has \(expected): "
                        + "add the missing cells (an empty cell still needs its \(name))"))
            }
        }
        let cells = CSVCells(bytes: rowBytes.withUnsafeBytes { Array($0) }, marks: marks)
        let row = CSVRow(line: rowLine, cells: cells, problems: problems)
        rowBytes.removeAll()
        marks = []
        marks.reserveCapacity(cellCount)
        rowProblems.removeAll(keepingCapacity: true)
        fieldStart = 0
        return row
    }
}
