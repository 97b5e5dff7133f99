/// The XML of one worksheet, a row at a time, written straight as bytes: inline strings
/// for text, number cells when a double holds the number exactly in at most 15
/// significant digits (otherwise text with every digit), boolean cells. Also the
/// column widths that fit the cells, measured in a pass of their own.
struct XlsxSheetXML {
    /// Width bounds, in characters.
    static let minimumWidth = 6
    static let maximumWidth = 60
    /// A measured width at which the column is as wide as it gets (the width written is
    /// the measured one plus 1, at most ``maximumWidth``): later cells need no measuring.
    private static let saturatedWidth = maximumWidth - 1

    /// `<c r="LETTERS` for each column.
    private let cellPrefixes: [[UInt8]]

    init(columns: Int) {
        cellPrefixes = (0..<columns).map { Array(("<c r=\"" + XlsxCellText.columnLetters($0)).utf8) }
    }

    /// The measured widths of `header` (bold: 2 more) and `rows`: the widest cell of each
    /// column, in characters (uncapped; ``start(widths:rows:)`` caps them).
    static func widths(header: [String], rows: some Sequence<[ExportCell?]>) -> [Int] {
        var widths = header.map { width(of: $0) + 2 }
        var open = widths.indices.filter { widths[$0] < saturatedWidth }
        for row in rows {
            guard !open.isEmpty else { break }
            var saturated = false
            for index in open where index < row.count {
                guard let cell = row[index] else { continue }
                let shown: Int
                switch cell {
                case .number(let number): shown = numericText(number)?.utf8.count ?? number.literal.utf8.count
                case .bool(let flag): shown = flag ? 4 : 5
                case .text(let text): shown = width(of: text)
                }
                if shown > widths[index] {
                    widths[index] = shown
                    saturated = saturated || shown >= saturatedWidth
                }
            }
            if saturated { open.removeAll { widths[$0] >= saturatedWidth } }
        }
        return widths
    }

    /// Everything before the first row: the dimension (`rows` rows, the header
    /// included), the frozen header pane, the column widths.
    func start(widths: [Int], rows: Int) -> [UInt8] {
        var out = Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            """.utf8)
        let lastCell = XlsxCellText.cellName(column: max(0, cellPrefixes.count - 1), row: rows)
        out += Array("<dimension ref=\"A1:\(lastCell)\"/>".utf8)
        out += Array(("<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">"
            + "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            + "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
            + "<sheetFormatPr defaultRowHeight=\"15\"/>").utf8)
        if !widths.isEmpty {
            out += Array("<cols>".utf8)
            for (index, width) in widths.enumerated() {
                let clamped = min(Self.maximumWidth, max(Self.minimumWidth, width + 1))
                out += Array("<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(clamped)\" customWidth=\"1\"/>".utf8)
            }
            out += Array("</cols>".utf8)
        }
        out += Array("<sheetData>".utf8)
        return out
    }

    /// What follows the last row.
    static let end = Array("</sheetData></worksheet>".utf8)

    /// Appends row `number` (1-based) of `cells`; `bold` uses the bold style (the header's).
    func appendRow(_ number: Int, _ cells: [ExportCell?], bold: Bool, into out: inout [UInt8]) {
        var digits: [UInt8] = []
        Self.appendDecimal(number, into: &digits)
        out += Self.rowOpen
        out += digits
        out += Self.quoteClose
        for (index, cell) in cells.enumerated() {
            guard let cell, index < cellPrefixes.count else { continue }
            out += cellPrefixes[index]
            out += digits
            out.append(UInt8(ascii: "\""))
            if bold { out += Self.boldStyle }
            switch cell {
            case .number(let number):
                if let text = Self.numericText(number) {
                    out += Self.numberOpen
                    out += text.utf8
                    out += Self.valueClose
                } else {
                    appendText(number.literal, into: &out)
                }
            case .bool(let flag):
                out += flag ? Self.trueCell : Self.falseCell
            case .text(let text):
                appendText(text, into: &out)
            }
        }
        out += Self.rowClose
    }

    /// The rest of a text cell after its `<c r="…"` (and style).
    private func appendText(_ text: String, into out: inout [UInt8]) {
        let edges: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let preserve = text.utf8.first.map(edges) == true || text.utf8.last.map(edges) == true
        out += preserve ? Self.textOpenPreserving : Self.textOpen
        XMLText.appendEscaped(text, into: &out)
        out += Self.textClose
    }

    private static let rowOpen = Array("<row r=\"".utf8)
    private static let quoteClose = Array("\">".utf8)
    private static let rowClose = Array("</row>".utf8)
    private static let boldStyle = Array(" s=\"1\"".utf8)
    private static let numberOpen = Array("><v>".utf8)
    private static let valueClose = Array("</v></c>".utf8)
    private static let trueCell = Array(" t=\"b\"><v>1</v></c>".utf8)
    private static let falseCell = Array(" t=\"b\"><v>0</v></c>".utf8)
    private static let textOpen = Array(" t=\"inlineStr\"><is><t>".utf8)
    private static let textOpenPreserving = Array(" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8)
    private static let textClose = Array("</t></is></c>".utf8)

    static func appendDecimal(_ value: Int, into out: inout [UInt8]) {
        precondition(value >= 0)
        if value >= 10 { appendDecimal(value / 10, into: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The spelling of a number cell for `number`, or nil when a double cannot hold it
    /// exactly in at most 15 significant digits (then it is written as text).
    static func numericText(_ number: JSONNumber) -> String? {
        if isShortInteger(number.literal) { return number.literal }
        guard let double = number.doubleValue, double.isFinite else { return nil }
        let text = XlsxCellText.shortest(double)
        guard let shortest = JSONNumber(text), shortest == number, shortest.canonical.digits.count <= 15 else { return nil }
        return text
    }

    /// An integer of 1 to 15 digits without leading zeros (not `-0`): its own shortest spelling.
    private static func isShortInteger(_ literal: String) -> Bool {
        if literal == "0" { return true }
        var digits = literal.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard let first = digits.first, first != UInt8(ascii: "0"), digits.count <= 15 else { return false }
        return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// A cell's display width: the longest line, in characters, capped.
    static func width(of text: String) -> Int {
        if let ascii = asciiWidth(text) { return ascii }
        var longest = 0
        var current = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                longest = max(longest, current)
                current = 0
            } else {
                current += scalar.value >= 0x2E80 && scalar.value < 0x1_F000 ? 2 : 1
                if current > maximumWidth { return maximumWidth }
            }
        }
        return max(longest, current)
    }

    /// The width of one line of ASCII text, without decoding it; nil for anything else.
    private static func asciiWidth(_ text: String) -> Int? {
        let width: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte >= 0x80 || byte == 0x0A { return nil }
            return min(bytes.count, maximumWidth)
        }
        return width ?? nil
    }
}
