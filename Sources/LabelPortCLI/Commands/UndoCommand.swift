import ArgumentParser
import LabelPortCore

/// `labelport undo JOURNAL`: puts back the values a journal's writes replaced.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Put back the values that a journaled import, apply, copy or undo replaced.",
        discussion: """
            Each label the journal updated whose values are still what the journal says were \
            set gets its earlier values back; one already back at them counts as restored with \
            no write; one changed since by someone else is a conflict, reported and left alone. \
            Labels the journaled run created cannot be removed (the API has no delete): they \
            are listed and count as not restored. Values the API cannot set back exactly (a \
            field back to absent, object_value_is_partial back to null) are reported and left \
            alone. The undo's own writes are journaled, so an undo can be undone.

            Ctrl-C stops taking writes and lets requests in flight finish, as for import; a \
            second Ctrl-C quits at once (exit 130).

            Exit status: 0 every label restored; 1 otherwise (also after Ctrl-C, or a journal \
            that cannot be read); 64 usage \
            error (also: a journal written for another base URL); 130 quit by a second Ctrl-C.

            Examples:
              labelport undo --last --dry-run
              labelport undo \\
                ~/.local/state/labelport/journal/20261130T010203.456Z-import.jsonl
            """
    )

    @Argument(help: ArgumentHelp("The journal to undo (see the summary of the run that wrote it).", valueName: "JOURNAL"))
    var journalPath: String?

    @Flag(help: "Undo the newest journal of an import, apply or copy in the journal directory (an undo's own journal is undone by name).")
    var last = false

    @Flag(name: .customLong("dry-run"), help: "Write nothing: print what would be restored, and exit as the undo would.")
    var dryRun = false

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup
    @OptionGroup(title: "Journal") var journal: JournalOptions

    @Flag(help: "List every label of the plan (default: the first 20, then a count), and log each request.")
    var verbose = false

    @Flag(help: "Print the plan and the summary as JSON on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Write one JSON line per restoring write to this file.", valueName: "FILE"))
    var report: String?

    func validate() throws {
        if last == (journalPath != nil) { throw ValidationError(last ? "give either JOURNAL or --last, not both" : "name the JOURNAL to undo, or pass --last") }
    }

    func run() async throws {
        let console = Console.current
        let (clientConfiguration, executionOptions) = try WriteSession.connect(connection, execution: execution, verbose: verbose)
        let server = clientConfiguration.server
        let path = try journalPath ?? JournalOptions.newest()
        try OutputPaths.check(inputs: [("the journal being undone", path)], outputs: [("--report", report)], journal: journal)
        let recorded: Journal
        do {
            recorded = try JournalReader.read(path)
        } catch {
            // Nothing restored: exit 1, as the contract's "1 otherwise" (not import's 2).
            console.message("labelport undo: error: \(error)")
            throw ExitCode(1)
        }
        try WriteSession.requireSameServer(recorded.header.baseURL, server, what: "the journal \(path)")
        if last {
            // A copy's journal names its source as "copy from URL": said once.
            let command = recorded.header.command
            let what = recorded.header.source.map { $0.hasPrefix(command + " ") ? $0 : "\(command) of \($0)" } ?? command
            console.message("undoing \(path): the \(what) started \(recorded.header.startedAt)")
        }
        var runIDs: [String] = []
        var seen: Set<String> = []
        for entry in recorded.entries where seen.insert(entry.write.runID).inserted { runIDs.append(entry.write.runID) }

        let session = WriteSession(execution: executionOptions)
        let journalWriter = try (dryRun ? nil : journal.open(command: "undo", server: server, source: path, console: console))
        let status: Int32 = try await session.withEngine(client: clientConfiguration, mode: .update, journal: journalWriter, console: console) { engine in
            let (labels, problems) = await WriteSession.read(runIDs, with: engine, missingIsEmpty: true)
            if !problems.isEmpty {
                for problem in problems { console.message("labelport undo: \(problem)") }
                console.message("nothing written")
                return 1
            }
            let plan = RestorePlanner.plan(recorded, labels: labels)
            let renderer = RestoreRenderer(color: !json && console.outputIsTerminal)
            let rows = plan.rows
            var failed: [Int: String] = [:]
            var notAttempted: Set<Int> = []
            var counts = OutcomeCounts()
            if !dryRun && !rows.isEmpty {
                let outputs = try ImportOutputs(
                    reportPath: report, rejectsPath: nil, recordWriter: nil, spoolPlan: false, planAsJSON: false, renderer: PlanRenderer(color: false))
                let collector = FailureCollector(inner: outputs)
                counts = await session.applyPlanned(rows, with: engine, outputs: outputs, sink: collector, console: console)
                try await outputs.finish(planHeader: nil, summaryJSON: nil, unchanged: 0, to: console)
                failed = await collector.failures
                notAttempted = await collector.notAttempted
            }
            try journalWriter?.close()
            let tally = UndoTally(plan: plan, failedSeqs: Set(failed.keys), notAttemptedSeqs: notAttempted, dryRun: dryRun)
            let summary = session.summary(counts, runs: runIDs.count, dryRun: dryRun)
            if json {
                var object = JSONObject()
                object["journal"] = .string(path)
                object["items"] = .array(plan.items.map { renderer.json(for: $0) })
                object["summary"] = tally.json(execution: summary)
                console.output(JSONWriter().string(.object(object)) + "\n")
            } else {
                var listed = CappedList(verbose: verbose)
                for item in plan.items where listed.admit() {
                    var lines = CappedList.entry(renderer.lines(for: item), verbose: verbose)
                    if let reason = failed[item.seq], !lines.isEmpty {
                        lines[0] += notAttempted.contains(item.seq) ? ": \(reason)" : ": failed: \(reason)"
                    }
                    console.output(lines.joined(separator: "\n") + "\n")
                }
                if let more = listed.moreLine("labels", hint: "--verbose or --json lists them all") { console.output(more + "\n") }
            }
            console.message(tally.line)
            if !dryRun {
                // The requests line and what follows it (rate limits, unanswered writes, an
                // interruption); the tally above stands for the rows line.
                for line in summary.humanLines.dropFirst() { console.message(line) }
            } else {
                console.message("dry run: nothing was written")
            }
            if let line = WriteSession.journalLine(journalWriter) { console.message(line) }
            return tally.allRestored && !session.interrupt.isSet ? 0 : 1
        }
        if status != 0 { throw ExitCode(status) }
    }
}
