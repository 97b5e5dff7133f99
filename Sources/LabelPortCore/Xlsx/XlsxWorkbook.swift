/// An .xlsx workbook opened for reading: its sheet names (and which are hidden), shared
/// strings, which cell styles are dates, times or durations, and its date system. Sheets are then read row by row with
/// ``XlsxSheetReader``.
final class XlsxWorkbook {
    struct Sheet: Sendable, Equatable {
        var name: String
        var path: String
        /// `state="hidden"` or `"veryHidden"`: the sheet's tab is not shown.
        var hidden = false
    }

    let archive: ZipArchive
    private(set) var sheets: [Sheet] = []
    /// Sheets that hold no table (chart sheets, dialog sheets), by name: not read.
    private(set) var otherSheets: [String] = []
    private(set) var sharedStrings: [String] = []
    /// Per cell style (`s` attribute): what it shows a number as.
    private(set) var styles: [XlsxStyles.Kind] = []
    private(set) var date1904 = false

    convenience init(path: String) throws(ZipError) {
        try self.init(archive: ZipArchive(path: path))
    }

    convenience init(bytes: [UInt8]) throws(ZipError) {
        try self.init(archive: ZipArchive(bytes: bytes))
    }

    init(archive: ZipArchive) throws(ZipError) {
        self.archive = archive
        let workbookPath = try officeDocumentPath()
        guard let workbook = archive.entry(named: workbookPath) else {
            throw ZipError("not an .xlsx workbook (a zip file without xl/workbook.xml)")
        }
        let relations = try self.relations(of: workbookPath)
        try readWorkbook(workbook, relations: relations)
        guard !sheets.isEmpty else { throw ZipError("the workbook has no sheets") }
        for (type, target) in relations.values {
            if type.hasSuffix("/sharedStrings"), let entry = archive.entry(named: target) {
                sharedStrings = try Self.readSharedStrings(archive.contents(of: entry))
            } else if type.hasSuffix("/styles"), let entry = archive.entry(named: target) {
                styles = try XlsxStyles.kinds(archive.contents(of: entry))
            }
        }
    }

    func sheet(named name: String?) -> Sheet? {
        guard let name else { return sheets.first }
        return sheets.first { $0.name == name }
    }

    /// Rows of `sheet`, streamed.
    func rows(of sheet: Sheet) throws(ZipError) -> XlsxSheetReader {
        guard let entry = archive.entry(named: sheet.path) else {
            throw ZipError("the sheet \"\(sheet.name)\" is missing from the workbook (\(sheet.path))")
        }
        let scanner = XMLScanner(stream: try archive.stream(entry), part: sheet.path)
        return XlsxSheetReader(scanner: scanner, sharedStrings: sharedStrings, styles: styles, date1904: date1904)
    }

    private func officeDocumentPath() throws(ZipError) -> String {
        guard let entry = archive.entry(named: "_rels/.rels") else { return "xl/workbook.xml" }
        for (type, target) in try relations(in: archive.contents(of: entry), base: "").values
        where type.hasSuffix("/officeDocument") {
            return target
        }
        return "xl/workbook.xml"
    }

    /// The relationships of the part at `path`: id → (type, target path in the zip).
    private func relations(of path: String) throws(ZipError) -> [String: (String, String)] {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let file = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let entry = archive.entry(named: directory + "_rels/" + file + ".rels") else { return [:] }
        return try relations(in: archive.contents(of: entry), base: directory)
    }

    private func relations(in bytes: [UInt8], base: String) throws(ZipError) -> [String: (String, String)] {
        var scanner = XMLScanner(bytes: bytes, part: "relationships")
        var result: [String: (String, String)] = [:]
        while try scanner.next() != .eof {
            guard scanner.token == .start, scanner.isNamed("Relationship"),
                let id = scanner.attribute("Id"), let target = scanner.attribute("Target")
            else { continue }
            let type = scanner.attribute("Type").map { scanner.string($0) } ?? ""
            result[scanner.string(id)] = (type, Self.resolve(scanner.string(target), base: base))
        }
        return result
    }

    /// A relationship target as a zip entry name: absolute (`/xl/…`) or relative to `base`.
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for part in target.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }

    private func readWorkbook(_ entry: ZipArchive.Entry, relations: [String: (String, String)]) throws(ZipError) {
        var scanner = XMLScanner(bytes: try archive.contents(of: entry), part: entry.name)
        while try scanner.next() != .eof {
            guard scanner.token == .start else { continue }
            if scanner.isNamed("workbookPr"), let value = scanner.attribute("date1904") {
                let text = scanner.string(value).lowercased()
                date1904 = text == "1" || text == "true"
            } else if scanner.isNamed("sheet"), let name = scanner.attribute("name"), let id = scanner.attribute("id", anyPrefix: true) {
                let relation = relations[scanner.string(id)]
                let path = relation?.1 ?? "xl/worksheets/sheet\(sheets.count + 1).xml"
                if let type = relation?.0, !type.hasSuffix("/worksheet") {  // chartsheets, dialog sheets
                    otherSheets.append(scanner.string(name, escapes: true))
                    continue
                }
                let state = scanner.attribute("state").map { scanner.string($0) } ?? "visible"
                sheets.append(Sheet(name: scanner.string(name, escapes: true), path: path, hidden: state != "visible"))
            }
        }
    }

    /// The shared string table: each `<si>`'s text, rich-text runs joined, phonetic runs left out.
    static func readSharedStrings(_ bytes: [UInt8]) throws(ZipError) -> [String] {
        var scanner = XMLScanner(bytes: bytes, part: "xl/sharedStrings.xml")
        var strings: [String] = []
        var current = ""
        var inText = false
        var phonetic = 0
        while try scanner.next() != .eof {
            switch scanner.token {
            case .start:
                if scanner.isNamed("si") {
                    current = ""
                    if scanner.selfClosing { strings.append("") }
                } else if scanner.isNamed("t") {
                    inText = !scanner.selfClosing && phonetic == 0
                } else if scanner.isNamed("rPh") {
                    if !scanner.selfClosing { phonetic += 1 }
                }
            case .end:
                if scanner.isNamed("si") {
                    strings.append(current)
                } else if scanner.isNamed("t") {
                    inText = false
                } else if scanner.isNamed("rPh") {
                    phonetic -= 1
                }
            case .text:
                if inText { current += scanner.string(scanner.body, escapes: true) }
            case .eof:
                break
            }
        }
        return strings
    }
}
