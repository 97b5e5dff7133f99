import Foundation

/// The Python environment of the comparison importer (`scripts/bench_import_aiohttp.py`):
/// `.venv-bench` in the working directory (gitignored), created with aiohttp from PyPI
/// the first time a benchmark needs it.
enum BenchVenv {
    static let directory = FileManager.default.currentDirectoryPath + "/.venv-bench"
    static var python: String { directory + "/bin/python" }
    static var script: String { FileManager.default.currentDirectoryPath + "/scripts/bench_import_aiohttp.py" }

    /// The venv's python with aiohttp importable, creating the venv if needed; nil (with
    /// the reason said) when that fails, e.g. without network access.
    static func ensure() -> String? {
        if hasAiohttp() { return python }
        guard let python3 = BenchProcess.which("python3") else {
            say("python aiohttp: no python3 on PATH")
            return nil
        }
        say("creating \(directory) with aiohttp from PyPI (once)…")
        do {
            if !FileManager.default.isExecutableFile(atPath: python) {
                let made = try BenchProcess.run(python3, ["-m", "venv", directory])
                guard made.status == 0 else { throw BenchError("python3 -m venv failed: \(made.stderr.suffix(300))") }
            }
            let installed = try BenchProcess.run(python, ["-m", "pip", "install", "--quiet", "aiohttp"])
            guard installed.status == 0 else { throw BenchError("pip install aiohttp failed: \(installed.stderr.suffix(300))") }
        } catch {
            say("python aiohttp: \(error)")
            return nil
        }
        return hasAiohttp() ? python : nil
    }

    private static func hasAiohttp() -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python),
            let check = try? BenchProcess.run(python, ["-c", "import aiohttp"])
        else { return false }
        return check.status == 0
    }
}
