/// How spreadsheet values are spelled as text: numbers, dates, cell names.
enum XlsxCellText {
    /// The shortest decimal spelling that reads back as `number`, as JSON number text:
    /// `42`, `0.5`, `1e+20`, `-3.25e-07`.
    static func shortest(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 {
            return number == 0 ? "0" : String(Int64(number))
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        if let e = text.firstIndex(of: "e"), text[..<e].hasSuffix(".0") {
            text.removeSubrange(text.index(e, offsetBy: -2)..<e)
        }
        return text
    }

    /// A date serial as `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS[.sss]` when it has a time
    /// of day (rounded to the millisecond) or `withTime` (a date-time format, which shows
    /// midnight as `T00:00:00`). The 1900 system counts Excel's phantom
    /// 1900-02-29 (serial 60); the 1904 system counts from 1904-01-01.
    static func date(serial: Double, date1904: Bool, withTime: Bool = false) -> String {
        let milliseconds = Int64((serial * 86_400_000).rounded())
        var days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        let ofDay = milliseconds - days * 86_400_000
        // Days from 1970-01-01 to the system's day 0.
        if date1904 {
            days += -24_107
        } else {
            days += days < 60 ? -25_568 : -25_569
        }
        let (year, month, day) = civil(fromDays: days)
        let text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        return ofDay == 0 && !withTime ? text : text + "T" + clock(milliseconds: ofDay)
    }

    /// An ISO 8601 date cell (`t="d"`, written by a few programs) in the form a date serial
    /// gives: `YYYY-MM-DD` at midnight, else `YYYY-MM-DDTHH:MM:SS[.sss]` (rounded to the
    /// millisecond; `withTime`: always with its time, as for a date-time format); a `Z`
    /// (UTC, as a sheet's dates have no zone) is dropped. Text in another form is kept as it is.
    static func isoDate(_ text: String, withTime: Bool = false) -> String {
        var bytes = Array(text.utf8)
        if bytes.count > 10, bytes.last == UInt8(ascii: "Z") { bytes.removeLast() }
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, bytes[range].allSatisfy({ $0 &- 0x30 < 10 }) else { return nil }
            return bytes[range].reduce(Int64(0)) { $0 * 10 + Int64($1 - 0x30) }
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              number(0..<4) != nil, number(5..<7) != nil, number(8..<10) != nil else { return text }
        let date = String(decoding: bytes[0..<10], as: UTF8.self)
        if bytes.count == 10 { return withTime ? date + "T00:00:00" : date }
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
              let hours = number(11..<13), let minutes = number(14..<16) else { return text }
        var seconds: Int64 = 0
        var fraction = 0.0
        if bytes.count > 16 {
            guard bytes.count >= 19, bytes[16] == UInt8(ascii: ":"), let whole = number(17..<19) else { return text }
            seconds = whole
            if bytes.count > 19 {
                // Digits past the ninth cannot change the millisecond.
                let shown = min(bytes.count, 29)
                guard bytes[19] == UInt8(ascii: "."), bytes.count > 20, bytes[20...].allSatisfy({ $0 &- 0x30 < 10 }),
                      let digits = number(20..<shown) else { return text }
                fraction = Double(digits) / pow10(shown - 20)
            }
        }
        guard hours < 24, minutes < 60, seconds < 60 else { return text }
        let ofDay = (hours * 3600 + minutes * 60 + seconds) * 1000 + Int64((fraction * 1000).rounded())
        guard ofDay < 86_400_000 else { return text }
        return ofDay == 0 && !withTime ? date : date + "T" + clock(milliseconds: ofDay)
    }

    private static func pow10(_ n: Int) -> Double {
        (0..<n).reduce(1.0) { value, _ in value * 10 }
    }

    /// A serial shown with a time-only format as the time of day, ISO 8601 `HH:MM:SS[.sss]`
    /// (rounded to the millisecond): a format without a date shows only the time, whatever
    /// day the serial falls on.
    static func time(serial: Double) -> String {
        let milliseconds = Int64((serial * 86_400_000).rounded())
        let ofDay = milliseconds % 86_400_000
        return clock(milliseconds: ofDay < 0 ? ofDay + 86_400_000 : ofDay)
    }

    /// A serial shown with an elapsed-time format (`[h]:mm:ss`) as a duration: hours past
    /// 24 kept, `30:00:00`, `-01:30:00`, `100:00:00.500`.
    static func duration(serial: Double) -> String {
        let milliseconds = Int64((serial * 86_400_000).rounded())
        return (milliseconds < 0 ? "-" : "") + clock(milliseconds: abs(milliseconds))
    }

    /// `HH:MM:SS[.sss]` for a non-negative count of milliseconds (hours not wrapped).
    private static func clock(milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        var text = pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if milliseconds % 1000 != 0 { text += "." + pad(milliseconds % 1000, 3) }
        return text
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }

    /// (year, month, day) of a day count from 1970-01-01 (the one calendar conversion: ``HTTPDate``'s).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let (year, month, day) = HTTPDate.civilFromDays(Int(days))
        return (Int64(year), Int64(month), Int64(day))
    }

    /// `A`, `Z`, `AA`… for a 0-based column.
    static func columnLetters(_ column: Int) -> String {
        var n = column + 1
        var letters: [UInt8] = []
        while n > 0 {
            let rest = (n - 1) % 26
            letters.append(UInt8(0x41 + rest))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `C7` for column 2 (0-based), row 7.
    static func cellName(column: Int, row: Int) -> String {
        columnLetters(column) + String(row)
    }
}
