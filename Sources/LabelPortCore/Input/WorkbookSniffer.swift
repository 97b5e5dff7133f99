/// Recognises spreadsheet files by their bytes, whatever their name: an .xlsx workbook
/// is read as one; other workbooks (and other zip files) are refused with what to save
/// them as, instead of being read as garbled CSV or JSONL.
enum WorkbookSniffer {
    enum Kind: Equatable {
        case xlsx
        case refused(String)
    }

    /// What the file at `path` is, when its first bytes say it is a workbook or a zip; nil otherwise.
    static func sniff(path: String) -> Kind? {
        guard path != "-" else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var head = [UInt8](repeating: 0, count: 8)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, 0) }
        close(fd)
        guard n == 8 else { return nil }
        if head == oleMagic { return .refused(xlsAdvice) }
        guard head.starts(with: zipMagic) else { return nil }
        guard let archive = try? ZipArchive(path: path) else {
            return .refused("a damaged zip file (is it a whole .xlsx workbook?)")
        }
        return kind(of: archive)
    }

    /// Like ``sniff(path:)``, for bytes in memory.
    static func sniff(bytes: [UInt8]) -> Kind? {
        if bytes.starts(with: oleMagic) { return .refused(xlsAdvice) }
        guard bytes.starts(with: zipMagic) else { return nil }
        guard let archive = try? ZipArchive(bytes: bytes) else {
            return .refused("a damaged zip file (is it a whole .xlsx workbook?)")
        }
        return kind(of: archive)
    }

    /// True when `head` (a file's first bytes) starts as a zip or an OLE file does.
    static func mayBeWorkbook(_ head: [UInt8]) -> Bool {
        head.starts(with: zipMagic) || head.starts(with: oleMagic)
    }

    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static let xlsAdvice = "an Excel 97-2003 workbook (.xls), or a password-protected one, which labelport cannot read: "
        + "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx) without a password, or as CSV UTF-8"

    private static func kind(of archive: ZipArchive) -> Kind {
        // Part names as packages compare them (zips made on Windows may name `xl\workbook.xml`).
        let names = Set(archive.entries.map { ZipArchive.partKey($0.name) })
        if names.contains("xl/workbook.xml") || names.contains("[content_types].xml") && names.contains(where: { $0.hasPrefix("xl/") }) {
            return .xlsx
        }
        if let mimetype = archive.entry(named: "mimetype"), let bytes = try? archive.contents(of: mimetype, limit: 200) {
            let type = String(decoding: bytes, as: UTF8.self)
            if type.contains("opendocument.spreadsheet") {
                return .refused("an OpenDocument spreadsheet (.ods), which labelport cannot read: in LibreOffice, "
                    + "File > Save As… and choose Excel 2007-365 (.xlsx), or Text CSV with UTF-8")
            }
            if type.contains("opendocument") {
                return .refused("an OpenDocument file that is not a spreadsheet: save the table as .xlsx or CSV UTF-8")
            }
        }
        if names.contains(where: { $0.hasPrefix("index/") || $0 == "index.zip" }) {
            return .refused("an Apple Numbers document, which labelport cannot read: in Numbers, File > Export To > "
                + "Excel… (.xlsx) or CSV… (Unicode UTF-8)")
        }
        if names.contains("word/document.xml") || names.contains(where: { $0.hasPrefix("ppt/") }) {
            return .refused("a Word or PowerPoint document, not a spreadsheet: put the labels in an .xlsx sheet or a CSV file")
        }
        return .refused("a zip file, not a spreadsheet: unzip it and give labelport the .csv, .jsonl or .xlsx file inside")
    }
}
