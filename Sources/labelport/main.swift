import LabelPortCLI

await LabelPortCommand.main()
