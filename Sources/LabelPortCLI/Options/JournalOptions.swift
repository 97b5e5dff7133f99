import ArgumentParser
import Foundation
import LabelPortCore

/// `--journal FILE` / `--no-journal`: where a command that writes records what each
/// write replaced (default: a new file named by the UTC time in the state directory).
struct JournalOptions: ParsableArguments {
    @Option(name: .customLong("journal"), help: ArgumentHelp("Record every write (the values before and after) in this file (default: a new file in $XDG_STATE_HOME/labelport/journal/).", valueName: "FILE"))
    var path: String?

    @Flag(name: .customLong("no-journal"), help: "Do not record a journal (the run then cannot be undone).")
    var disabled = false

    /// Tests point the default directory elsewhere without touching the process environment.
    @TaskLocal static var stateHomeOverride: String?

    func validate() throws {
        if disabled && path != nil { throw ValidationError("--journal and --no-journal exclude each other") }
    }

    /// `$XDG_STATE_HOME/labelport/journal`, else `~/.local/state/labelport/journal`; nil
    /// when neither variable is set.
    static func defaultDirectory(environment: [String: String] = ProcessEnvironment.current) -> String? {
        if let home = stateHomeOverride ?? environment["XDG_STATE_HOME"], !home.isEmpty { return home + "/labelport/journal" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/labelport/journal" }
        return nil
    }

    /// The journal for a run of `command` against `server`, or nil with `--no-journal`
    /// (or, with a warning, when there is no state directory to put it in).
    func open(command: String, server: ServerAddress, source: String?, console: Console) throws -> JournalWriter? {
        if disabled { return nil }
        let now = Date()
        let header = JournalHeader(baseURL: server.baseURL, command: command, startedAt: Self.timestamp(now), source: source)
        let target: String
        if let path {
            // Opened at the first write; that it can be written was checked up front
            // (``OutputPaths/check(inputs:outputs:journal:)``).
            target = path
        } else {
            guard let directory = Self.defaultDirectory() else {
                console.message("labelport \(command): warning: no journal (set XDG_STATE_HOME or HOME, or pass --journal FILE)")
                return nil
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ValidationError("cannot create the journal directory \(directory): pass --journal FILE or --no-journal")
            }
            let stamp = Self.timestamp(now).filter { $0 != "-" && $0 != ":" }
            var name = "\(directory)/\(stamp)-\(command).jsonl"
            var suffix = 2
            while FileManager.default.fileExists(atPath: name) {
                name = "\(directory)/\(stamp)-\(command)-\(suffix).jsonl"
                suffix += 1
            }
            target = name
        }
        return JournalWriter(path: target, header: header)
    }

    /// The newest journal in the default directory (by the UTC time in its name) of a
    /// command other than undo: `undo --last` twice must not redo what the first undid
    /// (an undo is undone by naming its journal).
    static func newest() throws -> String {
        guard let directory = defaultDirectory() else {
            throw ValidationError("--last: no journal directory (set XDG_STATE_HOME or HOME)")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { name in
            name.hasSuffix(".jsonl") && !name.hasSuffix("-undo.jsonl") && !name.contains("-undo-")
        }
        // STAMP-COMMAND.jsonl, or STAMP-COMMAND-N.jsonl for the Nth journal of the same instant.
        func order(_ name: String) -> (String, Int) {
            let stem = name.dropLast(".jsonl".count)
            let stamp = String(stem.prefix { $0 != "-" })
            let last = stem.split(separator: "-").last.flatMap { Int($0) } ?? 1
            return (stamp, last)
        }
        guard let newest = names.max(by: { order($0) < order($1) }) else {
            throw ValidationError("--last: no journal of an import, apply or copy in \(directory)")
        }
        return directory + "/" + newest
    }

    /// UTC, ISO 8601 with milliseconds: `2026-11-30T01:02:03.456Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
