import ArgumentParser

/// `--json`, for the commands that print either a table or the same numbers as one JSON object
/// (`replay`, `bench encoder`): one definition of the flag.
struct JSONOutput: ParsableArguments {
    @Flag(help: "Print one JSON object instead of the table.")
    var json = false
}
