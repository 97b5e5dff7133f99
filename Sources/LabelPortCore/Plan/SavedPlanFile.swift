/// Writes a ``SavedPlan`` as it is planned, one write at a time, so a large plan is never
/// held in memory; the file appears whole on ``commit()`` or not at all.
package final class SavedPlanWriter {
    package let path: String
    private let file: AtomicFileWriter
    private var writes = 0
    /// Existing labels already written to by an earlier entry (lower-cased ids).
    private var touched: Set<String> = []

    package init(path: String, head plan: SavedPlan) throws(FileError) {
        self.path = path
        file = try AtomicFileWriter(path: path, mode: 0o600)  // label values, for the user alone
        var bytes: [UInt8] = []
        JSONWriter().write(plan.headJSON, into: &bytes)
        bytes.removeLast()  // the closing brace: the writes follow
        bytes.append(contentsOf: Array(",\"writes\":[".utf8))
        try file.write(bytes)
    }

    /// Adds the row's write, if it has one.
    package func add(_ row: PlannedRow) throws(FileError) {
        let firstTouch = row.labelID.map { touched.insert($0.lowercased()).inserted } ?? true
        guard let write = SavedPlan.Write(row, firstTouch: firstTouch) else { return }
        var bytes: [UInt8] = Array((writes == 0 ? "\n" : ",\n").utf8)
        JSONWriter().write(write.json, into: &bytes)
        try file.write(bytes)
        writes += 1
    }

    package func commit() throws(FileError) {
        try file.write(Array("\n]}\n".utf8))
        try file.commit()
    }

    package func abort() { file.abort() }
}

extension SavedPlan {
    /// Reads a plan file; a problem is `FILE: message` (or `FILE: write N: message`).
    package static func read(_ path: String) throws(RecordFormatError) -> SavedPlan {
        let bytes: [UInt8]
        do { bytes = try FileText.readBytes(path) } catch { throw RecordFormatError(error.description) }
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(bytes) } catch {
            // A plan's head names its format first: one that does is a plan cut short or damaged.
            if String(decoding: bytes.prefix(64), as: UTF8.self).contains("\"\(format)\"") {
                throw RecordFormatError("\(path): the plan is cut short or damaged (\(error)); make it again with import --dry-run --plan-out")
            }
            throw RecordFormatError("\(path): not a labelport plan (save one with import --dry-run --plan-out)")
        }
        guard case .object(let object) = parsed, object["format"] == .string(format) else {
            throw RecordFormatError("\(path): not a labelport plan (save one with import --dry-run --plan-out)")
        }
        do throws(RecordFormatError) {
            let version = try object.int("version")
            guard version == currentVersion else { throw RecordFormatError("plan version \(version) is not one this labelport reads (\(currentVersion))") }
            let modeText = try object.string("mode")
            guard let mode = ImportMode(rawValue: modeText) else { throw RecordFormatError("unknown mode \"\(modeText)\"") }
            let input = try object.optionalObject("input") ?? JSONObject()
            var plan = SavedPlan(
                baseURL: try object.string("base_url"), createdAt: try object.string("created_at"), mode: mode,
                inputName: try input.optionalString("name") ?? "", inputSHA256: try input.optionalString("sha256") ?? "")
            guard case .array(let writes)? = object["writes"] else { throw RecordFormatError("\"writes\" must be an array") }
            for (index, value) in writes.enumerated() {
                guard case .object(let entry) = value else { throw RecordFormatError("write \(index + 1): not an object") }
                do throws(RecordFormatError) {
                    plan.writes.append(try Write(json: entry))
                } catch {
                    throw RecordFormatError("write \(index + 1): \(error.message)")
                }
            }
            return plan
        } catch {
            throw RecordFormatError("\(path): \(error.message)")
        }
    }
}
