import ArgumentParser
import LabelPortCore

/// `labelport apply PLAN`: carries out a plan saved by `import --dry-run --plan-out`.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Carry out a plan saved by import --dry-run --plan-out, exactly as reviewed.",
        discussion: """
            Reads every run the plan touches first. If any label is no longer as the plan saw \
            it (its values or updated_at changed, it is gone, or a label with a name the plan \
            creates now exists), nothing is written: the drifted labels are listed and the exit \
            status is 3. Otherwise exactly the plan's writes are sent, as import sends them, \
            and journaled.

            Ctrl-C stops taking writes and lets requests in flight finish, as for import; a \
            second Ctrl-C quits at once (exit 130).

            Exit status: 0 every write ok; 1 some failed or were skipped (also after Ctrl-C); \
            3 labels changed since the plan (nothing written); 64 usage error (also: a plan \
            made for another base URL); 130 quit by a second Ctrl-C.

            Example:
              labelport import labels.csv --dry-run --plan-out labels.plan.json
              labelport apply labels.plan.json
            """
    )

    @Argument(help: ArgumentHelp("The plan file.", valueName: "PLAN"))
    var plan: String

    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup
    @OptionGroup(title: "Journal") var journal: JournalOptions

    @Flag(help: "Print the summary as JSON on standard output.")
    var json = false

    @Flag(help: "List every drifted label and failed write (default: the first 20, then a count), and log each request.")
    var verbose = false

    @Option(help: ArgumentHelp("Write one JSON line per planned write, in plan order, to this file.", valueName: "FILE"))
    var report: String?

    func run() async throws {
        try OutputPaths.check(inputs: [("the plan", plan)], outputs: [("--report", report)], journal: journal)
        let console = Console.current
        let (clientConfiguration, executionOptions) = try WriteSession.connect(connection, execution: execution, verbose: verbose)
        let server = clientConfiguration.server
        let saved: SavedPlan
        do {
            saved = try SavedPlan.read(plan)
        } catch {
            console.message("labelport apply: error: \(error)")
            throw ExitCode(2)
        }
        try WriteSession.requireSameServer(saved.baseURL, server, what: "the plan \(plan)")
        var runIDs: [String] = []
        var seen: Set<String> = []
        for write in saved.writes where seen.insert(write.runID).inserted { runIDs.append(write.runID) }

        let session = WriteSession(execution: executionOptions)
        let journalWriter = try journal.open(command: "apply", server: server, source: plan, console: console)
        let status: Int32 = try await session.withEngine(client: clientConfiguration, mode: saved.mode, journal: journalWriter, console: console) { engine in
            // Every touched label, checked before the first write.
            let (labels, problems) = await WriteSession.read(runIDs, with: engine, missingIsEmpty: false)
            if !problems.isEmpty {
                for problem in problems { console.message("labelport apply: \(problem)") }
                console.message("nothing written")
                return 1
            }
            let drifts = PlanDrift.check(saved, labels: labels)
            if !drifts.isEmpty {
                console.message("labelport apply: \(drifts.count) label\(drifts.count == 1 ? "" : "s") changed since the plan was made; nothing written:")
                var listed = CappedList(verbose: verbose)
                for drift in drifts where listed.admit() { console.message("  " + drift.description) }
                if let more = listed.moreLine("labels", hint: "--verbose lists them all") { console.message("  " + more) }
                console.message("make a new plan with import --dry-run --plan-out")
                return 3
            }
            let outputs = try ImportOutputs(
                reportPath: report, rejectsPath: nil, recordWriter: nil, spoolPlan: false, planAsJSON: false, renderer: PlanRenderer(color: false),
                inputName: plan, verbose: verbose)
            let counts = await session.applyPlanned(saved.plannedRows, with: engine, outputs: outputs, console: console)
            let summary = session.summary(counts, runs: runIDs.count)
            try await outputs.finish(planHeader: nil, summaryJSON: nil, unchanged: 0, to: console)
            try journalWriter?.close()
            if json { console.output(JSONWriter().string(summary.json) + "\n") }
            for line in summary.humanLines { console.message(line) }
            if let line = WriteSession.journalLine(journalWriter) { console.message(line) }
            return summary.exitStatus
        }
        if status != 0 { throw ExitCode(status) }
    }
}
