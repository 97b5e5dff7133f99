/// What the number formats of a workbook's cell styles show a number as: a date, a time
/// of day, a duration, or a number (a spreadsheet stores a date or a time as a number of
/// days, and only its number format says it is one).
enum XlsxStyles {
    /// What a number format shows.
    enum Kind: Sendable, Equatable {
        case number
        /// A date (a year, month or day part, and no time of day).
        case date
        /// A date and a time of day (`yyyy-mm-dd h:mm:ss`): shown with its time even at midnight.
        case dateTime
        /// Only a time of day (hours, minutes, seconds, AM/PM).
        case time
        /// Elapsed time (`[h]:mm:ss`, `[mm]:ss`): hours past 24.
        case duration
    }

    /// Built-in number formats that are times of day (ECMA-376 18.8.30: `h:mm AM/PM`,
    /// `h:mm:ss AM/PM`, `h:mm`, `h:mm:ss`, `mm:ss`, `mmss.0`; 32 and 33 are `h"時"mm"分"`
    /// and the like in every East Asian locale).
    static let builtInTimeFormats: Set<Int> = Set(18...21).union([32, 33, 45, 47])
    /// The built-in elapsed-time format `[h]:mm:ss`.
    static let builtInDurationFormat = 46
    /// Built-in number formats that are dates or date-times (and the locale-dependent East
    /// Asian ones Excel also uses, which are dates in most locales).
    static let builtInDateFormats: Set<Int> = Set(14...17).union(27...31).union(34...36).union(50...58).union(71...81)

    /// The built-in date-time format `m/d/yy h:mm`.
    static let builtInDateTimeFormat = 22

    static func builtIn(_ id: Int) -> Kind {
        if builtInTimeFormats.contains(id) { return .time }
        if id == builtInDateTimeFormat { return .dateTime }
        if id == builtInDurationFormat { return .duration }
        return builtInDateFormats.contains(id) ? .date : .number
    }

    /// Per `cellXfs` entry (the `s` attribute of a cell): what its format shows.
    static func kinds(_ bytes: [UInt8]) throws(ZipError) -> [Kind] {
        var scanner = XMLScanner(bytes: bytes, part: "xl/styles.xml")
        var custom: [Int: Kind] = [:]
        var styles: [Kind] = []
        var inCellXfs = false
        while try scanner.next() != .eof {
            switch scanner.token {
            case .start:
                if scanner.isNamed("numFmt"), let id = scanner.attribute("numFmtId"), let code = scanner.attribute("formatCode"),
                    let number = Int(scanner.string(id))
                {
                    custom[number] = kind(ofFormat: scanner.string(code, escapes: false))
                } else if scanner.isNamed("cellXfs") {
                    inCellXfs = !scanner.selfClosing
                } else if inCellXfs, scanner.isNamed("xf") {
                    let id = scanner.attribute("numFmtId").flatMap { Int(scanner.string($0)) } ?? 0
                    styles.append(custom[id] ?? builtIn(id))
                }
            case .end:
                if scanner.isNamed("cellXfs") { inCellXfs = false }
            default:
                break
            }
        }
        return styles
    }

    /// What a format code shows, from its first section's parts outside quoted text,
    /// escapes and `[…]` sections (colours, conditions, locales): y or d make a date; h, s
    /// and AM/PM a time (both: a date-time); `m` is minutes right after an hour or before seconds, else the
    /// month; `[h]`, `[m]` or `[s]` make a duration.
    static func kind(ofFormat code: String) -> Kind {
        var inQuote = false
        var bracket: String?
        var escaped = false
        let section = code.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
        if section.lowercased() == "general" { return .number }
        var hasDate = false
        var hasTime = false
        var elapsed = false
        // Date and time letters in order (lower-cased, runs such as "mm" as one), for m.
        var parts: [Character] = []
        var previous: Character?
        let chars = Array(section)
        var skip = 0
        for (index, char) in chars.enumerated() {
            if skip > 0 {
                skip -= 1
                continue
            }
            if escaped {
                escaped = false
                previous = nil
                continue
            }
            if inQuote {
                if char == "\"" { inQuote = false }
                continue
            }
            if let open = bracket {
                if char == "]" {
                    let inside = open.lowercased()
                    if let first = inside.first, "hms".contains(first), inside.allSatisfy({ $0 == first }) {
                        elapsed = true
                        parts.append(first)
                    }
                    bracket = nil
                } else {
                    bracket = open + String(char)
                }
                continue
            }
            let lower = Character(char.lowercased())
            switch lower {
            case "\"": inQuote = true
            case "[": bracket = ""
            case "\\", "_", "*": escaped = true
            case "y", "d", "h", "m", "s":
                if lower != previous { parts.append(lower) }
            case "a":
                // AM/PM and A/P (whose M and P are no month or minute)
                for marker in ["am/pm", "a/p"] where String(chars[index...].prefix(marker.count)).lowercased() == marker {
                    hasTime = true
                    skip = marker.count - 1
                    break
                }
            default: break
            }
            previous = ["y", "d", "h", "m", "s"].contains(lower) ? lower : nil
        }
        for (index, part) in parts.enumerated() {
            switch part {
            case "y", "d": hasDate = true
            case "h", "s": hasTime = true
            default:  // m: minutes after an hour or before seconds, else the month
                let minutes = (index > 0 && parts[index - 1] == "h") || (index + 1 < parts.count && parts[index + 1] == "s")
                if minutes { hasTime = true } else { hasDate = true }
            }
        }
        if hasDate { return hasTime ? .dateTime : .date }
        if elapsed { return .duration }
        return hasTime ? .time : .number
    }
}
