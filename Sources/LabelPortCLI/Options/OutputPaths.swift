import ArgumentParser
import Foundation

/// Refuses, before anything is read or sent, output files that would destroy what the
/// command reads or another of its outputs: `--report input.csv` would empty the input
/// before its first row, and two outputs on one file would write over each other. A
/// usage error (exit 64) naming both.
enum OutputPaths {
    /// `inputs`: (what, path) of the files the command reads (`-`, standard input, is
    /// skipped); `outputs`: (flag, path) of those it writes, nil when not given. A
    /// `--journal` that already holds something is refused too: it may be the record
    /// that undoes an earlier write.
    static func check(inputs: [(what: String, path: String?)], outputs: [(flag: String, path: String?)], journal: JournalOptions? = nil) throws {
        if let journal, !journal.disabled, let path = journal.path,
           let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > 0
        {
            throw ValidationError("--journal \(path) already exists: it may be the record that undoes an earlier write; name a new file (or move that one away)")
        }
        let outputs = outputs + (journal.map { [("--journal", $0.disabled ? nil : $0.path)] } ?? [])
        let given = outputs.compactMap { output in output.path.flatMap { $0 == "-" ? nil : (output.flag, $0) } }
        for (flag, path) in given {
            for input in inputs {
                guard let inputPath = input.path, inputPath != "-", sameFile(path, inputPath) else { continue }
                throw ValidationError("\(flag) \(path) is \(input.what): writing it would destroy what labelport reads; name another file")
            }
        }
        for (i, first) in given.enumerated() {
            for second in given[(i + 1)...] where sameFile(first.1, second.1) {
                throw ValidationError("\(first.0) and \(second.0) name the same file (\(second.1)): name two files")
            }
        }
        // --out replaces its file by a rename (a read-only old backup included): its
        // directory is checked when the export opens it.
        for (flag, path) in given where flag != "--out" {
            if let reason = unwritable(path) { throw ValidationError("\(flag) \(path): cannot write it (\(reason))") }
        }
    }

    /// Why `path` cannot be written, found by opening it for writing now (nothing changes:
    /// an existing file is opened to append nothing, a new one removed again); nil when it
    /// can. Permissions alone say nothing for root, so the system is asked.
    static func unwritable(_ path: String) -> String? {
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return String(cString: strerror(errno)).lowercased() }
        close(fd)
        if !existed { unlink(path) }
        return nil
    }

    /// Whether two paths name one file: the same file on disk when both exist (symbolic
    /// and hard links and `./` aside), else the same absolute path.
    static func sameFile(_ a: String, _ b: String) -> Bool {
        let manager = FileManager.default
        // attributesOfItem does not follow a symbolic link: resolve them first.
        if let first = try? manager.attributesOfItem(atPath: absolute(a)), let second = try? manager.attributesOfItem(atPath: absolute(b)) {
            func number(_ attributes: [FileAttributeKey: Any], _ key: FileAttributeKey) -> UInt64? {
                (attributes[key] as? NSNumber)?.uint64Value
            }
            guard let inode = number(first, .systemFileNumber) else { return absolute(a) == absolute(b) }
            return inode == number(second, .systemFileNumber) && number(first, .systemNumber) == number(second, .systemNumber)
        }
        return absolute(a) == absolute(b)
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
