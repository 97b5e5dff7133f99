import Foundation
import LabelPortCore

/// `labelport-bench xlsx [--rows N] [--export-only]`: `validate` of an N-row × 5-column workbook against
/// python-calamine reading it, then `export labels` of N labels (11 columns) against
/// XlsxWriter (constant memory) writing the same cells (``XlsxExportBench``); each in a
/// fresh process (whole-process wall time and peak RSS). The Python side is
/// scripts/bench_xlsx.py, run with .venv-bench/bin/python (made on first use).
enum XlsxBench {
    static func run(_ arguments: [String]) async throws {
        var rows = 100_000
        if let i = arguments.firstIndex(of: "--rows"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) { rows = n }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labelport-bench-xlsx-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
        say("xlsx: \(rows) rows; whole-process wall time, best of 3; peak RSS; load average \(load) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
        if arguments.contains("--export-only") {
            try XlsxExportBench.run(rows: rows, directory: directory)
            return
        }
        let path = directory.appendingPathComponent("labels.xlsx").path
        let size = try generate(rows: rows, path: path)
        say("validate:  a workbook of \(rows) rows × 5 columns, \(size / 1024) KiB")
        let swift = try best { try ValidateBench.capture("/proc/self/exe", ["validate-measure", path]) }
        let python = try best { try ValidateBench.capture(pythonPath, [scriptPath, "calamine", path]) }
        say(String(format: "           labelport %.2f s, %.1f MB (rows %d, errors %d) | python-calamine %.2f s, %.1f MB | ratio %.2f",
                     swift.wall, Double(swift.measurement.peakKB) / 1024, swift.measurement.rows, swift.measurement.errors,
                     python.wall, Double(python.measurement.peakKB) / 1024, swift.wall / python.wall))
        try XlsxExportBench.run(rows: rows, directory: directory)
    }

    static var root: String {
        var root = #filePath
        for _ in 0..<3 { root = (root as NSString).deletingLastPathComponent }
        return root
    }

    static var scriptPath: String { root + "/scripts/bench_xlsx.py" }

    /// `.venv-bench`'s python with python-calamine and XlsxWriter (made on first use), else python3.
    static let pythonPath: String = BenchVenv.ensure(["python-calamine": "python_calamine", "xlsxwriter": "xlsxwriter"]) ?? "/usr/bin/python3"

    /// The fastest of three runs by whole-process wall time.
    static func best(_ body: () throws -> String) throws -> (wall: Double, measurement: ValidateBench.Measurement) {
        var results: [(Double, ValidateBench.Measurement)] = []
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let output = try body()
            let elapsed = ContinuousClock.now - start
            results.append((elapsed.inSeconds,
                            ValidateBench.Measurement(parsing: output)))
        }
        return results.min { $0.0 < $1.0 }!
    }

    /// Writes an N-row × 5-column workbook with typed cells (text, numbers, booleans).
    static func generate(rows: Int, path: String) throws -> Int {
        let header = ["run_id", "output_resource_name", "object_value.label", "object_value.score:number", "object_value.ok:boolean"]
        let cells = (0..<rows).lazy.map { i -> [ExportCell?] in
            [.text(ValidateBench.runs[i % 2]), .text("doc-\(i).pdf"), .text(["cat", "dog", "bird"][i % 3]),
             .number(JSONNumber("0.\(i % 97)1")!), .bool(i % 2 == 0)]
        }
        var bytes: [UInt8] = []
        try XlsxWriter(sheetName: "labels").write(header: header, rows: cells) { bytes += $0 }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw BenchError("cannot write \(path)") }
        return bytes.count
    }

    /// Hidden case: encode N generated labels as xlsx to PATH (no fetching), print one
    /// line; for profiling the encoder alone.
    static func exportHere(_ arguments: [String]) async throws {
        guard arguments.count == 2, let rows = Int(arguments[0]) else { throw BenchError("usage: xlsx-export-measure ROWS PATH") }
        let clock = ContinuousClock()
        let start = clock.now
        let labels = (0..<rows).map { i in
            GoldLabel(
                id: "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - String(i).count) + String(i),
                accountID: "acc-1", runID: "123e4567-e89b-12d3-a456-426614174000", outputResourceName: "doc-\(i).pdf",
                objectValue: JSONObject([("label", .string("value \(i)")), ("score", .number(JSONNumber("0.\(i % 97)1")!)),
                                         ("tags", .array([.string("a"), .string("b"), .number(JSONNumber(i))]))]),
                objectValueIsPartial: false, createdBy: "user-1", createdAt: "2024-01-01T00:00:00Z",
                updatedBy: "user-1", updatedAt: "2024-01-02T00:00:00Z")
        }
        let writer = try AtomicFileWriter(path: arguments[1])
        try ExportEncoder<GoldLabel>(format: .xlsx, sheetName: "labels").writeDocument(labels) { try writer.write($0) }
        try writer.commit()
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        print("rows=\(rows) errors=0 seconds=\(seconds) cpu=0 hwm_kb=\(ValidateBench.peakRSSKilobytes())")
    }
}
