/// Writes a table as a one-sheet .xlsx workbook: the header row bold and frozen, typed
/// cells (``XlsxSheetXML``), columns as wide as their content. Byte-stable: fixed parts,
/// order and times.
///
/// Streamed: the rows are read twice, once to measure the column widths (which the
/// sheet names before its first row), then to write each row's XML into a deflate
/// stream a piece at a time, so memory does not grow with the number of rows.
package struct XlsxWriter {
    package var sheetName: String

    package init(sheetName: String) {
        self.sheetName = sheetName
    }

    /// More rows than a sheet holds, described for the user.
    package struct TooManyRows: Error, CustomStringConvertible {
        var rows: Int
        package var description: String {
            "\(rows) rows do not fit in an xlsx sheet (it holds \(XlsxWriter.maximumRows - 1) below the header): export them as CSV or JSONL, or fewer runs at a time"
        }
    }

    /// Cells longer than a sheet's cell holds: written whole, but Excel refuses or cuts
    /// them, and LibreOffice cuts them (a cut JSON text then no longer reads back).
    package struct LongCells: Sendable, Equatable, CustomStringConvertible {
        /// How many cells.
        package var count: Int
        /// The first one's column name, and the id in its row (when the sheet has one).
        package var column: String
        package var id: String?

        package var description: String {
            let first = id.map { "id \($0)'s \(column)" } ?? "in column \(column)"
            return "\(CountText.count(count, "cell")) longer than the \(CountText.grouped(XlsxWriter.maximumCellCharacters)) characters "
                + "a spreadsheet cell holds (the first: \(first)): Excel refuses or cuts such cells and LibreOffice cuts them; "
                + "export as JSONL (--format jsonl) to keep them whole"
        }
    }

    /// The rows a sheet holds, the header included (Excel's limit: 2^20).
    static let maximumRows = 1_048_576
    /// The characters (UTF-16 code units) a cell holds: Excel's limit, 2^15 - 1.
    package static let maximumCellCharacters = 32_767
    /// Sheet XML is compressed in pieces of this size: large enough that zlib's calls
    /// cost nothing, small beside the records.
    static let pieceSize = 256 * 1024

    /// Writes the workbook; returns the cells too long for a spreadsheet, if any (written whole).
    @discardableResult
    package func write(header: [String], rows: some Collection<[ExportCell?]>, to write: ([UInt8]) throws -> Void) throws -> LongCells? {
        let rowCount = rows.count + 1
        guard rowCount <= Self.maximumRows else {
            throw TooManyRows(rows: rowCount - 1)
        }
        let sheet = XlsxSheetXML(columns: header.count)
        let widths = XlsxSheetXML.widths(header: header, rows: rows)

        var zip = ZipWriter()
        try write(zip.add("[Content_Types].xml", Array(Self.contentTypes.utf8)))
        try write(zip.add("_rels/.rels", Array(Self.rootRelations.utf8)))
        try write(zip.add("xl/workbook.xml", workbook))
        try write(zip.add("xl/_rels/workbook.xml.rels", Array(Self.workbookRelations.utf8)))
        try write(zip.add("xl/styles.xml", Array(Self.styles.utf8)))
        try write(zip.beginEntry("xl/worksheets/sheet1.xml"))
        let deflater = try ZipDeflater()
        var piece = sheet.start(widths: widths, rows: rowCount)
        piece.reserveCapacity(Self.pieceSize + 64 * 1024)
        var compressed: [UInt8] = []
        sheet.appendRow(1, header.map { ExportCell.text($0) }, bold: true, into: &piece)
        var rowNumber = 1
        var long: LongCells?
        let idColumn = header.firstIndex(of: "id")
        for row in rows {
            rowNumber += 1
            for (index, cell) in row.enumerated() {
                // utf8.count is O(1) for native strings, and never below the UTF-16 count.
                guard case .text(let text)? = cell, text.utf8.count > Self.maximumCellCharacters,
                    text.utf16.count > Self.maximumCellCharacters
                else { continue }
                if long == nil {
                    var id: String?
                    if let idColumn, idColumn < row.count, case .text(let value)? = row[idColumn] { id = value }
                    long = LongCells(count: 0, column: index < header.count ? header[index] : XlsxCellText.columnLetters(index), id: id)
                }
                long!.count += 1
            }
            sheet.appendRow(rowNumber, row, bold: false, into: &piece)
            if piece.count >= Self.pieceSize {
                try deflater.compress(piece, into: &compressed)
                piece.removeAll(keepingCapacity: true)
                if !compressed.isEmpty {
                    try write(compressed)
                    compressed.removeAll(keepingCapacity: true)
                }
            }
        }
        piece += XlsxSheetXML.end
        try deflater.finish(piece, into: &compressed)
        try write(compressed)
        try write(zip.endEntry(deflater))
        try write(zip.finish())
        return long
    }

    private var workbook: [UInt8] {
        var out = Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="
            """.utf8)
        XMLText.appendEscaped(sheetName, into: &out)
        out += Array("\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)
        return out
    }

    private static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    private static let rootRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """

    private static let workbookRelations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    private static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """
}
