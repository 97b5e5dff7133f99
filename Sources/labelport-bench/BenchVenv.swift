import Foundation

/// The Python environment of the comparison scripts (`scripts/bench_import_aiohttp.py`,
/// `scripts/bench_xlsx.py`): `.venv-bench` in the working directory (gitignored), created,
/// and given the PyPI packages a benchmark needs, the first time it needs them.
enum BenchVenv {
    static let directory = FileManager.default.currentDirectoryPath + "/.venv-bench"
    static var python: String { directory + "/bin/python" }
    static var script: String { FileManager.default.currentDirectoryPath + "/scripts/bench_import_aiohttp.py" }

    /// The venv's python with `packages` (PyPI name: module name) importable, creating the
    /// venv and installing them if needed; nil (with the reason said) when that fails, e.g.
    /// without network access.
    static func ensure(_ packages: KeyValuePairs<String, String> = ["aiohttp": "aiohttp"]) -> String? {
        if canImport(packages) { return python }
        let names = packages.map(\.key).joined(separator: ", ")
        guard let python3 = BenchProcess.which("python3") else {
            say("python \(names): no python3 on PATH")
            return nil
        }
        say("creating \(directory) with \(names) from PyPI (once)…")
        do {
            if !FileManager.default.isExecutableFile(atPath: python) {
                let made = try BenchProcess.run(python3, ["-m", "venv", directory])
                guard made.status == 0 else { throw BenchError("python3 -m venv failed: \(made.stderr.suffix(300))") }
            }
            let installed = try BenchProcess.run(python, ["-m", "pip", "install", "--quiet"] + packages.map(\.key))
            guard installed.status == 0 else { throw BenchError("pip install \(names) failed: \(installed.stderr.suffix(300))") }
        } catch {
            say("python \(names): \(error)")
            return nil
        }
        return canImport(packages) ? python : nil
    }

    private static func canImport(_ packages: KeyValuePairs<String, String>) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python),
            let check = try? BenchProcess.run(python, ["-c", "import " + packages.map(\.value).joined(separator: ", ")])
        else { return false }
        return check.status == 0
    }
}
