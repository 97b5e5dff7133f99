/// Writes a table as a one-sheet .xlsx workbook: the header row bold and frozen, text
/// as inline strings, numbers as number cells when a double holds them exactly in at
/// most 15 significant digits (otherwise text with every digit), booleans as boolean
/// cells, columns as wide as their content. Byte-stable: fixed parts, order and times.
package struct XlsxWriter {
    package var sheetName: String

    package init(sheetName: String) {
        self.sheetName = sheetName
    }

    /// Width bounds, in characters.
    static let minimumWidth = 6
    static let maximumWidth = 60

    package func write(header: [String], rows: some Sequence<[ExportCell?]>, to write: ([UInt8]) throws -> Void) throws {
        var widths = header.map { Self.width(of: $0) + 2 }  // room for the bold header
        var sheetRows: [UInt8] = []
        sheetRows.reserveCapacity(1 << 20)
        appendRow(1, header.map { ExportCell.text($0) }, style: 1, into: &sheetRows, widths: &widths)
        var rowNumber = 1
        for row in rows {
            rowNumber += 1
            appendRow(rowNumber, row, style: nil, into: &sheetRows, widths: &widths)
        }
        var sheet: [UInt8] = []
        sheet.reserveCapacity(sheetRows.count + 4096)
        sheet += Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            """.utf8)
        let lastCell = XlsxCellText.cellName(column: max(0, header.count - 1), row: rowNumber)
        sheet += Array("<dimension ref=\"A1:\(lastCell)\"/>".utf8)
        sheet += Array(("<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">"
            + "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            + "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
            + "<sheetFormatPr defaultRowHeight=\"15\"/>").utf8)
        if !widths.isEmpty {
            sheet += Array("<cols>".utf8)
            for (index, width) in widths.enumerated() {
                let clamped = min(Self.maximumWidth, max(Self.minimumWidth, width + 1))
                sheet += Array("<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(clamped)\" customWidth=\"1\"/>".utf8)
            }
            sheet += Array("</cols>".utf8)
        }
        sheet += Array("<sheetData>".utf8)
        sheet += sheetRows
        sheetRows = []
        sheet += Array("</sheetData></worksheet>".utf8)

        var zip = ZipWriter()
        try write(zip.add("[Content_Types].xml", Array(Self.contentTypes.utf8)))
        try write(zip.add("_rels/.rels", Array(Self.rootRelations.utf8)))
        try write(zip.add("xl/workbook.xml", workbook))
        try write(zip.add("xl/_rels/workbook.xml.rels", Array(Self.workbookRelations.utf8)))
        try write(zip.add("xl/styles.xml", Array(Self.styles.utf8)))
        try write(zip.add("xl/worksheets/sheet1.xml", sheet))
        try write(zip.finish())
    }

    private func appendRow(_ number: Int, _ cells: [ExportCell?], style: Int?, into out: inout [UInt8], widths: inout [Int]) {
        out += Array("<row r=\"\(number)\">".utf8)
        let styleAttribute = style.map { " s=\"\($0)\"" } ?? ""
        for (index, cell) in cells.enumerated() {
            guard let cell else { continue }
            let reference = XlsxCellText.cellName(column: index, row: number)
            let shown: Int
            switch cell {
            case .number(let number):
                if let text = Self.numericText(number) {
                    out += Array("<c r=\"\(reference)\"\(styleAttribute)><v>\(text)</v></c>".utf8)
                    shown = text.utf8.count
                } else {
                    appendText(number.literal, reference: reference, style: styleAttribute, into: &out)
                    shown = number.literal.utf8.count
                }
            case .bool(let flag):
                out += Array("<c r=\"\(reference)\"\(styleAttribute) t=\"b\"><v>\(flag ? 1 : 0)</v></c>".utf8)
                shown = flag ? 4 : 5
            case .text(let text):
                appendText(text, reference: reference, style: styleAttribute, into: &out)
                shown = Self.width(of: text)
            }
            if index < widths.count, shown > widths[index] { widths[index] = shown }
        }
        out += Array("</row>".utf8)
    }

    private func appendText(_ text: String, reference: String, style: String, into out: inout [UInt8]) {
        out += Array("<c r=\"\(reference)\"\(style) t=\"inlineStr\"><is>".utf8)
        let edges: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        let preserve = text.utf8.first.map(edges.contains) == true || text.utf8.last.map(edges.contains) == true
        out += Array((preserve ? "<t xml:space=\"preserve\">" : "<t>").utf8)
        XMLText.appendEscaped(text, into: &out)
        out += Array("</t></is></c>".utf8)
    }

    /// The spelling of a number cell for `number`, or nil when a double cannot hold it
    /// exactly in at most 15 significant digits (then it is written as text).
    static func numericText(_ number: JSONNumber) -> String? {
        guard let double = number.doubleValue, double.isFinite else { return nil }
        let text = XlsxCellText.shortest(double)
        guard let shortest = JSONNumber(text), shortest == number, shortest.canonical.digits.count <= 15 else { return nil }
        return text
    }

    /// A cell's display width: the longest line, in characters, capped.
    static func width(of text: String) -> Int {
        var longest = 0
        var current = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                longest = max(longest, current)
                current = 0
            } else {
                current += scalar.value >= 0x1100 && scalar.value < 0x1_F000 && scalar.value >= 0x2E80 ? 2 : 1
                if current > maximumWidth { return maximumWidth }
            }
        }
        return max(longest, current)
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
