import Foundation
import LabelPortCore

/// `labelport-bench validate [--rows N]`: throughput and peak memory of the validate code
/// path on generated CSV and JSONL, against the same parse and checks in Python
/// (scripts/bench_validate.py). Each measurement runs in a fresh child process, since
/// peak RSS (VmHWM) is process-wide.
enum ValidateBench {
    static func run(_ arguments: [String]) async throws {
        var rows = 200_000
        if let i = arguments.firstIndex(of: "--rows"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) { rows = n }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labelport-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        print("validate: \(rows) rows, mixed text and object rows, quoted commas and line breaks, unicode")
        print("throughput from CPU time (user+sys, best of 3 fresh processes; wall time in brackets: the machine is shared)")
        print("format  size      labelport: MB/s  rows/s          peak RSS  | python: MB/s  rows/s  | speed-up (wall)")
        for format in [InputFormat.csv, .jsonl] {
            let path = directory.appendingPathComponent("labels.\(format.rawValue)").path
            let size = try generate(format: format, rows: rows, path: path)
            let swift = try measureInChild(path)
            let python = try measurePython(path)
            guard swift.rows == rows, python.rows == rows, swift.errors == 0, python.errors == 0 else {
                print("mismatch: labelport \(swift), python \(python)")
                continue
            }
            let mb = Double(size) / 1_048_576
            print(
                pad(format.rawValue, 7) + pad(String(format: "%.1f MB", mb), 10)
                    + pad(String(format: "%.1f", mb / swift.cpu), 17, right: true)
                    + pad(String(format: "%.0f", Double(rows) / swift.cpu), 9, right: true)
                    + pad(String(format: "%.1f MB", Double(swift.peakKB) / 1024), 18, right: true) + "  |"
                    + pad(String(format: "%.1f", mb / python.cpu), 13, right: true)
                    + pad(String(format: "%.0f", Double(rows) / python.cpu), 8, right: true) + "  |"
                    + pad(String(format: "%.2f× (%.2f×)", python.cpu / swift.cpu, python.seconds / swift.seconds), 16, right: true))
            try? FileManager.default.removeItem(atPath: path)
        }
        print("memory: peak RSS for 100,000 vs 1,000,000 rows (each in a fresh process)")
        for format in [InputFormat.csv, .jsonl] {
            var peaks: [Int] = []
            for n in [100_000, 1_000_000] {
                let path = directory.appendingPathComponent("memory-\(n).\(format.rawValue)").path
                _ = try generate(format: format, rows: n, path: path)
                peaks.append(try measureInChild(path).peakKB)
                try? FileManager.default.removeItem(atPath: path)
            }
            print(String(
                format: "%@: %.1f MB vs %.1f MB (ratio %.2f)", format.rawValue,
                Double(peaks[0]) / 1024, Double(peaks[1]) / 1024, Double(peaks[1]) / Double(peaks[0])))
        }
    }

    struct Measurement: CustomStringConvertible {
        var rows = 0
        var errors = 0
        var seconds = 0.0
        var cpu = 0.0
        var peakKB = 0
        var description: String { "rows=\(rows) errors=\(errors) seconds=\(seconds) cpu=\(cpu) hwm_kb=\(peakKB)" }

        init(parsing line: String) {
            for pair in line.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                let parts = pair.split(separator: "=")
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "rows": rows = Int(parts[1]) ?? 0
                case "errors": errors = Int(parts[1]) ?? 0
                case "seconds": seconds = Double(parts[1]) ?? 0
                case "cpu": cpu = Double(parts[1]) ?? 0
                case "hwm_kb": peakKB = Int(parts[1]) ?? 0
                default: break
                }
            }
        }

        init() {}
    }

    /// `validate-generate FORMAT ROWS PATH`: writes the benchmark's input file, for profiling.
    static func generateOnly(_ arguments: [String]) async throws {
        guard arguments.count == 3, let format = InputFormat(rawValue: arguments[0]), let rows = Int(arguments[1]) else {
            throw BenchError("usage: validate-generate csv|jsonl ROWS PATH")
        }
        let size = try generate(format: format, rows: rows, path: arguments[2])
        print("wrote \(size) bytes to \(arguments[2])")
    }

    /// The hidden case the parent runs in a child: validate one file, print one line.
    static func measureHere(_ arguments: [String]) async throws {
        guard let path = arguments.first else { return }
        let cpuAtStart = cpuSeconds()
        let clock = ContinuousClock()
        let start = clock.now
        var input = try LabelInput(path: path, options: LabelInputOptions())
        var problems = 0
        let summary = InputValidator.run(&input) { _ in problems += 1 }
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        let cpu = cpuSeconds() - cpuAtStart
        print("rows=\(summary.rows) errors=\(summary.errors) seconds=\(seconds) cpu=\(cpu) hwm_kb=\(peakRSSKilobytes())")
    }

    /// User + system CPU time of this process: on a shared machine, a steadier measure than wall time.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    static func peakRSSKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }

    /// The best of three runs (by CPU time), each in a fresh process.
    static func measureInChild(_ path: String) throws -> Measurement {
        try (0..<3).map { _ in Measurement(parsing: try capture("/proc/self/exe", ["validate-measure", path])) }
            .min { $0.cpu < $1.cpu }!
    }

    static func measurePython(_ path: String) throws -> Measurement {
        var root = #filePath
        for _ in 0..<3 { root = (root as NSString).deletingLastPathComponent }
        return try (0..<3).map { _ in
            Measurement(parsing: try capture("/usr/bin/env", ["python3", root + "/scripts/bench_validate.py", path]))
        }.min { $0.cpu < $1.cpu }!
    }

    static func capture(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        let resolved = executable == "/proc/self/exe" ? try FileManager.default.destinationOfSymbolicLink(atPath: executable) : executable
        process.executableURL = URL(fileURLWithPath: resolved)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let space = String(repeating: " ", count: max(0, width - text.count))
        return right ? space + text : text + space
    }

    // MARK: generating input

    static let runs = [
        "123e4567-e89b-12d3-a456-426614174000", "00000000-0000-4000-8000-000000000001",
        "a1b2c3d4-e5f6-4789-abcd-ef0123456789", "FEDCBA98-7654-4321-8FED-CBA987654321",
    ]

    static func uuid(_ n: Int) -> String {
        let hex = Array("0123456789abcdef")
        var digits: [Character] = []
        var value = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
        for i in 0..<32 {
            digits.append(hex[Int(value & 15)])
            value = (value >> 4) | (value << 60)
            if i == 15 { value ^= 0xDEAD_BEEF_CAFE_F00D }
        }
        let text = String(digits)
        let parts = [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    static let texts = [
        "Plain answer", "An answer, with a comma", "Line one\nline two with \"quotes\"",
        "Crème brûlée, 東京の天気は晴れ 👍🏽", "שלום עולם مرحبا", "The quick brown fox jumps over the lazy dog; twice.",
    ]

    /// One generated row as (run_id, output_resource_name, id, text_value, object_value JSON text, partial).
    static func row(_ i: Int) -> [String] {
        let run = runs[i % runs.count]
        let name = i % 5 == 0 ? "文書-\(i)" : "doc-\(i)"
        let id = i % 3 == 0 ? uuid(i) : ""
        if i % 2 == 0 {
            return [run, name, id, "\(texts[i % texts.count]) #\(i)", "", ""]
        }
        let object = #"{"label": "\#(["cat", "dog", "bird"][i % 3])", "score": 0.\#(i % 97), "tags": ["a", "b, c"], "#
            + #""nested": {"k": \#(i), "text": "x, \"y\"\nz", "big": 12345678901234567890}, "ok": \#(i % 4 == 1)}"#
        let partial = ["", "true", "false"][i % 3]
        return [run, name, id, "", object, partial]
    }

    static let header = ["run_id", "output_resource_name", "id", "text_value", "object_value", "object_value_is_partial"]

    /// Writes the file; returns its size in bytes.
    static func generate(format: InputFormat, rows: Int, path: String) throws -> Int {
        guard let file = fopen(path, "wb") else { throw InputError(path: path, reason: "cannot create") }
        defer { fclose(file) }
        var out: [UInt8] = []
        out.reserveCapacity(1 << 20)
        var total = 0
        let writer = CSVWriter()
        if format == .csv { writer.appendRow(header, into: &out) }
        for i in 0..<rows {
            let cells = row(i)
            if format == .csv {
                writer.appendRow(cells, into: &out)
            } else {
                out.append(contentsOf: #"{"run_id": "#.utf8)
                JSONWriter.writeString(cells[0], into: &out)
                out.append(contentsOf: #", "output_resource_name": "#.utf8)
                JSONWriter.writeString(cells[1], into: &out)
                if !cells[2].isEmpty {
                    out.append(contentsOf: #", "id": "#.utf8)
                    JSONWriter.writeString(cells[2], into: &out)
                }
                if !cells[3].isEmpty {
                    out.append(contentsOf: #", "text_value": "#.utf8)
                    JSONWriter.writeString(cells[3], into: &out)
                } else {
                    out.append(contentsOf: #", "object_value": "#.utf8)
                    out.append(contentsOf: cells[4].utf8)
                    out.append(contentsOf: #", "object_value_is_partial": "#.utf8)
                    out.append(contentsOf: (cells[5].isEmpty ? "null" : cells[5]).utf8)
                }
                out.append(contentsOf: "}\n".utf8)
            }
            if out.count > 1 << 20 || i == rows - 1 {
                total += out.count
                _ = out.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
                out.removeAll(keepingCapacity: true)
            }
        }
        return total
    }
}
