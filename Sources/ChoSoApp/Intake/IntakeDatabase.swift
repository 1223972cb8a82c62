import Fluent
import NIOCore
import NIOPosix
import Vapor

/// Where the intake's grouped transaction runs: on one event loop from BEGIN to COMMIT, each
/// statement's result taken up on the thread that asked for it instead of hopping to the Swift
/// concurrency pool.
///
/// Why: a grouped commit is about ten statements in a row, and under load each hand-over waited
/// in a queue (the server's `/metrics` at 1,000 webhooks/s: the one writer busy 9.94 s of 10 while
/// the database's own work was a third of that).
///
/// On PostgreSQL the intake has its own connections on a loop that serves nothing else, so its
/// replies never wait behind HTTP work (at 1,000/s: p99 104 → 38 ms). SQLite does its work on
/// NIO's thread pool, not on the loop; there a loop of its own only added a thread to wake per
/// statement (p99 35 → 78 ms), so it uses one of the application's loops and pools.
final class IntakeDatabase: Sendable {
    /// One thread for the whole process: the intake has one writer and its statements run one
    /// after the other, and tests that make many applications do not each start a thread.
    private static let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let loop: any EventLoop
    private let databases: Databases
    private let ownsDatabases: Bool
    private let executor: EventLoopTaskExecutor
    private let logger: Logger

    /// Its own connections on its own loop.
    init(configuration: DatabaseConfigurationFactory, id: DatabaseID, threadPool: NIOThreadPool, logger: Logger) {
        loop = Self.loops.next()
        databases = Databases(threadPool: threadPool, on: loop)
        databases.use(configuration, as: id, isDefault: true)
        ownsDatabases = true
        executor = EventLoopTaskExecutor(loop: loop)
        self.logger = logger
    }

    /// The application's connections of one of its loops.
    init(sharing databases: Databases, on loop: any EventLoop, logger: Logger) {
        self.loop = loop
        self.databases = databases
        ownsDatabases = false
        executor = EventLoopTaskExecutor(loop: loop)
        self.logger = logger
    }

    /// Runs `body` in one transaction; the body's own awaits resume on the intake's loop.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let database = databases.database(logger: logger, on: loop) else { throw AppError.notFound }
        let loop = self.loop, executor = self.executor
        // Fluent's async `transaction` would run the body as a task on the global pool; the
        // future-based one with a task that prefers this loop keeps it here.
        return try await database.transaction { db in
            let done = loop.makePromise(of: T.self)
            Task(executorPreference: executor) {
                do { done.succeed(try await body(db)) } catch { done.fail(error) }
            }
            return done.futureResult
        }.get()
    }

    /// Drops the connections so that the next transaction opens new ones (after a hang).
    func reinitialize() { if ownsDatabases { databases.reinitialize() } }

    func shutdown() async { if ownsDatabases { await databases.shutdownAsync() } }
}

/// Runs tasks that prefer it on one event loop's thread.
final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    let loop: any EventLoop

    init(loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Closes the intake's connections when the application shuts down.
struct IntakeDatabaseShutdown: LifecycleHandler {
    let database: IntakeDatabase

    func shutdownAsync(_ application: Application) async { await database.shutdown() }
}
