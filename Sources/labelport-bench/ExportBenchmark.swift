import ArgumentParser
import LabelPortCLI
import LabelPortCore
import LabelPortSandbox

/// `labelport-bench export [RUNS] [LABELS]`: an in-process sandbox with RUNS × LABELS
/// labels (default 100 × 1,000); times a full `export labels` to a JSONL temp file
/// against the sum of raw transfer times of one plain GET per run (a bare socket, no
/// parsing), and prints both, their ratio (target ≤ 1.5×) and peak RSS.
enum ExportBenchmark {
    static let token = "bench-token"

    static func run(_ arguments: [String]) async throws {
        let runs = arguments.count > 0 ? Int(arguments[0]) ?? 100 : 100
        let labelsPerRun = arguments.count > 1 ? Int(arguments[1]) ?? 1000 : 1000
        var template = Array("/tmp/labelport-bench-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else { throw FileError(path: "/tmp", reason: "mkdtemp failed") }
        let directory = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let (seed, runIDs) = seedText(runs: runs, labels: labelsPerRun)
        let seedFile = try write(directory + "/seed.json", seed)
        let tokenFile = try write(directory + "/token", token + "\n")
        let runsFile = try write(directory + "/runs.txt", runIDs.joined(separator: "\n") + "\n")
        let out = directory + "/export.jsonl"
        defer { for name in ["seed.json", "token", "runs.txt", "export.jsonl"] { unlink(directory + "/" + name) }; rmdir(directory) }

        let configuration = SandboxConfiguration(host: "127.0.0.1", port: 0, tokens: [token: "bench"], seedFile: seedFile)
        try await SandboxServer.withRunning(configuration) { sandbox in
            let clock = ContinuousClock()
            // Warm up the connection path once.
            _ = try rawGET(port: sandbox.port, path: "/v1/run/\(runIDs[0])/gold-labels")
            var raw = Duration.zero
            var rawBytes = 0
            for runID in runIDs {
                let started = clock.now
                rawBytes += try rawGET(port: sandbox.port, path: "/v1/run/\(runID)/gold-labels")
                raw += clock.now - started
            }
            // Where the time goes: the same GETs through the API client (HTTP + JSON parse +
            // label decoding), one run at a time, without sorting or writing.
            let server = try ServerAddress(sandbox.baseURL)
            let clientStarted = clock.now
            try await RefactorClient.withClient(RefactorClient.Configuration(server: server, token: APIToken(token)!)) { client in
                for runID in runIDs { _ = try await client.listGoldLabels(runID: runID) }
            }
            let clientOnly = clock.now - clientStarted
            let rssBefore = peakRSSKiB()
            let started = clock.now
            var command = try LabelPortCommand.parseAsRoot([
                "export", "labels", "--runs-file", runsFile, "--out", out,
                "--base-url", sandbox.baseURL, "--token-file", tokenFile,
            ])
            if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
            let export = clock.now - started
            let rssAfter = peakRSSKiB()
            let fileBytes = (try? FileText.readBytes(out).count) ?? 0
            print("export: \(runs) runs × \(labelsPerRun) labels, \(fileBytes / 1024) KiB written, \(rawBytes / 1024) KiB transferred raw")
            print("raw GET transfers (sum, one per run): \(seconds(raw))")
            print("API client GET + parse + decode (sum): \(seconds(clientOnly))")
            print("full export to JSONL file:            \(seconds(export))")
            print("ratio export / raw:                   \(ratio(export, raw))× (target ≤ 1.5×)")
            print("peak RSS: \(rssBefore / 1024) MiB before the export (sandbox seeded), \(rssAfter / 1024) MiB after")
        }
    }

    /// `a / b` with two decimals.
    static func ratio(_ a: Duration, _ b: Duration) -> String {
        String((a.inSeconds / b.inSeconds * 100).rounded() / 100)
    }

    static func seconds(_ duration: Duration) -> String {
        let (s, atto) = duration.components
        let ms = Int64(s) * 1000 + atto / 1_000_000_000_000_000
        return "\(ms) ms"
    }

    static func peakRSSKiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }

    static func seedText(runs: Int, labels: Int) -> (String, [String]) {
        var runIDs: [String] = []
        var text = #"{"runs": ["#
        for r in 0..<runs {
            let digits = String(r)
            let id = "bbbb0000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
            runIDs.append(id)
            text += (r > 0 ? "," : "") + #"{"id": "\#(id)", "account_id": "bench"}"#
        }
        text += #"], "gold_labels": ["#
        for r in 0..<runs {
            for l in 0..<labels {
                if r > 0 || l > 0 { text += "," }
                text += #"{"run_id": "\#(runIDs[r])", "output_resource_name": "documents/\#(l).pdf", "object_value": {"invoice_number": "INV-\#(l)", "total": \#(l).95, "currency": "EUR", "lines": [{"sku": "A-\#(l)", "qty": 2, "price": 1.5}], "vendor": {"name": "Vendor \#(l)", "vat": "DE\#(100000000 + l)"}}, "object_value_is_partial": false, "created_at": "2024-01-01T00:00:00Z"}"#
            }
        }
        text += "]}"
        return (text, runIDs)
    }

    static func write(_ path: String, _ text: String) throws -> String {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array(text.utf8))
        try writer.commit()
        return path
    }

    /// One HTTP/1.1 GET over a fresh socket, reading the whole answer; returns its size.
    static func rawGET(port: Int, path: String) throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FileError(path: "socket", reason: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw FileError(path: "127.0.0.1:\(port)", reason: "connect failed") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            total += n
        }
        return total
    }
}
