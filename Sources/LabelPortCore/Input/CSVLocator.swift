/// Finds the physical line and character column of a place inside a CSV row from the
/// row's cells, so the reader's hot loop never counts columns: positions are worked out
/// only when there is a problem to report.
enum CSVLocator {
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22

    /// The position of byte `offset` of cell `cell`'s content, or of the cell's first
    /// character (its opening quote, if quoted) when `offset` is nil. A doubled quote in a
    /// quoted cell is one content byte but two characters; columns count Unicode scalars.
    static func locate(
        rowLine: Int, cells: [ArraySlice<UInt8>], quoted: [Bool], cell: Int, offset: Int?
    ) -> (line: Int, column: Int) {
        var line = rowLine
        var column = 1
        func walk(_ bytes: ArraySlice<UInt8>, quoted: Bool) {
            var previousCR = false
            for b in bytes {
                if b == lf {
                    if !previousCR { line += 1 }
                    column = 1
                    previousCR = false
                } else if b == cr {
                    line += 1
                    column = 1
                    previousCR = true
                } else {
                    previousCR = false
                    if b & 0xC0 != 0x80 { column += (quoted && b == quote) ? 2 : 1 }
                }
            }
        }
        for i in 0..<min(cell, cells.count) {
            if quoted[i] { column += 1 }
            walk(cells[i], quoted: quoted[i])
            if quoted[i] { column += 1 }
            column += 1 // the delimiter
        }
        guard let offset, cell < cells.count else { return (line, column) }
        if quoted[cell] { column += 1 }
        walk(cells[cell].prefix(offset), quoted: quoted[cell])
        return (line, column)
    }

    /// The position just after the row's last cell (where a missing cell would go).
    static func endOfRow(rowLine: Int, cells: [ArraySlice<UInt8>], quoted: [Bool]) -> (line: Int, column: Int) {
        guard let last = cells.indices.last else { return (rowLine, 1) }
        let end = locate(rowLine: rowLine, cells: cells, quoted: quoted, cell: last, offset: cells[last].count)
        return (end.line, end.column + (quoted[last] ? 1 : 0))
    }
}
