import LabelPortCore
// labelport-bench: throughput and memory benchmarks. Run with
//   swift run -c release labelport-bench CASE [options]
// Each case lives in its own file and prints its figures.

let arguments = Array(CommandLine.arguments.dropFirst())
let cases: [String: ([String]) async throws -> Void] = [
    "sandbox-post": sandboxPostBenchmark,
    "import": ImportBenchmark.run,
    "rate-limit": RateLimitBenchmark.run,
    "client-post": ClientPostBenchmark.run,
    "client-post-ahc": ClientPostAHCBenchmark.run,
    "export": ExportBenchmark.run,
    "big-run": BigRunBenchmark.run,
    "list-read": ListReadBenchmark.run,
    "copy": CopyBenchmark.run,
    "validate": ValidateBench.run,
    "validate-measure": ValidateBench.measureHere, // hidden: one measurement in a fresh process
    "validate-generate": ValidateBench.generateOnly, // hidden: write the input file, for profiling
    "xlsx": XlsxBench.run,
    "xlsx-export-measure": XlsxBench.exportHere, // hidden: one xlsx encoding in a fresh process
]
guard let name = arguments.first, let run = cases[name] else {
    print("usage: labelport-bench CASE [options]; cases: \(cases.keys.sorted().joined(separator: ", "))")
    exit(64)
}
try await run(Array(arguments.dropFirst()))
