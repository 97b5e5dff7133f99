import LabelPortCLI

// Called from an async function so that `main()` resolves to the async
// `AsyncParsableCommand.main()`; top-level code picks the synchronous one, which refuses
// async subcommands ("Asynchronous root command needs availability annotation").
func runLabelPort() async {
    await LabelPortCommand.main()
}

await runLabelPort()
