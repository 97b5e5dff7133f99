/// Reads a JSONL file that `export labels` wrote into stored labels (``StoredLabels``,
/// canonical) by run, each line read by ``GoldLabelScanner`` without building it: the
/// fast path of `export labels --dry-run`, which compares such a file with the server.
///
/// Only a file every line of which is a label as the server sends it, and a row import
/// would accept as it is (UUIDs, a name, not both values, the partial flag only with an
/// object), is read this way. Anything else gives nil, and the caller reads the file with
/// import's reader, which names each problem.
package enum ExportFileScanner {
    /// The labels of the file by run (lower-cased run ids), with each label's line; nil
    /// when the file is not read this way.
    package static func read(path: String) -> [String: (run: CompactRun.Builder, lines: [Int])]? {
        guard path != "-", let source = try? ByteSource(path: path, chunkSize: LabelInputOptions.defaultChunkSize) else { return nil }
        var reader = JSONLReader(source: source, file: path)
        var scanner = GoldLabelScanner()
        var runs: [String: (run: CompactRun.Builder, lines: [Int])] = [:]
        var values: [UInt8] = []
        while let event = reader.next() {
            guard case .line(let number, _) = event else { return nil }
            let read = reader.currentLine.withUnsafeBytes { line in
                scanner.scan(line) { label -> Bool in
                    let runID = String(decoding: label.runID, as: UTF8.self)
                    let id = String(decoding: label.id, as: UTF8.self)
                    let hasText = label.valueText(GoldLabelScanner.textValue) != nil
                    let hasObject = label.valueText(GoldLabelScanner.objectValue) != nil
                    let hasPartial = label.valueText(GoldLabelScanner.objectValueIsPartial) != nil
                    guard UUIDText.isValid(runID), UUIDText.isValid(id), !label.outputResourceName.isEmpty,
                          !(hasText && hasObject), !hasPartial || hasObject else { return false }
                    values.removeAll(keepingCapacity: true)
                    StoredLabels.canonicalValues(label, into: &values)
                    let run = UUIDText.normalized(runID)
                    if runs[run] == nil { runs[run] = (CompactRun.Builder(body: .asSent), []) }
                    values.withUnsafeBytes { body in
                        runs[run]!.run.add(
                            body: body, runID: run, name: String(decoding: label.outputResourceName, as: UTF8.self),
                            id: UUIDText.normalized(id))
                    }
                    runs[run]!.lines.append(number)
                    return true
                }
            }
            guard read == true else { return nil }
        }
        return runs
    }
}
