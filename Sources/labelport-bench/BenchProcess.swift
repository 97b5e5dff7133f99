import Foundation

/// Child processes for benchmarks: run to the end capturing output, or keep a server
/// running and read the line it prints on start.
enum BenchProcess {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The folder holding this benchmark binary (and `labelport` beside it).
    static var binDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdoutTo: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let scratch = NSTemporaryDirectory() + "labelport-bench-\(UUID().uuidString)"
        let outPath = stdoutTo ?? scratch + ".out"
        let errPath = scratch + ".err"
        // A device (/dev/null) is opened as it is: FileManager creates a file by writing
        // beside it and renaming, which replaced /dev/null with a plain file (seen on this
        // machine after every `labelport-bench import`).
        let isDevice = (try? FileManager.default.attributesOfItem(atPath: outPath)[.type] as? FileAttributeType)
            .map { $0 == .typeCharacterSpecial || $0 == .typeBlockSpecial } ?? false
        if !isDevice { _ = FileManager.default.createFile(atPath: outPath, contents: nil) }
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let out = stdoutTo == nil ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        if stdoutTo == nil { try? FileManager.default.removeItem(atPath: outPath) }
        try? FileManager.default.removeItem(atPath: errPath)
        return Output(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// A `labelport sandbox` child, stopped with SIGTERM by `stop()`.
    final class Sandbox {
        let process = Process()
        let baseURL: String

        init(_ labelport: String, _ arguments: [String]) throws {
            let log = NSTemporaryDirectory() + "labelport-bench-sandbox-\(UUID().uuidString).log"
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: labelport)
            process.arguments = ["sandbox", "--port", "0"] + arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            process.standardError = FileHandle.nullDevice
            try process.run()
            var url: String?
            for _ in 0..<600 where url == nil {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: "http://[0-9.:]+", options: .regularExpression) {
                    url = String(text[range])
                } else {
                    usleep(50_000)
                }
            }
            try? FileManager.default.removeItem(atPath: log)
            guard let url else {
                process.terminate()
                throw BenchError("the sandbox did not start")
            }
            baseURL = url
        }

        /// `GET /_sandbox/stats` as JSON.
        func stats() throws -> [String: Any] {
            let result = try BenchProcess.run("/usr/bin/env", ["curl", "-s", baseURL + "/_sandbox/stats"])
            return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        }

        func resetStats() throws {
            _ = try BenchProcess.run("/usr/bin/env", ["curl", "-s", "-X", "POST", baseURL + "/_sandbox/stats/reset"])
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Prints a line and flushes it at once, so progress shows while a long case runs.
func say(_ text: String) {
    print(text)
    fflush(nil)
}
