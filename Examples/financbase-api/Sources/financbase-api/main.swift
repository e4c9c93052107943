import FinancbaseAPI
import Foundation
import Logging
import NIOCore
import NIOPosix

// financbase-api            serve (settings from the environment: see APISettings)
// financbase-api token ID   print a bearer token for the Clerk user ID, valid for 12 hours
let environment = ProcessInfo.processInfo.environment
var logger = Logger(label: "financbase-api")
logger.logLevel = environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
let arguments = CommandLine.arguments.dropFirst()

// SwiftNIO's event loops become Swift's global executor, before any task starts: handlers then run
// on the threads the database connections live on, and a query costs no thread hop (the PGClient
// Pipelines article, "Fewer thread hops"). FINANCBASE_NIO_EXECUTOR=0 keeps Swift's own executor.
if environment["FINANCBASE_NIO_EXECUTOR"] != "0" {
    let installed = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    logger.debug("global executor", metadata: ["swiftnio": "\(installed)"])
}

do {
    if arguments.first == "token" {
        guard arguments.count == 2, let clerkID = arguments.last,
            let key = environment["FINANCBASE_JWT_KEY"], !key.isEmpty
        else {
            FileHandle.standardError.write(Data("usage: FINANCBASE_JWT_KEY=… financbase-api token CLERK_USER_ID\n".utf8))
            exit(2)
        }
        print(try await TokenVerifier(key: key).token(clerkUserID: clerkID, lifetime: .seconds(12 * 3_600)))
    } else {
        let settings = try APISettings(environment: environment)
        let built = try await buildApplication(settings, logger: logger) { url in
            // serve.sh and operators read this line.
            FileHandle.standardOutput.write(Data("financbase-api listening on \(url)\n".utf8))
        }
        try await built.app.runService()
    }
} catch {
    FileHandle.standardError.write(Data("financbase-api: \(error)\n".utf8))
    exit(1)
}
