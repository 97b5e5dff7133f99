/// Which cell styles of a workbook show numbers as dates (a spreadsheet stores a date as
/// a number of days, and only its number format says it is one).
enum XlsxStyles {
    /// Built-in number formats that are dates or times (ECMA-376 18.8.30, and the East
    /// Asian ones Excel also uses).
    static let builtInDateFormats: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58).union(71...81)

    /// Per `cellXfs` entry (the `s` attribute of a cell): whether its format is a date.
    static func dateStyles(_ bytes: [UInt8]) throws(ZipError) -> [Bool] {
        var scanner = XMLScanner(bytes: bytes, part: "xl/styles.xml")
        var customDates: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        while try scanner.next() != .eof {
            switch scanner.token {
            case .start:
                if scanner.isNamed("numFmt"), let id = scanner.attribute("numFmtId"), let code = scanner.attribute("formatCode"),
                    let number = Int(scanner.string(id))
                {
                    customDates[number] = isDateFormat(scanner.string(code))
                } else if scanner.isNamed("cellXfs") {
                    inCellXfs = !scanner.selfClosing
                } else if inCellXfs, scanner.isNamed("xf") {
                    let id = scanner.attribute("numFmtId").flatMap { Int(scanner.string($0)) } ?? 0
                    styles.append(customDates[id] ?? builtInDateFormats.contains(id))
                }
            case .end:
                if scanner.isNamed("cellXfs") { inCellXfs = false }
            default:
                break
            }
        }
        return styles
    }

    /// Whether a format code shows a date or time: it has y, m, d, h or s outside quoted
    /// text, escapes and `[…]` sections (colours, conditions; `[h]` elapsed time is not a date).
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var escaped = false
        let section = code.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
        if section.lowercased() == "general" { return false }
        for char in section {
            if escaped {
                escaped = false
                continue
            }
            if inQuote {
                if char == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if char == "]" { inBracket = false }
                continue
            }
            switch char {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": return true
            default: break
            }
        }
        return false
    }
}
