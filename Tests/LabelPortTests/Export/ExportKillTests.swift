import Testing
import LabelPortCore
import LabelPortSandbox

/// The real `labelport` binary, killed with SIGKILL in the middle of an export.
@Suite("export killed mid-write (real process)", .timeLimit(.minutes(10)))
struct ExportKillTests {
    typealias F = ExportFixtures

    /// The built `labelport` beside the test bundle (`swift build` builds both).
    static func binaryPath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        var path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        while !path.isEmpty, !path.hasSuffix("/debug"), !path.hasSuffix("/release") {
            guard let slash = path.lastIndex(of: "/") else { return nil }
            path = String(path[..<slash])
        }
        let binary = path + "/labelport"
        return access(binary, X_OK) == 0 ? binary : nil
    }

    static func spawn(_ arguments: [String]) -> pid_t? {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, nil)
        return status == 0 ? pid : nil
    }

    /// Files the process has open inside `directory` (an `O_TMPFILE` shows as `DIR/#N (deleted)`).
    static func openFiles(of pid: pid_t, inside directory: String) -> [String] {
        guard let dir = opendir("/proc/\(pid)/fd") else { return [] }
        defer { closedir(dir) }
        var targets: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/\(pid)/fd/\(name)", &buffer, buffer.count - 1)
            if n > 0 {
                let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target.hasPrefix(directory + "/") { targets.append(target) }
            }
        }
        return targets
    }

    @Test("SIGKILL mid-write: the previous file is intact and no temporary file is left")
    func killMidWrite() async throws {
        guard let binary = Self.binaryPath() else {
            Issue.record("the labelport binary is not built beside the tests; run swift build first")
            return
        }
        let (seed, runIDs) = F.bulkSeed(runs: 40, labels: 500)
        try await F.withSandbox(seed: seed, { $0.faults = FaultSpec(latency: .milliseconds(40)) }) { sandbox, directory in
            let outDirectory = directory.url("out")
            mkdir(outDirectory, 0o755)
            defer { rmdir(outDirectory) }
            let target = outDirectory + "/backup.jsonl"
            let tokenFile = try directory.write("token", TestSandbox.tokenA + "\n")
            let runsFile = try directory.write("runs.txt", "# runs to back up\n" + runIDs.joined(separator: "\n") + "\n")
            let previous = Array("{\"previous\":\"backup\"}\n".utf8)
            let handle = fopen(target, "wb")
            fwrite(previous, 1, previous.count, handle)
            fclose(handle)
            defer { unlink(target) }

            guard let pid = Self.spawn([binary, "export", "labels", "--runs-file", runsFile, "--out", target, "--concurrency", "2",
                                        "--base-url", sandbox.baseURL, "--token-file", tokenFile]) else {
                Issue.record("could not start \(binary)")
                return
            }
            // Wait (bounded) until several runs were served and the output file is open.
            var openDuringWrite: [String] = []
            for _ in 0..<3000 {
                if sandbox.stats.count(SandboxEndpoint.listGoldLabels.rawValue, "200") >= 4 {
                    openDuringWrite = Self.openFiles(of: pid, inside: outDirectory)
                    if !openDuringWrite.isEmpty { break }
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            #expect(!openDuringWrite.isEmpty, "the export never had its output open")
            #expect(sandbox.stats.count(SandboxEndpoint.listGoldLabels.rawValue, "200") < runIDs.count, "the export finished before the kill")
            #expect(try FileText.readBytes(target) == previous)
            #expect(Self.directoryEntries(outDirectory) == ["backup.jsonl"])
        }
    }

    static func directoryEntries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
