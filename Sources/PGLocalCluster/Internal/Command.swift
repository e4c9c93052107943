import Foundation

/// One program to run: where it is, its arguments, and what it starts with.
struct Command: Sendable {
    var executable: String
    var arguments: [String]
    /// The whole environment of the child; `nil` inherits ours.
    var environment: [String: String]?
    /// The child's working folder; `nil` keeps ours. The server tools run as another OS user, who may
    /// not be allowed into our working folder, so they get the cluster's folder.
    var currentDirectory: String?
    /// Text fed to the child's standard input; `nil` gives it `/dev/null`.
    var standardInput: String?

    init(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: String? = nil,
        standardInput: String? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.currentDirectory = currentDirectory
        self.standardInput = standardInput
    }

    /// A `Process` set up to run this command; the caller wires its input and output.
    func makeProcess() -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = environment
        }
        if let currentDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        }
        return process
    }

    /// The command line as a shell would show it, for error messages.
    var commandLine: String {
        ([executable] + arguments).joined(separator: " ")
    }
}

/// How a finished ``Command`` ended and what it printed.
struct CommandResult: Sendable {
    var status: Int32
    var standardOutput: String
    var standardError: String

    var succeeded: Bool { status == 0 }

    /// stderr, or stdout when the program reported its failure there.
    var failureOutput: String {
        let error = standardError.trimmingTrailingNewlines()
        return error.isEmpty ? standardOutput.trimmingTrailingNewlines() : error
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = self
        while let last = result.last, last == "\n" || last == "\r" {
            result.removeLast()
        }
        return result
    }
}
